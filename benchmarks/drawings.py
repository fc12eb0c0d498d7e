"""How many times a busy discussion's article page is drawn per approval.

`make bench-drawings` (`manage.py bench_drawings`) seeds a discussion into a
throwaway PostgreSQL database, serves it with gunicorn (4 workers) on Redis as
production does, and sets 64 readers fetching the article page without pause
while, once a second, a reader's reply is posted and a moderator approves it
(the site's own posting and moderation paths, so each approval gives the
article a new version). Each drawing of a page for the cache is a DEBUG line
of articles.page_cache in gunicorn's log (DJANGO_DEBUG_LOGGERS, set here only);
the bench counts those written while the approvals ran.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .serving import Readers, post_and_approve, seeded_article, site

DRAWN = "Page drawn for the cache:"


@dataclass(frozen=True)
class Drawings:
    workers: int
    readers: int
    seconds: float
    approvals: int
    drawings: int
    reads: dict

    @property
    def per_approval(self) -> float:
        return self.drawings / self.approvals if self.approvals else 0.0

    def table(self) -> str:
        reads = self.reads
        return "\n".join(
            [
                f"gunicorn workers           {self.workers}",
                f"readers                    {self.readers}",
                f"approvals                  {self.approvals} in {self.seconds:.0f} s",
                f"drawings of the page       {self.drawings}",
                f"drawings per approval      {self.per_approval:.2f}",
                f"reads                      {reads['requests']} ({reads['per_second']:.0f}/s),"
                f" p50 {reads['p50_ms']:.0f} ms, p99 {reads['p99_ms']:.0f} ms",
                f"  of a previous generation {reads['unvalidated']}",
                f"  statuses                 {reads['statuses']}, errors {reads['errors']}",
            ]
        )


def run(
    *,
    workers: int,
    readers: int,
    seconds: float,
    comments: int,
    redis: str,
    log: Path,
    say: Callable[[str], None],
) -> Drawings:
    """Seed, serve, read and approve; the database must be throwaway."""
    article = seeded_article(comments=comments, seed=17)
    say(f"Seeded {comments:,} comments; serving with {workers} workers…")
    log.parent.mkdir(parents=True, exist_ok=True)
    with (
        site(
            redis=redis, log=log, workers=workers, DJANGO_DEBUG_LOGGERS="articles.page_cache"
        ) as url,
        Readers(url, article.get_absolute_url(), count=readers) as reading,
    ):
        time.sleep(3)  # Every worker has drawn or fetched the page once.
        reading.reset()
        drawn_before = _drawn(log)
        started = time.perf_counter()
        approvals = 0
        while time.perf_counter() - started < seconds:
            tick = time.perf_counter()
            post_and_approve(article, str(approvals))
            approvals += 1
            time.sleep(max(0.0, 1 - (time.perf_counter() - tick)))
        time.sleep(1)  # The last approval's page is drawn too.
        elapsed = time.perf_counter() - started
        summary = reading.summary(elapsed)
        drawings = _drawn(log) - drawn_before
    return Drawings(workers, readers, elapsed, approvals, drawings, summary)


def _drawn(log: Path) -> int:
    return log.read_text(errors="replace").count(DRAWN)
