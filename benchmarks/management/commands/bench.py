import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from benchmarks import bench, report
from benchmarks.fixture import FULL, QUICK


class Command(BaseCommand):
    help = (
        "Measure the article page, threads, cache, conditional GET, posting, the moderation "
        "queue and a reader reading a whole discussion against their targets, as ratios to a "
        "trivial view in the same rounds. Runs on a throwaway database (SQLite, or the "
        "PostgreSQL server of DATABASE_URL), prints a table and writes JSON. Always exits 0: "
        "a missed target is a finding, not an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=60, help="Measured rounds (60).")
        parser.add_argument("--warmup", type=int, default=3, help="Unmeasured rounds first (3).")
        parser.add_argument(
            "--max-seconds",
            type=float,
            default=60.0,
            help="Stop measuring after this long, with at least 5 rounds (60).",
        )
        parser.add_argument(
            "--quick",
            action="store_true",
            help="Tiny discussion and 3 rounds: checks that the bench works, measures nothing.",
        )
        parser.add_argument("--seed", type=int, default=0, help="Seed of the discussion (0).")
        parser.add_argument(
            "--against",
            type=Path,
            help="An earlier run's JSON: also print each scenario's ratio to hello then and now.",
        )
        parser.add_argument(
            "--only",
            action="append",
            metavar="SCENARIO",
            help="Measure only this scenario (repeatable), e.g. read_everything or thread_long.",
        )
        parser.add_argument(
            "--output", type=Path, help="JSON file to write (benchmarks/results/<time>-<db>.json)."
        )

    def handle(
        self, *args, rounds, warmup, max_seconds, quick, seed, against, output, only, **options
    ):
        if rounds < 1 or warmup < 0:
            raise CommandError("--rounds must be at least 1 and --warmup 0 or more.")
        before = None
        if against is not None:
            try:
                before = json.loads(against.read_text())
            except (OSError, ValueError) as error:
                raise CommandError(f"--against {against}: not a bench record ({error}).") from None
        sizes = QUICK if quick else FULL
        if quick:
            rounds, warmup = min(rounds, 3), min(warmup, 1)
        with throwaway_database(self.stderr.write):
            result = bench.run(
                sizes=sizes,
                rounds=rounds,
                warmup=warmup,
                max_seconds=max_seconds,
                seed=seed,
                only=set(only) if only else None,
                readings=1 if quick else 3,
                progress=self.stderr.write,
            )
            found = report.verdicts(result)
            self.stdout.write(report.table(result, found))
            path = output or report.default_path()
            path.parent.mkdir(parents=True, exist_ok=True)
            now = report.record(result, found)
            path.write_text(json.dumps(now, indent=2) + "\n")
            if before is not None:
                self.stdout.write("\n" + report.comparison(now, before))
        self.stdout.write(f"\nResults written to {path}")


@contextmanager
def throwaway_database(say):
    """A fresh, migrated database for the run, dropped afterwards; db.sqlite3 is never touched.

    SQLite: a file in a temporary directory. PostgreSQL: a database of its own
    on the DATABASE_URL server, named after this process, so that neither
    pytest's test_ database nor another run's is in the way.
    """
    if settings.DEBUG:
        say("Note: DJANGO_DEBUG is set. The bench turns DEBUG off; settings derived from it stay.")
    test_settings = connection.settings_dict.setdefault("TEST", {})
    saved_name = test_settings.get("NAME")
    directory = None
    if connection.vendor == "sqlite":
        directory = tempfile.mkdtemp(prefix="sovereignty-forum-bench-")
        test_settings["NAME"] = os.path.join(directory, "bench.sqlite3")
    else:
        test_settings["NAME"] = f"{connection.settings_dict['NAME']}_bench_{os.getpid()}"
    say(f"Creating the throwaway {connection.vendor} database {test_settings['NAME']}…")
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        test_settings["NAME"] = saved_name
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
