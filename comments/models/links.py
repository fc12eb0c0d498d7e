"""The links to a comment's pages, formatted from a pattern rather than reversed one by one."""

import functools

from django.urls import get_script_prefix, reverse


def comment_url(name: str, pk: int) -> str:
    """The URL of `comments:<name>` for comment `pk`, without a full reverse() each time."""
    return comment_url_pattern(f"comments:{name}").format(pk)


def comment_url_pattern(name: str) -> str:
    """The URL named `name` (`comments:reply`, `board:rate`) with `{}` for the comment's id.

    For str.format(). Other apps' pages of a comment are named, not imported:
    this app sits below them.
    """
    return _comment_url_pattern(name, get_script_prefix())


# Stands in for a comment's id in markup made once for many comments: no word
# or path of the site contains it.
SAMPLE_ID = 917_355_031


@functools.cache
def _comment_url_pattern(name: str, script_prefix: str) -> str:
    return reverse(name, kwargs={"pk": SAMPLE_ID}).replace(str(SAMPLE_ID), "{}")
