"""A realistic discussion, the same one for the same seed, stored in bulk.

Real discussions are lopsided, and that is what the pages must survive: most
proposals get a reply or two, a few threads run to hundreds of replies, a
handful of readers write much of the text, nesting goes as deep as the site
allows, and the newest comments are still waiting for a moderator. The
generator draws all of that from one `random.Random(seed)`: thread sizes by
preferential attachment plus a few very long threads, replies in time order
under a parent chosen among the published comments before them (never below
`COMMENTS_MAX_DEPTH`: a reply there goes beside its parent, as the site
does), statuses that depend on age, bodies in English or Spanish (tagged with
their language, each sentence written once) about the article's strategies,
reports, and — when the models have them — strategy tags, the sovereignty
mode of each proposal and readers' ratings with their running totals.

Timestamps run up to `end` (now, unless given); everything else is a function
of the seed. Ids are allocated up front, in time order, so that one
`bulk_create` pass stores parents before their replies: seed a development or
benchmark database, not one that readers are writing to at the same moment.
Moderation history (ModerationDecision rows) is not generated: no page being
measured reads it, and it would double the rows to write.

The words are in `seed_text`, the drawing in `seed_plan`, the writing in
`seed_storage`.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from articles.models import Article

from .seed_plan import plan, thread_sizes
from .seed_storage import store

DEFAULT_SPAN = timedelta(days=30)


@dataclass(frozen=True)
class Seeded:
    """What was stored: its threads in planning order, and how many comments of each status."""

    article: Article
    root_ids: list[int]
    statuses: Counter
    longest_thread: int
    start: datetime
    end: datetime

    @property
    def comments(self) -> int:
        return sum(self.statuses.values())

    @property
    def threads(self) -> int:
        return len(self.root_ids)


def seed_discussion(
    article: Article,
    *,
    comments: int,
    seed: int = 0,
    end: datetime | None = None,
    span: timedelta = DEFAULT_SPAN,
) -> Seeded:
    """Add `comments` comments to `article`'s discussion, spread over `span` up to `end`."""
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not a secret)
    sizes = thread_sizes(rng, comments)
    return _seed(article, rng, sizes, published=False, end=end, span=span)


def seed_threads(
    article: Article,
    *,
    replies: Sequence[int],
    seed: int = 0,
    end: datetime | None = None,
    span: timedelta = DEFAULT_SPAN,
) -> Seeded:
    """Add one published thread per item of `replies`, with that many published replies."""
    rng = random.Random(seed)  # noqa: S311  (reproducible test data, not a secret)
    return _seed(article, rng, list(replies), published=True, end=end, span=span)


def _seed(
    article: Article,
    rng: random.Random,
    sizes: list[int],
    *,
    published: bool,
    end: datetime | None,
    span: timedelta,
) -> Seeded:
    end = end or timezone.now()
    start = end - span
    authors = max(20, sum(sizes) // 3)
    roots, items = plan(rng, sizes, span=span.total_seconds(), published=published, authors=authors)
    store(article, items, start=start, end=end)
    return Seeded(
        article=article,
        root_ids=[root.pk for root in roots],
        statuses=Counter(item.status for item in items),
        longest_thread=max(sizes, default=0),
        start=start,
        end=end,
    )
