"""The mail server: a failing one never costs a comment; its settings come from the environment.

Every email leaves only after the transaction that caused it commits. Inside a
test the transaction never commits, so `django_capture_on_commit_callbacks`
stands in for the commit.
"""

import logging
import runpy
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from comments.models import Comment, ModerationDecision
from moderation import decisions
from tests.actions import post_reply
from tests.factories import make_comment
from tests.mailbox import mails_to

pytestmark = pytest.mark.django_db


class TestAFailingMailServer:
    def test_the_reply_is_stored_and_the_reader_redirected_to_it(
        self,
        client,
        article,
        valid_reply,
        moderator,
        broken_mail_server,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_reply(client, article, valid_reply)

        comment = Comment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("comments:permalink", kwargs={"pk": comment.pk})

    def test_the_failure_is_logged(
        self,
        client,
        article,
        valid_reply,
        moderator,
        broken_mail_server,
        django_capture_on_commit_callbacks,
        caplog,
    ):
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        failures = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
        assert failures
        assert all(r.exc_info[0] is SMTPServerDisconnected for r in failures)

    def test_a_confirmation_that_could_not_be_sent_is_sent_with_the_next_reply(
        self,
        client,
        article,
        valid_reply,
        broken_mail_server,
        mailoutbox,
        django_capture_on_commit_callbacks,
        settings,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, {**valid_reply, "body": "Trying again."})

        assert len(mails_to(mailoutbox, valid_reply["author_email"])) == 1

    def test_a_decision_stands_when_the_author_cannot_be_told(
        self, article, moderator, broken_mail_server, django_capture_on_commit_callbacks
    ):
        comment = make_comment(article=article, status=Comment.Status.PENDING)

        with django_capture_on_commit_callbacks(execute=True):
            decisions.comment_moderate(
                comment=comment, status=Comment.Status.REJECTED, by=moderator, tell_author=True
            )

        comment.refresh_from_db()
        decision = ModerationDecision.objects.filter(comment=comment).get()
        assert comment.status == Comment.Status.REJECTED
        assert decision.author_notified is False


class TestMailSettings:
    """Development prints emails; production sends them by SMTP, configured from the environment."""

    SETTINGS_FILE = str(settings.BASE_DIR / "sovereignty_forum" / "settings.py")

    def load(self, monkeypatch, **environment) -> dict:
        for name in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"):
            monkeypatch.delenv(name, raising=False)
        for name in ("EMAIL_USE_TLS", "EMAIL_TIMEOUT", "DEFAULT_FROM_EMAIL"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(self.SETTINGS_FILE)

    def test_development_prints_emails_to_the_console(self, monkeypatch):
        loaded = self.load(monkeypatch)

        assert loaded["MAILERS"]["default"]["BACKEND"] == (
            "django.core.mail.backends.console.EmailBackend"
        )

    def test_production_sends_by_smtp_with_the_settings_from_the_environment(self, monkeypatch):
        loaded = self.load(
            monkeypatch,
            EMAIL_HOST="smtp.example.org",
            EMAIL_PORT="2525",
            EMAIL_HOST_USER="forum",
            EMAIL_HOST_PASSWORD="secret",
            EMAIL_USE_TLS="false",
            DEFAULT_FROM_EMAIL="Forum <forum@example.org>",
        )

        mailer = loaded["MAILERS"]["default"]
        assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
        assert mailer["OPTIONS"] == {
            "host": "smtp.example.org",
            "port": 2525,
            "username": "forum",
            "password": "secret",
            "use_tls": False,
            "timeout": 10,
        }
        assert loaded["DEFAULT_FROM_EMAIL"] == "Forum <forum@example.org>"

    def test_a_hanging_mail_server_is_given_up_on_after_a_timeout(self, monkeypatch):
        loaded = self.load(monkeypatch, EMAIL_HOST="smtp.example.org", EMAIL_TIMEOUT="3")

        assert loaded["MAILERS"]["default"]["OPTIONS"]["timeout"] == 3

    def test_a_malformed_port_stops_start_up(self, monkeypatch):
        with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
            self.load(monkeypatch, EMAIL_HOST="smtp.example.org", EMAIL_PORT="smtp")
