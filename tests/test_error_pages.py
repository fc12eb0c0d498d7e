"""Every error a reader can meet is a page in the site's design; a database outage is a 503."""

import logging
import wsgiref.util
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import (
    InterfaceError,
    OperationalError,
    ProgrammingError,
    connection,
    connections,
)
from django.test import Client, RequestFactory
from django.urls import reverse

from comments.models import Comment, ModerationDecision
from safeguards.views import too_many_requests
from tests.actions import post_reply

ADMIN_COMMENTS = "/admin/comments/comment/"


@pytest.fixture
def quiet_client() -> Client:
    """A client that returns the error page instead of re-raising the view's exception."""
    return Client(raise_request_exception=False)


class DatabaseGoesAway:
    """An execute wrapper: statements fail as if the server had gone, from `gone` on.

    Savepoint statements still pass so that the test's own transaction can be
    rolled back cleanly afterwards; the view's statements are what fail.
    """

    def __init__(self, error: Exception, *, after_insert_into: str | None = None):
        self.error = error
        self.after_insert_into = after_insert_into
        self.gone = after_insert_into is None

    def __call__(self, execute, sql, params, many, context):
        bookkeeping = sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
        if self.gone and not bookkeeping:
            raise self.error
        result = execute(sql, params, many, context)
        if self.after_insert_into and sql.startswith(f'INSERT INTO "{self.after_insert_into}"'):
            self.gone = True
        return result


def assert_in_site_design(response) -> None:
    html = response.content.decode()
    assert 'class="site-name' in html
    assert "css/site.css" in html


class TestPagesInTheSiteDesign:
    def test_an_unknown_address_is_a_404_page(self, client, db):
        response = client.get("/no-such-page/")

        assert response.status_code == 404
        assert "We could not find that page" in response.content.decode()
        assert_in_site_design(response)

    def test_an_unpublished_comment_is_a_404_page(self, client, article):
        response = client.get(reverse("comments:permalink", args=[999_999]))

        assert response.status_code == 404
        assert "We could not find that page" in response.content.decode()

    def test_staff_without_moderation_rights_get_a_403_page(self, client, staff_outsider):
        client.force_login(staff_outsider)

        response = client.get(ADMIN_COMMENTS)

        assert response.status_code == 403
        assert "This page is not open to you" in response.content.decode()
        assert_in_site_design(response)

    def test_a_forged_host_gets_a_400_page(self, client, db):
        response = client.get("/", headers={"host": "evil.example"})

        assert response.status_code == 400
        assert "This request could not be understood" in response.content.decode()
        assert_in_site_design(response)

    def test_a_form_without_its_csrf_token_gets_a_403_page_that_explains(self, article):
        client = Client(enforce_csrf_checks=True)

        response = post_reply(client, article, {"body": "Hi"})

        assert response.status_code == 403
        assert "Your form could not be sent" in response.content.decode()
        assert_in_site_design(response)

    def test_a_bug_is_a_500_page(self, quiet_client, article):
        with connection.execute_wrapper(DatabaseGoesAway(ProgrammingError("no such column"))):
            response = quiet_client.get(article.get_absolute_url())

        assert response.status_code == 500
        assert "Something went wrong on our side" in response.content.decode()
        assert "Retry-After" not in response.headers
        assert_in_site_design(response)

    def test_the_rate_limiters_answer_is_a_429_page_with_retry_after(self, db):
        request = RequestFactory().get("/")

        response = too_many_requests(request, retry_after=120)

        assert response.status_code == 429
        assert response.headers["Retry-After"] == "120"
        assert "Please wait 2 minutes, then try again." in response.content.decode()
        assert_in_site_design(response)

    def test_error_pages_carry_the_content_security_policy(self, client, db):
        response = client.get("/no-such-page/")

        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


class TestDatabaseUnavailable:
    @pytest.mark.parametrize(
        "error",
        [
            OperationalError("connection to server at 127.0.0.1 failed: Connection refused"),
            InterfaceError("connection already closed"),
        ],
        ids=["unreachable", "closed-under-us"],
    )
    def test_a_reader_gets_a_503_that_says_to_try_again(self, quiet_client, article, caplog, error):
        with connection.execute_wrapper(DatabaseGoesAway(error)):
            response = quiet_client.get(article.get_absolute_url())

        assert response.status_code == 503
        assert response.headers["Retry-After"] == "30"
        html = response.content.decode()
        assert "The forum is briefly unavailable" in html
        assert "Please try again in a moment." in html
        assert_in_site_design(response)
        logged = [r for r in caplog.records if r.name == "django.request"]
        assert [(r.levelno, r.status_code) for r in logged] == [(logging.ERROR, 503)]
        assert logged[0].exc_info[0] is type(error)

    def test_a_logged_in_moderator_gets_the_503_too(self, moderator, article):
        # The page would normally ask the database for the session and the
        # user; the 503 is rendered without them.
        client = Client(raise_request_exception=False)
        client.force_login(moderator)

        with connection.execute_wrapper(DatabaseGoesAway(OperationalError("gone"))):
            response = client.get(ADMIN_COMMENTS)

        assert response.status_code == 503
        assert "The forum is briefly unavailable" in response.content.decode()

    def test_a_reply_is_not_half_stored_when_the_database_goes_away_mid_request(
        self, quiet_client, article, valid_reply
    ):
        comments_before = Comment.objects.count()
        decisions_before = ModerationDecision.objects.count()
        outage = DatabaseGoesAway(
            OperationalError("server closed the connection unexpectedly"),
            after_insert_into=Comment._meta.db_table,
        )

        with connection.execute_wrapper(outage):
            response = post_reply(quiet_client, article, valid_reply)

        assert outage.gone, "the reply's row was never written, so nothing was tested"
        assert response.status_code == 503
        assert Comment.objects.count() == comments_before
        assert ModerationDecision.objects.count() == decisions_before

    def test_the_next_request_is_served_normally(self, quiet_client, article):
        with connection.execute_wrapper(DatabaseGoesAway(OperationalError("gone"))):
            assert quiet_client.get(article.get_absolute_url()).status_code == 503

        assert quiet_client.get(article.get_absolute_url()).status_code == 200


# A real outage needs a real server: these run on PostgreSQL only. The site is
# served on a thread of its own, through the WSGI handler, so it has its own
# connection, in autocommit and tidied between requests as in production (the
# test client skips that housekeeping).


def wsgi_get(path: str) -> int:
    environ = {"PATH_INFO": path, "HTTP_HOST": "localhost", "REQUEST_METHOD": "GET"}
    wsgiref.util.setup_testing_defaults(environ)
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    response.close()  # ends the request: Django tidies its connections here
    return int(statuses[0].split()[0])


def configure_database(**changes) -> None:
    """Change the settings of this thread's connection only."""
    connection.settings_dict = {**connection.settings_dict, **changes}


def backend_pid() -> int:
    return connection.connection.info.backend_pid


@pytest.fixture
def server_thread() -> Iterator[Callable]:
    """Run a function on the server's thread and return its result."""
    executor = ThreadPoolExecutor(max_workers=1)
    yield lambda function, *args, **kwargs: executor.submit(function, *args, **kwargs).result()
    executor.submit(connections.close_all).result()
    executor.shutdown()


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a database server to lose and get back (DATABASE_URL=postgres://…)",
)


@needs_postgresql
def test_while_postgresql_is_unreachable_readers_get_503_and_then_the_site_recovers(
    db, server_thread
):
    port = connection.settings_dict["PORT"]
    server_thread(configure_database, PORT="1")  # nothing listens there: connection refused

    assert server_thread(wsgi_get, "/") == 503

    server_thread(configure_database, PORT=port)
    assert server_thread(wsgi_get, "/") == 200


@needs_postgresql
def test_a_kept_connection_that_postgresql_dropped_is_replaced_unnoticed(db, server_thread):
    server_thread(configure_database, CONN_MAX_AGE=60)
    assert server_thread(wsgi_get, "/") == 200
    kept = server_thread(backend_pid)

    # The server ends the kept connection, as a restart would.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [kept])

    assert server_thread(wsgi_get, "/") == 200
    assert server_thread(backend_pid) != kept
