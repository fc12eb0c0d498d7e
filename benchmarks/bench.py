"""The benchmark: the site's pages against their targets, measured in-process, in one run.

Speed targets are ratios to a trivial "hello" view measured in the same
rounds, so that a slow or busy machine slows everything alike; the scenarios
are interleaved, in a shuffled order, in every round. Requests go through
django.test.Client with the production middleware and DEBUG off; the
database connection stays open between requests (as with
DJANGO_CONN_MAX_AGE > 0), and emails go to memory instead of a mail server.

"Uncached" scenarios run with every cache replaced by a DummyCache, so they
measure the page being computed whatever caches the site has; the cached,
conditional, posting and admin scenarios run with the site's own caches
(under a key prefix of this run, so a shared Redis keeps nobody else's keys
and serves no one these).

Query counts come from one last, untimed round with CaptureQueriesContext.

The discussion measured is seeded by `fixture`, the requests are the
`scenarios`, and `report` judges what the rounds found against the targets.
"""

from __future__ import annotations

import gc
import logging
import random
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db import connection
from django.http.response import HttpResponseBase
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from .fixture import FULL, Fixture, Sizes, prepare
from .reading import Reading, read_everything
from .scenarios import Scenario, build_scenarios
from .sql import QueryTimings


@dataclass
class Result:
    fixture: Fixture
    sizes: Sizes
    scenarios: dict[str, Scenario]
    rounds: int
    seconds: float
    # The whole large discussion read page by page: "uncached" and "cached" readings.
    readings: dict[str, list[Reading]] = field(default_factory=dict)
    # Published comments of the discussion read.
    published: int = 0


# The scenario that reads a whole discussion, many requests each time, measured apart.
READ_EVERYTHING = "read_everything"


def run(
    *,
    sizes: Sizes = FULL,
    rounds: int = 30,
    warmup: int = 3,
    max_seconds: float = 60.0,
    seed: int = 0,
    only: set[str] | None = None,
    readings: int = 3,
    progress: Callable[[str], None] = lambda message: None,
) -> Result:
    """Seed the current (disposable) database, then measure every scenario in shared rounds
    (or those of `only`), then read the large discussion whole `readings` times each way."""
    progress(f"Seeding {sizes.comments:,} comments…")
    fixture = prepare(sizes, posts=warmup + rounds + 2, seed=seed)
    progress(f"Seeded in {fixture.seed_seconds:.1f} s. Measuring…")
    with bench_settings():
        scenarios = build_scenarios(fixture, sizes)
        if only is not None:
            # hello stays: every ratio is to it.
            scenarios = [s for s in scenarios if s.key in only or s.key == "hello"]
        rng = random.Random(seed)  # noqa: S311  (a reproducible order, not a secret)
        # A failing scenario is reported once in the table, not logged every round,
        # and the emails sent after each reply are not announced.
        quiet = {"django.request": logging.CRITICAL, "django.tasks": logging.WARNING}
        levels = {name: logging.getLogger(name).level for name in quiet}
        for name, level in quiet.items():
            logging.getLogger(name).setLevel(level)
        gc.collect()
        gc.freeze()
        try:
            for _ in range(warmup):
                run_round(scenarios, rng, timed=False)
            started = time.perf_counter()
            done = 0
            while done < rounds and (done < 5 or time.perf_counter() - started < max_seconds):
                gc.collect()
                run_round(scenarios, rng, timed=True)
                done += 1
            seconds = time.perf_counter() - started
            run_round(scenarios, rng, timed=False, census=True)
            read = {}
            if only is None or READ_EVERYTHING in only:
                progress("Reading the large discussion whole…")
                read = read_whole_discussion(fixture, times=readings)
        finally:
            gc.unfreeze()
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)
    published = fixture.large.comments.filter(status="approved").count()
    return Result(fixture, sizes, {s.key: s for s in scenarios}, done, seconds, read, published)


def read_whole_discussion(fixture: Fixture, *, times: int) -> dict[str, list[Reading]]:
    """A reader reads the whole large discussion page by page, `times` times with every
    cache off, then `times` times from the site's caches (filled by one reading first)."""
    start = fixture.large.get_absolute_url()
    found: dict[str, list[Reading]] = {"uncached": [], "cached": []}
    with without_caches():
        read_everything(start)
        for _ in range(times):
            gc.collect()
            found["uncached"].append(read_everything(start))
    read_everything(start)
    for _ in range(times):
        gc.collect()
        found["cached"].append(read_everything(start))
    return found


@contextmanager
def bench_settings() -> Iterator[None]:
    prefix = f"bench-{uuid.uuid4().hex[:12]}"
    caches = {alias: {**conf, "KEY_PREFIX": prefix} for alias, conf in settings.CACHES.items()}
    mailers = (
        {"MAILERS": {alias: {"BACKEND": LOCMEM} for alias in settings.MAILERS}}
        if hasattr(settings, "MAILERS")
        else {"EMAIL_BACKEND": LOCMEM}
    )
    try:
        with override_settings(
            DEBUG=False,
            ROOT_URLCONF="benchmarks.urls",
            ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
            CACHES=caches,
            **mailers,
        ):
            yield
    finally:
        mail.outbox = []


LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
DUMMY = "django.core.cache.backends.dummy.DummyCache"


def without_caches():
    return override_settings(CACHES={alias: {"BACKEND": DUMMY} for alias in settings.CACHES})


def run_round(
    scenarios: list[Scenario], rng: random.Random, *, timed: bool, census: bool = False
) -> None:
    """Every scenario once, in a shuffled order, grouped by cache setting."""
    blocks = [
        (False, [s for s in scenarios if not s.cached]),
        (True, [s for s in scenarios if s.cached]),
    ]
    rng.shuffle(blocks)
    for cached, block in blocks:
        rng.shuffle(block)
        with nullcontext() if cached else without_caches():
            for scenario in block:
                try:
                    _measure(scenario, timed=timed, census=census)
                except Exception as error:
                    # A page that breaks is a finding of the run, not the end of it.
                    if timed or census:
                        scenario.statuses["error"] += 1
                    problem = "raised " + "".join(traceback.format_exception_only(error)).strip()
                    scenario.note(problem)


def _measure(scenario: Scenario, *, timed: bool, census: bool) -> None:
    if scenario.prime is not None:
        scenario.prime()
    if census:
        timings = QueryTimings()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timings):
            response = scenario.send()
        scenario.queries = [q["sql"] for q in captured]
        scenario.timings = timings.queries
    else:
        started = time.perf_counter()
        response = scenario.send()
        elapsed = time.perf_counter() - started
        if timed:
            scenario.samples.append(elapsed * 1000)
    _check(scenario, response, record=timed or census)


def _check(scenario: Scenario, response: HttpResponseBase, *, record: bool) -> None:
    if record:
        scenario.statuses[response.status_code] += 1
    if response.status_code != scenario.expect:
        problem = f"answered {response.status_code}"
        exc_info = getattr(response, "exc_info", None)
        if exc_info:
            problem += ": " + "".join(traceback.format_exception_only(exc_info[1])).strip()
        scenario.note(problem)
