"""What the site holds about a commenter: who may see it, how long it is kept, and erasing it."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments import counters
from comments.models import Comment, Commenter, ModerationDecision, Rating, Report
from tests.actions import COMMENTER_CHANGELIST, commenter_action, erase, export
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


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def erase_old_ip_addresses(*args: str) -> str:
    out = io.StringIO()
    call_command("erase_old_ip_addresses", *args, stdout=out)
    return out.getvalue()


class TestOnlyModeratorsSeeEmailsAndIPAddresses:
    def pages(self, comment: Comment) -> dict[str, str]:
        return {
            "article": comment.article.get_absolute_url(),
            "thread": reverse("comments:thread", kwargs={"pk": comment.pk}),
            "reply": reverse("comments:reply", kwargs={"pk": comment.pk}),
            "report": reverse("comments:report", kwargs={"pk": comment.pk}),
        }

    @pytest.mark.parametrize("page", ["article", "thread", "reply", "report"])
    def test_a_reader_s_page_shows_no_email_address(self, client, ana, page):
        html = client.get(self.pages(ana)[page]).content.decode()

        assert "Shared intelligence, not troops." in html
        assert ANA["author_email"] not in html
        assert LUIS["author_email"] not in html

    @pytest.mark.parametrize("page", ["article", "thread", "reply", "report"])
    def test_a_reader_s_page_shows_no_ip_address(self, client, ana, page):
        html = client.get(self.pages(ana)[page]).content.decode()

        assert "Shared intelligence, not troops." in html
        assert ANA["ip_address"] not in html
        assert LUIS["ip_address"] not in html

    def test_a_moderator_sees_the_email_and_ip_address_of_a_comment(self, moderator_client, ana):
        page = moderator_client.get(reverse("admin:comments_comment_change", args=[ana.pk]))

        html = page.content.decode()
        assert ANA["author_email"] in html
        assert ANA["ip_address"] in html

    def test_a_moderator_sees_the_emails_in_the_queue(self, moderator_client, ana):
        html = moderator_client.get(reverse("admin:comments_comment_changelist")).content.decode()

        assert ANA["author_email"] in html
        assert LUIS["author_email"] in html

    @pytest.mark.parametrize(
        "url",
        [
            reverse("admin:comments_comment_changelist"),
            reverse("admin:comments_commenter_changelist"),
        ],
    )
    def test_staff_outside_the_moderators_group_are_refused(self, client, staff_outsider, url):
        client.force_login(staff_outsider)

        response = client.get(url)

        assert response.status_code == 403

    def test_staff_outside_the_moderators_group_cannot_open_a_comment(
        self, client, staff_outsider, ana
    ):
        client.force_login(staff_outsider)

        response = client.get(reverse("admin:comments_comment_change", args=[ana.pk]))

        assert response.status_code == 403

    def test_an_anonymous_visitor_is_sent_to_the_login_page(self, client, ana):
        response = client.get(reverse("admin:comments_comment_change", args=[ana.pk]))

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


class TestIPAddressesAreKeptForALimitedTime:
    @pytest.fixture(autouse=True)
    def thirty_days(self, settings):
        settings.COMMENTS_IP_RETENTION_DAYS = 30

    def test_an_ip_address_older_than_the_retention_period_is_erased(self, article):
        old = make_comment(article=article, ip_address="203.0.113.7", created=days_ago(31))

        erase_old_ip_addresses()

        old.refresh_from_db()
        assert old.ip_address is None

    def test_a_recent_ip_address_is_kept(self, article):
        recent = make_comment(article=article, ip_address="203.0.113.7", created=days_ago(29))

        erase_old_ip_addresses()

        recent.refresh_from_db()
        assert recent.ip_address == "203.0.113.7"

    def test_the_comment_itself_is_kept(self, article):
        old = make_comment(
            article=article, body="Still here.", ip_address="203.0.113.7", created=days_ago(31)
        )

        erase_old_ip_addresses()

        old.refresh_from_db()
        assert (old.body, old.status) == ("Still here.", Comment.Status.APPROVED)

    def test_the_ip_address_of_an_old_report_is_erased(self, article):
        comment = make_comment(article=article, created=days_ago(40))
        report = Report.objects.create(
            comment=comment,
            reason=Report.Reason.SPAM,
            reader_key="a-reader",
            ip_address="198.51.100.4",
            created=days_ago(31),
        )

        erase_old_ip_addresses()

        report.refresh_from_db()
        assert report.ip_address is None

    def test_the_retention_period_is_a_setting(self, article, settings):
        settings.COMMENTS_IP_RETENTION_DAYS = 7
        week_old = make_comment(article=article, ip_address="203.0.113.7", created=days_ago(8))

        erase_old_ip_addresses()

        week_old.refresh_from_db()
        assert week_old.ip_address is None

    def test_the_period_can_be_overridden_for_one_run(self, article):
        two_days_old = make_comment(article=article, ip_address="203.0.113.7", created=days_ago(2))

        erase_old_ip_addresses("--days", "1")

        two_days_old.refresh_from_db()
        assert two_days_old.ip_address is None

    def test_it_reports_how_many_addresses_it_erased(self, article):
        make_comment(article=article, ip_address="203.0.113.7", created=days_ago(31))
        make_comment(article=article, ip_address="203.0.113.8", created=days_ago(45))
        make_comment(article=article, ip_address="203.0.113.9", created=days_ago(1))

        output = erase_old_ip_addresses()

        assert "Erased 2 IP address(es) older than 30 days." in output


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


class TestThePrivacyActionsInTheAdmin:
    @pytest.fixture
    def commenter(self, ana) -> Commenter:
        return make_commenter(email="ana@example.com")

    def test_the_administrator_downloads_the_data_as_a_json_attachment(
        self, superuser_client, commenter
    ):
        response = commenter_action(superuser_client, "export_data", commenter)

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Content-Disposition"].startswith("attachment;")

    def test_the_download_holds_every_comment_of_the_address_and_no_one_else_s(
        self, superuser_client, commenter, ana
    ):
        response = commenter_action(superuser_client, "export_data", commenter)

        (record,) = json.loads(response.content)
        assert record["email"] == "ana@example.com"
        assert [comment["id"] for comment in record["comments"]] == [ana.pk]
        assert LUIS["author_email"] not in response.content.decode()

    def test_the_administrator_erases_the_data(self, superuser_client, commenter, ana):
        commenter_action(superuser_client, "erase_data", commenter)

        ana.refresh_from_db()
        assert (ana.status, ana.body, ana.author_email) == (Comment.Status.WITHDRAWN, "", "")

    def test_the_erasure_is_recorded_as_the_administrator_s_decision(
        self, superuser_client, superuser, commenter, ana
    ):
        commenter_action(superuser_client, "erase_data", commenter)

        erasure = ana.decisions.get(to_status=Comment.Status.WITHDRAWN)
        assert erasure.moderator == superuser

    def test_erasing_several_addresses_erases_all_or_none(
        self, superuser_client, commenter, ana, monkeypatch
    ):
        luis = make_commenter(email="luis@example.com")
        real_recount = counters.recount
        erasures = []

        def fail_on_the_second(queryset):
            erasures.append(queryset)
            if len(erasures) == 2:
                raise RuntimeError("the database went away")
            real_recount(queryset)

        monkeypatch.setattr(counters, "recount", fail_on_the_second)
        with pytest.raises(RuntimeError):
            commenter_action(superuser_client, "erase_data", commenter, luis)

        assert len(erasures) == 2
        assert Comment.objects.filter(author_email="ana@example.com").exists()
        assert Commenter.objects.filter(email="ana@example.com").exists()

    def test_the_actions_are_offered_to_the_administrator(self, superuser_client, commenter):
        html = superuser_client.get(COMMENTER_CHANGELIST).content.decode()

        assert 'value="export_data"' in html
        assert 'value="erase_data"' in html

    def test_the_actions_are_not_offered_to_a_moderator(self, moderator_client, commenter):
        page = moderator_client.get(COMMENTER_CHANGELIST)

        html = page.content.decode()
        assert page.status_code == 200
        assert "ana@example.com" in html
        assert 'value="export_data"' not in html
        assert 'value="erase_data"' not in html

    def test_a_moderator_cannot_erase_by_posting_the_action(self, moderator_client, commenter, ana):
        commenter_action(moderator_client, "erase_data", commenter)

        ana.refresh_from_db()
        assert ana.status == Comment.Status.APPROVED
        assert Commenter.objects.filter(pk=commenter.pk).exists()

    def test_a_moderator_cannot_export_by_posting_the_action(self, moderator_client, commenter):
        response = commenter_action(moderator_client, "export_data", commenter)

        assert response.get("Content-Type") != "application/json"
        assert "attachment" not in response.get("Content-Disposition", "")


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
        rating_by(ANA, luis, works=5, respects=1)

        (rating,) = export("ana@example.com")["ratings_given"]

        assert (rating["comment"], rating["works"], rating["respects"]) == (luis.pk, 5, 1)
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
