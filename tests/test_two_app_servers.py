"""Scale out: two app servers, as behind a load balancer, sharing one PostgreSQL database and one
Redis and nothing else. Whatever a reader or a moderator does through one is what every other
shows: pages, sessions, rate limits. Each serves the static files itself, hashed and compressed.
"""

import subprocess
import sys
import time

import pytest
from django.conf import global_settings
from django.urls import reverse

from comments.models import Comment
from tests.factories import make_moderator
from tests.servers import (
    ROOT,
    Reader,
    gunicorn,
    production_environment,
    redis_key_prefix,
    require_postgresql,
    require_redis,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-long-password-1"  # make_moderator's
EMAIL_LIMIT = 3


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory):
    """Two gunicorn instances on two ports, with production's static files and one Redis.

    Started once for these tests: each test's data is its own (the database is
    emptied after each), and they use texts and addresses of their own.
    """
    require_postgresql("Two app servers sharing a database")
    require_redis()
    tmp_path = tmp_path_factory.mktemp("two-app-servers")
    with redis_key_prefix() as prefix:
        # Every app server signs with the environment's one key: a session started
        # on one is valid on the other.
        environment = production_environment(
            prefix,
            DJANGO_STATIC_MANIFEST="1",
            DJANGO_STATIC_ROOT=str(tmp_path / "static"),
            COMMENTS_RATE_POSTS_PER_IP="1000/600",
            COMMENTS_RATE_POSTS_PER_EMAIL=f"{EMAIL_LIMIT}/600",
        )
        collected = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert collected.returncode == 0, collected.stderr
        with (
            gunicorn(environment, workers=2, log=tmp_path / "one.log") as one,
            gunicorn(environment, workers=2, log=tmp_path / "two.log") as two,
        ):
            yield one, two


@pytest.fixture
def moderator_on(settings):
    # Hashed as the servers hash passwords (the suite's own hasher is a fast one).
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    moderator = make_moderator()

    def log_in(server: str) -> Reader:
        desk = Reader(server)
        hidden = desk.form("/admin/login/", action="/admin/login/")
        answer = desk.post(
            "/admin/login/", {**hidden, "username": moderator.username, "password": PASSWORD}
        )
        assert answer.status == 302, answer.text[:500]
        return desk

    return log_in


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


def test_a_reply_approved_on_one_servers_admin_is_shown_by_both_within_a_second(
    servers, article, moderator_on
):
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
    approved = time.monotonic()
    seen = {one: None, two: None}
    while None in seen.values() and time.monotonic() - approved < 1:
        for server in (one, two):
            if seen[server] is None and shows(server, article, body):
                seen[server] = time.monotonic() - approved

    assert posted == 302
    assert pending_hidden
    assert decided.status == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert all(delay is not None and delay < 1 for delay in seen.values()), seen


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
