"""Telling a commenter why their comment was rejected, when the moderator chooses to.

Every email leaves only after the transaction that caused it commits. Inside a
test the transaction never commits, so `django_capture_on_commit_callbacks`
stands in for the commit.
"""

import pytest
from django.urls import reverse

from comments.models import Comment
from moderation import decisions
from tests.actions import decide_on_page
from tests.factories import make_comment
from tests.mailbox import mails_to

pytestmark = pytest.mark.django_db


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

    def test_the_reject_and_tell_button_in_the_admin_tells_the_author(
        self, moderator_client, comment, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            decide_on_page(
                moderator_client,
                comment,
                "_reject_and_tell",
                reason="incivility",
                note="Keep it civil.",
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
                    "action": "reject_and_tell",
                    "_selected_action": [comment.pk, other.pk],
                    "reason": "off_topic",
                    "note": "",
                    **{f"seen-{c.pk}": c.shown_version for c in (comment, other)},
                },
            )

        assert len(mails_to(mailoutbox, "ana@example.com")) == 1
        assert len(mails_to(mailoutbox, "luis@example.com")) == 1

    def test_the_comment_lists_plain_rejection_tells_nobody_even_if_asked(
        self, moderator_client, comment, mailoutbox, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            moderator_client.post(
                reverse("admin:comments_comment_changelist"),
                {
                    "action": "reject",
                    "_selected_action": [comment.pk],
                    "reason": "off_topic",
                    "tell_author": "on",
                    f"seen-{comment.pk}": comment.shown_version,
                },
            )

        comment.refresh_from_db()
        assert comment.status == Comment.Status.REJECTED
        assert mails_to(mailoutbox, "ana@example.com") == []

    def test_the_comment_list_has_no_tell_the_author_box(self, moderator_client, comment):
        html = moderator_client.get(reverse("admin:comments_comment_changelist")).content.decode()

        assert 'name="tell_author"' not in html
        assert "Reject the selected comments and tell their authors why" in html

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
