import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks import lighthouse
from benchmarks.management.commands.bench import throwaway_database

ROOT = Path(settings.BASE_DIR)


class Command(BaseCommand):
    help = (
        "Lighthouse's performance, accessibility, best-practices and SEO scores (mobile) for the "
        "article, a thread, the board and a 1,000-reply thread, served by gunicorn as in "
        "production from a throwaway database. Needs the Lighthouse CLI (make lighthouse "
        "installs it) and Chromium. Prints the scores and what cost points."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--comments", type=int, default=2_000, help="Comments seeded in the discussion (2000)."
        )
        parser.add_argument(
            "--long-thread", type=int, default=1_000, help="Replies in the long thread (1000)."
        )
        parser.add_argument(
            "--lighthouse",
            dest="cli",
            default=str(ROOT / ".lighthouse" / "node_modules" / ".bin" / "lighthouse"),
            help="The Lighthouse CLI (.lighthouse/node_modules/.bin/lighthouse).",
        )
        parser.add_argument("--chrome", default="/usr/bin/chromium", help="Chromium to drive.")
        lighthouse.add_redis_argument(parser)
        parser.add_argument(
            "--reports",
            type=Path,
            default=ROOT / "test-artifacts" / "lighthouse",
            help="Where Lighthouse's JSON reports go (test-artifacts/lighthouse).",
        )

    def handle(self, *args, comments, long_thread, cli, chrome, redis, reports, **options):
        if not Path(cli).exists():
            raise CommandError(f"{cli} is missing: make lighthouse installs it.")
        if not (Path(chrome).exists() or shutil.which(chrome)):
            raise CommandError(f"{chrome} is missing: make browser installs it.")
        with throwaway_database(self.stderr.write):
            results = lighthouse.run(
                comments=comments,
                long_thread=long_thread,
                command=[cli],
                chrome=chrome,
                redis=redis,
                reports=reports,
                say=self.stderr.write,
            )
        self.stdout.write(lighthouse.table(results))
        self.stdout.write(f"\nReports written to {reports}")
