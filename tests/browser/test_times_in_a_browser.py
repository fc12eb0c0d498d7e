"""The browser says how long ago each comment was written, in the page's language; the page
itself, cached for up to a day, carries only the exact time, which stays without JavaScript."""

from datetime import timedelta

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


@pytest.mark.parametrize(("language", "words"), [("en", "3 minutes ago"), ("es", "hace 3 minutos")])
def test_with_javascript_a_comment_says_how_long_ago_it_was_written(
    new_page, live_server, answer, language, words
):
    page = new_page(language=language)
    page.goto(live_server.url + ARTICLE_PATH)

    time = page.locator(f"#c{answer.pk} time")
    expect(time).to_have_text(words)
    expect(time).to_have_attribute("title", exact_time(answer, language))


def test_without_javascript_the_exact_time_stays(new_page, live_server, answer):
    page = new_page(javascript=False)
    page.goto(live_server.url + ARTICLE_PATH)

    expect(page.locator(f"#c{answer.pk} time")).to_have_text(exact_time(answer, "en"))


def test_threads_added_in_place_say_it_too(new_page, live_server, article):
    oldest = make_comment(article=article, created=timezone.now() - timedelta(hours=2, minutes=5))
    for _ in range(20):
        make_comment(article=article)
    page = new_page()
    page.goto(live_server.url + ARTICLE_PATH)

    page.get_by_role("link", name="Show more threads").click()

    expect(page.locator(f"#c{oldest.pk} time")).to_have_text("2 hours ago")
