"""Exporting what the site holds about a commenter: every comment of the address, its moderation,
the reports and ratings filed from their browser, and nothing of anyone else."""

import json

import pytest

from comments.models import Comment, Report
from tests.actions import export
from tests.factories import ANA, LUIS, make_comment, make_commenter, rating_by, report_by

pytestmark = pytest.mark.django_db


class TestExportingACommentersData:
    def test_it_prints_every_comment_of_the_address(self, article, ana):
        pending = make_comment(article=article, status=Comment.Status.PENDING, **ANA)
        rejected = make_comment(article=article, status=Comment.Status.REJECTED, **ANA)

        data = export("ana@example.com")

        exported = {comment["id"] for comment in data["comments"]}
        assert exported == {ana.pk, pending.pk, rejected.pk}

    def test_it_includes_the_name_email_ip_address_and_text(self, ana):
        (comment,) = export("ana@example.com")["comments"]

        assert comment["name"] == ANA["author_name"]
        assert comment["email"] == ANA["author_email"]
        assert comment["ip_address"] == ANA["ip_address"]
        assert comment["text"] == "Shared intelligence, not troops."

    def test_it_includes_the_moderation_history_of_their_comments(self, article, moderator):
        comment = make_comment(article=article, status=Comment.Status.PENDING, **ANA)
        comment.reject(by=moderator, reason="off_topic")

        data = export("ana@example.com")

        assert [(d["comment"], d["to"], d["reason"]) for d in data["moderation"]] == [
            (comment.pk, Comment.Status.REJECTED, "off_topic")
        ]

    def test_it_says_which_rejected_comment_a_revision_revises(self, article):
        rejected = make_comment(article=article, status=Comment.Status.REJECTED, **ANA)
        revision = make_comment(
            article=article, status=Comment.Status.PENDING, revision_of=rejected, **ANA
        )

        exported = {c["id"]: c["revision_of"] for c in export("ana@example.com")["comments"]}

        assert exported == {rejected.pk: None, revision.pk: rejected.pk}

    def test_it_includes_the_text_of_an_edit_a_moderator_refused(self, article, moderator):
        comment = make_comment(article=article, pending_body="Now with insults.", **ANA)
        comment.reject(by=moderator, reason="incivility")

        text = json.dumps(export("ana@example.com"))

        assert "Now with insults." in text

    def test_it_says_whether_the_address_is_confirmed(self, ana):
        make_commenter(email="ana@example.com", confirmed=True)

        data = export("ana@example.com")

        assert data["confirmed"] is not None

    def test_the_address_is_matched_whatever_its_case(self, ana):
        data = export("Ana@EXAMPLE.com")

        assert [comment["id"] for comment in data["comments"]] == [ana.pk]

    def test_it_holds_nothing_of_anyone_else(self, ana):
        text = json.dumps(export("ana@example.com"))

        assert LUIS["author_email"] not in text
        assert LUIS["author_name"] not in text
        assert LUIS["ip_address"] not in text
        assert "Trust must go both ways." not in text

    def test_an_unknown_address_has_nothing_held(self, ana):
        data = export("nobody@example.com")

        assert data["comments"] == []
        assert data["moderation"] == []


class TestExportingWhatTheyFiledAsAReader:
    def test_it_includes_the_reports_they_filed(self, ana, luis):
        report = report_by(
            ANA, luis, reason=Report.Reason.OTHER, text="He copied this from a blog."
        )

        (filed,) = export("ana@example.com")["reports_filed"]

        assert filed["comment"] == luis.pk
        assert filed["url"].endswith(luis.get_absolute_url())
        assert (filed["reason"], filed["text"]) == (
            Report.Reason.OTHER,
            "He copied this from a blog.",
        )
        assert filed["ip_address"] == ANA["ip_address"]
        assert filed["reported"].startswith(report.created.strftime("%Y-%m-%dT%H:%M:%S"))

    def test_it_includes_the_ratings_they_gave(self, ana, luis):
        rating_by(ANA, luis, works=5, respects=1, language="es")

        (rating,) = export("ana@example.com")["ratings_given"]

        assert (rating["comment"], rating["works"], rating["respects"]) == (luis.pk, 5, 1)
        assert rating["language"] == "es"
        assert rating["rated"] and rating["changed"]

    def test_it_holds_nothing_of_the_comment_they_reported_or_rated(self, ana, luis):
        report_by(ANA, luis)
        rating_by(ANA, luis)

        text = json.dumps(export("ana@example.com"))

        assert "Joint patrols on the border." not in text
        assert LUIS["author_name"] not in text
        assert LUIS["author_email"] not in text

    def test_it_holds_no_report_or_rating_from_another_browser(self, ana, luis):
        report_by(LUIS, ana, reason=Report.Reason.OTHER, text="Luis explains his report.")
        rating_by(LUIS, ana)

        data = export("ana@example.com")

        assert data["reports_filed"] == []
        assert data["ratings_given"] == []
        assert "Luis explains his report." not in json.dumps(data)

    def test_a_commenter_without_a_browser_key_is_tied_to_no_report(self, article, luis):
        make_comment(article=article, **{**ANA, "reader_key": ""})
        Report.objects.create(comment=luis, reason=Report.Reason.SPAM, reader_key="")

        assert export("ana@example.com")["reports_filed"] == []
