"""Spam and floods: posting, reporting and rating are limited per client IP (and posts per
email address), counted in the cache every app server shares, answered with a 429 page.
"""

import logging
import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from comments.models import Comment, Rating, Report
from tests import actions
from tests.actions import post_reply
from tests.factories import make_comment, reply_data
from tests.servers import redis_cache, redis_key_prefix, require_redis, unreachable_cache

pytestmark = pytest.mark.django_db

READER_IP = "203.0.113.7"
OTHER_IP = "198.51.100.20"
PROXY_IP = "10.0.0.2"


@pytest.fixture(autouse=True)
def a_window_just_opened(monkeypatch):
    """The clock runs from the start of a fresh window of every limit here (each divides an hour).

    The limits count in fixed windows: a test that ran across a window's end
    would see its count start again halfway through.
    """
    real_time = time.time
    started = real_time()
    opened = started - started % 3600 + 1
    monkeypatch.setattr(time, "time", lambda: opened + (real_time() - started))


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.RATE_LIMITS = {
        "post": {"ip": (3, 600), "email": (2, 600)},
        "report": {"ip": (2, 3600)},
        "rate": {"ip": (2, 600)},
    }
    settings.TRUSTED_PROXY_COUNT = 0


def post(client, article, *, body: str, email: str = "ana@example.com", ip=READER_IP, **extra):
    """A reply with `body` from `email`, posted from `ip`."""
    return post_reply(
        client, article, reply_data(author_email=email, body=body), REMOTE_ADDR=ip, **extra
    )


def report(client, comment, *, ip=READER_IP):
    return actions.report(client, comment, reason=Report.Reason.SPAM, REMOTE_ADDR=ip)


def rate(client, comment, *, ip=READER_IP):
    return actions.rate(client, comment, REMOTE_ADDR=ip)


class TestPosting:
    def test_posts_beyond_the_limit_per_address_get_a_429_with_retry_after(self, client, article):
        accepted = [
            post(client, article, body=f"Reply {n}.", email=f"r{n}@example.com").status_code
            for n in range(3)
        ]

        refused = post(client, article, body="One too many.", email="r9@example.com")

        assert accepted == [302, 302, 302]
        assert refused.status_code == 429
        assert 1 <= int(refused["Retry-After"]) <= 600
        assert "Please slow down a little" in refused.content.decode()
        assert Comment.objects.count() == 3
        assert not Comment.objects.filter(body="One too many.").exists()

    def test_the_refused_text_is_given_back_to_its_author(self, client, article):
        for n in range(3):
            post(client, article, body=f"Reply {n}.", email=f"r{n}@example.com")

        refused = post(
            client, article, body="Mi propuesta: <b>inteligencia</b> financiera compartida."
        )

        html = refused.content.decode()
        assert "Your reply was not posted. Here is what you wrote" in html
        assert "Mi propuesta: &lt;b&gt;inteligencia&lt;/b&gt; financiera compartida." in html

    def test_the_limit_per_email_holds_from_any_address_in_any_letter_case(self, client, article):
        first = post(client, article, body="One.", email="ana@example.com", ip=READER_IP)
        second = post(client, article, body="Two.", email="ANA@example.com", ip=OTHER_IP)

        third = post(client, article, body="Three.", email="Ana@Example.com", ip="192.0.2.1")

        assert [first.status_code, second.status_code] == [302, 302]
        assert third.status_code == 429
        assert Comment.objects.count() == 2

    def test_other_readers_are_not_held_back_by_one_who_floods(self, client, article):
        for n in range(4):
            post(client, article, body=f"Flood {n}.", email=f"f{n}@example.com")

        response = post(client, article, body="Hello.", email="luis@example.com", ip=OTHER_IP)

        assert response.status_code == 302

    def test_posting_is_allowed_again_once_the_window_has_passed(
        self, client, article, monkeypatch
    ):
        for n in range(4):
            post(client, article, body=f"Reply {n}.", email=f"r{n}@example.com")
        later = time.time() + 601
        monkeypatch.setattr(time, "time", lambda: later)

        response = post(client, article, body="After a break.", email="r7@example.com")

        assert response.status_code == 302

    def test_ipv6_clients_are_counted_by_their_64_block(self, client, article):
        for n in range(3):
            post(client, article, body=f"R{n}.", email=f"r{n}@example.com", ip=f"2001:db8::{n}")

        same_block = post(client, article, body="R3.", email="r3@example.com", ip="2001:db8::ff")
        other_block = post(client, article, body="R4.", email="r4@example.com", ip="2001:db8:1::1")

        assert same_block.status_code == 429
        assert other_block.status_code == 302

    def test_a_limit_set_to_off_is_not_applied(self, client, article, settings):
        settings.RATE_LIMITS = {"post": {"ip": None, "email": None}}

        statuses = {
            post(client, article, body=f"Reply {n}.", email=f"r{n}@example.com").status_code
            for n in range(6)
        }

        assert statuses == {302}

    def test_invalid_posts_count_too(self, client, article):
        for n in range(3):
            assert post(client, article, body="", email=f"r{n}@example.com").status_code == 200

        assert post(client, article, body="Now filled in.").status_code == 429


class TestReportingAndRating:
    def test_reports_beyond_the_limit_are_refused_and_not_stored(self, client, article):
        comments = [make_comment(article=article) for _ in range(3)]

        statuses = [report(client, comment).status_code for comment in comments]

        assert statuses == [302, 302, 429]
        assert Report.objects.count() == 2

    def test_opening_the_report_form_is_not_counted(self, client, article):
        comment = make_comment(article=article)

        pages = {
            client.get(reverse("comments:report", args=[comment.pk])).status_code for _ in range(5)
        }

        assert pages == {200}
        assert report(client, comment).status_code == 302

    def test_ratings_beyond_the_limit_are_refused_and_not_counted(self, client, article):
        proposals = [make_comment(article=article) for _ in range(3)]

        statuses = [rate(client, proposal).status_code for proposal in proposals]

        assert statuses == [302, 302, 429]
        assert Rating.objects.count() == 2


class TestClientAddress:
    def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(self, client, article):
        for n in range(3):
            post(client, article, body=f"R{n}.", email=f"r{n}@example.com")

        disguised = post(
            client, article, body="R3.", email="r3@example.com", HTTP_X_FORWARDED_FOR="192.0.2.99"
        )

        assert disguised.status_code == 429
        assert set(Comment.objects.values_list("ip_address", flat=True)) == {READER_IP}

    def test_behind_a_trusted_proxy_each_reader_is_counted_by_their_own_address(
        self, client, article, settings
    ):
        settings.TRUSTED_PROXY_COUNT = 1
        for n in range(3):
            post(
                client,
                article,
                body=f"R{n}.",
                email=f"r{n}@example.com",
                ip=PROXY_IP,
                HTTP_X_FORWARDED_FOR=READER_IP,
            )

        flooder = post(
            client,
            article,
            body="R3.",
            email="r3@example.com",
            ip=PROXY_IP,
            # What a client writes itself stands left of what the proxy appended.
            HTTP_X_FORWARDED_FOR=f"192.0.2.99, {READER_IP}",
        )
        neighbour = post(
            client,
            article,
            body="Hello.",
            email="luis@example.com",
            ip=PROXY_IP,
            HTTP_X_FORWARDED_FOR=OTHER_IP,
        )

        assert flooder.status_code == 429
        assert neighbour.status_code == 302
        assert Comment.objects.get(body="Hello.").ip_address == OTHER_IP
        assert set(Comment.objects.values_list("ip_address", flat=True)) == {READER_IP, OTHER_IP}

    def test_behind_two_proxies_the_address_the_outer_one_saw_is_the_clients(
        self, client, article, settings
    ):
        settings.TRUSTED_PROXY_COUNT = 2

        post(
            client,
            article,
            body="Through two proxies.",
            ip=PROXY_IP,
            HTTP_X_FORWARDED_FOR=f"192.0.2.99, {READER_IP}, 10.0.0.1",
        )

        assert Comment.objects.get().ip_address == READER_IP

    def test_a_malformed_forwarded_address_falls_back_to_the_peer(self, client, article, settings):
        settings.TRUSTED_PROXY_COUNT = 1

        post(client, article, body="Odd header.", ip=PROXY_IP, HTTP_X_FORWARDED_FOR="nonsense")

        assert Comment.objects.get().ip_address == PROXY_IP


class TestInRedis:
    """The counts live in Redis, which every worker of every app server shares."""

    @pytest.fixture
    def redis(self):
        require_redis()
        with redis_key_prefix() as prefix, override_settings(CACHES=redis_cache(prefix)):
            yield prefix

    def test_the_limit_holds_with_the_counts_in_redis(self, client, article, redis):
        statuses = [
            post(client, article, body=f"R{n}.", email=f"r{n}@example.com").status_code
            for n in range(4)
        ]

        assert statuses == [302, 302, 302, 429]
        assert Comment.objects.count() == 3

    def test_the_count_is_kept_in_the_shared_cache_with_an_expiry(self, client, article, redis):
        import redis as redis_client

        from tests.servers import REDIS_SERVER

        post(client, article, body="Counted once.")

        connection = redis_client.Redis.from_url(REDIS_SERVER)
        keys = list(connection.scan_iter(match=f"{redis}:*ratelimit:post:ip:*"))
        assert len(keys) == 1
        assert int(connection.get(keys[0])) == 1
        assert 0 < connection.ttl(keys[0]) <= 601


class TestWhenTheCacheIsDown:
    """Rate limits fail open: a cache outage costs flood protection, never a reader's post."""

    @pytest.fixture
    def cache_down(self):
        with override_settings(CACHES=unreachable_cache()):
            yield

    def test_posting_still_works_and_the_outage_is_logged(
        self, client, article, cache_down, caplog
    ):
        with caplog.at_level(logging.WARNING, logger="safeguards.ratelimit"):
            statuses = [
                post(client, article, body=f"R{n}.", email="ana@example.com").status_code
                for n in range(4)
            ]

        assert statuses == [302, 302, 302, 302]
        assert Comment.objects.count() == 4
        assert any("Rate limits not applied" in r.getMessage() for r in caplog.records)

    def test_readers_and_moderators_never_get_a_500(
        self, client, article, moderator, cache_down, django_capture_on_commit_callbacks
    ):
        published = make_comment(article=article)
        with django_capture_on_commit_callbacks(execute=True):
            posted = post(client, article, body="While Redis is away.")
        pending = Comment.objects.get(body="While Redis is away.")
        statuses = {
            "article": client.get(article.get_absolute_url()).status_code,
            "thread": client.get(reverse("comments:thread", args=[published.pk])).status_code,
            "permalink": client.get(published.get_absolute_url()).status_code,
            "post": posted.status_code,
            "report": report(client, published).status_code,
            "rate": rate(client, published).status_code,
        }
        client.force_login(moderator)
        queue = client.get("/admin/comments/comment/?queue=pending")
        with django_capture_on_commit_callbacks(execute=True):
            decided = actions.decide_on_page(client, pending, "_approve")
        client.logout()
        shown = client.get(article.get_absolute_url())

        assert statuses == {
            "article": 200,
            "thread": 200,
            "permalink": 302,
            "post": 302,
            "report": 302,
            "rate": 302,
        }
        assert [queue.status_code, decided.status_code] == [200, 302]
        assert "While Redis is away." in shown.content.decode()

    def test_the_cache_really_is_unreachable(self, cache_down):
        with pytest.raises(Exception, match=r"(?i)connect"):
            cache.get("anything")
