"""With the embedded default cache (no REDIS_URL, each process keeps its own), a change made by
another process — a management command, cron, a second server — is on the running server's very
next page, though that server had the old page in its cache.
"""

import subprocess
import sys

import pytest
from django.core.management.utils import get_random_secret_key
from django.db import connection

from tests.servers import ROOT, Reader, gunicorn, live_database_url, site_environment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTICLE = "/articles/mexico-rejects-us-intervention/"
ERASED = "Words of a commenter who will ask to be forgotten."
WAITING = "Words a moderator approves from the command line."

WRITE_DISCUSSION = f"""
from articles.models import Article
from tests.factories import make_comment
article = Article.objects.get(slug="mexico-rejects-us-intervention")
make_comment(article=article, body={ERASED!r}, author_email="forget-me@example.com")
make_comment(article=article, body={WAITING!r}, status="pending")
"""
APPROVE = f"""
from comments.models import Comment
from moderation.decisions import comment_moderate
comment = Comment.objects.get(body={WAITING!r})
comment_moderate(comment=comment, status=Comment.Status.APPROVED, by=None)
"""


@pytest.fixture
def environment(tmp_path) -> dict[str, str]:
    """The site's settings for every process of the test: one database, no REDIS_URL."""
    if connection.vendor == "postgresql":
        url = live_database_url()
    else:
        # pytest's SQLite test database lives in this process's memory; the
        # processes of this test share a file instead.
        url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    environment = site_environment(
        DATABASE_URL=url, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=get_random_secret_key()
    )
    if connection.vendor != "postgresql":
        manage(environment, "migrate", "--no-input")
    return environment


def manage(environment: dict[str, str], *arguments: str) -> str:
    """`manage.py` with `arguments`, in a process of its own; returns what it printed."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_change_made_by_another_process_is_on_the_servers_next_page(environment, tmp_path):
    manage(environment, "shell", "-c", WRITE_DISCUSSION)
    with gunicorn(environment, workers=1, log=tmp_path / "server.log") as server:
        before = Reader(server).get(ARTICLE)
        again = Reader(server).get(ARTICLE)

        manage(environment, "erase_commenter_data", "forget-me@example.com", "--yes")
        manage(environment, "shell", "-c", APPROVE)
        after = Reader(server).get(ARTICLE)

    assert ERASED in before.text and WAITING not in before.text
    # The server had the page in its cache, and nothing told it of the changes.
    assert again.headers["ETag"] == before.headers["ETag"]
    assert after.status == 200
    assert ERASED not in after.text
    assert WAITING in after.text
