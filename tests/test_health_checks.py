"""The load balancer's checks: /health/live (the process answers) and /health/ready (it can serve).

Both are polled every second by every load balancer: their query counts are
held exactly, and nothing of them is ever cached.
"""

import logging

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from comments import notifications
from tests.servers import unreachable_cache

pytestmark = pytest.mark.django_db

LIVE = "/health/live"
READY = "/health/ready"


def the_database_is_gone(execute, sql, params, many, context):
    """An execute wrapper: every statement fails as if the server had gone away."""
    if sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
        return execute(sql, params, many, context)  # The test's own transaction.
    raise OperationalError("server closed the connection unexpectedly")


class TestLive:
    def test_it_answers_without_a_query(self, client, django_assert_num_queries):
        with django_assert_num_queries(0):
            response = client.get(LIVE)

        assert response.status_code == 200
        assert response.json() == {"status": "live"}

    def test_it_answers_while_the_database_is_gone(self, client):
        with connection.execute_wrapper(the_database_is_gone):
            response = client.get(LIVE)

        assert response.status_code == 200

    def test_it_is_never_cached(self, client):
        assert "no-store" in client.get(LIVE)["Cache-Control"]


class TestReady:
    def test_a_server_that_can_serve_is_ready_in_one_query(self, client, django_assert_num_queries):
        with django_assert_num_queries(1):
            response = client.get(READY)

        assert response.status_code == 200
        assert response.json() == {
            "status": "ready",
            "checks": {"database": "ok", "migrations": "ok", "tasks": "ok", "cache": "ok"},
        }

    @pytest.mark.usefixtures("database_tasks")
    def test_with_the_database_backend_it_counts_the_tasks_waiting_in_two_queries(
        self, client, django_assert_num_queries
    ):
        notifications.enqueue(notifications.send_email_confirmation, "ana@example.com")

        with django_assert_num_queries(2):
            response = client.get(READY)

        assert response.status_code == 200
        assert response.json()["tasks_waiting"] == 1

    def test_it_is_checked_anew_each_time_it_is_asked(self, client, django_assert_num_queries):
        client.get(READY)

        with django_assert_num_queries(1):
            response = client.get(READY)

        assert "no-store" in response["Cache-Control"]

    def test_a_head_request_is_answered_and_a_post_refused(self, client):
        assert client.head(READY).status_code == 200
        assert client.post(READY).status_code == 405


class TestNotReady:
    @pytest.mark.usefixtures("database_tasks")
    def test_without_the_database_it_is_503_naming_it(self, client, caplog):
        with caplog.at_level(logging.WARNING), connection.execute_wrapper(the_database_is_gone):
            response = client.get(READY)

        assert response.status_code == 503
        answer = response.json()
        assert answer["status"] == "not ready"
        assert answer["failing"] == ["database", "tasks"]
        assert answer["checks"]["database"] == "unreachable"
        # One warning with the cause for each part; not an error from django.request each second.
        assert [r.name for r in caplog.records] == ["safeguards.health", "safeguards.health"]
        assert "server closed the connection" in caplog.records[0].getMessage()

    def test_with_a_migration_not_applied_it_is_503_naming_it(self, client):
        MigrationRecorder.Migration.objects.filter(app="comments").order_by("-id")[
            :1
        ].get().delete()

        response = client.get(READY)

        assert response.status_code == 503
        assert response.json()["failing"] == ["migrations"]
        assert response.json()["checks"]["migrations"] == "1 not applied"

    @override_settings(CACHES=unreachable_cache())
    def test_without_the_cache_it_still_serves_but_says_it_is_degraded(self, client):
        response = client.get(READY)

        # Without Redis every page is drawn from the database: slower, never wrong.
        assert response.status_code == 200
        assert response.json()["status"] == "degraded"
        assert response.json()["checks"]["cache"] == "unreachable"


class TestBehindTheLoadBalancer:
    @override_settings(SECURE_SSL_REDIRECT=True)
    def test_the_checks_are_answered_over_plain_http_where_pages_are_redirected(
        self, client, article
    ):
        assert client.get("/").status_code == 301
        assert client.get(READY).status_code == 200
        assert client.get(LIVE).status_code == 200

    def test_the_tasks_table_is_part_of_the_migrations_checked(self):
        assert DBTaskResult._meta.app_label in {
            app for app, _name in MigrationRecorder.Migration.objects.values_list("app", "name")
        }
