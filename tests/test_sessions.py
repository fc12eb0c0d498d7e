"""Moderators' sessions: kept in the database, read from the cache, never lost with it."""

from unittest import mock

import pytest
from asgiref.sync import async_to_sync
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safeguards import sessions
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


def session_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"]]


def test_a_signed_in_page_reads_the_session_from_its_copy_in_the_cache(client, moderator):
    sign_in(client, moderator)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)

    assert response.status_code == 200
    assert session_queries(queries) == []


def test_without_its_copy_the_session_is_read_from_the_database_and_copied_again(client, moderator):
    sign_in(client, moderator)
    cache.clear()

    with CaptureQueriesContext(connection) as first:
        assert client.get(QUEUE).status_code == 200
    with CaptureQueriesContext(connection) as second:
        assert client.get(QUEUE).status_code == 200

    assert len(session_queries(first)) == 1
    assert session_queries(second) == []


def test_a_copy_is_kept_for_minutes_not_for_the_sessions_whole_life(client, moderator):
    with mock.patch.object(type(caches["default"]), "set", autospec=True) as cache_set:
        sign_in(client, moderator)

    timeouts = [
        call.args[3]
        for call in cache_set.call_args_list
        if call.args[1].startswith(sessions.SessionStore.cache_key_prefix)
    ]
    assert timeouts
    assert max(timeouts) <= sessions.COPY_TIMEOUT


def test_signing_out_ends_the_session_in_the_database_and_the_cache(client, moderator):
    sign_in(client, moderator)
    key = client.cookies["sessionid"].value

    client.post(reverse("admin:logout"))

    assert not Session.objects.filter(session_key=key).exists()
    assert cache.get(sessions.SessionStore.cache_key_prefix + key) is None
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


def test_a_sign_out_the_cache_missed_is_logged_as_an_error(client, moderator, caplog):
    sign_in(client, moderator)
    key = client.cookies["sessionid"].value

    with mock.patch.object(type(caches["default"]), "delete", side_effect=ConnectionError):
        client.post(reverse("admin:logout"))

    assert not Session.objects.filter(session_key=key).exists()
    assert any(
        record.levelname == "ERROR" and "could not be deleted" in record.getMessage()
        for record in caplog.records
    )


def test_async_callers_get_the_same_store(moderator):
    store = sessions.SessionStore()
    store["moderator"] = moderator.pk

    with mock.patch.object(type(caches["default"]), "set", autospec=True) as cache_set:
        async_to_sync(store.asave)()
    copy_timeout = cache_set.call_args.args[3]
    async_to_sync(store.adelete)()

    assert copy_timeout <= sessions.COPY_TIMEOUT
    assert not async_to_sync(sessions.SessionStore().aexists)(store.session_key)
