"""Moderators' sessions: kept in the database, whatever the cache does."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from tests.servers import unreachable_cache

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_queue")
PASSWORD = "a-long-password-1"


def sign_in(client, moderator):
    response = client.post(
        reverse("admin:login"),
        {"username": moderator.username, "password": PASSWORD, "next": QUEUE},
    )
    assert response.status_code == 302
    return client


def test_a_session_is_read_from_the_database_so_any_app_server_reads_it(client, moderator):
    sign_in(client, moderator)
    key = client.cookies["sessionid"].value
    cache.clear()
    elsewhere = Client()
    elsewhere.cookies["sessionid"] = key

    page = elsewhere.get(QUEUE)

    assert Session.objects.filter(session_key=key).exists()
    assert page.status_code == 200
    assert "Moderation queue" in page.content.decode()


def test_signing_out_ends_the_session_for_good(client, moderator):
    sign_in(client, moderator)
    key = client.cookies["sessionid"].value

    client.post(reverse("admin:logout"))

    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key
    assert client.get(QUEUE).status_code == 302


@override_settings(CACHES=unreachable_cache())
def test_with_the_cache_down_a_moderator_signs_in_works_and_signs_out(client, moderator):
    sign_in(client, moderator)
    key = client.cookies["sessionid"].value

    page = client.get(QUEUE)
    client.post(reverse("admin:logout"))

    assert page.status_code == 200
    assert "Moderation queue" in page.content.decode()
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(QUEUE).status_code == 302
