"""A reader and a moderator use the real site in headless Chromium."""

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.devices import PHONE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ARTICLE_PATH = "/articles/mexico-rejects-us-intervention/"


@pytest.fixture
def moderator_login(live_server):
    user = User.objects.create_user(
        "maria", "maria@example.com", "moderate-with-care-42", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Moderators"))
    return {"username": "maria", "password": "moderate-with-care-42"}


def post_reply(page, *, name: str, email: str, body: str) -> None:
    # The text first: with JavaScript the name and email are asked once it is written.
    page.get_by_role("textbox", name="Your reply").fill(body)
    page.get_by_role("textbox", name="Your name").fill(name)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("button", name="Post reply").click()


def test_a_reply_is_posted_approved_and_answered(
    new_page, live_server, moderator_login, screenshot
):
    page = new_page()
    page.goto(live_server.url + ARTICLE_PATH)
    screenshot(page, "article-desktop")

    post_reply(
        page, name="Ana Torres", email="ana@example.com", body="Follow the money across the border."
    )

    # With JavaScript the reply is posted in place and the news comes at the form.
    expect(page.locator("#composer-status")).to_contain_text("awaits moderation")
    mine = page.locator(".comment", has_text="Follow the money across the border.")
    assert "Awaiting moderation" in mine.inner_text()

    # A moderator approves it from the pending queue in the admin.
    desk = new_page()
    desk.goto(live_server.url + "/admin/")
    desk.get_by_label("Username").fill(moderator_login["username"])
    desk.get_by_label("Password").fill(moderator_login["password"])
    desk.get_by_role("button", name="Log in").click()
    desk.goto(live_server.url + "/admin/comments/comment/")
    desk.get_by_role("link", name="1 comment awaits moderation").click()
    screenshot(desk, "admin-queue-desktop")
    waiting = desk.locator(".queue-item", has_text="Follow the money across the border.")
    waiting.get_by_role("button", name="Approve").click()
    assert "1 comment is now approved" in desk.locator(".messagelist").inner_text()

    # Another reader, on a phone, now sees it published and answers it.
    phone = new_page(viewport=PHONE, javascript=False)
    phone.goto(live_server.url + ARTICLE_PATH)
    published = phone.locator(".comment", has_text="Follow the money across the border.")
    assert "Awaiting moderation" not in published.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    published.get_by_role("link", name="Reply").click()
    post_reply(phone, name="Luis", email="luis@example.com", body="And stop the guns going south.")
    screenshot(phone, "thread-phone-after-reply")

    reply = Comment.objects.get(author_name="Luis")
    assert reply.parent == Comment.objects.get(author_name="Ana Torres")
    nested = phone.locator(".replies .comment", has_text="And stop the guns going south.")
    assert "Awaiting moderation" in nested.inner_text()

    # The first reader does not see Luis's reply until it is approved.
    page.reload()
    assert page.locator(".comment", has_text="And stop the guns going south.").count() == 0
