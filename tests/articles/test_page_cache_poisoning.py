"""No reader's text can pass for the placeholders that each response of a cached page fills in."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from articles.page_cache import CSRF_PLACEHOLDER, FORM_STAMP_PLACEHOLDER
from comments.models import Comment
from comments.services import comment_moderate
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

READERS_TEXT = (
    f"Copied from a page's source: {CSRF_PLACEHOLDER} and {FORM_STAMP_PLACEHOLDER}, "
    f"twice: {CSRF_PLACEHOLDER}{FORM_STAMP_PLACEHOLDER}."
)


def shown_text(page: str, comment: Comment) -> str:
    """The body of `comment` as a reader sees it on `page`."""
    body = re.search(
        rf'<article id="c{comment.pk}".*?<div class="comment-body"[^>]*>(.*?)</div>', page, re.S
    )[1]
    return html.unescape(re.sub(r"</?p>", "", body))


def test_a_reply_holding_the_placeholders_is_shown_exactly_as_written(
    article, moderator, django_capture_on_commit_callbacks
):
    comment = make_comment(article=article, status="pending", body=READERS_TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=comment, status=Comment.Status.APPROVED, by=moderator)
    thread_url = reverse("comments:thread", kwargs={"pk": comment.pk})

    for url in [article.get_absolute_url(), thread_url]:
        drawn = Client().get(url)
        cached = Client().get(url)

        assert not cached.templates
        for response in (drawn, cached):
            page = response.content.decode()
            assert shown_text(page, comment) == READERS_TEXT
            assert CSRF_PLACEHOLDER not in page and FORM_STAMP_PLACEHOLDER not in page


def test_its_author_sees_it_exactly_as_written_too(client, article, returning_reader_key):
    comment = make_comment(
        article=article, status="pending", reader_key=returning_reader_key, body=READERS_TEXT
    )

    page = client.get(article.get_absolute_url()).content.decode()

    assert shown_text(page, comment) == READERS_TEXT


@pytest.mark.parametrize("placeholder", [CSRF_PLACEHOLDER, FORM_STAMP_PLACEHOLDER])
def test_no_escaped_text_can_hold_a_placeholder(placeholder):
    assert placeholder not in escape(placeholder)
    assert placeholder not in html.escape(placeholder)
    assert placeholder not in escape(f"x{placeholder}{placeholder[1:]}>{placeholder}")
