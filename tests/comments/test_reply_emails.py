"""Emails to commenters about replies to their comments, and only at a confirmed address.

Every email leaves only after the transaction that caused it commits. Inside a
test the transaction never commits, so `django_capture_on_commit_callbacks`
stands in for the commit.
"""

import pytest
from django.conf import settings

from comments import reporting
from comments.models import Comment
from moderation import decisions
from tests.actions import post_reply
from tests.factories import form_stamp, make_comment, make_commenter, make_trusted_commenter
from tests.mailbox import link_path, mails_to

pytestmark = pytest.mark.django_db


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

        page = client.get(response["Location"], follow=True).content.decode()
        assert "We will email you about replies once you confirm your address" in page

    def test_a_reader_whose_address_is_confirmed_is_not_told_to_confirm_it(
        self, client, article, valid_reply
    ):
        make_commenter(email=valid_reply["author_email"], confirmed=True)

        response = post_reply(client, article, {**valid_reply, "notify_replies": "on"})

        page = client.get(response["Location"], follow=True).content.decode()
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
