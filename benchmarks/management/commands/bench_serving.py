import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from benchmarks import recycling, serving
from benchmarks.management.commands.bench import throwaway_database

ROOT = Path(settings.BASE_DIR)
DEFAULT_CONFIGURATIONS = "2000~200,2000~200+preload,100000~10000,100000~10000+preload,0"


class Command(BaseCommand):
    help = (
        "Throughput and latency of the cached article page under gunicorn on PostgreSQL "
        "(DATABASE_URL's server, a throwaway database) and Redis, for each worker recycling "
        "and preloading configuration in turn, round after round; prints the medians."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--configurations",
            default=DEFAULT_CONFIGURATIONS,
            help="Comma-separated: MAX_REQUESTS[~JITTER][+preload], 0 never recycling "
            f"({DEFAULT_CONFIGURATIONS}).",
        )
        parser.add_argument(
            "--connections", default="8,64", help="Comma-separated reader counts (8,64)."
        )
        parser.add_argument("--rounds", type=int, default=4, help="Rounds (4).")
        parser.add_argument(
            "--seconds", type=float, default=15.0, help="Seconds measured per reading (15)."
        )
        parser.add_argument(
            "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="Workers."
        )
        parser.add_argument("--comments", type=int, default=500, help="Comments seeded (500).")
        serving.add_server_arguments(
            parser,
            log_folder="bench-serving",
            log_help="gunicorn's log (each configuration's replaces the last).",
        )

    def handle(self, *args, configurations, connections, rounds, seconds, **options):
        try:
            chosen = [recycling.Configuration.parse(c) for c in configurations.split(",")]
            counts = [int(c) for c in connections.split(",")]
        except ValueError:
            raise CommandError("--configurations or --connections is malformed.") from None
        if rounds < 1 or seconds <= 0 or min(counts) < 1:
            raise CommandError("--rounds, --seconds and --connections must be positive.")
        with throwaway_database(self.stderr.write):
            try:
                readings = recycling.run(
                    configurations=chosen,
                    connections=counts,
                    rounds=rounds,
                    seconds=seconds,
                    workers=options["workers"],
                    comments=options["comments"],
                    redis=options["redis"],
                    log=options["log"],
                    say=self.stderr.write,
                )
            except RuntimeError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(recycling.table(readings))
