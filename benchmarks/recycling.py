"""What gunicorn's worker recycling and preloading cost the cached article page.

`manage.py bench_serving` serves a seeded discussion with gunicorn.conf.py on
PostgreSQL and Redis once per configuration (GUNICORN_MAX_REQUESTS and its
jitter, GUNICORN_PRELOAD) and has 8, then 64, keep-alive readers fetch the
cached article page without pause. Configurations take turns, round after
round, so that a machine busy with something else slows each alike; the
table gives each one's median over the rounds.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from articles.models import Article

from .seeding import seed_discussion
from .serving import Readers, require_postgresql, site


@dataclass(frozen=True)
class Configuration:
    max_requests: int
    jitter: int
    preload: bool

    @classmethod
    def parse(cls, text: str) -> Configuration:
        """`2000`, `100000~10000` (jitter) or `0` (never recycled), `+preload` after any."""
        preload = text.endswith("+preload")
        requests, _, jitter = text.removesuffix("+preload").partition("~")
        return cls(int(requests), int(jitter or 0), preload)

    @property
    def name(self) -> str:
        recycling = f"{self.max_requests}~{self.jitter}" if self.max_requests else "never"
        return recycling + (" preload" if self.preload else "")

    def environment(self) -> dict[str, str]:
        return {
            "GUNICORN_MAX_REQUESTS": str(self.max_requests),
            "GUNICORN_MAX_REQUESTS_JITTER": str(self.jitter),
            "GUNICORN_PRELOAD": "1" if self.preload else "0",
        }


def run(
    *,
    configurations: list[Configuration],
    connections: list[int],
    rounds: int,
    seconds: float,
    workers: int,
    comments: int,
    redis: str,
    log: Path,
    say: Callable[[str], None],
) -> dict[tuple[str, int], list[dict]]:
    """Each configuration's readings at each number of connections, one per round."""
    require_postgresql()
    article = Article.objects.published().first()
    if article is None:
        raise RuntimeError("No published article: the article's data migration did not run.")
    seed_discussion(article, comments=comments, seed=17, end=timezone.now() - timedelta(minutes=1))
    log.parent.mkdir(parents=True, exist_ok=True)
    readings: dict[tuple[str, int], list[dict]] = {}
    for round_ in range(1, rounds + 1):
        for configuration in configurations:
            with site(redis=redis, log=log, workers=workers, **configuration.environment()) as url:
                for count in connections:
                    with Readers(url, article.get_absolute_url(), count=count) as reading:
                        time.sleep(2)  # Connections open, the page drawn and cached.
                        reading.reset()
                        booted = _boots(log)
                        started = time.perf_counter()
                        time.sleep(seconds)
                        summary = reading.summary(time.perf_counter() - started)
                        summary["restarts"] = _boots(log) - booted
                    readings.setdefault((configuration.name, count), []).append(summary)
                    say(
                        f"round {round_}, {configuration.name}, c={count}: "
                        f"{summary['per_second']:.0f} req/s, p99 {summary['p99_ms']:.0f} ms"
                    )
    return readings


def _boots(log: Path) -> int:
    """Workers started so far: each recycled worker is replaced by a new one."""
    return log.read_text(errors="replace").count("Booting worker")


def table(readings: dict[tuple[str, int], list[dict]]) -> str:
    lines = [
        f"{'configuration':<24} {'c':>3} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'boots':>6} {'errors':>6}   (medians of {len(next(iter(readings.values())))} rounds)"
    ]
    for (name, count), runs in readings.items():
        lines.append(
            f"{name:<24} {count:>3} "
            f"{statistics.median(r['per_second'] for r in runs):>7.0f} "
            f"{statistics.median(r['p50_ms'] for r in runs):>7.1f} "
            f"{statistics.median(r['p99_ms'] for r in runs):>7.0f} "
            f"{statistics.median(r['restarts'] for r in runs):>6.0f} "
            f"{sum(r['errors'] for r in runs):>6}"
        )
    return "\n".join(lines)
