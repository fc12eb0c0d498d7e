from django.core.management.base import BaseCommand, CommandError

from benchmarks import live, serving
from benchmarks.management.commands.bench import throwaway_database


class Command(BaseCommand):
    help = (
        "What open pages cost one app server and how soon they are told of a new reply: gunicorn "
        "on PostgreSQL (DATABASE_URL's server, a throwaway database) and Redis, one reply "
        "approved a second, readers and a poster, first without open pages, then with them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--pages", type=int, default=1000, help="Open pages (1,000).")
        parser.add_argument(
            "--streams",
            action="store_true",
            help="Serve under ASGI (LIVE_STREAMS=1): each open page holds a connection and is "
            "sent the changes, instead of asking every COMMENTS_LIVE_POLL_SECONDS.",
        )
        parser.add_argument(
            "--seconds", type=float, default=600.0, help="How long each run lasts (600)."
        )
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (4).")
        parser.add_argument("--readers", type=int, default=8, help="Reader threads (8).")
        parser.add_argument(
            "--comments", type=int, default=2000, help="Comments seeded first (2,000)."
        )
        serving.add_server_arguments(parser, log_folder="bench-live", log_help="gunicorn's log.")

    def handle(
        self, *args, streams, pages, seconds, workers, readers, comments, redis, log, **options
    ):
        if pages < 1 or seconds <= 0 or workers < 1 or readers < 1:
            raise CommandError("--pages, --seconds, --workers and --readers must be positive.")
        with throwaway_database(self.stderr.write):
            try:
                runs = live.run(
                    streams=streams,
                    pages=pages,
                    seconds=seconds,
                    workers=workers,
                    readers=readers,
                    comments=comments,
                    redis=redis,
                    log=log,
                    say=self.stderr.write,
                )
            except RuntimeError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(live.table(runs, pages=pages))
