from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks import drawings, serving
from benchmarks.management.commands.bench import throwaway_database

ROOT = Path(settings.BASE_DIR)


class Command(BaseCommand):
    help = (
        "How many times the article page is drawn per approval in a busy discussion: gunicorn "
        "on PostgreSQL (DATABASE_URL's server, a throwaway database) and Redis, readers "
        "fetching the page without pause, one reply posted and approved a second."
    )

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4).")
        parser.add_argument("--readers", type=int, default=64, help="Reader threads (64).")
        parser.add_argument(
            "--seconds", type=float, default=40.0, help="How long approvals go on (40)."
        )
        parser.add_argument(
            "--comments", type=int, default=500, help="Comments seeded first (500)."
        )
        serving.add_server_arguments(
            parser,
            log_folder="bench-drawings",
            log_help="gunicorn's log, where the drawings are counted.",
        )

    def handle(self, *args, workers, readers, seconds, comments, redis, log, **options):
        if workers < 1 or readers < 1 or seconds <= 0:
            raise CommandError("--workers, --readers and --seconds must be positive.")
        with throwaway_database(self.stderr.write):
            try:
                result = drawings.run(
                    workers=workers,
                    readers=readers,
                    seconds=seconds,
                    comments=comments,
                    redis=redis,
                    log=log,
                    say=self.stderr.write,
                )
            except RuntimeError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(result.table())
