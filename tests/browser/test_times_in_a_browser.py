"""The browser says how long ago each comment was written, in the page's language; the page
itself, cached for up to a day, carries only the exact time, which stays without JavaScript."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from comments.moments import Moments
from tests.factories import make_comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE_PATH = "/articles/mexico-rejects-us-intervention/"


@pytest.fixture
def answer(article):
    # Three and a half minutes: three whole minutes, however long the test takes to look.
    return make_comment(article=article, created=timezone.now() - timedelta(seconds=210))


def exact_time(comment, language: str) -> str:
    with translation.override(language):
        return Moments().exact(comment.created)


@pytest.mark.parametrize(
    ("language", "clock", "words"),
    [("en", "%-I:%M", "CST · 3 minutes ago"), ("es", "%H:%M", "GMT-6 · hace 3 minutos")],
)
def test_with_javascript_a_comment_gives_the_readers_own_time_and_how_long_ago(
    browser, live_server, answer, language, clock, words
):
    # A reader in Mexico City, whatever the site's time zone.
    context = browser.new_context(
        locale=language,
        timezone_id="America/Mexico_City",
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    page.goto(live_server.url + ARTICLE_PATH)

    time = page.locator(f"#c{answer.pk} time")
    local = answer.created.astimezone(ZoneInfo("America/Mexico_City"))
    expect(time).to_have_text(re.compile(rf"{local:{clock}}\s?(AM|PM)? {words}$"))
    expect(time).to_have_attribute("title", re.compile("Central|central|CST|México|Mexico"))
    context.close()


def test_without_javascript_the_exact_time_stays_with_the_sites_zone(new_page, live_server, answer):
    page = new_page(javascript=False)
    page.goto(live_server.url + ARTICLE_PATH)

    expect(page.locator(f"#c{answer.pk} time")).to_have_text(exact_time(answer, "en"))
    assert exact_time(answer, "en").endswith(" UTC")


def test_threads_added_in_place_say_it_too(new_page, live_server, article):
    oldest = make_comment(article=article, created=timezone.now() - timedelta(hours=2, minutes=5))
    for _ in range(20):
        make_comment(article=article)
    page = new_page()
    page.goto(live_server.url + ARTICLE_PATH)

    page.get_by_role("link", name="Show more threads").click()

    expect(page.locator(f"#c{oldest.pk} time")).to_have_text(re.compile(r" · 2 hours ago$"))
