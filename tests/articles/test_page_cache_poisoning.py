"""The page cache cannot be flooded or poisoned.

Made-up query values name a page that exists, so they neither draw pages
nor store copies; a cached page holds nothing of the request that drew it;
and no reader's text can pass for the placeholders each response fills in.
"""

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from articles.page_cache import CSRF_PLACEHOLDER, FORM_STAMP_PLACEHOLDER
from comments.models import Comment
from moderation.decisions import comment_moderate
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

MADE_UP = 100


def made_up(parameter: str) -> list[str]:
    """A hundred values of `parameter` that no link on the site offers."""
    near_misses = {
        "page": ["0", "-1", "1.0", "1e3", "one", "٢٠", " 99 ", "2_000", "0x10", "+1000"],
        "sort": ["NEWEST", "Oldest", "supported ", "new", "-created", "", "sort", "a" * 300],
        "lang": ["EN", "es-MX", "en-us", "fr", "*", "es,en", "", "ES "],
        "mode": ["Domestic", "unilateral ", "all", "none", "multilateral,domestic", ""],
        "fragment": ["Threads", "threads ", "thread", "form", "all", ""],
    }[parameter]
    numbers = [str(1_000 + n) for n in range(30)] if parameter == "page" else []
    junk = [f"{parameter}-{n}<script>" for n in range(MADE_UP)]
    return (near_misses + numbers + junk)[:MADE_UP]


# Written with each page drawn, and no copy of anything: the lock its drawing
# takes (deleted once drawn) and the record of the latest version drawn.
BOOKKEEPING = ("drawing:", "page-latest:")


@contextmanager
def keys_stored() -> Iterator[set[str]]:
    """The keys written to the cache within the block, but a drawing's bookkeeping."""
    backend = caches["default"]
    stored: set[str] = set()

    def recording(operation):
        original = getattr(backend, operation)

        def write(key, *args, **kwargs):
            if not str(key).startswith(BOOKKEEPING):
                stored.add(key)
            return original(key, *args, **kwargs)

        return mock.patch.object(backend, operation, write)

    with recording("set"), recording("add"), recording("set_many"):
        yield stored


@pytest.fixture
def two_pages_of_threads(article, settings):
    settings.COMMENTS_THREADS_PER_PAGE = 2
    return [make_comment(article=article, body=f"Thread {n}.") for n in range(4)]


def page_urls(article, root) -> dict[str, str]:
    return {
        "article": article.get_absolute_url(),
        "home": reverse("articles:home"),
        "thread": reverse("comments:thread", kwargs={"pk": root.pk}),
        "board": reverse("board:board", kwargs={"slug": article.slug}),
    }


@pytest.mark.parametrize("parameter", ["page", "sort", "lang", "mode", "fragment", "utm_source"])
@pytest.mark.parametrize("page", ["article", "home", "thread", "board"])
def test_made_up_values_draw_and_store_at_most_one_page_beyond_the_canonical_one(
    article, two_pages_of_threads, page, parameter
):
    url = page_urls(article, two_pages_of_threads[0])[page]
    reader = Client()
    canonical = reader.get(url)
    assert canonical.status_code == 200
    values = made_up(parameter) if parameter != "utm_source" else made_up("sort")

    with keys_stored() as stored:
        responses = [reader.get(url, {parameter: value}) for value in values]

    assert len(values) == MADE_UP
    assert {response.status_code for response in responses} == {200}
    drawn = [response for response in responses if response.templates]
    assert len(drawn) <= 1, [response.request["QUERY_STRING"] for response in drawn]
    assert len(stored) <= 1, stored


def test_a_page_number_beyond_the_last_is_the_last_page(client, article, two_pages_of_threads):
    last = client.get(article.get_absolute_url(), {"page": "2"})

    beyond = client.get(article.get_absolute_url(), {"page": "1000"})

    assert "Thread 0." in last.content.decode()
    assert beyond["ETag"] == last["ETag"]
    assert beyond.content.decode().count('class="thread') == 2


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5"])
def test_a_page_number_that_is_not_a_page_is_the_first_page(
    client, article, two_pages_of_threads, value
):
    first = client.get(article.get_absolute_url())

    other = client.get(article.get_absolute_url(), {"page": value})

    assert other["ETag"] == first["ETag"]
    assert "Thread 3." in other.content.decode()


def test_a_readers_own_page_may_go_beyond_the_last_public_page(
    client, article, two_pages_of_threads, returning_reader_key
):
    make_comment(
        article=article, status="pending", reader_key=returning_reader_key, body="My own thread."
    )

    # The newest thread, last in this order: on a third page only its author has.
    page = client.get(article.get_absolute_url(), {"page": "3", "sort": "oldest"})

    assert "My own thread." in page.content.decode()


def next_of(response) -> str:
    return html.unescape(re.search(r'name="next" value="([^"]*)"', response.content.decode())[1])


def test_a_cached_page_holds_nothing_of_the_request_that_drew_it(article, two_pages_of_threads):
    url = article.get_absolute_url()
    first = Client().get(url, {"sort": "oldest", "utm_campaign": "visitor-one-secret"})

    second = Client().get(url, {"sort": "oldest"})

    assert not second.templates  # The copy the first visitor drew.
    assert "visitor-one-secret" not in first.content.decode()
    assert "visitor-one-secret" not in second.content.decode()
    assert next_of(second) == url + "?sort=oldest"


@pytest.mark.parametrize(
    ("query", "address"),
    [
        ({}, ""),
        ({"page": "abc", "sort": "bogus", "lang": "xx", "ref": "a"}, ""),
        ({"page": "1000", "sort": "oldest", "lang": "en"}, "?page=2&sort=oldest&lang=en"),
    ],
)
def test_the_language_switch_returns_to_the_page_drawn_not_to_the_query_asked(
    client, article, two_pages_of_threads, query, address
):
    response = client.get(article.get_absolute_url(), query)

    assert next_of(response) == article.get_absolute_url() + address


def test_a_thread_and_the_board_return_to_their_own_addresses(
    client, article, two_pages_of_threads
):
    root = two_pages_of_threads[0]
    thread = client.get(f"/comments/000{root.pk}/thread/", {"page": "9", "x": "y"})
    board = client.get(
        reverse("board:board", kwargs={"slug": article.slug}), {"mode": "domestic", "x": "y"}
    )

    assert next_of(thread) == reverse("comments:thread", kwargs={"pk": root.pk})
    assert next_of(board) == reverse("board:board", kwargs={"slug": article.slug}) + (
        "?mode=domestic"
    )


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
