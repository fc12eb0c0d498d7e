"""`make run`: the development server and the worker that sends its emails, stopped together.

Run as a developer runs it, on a database of its own: a reply posted to the
server is emailed by the worker (printed on the console, each task logged
once) with links to the port the server was given, and Ctrl-C stops the
server and the worker both.
"""

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.urls import reverse

from tests.servers import ROOT, Reader, free_port, site_environment

ARTICLE = "/articles/mexico-rejects-us-intervention/"
MAKE = shutil.which("make")


def processes_with(marker: str) -> list[int]:
    """The ids of the processes whose environment holds `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue  # Gone meanwhile, or not ours to read.
    return found


def wait_for(condition, *, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} within {seconds} s; make run said:\n{log.read_text()}")
        time.sleep(0.3)


def serving(url: str) -> bool:
    try:
        return Reader(url, timeout=5).get("/health/live").status == 200
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc").is_dir() or MAKE is None, reason="needs Linux and make")
def test_make_run_serves_emails_links_to_its_port_and_stops_with_its_worker_on_ctrl_c(tmp_path):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    database = tmp_path / "db.sqlite3"
    environment = site_environment(DATABASE_URL=f"sqlite:///{database}")
    environment.pop("SITE_URL", None)
    log = tmp_path / "make-run.log"
    with log.open("wb") as output:
        # A session of its own, as a terminal's: Ctrl-C signals its whole foreground group.
        make = subprocess.Popen(  # noqa: S603 (our own Makefile)
            [str(MAKE), "-o", ".venv/.installed", "run", f"PORT={port}", "HOST=127.0.0.1"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # As a terminal's shell starts it: a suite run in the background (make test's
            # PostgreSQL pass) ignores Ctrl-C, and its children would inherit that.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    try:
        wait_for(lambda: serving(url), seconds=120, what="make run did not serve", log=log)
        reader = Reader(url)
        action = reverse("comments:create", args=["mexico-rejects-us-intervention"])
        fields = {"author_name": "Ana Torres", "author_email": "ana@example.com"}
        answer = reader.post(
            action,
            {**reader.form(ARTICLE, action=action), **fields, "body": "Follow the money."},
        )
        assert answer.status == 302

        confirmation = f"{url}/commenters/confirm/"
        wait_for(
            lambda: confirmation in log.read_text(),
            seconds=30,
            what="the worker printed no confirmation email",
            log=log,
        )
        said = log.read_text()
        assert "127.0.0.1:8000" not in said
        # Each task the worker ran is logged once, not once per handler.
        finished = re.findall(r"Task id=(\S+) path=\S+ state=SUCCESSFUL", said)
        assert finished
        assert len(finished) == len(set(finished))

        os.killpg(make.pid, signal.SIGINT)  # Ctrl-C
        try:
            # The worker finishes the email it is sending first; on a machine running the
            # suite twice at once, with servers of its own, that has taken more than 30 s.
            make.wait(timeout=90)
        except subprocess.TimeoutExpired:
            alive = processes_with(str(database))
            pytest.fail(f"make run outlived Ctrl-C (still running: {alive}):\n{log.read_text()}")
        wait_for(
            lambda: processes_with(str(database)) == [],
            seconds=15,
            what="the server or the worker outlived Ctrl-C",
            log=log,
        )
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGTERM)
            make.wait(timeout=30)
        for left in processes_with(str(database)):
            os.kill(left, signal.SIGTERM)
