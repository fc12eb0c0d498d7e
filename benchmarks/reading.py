"""A reader who reads a whole discussion by following its links, page after page.

From the article's page, every link to another page of the discussion is
followed once: the pages of threads (in the default order, every language),
each thread's pages, the replies pages of long branches, and the threads
whose first comment is not available. The reader notes every comment each
page shows, and how long the server took for each page.
"""

from __future__ import annotations

import gzip
import html
import re
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

from django.test import Client

from .scenarios import BROWSER

_LINK = re.compile(r'href="([^"#]*)')
_SHOWN = re.compile(r'<article id="c(\d+)"')
# The pages of a discussion a reader reads; sorts, languages, permalinks and
# the pages that act on one comment are not other pages of it.
_DISCUSSION_PATH = re.compile(
    r"^/(articles/[\w-]+/(threads/unavailable-openers/)?|comments/\d+/(thread|replies)/)$"
)


@dataclass
class Reading:
    """What one reading of the whole discussion found and cost."""

    pages: list[str] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    milliseconds: float = 0.0
    statuses: dict[int, int] = field(default_factory=dict)
    largest_page: tuple[int, str] = (0, "")

    @property
    def ms_per_comment(self) -> float:
        return self.milliseconds / len(self.seen) if self.seen else float("nan")


def page_of_discussion(url: str, *, base: str = "/") -> str | None:
    """`url` (a link on page `base`) as the reader names it (its path and page), if it is
    another page of the discussion."""
    parts = urlsplit(urljoin(base, html.unescape(url)))
    if parts.netloc or not _DISCUSSION_PATH.match(parts.path):
        return None
    query = parse_qs(parts.query)
    if set(query) - {"page", "sort"} or query.get("sort", ["newest"]) != ["newest"]:
        return None
    page = query.get("page", ["1"])[0]
    return parts.path + (f"?page={page}" if page != "1" else "")


def read_everything(start: str, *, client: Client | None = None) -> Reading:
    """Read every page of the discussion reachable from `start`, as an anonymous reader."""
    client = client or Client(raise_request_exception=False)
    reading = Reading()
    queued = deque([start])
    known = {start}
    while queued:
        url = queued.popleft()
        client.cookies.clear()
        started = time.perf_counter()
        response = client.get(url, headers=BROWSER)
        reading.milliseconds += (time.perf_counter() - started) * 1000
        reading.statuses[response.status_code] = reading.statuses.get(response.status_code, 0) + 1
        reading.pages.append(url)
        # Sent compressed, as to a browser: the page's HTML is what it unpacks to.
        sent = response.content
        if response.get("Content-Encoding") == "gzip":
            sent = gzip.decompress(sent)
        body = sent.decode()
        if len(sent) > reading.largest_page[0]:
            reading.largest_page = (len(sent), url)
        reading.seen.update(int(pk) for pk in _SHOWN.findall(body))
        for link in _LINK.findall(body):
            page = page_of_discussion(link, base=url)
            if page is not None and page not in known:
                known.add(page)
                queued.append(page)
    return reading
