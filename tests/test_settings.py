"""Settings come from the environment and fail loudly on a bad value."""

import os
import runpy
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import ImproperlyConfigured

from sovereignty_forum.settings import envbool, envint, envlist


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("Off", False), ("0", False)]
)
def test_envbool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)

    assert envbool("SOME_FLAG", not expected) is expected


def test_envbool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "maybe")

    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        envbool("SOME_FLAG", False)


def test_envbool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)

    assert envbool("SOME_FLAG", True) is True


def test_envint_refuses_words_and_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("SOME_NUMBER", "many")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        envint("SOME_NUMBER", 1)

    monkeypatch.setenv("SOME_NUMBER", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        envint("SOME_NUMBER", 1, minimum=1)


def test_envlist_splits_on_commas(monkeypatch):
    monkeypatch.setenv("SOME_HOSTS", "example.org, www.example.org,")

    assert envlist("SOME_HOSTS", []) == ["example.org", "www.example.org"]


def test_debug_is_off_unless_asked_for(settings):
    assert settings.DEBUG is False


GZIP = "django.middleware.gzip.GZipMiddleware"
MIDDLEWARE_OF = "from django.conf import settings; print('\\n'.join(settings.MIDDLEWARE))"


def middleware_with(**environment: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {"DJANGO_SETTINGS_MODULE": "sovereignty_forum.settings", **environment}
    printed = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", "import django; django.setup(); " + MIDDLEWARE_OF],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return printed.split()


def test_pages_are_left_for_the_front_proxy_to_compress():
    assert GZIP not in middleware_with()


def test_a_site_without_a_compressing_proxy_can_compress_its_pages_after_static_files():
    middleware = middleware_with(DJANGO_COMPRESS_PAGES="1")

    assert (
        middleware.index(GZIP) == middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    )


def settings_with(names: list[str], **environment: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ADMIN_"))}
    env |= {"DJANGO_SETTINGS_MODULE": "sovereignty_forum.settings", **environment}
    script = "from django.conf import settings; " + "; ".join(
        f"print(settings.{name})" for name in names
    )
    printed = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", "import django; django.setup(); " + script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return printed.splitlines()


def test_the_admin_logins_safeguards_come_from_the_environment():
    names = ["ADMIN_REQUIRE_SECOND_FACTOR", "AXES_FAILURE_LIMIT", "AXES_COOLOFF_TIME"]

    assert settings_with(names) == ["False", "5", "0:15:00"]
    assert settings_with(
        names,
        ADMIN_REQUIRE_SECOND_FACTOR="1",
        ADMIN_LOGIN_FAILURE_LIMIT="10",
        ADMIN_LOGIN_LOCKOUT_MINUTES="60",
    ) == ["True", "10", "1:00:00"]


class TestBackgroundTasks:
    """Emails wait in the database for a worker unless the immediate backend is asked for."""

    SETTINGS_FILE = str(settings.BASE_DIR / "sovereignty_forum" / "settings.py")

    def load(self, monkeypatch, **environment) -> dict:
        for name in ("DJANGO_TASKS_BACKEND", "EMAIL_RETRY_DELAYS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(self.SETTINGS_FILE)

    def test_tasks_wait_in_the_database_for_a_worker_by_default(self, monkeypatch):
        loaded = self.load(monkeypatch)

        assert loaded["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
        assert "django_tasks_db" in loaded["INSTALLED_APPS"]
        assert loaded["EMAIL_RETRY_DELAYS"] == [60, 300, 1800, 7200]

    def test_the_immediate_backend_can_be_chosen(self, monkeypatch):
        loaded = self.load(monkeypatch, DJANGO_TASKS_BACKEND="immediate")

        assert loaded["TASKS"]["default"]["BACKEND"] == (
            "django.tasks.backends.immediate.ImmediateBackend"
        )

    def test_an_unknown_backend_stops_start_up(self, monkeypatch):
        with pytest.raises(ImproperlyConfigured, match="DJANGO_TASKS_BACKEND"):
            self.load(monkeypatch, DJANGO_TASKS_BACKEND="redis")

    @pytest.mark.parametrize(("raw", "delays"), [("10, 20", [10, 20]), ("", [])])
    def test_the_retry_delays_come_from_the_environment(self, monkeypatch, raw, delays):
        assert self.load(monkeypatch, EMAIL_RETRY_DELAYS=raw)["EMAIL_RETRY_DELAYS"] == delays

    @pytest.mark.parametrize("raw", ["1m", "60,-5", "1.5"])
    def test_malformed_retry_delays_stop_start_up(self, monkeypatch, raw):
        with pytest.raises(ImproperlyConfigured, match="EMAIL_RETRY_DELAYS"):
            self.load(monkeypatch, EMAIL_RETRY_DELAYS=raw)


def test_without_redis_each_process_keeps_every_page_of_a_large_discussion(monkeypatch):
    # About 180 pages a language for 10,000 comments, two cache entries each (the page and
    # which of its versions was drawn last): none may be culled while a reader reads it whole.
    monkeypatch.delenv("REDIS_URL", raising=False)
    default = runpy.run_path(str(settings.BASE_DIR / "sovereignty_forum" / "settings.py"))[
        "CACHES"
    ]["default"]
    cache = LocMemCache("test-every-page", default)
    entries = 2 * 2 * 180
    for number in range(entries):
        cache.set(f"entry-{number}", number)

    assert all(cache.get(f"entry-{number}") == number for number in range(entries))
    cache.clear()
