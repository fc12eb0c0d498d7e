"""Scale out: two app servers, as behind a load balancer, sharing one PostgreSQL database and one
Redis and nothing else. Whatever a reader or a moderator does through one is what every other
shows: pages, sessions, rate limits. Each serves the static files itself, hashed and compressed.
"""

import time

import pytest
from django.urls import reverse

from comments.models import Comment
from tests.conftest import TWO_SERVERS_EMAIL_LIMIT as EMAIL_LIMIT
from tests.servers import Reader

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def post_reply(server: str, article, **fields) -> int:
    reader = Reader(server)
    action = reverse("comments:create", args=[article.slug])
    hidden = reader.form(article.get_absolute_url(), action=action)
    return reader.post(action, {**hidden, "author_name": "Ana Torres", **fields}).status


def shows(server: str, article, text: str) -> bool:
    """Whether an anonymous reader of `server` (the page everyone gets) sees `text`."""
    page = Reader(server).get(article.get_absolute_url())
    assert page.status == 200
    return text in page.text


def test_a_reply_approved_on_one_servers_admin_is_shown_by_both(servers, article, moderator_on):
    one, two = servers
    body = "Shared financial intelligence, and courts that can convict."
    # Both have the article page in the shared cache before anything changes.
    assert not shows(one, article, body)
    assert not shows(two, article, body)

    posted = post_reply(one, article, author_email="ana@example.com", body=body)
    comment = Comment.objects.get(body=body)
    pending_hidden = not shows(one, article, body) and not shows(two, article, body)
    desk = moderator_on(two)
    change = f"/admin/comments/comment/{comment.pk}/change/"
    hidden = desk.form(change, action="")
    decided = desk.post(change, {**hidden, "_approve": "Approve"})
    # Each shows it once the approval has committed: waited for, not timed (how long the
    # servers take is measured by make bench-drawings, under a load of its own).
    approved = time.monotonic()
    seen = {one: False, two: False}
    while not all(seen.values()) and time.monotonic() - approved < 30:
        for server in (one, two):
            seen[server] = seen[server] or shows(server, article, body)

    assert posted == 302
    assert pending_hidden
    assert decided.status == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert all(seen.values()), seen


def test_a_moderator_signed_in_on_one_server_is_signed_in_on_the_other(servers, moderator_on):
    one, two = servers
    desk = moderator_on(one)
    desk.base_url = two

    queue = desk.get("/admin/comments/comment/?queue=pending")

    assert queue.status == 200
    assert "Log in" not in queue.text


def test_the_rate_limits_count_the_posts_sent_to_every_server(servers, article):
    one, two = servers
    email = "flood@example.com"

    statuses = [
        post_reply(server, article, author_email=email, body=f"Flooding, take {n}.")
        for n, server in enumerate([one, two, one, two, one])
    ]

    assert statuses == [302] * EMAIL_LIMIT + [429, 429]
    assert Comment.objects.filter(author_email=email).count() == EMAIL_LIMIT


def test_each_server_serves_the_static_files_hashed_compressed_and_cached_for_good(
    servers, article
):
    one, two = servers
    page = Reader(one).get(article.get_absolute_url()).text
    stylesheet = next(
        part.split('"')[0] for part in page.split('href="')[1:] if "/static/css/site." in part
    )

    response = Reader(two).get(stylesheet, headers={"Accept-Encoding": "gzip"})

    assert stylesheet != "/static/css/site.css"  # A name that carries its content's hash.
    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
