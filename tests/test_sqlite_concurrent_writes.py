"""SQLite, the embedded default (`make run`, laptops), takes concurrent posts and decisions.

50 readers post at once while a moderator at two desks decides earlier replies: every
reply and every decision is stored, and nobody is answered 503 "database is
locked". The site runs under gunicorn with threads, on a database file of its
own (the suite's SQLite test database lives in memory, out of other
processes' reach).
"""

import sqlite3
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from tests.servers import ROOT, Reader, gunicorn, site_environment

POSTERS = 50
DECISIONS_PER_MODERATOR = 5
MODERATORS = 2
SLUG = "mexico-rejects-us-intervention"
PASSWORD = "a-long-password-1"


@pytest.fixture
def database(tmp_path) -> Path:
    return tmp_path / "forum.sqlite3"


@pytest.fixture
def environment(database) -> dict[str, str]:
    return site_environment(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_DEBUG="0",
        # One address sends everything here: the limits must not be what is tried.
        COMMENTS_RATE_POSTS_PER_IP="1000000/600",
        MODERATOR_PASSWORD=PASSWORD,
    )


def manage(environment: dict[str, str], *args: str) -> None:
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture
def site(environment, tmp_path):
    """The site under gunicorn on its SQLite file: 2 workers of 8 threads, 16 requests at once."""
    manage(environment, "migrate", "--no-input")
    manage(environment, "createmoderator", "maria", "--no-input")
    with gunicorn(
        {**environment, "GUNICORN_THREADS": "8"}, workers=2, log=tmp_path / "gunicorn.log"
    ) as url:
        yield url


def post_reply(site: str, body: str, email: str) -> int:
    reader = Reader(site)
    action = reverse("comments:create", args=[SLUG])
    hidden = reader.form(f"/articles/{SLUG}/", action=action)
    fields = {**hidden, "author_name": "Ana Torres", "author_email": email, "body": body}
    return reader.post(action, fields).status


def desk(site: str, username: str = "maria") -> Reader:
    moderator = Reader(site)
    hidden = moderator.form("/admin/login/", action="/admin/login/")
    signed_in = moderator.post(
        "/admin/login/", {**hidden, "username": username, "password": PASSWORD}
    )
    assert signed_in.status == 302, signed_in.text[:500]
    return moderator


def approve(moderator: Reader, comment_id: int) -> int:
    change = f"/admin/comments/comment/{comment_id}/change/"
    hidden = moderator.form(change, action="")
    return moderator.post(change, {**hidden, "_approve": "Approve"}).status


def rows(database: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(sql, params).fetchall()


def test_fifty_concurrent_posts_and_decisions_are_all_stored(site, database):
    run = uuid.uuid4().hex[:8]
    to_decide = [
        post_reply(site, f"Earlier reply {n} of run {run}.", f"earlier{n}@example.com")
        for n in range(MODERATORS * DECISIONS_PER_MODERATOR)
    ]
    pending = [
        comment_id
        for (comment_id,) in rows(
            database, "SELECT id FROM comments_comment WHERE status = 'pending' ORDER BY id"
        )
    ]
    # The same moderator at two desks, each signed in on its own.
    desks = [desk(site) for _ in range(MODERATORS)]
    statuses: list[tuple[str, int]] = []
    failures: list[BaseException] = []
    start = threading.Barrier(POSTERS + MODERATORS, timeout=60)

    def poster(number: int) -> None:
        try:
            start.wait()
            body = f"Reply of poster {number} in run {run}: trade and intelligence."
            statuses.append(("post", post_reply(site, body, f"poster{number}@example.com")))
        except BaseException as error:
            failures.append(error)

    def moderator(number: int) -> None:
        try:
            start.wait()
            mine = pending[number::MODERATORS]
            statuses.extend(("decision", approve(desks[number], pk)) for pk in mine)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=poster, args=(n,)) for n in range(POSTERS)]
    threads += [threading.Thread(target=moderator, args=(n,)) for n in range(MODERATORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not failures, failures[:3]
    assert to_decide == [302] * MODERATORS * DECISIONS_PER_MODERATOR
    assert len(pending) == MODERATORS * DECISIONS_PER_MODERATOR
    assert sorted(statuses) == sorted(
        [("post", 302)] * POSTERS + [("decision", 302)] * MODERATORS * DECISIONS_PER_MODERATOR
    )
    stored = rows(database, "SELECT count(*) FROM comments_comment WHERE body LIKE ?", "%poster%")
    assert stored == [(POSTERS,)]
    decided = rows(
        database,
        "SELECT count(*) FROM comments_moderationdecision d JOIN comments_comment c"
        " ON c.id = d.comment_id WHERE d.to_status = 'approved' AND c.status = 'approved'",
    )
    assert decided == [(len(pending),)]
