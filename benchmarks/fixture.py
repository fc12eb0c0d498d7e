"""The discussion the bench measures: its sizes, and seeding it into the throwaway database."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import DatabaseError, connection
from django.utils import timezone

from articles.models import Article
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

FRONT_SEED = 7_000


@dataclass
class Fixture:
    small: Article
    large: Article
    main: Article
    long_root: int
    short_root: int
    empty_roots: list[int]
    moderator: User
    comments: int
    seed_seconds: float


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
