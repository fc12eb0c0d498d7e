"""What the bench measures: each scenario is one request a reader, a poster or a moderator sends.

A scenario keeps what its rounds found (times, statuses, the census round's
SQL and the problems seen), for the report to judge.
"""

from __future__ import annotations

import math
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse

from safeguards.form_stamps import new_form_stamp

from .fixture import Fixture, Sizes, poster
from .sql import counts_whole_table

# The browser a reader would use: it asks for compressed HTML in English.
BROWSER = {
    "accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "accept-language": "en-US,en;q=0.9",
    "accept-encoding": "gzip, deflate, br",
}


@dataclass
class Scenario:
    key: str
    label: str
    send: Callable[[], HttpResponseBase]
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

    def note(self, problem: str) -> None:
        """Keep a problem seen, once, and the first three only."""
        if problem not in self.problems and len(self.problems) < 3:
            self.problems.append(problem)


def build_scenarios(fixture: Fixture, sizes: Sizes) -> list[Scenario]:
    reader = Client(raise_request_exception=False)
    writer = Client(raise_request_exception=False)
    moderator = Client(raise_request_exception=False)
    moderator.force_login(fixture.moderator)

    def anonymous(url: str, **headers) -> Callable[[], HttpResponseBase]:
        # A first visit: no cookies, so nothing personal to leave out of a cache.
        def send() -> HttpResponseBase:
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
            conditional.note("no ETag")
        reader.cookies.clear()

    conditional.prime = get_validators

    posted = count()
    empty_roots = iter(fixture.empty_roots)
    create_url = reverse("comments:create", kwargs={"slug": fixture.main.slug})

    def reply(parent: Callable[[], int]) -> Callable[[], HttpResponseBase]:
        def send() -> HttpResponseBase:
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
