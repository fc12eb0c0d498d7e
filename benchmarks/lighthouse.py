"""Lighthouse on the site as production serves it: its four scores for the pages readers open.

`make lighthouse` (`manage.py lighthouse`) seeds a discussion into a throwaway
database, collects the static files as a release does (hashed names,
compressed), starts gunicorn with gunicorn.conf.py and DJANGO_PRODUCTION on
(DEBUG off, the production headers; plain http on 127.0.0.1, which browsers
treat as secure, so HTTPS redirects and HSTS are left off), and runs
Lighthouse 12 with its mobile settings (an emulated mid-range phone on a
throttled network) against the article, a thread, the board and a thread of a
thousand replies. Lighthouse is not in `make test`: it needs minutes, and its
performance score moves with the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment

from .seeding import seed_discussion, seed_threads

ROOT = Path(settings.BASE_DIR)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# What Debian's Chromium needs to run headless here, as the browser tests start it.
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
    " --disable-background-networking --disable-component-update --disable-sync"
)


@dataclass(frozen=True)
class Scores:
    page: str
    url: str
    scores: dict[str, int]
    # The audits that cost points, by category: (title, what Lighthouse measured).
    missed: dict[str, list[tuple[str, str]]]
    html_kb: float


def seed(*, comments: int, long_thread: int) -> dict[str, str]:
    """The discussion the pages show; returns the address of each page measured."""
    article = Article.objects.published().first()
    if article is None:
        raise RuntimeError("No published article: the article's data migration did not run.")
    end = timezone.now() - timedelta(minutes=1)
    seed_discussion(article, comments=comments, seed=14, end=end)
    long = seed_threads(article, replies=[long_thread], seed=15, end=end)
    # A thread of ordinary length: the published one whose size is nearest 30 replies.
    roots = Comment.objects.filter(article=article, parent=None).visible()
    ordinary = min(
        roots.exclude(pk__in=long.root_ids),
        key=lambda root: abs(Comment.objects.filter(root=root).visible().count() - 30),
    )
    return {
        "article": article.get_absolute_url(),
        "thread": reverse("comments:thread", args=[ordinary.pk]),
        "board": reverse("board:board", args=[article.slug]),
        f"thread of {long_thread} replies": reverse("comments:thread", args=[long.root_ids[0]]),
    }


def database_url() -> str:
    """The URL of the database this process uses now (the throwaway one), for gunicorn."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = urllib.parse.quote(db["USER"] or "")
    password = urllib.parse.quote(db["PASSWORD"] or "")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    return f"postgres://{credentials}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def production_environment(
    *, static_root: Path, database: str, redis: str, key_prefix: str
) -> dict[str, str]:
    """This process's environment without the site's settings, plus production's."""
    own = (
        "DJANGO_",
        "COMMENTS_",
        "GUNICORN_",
        "EMAIL_",
        "REDIS_URL",
        "CACHE_KEY_PREFIX",
        "LIVE_STREAMS",
    )
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(own)}
    inherited.pop("DATABASE_URL", None)
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "sovereignty_forum.settings",
        "DJANGO_PRODUCTION": "1",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_HSTS_SECONDS": "0",
        # Production refuses to start without a mail server; reading pages sends no mail.
        "EMAIL_HOST": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": database,
        "REDIS_URL": redis,
        "CACHE_KEY_PREFIX": key_prefix,
        "GUNICORN_ACCESS_LOG": "",
        # As the front proxy of a production server would send them (see settings).
        "DJANGO_COMPRESS_PAGES": "1",
    }


def collect_static(environment: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )


@contextmanager
def gunicorn(environment: dict[str, str], *, log: Path, workers: int = 2) -> Iterator[str]:
    """The site under gunicorn.conf.py on a free port of 127.0.0.1; yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {**environment, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers)}
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and configuration)
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not _answers(url + "/"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def add_redis_argument(parser: argparse.ArgumentParser) -> None:
    """--redis, as every bench that serves the site under gunicorn takes it."""
    parser.add_argument(
        "--redis",
        default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        help="The Redis that production's cache needs (REDIS_URL, or the local one's db 0); "
        "the run deletes its own keys afterwards.",
    )


@contextmanager
def redis_keys(redis_url: str) -> Iterator[str]:
    """A cache key prefix for one run; its keys are deleted afterwards, and only those."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        raise RuntimeError(
            f"Production's cache, Redis, is needed at {redis_url}: {error}"
        ) from None
    prefix = f"lighthouse-{os.getpid()}"
    try:
        yield prefix
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (http on 127.0.0.1)
            return response.status == 200
    except OSError:
        return False


def html_size_kb(url: str) -> float:
    """The page's HTML as sent (compressed when the server compresses it), in KB."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
        return len(response.read()) / 1000


def lighthouse(command: list[str], name: str, url: str, *, chrome: str, reports: Path) -> Scores:
    """One Lighthouse run (mobile, its default) on `url`; its JSON report goes to `reports`."""
    report = reports / f"{name.replace(' ', '-')}.report.json"
    subprocess.run(  # noqa: S603 (the Lighthouse CLI installed by make lighthouse)
        [
            *command,
            url,
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            "--quiet",
        ],
        env={**os.environ, "CHROME_PATH": chrome},
        check=True,
        timeout=300,
    )
    result = json.loads(report.read_text())
    scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
    missed = {}
    for category in CATEGORIES:
        audits = []
        for ref in result["categories"][category]["auditRefs"]:
            audit = result["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                audits.append((audit["title"], audit.get("displayValue", "")))
        missed[category] = audits
    return Scores(name, url, scores, missed, html_size_kb(url))


def run(
    *,
    comments: int,
    long_thread: int,
    command: list[str],
    chrome: str,
    redis: str,
    reports: Path,
    say: Callable[[str], None],
) -> list[Scores]:
    """Seed, serve as production does, and measure each page. The database must be throwaway."""
    started = time.perf_counter()
    pages = seed(comments=comments, long_thread=long_thread)
    say(
        f"Seeded {comments:,} comments and a {long_thread:,}-reply thread "
        f"in {time.perf_counter() - started:.0f} s."
    )
    reports.mkdir(parents=True, exist_ok=True)
    static_root = reports / "static"
    shutil.rmtree(static_root, ignore_errors=True)
    results = []
    with redis_keys(redis) as prefix:
        environment = production_environment(
            static_root=static_root, database=database_url(), redis=redis, key_prefix=prefix
        )
        collect_static(environment)
        results = measure(
            pages, environment, command=command, chrome=chrome, reports=reports, say=say
        )
    shutil.rmtree(static_root, ignore_errors=True)
    return results


def measure(
    pages: dict[str, str],
    environment: dict[str, str],
    *,
    command: list[str],
    chrome: str,
    reports: Path,
    say: Callable[[str], None],
) -> list[Scores]:
    results = []
    with gunicorn(environment, log=reports / "gunicorn.log") as base:
        for name, path in pages.items():
            # Production serves readers from its page cache: fill it first, on every worker.
            for _ in range(4):
                _answers(base + path)
            say(f"Lighthouse: {name} ({path})…")
            results.append(lighthouse(command, name, base + path, chrome=chrome, reports=reports))
    return results


def table(results: list[Scores]) -> str:
    header = f"{'page':<28} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'seo':>5} {'HTML KB':>8}"
    lines = [header, "-" * len(header)]
    for result in results:
        s = result.scores
        lines.append(
            f"{result.page:<28} {s['performance']:>5} {s['accessibility']:>5} "
            f"{s['best-practices']:>5} {s['seo']:>5} {result.html_kb:>8.1f}"
        )
    for result in results:
        for category, audits in result.missed.items():
            for title, value in audits:
                lines.append(
                    f"  {result.page} · {category}: {title}" + (f" ({value})" if value else "")
                )
    return "\n".join(lines)
