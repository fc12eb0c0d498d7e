"""An edit of a published comment waits for a moderator's decision about it, whatever readers'
reports do meanwhile; marking it spam is a decision about the whole comment."""

import pytest

from comments.models import Comment, Report, Rule
from comments.reporting import report_create
from moderation.decisions import comment_moderate, reports_dismiss
from tests.factories import make_comment

pytestmark = pytest.mark.django_db

PUBLISHED, EDIT = "The published words.", "The author's edit, unread."

# Readers in networks of their own, none of them the author.
READERS = [("reader-a", "198.51.100.7"), ("reader-b", "203.0.113.9"), ("reader-c", "192.0.2.44")]


@pytest.fixture(autouse=True)
def three_reports_hide(settings):
    settings.COMMENTS_REPORT_HIDE_THRESHOLD = len(READERS)


def edited_comment(article) -> Comment:
    return make_comment(article=article, body=PUBLISHED, pending_body=EDIT)


def reported_until_hidden(comment: Comment) -> Comment:
    for reader_key, ip_address in READERS:
        report_create(
            comment=comment, reason="abuse", text="", reader_key=reader_key, ip_address=ip_address
        )
    comment.refresh_from_db()
    assert (comment.status, comment.rule) == (Comment.Status.PENDING, Rule.REPORTS)
    return comment


def decide(comment: Comment, status: str, moderator) -> Comment:
    comment_moderate(comment=comment, status=status, by=moderator)
    comment.refresh_from_db()
    return comment


class TestReportsHidingAnEditedComment:
    def test_keep_its_edit_waiting(self, article):
        comment = reported_until_hidden(edited_comment(article))

        assert (comment.body, comment.pending_body) == (PUBLISHED, EDIT)
        assert Comment.objects.needs_review().filter(pk=comment.pk).exists()
        assert Comment.objects.count_needing_review() == 1

    def test_record_no_decision_about_the_edit(self, article):
        comment = reported_until_hidden(edited_comment(article))

        hiding = comment.decisions.get()
        assert (hiding.from_status, hiding.to_status, hiding.edit) == (
            Comment.Status.APPROVED,
            Comment.Status.PENDING,
            "",
        )

    def test_show_readers_neither_text(self, client, article):
        reported_until_hidden(edited_comment(article))

        html = client.get(article.get_absolute_url()).content.decode()

        assert PUBLISHED not in html
        assert EDIT not in html


class TestDecidingAHiddenCommentWithAnEditWaiting:
    def test_approving_brings_back_the_published_text_and_the_edit_still_waits(
        self, article, moderator
    ):
        comment = decide(reported_until_hidden(edited_comment(article)), "approved", moderator)

        assert (comment.status, comment.body, comment.pending_body) == (
            Comment.Status.APPROVED,
            PUBLISHED,
            EDIT,
        )
        assert Comment.objects.needs_review().filter(pk=comment.pk).exists()
        assert not comment.reports.filter(resolved__isnull=True).exists()

    def test_dismissing_the_reports_brings_it_back_and_the_edit_still_waits(
        self, article, moderator
    ):
        comment = reported_until_hidden(edited_comment(article))

        reports_dismiss(comment=comment, by=moderator)

        comment.refresh_from_db()
        assert (comment.status, comment.body, comment.pending_body) == (
            Comment.Status.APPROVED,
            PUBLISHED,
            EDIT,
        )

    @pytest.mark.parametrize("status", [Comment.Status.REJECTED, Comment.Status.SPAM])
    def test_rejecting_or_spam_takes_the_edit_with_it_into_the_history(
        self, article, moderator, status
    ):
        comment = decide(reported_until_hidden(edited_comment(article)), status, moderator)

        assert (comment.status, comment.body, comment.pending_body) == (status, PUBLISHED, "")
        assert comment.decisions.filter(moderator=moderator, edit=EDIT, to_status=status).exists()
        assert not Comment.objects.needs_review().filter(pk=comment.pk).exists()


class TestSpamOnAWaitingEdit:
    def test_marks_the_whole_comment_spam_and_takes_it_off_the_site(
        self, client, article, moderator
    ):
        comment = decide(edited_comment(article), Comment.Status.SPAM, moderator)

        assert (comment.status, comment.body, comment.pending_body) == (
            Comment.Status.SPAM,
            PUBLISHED,
            "",
        )
        html = client.get(article.get_absolute_url()).content.decode()
        assert PUBLISHED not in html
        assert EDIT not in html

    def test_keeps_the_edit_in_the_history(self, article, moderator):
        comment = decide(edited_comment(article), Comment.Status.SPAM, moderator)

        decision = comment.decisions.get()
        assert (decision.from_status, decision.to_status, decision.edit) == (
            Comment.Status.APPROVED,
            Comment.Status.SPAM,
            EDIT,
        )

    def test_resolves_the_readers_reports_as_a_decision_about_the_comment(self, article, moderator):
        comment = edited_comment(article)
        Report.objects.create(comment=comment, reason="spam", reader_key="reader-a")

        decide(comment, Comment.Status.SPAM, moderator)

        assert Report.objects.get().resolved_by == moderator

    def test_counts_against_the_authors_record(self, article, moderator):
        comment = decide(edited_comment(article), Comment.Status.SPAM, moderator)

        assert Comment.objects.by_email(comment.author_email).filter(status="spam").count() == 1


class TestApprovingOrRefusingAWaitingEdit:
    def test_approving_publishes_it_and_leaves_the_reports_open(self, article, moderator):
        comment = edited_comment(article)
        Report.objects.create(comment=comment, reason="abuse", reader_key="reader-a")

        comment = decide(comment, Comment.Status.APPROVED, moderator)

        assert (comment.status, comment.body, comment.pending_body) == ("approved", EDIT, "")
        assert comment.edited is not None
        assert Report.objects.get().resolved is None

    def test_refusing_it_keeps_the_published_text(self, article, moderator):
        comment = decide(edited_comment(article), Comment.Status.REJECTED, moderator)

        assert (comment.status, comment.body, comment.pending_body) == ("approved", PUBLISHED, "")
        assert comment.edited is None
