"""Logs an operator can follow: one line per event, each naming its request, as text or JSON.

Logging is configured once, as a process starts, so what it prints is read
from a fresh process, as `make run` (DEBUG on) and production start it.
"""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.servers import ROOT

PROBE = """
import logging
import django
django.setup()
from django.test import Client
Client(headers={"host": "127.0.0.1"}).get("/no-such-page/", headers={"x-request-id": "lb-1234"})
logging.getLogger("django.tasks").info("Task id=probe state=SUCCESSFUL")
"""


def log_of_a_process(tmp_path, **variables: str) -> list[str]:
    """The lines a fresh process logs while it answers a 404 and logs as a task would."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "sovereignty_forum.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        **variables,
    }
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr.splitlines()


class TestOneLinePerEvent:
    @pytest.mark.parametrize("debug", ["1", "0"], ids=["make-run", "production-like"])
    def test_a_404_and_a_task_are_each_logged_once(self, tmp_path, debug):
        lines = log_of_a_process(tmp_path, DJANGO_DEBUG=debug)

        assert len([line for line in lines if "Not Found: /no-such-page/" in line]) == 1
        assert len([line for line in lines if "Task id=probe" in line]) == 1

    def test_each_line_names_its_level_its_logger_and_its_request(self, tmp_path):
        lines = log_of_a_process(tmp_path, DJANGO_DEBUG="1")

        (not_found,) = [line for line in lines if "Not Found" in line]
        assert re.search(
            r" WARNING django\.request \[lb-1234\] Not Found: /no-such-page/$",
            not_found,
        )
        (task,) = [line for line in lines if "Task id=probe" in line]
        # Outside any request.
        assert " INFO django.tasks [-] " in task


class TestJsonLogs:
    def test_every_line_is_one_json_object_with_the_request_id(self, tmp_path):
        lines = log_of_a_process(tmp_path, DJANGO_LOG_FORMAT="json")

        records = [json.loads(line) for line in lines]
        (not_found,) = [r for r in records if r["message"] == "Not Found: /no-such-page/"]
        assert not_found["level"] == "WARNING"
        assert not_found["logger"] == "django.request"
        assert not_found["request_id"] == "lb-1234"
        assert not_found["time"].endswith("+00:00")

    def test_a_traceback_stays_in_its_line(self):
        import logging

        from safeguards.logs import JsonFormatter

        try:
            raise ValueError("broken\nacross lines")
        except ValueError:
            record = logging.LogRecord("x", logging.ERROR, "f", 1, "It broke", (), sys.exc_info())

        line = JsonFormatter().format(record)

        assert "\n" not in line
        assert "ValueError: broken" in json.loads(line)["exception"]

    def test_an_unknown_format_stops_start_up(self, tmp_path):
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=ROOT,
            env={**os.environ, "DJANGO_LOG_FORMAT": "xml"},
            capture_output=True,
            text=True,
            timeout=120,
        )

        assert result.returncode != 0
        assert "DJANGO_LOG_FORMAT must be 'text' or 'json'" in result.stderr


class TestRequestIds:
    def test_a_sane_incoming_id_is_kept_and_echoed(self, client, article):
        response = client.get("/", headers={"x-request-id": "5f0c-lb-42"})

        assert response["X-Request-ID"] == "5f0c-lb-42"

    @pytest.mark.parametrize(
        "incoming",
        ["", "two words", "x" * 201, "forged\nline", "<script>"],
        ids=["none", "space", "too-long", "newline", "markup"],
    )
    def test_any_other_is_replaced_by_an_id_of_the_site_s_own(self, client, article, incoming):
        headers = {"x-request-id": incoming} if incoming else {}

        response = client.get("/", headers=headers)

        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])

    def test_each_request_gets_its_own(self, client, article):
        first = client.get("/")["X-Request-ID"]
        second = client.get("/")["X-Request-ID"]

        assert first != second
