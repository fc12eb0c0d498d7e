"""Emails to moderators: a reply waits for them, or the day's digest of what waits.

Every email leaves only after the transaction that caused it commits. Inside a
test the transaction never commits, so `django_capture_on_commit_callbacks`
stands in for the commit.
"""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command

from comments import reporting
from comments.models import Comment
from tests.actions import post_reply
from tests.factories import (
    make_comment,
    make_commenter,
    make_editor,
    make_moderator,
    make_trusted_commenter,
)
from tests.mailbox import link_path, mails_to

pytestmark = pytest.mark.django_db

QUEUE_PATH = "/admin/comments/comment/queue/"


class TestModeratorsAreToldWhenRepliesWait:
    def test_a_waiting_reply_emails_the_moderators_a_link_to_the_queue(
        self,
        client,
        article,
        valid_reply,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        (message,) = mails_to(mailoutbox, moderator.email)
        assert settings.SITE_URL + QUEUE_PATH in message.body

    def test_editors_are_told_too(
        self, client, article, valid_reply, mailoutbox, django_capture_on_commit_callbacks
    ):
        editor = make_editor()

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        assert len(mails_to(mailoutbox, editor.email)) == 1

    def test_the_email_quotes_the_waiting_reply(
        self,
        client,
        article,
        valid_reply,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        (message,) = mails_to(mailoutbox, moderator.email)
        assert valid_reply["body"] in message.body

    def test_the_queue_link_opens_the_pending_queue_with_the_reply(
        self,
        client,
        article,
        valid_reply,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)
        (message,) = mails_to(mailoutbox, moderator.email)
        client.force_login(moderator)

        page = client.get(link_path(message, "/admin/comments/comment/"))

        assert page.status_code == 200
        assert Comment.objects.get().excerpt in page.content.decode()

    def test_each_waiting_reply_sends_its_own_email(
        self,
        client,
        article,
        valid_reply,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)
            post_reply(client, article, {**valid_reply, "body": "And a second thought."})

        assert len(mails_to(mailoutbox, moderator.email)) == 2

    def test_no_email_is_sent_before_the_transaction_commits(
        self,
        client,
        article,
        valid_reply,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            post_reply(client, article, valid_reply)

        assert callbacks, "the emails should wait for the commit"
        assert mailoutbox == []

    def test_every_moderator_with_an_address_is_emailed(
        self,
        client,
        article,
        valid_reply,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        second = make_moderator("second-moderator")

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        assert mails_to(mailoutbox, moderator.email)
        assert mails_to(mailoutbox, second.email)

    def test_staff_outside_the_moderators_group_are_not_emailed(
        self,
        client,
        article,
        valid_reply,
        moderator,
        staff_outsider,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        assert mails_to(mailoutbox, staff_outsider.email) == []

    def test_a_moderator_without_an_address_is_skipped(
        self, client, article, valid_reply, mailoutbox, django_capture_on_commit_callbacks
    ):
        silent = make_moderator("silent")
        User.objects.filter(pk=silent.pk).update(email="")

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        assert [message.to for message in mailoutbox] == [[valid_reply["author_email"]]]

    def test_a_deactivated_moderator_is_not_emailed(
        self,
        client,
        article,
        valid_reply,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        User.objects.filter(pk=moderator.pk).update(is_active=False)

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        assert mails_to(mailoutbox, moderator.email) == []

    def test_a_reply_published_at_once_does_not_email_the_moderators(
        self,
        client,
        returning_reader_key,
        post_moderated,
        valid_reply,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        make_trusted_commenter(article=post_moderated, email=valid_reply["author_email"])

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, post_moderated, valid_reply)

        assert Comment.objects.get(body=valid_reply["body"]).is_published
        assert mails_to(mailoutbox, moderator.email) == []

    def test_a_comment_hidden_by_readers_reports_emails_the_moderators(
        self, article, moderator, mailoutbox, django_capture_on_commit_callbacks, settings
    ):
        settings.COMMENTS_REPORT_HIDE_THRESHOLD = 2
        comment = make_comment(article=article, body="Something readers dislike.")

        with django_capture_on_commit_callbacks(execute=True):
            for reader in ("first-reader", "second-reader"):
                reporting.report_create(
                    comment=comment, reason="abuse", text="", reader_key=reader, ip_address=None
                )

        (message,) = mails_to(mailoutbox, moderator.email)
        assert "Something readers dislike." in message.body

    def test_nobody_is_emailed_when_moderator_notifications_are_off(
        self,
        client,
        article,
        valid_reply,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
        settings,
    ):
        settings.COMMENTS_MODERATOR_NOTIFICATIONS = "off"

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        assert mails_to(mailoutbox, moderator.email) == []


class TestTheModerationDigest:
    @pytest.fixture(autouse=True)
    def digest_mode(self, settings):
        settings.COMMENTS_MODERATOR_NOTIFICATIONS = "digest"

    def test_posting_sends_no_email_at_once(
        self,
        client,
        article,
        valid_reply,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        make_commenter(email=valid_reply["author_email"], confirmed=True)

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        assert Comment.objects.get().is_pending
        assert mailoutbox == []

    def test_the_digest_is_one_email_with_the_waiting_count_and_the_queue_link(
        self, article, moderator, mailoutbox
    ):
        for _ in range(3):
            make_comment(article=article, status=Comment.Status.PENDING)
        make_comment(article=article)

        call_command("send_moderation_digest")

        (message,) = mailoutbox
        assert message.to == [moderator.email]
        assert "3 replies await moderation" in message.body
        assert settings.SITE_URL + QUEUE_PATH in message.body

    def test_the_digest_counts_edits_awaiting_review(self, article, moderator, mailoutbox):
        make_comment(article=article, pending_body="A better wording.")

        call_command("send_moderation_digest")

        (message,) = mailoutbox
        assert "1 reply awaits moderation" in message.body

    def test_a_digest_the_mail_server_refused_is_reported_as_failed(
        self, article, moderator, broken_mail_server
    ):
        make_comment(article=article, status=Comment.Status.PENDING)
        out = io.StringIO()

        call_command("send_moderation_digest", stdout=out)

        assert "failed" in out.getvalue()

    def test_no_digest_is_sent_when_nothing_waits(self, article, moderator, mailoutbox):
        make_comment(article=article)

        call_command("send_moderation_digest")

        assert mailoutbox == []
