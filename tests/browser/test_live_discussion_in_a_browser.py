"""Replies published while readers keep the article open, in headless Chromium: two readers
and a moderator in three browsers. The moderator approves from the queue; both readers are
told within 5 seconds and see the reply after "Show", in its thread, without the page
moving under them. A rejected reply never appears; a reply taken away goes; with the live
channel blocked the page still works."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.devices import PHONE
from tests.browser.sessions import sign_in
from tests.factories import make_comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUEUE = reverse("admin:comments_comment_queue")
TOLD_WITHIN = 5_000  # ms: the notice comes within 5 s of the approval.


@pytest.fixture(autouse=True)
def pages_ask_every_second(settings):
    settings.COMMENTS_LIVE_POLL_SECONDS = 1


@pytest.fixture
def desk(new_page, live_server, moderator):
    page = sign_in(new_page(), moderator, live_server)
    return page


def decide_in_queue(desk, live_server, body: str, button: str) -> None:
    desk.goto(live_server.url + QUEUE)
    item = desk.locator(".queue-item", has_text=body)
    if button == "Reject":
        item.get_by_label("Reason").select_option("personal_attack")
    item.get_by_role("button", name=button, exact=True).first.click()
    expect(desk.locator(".messagelist")).to_be_visible()


def test_both_readers_are_told_of_an_approved_reply_and_see_it_in_its_thread(
    new_page, desk, live_server, article, screenshot
):
    opener = make_comment(article=article, body="Shared intelligence, under Mexican command.")
    for number in range(12):
        make_comment(article=article, parent=opener, body=f"Earlier answer {number}.")
    ana = new_page()
    luis = new_page(viewport=PHONE, language="es")
    for reader in (ana, luis):
        reader.goto(live_server.url + article.get_absolute_url())
        expect(reader.locator(f"#c{opener.pk}")).to_be_visible()
    pending = make_comment(
        article=article,
        parent=opener,
        status=Comment.Status.PENDING,
        body="Joint audits of the border banks.",
    )
    # Ana is reading the thread's last reply; what she reads must stay where it is.
    last = ana.locator(".comment-body", has_text="Earlier answer 11.")
    last.scroll_into_view_if_needed()
    before = last.bounding_box()["y"]

    decide_in_queue(desk, live_server, "Joint audits of the border banks.", "Approve")

    expect(ana.get_by_role("status").filter(has_text="1 new reply")).to_be_visible(
        timeout=TOLD_WITHIN
    )
    expect(luis.get_by_role("status").filter(has_text="1 respuesta nueva")).to_be_visible(
        timeout=TOLD_WITHIN
    )
    # Told, not shown: nothing moved yet.
    expect(ana.locator(f"#c{pending.pk}")).to_have_count(0)
    # What the reader on the phone has on the screen: the notice above the thread.
    luis.locator(f"#c{opener.pk}").scroll_into_view_if_needed()
    luis.screenshot(path=str(screenshot.directory / "live-notice-phone-es.png"))

    ana.get_by_role("button", name="Show").click()
    reply = ana.locator(f"#thread-{opener.pk} #c{pending.pk}")
    expect(reply).to_contain_text("Joint audits of the border banks.")
    assert abs(last.bounding_box()["y"] - before) <= 2
    expect(ana.locator(".live-notice")).to_be_hidden()
    expect(ana.get_by_text("1 new reply added.")).to_be_attached()
    # Its time is written in the reader's words, as the page's others are.
    expect(reply.locator("time")).to_have_attribute("title", re.compile(r"\d"))
    luis.get_by_role("button", name="Mostrar").click()
    expect(luis.locator(f"#c{pending.pk}")).to_be_visible()
    # The reply's own links work in place: Reply opens its form under it.
    ana.locator(f"#c{pending.pk}").get_by_role("link", name="Reply").click()
    expect(ana.locator(f"#c{pending.pk} .reply-slot textarea")).to_be_visible()
    ana.screenshot(path=str(screenshot.directory / "live-reply-shown.png"))


def test_a_new_thread_goes_to_the_top_and_a_rejected_reply_never_appears(
    new_page, desk, live_server, article
):
    make_comment(article=article, body="An older thread.")
    rejected = make_comment(
        article=article, status=Comment.Status.PENDING, body="Everyone here is an idiot."
    )
    welcome = make_comment(
        article=article, status=Comment.Status.PENDING, body="Extradition with Mexican judges."
    )
    reader = new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    seen: list[str] = []

    def read(response):
        # 304s carry nothing: only the answers that say what changed.
        if "/live/" in response.url and response.status == 200:
            seen.append(response.text())

    reader.on("response", read)

    decide_in_queue(desk, live_server, "Everyone here is an idiot.", "Reject")
    decide_in_queue(desk, live_server, "Extradition with Mexican judges.", "Approve")

    expect(reader.get_by_role("status").filter(has_text="1 new reply")).to_be_visible(
        timeout=TOLD_WITHIN
    )
    reader.get_by_role("button", name="Show").click()
    expect(reader.locator("#comment-list > li.thread").first).to_have_id(f"thread-{welcome.pk}")
    expect(reader.locator("main")).not_to_contain_text("Everyone here is an idiot.")
    assert seen and not any("Everyone here is an idiot." in text for text in seen)
    assert not any(f'data-id="{rejected.pk}"' in text for text in seen)


def test_a_reply_taken_away_goes_from_open_pages(new_page, live_server, article, moderator):
    opener = make_comment(article=article)
    alone, answered = (
        make_comment(article=article, parent=opener, status=Comment.Status.PENDING)
        for _ in range(2)
    )
    for reply in (alone, answered):
        reply.decide(Comment.Status.APPROVED, by=moderator)
    answer = make_comment(article=article, parent=answered, body="An answer that stays.")
    reader = new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    expect(reader.locator(f"#c{alone.pk}")).to_be_visible()

    for reply in (alone, answered):
        reply.decide(Comment.Status.REJECTED, by=moderator, reason="personal_attack")

    expect(reader.locator(f"#c{alone.pk}")).to_have_count(0, timeout=TOLD_WITHIN)
    expect(reader.locator(f"#c{answered.pk}")).to_have_count(0)
    # A reply with answers of its own leaves its place to them, as the pages show it.
    expect(reader.locator(f"#thread-{opener.pk} .comment-removed")).to_have_text(
        "This comment is not available."
    )
    expect(reader.locator(f"#c{answer.pk}")).to_contain_text("An answer that stays.")
    expect(reader.locator(f"#c{opener.pk}")).to_be_visible()


def test_with_the_live_channel_blocked_the_page_still_works(
    new_page, live_server, article, valid_reply
):
    opener = make_comment(article=article, body="A thread to answer.")
    reader = new_page()
    blocked: list[str] = []

    def refuse(route):
        blocked.append(route.request.url)
        route.abort()

    reader.route(re.compile(r".*/live/.*"), refuse)
    reader.goto(live_server.url + article.get_absolute_url())
    reader.wait_for_timeout(2_500)

    assert blocked, "the page never asked"
    reader.locator(f"#c{opener.pk}").get_by_role("link", name="Reply").click()
    form = reader.locator(f"#c{opener.pk} .reply-slot form")
    form.get_by_role("textbox", name="Your reply").fill("Still works without the live channel.")
    form.get_by_role("textbox", name="Your name").fill(valid_reply["author_name"])
    form.get_by_role("textbox", name="Email").fill(valid_reply["author_email"])
    form.get_by_role("button", name="Post reply").click()
    expect(reader.locator(f"#thread-{opener.pk}")).to_contain_text(
        "Still works without the live channel."
    )
    expect(reader.locator(".live-notice")).to_be_hidden()


def test_without_javascript_nothing_is_asked(new_page, live_server, article):
    make_comment(article=article)
    reader = new_page(javascript=False)
    asked: list[str] = []
    reader.on("request", lambda request: asked.append(request.url))

    reader.goto(live_server.url + article.get_absolute_url())
    reader.wait_for_timeout(1_500)

    # The page says where to ask, as with JavaScript; without it, nothing asks.
    expect(reader.locator("[data-live]")).to_have_count(1)
    assert not [url for url in asked if "/live/" in url]
    expect(reader.locator(".live-notice")).to_have_count(0)


def test_a_thread_and_a_reply_to_it_approved_together_are_both_shown(
    new_page, live_server, article, moderator
):
    make_comment(article=article, body="An older thread.")
    reader = new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    opener = make_comment(article=article, status=Comment.Status.PENDING, body="A new thread.")
    reply = make_comment(
        article=article, parent=opener, status=Comment.Status.PENDING, body="Its first answer."
    )

    for comment in (opener, reply):
        comment.decide(Comment.Status.APPROVED, by=moderator)

    expect(reader.get_by_role("status").filter(has_text="2 new replies")).to_be_visible(
        timeout=TOLD_WITHIN
    )
    reader.get_by_role("button", name="Show").click()
    expect(reader.locator(f"#thread-{opener.pk} #c{reply.pk}")).to_contain_text("Its first answer.")
    expect(reader.locator("#comment-list > li.thread").first).to_have_id(f"thread-{opener.pk}")


def test_a_comment_taken_away_then_brought_back_takes_its_place_again(
    new_page, live_server, article, moderator
):
    opener = make_comment(article=article)
    answered = make_comment(
        article=article, parent=opener, status=Comment.Status.PENDING, body="Back again."
    )
    answered.decide(Comment.Status.APPROVED, by=moderator)
    make_comment(article=article, parent=answered, body="An answer that stays.")
    reader = new_page()
    reader.goto(live_server.url + article.get_absolute_url())

    answered.decide(Comment.Status.REJECTED, by=moderator, reason="personal_attack")
    expect(reader.locator(f"#c{answered.pk}")).to_have_count(0, timeout=TOLD_WITHIN)
    answered.decide(Comment.Status.APPROVED, by=moderator)

    expect(reader.get_by_role("status").filter(has_text="1 new reply")).to_be_visible(
        timeout=TOLD_WITHIN
    )
    reader.get_by_role("button", name="Show").click()
    expect(reader.locator(f"#c{answered.pk}")).to_have_count(1)
    expect(reader.locator(f"#thread-{opener.pk} .comment-removed")).to_have_count(0)
    # In its place, above the reply to it.
    expect(reader.locator(f"#c{answered.pk} + ol.replies")).to_contain_text("An answer that stays.")
