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
"""

from __future__ import annotations

import contextlib
import gc
import logging
import math
import random
import re
import statistics
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import count

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core import mail
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.forms import new_form_stamp
from comments.models import Comment, Commenter

from .seeding import seed_discussion, seed_threads


@dataclass(frozen=True)
class Sizes:
    comments: int = 100_000  # the whole table: what the moderation queue sits on
    small_article: int = 1_000
    large_article: int = 10_000
    long_thread: int = 500
    short_thread: int = 50  # the long thread's cost is compared with this one's

    @property
    def front(self) -> int:
        """Comments of the newest threads, the same on both articles (see prepare)."""
        return min(200, self.small_article // 2)


FULL = Sizes()
QUICK = Sizes(comments=600, small_article=60, large_article=200, long_thread=20, short_thread=5)

# The browser a reader would use: it asks for compressed HTML in English.
BROWSER = {
    "accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "accept-language": "en-US,en;q=0.9",
    "accept-encoding": "gzip, deflate, br",
}
FRONT_SEED = 7_000


@dataclass
class Fixture:
    small: Article
    large: Article
    main: Article
    long_root: int
    short_root: int
    empty_roots: list[int]
    moderator: AbstractBaseUser
    comments: int
    seed_seconds: float


@dataclass
class Scenario:
    key: str
    label: str
    send: Callable[[], HttpResponse]
    expect: int = 200
    # False: every cache is a DummyCache; True: the site's own caches.
    cached: bool = False
    # An unmeasured request right before the measured one (to fill a cache, or get an ETag).
    prime: Callable[[], object] | None = None
    samples: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    # The SQL of the census round, as Django logs it, and each statement's own time.
    queries: list[str] = field(default_factory=list)
    timings: list[tuple[float, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else math.nan

    @property
    def p90(self) -> float:
        if not self.samples:
            return math.nan
        ordered = sorted(self.samples)
        return ordered[math.ceil(0.9 * len(ordered)) - 1]

    @property
    def query_count(self) -> int:
        return len(self.queries)

    @property
    def ok(self) -> bool:
        return set(self.statuses) == {self.expect}

    @property
    def table_counts(self) -> list[str]:
        return [sql for sql in self.queries if counts_whole_table(sql)]


class QueryTimings:
    """An execute wrapper timing each statement to the microsecond (the query log rounds to ms).

    It times the database's answer to execute(); SQLite hands over the rows of
    a plain scan later, as they are fetched, so there it can read low.
    """

    def __init__(self):
        self.queries: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql))


@dataclass
class Result:
    fixture: Fixture
    sizes: Sizes
    scenarios: dict[str, Scenario]
    rounds: int
    seconds: float


def run(
    *,
    sizes: Sizes = FULL,
    rounds: int = 30,
    warmup: int = 3,
    max_seconds: float = 60.0,
    seed: int = 0,
    progress: Callable[[str], None] = lambda message: None,
) -> Result:
    """Seed the current (disposable) database, then measure every scenario in shared rounds."""
    progress(f"Seeding {sizes.comments:,} comments…")
    fixture = prepare(sizes, posts=warmup + rounds + 2, seed=seed)
    progress(f"Seeded in {fixture.seed_seconds:.1f} s. Measuring…")
    with bench_settings():
        scenarios = build_scenarios(fixture, sizes)
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
        finally:
            gc.unfreeze()
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)
    return Result(fixture, sizes, {s.key: s for s in scenarios}, done, seconds)


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


def prepare(sizes: Sizes, *, posts: int, seed: int = 0) -> Fixture:
    """The discussion the scenarios read and write; returns what they need to find it.

    Three articles with the same text. The small and the large one end with
    the same newest threads (seeded from one seed), so their first pages show
    the same comments and differ only in the history behind them. The site's
    own article holds the rest of the table, the long thread, a 50-reply
    thread to compare it with, and one empty thread for each reply posted.
    """
    started = time.perf_counter()
    end = timezone.now() - timedelta(minutes=1)
    history_end = end - timedelta(hours=2)
    main = Article.objects.published().first()
    if main is None:
        main = Article.objects.create(
            slug="bench-article", title="Benchmark", lede="Lede.", body="Body.", question="?"
        )
    Article.objects.filter(pk=main.pk).update(published=end - timedelta(days=40))
    main.refresh_from_db()
    small = _copy_article(main, slug="bench-small-discussion")
    large = _copy_article(main, slug="bench-large-discussion")
    for number, (article, size) in enumerate(
        [(small, sizes.small_article), (large, sizes.large_article)], start=1
    ):
        seed_discussion(article, comments=size - sizes.front, seed=seed + number, end=history_end)
        # Only the shared newest threads may float to the top as editor's picks.
        Comment.objects.filter(article=article).update(featured=False)
        seed_discussion(
            article,
            comments=sizes.front,
            seed=FRONT_SEED,
            end=end - timedelta(minutes=30),
            span=timedelta(hours=1),
        )
    threads = seed_threads(
        main, replies=[sizes.long_thread, sizes.short_thread], seed=seed + 3, end=history_end
    )
    long_root, short_root = threads.root_ids
    rest = sizes.comments - Comment.objects.count() - posts
    seed_discussion(main, comments=max(rest, 0), seed=seed + 4, end=history_end)
    empty = seed_threads(
        main, replies=[0] * posts, seed=seed + 5, end=end, span=timedelta(minutes=30)
    )
    # Two replies a round, each by its own returning reader.
    Commenter.objects.bulk_create(
        [
            Commenter(email=poster(n)[1], confirmed=end, confirmation_sent=end)
            for n in range(2 * posts)
        ],
        ignore_conflicts=True,
    )
    moderator = get_user_model().objects.create_superuser(
        "bench-moderator", "bench-moderator@example.org", None
    )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # A live server's autovacuum would have analysed tables this size by
        # now; without statistics the planner picks plans no site would see.
        # (SQLite sites run without ANALYZE unless they add it, so SQLite is left as is.)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        # Writing out the seeding's pages now keeps the server's checkpoint
        # from competing with the measured requests for the CPU.
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    return Fixture(
        small=small,
        large=large,
        main=main,
        long_root=long_root,
        short_root=short_root,
        empty_roots=empty.root_ids,
        moderator=moderator,
        comments=Comment.objects.count(),
        seed_seconds=time.perf_counter() - started,
    )


def _copy_article(article: Article, *, slug: str) -> Article:
    return Article.objects.create(
        slug=slug,
        title=article.title,
        lede=article.lede,
        body=article.body,
        question=article.question,
        published=article.published,
    )


def poster(number: int) -> tuple[str, str]:
    """A returning reader (confirmed address) who posts one reply during the bench."""
    return f"Bench Reader {number}", f"bench-reader-{number}@example.org"


def build_scenarios(fixture: Fixture, sizes: Sizes) -> list[Scenario]:
    reader = Client(raise_request_exception=False)
    writer = Client(raise_request_exception=False)
    moderator = Client(raise_request_exception=False)
    moderator.force_login(fixture.moderator)

    def anonymous(url: str, **headers) -> Callable[[], HttpResponse]:
        # A first visit: no cookies, so nothing personal to leave out of a cache.
        def send() -> HttpResponse:
            reader.cookies.clear()
            return reader.get(url, headers={**BROWSER, **headers})

        return send

    article_url = {a: a.get_absolute_url() for a in (fixture.small, fixture.large)}
    thread_url = {
        pk: reverse("comments:thread", kwargs={"pk": pk})
        for pk in (fixture.long_root, fixture.short_root)
    }
    large = article_url[fixture.large]

    validators: dict[str, str] = {}
    conditional = Scenario(
        "conditional",
        "article page, conditional GET (304)",
        lambda: reader.get(large, headers={**BROWSER, **validators}),
        expect=304,
        cached=True,
    )

    def get_validators() -> None:
        response = anonymous(large)()
        validators.clear()
        if response.has_header("ETag"):
            validators["if-none-match"] = response["ETag"]
        if response.has_header("Last-Modified"):
            validators["if-modified-since"] = response["Last-Modified"]
        if not validators:
            _note(conditional, "no ETag")
        reader.cookies.clear()

    conditional.prime = get_validators

    posted = count()
    empty_roots = iter(fixture.empty_roots)
    create_url = reverse("comments:create", kwargs={"slug": fixture.main.slug})

    def reply(parent: Callable[[], int]) -> Callable[[], HttpResponse]:
        def send() -> HttpResponse:
            number = next(posted)
            name, email = poster(number)
            writer.cookies.clear()
            return writer.post(
                create_url,
                {
                    "author_name": name,
                    "author_email": email,
                    "body": f"Reply {number}: shared intelligence, under Mexican command.",
                    "parent": parent(),
                    # A form drawn a minute ago, as a person would send it.
                    "stamp": new_form_stamp(issued=time.time() - 60),
                },
                headers=BROWSER,
                REMOTE_ADDR=f"10.250.{number // 250}.{number % 250 + 1}",
            )

        return send

    return [
        Scenario(
            "hello", "hello (the framework's ceiling)", anonymous("/bench/hello/"), cached=True
        ),
        Scenario(
            "article_small",
            f"article page, {sizes.small_article:,} comments, uncached",
            anonymous(article_url[fixture.small]),
        ),
        Scenario(
            "article_large",
            f"article page, {sizes.large_article:,} comments, uncached",
            anonymous(large),
        ),
        Scenario(
            "thread_short",
            f"thread of {sizes.short_thread:,} replies, uncached",
            anonymous(thread_url[fixture.short_root]),
        ),
        Scenario(
            "thread_long",
            f"thread of {sizes.long_thread:,} replies, uncached",
            anonymous(thread_url[fixture.long_root]),
        ),
        Scenario(
            "cached",
            "article page from cache (anonymous)",
            anonymous(large),
            cached=True,
            prime=anonymous(large),
        ),
        conditional,
        Scenario(
            "post_empty",
            "reply into an empty thread",
            reply(lambda: next(empty_roots)),
            expect=302,
            cached=True,
        ),
        Scenario(
            "post_long",
            f"reply into the {sizes.long_thread:,}-reply thread",
            reply(lambda: fixture.long_root),
            expect=302,
            cached=True,
        ),
        Scenario(
            "admin_pending",
            f"admin pending queue, {fixture.comments:,} comments",
            lambda: moderator.get(
                reverse("admin:comments_comment_queue"),
                headers=BROWSER,
            ),
            cached=True,
        ),
    ]


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
                    _note(scenario, problem)


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


def _check(scenario: Scenario, response: HttpResponse, *, record: bool) -> None:
    if record:
        scenario.statuses[response.status_code] += 1
    if response.status_code != scenario.expect:
        problem = f"answered {response.status_code}"
        exc_info = getattr(response, "exc_info", None)
        if exc_info:
            problem += ": " + "".join(traceback.format_exception_only(exc_info[1])).strip()
        _note(scenario, problem)


def _note(scenario: Scenario, problem: str) -> None:
    if problem not in scenario.problems and len(scenario.problems) < 3:
        scenario.problems.append(problem)


_TABLE = Comment._meta.db_table
_FROM_TABLE = re.compile(rf'\bFROM\s+"?{_TABLE}"?', re.IGNORECASE)


def counts_whole_table(sql: str) -> bool:
    """Whether `sql` counts the rows of the comments table with no WHERE on it (all of them).

    Both must hold at the same level of the query: a filtered subquery in the
    select list does not narrow the rows being counted, and a COUNT in a
    subquery does not make a plain listing a count. A count over a derived
    table (SELECT COUNT(*) FROM (SELECT … FROM comments) subquery) counts too.
    """
    for match in _FROM_TABLE.finditer(sql):
        clause = _outside_parentheses(_up_to_closing_parenthesis(sql[match.end() :]))
        if re.search(r"\bWHERE\b", clause, re.IGNORECASE):
            continue
        start = _level_start(sql, match.start())
        if _selects_a_count(sql[start : match.start()]):
            return True
        if start and re.search(r"\bFROM\s*$", sql[: start - 1], re.IGNORECASE):
            outer = _level_start(sql, start - 1)
            if _selects_a_count(sql[outer : start - 1]):
                return True
    return False


def _selects_a_count(select: str) -> bool:
    return bool(re.search(r"\bCOUNT\b", _outside_parentheses(select), re.IGNORECASE))


def _level_start(sql: str, position: int) -> int:
    """Where the (sub)query around `position` starts: after its opening parenthesis, or 0."""
    depth = 0
    for index in range(position - 1, -1, -1):
        if sql[index] == ")":
            depth += 1
        elif sql[index] == "(":
            if depth == 0:
                return index + 1
            depth -= 1
    return 0


def _up_to_closing_parenthesis(text: str) -> str:
    """`text` up to the end of the (sub)query it starts in."""
    depth = 0
    for position, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return text[:position]
            depth -= 1
    return text


def _outside_parentheses(text: str) -> str:
    depth, kept = 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)
