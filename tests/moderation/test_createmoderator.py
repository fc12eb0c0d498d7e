"""Operators make moderators with one documented command."""

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
