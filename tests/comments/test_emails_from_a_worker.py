"""Emails leave the request: a post queues them in its own transaction, a worker sends them.

These tests run the database backend, as production does, and the worker of
`manage.py db_worker`: in this process (`run_the_worker`, one pass over what
is due), and, on PostgreSQL, as a process of its own sending to a mail server.
They commit for real (`transaction=True`), since a task row is written as the
post's transaction commits.
"""

import logging
import subprocess
import sys
import time
from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments import notifications
from comments.models import Comment, Commenter, ModerationDecision
from moderation import decisions
from tests.actions import post_reply, run_the_worker
from tests.factories import make_comment
from tests.mailbox import mails_to
from tests.servers import ROOT, SmtpSink, live_database_url, require_postgresql, site_environment

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_tasks"),
]

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def queued_emails(status=TaskResultStatus.READY) -> list[str]:
    """The names of the emails whose tasks have `status`, oldest first."""
    tasks = DBTaskResult.objects.filter(status=status).order_by("enqueued_at")
    return [task.args_kwargs["args"][0] for task in tasks]


def make_every_task_due() -> None:
    """As if the retries' delays had passed."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


class TestAPostWithNoWorkerRunning:
    def test_it_is_answered_with_its_emails_queued_and_none_sent(
        self, client, article, valid_reply, moderator, mailoutbox
    ):
        response = post_reply(client, article, valid_reply)

        assert response.status_code == 302
        assert Comment.objects.get().body == valid_reply["body"]
        assert mailoutbox == []
        assert queued_emails() == ["tell_moderators_a_comment_waits", "send_email_confirmation"]

    def test_its_emails_are_sent_once_the_worker_starts(
        self, client, article, valid_reply, moderator, mailoutbox
    ):
        post_reply(client, article, valid_reply)

        run_the_worker()

        assert len(mails_to(mailoutbox, moderator.email)) == 1
        assert len(mails_to(mailoutbox, valid_reply["author_email"])) == 1
        assert queued_emails() == []
        assert len(queued_emails(TaskResultStatus.SUCCESSFUL)) == 2
        assert Commenter.objects.get().confirmation_sent is not None

    def test_a_post_that_is_refused_queues_nothing(self, client, article, valid_reply):
        post_reply(client, article, {**valid_reply, "body": ""})

        assert Comment.objects.count() == 0
        assert DBTaskResult.objects.count() == 0


class TestRetries:
    @pytest.fixture(autouse=True)
    def two_retries(self, settings):
        settings.EMAIL_RETRY_DELAYS = [60, 300]

    def test_an_email_the_mail_server_refused_is_tried_again_after_the_first_delay(
        self, article, moderator, broken_mail_server
    ):
        notifications.enqueue(notifications.send_moderation_digest)
        make_comment(article=article, status=Comment.Status.PENDING)
        before = timezone.now()

        run_the_worker()

        (retry,) = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        assert retry.args_kwargs == {"args": ["send_moderation_digest"], "kwargs": {"attempt": 2}}
        assert before + timedelta(seconds=60) <= retry.run_after
        assert retry.run_after <= timezone.now() + timedelta(seconds=60)
        # The first try is done with, and says why it sent nothing.
        (first,) = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL)
        assert first.return_value["next_attempt"] == 2
        assert "Connection unexpectedly closed" in first.return_value["not_sent"]

    def test_it_is_sent_once_the_mail_server_takes_it(
        self, article, moderator, broken_mail_server, settings, mailoutbox
    ):
        make_comment(article=article, status=Comment.Status.PENDING)
        notifications.enqueue(notifications.send_moderation_digest)
        run_the_worker()
        settings.MAILERS = LOCMEM
        make_every_task_due()

        run_the_worker()

        (digest,) = mails_to(mailoutbox, moderator.email)
        assert "1 reply awaits moderation" in digest.body
        assert queued_emails() == []

    def test_after_the_last_delay_it_is_given_up_on_logged_and_left_failed(
        self, article, moderator, broken_mail_server, caplog
    ):
        make_comment(article=article, status=Comment.Status.PENDING)
        notifications.enqueue(notifications.send_moderation_digest)

        with caplog.at_level(logging.WARNING):
            for _try in range(3):
                run_the_worker()
                make_every_task_due()

        assert queued_emails() == []
        (failed,) = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
        assert failed.args_kwargs["kwargs"] == {"attempt": 3}
        assert "Gave up on the email send_moderation_digest after 3 attempt(s)." in (
            failed.traceback
        )
        retried = [r for r in caplog.records if r.name == "comments.notifications"]
        assert [r.levelno for r in retried] == [logging.WARNING, logging.WARNING]
        (given_up,) = [
            r for r in caplog.records if r.name == "django.tasks" and r.levelno == logging.ERROR
        ]
        assert given_up.exc_info[0] is SMTPServerDisconnected

    def test_with_no_delays_an_email_is_tried_once(self, article, broken_mail_server, settings):
        settings.EMAIL_RETRY_DELAYS = []
        notifications.enqueue(notifications.send_email_confirmation, "ana@example.com")

        run_the_worker()

        assert queued_emails() == []
        assert queued_emails(TaskResultStatus.FAILED) == ["send_email_confirmation"]

    def test_a_failure_that_is_not_the_mail_servers_is_not_retried(self, article, moderator):
        comment = make_comment(article=article, status=Comment.Status.PENDING)
        decisions.comment_moderate(
            comment=comment, status=Comment.Status.REJECTED, by=moderator, tell_author=True
        )
        # The decision is gone before the worker writes the email about it.
        ModerationDecision.objects.all()._raw_delete(ModerationDecision.objects.db)

        run_the_worker()

        assert queued_emails() == []
        assert queued_emails(TaskResultStatus.FAILED) == ["tell_author_of_a_decision"]


class TestTheDigestCommand:
    def test_it_queues_the_digest_for_a_worker(self, article, moderator, mailoutbox, capsys):
        make_comment(article=article, status=Comment.Status.PENDING)

        call_command("send_moderation_digest")

        assert "queued" in capsys.readouterr().out
        assert mailoutbox == []
        run_the_worker()
        assert len(mails_to(mailoutbox, moderator.email)) == 1


def test_an_email_that_is_not_registered_is_refused():
    def not_an_email() -> None: ...

    with pytest.raises(ValueError, match="not an @email"):
        notifications.enqueue(not_an_email)


class TestTheWorkerCommand:
    def test_a_worker_process_sends_what_was_posted_while_it_was_down(
        self, client, article, valid_reply, moderator
    ):
        require_postgresql("A worker in a process of its own")
        post_reply(client, article, valid_reply)
        assert len(queued_emails()) == 2
        mail_server = SmtpSink()
        environment = site_environment(
            DATABASE_URL=live_database_url(),
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(mail_server.port),
            EMAIL_USE_TLS="0",
        )
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while len(mail_server.messages) < 2 and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            worker.terminate()  # As Ctrl-C or a service manager stops it: gracefully.
            output, _ = worker.communicate(timeout=30)
            mail_server.close()

        assert len(mail_server.messages) == 2, output
        assert worker.returncode == 0, output
        assert queued_emails() == []
