"""Backing the database up to one file, and putting such a file back.

PostgreSQL: pg_dump's custom format, restored by pg_restore in one
transaction (a restore that fails changes nothing). SQLite: its online
backup API, a consistent copy taken while the site keeps serving. Either way
the file holds every table: the discussion, its moderation history, ratings,
reports, accounts and sessions.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db.backends.base.base import BaseDatabaseWrapper


class BackupError(Exception):
    """The backup or the restore did not happen; the message says why."""


def backup(connection: BaseDatabaseWrapper, path: Path) -> None:
    """Write the whole database behind `connection` to `path`, replacing the file if any."""
    if not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent} to write the backup in.")
    # Written beside, then renamed: a backup that fails halfway never passes for a good one.
    partial = path.with_name(path.name + ".partial")
    try:
        if connection.vendor == "postgresql":
            _run("pg_dump", "--format=custom", f"--file={partial}", connection=connection)
        elif connection.vendor == "sqlite":
            name = connection.settings_dict["NAME"]
            if not connection.is_in_memory_db() and not Path(name).is_file():  # type: ignore[attr-defined]
                raise BackupError(f"There is no database at {name}.")
            connection.ensure_connection()
            copy = sqlite3.connect(partial)
            try:
                connection.connection.backup(copy)
                # One self-contained file, whatever journal the site's database keeps.
                copy.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.Error as error:
                raise BackupError(f"The backup failed: {error}") from None
            finally:
                copy.close()
        else:
            raise BackupError(f"Cannot back up a {connection.vendor} database.")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def restore(connection: BaseDatabaseWrapper, path: Path) -> None:
    """Replace the contents of the database behind `connection` with the backup at `path`."""
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    if connection.vendor == "postgresql":
        _run(
            "pg_restore",
            # Whatever the backup holds replaces what the database holds, all or nothing.
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            # Restored for the role the site connects as, whoever owned the originals.
            "--no-owner",
            "--no-privileges",
            f"--dbname={connection.settings_dict['NAME']}",
            str(path),
            connection=connection,
        )
    elif connection.vendor == "sqlite":
        backup_file = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            _check_sqlite(backup_file, path)
            connection.ensure_connection()
            backup_file.backup(connection.connection)
        except sqlite3.Error as error:
            raise BackupError(f"The restore failed: {error}") from None
        finally:
            backup_file.close()
    else:
        raise BackupError(f"Cannot restore a {connection.vendor} database.")


def _check_sqlite(database: sqlite3.Connection, path: Path) -> None:
    # A wrong or damaged file is refused before anything is overwritten.
    try:
        verdict = database.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not an SQLite database: {error}") from None
    if verdict != "ok":
        raise BackupError(f"{path} is damaged: {verdict}")


# What libpq's tools read from the environment, from the site's database settings.
_LIBPQ_ENVIRONMENT = {
    "HOST": "PGHOST",
    "PORT": "PGPORT",
    "USER": "PGUSER",
    "PASSWORD": "PGPASSWORD",
    "NAME": "PGDATABASE",
}
_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}


def _run(tool: str, *args: str, connection: BaseDatabaseWrapper) -> None:
    if shutil.which(tool) is None:
        raise BackupError(
            f"{tool} is missing: install PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client), of the server's major version."
        )
    settings = connection.settings_dict
    # Through the environment, so that the password never shows in the process list.
    environment = dict(os.environ)
    for key, variable in _LIBPQ_ENVIRONMENT.items():
        if settings.get(key):
            environment[variable] = str(settings[key])
    for option, variable in _LIBPQ_OPTIONS.items():
        if settings["OPTIONS"].get(option):
            environment[variable] = str(settings["OPTIONS"][option])
    done = subprocess.run(  # noqa: S603 (PostgreSQL's own tools, our arguments)
        [tool, *args], env=environment, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"{tool} failed (exit {done.returncode}):\n{done.stderr.strip()}")
