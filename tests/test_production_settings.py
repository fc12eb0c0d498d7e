"""Production is configured from the environment, passes Django's deploy checks, and holds.

The suite itself runs like `make run`: DEBUG off, plain http, not production.
Production settings are read once at start-up, so they are tried in a fresh
Python process with a production-like environment.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management.utils import get_random_secret_key
from django.http import HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import reverse

from comments.models import Comment
from tests import actions
from tests.factories import make_comment

ROOT = Path(__file__).resolve().parents[1]

PRODUCTION = {
    "DJANGO_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": get_random_secret_key(),
    "DJANGO_ALLOWED_HOSTS": "forum.example.org",
    "REDIS_URL": "redis://127.0.0.1:6379/15",
    # A production site sends real mail (Django's deploy check insists).
    "EMAIL_HOST": "smtp.example.org",
}


def environment(**variables: str) -> dict[str, str]:
    """This process's environment without any DJANGO_ setting, plus `variables`."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {**inherited, "DJANGO_SETTINGS_MODULE": "sovereignty_forum.settings", **variables}


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def django_process(code: str, env: dict[str, str]) -> dict:
    """Run `code` after django.setup() in a fresh process; it prints one JSON line."""
    result = run(["-c", f"import django, json\ndjango.setup()\n{code}"], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def deployment_warnings() -> set[str]:
    """The ids of what `check --deploy` says, its checks of the database's own features aside:
    those ask the database, which these tests need not open."""
    return {message.id for message in run_checks(include_deployment_checks=True, databases=[])}


class TestDeployment:
    def test_the_deploy_check_reports_no_issues_in_production(self):
        result = run(
            ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], environment(**PRODUCTION)
        )

        assert result.returncode == 0, result.stdout + result.stderr
        assert "System check identified no issues" in result.stdout

    def test_the_deploy_check_flags_a_secret_key_from_the_local_file(self, settings):
        settings.SECRET_KEY_FROM_ENVIRONMENT = False

        flagged = deployment_warnings()

        assert "safeguards.W001" in flagged

    def test_the_deploy_check_accepts_a_secret_key_from_the_environment(self, settings):
        settings.SECRET_KEY_FROM_ENVIRONMENT = True

        flagged = deployment_warnings()

        assert "safeguards.W001" not in flagged

    def test_the_deploy_check_flags_emails_sent_inside_requests(self, settings):
        settings.TASKS_BACKEND = "immediate"

        flagged = deployment_warnings()

        assert "safeguards.W002" in flagged

    def test_the_deploy_check_accepts_emails_left_to_the_workers(self, settings):
        settings.TASKS_BACKEND = "database"

        flagged = deployment_warnings()

        assert "safeguards.W002" not in flagged

    @pytest.mark.parametrize(
        ("change", "complaint"),
        [
            ({"DJANGO_ALLOWED_HOSTS": ""}, "DJANGO_ALLOWED_HOSTS must be set"),
            ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY must be set"),
            ({"DJANGO_DEBUG": "1"}, "DJANGO_DEBUG must be off"),
            # On the console backend every confirmation link and notice would be lost.
            ({"EMAIL_HOST": ""}, "EMAIL_HOST must be set"),
        ],
        ids=["no-allowed-hosts", "no-secret-key", "debug", "no-mail-server"],
    )
    def test_production_refuses_to_start_without_what_it_must_not_guess(self, change, complaint):
        result = run(["manage.py", "check"], environment(**{**PRODUCTION, **change}))

        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert complaint in result.stderr

    def test_persistent_connections_are_configurable_and_health_checked(self):
        database = django_process(
            "from django.db import connection\n"
            "print(json.dumps(connection.settings_dict, default=str))",
            environment(
                **PRODUCTION,
                DJANGO_CONN_MAX_AGE="60",
                DATABASE_URL="postgres://forum@db.example.org:5432/forum",
            ),
        )

        assert database["CONN_MAX_AGE"] == 60
        assert database["CONN_HEALTH_CHECKS"] is True

    def test_every_wait_on_postgresql_is_bounded(self):
        database = django_process(
            "from django.db import connection\n"
            "print(json.dumps(connection.settings_dict, default=str))",
            environment(**PRODUCTION, DATABASE_URL="postgres://forum@db.example.org:5432/forum"),
        )

        # A server down, slow, frozen or cut off: the reader gets the 503 within 5 s.
        assert database["ENGINE"] == "safeguards.postgresql"
        assert database["OPTIONS"] == {
            "connect_timeout": 4,
            "keepalives": 1,
            "keepalives_idle": 4,
            "keepalives_interval": 1,
            "keepalives_count": 3,
            "tcp_user_timeout": 4000,
            "options": "-c statement_timeout=4s",
            "answer_timeout": 5,
            # Prepared statements (see the next test).
            "server_side_binding": True,
            "prepare_threshold": 2,
        }

    def test_a_kept_connection_prepares_its_statements_unless_a_pooler_forbids_them(self):
        def options(**extra: str) -> dict:
            return django_process(
                "from django.db import connection\n"
                "print(json.dumps(connection.settings_dict['OPTIONS']))",
                environment(
                    **PRODUCTION, DATABASE_URL="postgres://forum@db.example.org:5432/forum", **extra
                ),
            )

        # A statement's second run on a connection is prepared: planned once, not each time.
        assert options()["prepare_threshold"] == 2
        assert options()["server_side_binding"] is True
        # Behind a PgBouncer in transaction mode (before 1.21), Django's defaults.
        without = options(DJANGO_DB_PREPARE_THRESHOLD="0")
        assert "prepare_threshold" not in without
        assert "server_side_binding" not in without

    def test_management_commands_may_run_long_statements(self):
        result = run(
            [
                "manage.py",
                "shell",
                "-c",
                "from django.db import connection; print(connection.settings_dict['OPTIONS'])",
            ],
            environment(DATABASE_URL="postgres://forum@db.example.org:5432/forum"),
        )

        assert result.returncode == 0, result.stderr
        assert "statement_timeout" not in result.stdout
        assert "answer_timeout" not in result.stdout
        assert "'connect_timeout': 4" in result.stdout

    def test_sqlite_takes_concurrent_writers_in_turn(self, tmp_path):
        database = django_process(
            "from django.db import connection\n"
            "with connection.cursor() as cursor:\n"
            "    cursor.execute('PRAGMA journal_mode')\n"
            "    mode = cursor.fetchone()[0]\n"
            "print(json.dumps({'mode': mode, 'options': connection.settings_dict['OPTIONS']}))",
            environment(DATABASE_URL=f"sqlite:///{tmp_path / 'forum.sqlite3'}"),
        )

        assert database["mode"] == "wal"
        assert database["options"]["transaction_mode"] == "IMMEDIATE"
        assert database["options"]["timeout"] == 20


PROBE = """
from django.conf import settings
from django.test import Client
client = Client(headers={"host": "forum.example.org"})
plain = client.get("/admin/login/")
forwarded = client.get("/admin/login/", headers={"x-forwarded-proto": "https"})
secure = client.get("/admin/login/", secure=True)
forged = client.get("/admin/login/", secure=True, headers={"host": "evil.example"})
print(json.dumps({
    "plain": [plain.status_code, plain.headers.get("Location")],
    "forwarded": forwarded.status_code,
    "secure": secure.status_code,
    "headers": dict(secure.headers),
    "csrf_cookie_secure": secure.cookies["csrftoken"]["secure"],
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "forged": forged.status_code,
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    """What a production process answers over HTTP and HTTPS (see PROBE)."""
    # An empty database: these pages must not need one.
    database = tmp_path_factory.mktemp("production") / "empty.sqlite3"
    return django_process(PROBE, environment(**PRODUCTION, DATABASE_URL=f"sqlite:///{database}"))


class TestProductionOverHttps:
    def test_plain_http_is_redirected_to_https(self, production):
        assert production["plain"] == [301, "https://forum.example.org/admin/login/"]

    def test_https_pages_carry_hsts_and_the_security_headers(self, production):
        headers = production["headers"]

        assert production["secure"] == 200
        assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "default-src 'self'" in headers["Content-Security-Policy"]

    def test_cookies_are_sent_over_https_only(self, production):
        assert production["csrf_cookie_secure"] is True
        assert production["session_cookie_secure"] is True

    def test_a_host_it_does_not_serve_is_refused(self, production):
        assert production["forged"] == 400

    def test_x_forwarded_proto_is_ignored_unless_trusted(self, production):
        assert production["forwarded"] == 301

    def test_behind_a_trusted_tls_proxy_forwarded_https_is_not_redirected(self, tmp_path):
        probe = django_process(
            PROBE,
            environment(
                **PRODUCTION,
                DJANGO_TRUST_X_FORWARDED_PROTO="1",
                DATABASE_URL=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
            ),
        )

        assert probe["forwarded"] == 200


class TestLocalHttp:
    def test_plain_http_is_served_without_redirect_hsts_or_secure_cookies(self, client, article):
        response = client.get(article.get_absolute_url())

        assert response.status_code == 200
        assert "Strict-Transport-Security" not in response.headers
        assert not response.cookies["csrftoken"]["secure"]


class TestContentSecurityPolicy:
    def test_pages_are_served_with_a_strict_policy(self, client, article):
        policy = client.get(article.get_absolute_url()).headers["Content-Security-Policy"]

        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"  # plus a nonce when a page uses one
        assert directives["style-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in policy

    def test_an_inline_script_with_the_nonce_is_allowed_by_the_header(self):
        template = engines["django"].from_string('<script nonce="{{ csp_nonce }}"></script>')
        request = RequestFactory().get("/")

        response = ContentSecurityPolicyMiddleware(
            lambda request: HttpResponse(template.render(request=request))
        )(request)

        nonce = re.search(r'nonce="([^"]+)"', response.content.decode())[1]
        assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]

    def test_our_pages_have_no_inline_scripts_handlers_or_style_attributes(self, client, article):
        thread = make_comment(article=article)
        pages = [
            article.get_absolute_url(),
            reverse("comments:thread", args=[thread.pk]),
            reverse("comments:reply", args=[thread.pk]),
            "/no-such-page/",
        ]

        for path in pages:
            html = client.get(path).content.decode()
            # Structured data (application/ld+json) is data that no browser runs.
            scripts = r"<script(?![^>]*\b(src|nonce)=)(?![^>]*type=\"application/ld\+json\")[^>]*>"
            assert not re.search(scripts, html), path
            assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), path
            assert not re.search(r"<[^>]+\sstyle\s*=", html), path


def csrf_token(client: Client, path: str) -> str:
    client.get(path)
    return client.cookies["csrftoken"].value


class TestCrossSiteRequests:
    """Forms only count when they come from this site's own pages."""

    @pytest.fixture
    def strict_client(self) -> Client:
        return Client(enforce_csrf_checks=True)

    def post_with_token(self, client, article, valid_reply, **extra):
        """A reply sent with the CSRF token of the article page `client` just read."""
        token = csrf_token(client, article.get_absolute_url())
        return actions.post_reply(
            client,
            article,
            {**valid_reply, "csrfmiddlewaretoken": token},
            **extra,
        )

    def test_a_post_without_the_token_is_refused(self, strict_client, article, valid_reply):
        response = actions.post_reply(strict_client, article, valid_reply)

        assert response.status_code == 403
        assert not Comment.objects.exists()

    def test_a_post_from_another_origin_is_refused(self, strict_client, article, valid_reply):
        response = self.post_with_token(
            strict_client, article, valid_reply, headers={"origin": "https://evil.example"}
        )

        assert response.status_code == 403
        assert not Comment.objects.exists()

    def test_a_post_from_this_origin_with_its_token_gets_through(
        self, strict_client, article, valid_reply
    ):
        response = self.post_with_token(
            strict_client, article, valid_reply, headers={"origin": "http://testserver"}
        )

        assert response.status_code != 403

    def test_over_https_a_post_from_a_foreign_page_is_refused(
        self, strict_client, article, valid_reply
    ):
        response = self.post_with_token(
            strict_client,
            article,
            valid_reply,
            secure=True,
            headers={"referer": "https://evil.example/page"},
        )

        assert response.status_code == 403
        assert not Comment.objects.exists()


UNSAFE_NEXT = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example"]


class TestNoOpenRedirects:
    @pytest.fixture
    def moderator_credentials(self, moderator) -> dict[str, str]:
        return {"username": moderator.username, "password": "a-long-password-1"}

    @pytest.mark.parametrize("target", UNSAFE_NEXT)
    def test_logging_in_never_sends_a_moderator_to_another_site(
        self, client, moderator_credentials, target
    ):
        response = client.post(
            "/admin/login/?next=" + target, {**moderator_credentials, "next": target}
        )

        assert response.status_code == 302
        assert response.headers["Location"] == "/admin/"

    def test_logging_in_does_follow_a_next_page_on_this_site(self, client, moderator_credentials):
        target = "/admin/comments/comment/"

        response = client.post("/admin/login/", {**moderator_credentials, "next": target})

        assert response.headers["Location"] == target

    @pytest.mark.parametrize("target", UNSAFE_NEXT)
    def test_an_already_logged_in_moderator_is_not_sent_away(self, moderator_client, target):
        response = moderator_client.get("/admin/login/", {"next": target})

        assert response.headers["Location"] == "/admin/"

    @pytest.mark.parametrize("target", UNSAFE_NEXT)
    def test_logging_out_never_sends_anyone_to_another_site(self, moderator_client, target):
        response = moderator_client.post("/admin/logout/", {"next": target})

        assert "evil.example" not in response.headers.get("Location", "")


class TestForgedHost:
    def test_a_host_header_the_site_does_not_serve_is_refused(self, client, article):
        response = client.get(article.get_absolute_url(), headers={"host": "evil.example"})

        assert response.status_code == 400
        assert "evil.example" not in response.content.decode()

    def test_x_forwarded_host_is_ignored(self, client, article):
        response = client.get(
            article.get_absolute_url(), headers={"x-forwarded-host": "evil.example"}
        )

        assert response.status_code == 200
        assert "evil.example" not in response.content.decode()

    def test_a_permalink_redirect_stays_on_this_site(self, client, article):
        comment = make_comment(article=article)

        response = client.get(
            comment.get_absolute_url(), headers={"x-forwarded-host": "evil.example"}
        )

        assert response.status_code == 302
        assert response.headers["Location"].startswith("/")
