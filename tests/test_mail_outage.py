"""A mail server that is down, or that accepts the connection and never answers, neither loses
nor holds up a reader's post: the mail waits at most EMAIL_TIMEOUT, fails, and is logged.

Emails are tasks run after the post's transaction commits; inside a test the
transaction never commits, so `django_capture_on_commit_callbacks` stands in
for the commit.
"""

import logging
import socket
import threading
from smtplib import SMTPException

import pytest
from django.tasks import TaskResultStatus
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from comments.models import Comment, Commenter, ModerationDecision
from moderation import decisions
from tests.actions import post_reply, run_the_worker
from tests.factories import make_comment
from tests.servers import free_port

pytestmark = pytest.mark.django_db


class SilentMailServer:
    """Listens on 127.0.0.1, accepts every connection, and never says a word."""

    def __init__(self):
        self._socket = socket.create_server(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self._socket.accept()
            except OSError:
                return  # Closed.
            self.connections.append(connection)

    def close(self) -> None:
        self._socket.close()
        for connection in self.connections:
            connection.close()


def smtp_to(port: int) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            # EMAIL_TIMEOUT, shortened for the test (the site's default is 10 s).
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 1},
        }
    }


@pytest.fixture
def hanging_mail_server(settings):
    server = SilentMailServer()
    settings.MAILERS = smtp_to(server.port)
    yield server
    server.close()


@pytest.fixture
def mail_server_down(settings):
    settings.MAILERS = smtp_to(free_port())


def mail_failures(caplog) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == "django.tasks" and record.levelno == logging.ERROR and record.exc_info
    ]


@pytest.mark.usefixtures("database_tasks")
class TestAMailServerThatHangsWithAWorker:
    def test_a_post_is_answered_without_waiting_for_the_mail_server(
        self,
        client,
        article,
        valid_reply,
        moderator,
        hanging_mail_server,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_reply(client, article, valid_reply)

        assert response.status_code == 302
        assert Comment.objects.get().body == valid_reply["body"]
        # Nothing in the request spoke to the mail server: its two emails wait for a worker.
        assert hanging_mail_server.connections == []
        assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2

    @pytest.mark.django_db(transaction=True, serialized_rollback=True)
    def test_the_worker_meets_the_outage_and_keeps_both_emails_for_later(
        self, client, article, valid_reply, moderator, hanging_mail_server
    ):
        post_reply(client, article, valid_reply)

        run_the_worker()

        assert len(hanging_mail_server.connections) == 2
        retries = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        assert [task.args_kwargs["kwargs"] for task in retries] == [{"attempt": 2}] * 2


class TestAMailServerThatHangs:
    def test_the_reply_is_stored_and_the_reader_redirected_to_it(
        self,
        client,
        article,
        valid_reply,
        moderator,
        hanging_mail_server,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            response = post_reply(client, article, valid_reply)

        comment = Comment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("comments:permalink", kwargs={"pk": comment.pk})
        assert comment.body == valid_reply["body"]
        # The emails did go to the server, and were given up on.
        assert hanging_mail_server.connections

    def test_each_email_given_up_on_is_logged_with_its_cause(
        self,
        client,
        article,
        valid_reply,
        moderator,
        hanging_mail_server,
        django_capture_on_commit_callbacks,
        caplog,
    ):
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        failures = mail_failures(caplog)
        # The moderators' notice and the commenter's confirmation link.
        assert len(failures) == 2
        assert all(issubclass(r.exc_info[0], SMTPException | OSError) for r in failures)
        assert all("timed out" in str(r.exc_info[1]) for r in failures)

    def test_the_confirmation_link_is_sent_with_the_next_reply_once_mail_works_again(
        self,
        client,
        article,
        valid_reply,
        hanging_mail_server,
        mailoutbox,
        settings,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)
        assert Commenter.objects.get().confirmation_sent is None
        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, {**valid_reply, "body": "A second thought."})

        assert [m.to for m in mailoutbox] == [[valid_reply["author_email"]]]
        assert Commenter.objects.get().confirmation_sent is not None

    def test_a_moderators_decision_stands_when_the_author_cannot_be_told(
        self, article, moderator, hanging_mail_server, django_capture_on_commit_callbacks
    ):
        comment = make_comment(article=article, status=Comment.Status.PENDING)

        with django_capture_on_commit_callbacks(execute=True):
            decisions.comment_moderate(
                comment=comment, status=Comment.Status.REJECTED, by=moderator, tell_author=True
            )

        comment.refresh_from_db()
        assert comment.status == Comment.Status.REJECTED
        assert ModerationDecision.objects.get(comment=comment).author_notified is False


class TestAMailServerThatIsDown:
    def test_the_reply_is_stored_and_the_failure_logged(
        self,
        client,
        article,
        valid_reply,
        moderator,
        mail_server_down,
        django_capture_on_commit_callbacks,
        caplog,
    ):
        with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
            response = post_reply(client, article, valid_reply)

        comment = Comment.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("comments:permalink", kwargs={"pk": comment.pk})
        failures = mail_failures(caplog)
        assert failures
        assert all(issubclass(r.exc_info[0], ConnectionRefusedError) for r in failures)
