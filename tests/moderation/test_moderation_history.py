"""A comment's moderation history: each entry reads as the change it made, and can be translated."""

import inspect
import shutil
import subprocess
from pathlib import Path

import pytest

from comments.models import Comment, ModerationDecision

XGETTEXT = shutil.which("xgettext")


def test_a_first_decision_reads_as_a_change_from_new():
    decision = ModerationDecision(from_status="", to_status=Comment.Status.PENDING)

    assert str(decision) == "new → Pending"


def test_a_later_decision_names_both_statuses():
    decision = ModerationDecision(
        from_status=Comment.Status.PENDING, to_status=Comment.Status.APPROVED
    )

    assert str(decision) == "Pending → Approved"


@pytest.mark.skipif(XGETTEXT is None, reason="needs GNU gettext, as makemessages does")
def test_the_words_of_an_entry_reach_the_translators():
    # What makemessages reads from Python files; text inside an f-string never reaches it.
    catalogue = subprocess.run(  # noqa: S603 (our own source file)
        [
            XGETTEXT,
            "--language=Python",
            "--from-code=UTF-8",
            "--keyword=gettext_lazy",
            "--output=-",
            Path(inspect.getsourcefile(ModerationDecision)),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    assert 'msgid "%(from)s → %(to)s"' in catalogue
    assert 'msgid "new"' in catalogue
