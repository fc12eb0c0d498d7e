"""Readers of one article on two app servers that share PostgreSQL and Redis, in two headless
Chromium browsers: a reply a moderator approves on one server's desk is announced on both
readers' open pages, and shown in place."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import make_comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.on_postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TOLD_WITHIN = 5_000  # ms


def test_a_reply_approved_on_one_server_is_announced_on_both(
    servers, new_page, article, moderator_on
):
    one, two = servers
    opener = make_comment(article=article, body="Shared intelligence, under Mexican command.")
    pending = make_comment(
        article=article,
        parent=opener,
        status=Comment.Status.PENDING,
        body="Joint audits of the border banks.",
    )
    readers = {server: new_page() for server in (one, two)}
    for server, reader in readers.items():
        reader.goto(server + article.get_absolute_url())
        expect(reader.locator(f"#c{opener.pk}")).to_be_visible()

    desk = moderator_on(one)
    change = reverse("admin:comments_comment_change", args=[pending.pk])
    decided = desk.post(change, {**desk.form(change, action=""), "_approve": "Approve"})

    assert decided.status == 302
    for reader in readers.values():
        expect(reader.get_by_role("status").filter(has_text="1 new reply")).to_be_visible(
            timeout=TOLD_WITHIN
        )
        reader.get_by_role("button", name="Show").click()
        expect(reader.locator(f"#thread-{opener.pk} #c{pending.pk}")).to_contain_text(
            "Joint audits of the border banks."
        )
