"""A busy discussion under gunicorn: each approval has the article page drawn once, not once per
worker, while readers read it without pause; none of them ever gets an error, and the last
approval is on the page at the end.

Several workers on PostgreSQL and Redis, as production runs; the drawings are counted in the
server's log (articles.page_cache at DEBUG, which only this test's server logs).
"""

import threading
import time

import pytest

from comments.models import Comment
from moderation.decisions import comment_moderate
from tests.factories import make_comment
from tests.servers import (
    Reader,
    gunicorn,
    production_environment,
    redis_key_prefix,
    require_postgresql,
    require_redis,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKERS = 4
READERS = 16
APPROVALS = 8
DRAWN = "Page drawn for the cache:"


def test_each_approval_is_drawn_once_whatever_the_number_of_workers(article, tmp_path):
    require_postgresql("Drawings across gunicorn workers")
    require_redis()
    waiting = [
        make_comment(article=article, status="pending", body=f"Approved reply number {n}.")
        for n in range(APPROVALS)
    ]
    log = tmp_path / "gunicorn.log"
    statuses: list[int] = []
    stop = threading.Event()

    def read(url: str) -> None:
        reader = Reader(url, timeout=30)
        while not stop.is_set():
            statuses.append(reader.get(article.get_absolute_url()).status)

    with redis_key_prefix() as prefix:
        environment = production_environment(
            prefix,
            DJANGO_DEBUG_LOGGERS="articles.page_cache",
            GUNICORN_ACCESS_LOG="",
        )
        with gunicorn(environment, workers=WORKERS, log=log) as url:
            readers = [threading.Thread(target=read, args=(url,)) for _ in range(READERS)]
            for thread in readers:
                thread.start()
            try:
                time.sleep(1)  # The page is drawn and every worker serves it.
                drawn_before = log.read_text().count(DRAWN)
                for comment in waiting:
                    comment_moderate(comment=comment, status=Comment.Status.APPROVED, by=None)
                    time.sleep(0.75)
                drawings = log.read_text().count(DRAWN) - drawn_before
            finally:
                stop.set()
                for thread in readers:
                    thread.join(timeout=30)
            last = Reader(url).get(article.get_absolute_url())

    assert set(statuses) == {200}, sorted(set(statuses))
    # Without the drawing lock every worker drew each version: about WORKERS per approval.
    assert APPROVALS // 2 <= drawings <= APPROVALS + 2, drawings
    assert f"Approved reply number {APPROVALS - 1}." in last.text
