import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from safeguards.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back the whole database up to one file, while the site keeps serving: pg_dump's "
        "custom format on PostgreSQL, SQLite's online backup otherwise. restore_database "
        "puts it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The file to write (replaced if it exists).")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to back up (default)."
        )

    def handle(self, *args, path: Path, database: str, **options):
        connection = connections[database]
        started = time.perf_counter()
        try:
            backup(connection, path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up the {connection.vendor} database {connection.settings_dict['NAME']} "
            f"to {path} ({path.stat().st_size:,} bytes) in {time.perf_counter() - started:.1f} s."
        )
