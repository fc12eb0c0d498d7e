"""The IP addresses of comments and reports are kept for a limited time, then erased; the comments
and reports themselves are kept."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment, Report
from tests.factories import make_comment

pytestmark = pytest.mark.django_db


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def erase_old_ip_addresses(*args: str) -> str:
    out = io.StringIO()
    call_command("erase_old_ip_addresses", *args, stdout=out)
    return out.getvalue()


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
