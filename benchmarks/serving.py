"""The site under gunicorn as production runs it, and readers fetching one page over keep-alive.

Shared by `manage.py bench_drawings` (how many times a busy discussion's page
is drawn per approval) and `manage.py bench_serving` (what gunicorn's worker
recycling and preloading cost a cached page). Both run on a throwaway
PostgreSQL database (bench's `throwaway_database`) and on Redis under a key
prefix of their own, deleted afterwards.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from comments.posting import comment_create
from moderation.decisions import comment_moderate

from . import lighthouse
from .seeding import seed_discussion


def add_server_arguments(
    parser: argparse.ArgumentParser, *, log_folder: str, log_help: str
) -> None:
    """--redis and --log (test-artifacts/`log_folder`/gunicorn.log), as these benches take them."""
    lighthouse.add_redis_argument(parser)
    parser.add_argument(
        "--log",
        type=Path,
        default=Path(settings.BASE_DIR) / "test-artifacts" / log_folder / "gunicorn.log",
        help=log_help,
    )


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise RuntimeError(
            "This bench needs PostgreSQL, which several app servers share: set DATABASE_URL."
        )


@contextmanager
def site(*, redis: str, log: Path, workers: int, **variables: str) -> Iterator[str]:
    """gunicorn with gunicorn.conf.py and production's settings (plus `variables`) on the
    throwaway database; yields its base URL."""
    with lighthouse.redis_keys(redis) as prefix:
        environment = lighthouse.production_environment(
            static_root=log.parent / "static",
            database=lighthouse.database_url(),
            redis=redis,
            key_prefix=prefix,
        )
        # Static files from the source folders: nothing to collect first.
        environment["DJANGO_STATIC_MANIFEST"] = "0"
        environment["DJANGO_CONN_MAX_AGE"] = "60"
        environment.update(variables)
        # What this process changes (the moderator's approvals) is announced on the
        # served site's Redis, as another app server of it would announce it.
        shared = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis,
            "KEY_PREFIX": prefix,
        }
        with (
            override_settings(CACHES={"default": shared}),
            lighthouse.gunicorn(environment, log=log, workers=workers) as url,
        ):
            yield url


@dataclass
class Tally:
    """What one reader saw."""

    seconds: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    # 200s without an ETag: a previous generation of the page, served while it is drawn.
    unvalidated: int = 0
    errors: int = 0


class Readers:
    """`count` threads, each a keep-alive connection fetching `path` again and again (with
    `pause` seconds between two fetches)."""

    def __init__(self, base_url: str, path: str, *, count: int, pause: float = 0.0):
        self.host, port = base_url.removeprefix("http://").split(":")
        self.port = int(port)
        self.path = path
        self.pause = pause
        self.tallies = [Tally() for _ in range(count)]
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._read, args=(tally,), daemon=True)
            for tally in self.tallies
        ]

    def __enter__(self) -> Readers:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _read(self, tally: Tally) -> None:
        link = http.client.HTTPConnection(self.host, self.port, timeout=30)
        while not self._stop.is_set():
            started = time.perf_counter()
            try:
                link.request("GET", self.path)
                response = link.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                tally.errors += 1
                link.close()
                link = http.client.HTTPConnection(self.host, self.port, timeout=30)
                continue
            tally.seconds.append(time.perf_counter() - started)
            tally.statuses[response.status] = tally.statuses.get(response.status, 0) + 1
            if response.status == 200 and response.getheader("ETag") is None:
                tally.unvalidated += 1
            if response.getheader("Connection", "").lower() == "close":
                link.close()
            if self.pause:
                self._stop.wait(self.pause)
        link.close()

    def reset(self) -> None:
        """Forget what was seen so far (the warm-up)."""
        for tally in self.tallies:
            tally.seconds.clear()
            tally.statuses.clear()
            tally.unvalidated = tally.errors = 0

    def summary(self, elapsed: float) -> dict:
        seconds = sorted(s for tally in self.tallies for s in tally.seconds)
        statuses: dict[int, int] = {}
        for tally in self.tallies:
            for status, count in tally.statuses.items():
                statuses[status] = statuses.get(status, 0) + count
        return {
            "requests": len(seconds),
            "per_second": len(seconds) / elapsed,
            "p50_ms": 1000 * statistics.median(seconds) if seconds else 0.0,
            "p99_ms": 1000 * seconds[int(len(seconds) * 0.99)] if seconds else 0.0,
            "statuses": statuses,
            "unvalidated": sum(tally.unvalidated for tally in self.tallies),
            "errors": sum(tally.errors for tally in self.tallies),
        }


def seeded_article(*, comments: int, seed: int) -> Article:
    """The site's article with `comments` more comments, on PostgreSQL (these benches serve it
    from several processes, as app servers do)."""
    require_postgresql()
    article = Article.objects.published().first()
    if article is None:
        raise RuntimeError("No published article: the article's data migration did not run.")
    seed_discussion(
        article, comments=comments, seed=seed, end=timezone.now() - timedelta(minutes=1)
    )
    return article


def post_and_approve(article: Article, tag: str) -> int:
    """A reader's reply posted and a moderator's approval, through the site's own paths (each
    gives the article a new version); returns the reply's id. Each `tag` makes its own reply:
    the same text twice is one reply (a duplicate)."""
    posted = comment_create(
        article=article,
        author_name=f"Bench reader {tag}",
        author_email=f"bench-reader-{tag}@example.com",
        body=f"Reply {tag} of a busy discussion, posted while many read it.",
    )
    comment = Comment.objects.get(pk=posted.comment.pk)
    if comment.status != Comment.Status.APPROVED:
        comment_moderate(comment=comment, status=Comment.Status.APPROVED, by=None)
    return comment.pk
