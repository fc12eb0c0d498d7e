"""One person counts once: every spelling of one email address, and an IPv4 client seen through
IPv6, is one sender for the rate limits, the blocks and the records the site keeps.
"""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from comments.models import Block, Comment, Commenter
from tests.actions import post_reply
from tests.factories import make_comment, make_commenter, reply_data

pytestmark = pytest.mark.django_db

STORED = "ana@xn--exmple-cua.com"
# One mailbox, written as readers (or a flood taking turns) write it.
SPELLINGS = [
    pytest.param("Ana@Exämple.com", id="unicode domain, capitals"),
    pytest.param("ana@xn--exmple-cua.com", id="punycode domain"),
    pytest.param("ana@ＥＸÄＭＰＬＥ.com", id="full-width domain"),
    pytest.param("ANA@EXÄMPLE.COM", id="all capitals"),
]
REFUSED = "Sorry, your reply could not be accepted"
READER_IP = "203.0.113.7"


@pytest.fixture(autouse=True)
def no_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0


def post(client, article, *, email="luis@example.com", body="Trade, not troops.", **extra):
    """A reply with `body` from `email`; `extra` goes to the request."""
    return post_reply(client, article, reply_data(author_email=email, body=body), **extra)


def block(moderator_client, target: str) -> Block:
    response = moderator_client.post(reverse("admin:comments_block_add"), {"target": target})
    assert response.status_code == 302, response.content.decode()[:2000]
    moderator_client.logout()
    return Block.objects.get()


class TestOneAddress:
    @pytest.mark.parametrize("email", SPELLINGS)
    def test_every_spelling_of_an_address_is_stored_in_one_form(self, client, article, email):
        post(client, article, email=email)

        assert Comment.objects.get().author_email == STORED
        assert Commenter.objects.get().email == STORED

    def test_a_reader_writing_their_address_several_ways_has_one_record(self, client, article):
        for n, email in enumerate(
            ["Ana@Exämple.com", "ana@xn--exmple-cua.com", "ana@ＥＸÄＭＰＬＥ.com"]
        ):
            post(client, article, email=email, body=f"Thought number {n}.")

        assert set(Comment.objects.values_list("author_email", flat=True)) == {STORED}
        assert Commenter.objects.count() == 1

    def test_the_limit_per_address_counts_every_spelling_as_one_sender(
        self, client, article, settings
    ):
        settings.RATE_LIMITS = {"post": {"email": (2, 600)}}
        sent = [
            post(client, article, email="Ana@Exämple.com", body="One.", REMOTE_ADDR=READER_IP),
            post(
                client,
                article,
                email="ana@xn--exmple-cua.com",
                body="Two.",
                REMOTE_ADDR="192.0.2.1",
            ),
            # Counted before the form reads it: even spellings the form refuses.
            post(client, article, email="ana@exämple。com", body="Three.", REMOTE_ADDR="192.0.2.9"),
            post(
                client,
                article,
                email="ＡＮＡ＠ＥＸÄＭＰＬＥ．ＣＯＭ",
                body="Three.",
                REMOTE_ADDR="198.51.100.2",
            ),
        ]

        assert [response.status_code for response in sent] == [302, 302, 429, 429]
        assert Comment.objects.count() == 2

    def test_an_address_too_long_once_its_domain_is_in_punycode_is_refused_with_a_message(
        self, client, article
    ):
        email = "ana@" + ".".join(["ñandú" * 4] * 9) + ".mx"  # 195 characters, 267 in punycode.

        response = post(client, article, email=email)

        errors = " ".join(response.context["form"].errors["author_email"])
        assert "This address is 267 characters long; an email address has at most 254." in errors
        assert not Comment.objects.exists()

    @pytest.mark.parametrize("email", SPELLINGS)
    def test_a_blocked_address_is_refused_however_it_is_written(
        self, client, moderator_client, article, email
    ):
        block(moderator_client, "ana@exämple.com")

        response = post(client, article, email=email)

        assert REFUSED in response.content.decode()
        assert not Comment.objects.exists()

    @pytest.mark.parametrize("email", SPELLINGS)
    def test_a_domain_blocked_in_punycode_is_refused_in_any_spelling(
        self, client, moderator_client, article, email
    ):
        block(moderator_client, "@XN--EXMPLE-CUA.COM")

        response = post(client, article, email=email)

        assert REFUSED in response.content.decode()
        assert not Comment.objects.exists()

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("Ana@Exämple.com", STORED),
            ("@Exämple.com", "@xn--exmple-cua.com"),
            ("  @ＥＸÄＭＰＬＥ.com ", "@xn--exmple-cua.com"),
        ],
    )
    def test_a_block_is_stored_in_the_form_addresses_are_compared_in(
        self, moderator_client, typed, stored
    ):
        assert block(moderator_client, typed).target == stored

    def test_a_block_written_another_way_before_still_stops_the_address(self, client, article):
        Block.objects.create(target="Ana@Exämple.com")  # As typed, before blocks had one form.

        response = post(client, article, email="ana@xn--exmple-cua.com")

        assert REFUSED in response.content.decode()
        assert not Comment.objects.exists()

    def test_another_address_at_the_same_domain_is_not_blocked_by_an_address(
        self, client, moderator_client, article
    ):
        block(moderator_client, "ana@exämple.com")

        response = post(client, article, email="luis@exämple.com")

        assert response.status_code == 302


MAPPED = "::ffff:203.0.113.7"


class TestOneClientAddress:
    def test_an_ipv4_client_seen_through_ipv6_is_recorded_by_its_ipv4_address(
        self, client, article
    ):
        post(client, article, REMOTE_ADDR=MAPPED)

        assert Comment.objects.get().ip_address == READER_IP

    def test_behind_a_proxy_a_forwarded_ipv4_mapped_address_is_the_ipv4_one(
        self, client, article, settings
    ):
        settings.TRUSTED_PROXY_COUNT = 1

        post(client, article, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=MAPPED)

        assert Comment.objects.get().ip_address == READER_IP

    @pytest.mark.parametrize("seen_as", [MAPPED, "::ffff:cb00:7107", "0:0:0:0:0:ffff:203.0.113.7"])
    def test_a_blocked_ipv4_address_is_refused_when_seen_through_ipv6(
        self, client, moderator_client, article, seen_as
    ):
        block(moderator_client, READER_IP)

        response = post(client, article, REMOTE_ADDR=seen_as)

        assert REFUSED in response.content.decode()
        assert not Comment.objects.exists()

    def test_a_block_written_as_an_ipv4_mapped_network_is_the_ipv4_network(
        self, client, moderator_client, article
    ):
        stored = block(moderator_client, "::ffff:203.0.113.0/120")

        response = post(client, article, REMOTE_ADDR="203.0.113.99")

        assert stored.target == "203.0.113.0/24"
        assert REFUSED in response.content.decode()

    def test_the_limit_per_client_counts_an_ipv4_client_once_however_it_is_seen(
        self, client, article, settings
    ):
        settings.RATE_LIMITS = {"post": {"ip": (2, 600)}}
        sent = [
            post(client, article, email=f"r{n}@example.com", body=f"R{n}.", REMOTE_ADDR=seen)
            for n, seen in enumerate([READER_IP, MAPPED, "::ffff:cb00:7107"])
        ]

        assert [response.status_code for response in sent] == [302, 302, 429]


class TestAddressesStoredBefore:
    """The data migration that rewrites addresses stored before they had one form."""

    @pytest.fixture
    def rewrite(self):
        migration = importlib.import_module("comments.migrations.0014_one_form_for_emails")
        return lambda: migration.forwards(apps, schema_editor=None)

    def test_comments_get_the_one_form_of_their_address(self, article, rewrite):
        make_comment(article=article, author_email="ana@exämple.com")
        make_comment(article=article, author_email="luis@example.com")

        rewrite()

        assert sorted(Comment.objects.values_list("author_email", flat=True)) == [
            "ana@xn--exmple-cua.com",
            "luis@example.com",
        ]

    def test_two_records_of_one_address_become_one_that_keeps_the_confirmation(self, rewrite):
        first = make_commenter(email="ana@exämple.com", confirmed=True)
        Commenter.objects.filter(pk=first.pk).update(created=timezone.now() - timedelta(days=9))
        make_commenter(email=STORED)

        rewrite()

        (kept,) = Commenter.objects.all()
        assert (kept.pk, kept.email, kept.is_confirmed) == (first.pk, STORED, True)

    def test_blocked_addresses_and_domains_get_the_one_form(self, rewrite):
        Block.objects.create(target="Ana@Exämple.com")
        Block.objects.create(target="@méxico.mx")
        Block.objects.create(target="@xn--mxico-bsa.mx")  # The same domain, blocked twice.
        Block.objects.create(target="203.0.113.0/24")

        rewrite()

        assert sorted(Block.objects.values_list("target", flat=True)) == [
            "203.0.113.0/24",
            "@xn--mxico-bsa.mx",
            STORED,
        ]
