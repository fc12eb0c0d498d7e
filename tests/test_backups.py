"""A backup holds the whole discussion: restored into a fresh database, every comment, decision
(the moderation history), rating and report is found again, unchanged.

On PostgreSQL through pg_dump and pg_restore, into another database on the
same server; on SQLite through its online backup API, into a new file.
"""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from benchmarks.seeding import seed_discussion
from comments.models import Comment, ModerationDecision, Rating, Report
from tests.factories import ANA, LUIS, report_by
from tests.servers import ROOT, live_database_url, site_environment

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The apps whose rows a reader or a moderator made or decided.
CONTENTS = ["articles", "comments", "auth.user"]
SEEDED = (Comment, ModerationDecision, Rating, Report)


@pytest.fixture
def discussion(article, moderator):
    """A small seeded discussion with ratings and reports, and a moderator's decisions."""
    seed_discussion(article, comments=120, seed=7)
    approved = Comment.objects.filter(status=Comment.Status.APPROVED).order_by("pk")
    for comment in approved[:3]:
        report_by(ANA, comment, text="Insults another reader.")
        report_by(LUIS, comment)
        comment.reject(by=moderator, note="Insults another reader.")
    for comment in Comment.objects.filter(status=Comment.Status.PENDING).order_by("pk")[:3]:
        comment.approve(by=moderator)
    return article


@pytest.fixture
def fresh_database_url(tmp_path):
    """The URL of a new, empty database to restore into, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield live_database_url(name=name)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url: str, *args: str) -> str:
    """Run a management command on the database at `database_url`; its output."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=site_environment(DATABASE_URL=database_url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def dumped_here() -> list[dict]:
    output = StringIO()
    call_command("dumpdata", *CONTENTS, stdout=output)
    return json.loads(output.getvalue())


def test_a_restored_backup_holds_every_comment_decision_rating_and_report(
    discussion, fresh_database_url, tmp_path
):
    backup = tmp_path / "forum.backup"
    seeded = {model._meta.label_lower: model.objects.count() for model in SEEDED}
    original = dumped_here()

    call_command("backup_database", str(backup), stdout=StringIO())
    restored_said = manage(fresh_database_url, "restore_database", str(backup), "--no-input")
    restored = json.loads(manage(fresh_database_url, "dumpdata", *CONTENTS))

    assert all(seeded.values()), seeded
    assert f"Restored {backup}" in restored_said
    assert {label: sum(row["model"] == label for row in restored) for label in seeded} == seeded
    # Every row again, with the same id and every field as it was.
    assert restored == original


def test_a_file_that_is_no_backup_is_refused_and_nothing_is_changed(db, tmp_path):
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("Not a database.\n")
    comments = Comment.objects.count()

    with pytest.raises(CommandError, match="unchanged"):
        call_command("restore_database", str(not_a_backup), interactive=False)

    assert Comment.objects.count() == comments


def test_a_missing_backup_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="There is no backup at"):
        call_command("restore_database", str(tmp_path / "missing.backup"), interactive=False)


def test_a_backup_into_a_missing_folder_is_refused(db, tmp_path):
    target = tmp_path / "no-such-folder" / "forum.backup"

    with pytest.raises(CommandError, match="There is no folder"):
        call_command("backup_database", str(target), stdout=StringIO())

    assert not target.parent.exists()
