"""Emails about the discussion: to moderators, to commenters, and never at a comment's expense.

Every email leaves only after the transaction that caused it commits. Inside a
test the transaction never commits, so `django_capture_on_commit_callbacks`
stands in for the commit.
"""

import io
import logging
import runpy
from smtplib import SMTPServerDisconnected

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse

from comments import reporting
from comments.models import Comment, ModerationDecision
from moderation import decisions
from tests.actions import decide_on_page, post_reply
from tests.factories import (
    form_stamp,
    make_comment,
    make_commenter,
    make_moderator,
    make_trusted_commenter,
)
from tests.mailbox import link_path, mails_to

pytestmark = pytest.mark.django_db

QUEUE_PATH = "/admin/comments/comment/queue/"


class BrokenMailServer(BaseEmailBackend):
    """A mail server that has gone away."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def broken_mail_server(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.BrokenMailServer"}}


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


class TestAuthorsAreToldAboutReplies:
    @pytest.fixture
    def parent(self, article) -> Comment:
        make_commenter(email="ana@example.com", confirmed=True)
        return make_comment(
            article=article,
            author_name="Ana Torres",
            author_email="ana@example.com",
            body="Shared intelligence, not troops.",
            notify_replies=True,
        )

    @pytest.fixture
    def reply_data(self, parent) -> dict:
        return {
            "author_name": "Luis Pérez",
            "author_email": "luis@example.com",
            "body": "Intelligence sharing needs trust both ways.",
            "parent": parent.pk,
            "stamp": form_stamp(),
        }

    def publish(self, comment: Comment, moderator, capture) -> None:
        with capture(execute=True):
            decisions.comment_moderate(
                comment=comment, status=Comment.Status.APPROVED, by=moderator
            )

    def test_the_author_is_emailed_when_a_reply_to_them_is_published(
        self,
        client,
        article,
        parent,
        reply_data,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        post_reply(client, article, reply_data)
        reply = Comment.objects.get(parent=parent)

        self.publish(reply, moderator, django_capture_on_commit_callbacks)

        (message,) = mails_to(mailoutbox, parent.author_email)
        assert "Luis Pérez replied to your comment" in message.subject
        assert reply_data["body"] in message.body

    def test_the_email_links_to_the_reply(
        self,
        client,
        article,
        parent,
        reply_data,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        post_reply(client, article, reply_data)
        reply = Comment.objects.get(parent=parent)

        self.publish(reply, moderator, django_capture_on_commit_callbacks)

        (message,) = mails_to(mailoutbox, parent.author_email)
        assert settings.SITE_URL + reply.get_absolute_url() in message.body

    def test_the_email_carries_a_one_click_unsubscribe_header(
        self,
        client,
        article,
        parent,
        reply_data,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        post_reply(client, article, reply_data)

        self.publish(
            Comment.objects.get(parent=parent), moderator, django_capture_on_commit_callbacks
        )

        (message,) = mails_to(mailoutbox, parent.author_email)
        unsubscribe = link_path(message, "/commenters/unsubscribe/")
        assert message.extra_headers["List-Unsubscribe"] == f"<{settings.SITE_URL}{unsubscribe}>"
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    def test_the_email_does_not_reveal_the_replier_s_address(
        self,
        client,
        article,
        parent,
        reply_data,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        post_reply(client, article, reply_data)

        self.publish(
            Comment.objects.get(parent=parent), moderator, django_capture_on_commit_callbacks
        )

        (message,) = mails_to(mailoutbox, parent.author_email)
        assert reply_data["author_email"] not in message.message().as_string()

    def test_a_reply_waiting_for_moderation_is_not_announced_yet(
        self, client, article, parent, reply_data, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, reply_data)

        assert mails_to(mailoutbox, parent.author_email) == []

    def test_a_rejected_reply_is_never_announced(
        self,
        client,
        article,
        parent,
        reply_data,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        post_reply(client, article, reply_data)

        with django_capture_on_commit_callbacks(execute=True):
            decisions.comment_moderate(
                comment=Comment.objects.get(parent=parent),
                status=Comment.Status.REJECTED,
                by=moderator,
            )

        assert mails_to(mailoutbox, parent.author_email) == []

    def test_an_author_who_did_not_ask_is_not_emailed(
        self,
        client,
        article,
        parent,
        reply_data,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        Comment.objects.filter(pk=parent.pk).update(notify_replies=False)
        post_reply(client, article, reply_data)

        self.publish(
            Comment.objects.get(parent=parent), moderator, django_capture_on_commit_callbacks
        )

        assert mails_to(mailoutbox, parent.author_email) == []

    def test_answering_oneself_sends_no_email(
        self,
        client,
        article,
        parent,
        reply_data,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        post_reply(client, article, {**reply_data, "author_email": "ANA@example.com"})

        self.publish(
            Comment.objects.get(parent=parent), moderator, django_capture_on_commit_callbacks
        )

        assert mails_to(mailoutbox, parent.author_email) == []

    def test_a_reply_published_at_once_is_announced_after_the_commit(
        self,
        client,
        returning_reader_key,
        post_moderated,
        parent,
        reply_data,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        make_trusted_commenter(article=post_moderated, email=reply_data["author_email"])

        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, post_moderated, reply_data)

        assert Comment.objects.get(parent=parent).is_published
        assert len(mails_to(mailoutbox, parent.author_email)) == 1

    def test_the_reader_answered_at_full_depth_is_the_one_emailed(
        self,
        client,
        article,
        parent,
        reply_data,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
        settings,
    ):
        settings.COMMENTS_MAX_DEPTH = 2
        make_commenter(email="marta@example.com", confirmed=True)
        deepest = make_comment(
            article=article, parent=parent, author_email="marta@example.com", notify_replies=True
        )
        post_reply(client, article, {**reply_data, "parent": deepest.pk})

        self.publish(
            Comment.objects.get(body=reply_data["body"]),
            moderator,
            django_capture_on_commit_callbacks,
        )

        assert len(mails_to(mailoutbox, "marta@example.com")) == 1

    def test_approving_an_edit_of_a_published_reply_does_not_announce_it_again(
        self, article, parent, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        reply = make_comment(article=article, parent=parent, pending_body="A corrected reply.")

        self.publish(reply, moderator, django_capture_on_commit_callbacks)

        assert mails_to(mailoutbox, parent.author_email) == []

    def test_a_reply_hidden_by_reports_and_approved_again_is_not_announced_twice(
        self, article, parent, moderator, mailoutbox, django_capture_on_commit_callbacks, settings
    ):
        settings.COMMENTS_REPORT_HIDE_THRESHOLD = 1
        reply = make_comment(article=article, parent=parent, status=Comment.Status.PENDING)
        self.publish(reply, moderator, django_capture_on_commit_callbacks)
        reporting.report_create(
            comment=reply, reason="abuse", text="", reader_key="a-reader", ip_address=None
        )

        self.publish(reply, moderator, django_capture_on_commit_callbacks)

        assert len(mails_to(mailoutbox, parent.author_email)) == 1


class TestOnlyConfirmedAddressesAreToldAboutReplies:
    """Anyone can type someone else's address and tick "email me"; only its owner can confirm it."""

    def reply_to(self, parent: Comment, moderator, capture) -> None:
        reply = make_comment(article=parent.article, parent=parent, status=Comment.Status.PENDING)
        with capture(execute=True):
            decisions.comment_moderate(comment=reply, status=Comment.Status.APPROVED, by=moderator)

    def test_an_address_nobody_confirmed_is_not_emailed_about_replies(
        self, article, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        make_commenter(email="victim@example.com")
        parent = make_comment(
            article=article, author_email="victim@example.com", notify_replies=True
        )

        self.reply_to(parent, moderator, django_capture_on_commit_callbacks)

        assert mails_to(mailoutbox, "victim@example.com") == []

    def test_an_address_the_site_never_saw_confirmed_is_not_emailed_either(
        self, article, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        parent = make_comment(
            article=article, author_email="victim@example.com", notify_replies=True
        )

        self.reply_to(parent, moderator, django_capture_on_commit_callbacks)

        assert mailoutbox == []

    def test_the_request_is_kept_and_takes_effect_once_the_address_is_confirmed(
        self,
        client,
        article,
        valid_reply,
        moderator,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, {**valid_reply, "notify_replies": "on"})
        parent = Comment.objects.get()
        decisions.comment_moderate(comment=parent, status=Comment.Status.APPROVED, by=moderator)
        (confirmation,) = mails_to(mailoutbox, valid_reply["author_email"])
        self.reply_to(parent, moderator, django_capture_on_commit_callbacks)
        assert len(mails_to(mailoutbox, valid_reply["author_email"])) == 1

        client.post(link_path(confirmation, "/commenters/confirm/"))
        self.reply_to(parent, moderator, django_capture_on_commit_callbacks)

        *_, announcement = mails_to(mailoutbox, valid_reply["author_email"])
        assert "replied to your comment" in announcement.subject

    def test_the_confirmation_email_says_the_reply_emails_wait_for_it(
        self, client, article, valid_reply, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, {**valid_reply, "notify_replies": "on"})

        (message,) = mails_to(mailoutbox, valid_reply["author_email"])
        assert "Those emails start once the address is confirmed" in message.body

    def test_a_confirmation_email_without_the_request_does_not_mention_it(
        self, client, article, valid_reply, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, article, valid_reply)

        (message,) = mails_to(mailoutbox, valid_reply["author_email"])
        assert "replies to you" not in message.body

    def test_the_reader_is_told_the_emails_wait_for_the_confirmation(
        self, client, article, valid_reply
    ):
        response = post_reply(client, article, {**valid_reply, "notify_replies": "on"})

        page = client.get(response["Location"]).content.decode()
        assert "We will email you about replies once you confirm your address" in page

    def test_a_reader_whose_address_is_confirmed_is_not_told_to_confirm_it(
        self, client, article, valid_reply
    ):
        make_commenter(email=valid_reply["author_email"], confirmed=True)

        response = post_reply(client, article, {**valid_reply, "notify_replies": "on"})

        page = client.get(response["Location"]).content.decode()
        assert "once you confirm your address" not in page


class TestTrustNeedsAConfirmedAddress:
    def test_an_unconfirmed_address_is_held_however_good_its_record(
        self, client, post_moderated, valid_reply
    ):
        make_trusted_commenter(
            article=post_moderated, email=valid_reply["author_email"], approved=5, confirmed=False
        )

        post_reply(client, post_moderated, valid_reply)

        comment = Comment.objects.get(body=valid_reply["body"])
        assert (comment.status, comment.rule) == (Comment.Status.PENDING, "unconfirmed")

    def test_after_confirming_by_the_emailed_link_the_next_reply_is_published_at_once(
        self,
        client,
        returning_reader_key,
        post_moderated,
        valid_reply,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        make_trusted_commenter(
            article=post_moderated, email=valid_reply["author_email"], confirmed=False
        )
        with django_capture_on_commit_callbacks(execute=True):
            post_reply(client, post_moderated, valid_reply)
        (message,) = mails_to(mailoutbox, valid_reply["author_email"])
        client.post(link_path(message, "/commenters/confirm/"))

        post_reply(client, post_moderated, {**valid_reply, "body": "Now confirmed."})

        comment = Comment.objects.get(body="Now confirmed.")
        assert (comment.status, comment.rule) == (Comment.Status.APPROVED, "trusted")


class TestTellingARejectedAuthorWhy:
    @pytest.fixture
    def comment(self, article) -> Comment:
        return make_comment(
            article=article,
            author_email="ana@example.com",
            body="You are all fools.",
            status=Comment.Status.PENDING,
        )

    def reject(self, comment, moderator, capture, **decision):
        with capture(execute=True):
            return decisions.comment_moderate(
                comment=comment, status=Comment.Status.REJECTED, by=moderator, **decision
            )

    def test_the_author_is_told_the_reason_and_the_note(
        self, comment, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        self.reject(
            comment,
            moderator,
            django_capture_on_commit_callbacks,
            reason="personal_attack",
            note="Please criticise arguments, not people.",
            tell_author=True,
        )

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert "rejected" in message.body
        assert "Personal attack" in message.body
        assert "Please criticise arguments, not people." in message.body

    def test_the_email_quotes_what_they_wrote(
        self, comment, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        self.reject(comment, moderator, django_capture_on_commit_callbacks, tell_author=True)

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert "You are all fools." in message.body

    def test_the_history_records_that_the_author_was_told(
        self, comment, moderator, django_capture_on_commit_callbacks
    ):
        decision = self.reject(
            comment, moderator, django_capture_on_commit_callbacks, tell_author=True
        )

        decision.refresh_from_db()
        assert decision.author_notified is True

    def test_without_the_option_the_author_is_not_emailed(
        self, comment, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        decision = self.reject(
            comment, moderator, django_capture_on_commit_callbacks, reason="spam"
        )

        decision.refresh_from_db()
        assert mails_to(mailoutbox, "ana@example.com") == []
        assert decision.author_notified is False

    def test_an_author_whose_reply_was_marked_as_spam_is_told_so_in_plain_words(
        self, comment, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            decisions.comment_moderate(
                comment=comment, status=Comment.Status.SPAM, by=moderator, tell_author=True
            )

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert "as spam; it will not be published" in message.body

    def test_an_approval_sends_no_decision_email_even_with_the_option(
        self, comment, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            decisions.comment_moderate(
                comment=comment, status=Comment.Status.APPROVED, by=moderator, tell_author=True
            )

        assert mails_to(mailoutbox, "ana@example.com") == []

    def test_the_email_waits_for_the_commit(
        self, comment, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            decisions.comment_moderate(
                comment=comment, status=Comment.Status.REJECTED, by=moderator, tell_author=True
            )

        assert mailoutbox == []

    def test_the_reject_button_in_the_admin_can_tell_the_author(
        self, moderator_client, comment, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            decide_on_page(
                moderator_client,
                comment,
                "_reject",
                reason="incivility",
                note="Keep it civil.",
                tell_author="on",
            )

        (message,) = mails_to(mailoutbox, "ana@example.com")
        assert "Incivility" in message.body
        assert "Keep it civil." in message.body

    def test_the_reject_button_without_the_option_tells_nobody(
        self, moderator_client, comment, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            decide_on_page(moderator_client, comment, "_reject", reason="incivility")

        comment.refresh_from_db()
        assert comment.status == Comment.Status.REJECTED
        assert mails_to(mailoutbox, "ana@example.com") == []

    def test_a_bulk_rejection_in_the_admin_can_tell_each_author(
        self, moderator_client, article, comment, mailoutbox, django_capture_on_commit_callbacks
    ):
        other = make_comment(
            article=article, author_email="luis@example.com", status=Comment.Status.PENDING
        )

        with django_capture_on_commit_callbacks(execute=True):
            moderator_client.post(
                reverse("admin:comments_comment_changelist"),
                {
                    "action": "reject",
                    "_selected_action": [comment.pk, other.pk],
                    "reason": "off_topic",
                    "note": "",
                    "tell_author": "on",
                    **{f"seen-{c.pk}": c.shown_version for c in (comment, other)},
                },
            )

        assert len(mails_to(mailoutbox, "ana@example.com")) == 1
        assert len(mails_to(mailoutbox, "luis@example.com")) == 1

    def test_refusing_an_edit_can_tell_the_author(
        self, article, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        comment = make_comment(
            article=article, author_email="ana@example.com", pending_body="Now with insults."
        )

        self.reject(
            comment,
            moderator,
            django_capture_on_commit_callbacks,
            reason="incivility",
            tell_author=True,
        )

        assert len(mails_to(mailoutbox, "ana@example.com")) == 1


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
        assert response["Location"] == f"{article.get_absolute_url()}#c{comment.pk}"

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
