"""The browser says how long ago each comment was written, in the page's language; the page
itself, cached for up to a day, carries only the exact time, which stays without JavaScript."""

import re
from datetime import timedelta
from time import sleep as pause
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from comments.moments import Moments
from tests.browser.devices import PHONE
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
    [("en", "%-I:%M", "CST · 3 minutes ago"), ("es", "%-H:%M", "GMT-6 · hace 3 minutos")],
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


# Every layout shift of the page from its start, as Lighthouse adds them up into CLS.
RECORD_SHIFTS = """
window.layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShifts.push(entry.value);
  }
}).observe({type: "layout-shift", buffered: true});
"""


@pytest.fixture
def thread_of_many_names(article):
    """A thread whose repliers' names run from short to long, so that some comments' first
    lines (name and time) end near a phone's width, where a time written longer or shorter
    moves the line break."""
    root = make_comment(article=article, created=timezone.now() - timedelta(days=3))
    for n in range(16):
        make_comment(
            article=article,
            parent=root,
            author_name="Ana" + " de la Garza" * (n % 4) + f" {n}",
            created=timezone.now() - timedelta(days=2, minutes=-7 * n),
        )
    return root


def test_the_times_the_browser_writes_do_not_move_the_thread_on_a_phone(
    browser, live_server, thread_of_many_names
):
    context = browser.new_context(
        viewport=PHONE,
        locale="es",
        timezone_id="America/Mexico_City",
        extra_http_headers={"Accept-Language": "es"},
    )
    page = context.new_page()
    page.add_init_script(RECORD_SHIFTS)
    # The script that writes the times arrives late, as it may on a phone's network.
    page.route("**/js/times.js", lambda route: (pause(0.8), route.continue_()))

    page.goto(live_server.url + reverse("comments:thread", args=[thread_of_many_names.pk]))

    expect(page.locator("time").first).to_have_text(re.compile(r" · hace 3 días$"))
    assert sum(page.evaluate("window.layoutShifts")) < 0.1
    context.close()
