"""Readers report comments that break the rules; enough reports hide one for a moderator."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from comments.models import Comment, Report, Rule
from comments.services import reports_dismiss
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def report(client, comment, reason="abuse", text=""):
    return client.post(
        reverse("comments:report", kwargs={"pk": comment.pk}), {"reason": reason, "text": text}
    )


def another_reader(client):
    client.cookies.clear()
    return client


def test_a_reader_reports_a_published_comment_with_a_reason(client, article):
    comment = make_comment(article=article)

    response = report(client, comment, reason="misinformation")

    stored = Report.objects.get()
    assert stored.comment == comment
    assert stored.reason == Report.Reason.MISINFORMATION
    assert response.status_code == 302
    assert (
        "The moderators will look at this comment"
        in client.get(response["Location"]).content.decode()
    )


def test_the_report_form_works_without_javascript(client, article):
    comment = make_comment(article=article, body="Troops now!")

    page = client.get(reverse("comments:report", kwargs={"pk": comment.pk}))

    html = page.content.decode()
    assert "Troops now!" in html
    for reason in Report.Reason.values:
        assert f'value="{reason}"' in html


def test_the_report_form_offers_only_the_real_reasons(client, article):
    comment = make_comment(article=article)

    page = client.get(reverse("comments:report", kwargs={"pk": comment.pk}))

    radios = re.findall(
        r'<input type="radio"[^>]*name="reason"[^>]*value="([^"]*)"', page.content.decode()
    )
    assert radios == Report.Reason.values
    assert "---------" not in page.content.decode()


def test_a_report_without_a_reason_is_refused_with_a_clear_message(client, article):
    comment = make_comment(article=article)

    response = report(client, comment, reason="")

    assert response.status_code == 200
    assert "Please choose what is wrong with this comment." in response.content.decode()
    assert not Report.objects.exists()


def test_a_reader_can_report_a_comment_only_once(client, article):
    comment = make_comment(article=article)
    report(client, comment)

    response = report(client, comment, reason="spam")

    assert Report.objects.count() == 1
    assert "already reported this comment" in client.get(response["Location"]).content.decode()


def test_other_needs_an_explanation(client, article):
    comment = make_comment(article=article)

    response = report(client, comment, reason="other", text="  ")

    assert "Please tell the moderators what is wrong" in response.content.decode()
    assert not Report.objects.exists()


def test_other_with_an_explanation_is_accepted(client, article):
    comment = make_comment(article=article)

    report(client, comment, reason="other", text="Quotes me out of context")

    assert Report.objects.get().text == "Quotes me out of context"


def test_an_unknown_reason_is_refused(client, article):
    comment = make_comment(article=article)

    response = report(client, comment, reason="boring")

    assert response.status_code == 200
    assert not Report.objects.exists()


@pytest.mark.parametrize("status", [Comment.Status.PENDING, Comment.Status.REJECTED])
def test_an_unpublished_comment_cannot_be_reported(client, article, status):
    comment = make_comment(article=article, status=status)

    response = report(client, comment)

    assert response.status_code == 404
    assert not Report.objects.exists()


@override_settings(COMMENTS_REPORT_HIDE_THRESHOLD=2)
def test_below_the_threshold_the_comment_stays_published(client, article):
    comment = make_comment(article=article)

    report(client, comment)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


@override_settings(COMMENTS_REPORT_HIDE_THRESHOLD=2)
def test_past_the_threshold_the_comment_is_hidden_until_a_moderator_decides(client, article):
    comment = make_comment(article=article, body="Contested words")

    report(client, comment)
    report(another_reader(client), comment, reason="spam")

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.rule == Rule.REPORTS
    assert (
        "Contested words"
        not in another_reader(client).get(article.get_absolute_url()).content.decode()
    )


@override_settings(COMMENTS_REPORT_HIDE_THRESHOLD=1)
def test_dismissing_the_reports_publishes_a_hidden_comment_again(client, article, moderator):
    comment = make_comment(article=article)
    report(client, comment)

    dismissed = reports_dismiss(comment=comment, by=moderator)

    comment.refresh_from_db()
    assert dismissed == 1
    assert comment.status == Comment.Status.APPROVED
    assert Report.objects.get().resolved_by == moderator


class TestTheReportedQueue:
    def test_shows_reported_comments_with_their_counts(self, moderator_client, article):
        reported = make_comment(article=article, body="Reported words")
        make_comment(article=article, body="Quiet words")
        report(Client(), reported)
        report(Client(), reported, reason="spam")

        url = reverse("admin:comments_comment_changelist")
        html = moderator_client.get(url, {"queue": "reported"}).content.decode()

        assert "Reported words" in html
        assert "Quiet words" not in html
        assert "Reported (1)" in html
        assert '<td class="field-reports_count">2</td>' in html

    def test_a_moderator_dismisses_reports_from_the_queue(self, moderator_client, article):
        reported = make_comment(article=article)
        report(Client(), reported)

        moderator_client.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "dismiss_reports", "_selected_action": [reported.pk]},
        )

        assert Report.objects.get().resolved is not None
        html = moderator_client.get(
            reverse("admin:comments_comment_changelist"), {"queue": "reported"}
        ).content.decode()
        assert "Reported (0)" in html

    def test_a_decision_resolves_the_open_reports(self, client, moderator, article):
        reported = make_comment(article=article)
        report(client, reported)

        reported.reject(by=moderator)

        assert Report.objects.get().resolved_by == moderator
