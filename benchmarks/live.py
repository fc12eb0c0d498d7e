"""What open pages cost an app server, and how soon they learn of a new reply.

`make live-bench` (`manage.py bench_live`) seeds a discussion into a throwaway
PostgreSQL database and serves it with gunicorn on Redis as production does.
Twice, for the same time each, it runs the same load: a moderator approving a
reply once a second (the site's own posting and moderation paths), readers
fetching the article page, and a reader posting through the reply form every
two seconds. The first time nobody keeps the page open; the second time
`pages` simulated open pages also ask what changed, as static/js/live.js
does: every COMMENTS_LIVE_POLL_SECONDS (with its jitter), with the ETag of
their last answer, taking up the `since` each answer gives.

It reports, for each run: gunicorn's CPU (all its processes, as a share of
one core) and memory (their RSS), the open pages' requests a second and
their statuses, the delay from each approval's commit to the first answer
of each open page that names the reply (p50, p99), and the readers' and the
poster's latency (p50, p99), with the ratio of the second run to the first:
open pages must keep them within 1.2x.
"""

from __future__ import annotations

import asyncio
import gzip
import http.client
import os
import random
import re
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from articles.models import Article
from comments.live import since_of

from .serving import Readers, post_and_approve, seeded_article, site

LATENCY_LIMIT = 1.2
# Each reader waits this long between pages: readers that never pause would keep every
# worker busy, and then measure how the server shares itself out, not how long a page takes.
READER_PAUSE = 0.25
_SHOWN = re.compile(rb'data-live-change="shown" data-id="(\d+)"')
_SINCE = re.compile(rb'class="live-changes" data-live-since="(\d+)"')
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@dataclass
class Run:
    name: str
    seconds: float = 0.0
    cpu_share: float = 0.0  # gunicorn's CPU seconds per second: 1.0 is one core
    # This process's (the open pages, readers, poster and moderator it simulates): on a
    # machine of few cores, it takes from what gunicorn could have.
    load_cpu_share: float = 0.0
    memory_mb: float = 0.0
    threads: int = 0  # gunicorn's processes' threads, at the end of the run
    reads: dict = field(default_factory=dict)
    posts: list[float] = field(default_factory=list)
    post_failures: int = 0
    polls: int = 0
    poll_statuses: dict[int, int] = field(default_factory=dict)
    poll_errors: int = 0
    delays: list[float] = field(default_factory=list)
    approvals: int = 0

    @property
    def polls_per_second(self) -> float:
        return self.polls / self.seconds if self.seconds else 0.0


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def run(
    *,
    streams: bool = False,
    pages: int,
    seconds: float,
    workers: int,
    readers: int,
    comments: int,
    redis: str,
    log: Path,
    say: Callable[[str], None],
) -> list[Run]:
    """Seed, serve, then the two runs (without and with open pages); the database is throwaway."""
    article = seeded_article(comments=comments, seed=23)
    say(f"Seeded {comments:,} comments; serving with {workers} workers…")
    log.parent.mkdir(parents=True, exist_ok=True)
    variables = {
        "COMMENTS_RATE_POSTS_PER_IP": "1000000/600",
        "COMMENTS_RATE_POSTS_PER_EMAIL": "1000000/600",
        "COMMENTS_FORM_MIN_SECONDS": "0",
    }
    if streams:
        variables["LIVE_STREAMS"] = "1"
    results = []
    with site(redis=redis, log=log, workers=workers, **variables) as url:
        for name, open_pages in (("without open pages", 0), (f"{pages:,} open pages", pages)):
            say(f"{name}: {seconds:.0f} s…")
            results.append(
                _one_run(name, url, article, open_pages, seconds, readers, streams=streams)
            )
    return results


def _one_run(
    name: str,
    url: str,
    article: Article,
    pages: int,
    seconds: float,
    readers: int,
    *,
    streams: bool,
) -> Run:
    result = Run(name)
    article.refresh_from_db()
    approved: dict[int, float] = {}
    stop = threading.Event()
    poller = OpenPages(url, article, count=pages, approved=approved, streams=streams)
    poster = Poster(url, article)
    polling = threading.Thread(target=poller.run, args=(stop,), daemon=True)
    posting = threading.Thread(target=poster.run, args=(stop,), daemon=True)
    with Readers(url, article.get_absolute_url(), count=readers, pause=READER_PAUSE) as reading:
        polling.start()
        posting.start()
        time.sleep(min(10.0, seconds / 6))  # Every page has asked once; workers are warm.
        reading.reset()
        poller.reset()
        poster.reset()
        cpu_before, started = gunicorn_cpu_seconds(), time.perf_counter()
        load_before = time.process_time()
        memory = []
        while time.perf_counter() - started < seconds:
            tick = time.perf_counter()
            # Each run's replies its own: the same text twice is one reply (a duplicate).
            pk = post_and_approve(article, f"{pages}-{result.approvals}")
            approved[pk] = time.time()
            result.approvals += 1
            memory.append(gunicorn_memory_mb())
            time.sleep(max(0.0, 1 - (time.perf_counter() - tick)))
        elapsed = time.perf_counter() - started
        result.cpu_share = (gunicorn_cpu_seconds() - cpu_before) / elapsed
        result.load_cpu_share = (time.process_time() - load_before) / elapsed
        result.reads = reading.summary(elapsed)
        result.threads = gunicorn_threads()
        time.sleep(settings.COMMENTS_LIVE_POLL_SECONDS * 2)  # The last approvals reach the pages.
        stop.set()
        polling.join(timeout=60)
        posting.join(timeout=60)
    result.seconds = elapsed
    result.memory_mb = statistics.median(memory) if memory else 0.0
    result.posts = poster.seconds
    result.post_failures = poster.failures
    result.polls, result.poll_statuses, result.poll_errors = (
        poller.polls,
        poller.statuses,
        poller.errors,
    )
    result.delays = poller.delays
    return result


class OpenPages:
    """`count` open pages of the article, each asking as static/js/live.js asks."""

    def __init__(
        self,
        url: str,
        article: Article,
        *,
        count: int,
        approved: dict[int, float],
        streams: bool = False,
    ):
        self.host, port = url.removeprefix("http://").split(":")
        self.port = int(port)
        self.path = f"/articles/{article.slug}/live/"
        # With streams, each page holds one connection open and is sent the changes.
        self.streams = streams
        self.since = str(since_of(article.content_changed))
        self.count = count
        self.approved = approved
        self.every = settings.COMMENTS_LIVE_POLL_SECONDS
        self.reset()

    def reset(self) -> None:
        self.polls = 0
        self.errors = 0
        self.statuses: dict[int, int] = {}
        self.delays: list[float] = []
        self._counting = time.time()

    def run(self, stop: threading.Event) -> None:
        if self.count:
            asyncio.run(self._all(stop))

    async def _all(self, stop: threading.Event) -> None:
        page = self._held_page if self.streams else self._page
        pages = [asyncio.create_task(page(stop)) for _ in range(self.count)]
        while not stop.is_set():
            await asyncio.sleep(0.5)
        for task in pages:
            task.cancel()
        await asyncio.gather(*pages, return_exceptions=True)

    def _saw(self, body: bytes, seen: set[int], now: float) -> None:
        for pk in map(int, _SHOWN.findall(body)):
            at = self.approved.get(pk)
            if at is not None and pk not in seen and at >= self._counting:
                seen.add(pk)
                self.delays.append(now - at)

    async def _held_page(self, stop: threading.Event) -> None:
        """A page holding a connection open, as static/js/live.js does with EventSource:
        reconnecting after the stream ends, with the last version it got."""
        since = self.since
        seen: set[int] = set()
        await asyncio.sleep(random.uniform(0, self.every))  # noqa: S311
        while not stop.is_set():
            try:
                reader, writer = await asyncio.open_connection(self.host, self.port)
            except OSError:
                self.errors += 1
                await asyncio.sleep(self.every)
                continue
            try:
                writer.write(
                    f"GET {self.path}stream/?lang=en&since={since} HTTP/1.1\r\n"
                    "Host: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
                )
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(None, 2)[1])
                self.polls += 1
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status != 200:
                    raise ValueError(status)
                pending = b""
                # The body comes chunked: each chunk's size in hex on a line, then the chunk.
                while size := int((await reader.readline()).strip() or b"0", 16):
                    pending += (await reader.readexactly(size + 2))[:-2]
                    *events, pending = pending.split(b"\n\n")
                    now = time.time()
                    for message in events:
                        if message.startswith(b"id: "):
                            since = message[4:].split(b"\n", 1)[0].decode()
                        self._saw(message, seen, now)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                self.errors += 1
                await asyncio.sleep(self.every)
            finally:
                writer.close()

    async def _page(self, stop: threading.Event) -> None:
        since, etag = self.since, ""
        seen: set[int] = set()
        # Pages opened over a poll's time, not all at once.
        await asyncio.sleep(random.uniform(0, self.every))  # noqa: S311
        while not stop.is_set():
            try:
                status, headers, body = await self._ask(since, etag)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                self.errors += 1
            else:
                now = time.time()
                self.polls += 1
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status == 200:
                    etag = headers.get("etag", "")
                    found = _SINCE.search(body)
                    since = found[1].decode() if found else since
                    self._saw(body, seen, now)
            await asyncio.sleep(self.every * random.uniform(0.8, 1.2))  # noqa: S311

    async def _ask(self, since: str, etag: str) -> tuple[int, dict[str, str], bytes]:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            request = (
                f"GET {self.path}?since={since} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Accept-Language: en\r\nConnection: close\r\n"
                + (f"If-None-Match: {etag}\r\n" if etag else "")
                + "\r\n"
            )
            writer.write(request.encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split()[1])
            headers = {
                key.strip().lower(): value.strip()
                for key, _, value in (line.partition(":") for line in lines[1:] if line)
            }
            body = await reader.read()
            if headers.get("content-encoding") == "gzip":
                body = gzip.decompress(body)
            return status, headers, body
        finally:
            writer.close()


class Poster:
    """A reader posting a reply through the form every two seconds, timed from send to answer."""

    def __init__(self, url: str, article: Article):
        self.host, port = url.removeprefix("http://").split(":")
        self.port = int(port)
        self.page = article.get_absolute_url()
        self.action = reverse("comments:create", args=[article.slug])
        self.seconds: list[float] = []
        self.number = 0
        self.failures = 0

    def reset(self) -> None:
        self.seconds = []
        self.failures = 0

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            tick = time.perf_counter()
            try:
                self._post()
            except (OSError, http.client.HTTPException, ValueError):
                self.failures += 1
            stop.wait(max(0.0, 2 - (time.perf_counter() - tick)))

    def _post(self) -> None:
        link = http.client.HTTPConnection(self.host, self.port, timeout=30)
        link.request("GET", self.page, headers={"Accept-Language": "en"})
        page = link.getresponse()
        html = page.read().decode()
        cookies = "; ".join(
            value.split(";", 1)[0] for key, value in page.getheaders() if key == "Set-Cookie"
        )
        link.close()
        # The article's own reply form: the one that posts to the article's create address.
        start = html.index(f'action="{self.action}"')
        fields = dict(_HIDDEN.findall(html[start : html.index("</form>", start)]))
        self.number += 1
        fields |= {
            "author_name": "A reader posting",
            "author_email": f"poster-{os.getpid()}-{self.number}@example.com",
            "body": f"A reply posted through the form while pages are open, number {self.number}.",
        }
        body = urllib.parse.urlencode(fields)
        link = http.client.HTTPConnection(self.host, self.port, timeout=30)
        started = time.perf_counter()
        link.request(
            "POST",
            self.action,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookies,
                "Referer": f"http://{self.host}:{self.port}{self.page}",
                "Origin": f"http://{self.host}:{self.port}",
            },
        )
        answer = link.getresponse()
        answer.read()
        link.close()
        if answer.status != 302:
            raise ValueError(f"the reply was not posted: {answer.status}")
        self.seconds.append(time.perf_counter() - started)


def _gunicorn_processes() -> list[int]:
    """This process's descendants that run gunicorn: the master and its workers."""
    parents: dict[int, int] = {}
    commands: dict[int, bytes] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            commands[int(entry)] = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        parents[int(entry)] = int(stat.rpartition(")")[2].split()[1])
    ours, frontier = set(), {os.getpid()}
    while frontier:
        children = {pid for pid, parent in parents.items() if parent in frontier}
        ours |= children
        frontier = children
    return [pid for pid in ours if b"gunicorn" in commands.get(pid, b"")]


def gunicorn_cpu_seconds() -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _gunicorn_processes():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def gunicorn_threads() -> int:
    total = 0
    for pid in _gunicorn_processes():
        try:
            found = re.search(r"Threads:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
        except OSError:
            continue
        total += int(found[1]) if found else 0
    return total


def gunicorn_memory_mb() -> float:
    total = 0
    for pid in _gunicorn_processes():
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmRSS:\s+(\d+) kB", status)
        total += int(found[1]) if found else 0
    return total / 1024


def table(runs: list[Run], *, pages: int) -> str:
    base, live = runs
    lines = [f"{'':34}{base.name:>22}{live.name:>22}"]

    def row(label: str, a: str, b: str) -> None:
        lines.append(f"{label:34}{a:>22}{b:>22}")

    row("approvals", f"{base.approvals} in {base.seconds:.0f} s", f"{live.approvals}")
    row("gunicorn CPU (share of a core)", f"{base.cpu_share:.2f}", f"{live.cpu_share:.2f}")
    row(
        "the load's own CPU (this process)",
        f"{base.load_cpu_share:.2f}",
        f"{live.load_cpu_share:.2f}",
    )
    row(
        "open pages' CPU per request",
        "-",
        f"{(live.cpu_share - base.cpu_share) / live.polls_per_second * 1000:.1f} ms"
        if live.polls
        else "-",
    )
    row("gunicorn memory (RSS)", f"{base.memory_mb:.0f} MB", f"{live.memory_mb:.0f} MB")
    row("  per open page", "-", f"{(live.memory_mb - base.memory_mb) * 1024 / pages:.0f} KB")
    row("gunicorn threads", f"{base.threads}", f"{live.threads}")
    row("open pages' requests / s", "-", f"{live.polls_per_second:.1f}")
    row("  statuses, errors", "-", f"{live.poll_statuses}, {live.poll_errors}".replace(" ", ""))
    row(
        "approval to open page, p50 / p99",
        "-",
        f"{percentile(live.delays, 0.5):.2f} / {percentile(live.delays, 0.99):.2f} s",
    )
    row("  notices counted", "-", f"{len(live.delays):,}")
    for label, key in (("reading the article, p50", "p50_ms"), ("reading, p99", "p99_ms")):
        ratio = live.reads[key] / base.reads[key] if base.reads[key] else float("nan")
        row(label, f"{base.reads[key]:.1f} ms", f"{live.reads[key]:.1f} ms ({ratio:.2f}x)")
    row(
        "  replies posted, failed",
        f"{len(base.posts)}, {base.post_failures}",
        f"{len(live.posts)}, {live.post_failures}",
    )
    for label, share in (("posting a reply, p50", 0.5), ("posting, p99", 0.99)):
        a, b = percentile(base.posts, share) * 1000, percentile(live.posts, share) * 1000
        row(label, f"{a:.1f} ms", f"{b:.1f} ms ({b / a:.2f}x)")
    read_ratio = live.reads["p50_ms"] / base.reads["p50_ms"]
    post_ratio = percentile(live.posts, 0.5) / percentile(base.posts, 0.5)
    within = read_ratio <= LATENCY_LIMIT and post_ratio <= LATENCY_LIMIT
    told = percentile(live.delays, 0.99) <= 5
    lines += [
        "",
        f"{'MET' if within else 'NOT MET'}: reading and posting within {LATENCY_LIMIT}x "
        f"with {pages:,} open pages (p50: {read_ratio:.2f}x, {post_ratio:.2f}x)",
        f"{'MET' if told else 'NOT MET'}: open pages told within 5 s (p99 "
        f"{percentile(live.delays, 0.99):.2f} s)",
    ]
    return "\n".join(lines)
