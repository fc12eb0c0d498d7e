"""Erasing what the site holds about a commenter: their comments withdrawn and emptied, what they
filed as a reader stripped of what points to them, the moderation history kept, others' words
untouched, and cached pages cleared at once."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments import counters, notifications
from comments.models import Comment, Commenter, ModerationDecision, Rating, Report
from tests.actions import commenter_action, erase, export
from tests.factories import (
    ANA,
    LUIS,
    make_article,
    make_comment,
    make_commenter,
    rating_by,
    report_by,
)

pytestmark = pytest.mark.django_db


class TestErasingACommentersData:
    def test_their_comments_are_withdrawn_and_emptied(self, article, ana):
        pending = make_comment(
            article=article, status=Comment.Status.PENDING, body="Waiting words.", **ANA
        )

        erase("ana@example.com")

        assert list(
            Comment.objects.filter(pk__in=[ana.pk, pending.pk]).values_list("status", "body")
        ) == [(Comment.Status.WITHDRAWN, ""), (Comment.Status.WITHDRAWN, "")]

    def test_an_edit_awaiting_moderation_is_erased_too(self, article):
        comment = make_comment(article=article, pending_body="A second thought.", **ANA)

        erase("ana@example.com")

        comment.refresh_from_db()
        assert comment.pending_body == ""

    def test_their_name_email_and_ip_address_are_removed(self, ana):
        erase("ana@example.com")

        ana.refresh_from_db()
        assert ANA["author_name"] not in ana.author_name
        assert ana.author_email == ""
        assert ana.ip_address is None

    def test_they_no_longer_receive_reply_emails(self, article):
        comment = make_comment(article=article, notify_replies=True, **ANA)

        erase("ana@example.com")

        comment.refresh_from_db()
        assert comment.notify_replies is False

    def test_what_the_site_knew_of_the_address_is_deleted(self, ana):
        make_commenter(email="ana@example.com", confirmed=True)

        erase("ana@example.com")

        assert not Commenter.objects.filter(email="ana@example.com").exists()

    @pytest.mark.usefixtures("database_tasks")
    def test_a_moderators_notice_quoting_a_report_they_filed_is_forgotten(self, ana, luis):
        theirs = report_by(ANA, luis, text="Personal details of mine inside.")
        others = report_by(LUIS, ana, text="Off topic.")
        for report in (theirs, others):
            summary = notifications.waiting_summary(report.comment, hidden_by=[report])
            notifications.enqueue(notifications.tell_moderators_a_comment_waits, summary)

        erase("ana@example.com")

        # The notice about Ana's own comment goes too: it quotes her text.
        assert DBTaskResult.objects.count() == 0

    @pytest.mark.usefixtures("database_tasks")
    def test_the_emails_queued_about_them_are_forgotten_and_others_kept(self, article, ana):
        theirs = make_comment(article=article, status=Comment.Status.PENDING, **ANA)
        others = make_comment(article=article, status=Comment.Status.PENDING, **LUIS)
        for comment in (theirs, others):
            summary = notifications.waiting_summary(comment)
            notifications.enqueue(notifications.tell_moderators_a_comment_waits, summary)
        for address in (ANA["author_email"], LUIS["author_email"]):
            notifications.enqueue(notifications.send_email_confirmation, address, "en")

        erase("ana@example.com")

        left = [task.args_kwargs["args"][1] for task in DBTaskResult.objects.all()]
        assert sorted(str(a["pk"] if isinstance(a, dict) else a) for a in left) == sorted(
            [str(others.pk), LUIS["author_email"]]
        )

    def test_every_moderation_decision_is_kept_and_the_erasure_recorded(self, article, moderator):
        comment = make_comment(article=article, status=Comment.Status.PENDING, **ANA)
        comment.approve(by=moderator, note="Fine.")
        earlier = list(comment.decisions.values_list("pk", flat=True))

        erase("ana@example.com")

        decisions = list(comment.decisions.order_by("created", "id"))
        assert [d.pk for d in decisions[:-1]] == earlier
        assert (decisions[-1].from_status, decisions[-1].to_status) == (
            Comment.Status.APPROVED,
            Comment.Status.WITHDRAWN,
        )

    def test_the_history_keeps_no_text_they_wrote(self, article, moderator):
        comment = make_comment(article=article, pending_body="An edit they wrote.", **ANA)
        comment.reject(by=moderator)

        erase("ana@example.com")

        assert not ModerationDecision.objects.filter(edit__contains="An edit they wrote.").exists()

    def test_a_reply_by_someone_else_stays_published(self, ana):
        erase("ana@example.com")

        reply = Comment.objects.get(body="Trust must go both ways.")
        assert reply.is_published

    def test_the_reply_s_link_still_shows_it_and_nothing_of_the_erased_comment(self, client, ana):
        erase("ana@example.com")
        reply = Comment.objects.get(body="Trust must go both ways.")

        html = client.get(reply.get_absolute_url(), follow=True).content.decode()

        assert "Trust must go both ways." in html
        assert "Shared intelligence, not troops." not in html
        assert ANA["author_name"] not in html

    def test_other_commenters_are_untouched(self, ana):
        erase("ana@example.com")

        reply = Comment.objects.get(body="Trust must go both ways.")
        assert (reply.author_name, reply.author_email, reply.ip_address) == (
            LUIS["author_name"],
            LUIS["author_email"],
            LUIS["ip_address"],
        )

    def test_the_address_is_matched_whatever_its_case(self, ana):
        erase("ANA@example.com")

        ana.refresh_from_db()
        assert ana.status == Comment.Status.WITHDRAWN

    def test_afterwards_an_export_finds_nothing(self, ana):
        erase("ana@example.com")

        assert export("ana@example.com")["comments"] == []

    def test_the_reports_on_their_comments_lose_their_ip_addresses(self, ana):
        report = Report.objects.create(
            comment=ana, reason=Report.Reason.SPAM, reader_key="a-reader", ip_address="192.0.2.1"
        )

        erase("ana@example.com")

        report.refresh_from_db()
        assert report.ip_address is None

    def test_without_yes_it_asks_and_erases_nothing_unless_told_to(self, ana, monkeypatch):
        monkeypatch.setattr("builtins.input", lambda prompt: "no")

        with pytest.raises(CommandError, match="Nothing was erased"):
            call_command("erase_commenter_data", "ana@example.com", stdout=io.StringIO())

        ana.refresh_from_db()
        assert ana.status == Comment.Status.APPROVED

    def test_without_yes_typing_erase_erases(self, ana, monkeypatch):
        monkeypatch.setattr("builtins.input", lambda prompt: "erase")

        call_command("erase_commenter_data", "ana@example.com", stdout=io.StringIO())

        ana.refresh_from_db()
        assert ana.status == Comment.Status.WITHDRAWN


class TestErasingWhatTheyFiledAsAReader:
    def test_a_report_they_filed_loses_its_text_ip_address_and_reader_key(self, ana, luis):
        report = report_by(ANA, luis, text="Personal details of mine inside.")
        assert report.network

        erase("ana@example.com")

        report.refresh_from_db()
        assert report.text == ""
        assert report.ip_address is None
        assert report.network == ""
        assert report.reader_key not in {"", ANA["reader_key"]}

    def test_the_report_s_reason_and_its_moderation_are_kept(self, ana, luis, moderator):
        report = report_by(ANA, luis, reason=Report.Reason.MISINFORMATION)
        Report.objects.filter(pk=report.pk).update(resolved=timezone.now(), resolved_by=moderator)

        erase("ana@example.com")

        report.refresh_from_db()
        assert report.comment == luis
        assert report.reason == Report.Reason.MISINFORMATION
        assert (report.resolved is not None, report.resolved_by) == (True, moderator)

    def test_a_report_for_something_else_keeps_no_explanation(self, ana, luis):
        report = report_by(ANA, luis, reason=Report.Reason.OTHER, text="My neighbour wrote it.")

        erase("ana@example.com")

        report.refresh_from_db()
        assert report.reason == Report.Reason.OTHER
        assert "neighbour" not in report.text

    def test_reports_from_each_of_their_browsers_stay_separate_reports(self, article, ana, luis):
        make_comment(article=article, **{**ANA, "reader_key": "ana-s-phone"})
        report_by(ANA, luis)
        report_by({**ANA, "reader_key": "ana-s-phone"}, luis)

        erase("ana@example.com")

        keys = set(luis.reports.values_list("reader_key", flat=True))
        assert len(keys) == 2
        assert not keys & {"ana-s-browser", "ana-s-phone"}

    def test_a_rating_they_gave_loses_its_reader_key_and_network(self, ana, luis):
        rating = rating_by(ANA, luis)
        assert rating.network

        erase("ana@example.com")

        rating.refresh_from_db()
        assert rating.reader_key not in {"", ANA["reader_key"]}
        assert rating.network == ""

    def test_a_rating_they_gave_still_counts(self, ana, luis):
        rating = rating_by(ANA, luis, works=5, respects=1)

        erase("ana@example.com")

        rating.refresh_from_db()
        assert (rating.comment, rating.works, rating.respects) == (luis, 5, 1)

    def test_reports_and_ratings_from_other_browsers_are_untouched(self, ana, luis):
        report = report_by(LUIS, ana, text="Luis's own words.")
        rating = rating_by(LUIS, ana)

        erase("ana@example.com")

        report.refresh_from_db()
        rating.refresh_from_db()
        assert (report.text, report.reader_key) == ("Luis's own words.", LUIS["reader_key"])
        assert rating.reader_key == LUIS["reader_key"]

    def test_a_commenter_without_a_browser_key_erases_no_one_s_report(self, article, luis):
        make_comment(article=article, **{**ANA, "reader_key": ""})
        report = Report.objects.create(
            comment=luis, reason=Report.Reason.SPAM, reader_key="", ip_address="192.0.2.9"
        )

        erase("ana@example.com")

        report.refresh_from_db()
        assert (report.reader_key, report.ip_address) == ("", "192.0.2.9")

    def test_the_admin_action_erases_them_too(self, superuser_client, ana, luis):
        report = report_by(ANA, luis, text="Filed from Ana's browser.")
        rating = rating_by(ANA, luis)

        commenter_action(superuser_client, "erase_data", make_commenter(email="ana@example.com"))

        report.refresh_from_db()
        rating.refresh_from_db()
        assert (report.text, report.ip_address) == ("", None)
        assert ANA["reader_key"] not in {report.reader_key, rating.reader_key}

    def test_erasing_again_changes_nothing(self, ana, luis):
        report_by(ANA, luis, reason=Report.Reason.OTHER, text="Words to erase.")
        rating_by(ANA, luis)
        erase("ana@example.com")
        before = snapshot()

        erase("ana@example.com")

        assert snapshot() == before

    def test_an_erasure_that_fails_half_way_erases_nothing(self, ana, luis, monkeypatch):
        report = report_by(ANA, luis, text="Still mine.")

        def fail(queryset):
            raise RuntimeError("the database went away")

        monkeypatch.setattr(counters, "recount", fail)
        with pytest.raises(RuntimeError):
            erase("ana@example.com")

        report.refresh_from_db()
        ana.refresh_from_db()
        assert (report.text, report.reader_key) == ("Still mine.", ANA["reader_key"])
        assert (ana.status, ana.body) == (
            Comment.Status.APPROVED,
            "Shared intelligence, not troops.",
        )


def snapshot() -> dict[str, list]:
    """Every stored row an erasure touches, as plain values."""
    return {
        "comments": list(Comment.objects.order_by("pk").values()),
        "decisions": list(ModerationDecision.objects.order_by("pk").values()),
        "reports": list(Report.objects.order_by("pk").values()),
        "ratings": list(Rating.objects.order_by("pk").values()),
        "commenters": list(Commenter.objects.order_by("pk").values()),
    }


class TestErasedTextLeavesCachedPagesAtOnce:
    """An anonymous reader's pages come from the page cache; an erasure must not wait for it."""

    def cached(self, client, url: str) -> str:
        """The page at `url`, once it is in the cache."""
        html = client.get(url).content.decode()
        # Served from the cache: a change made without announcing it is not seen.
        reply = Comment.objects.filter(body="Trust must go both ways.")
        reply.update(author_name="Luis Unannounced")
        assert "Luis Unannounced" not in client.get(url).content.decode()
        reply.update(author_name=LUIS["author_name"])
        return html

    def test_the_next_anonymous_request_no_longer_shows_their_text(
        self, client, ana, django_capture_on_commit_callbacks
    ):
        url = ana.article.get_absolute_url()
        assert "Shared intelligence, not troops." in self.cached(client, url)

        with django_capture_on_commit_callbacks(execute=True):
            erase("ana@example.com")

        html = client.get(url).content.decode()
        assert "Shared intelligence, not troops." not in html
        assert ANA["author_name"] not in html

    def test_every_article_they_wrote_in_drops_their_text(
        self, client, ana, django_capture_on_commit_callbacks
    ):
        other = make_article()
        make_comment(article=other, body="Another article, the same Ana.", **ANA)
        url = other.get_absolute_url()
        assert "Another article, the same Ana." in self.cached(client, url)

        with django_capture_on_commit_callbacks(execute=True):
            erase("ana@example.com")

        assert "Another article, the same Ana." not in client.get(url).content.decode()

    def test_an_erasure_from_the_admin_reaches_cached_pages_too(
        self, client, superuser, ana, django_capture_on_commit_callbacks
    ):
        url = ana.article.get_absolute_url()
        assert "Shared intelligence, not troops." in self.cached(client, url)
        administrator = Client()
        administrator.force_login(superuser)

        with django_capture_on_commit_callbacks(execute=True):
            commenter_action(administrator, "erase_data", make_commenter(email="ana@example.com"))

        assert "Shared intelligence, not troops." not in client.get(url).content.decode()
