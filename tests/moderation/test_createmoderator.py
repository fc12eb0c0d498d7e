"""Operators make moderators with one documented command."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_it_creates_a_staff_account_in_the_moderators_group(monkeypatch):
    monkeypatch.setenv("MODERATOR_PASSWORD", "a-long-enough-passphrase")

    call_command("createmoderator", "maria", "--email", "maria@example.com", "--no-input")

    user = User.objects.get(username="maria")
    assert user.is_staff and not user.is_superuser
    assert user.check_password("a-long-enough-passphrase")
    assert user.has_perm("comments.moderate_comment")
    assert not user.has_perm("articles.change_article")


def test_it_promotes_an_existing_account_without_touching_its_password():
    user = User.objects.create_user("pedro", password="original-passphrase-1")

    call_command("createmoderator", "pedro", "--no-input")

    user.refresh_from_db()
    assert user.is_staff
    assert user.groups.filter(name="Moderators").exists()
    assert user.check_password("original-passphrase-1")


def test_it_refuses_a_weak_password_and_creates_nothing(monkeypatch):
    monkeypatch.setenv("MODERATOR_PASSWORD", "123")

    with pytest.raises(CommandError, match="too short"):
        call_command("createmoderator", "maria", "--no-input")

    assert not User.objects.filter(username="maria").exists()


def test_without_a_prompt_a_new_account_needs_a_password(monkeypatch):
    monkeypatch.delenv("MODERATOR_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="MODERATOR_PASSWORD"):
        call_command("createmoderator", "maria", "--no-input")


class Terminal(io.StringIO):
    """A terminal an operator types into: each line answers the next question."""

    def isatty(self) -> bool:
        return True


def at_a_terminal(monkeypatch, *, typed: list[str], passwords: list[str]) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("\n".join(typed) + "\n"))
    answers = iter(passwords)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))


def test_at_a_terminal_it_asks_for_the_email_notices_go_to(monkeypatch):
    at_a_terminal(
        monkeypatch,
        typed=["not an email", "Maria@Example.org"],
        passwords=["a-long-enough-passphrase"] * 2,
    )

    call_command("createmoderator", "maria", stdout=io.StringIO(), stderr=io.StringIO())

    user = User.objects.get(username="maria")
    assert user.email == "maria@example.org"
    assert user.check_password("a-long-enough-passphrase")


def test_an_email_left_empty_is_asked_for_again_saying_why(monkeypatch):
    at_a_terminal(
        monkeypatch, typed=["", "maria@example.org"], passwords=["a-long-enough-passphrase"] * 2
    )
    stderr = io.StringIO()

    call_command("createmoderator", "maria", stdout=io.StringIO(), stderr=stderr)

    assert "An email is needed: the notices of replies waiting for review go there" in (
        stderr.getvalue()
    )
    assert "'' is not an email address" not in stderr.getvalue()
    assert User.objects.get(username="maria").email == "maria@example.org"


def test_it_asks_an_existing_account_without_an_email_for_one(monkeypatch):
    User.objects.create_user("pedro", password="original-passphrase-1")
    at_a_terminal(monkeypatch, typed=["pedro@example.org"], passwords=[])

    call_command("createmoderator", "pedro", stdout=io.StringIO())

    assert User.objects.get(username="pedro").email == "pedro@example.org"


def test_without_a_terminal_it_says_how_to_run_it_from_a_script(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))

    with pytest.raises(CommandError, match=r"--no-input.*MODERATOR_PASSWORD"):
        call_command("createmoderator", "maria")

    assert not User.objects.filter(username="maria").exists()


def test_a_moderator_made_without_an_email_is_warned_of_the_missing_notices(monkeypatch):
    monkeypatch.setenv("MODERATOR_PASSWORD", "a-long-enough-passphrase")
    stderr = io.StringIO()

    call_command("createmoderator", "maria", "--no-input", stderr=stderr)

    assert "no notices" in stderr.getvalue()


def test_a_malformed_email_is_refused(monkeypatch):
    monkeypatch.setenv("MODERATOR_PASSWORD", "a-long-enough-passphrase")

    with pytest.raises(CommandError, match="not an email address"):
        call_command("createmoderator", "maria", "--email", "maria@", "--no-input")


def test_createeditor_makes_an_editor_who_may_close_discussions(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "a-long-enough-passphrase")

    call_command("createeditor", "elena", "--email", "elena@example.com", "--no-input")

    user = User.objects.get(username="elena")
    assert user.is_staff and not user.is_superuser
    assert user.has_perm("articles.close_discussion")
    assert user.has_perm("comments.moderate_comment")
    assert not user.has_perm("articles.change_article")
