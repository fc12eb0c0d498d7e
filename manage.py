#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sovereignty_forum.settings")
    # A reader waits at most a few seconds on the database (DJANGO_DB_STATEMENT_TIMEOUT);
    # a command may rightly run longer statements (a migration building an index, a
    # backup, seeding), so none is cut short unless the variable is set for it.
    if sys.argv[1:2] != ["runserver"]:
        os.environ.setdefault("DJANGO_DB_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
