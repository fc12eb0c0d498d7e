"""Readers report comments that break the rules; enough reports hide one for a moderator."""

import importlib
import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from comments import reporting
from comments.models import Comment, Report, Rule
from moderation.decisions import reports_dismiss
from tests.actions import report
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def another_reader(client, *, ip="198.51.100.20"):
    """`client` as another reader: a browser of their own, on a network of their own."""
    client.cookies.clear()
    client.defaults["REMOTE_ADDR"] = ip
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


class TestOnePersonCountsOnce:
    """Towards hiding a comment, reports count once per client network, never its author's."""

    @pytest.fixture(autouse=True)
    def three_hide(self, settings):
        settings.COMMENTS_REPORT_HIDE_THRESHOLD = 3

    def from_addresses(self, comment, *addresses):
        """A report from each address, each from a browser (cookie jar) of its own."""
        for address in addresses:
            report(Client(REMOTE_ADDR=address), comment)

    def test_three_browsers_on_one_address_do_not_hide_a_comment(self, client, article):
        comment = make_comment(article=article, body="Unpopular but fair")

        self.from_addresses(comment, "203.0.113.7", "203.0.113.7", "203.0.113.7")

        comment.refresh_from_db()
        assert Report.objects.count() == 3
        assert comment.status == Comment.Status.APPROVED
        assert "Unpopular but fair" in client.get(article.get_absolute_url()).content.decode()

    @pytest.mark.parametrize(
        "addresses",
        [
            pytest.param(("203.0.113.7", "203.0.113.8", "203.0.113.250"), id="one IPv4 /24"),
            pytest.param(
                ("2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ff::9"), id="one /64"
            ),
            pytest.param(
                ("203.0.113.7", "::ffff:203.0.113.9", "::ffff:cb00:710"), id="IPv4-mapped"
            ),
        ],
    )
    def test_browsers_on_one_network_count_once(self, article, addresses):
        comment = make_comment(article=article)

        self.from_addresses(comment, *addresses)

        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED

    def test_three_networks_hide_it(self, article):
        comment = make_comment(article=article)

        self.from_addresses(comment, "203.0.113.7", "198.51.100.20", "2001:db8::1")

        comment.refresh_from_db()
        assert (comment.status, comment.rule, comment.rule_detail) == (
            Comment.Status.PENDING,
            Rule.REPORTS,
            "3",
        )

    def test_neighbouring_networks_are_different_networks(self, article):
        comment = make_comment(article=article)

        self.from_addresses(comment, "203.0.113.7", "203.0.114.7", "2001:db8:1:3::1")

        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING

    def test_each_report_keeps_its_network(self, article):
        comment = make_comment(article=article)

        self.from_addresses(comment, "203.0.113.7", "::ffff:198.51.100.20", "2001:db8:1:2::1")

        assert set(Report.objects.values_list("network", flat=True)) == {
            "203.0.113.0/24",
            "198.51.100.0/24",
            "2001:db8:1:2::/64",
        }

    def test_the_author_s_own_report_does_not_count(self, client, article, returning_reader_key):
        comment = make_comment(article=article, reader_key=returning_reader_key)
        report(client, comment)

        self.from_addresses(comment, "198.51.100.20", "2001:db8::1")

        comment.refresh_from_db()
        assert Report.objects.count() == 3
        assert comment.status == Comment.Status.APPROVED

    def test_a_report_from_another_browser_that_wrote_under_the_author_s_address_does_not_count(
        self, client, article, returning_reader_key
    ):
        comment = make_comment(article=article, author_email="ana@example.com")
        make_comment(
            article=article, author_email="ana@example.com", reader_key=returning_reader_key
        )
        report(client, comment)

        self.from_addresses(comment, "198.51.100.20", "2001:db8::1")

        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED

    def test_reports_whose_network_is_unknown_count_one_by_one(self, article):
        comment = make_comment(article=article)

        for reader in ("a", "b", "c"):
            reporting.report_create(
                comment=comment, reason="abuse", text="", reader_key=reader, ip_address=None
            )

        comment.refresh_from_db()
        assert comment.status == Comment.Status.PENDING

    def test_resolved_reports_no_longer_count(self, article, moderator):
        comment = make_comment(article=article)
        self.from_addresses(comment, "203.0.113.7", "198.51.100.20")
        reports_dismiss(comment=comment, by=moderator)

        self.from_addresses(comment, "2001:db8::1")

        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED

    def test_the_moderators_still_see_every_report(self, moderator_client, article):
        comment = make_comment(article=article, body="Reported from one network")
        self.from_addresses(comment, "203.0.113.7", "203.0.113.7", "203.0.113.8")

        url = reverse("admin:comments_comment_changelist")
        html = moderator_client.get(url, {"queue": "reported"}).content.decode()

        assert "Reported from one network" in html
        assert '<td class="field-reports_count">3</td>' in html
        reports = moderator_client.get(reverse("admin:comments_report_changelist"))
        assert reports.context["cl"].result_count == 3

    @pytest.mark.parametrize("reports", [2, 40])
    def test_counting_the_reports_costs_the_same_however_many_there_are(
        self, article, reports, django_assert_num_queries
    ):
        comment = make_comment(article=article)
        for n in range(reports):
            reporting.report_create(
                comment=comment,
                reason="abuse",
                text="",
                reader_key=f"reader-{n}",
                ip_address=f"203.0.113.{n}",
            )

        # The comment checked, the report stored (in its savepoint), then the one count.
        with django_assert_num_queries(5):
            reporting.report_create(
                comment=comment,
                reason="spam",
                text="",
                reader_key="one-more",
                ip_address="203.0.113.200",
            )


def test_the_migration_gives_earlier_reports_the_network_of_their_address(article):
    from django.apps import apps

    migration = importlib.import_module("comments.migrations.0013_report_and_rating_networks")
    comment = make_comment(article=article)
    for key, address in [("a", "203.0.113.7"), ("b", "::ffff:198.51.100.2"), ("c", None)]:
        Report.objects.create(comment=comment, reason="spam", reader_key=key, ip_address=address)

    migration.reports_networks(apps, None)

    assert dict(Report.objects.values_list("reader_key", "network")) == {
        "a": "203.0.113.0/24",
        "b": "198.51.100.0/24",
        "c": "",
    }
