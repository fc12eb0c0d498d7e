"""Pages that are cached for up to a day say when comments were written as exact times only.

How long ago that was ("3 minutes ago") would be frozen into the cached copy;
the browser tells it instead (tests/browser/test_times_in_a_browser.py).
"""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_article, make_comment

pytestmark = pytest.mark.django_db

WRITTEN = datetime(2026, 11, 28, 18, 5, 3, 123456, tzinfo=UTC)
RELATIVE_WORDS = re.compile(r"\b(ago|just now)\b|\bhace \d|justo ahora")
MACHINE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@pytest.fixture
def reply(article):
    root = make_comment(article=article, created=WRITTEN, body="Written on a known day.")
    make_comment(article=article, parent=root, created=timezone.now() - timedelta(minutes=2))
    return root


def public_pages(article, reply) -> list[str]:
    return [
        article.get_absolute_url(),
        reverse("articles:home"),
        reverse("comments:thread", kwargs={"pk": reply.pk}),
    ]


@pytest.mark.parametrize(
    ("language", "exact"),
    [("en", "Nov. 28, 2026, 6:05 p.m. UTC"), ("es", "28 de noviembre de 2026, 18:05 UTC")],
)
def test_a_comment_shows_the_exact_time_it_was_written(article, reply, language, exact):
    for url in public_pages(article, reply):
        page = Client(headers={"Accept-Language": language}).get(url).content.decode()

        assert f'<time datetime="2026-11-28T18:05:03Z" data-relative>{exact}</time>' in page


@pytest.mark.parametrize("language", ["en", "es"])
def test_no_page_says_how_long_ago_a_comment_was_written(article, reply, language):
    for url in public_pages(article, reply):
        page = Client(headers={"Accept-Language": language}).get(url).content.decode()

        assert not RELATIVE_WORDS.search(page), RELATIVE_WORDS.search(page)


def test_every_datetime_attribute_is_utc_to_the_second(client, article, reply):
    make_article(published=WRITTEN)  # The home page lists the articles, with their dates.
    urls = public_pages(article, reply)

    attributes = [
        value
        for url in urls
        for value in re.findall(r'datetime="([^"]*)"', client.get(url).content.decode())
    ]

    assert attributes
    assert [value for value in attributes if not MACHINE_TIME.fullmatch(value)] == []


def test_every_template_writes_datetime_attributes_through_a_helper_that_drops_microseconds():
    # A datetime attribute written from a raw value (`isoformat()`, `|date:"c"`) would carry
    # microseconds, which HTML's time element does not allow.
    written_by_helpers = re.compile(
        r"\{\{ (shown\.written|screen\.moments\.machine\(c\.created\)|"
        r"article\.published\|utc\|date:'Y-m-d\\TH:i:s\\Z') \}\}"
    )
    templates = Path(settings.BASE_DIR) / "templates"
    attributes = [
        (path.name, value)
        for path in templates.rglob("*")
        if path.suffix in {".html", ".jinja", ".txt", ".xml"}
        for value in re.findall(r'datetime="([^"]*)"', path.read_text())
    ]

    assert attributes
    assert [(name, v) for name, v in attributes if not written_by_helpers.fullmatch(v)] == []


def test_pages_load_the_script_that_tells_how_long_ago_without_inline_code(client, article):
    page = client.get(article.get_absolute_url()).content.decode()

    # In the head, so that it writes the times before the page is first drawn.
    head = page.split("</head>", 1)[0]
    assert '<script src="/static/js/times.js"></script>' in head
    assert "<script>" not in page
