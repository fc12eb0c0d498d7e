"""Confirmations shown beside the comment they are about.

After rating or reporting a comment the reader is sent back to it (its
permalink's page and anchor); the confirmation is a flash message tagged
with the comment, which the comment tree draws under that comment instead
of at the top of the page. A page with a flash message is never cached.
"""

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.http import HttpRequest

from .models import Comment

BESIDE = "beside-comment"


def tell_beside(
    request: HttpRequest, comment: Comment, text: str, *, level: int = messages.SUCCESS
) -> None:
    """Say `text` under `comment` on the page the reader lands on."""
    messages.add_message(request, level, text, extra_tags=f"{BESIDE} c{comment.pk}")


def by_comment(flashed) -> dict[int, Message]:
    """The messages of `flashed` (the `messages` a template gets) that go beside a comment."""
    notices = {}
    for message in flashed or ():
        tags = message.extra_tags.split()
        if BESIDE in tags:
            notices[int(tags[-1].removeprefix("c"))] = message
    return notices
