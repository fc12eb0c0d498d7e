"""One definition of a client's network, the unit the site counts a sender in: an IPv4 /24, an
IPv6 /64, an IPv4-mapped IPv6 address as its IPv4 address. Rate limits, reports and ratings all
count by it.
"""

import pytest
from django.urls import reverse

from comments.models import Report
from safeguards.networks import client_network
from tests.factories import make_comment


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.0/24"),
        ("203.0.113.255", "203.0.113.0/24"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.0/24"),
        ("::ffff:cb00:7107", "203.0.113.0/24"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::1", "::/64"),
        (" 198.51.100.20 ", "198.51.100.0/24"),
    ],
)
def test_an_address_counts_in_its_network(address, network):
    assert client_network(address) == network


@pytest.mark.parametrize("address", [None, "", "nonsense", "203.0.113.300", "203.0.113.0/24"])
def test_no_network_is_made_up_for_what_is_not_an_address(address):
    assert client_network(address) == ""


@pytest.mark.parametrize(
    ("address", "unit"),
    [
        ("203.0.113.7", "203.0.113.7/32"),
        ("::ffff:203.0.113.7", "203.0.113.7/32"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ],
)
def test_the_rate_limits_unit_is_one_ipv4_address_or_one_ipv6_64(address, unit):
    assert client_network(address, ipv4_prefix=32) == unit


@pytest.mark.django_db
class TestRateLimitsCountByClient:
    @pytest.fixture(autouse=True)
    def two_reports_an_hour(self, settings):
        settings.RATE_LIMITS = {"report": {"ip": (2, 3600)}}
        settings.TRUSTED_PROXY_COUNT = 0

    def report(self, client, comment, address: str) -> int:
        url = reverse("comments:report", args=[comment.pk])
        return client.post(url, {"reason": "spam"}, REMOTE_ADDR=address).status_code

    @pytest.mark.parametrize(
        "addresses",
        [
            pytest.param(("203.0.113.7", "::ffff:203.0.113.7", "203.0.113.7"), id="mapped"),
            pytest.param(("2001:db8::1", "2001:db8::2", "2001:db8::ffff:3"), id="one IPv6 /64"),
        ],
    )
    def test_one_client_s_addresses_share_one_limit(self, client, article, addresses):
        comments = [make_comment(article=article) for _ in addresses]

        statuses = [self.report(client, c, a) for c, a in zip(comments, addresses, strict=True)]

        assert statuses == [302, 302, 429]
        assert Report.objects.count() == 2

    def test_a_neighbouring_ipv4_address_has_a_limit_of_its_own(self, client, article):
        # A campus or an office shares a /24: its readers must not wait for each other.
        comments = [make_comment(article=article) for _ in range(3)]
        self.report(client, comments[0], "203.0.113.7")
        self.report(client, comments[1], "203.0.113.7")

        assert self.report(client, comments[2], "203.0.113.8") == 302
