import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from benchmarks.seeding import seed_discussion
from comments.models import WAITING_COUNT


class Command(BaseCommand):
    help = (
        "Add a realistic discussion of COMMENTS comments to an article, the same one for the "
        "same --seed: threads of mixed depth, a few very long ones, pending, rejected and spam "
        "comments, strategy tags and ratings. For trying the site at scale; never in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--comments", type=int, required=True, help="How many to add.")
        parser.add_argument("--seed", type=int, default=0, help="Another seed, another discussion.")
        parser.add_argument(
            "--article",
            metavar="SLUG",
            help="The article to add them to (default: the most recently published one).",
        )
        parser.add_argument(
            "--days", type=int, default=30, help="Spread them over the last DAYS days (30)."
        )

    def handle(self, *args, comments: int, seed: int, article: str | None, days: int, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("seed_discussion adds made-up comments: not with DJANGO_PRODUCTION.")
        if comments < 0 or days < 1:
            raise CommandError("--comments must be 0 or more, and --days at least 1.")
        articles = Article.objects.published()
        target = articles.filter(slug=article).first() if article else articles.first()
        if target is None:
            raise CommandError(
                f"No published article with the slug {article!r}."
                if article
                else "There is no published article: run 'manage.py migrate' first."
            )
        started = time.perf_counter()
        seeded = seed_discussion(target, comments=comments, seed=seed, span=timedelta(days=days))
        # Written in bulk, around the decisions that keep the admin's count fresh.
        WAITING_COUNT.forget_now()
        elapsed = time.perf_counter() - started
        statuses = ", ".join(
            f"{count:,} {status}" for status, count in sorted(seeded.statuses.items())
        )
        self.stdout.write(
            f"Added {seeded.comments:,} comments to “{target}” in {elapsed:.1f} s "
            f"({statuses}): {seeded.threads:,} threads, the longest with "
            f"{seeded.longest_thread:,} replies."
        )
