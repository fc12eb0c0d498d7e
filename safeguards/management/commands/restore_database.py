import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from safeguards.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace everything in the database with a backup_database file. Stop the app "
        "servers and workers first: nothing may write while it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="The backup to restore.")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to restore into (default)."
        )
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, path: Path, database: str, interactive: bool, **options):
        connection = connections[database]
        name = connection.settings_dict["NAME"]
        if interactive:
            answer = input(
                f"This replaces everything in the {connection.vendor} database {name} with "
                f"{path}.\nType 'yes' to go on: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled: the database is unchanged.")
        started = time.perf_counter()
        try:
            restore(connection, path)
        except BackupError as error:
            raise CommandError(f"{error}\nThe database is unchanged.") from None
        self.stdout.write(
            f"Restored {path} into the {connection.vendor} database {name} "
            f"in {time.perf_counter() - started:.1f} s."
        )
