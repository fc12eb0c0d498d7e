"""Readers of one article on two app servers that share PostgreSQL and Redis, in two headless
Chromium browsers: a reply a moderator approves on one server's desk is announced on both
readers' open pages, and shown in place; by pages that ask every second, and by pages the
servers send the changes to (LIVE_STREAMS), which then never ask, unless the connection
the changes come over is cut."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from tests.factories import make_article, make_comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.on_postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TOLD_WITHIN = 5_000  # ms


@pytest.fixture
def article(db):
    """An article of this test's own. The database is emptied and filled again after each
    test, and the shipped article would come back at the same version, which the servers'
    caches, kept from test to test, hold the previous test's pages of."""
    return make_article()


ASKED = re.compile(r"/live/\?")


def a_reply_waiting(article, *, opener: str, reply: str) -> tuple[Comment, Comment]:
    """A published opener and a reply to it awaiting moderation."""
    first = make_comment(article=article, body=opener)
    waiting = make_comment(article=article, parent=first, status=Comment.Status.PENDING, body=reply)
    return first, waiting


def approve_on_the_desk(desk, comment: Comment):
    """A moderator approves `comment` from its page in one server's admin."""
    change = reverse("admin:comments_comment_change", args=[comment.pk])
    return desk.post(change, {**desk.form(change, action=""), "_approve": "Approve"})


@pytest.mark.parametrize("told", ["asking", "sent"])
def test_a_reply_approved_on_one_server_is_announced_on_both(
    request, new_page, article, moderator_on, told
):
    one, two = request.getfixturevalue("servers" if told == "asking" else "streaming_servers")
    opener, pending = a_reply_waiting(
        article,
        opener="Shared intelligence, under Mexican command.",
        reply="Joint audits of the border banks.",
    )
    readers = {server: new_page() for server in (one, two)}
    asked: list[str] = []
    for server, reader in readers.items():
        reader.on("request", lambda sent: asked.append(sent.url))
        reader.goto(server + article.get_absolute_url())
        expect(reader.locator(f"#c{opener.pk}")).to_be_visible()

    decided = approve_on_the_desk(moderator_on(one), pending)

    assert decided.status == 302
    for reader in readers.values():
        expect(reader.get_by_role("status").filter(has_text="1 new reply")).to_be_visible(
            timeout=TOLD_WITHIN
        )
        reader.get_by_role("button", name="Show").click()
        expect(reader.locator(f"#thread-{opener.pk} #c{pending.pk}")).to_contain_text(
            "Joint audits of the border banks."
        )
    if told == "sent":
        # Told over the connection each page holds: neither asked.
        assert not [url for url in asked if ASKED.search(url)]


@pytest.mark.parametrize("cut", ["refused", "unreachable", "silent"])
def test_with_the_stream_cut_the_page_asks_instead(
    streaming_servers, new_page, article, moderator_on, cut
):
    one, _ = streaming_servers
    opener, pending = a_reply_waiting(
        article,
        opener="Extradition, with Mexican judges.",
        reply="Tracing the guns sold north of the border.",
    )
    reader = new_page()
    cuts = {
        # As the servers answer when their Redis is down.
        "refused": lambda route: route.fulfill(status=503, body=""),
        "unreachable": lambda route: route.abort(),
        # A network that holds the connection and never answers.
        "silent": lambda route: None,
    }
    reader.route(re.compile(r".*/live/stream/.*"), cuts[cut])
    reader.goto(one + article.get_absolute_url())
    expect(reader.locator(f"#c{opener.pk}")).to_be_visible()

    assert approve_on_the_desk(moderator_on(one), pending).status == 302

    # Refused or unreachable, it asks at once; silent, once the connection had 10 s to open.
    expect(reader.get_by_role("status").filter(has_text="1 new reply")).to_be_visible(
        timeout=10_000 + TOLD_WITHIN if cut == "silent" else TOLD_WITHIN
    )
