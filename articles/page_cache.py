"""Whole-page caching of an article's public pages, kept fresh by the article's version.

An anonymous reader's article, thread and board pages are the same for
everyone, so they are rendered once and served from the cache (Redis in
production, each process's memory otherwise) until something readers see
changes.

Freshness. Every change readers can see bumps the article's `version` in the
database, in the transaction that makes the change
(`Article.objects.mark_changed()`). Every request reads the version with
the article, from the database: the article page in one short query by its
unique slug (`article_state`), the thread and board pages in the query that
finds their comment or article anyway. Pages are cached under that version,
so the first request that starts after a change has committed asks for a
page that does not exist yet and renders it from the committed data (or,
while another process draws it, is given the previous one, unvalidated: see
"One drawing per change"), whichever process made the change: this one,
another app server or worker, a management command, cron. Nothing has to
tell the cache, so a cache each process keeps for itself is as fresh as a
shared one. The version gives the ETag, and the time of the change the
Last-Modified, of a conditional GET.

Measured with `make bench` (SQLite, 100,000 comments; the cached page and
the 304 as ratios to the trivial hello view, then targets of 1.5x and 1.3x): a
generation counter kept in the cache and moved after each commit answered in
1.31x and 1.08x with no query, but under the local-memory default another
process never moved it; Django's file cache, which every process shares,
took 2.14x and 1.43x; reading the version takes 1.48x and 1.28x. Built by
the ORM, that one query took 2.6x: its SQL is written out (`_VERSION_SQL`).
With PostgreSQL and Redis the version's query costs about what the counter's
reads from Redis did (3.0 ms and 2.75 ms on a busy two-core machine). Each
response's CSRF token is Django's own (`get_token`): tokens of our own, drawn
from one read of the system's randomness, saved about 0.1x on the cached
page (1.47x against 1.58x, medians of three runs each), not worth their code.

One drawing per change. Each worker of each app server used to draw a new
version of a page it was asked for, all at once: with readers on every
worker, a busy discussion's article page was drawn once per approval per
worker. The process that takes the page's lock in the shared cache
(`drawing:<key>`, DRAWING_LOCK_SECONDS) now draws it, keeps it, and records
that version as the latest drawn of the page (`page-latest:<article>:<variant>`),
so that its pieces are found again without keeping pages twice. Meanwhile the
others serve that latest generation, the previous one, with no ETag or
Last-Modified, so that no browser keeps old content under the new version's
validator (its next request gets the new page); with none (a page never
drawn, or evicted; static pages), or when the change is more than
PREVIOUS_GENERATION_SECONDS old (what it removed must not come back hours
later), they wait up to DRAWING_WAIT_SECONDS for the drawing, then draw it
themselves: a reader is never failed, nor kept long. A version that is not a
page to keep (a thread whose opener was removed is now a 404) retires the
previous generation, so that every reader gets the 404 from then on. A
drawer that dies holds the page back for DRAWING_LOCK_SECONDS at most; one
whose page is not a 200 keeps nothing and lets go. With the cache down
there is no lock and every process draws, as before; under the local-memory
cache (`make run`) each process has its own copies and locks, which is as
correct. Measured with `make bench-drawings` (gunicorn, 4 workers, on
PostgreSQL and Redis; 64 readers; one reply posted and approved a second for
40 s; three runs each, medians): 3.83 drawings per approval before (3.52 to
3.92), 0.97 after (0.93 to 1.00: a version replaced before anyone asked for
it is never drawn); about one read in eleven during the approvals was of the
previous generation.

Identity. A page is cached under the address its view builds from the
*parsed* values of the request, never from the raw query string (`address`
below): an unknown sort is the default sort, a page number beyond the last is
the last page, a parameter the page does not read is ignored. Made-up values
therefore name a page that exists, and neither draw it again nor store
another copy; and the cached page holds nothing that came from one
visitor's request (the language switch returns to that address).

What must never be shared goes around the cache: pages for signed-in users,
pages carrying a flash message, pages of a reader whose own pending or
still-editable reply they show. The CSRF token differs per visitor, so the
cached page holds a placeholder that each response fills in; so do the
reply forms' signed time stamps (safeguards.form_stamps), which must be as
new as the response that carries them, not as old as the cached page.
"""

import hashlib
import logging
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import get_template
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from safeguards.form_stamps import new_form_stamp

from .models import Article, read_article

logger = logging.getLogger(__name__)

# Stand in for the CSRF token and for each reply form's stamp in every page
# drawn here; every response fills them in. Both are written into the page
# as they are (safe strings), and both hold "<" and ">", which escaping
# always turns into entities in text a reader wrote: no reader's text can
# ever be taken for one.
CSRF_PLACEHOLDER = SafeString("<sf-csrf-token>")
FORM_STAMP_PLACEHOLDER = SafeString("<sf-form-stamp>")
PAGE_TIMEOUT = 60 * 60 * 24
# A page missing from the cache is drawn by whoever takes this lock in the
# shared cache; it outlives a drawer that died (a worker killed mid-drawing)
# by this long at most. Whole seconds: Redis keeps no less.
DRAWING_LOCK_SECONDS = 5
# How long a reader with no previous generation to be served waits for
# another's drawing before it draws the page itself, and how often it looks.
DRAWING_WAIT_SECONDS = 1.5
DRAWING_POLL_SECONDS = 0.02
# The previous generation stands in for a page only this soon after the change:
# the moment its first drawings take. Later (a page nobody asked for since a
# change hours ago) it may hold what the change removed, and readers wait instead.
PREVIOUS_GENERATION_SECONDS = 10
# A browser may keep using its copy of a page (304) for this long at most, so
# the stamps in it are never much older than this.
STAMP_PERIOD = 60 * 60

_drawing = ContextVar("drawing_page", default=False)


def drawing_page() -> bool:
    """Whether a page is being drawn here, where per-response values are placeholders."""
    return _drawing.get()


@dataclass(frozen=True, slots=True)
class ArticleState:
    """What the page cache needs to know of an article, read without the article's text."""

    pk: int
    slug: str
    published: datetime
    discussion_open: bool
    discussion_closes: datetime | None
    version: int
    content_changed: datetime
    # Its published threads: how many pages the discussion has.
    thread_count: int
    url: str

    @classmethod
    def of(cls, article: Article) -> "ArticleState":
        return cls(
            pk=article.pk,
            slug=article.slug,
            published=article.published,
            discussion_open=article.discussion_open,
            discussion_closes=article.discussion_closes,
            version=article.version,
            content_changed=article.content_changed,
            thread_count=article.thread_count,
            url=article.get_absolute_url(),
        )

    def get_absolute_url(self) -> str:
        return self.url

    @property
    def is_published(self) -> bool:
        return self.published <= timezone.now()

    @property
    def accepts_replies(self) -> bool:
        return self.discussion_open and (
            self.discussion_closes is None or timezone.now() < self.discussion_closes
        )


# The article's id and version, by its slug, written out: the ORM took ten
# times as long to build this query as SQLite takes to answer it, which cost
# the cached page its target (see the module's docstring).
_VERSION_SQL = "SELECT id, version FROM articles_article WHERE slug = %s"


def article_state(slug: str) -> tuple[ArticleState | None, Article | None]:
    """The state of the article `slug` as committed now (None if there is none) and,
    when it had to be read from the database, the article itself, read in the
    active language to be drawn (else None).

    Its version is read from the database every time; the rest changes only
    with a new version, so it is kept in the cache under it.
    """
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL, [slug])
        found = cursor.fetchone()
    if found is None:
        return None, None
    key = "article-state:{}:{}".format(*found)
    state = _quietly(cache.get, key)
    if state is not None:
        return state, None
    language = get_language() or settings.LANGUAGE_CODE
    article = read_article(found[0], language)
    if article is None:
        return None, None
    state = ArticleState.of(article)
    _quietly(cache.set, key, state, PAGE_TIMEOUT)
    return state, article


def is_shareable(request: HttpRequest) -> bool:
    """Whether this request would see the page everyone sees (no personal content)."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def remembered[T](article: Article | ArticleState, name: str, compute: Callable[[], T]) -> T:
    """`compute()`, a fact of `article`'s pages, kept for as long as the article's version lasts."""
    key = f"page-fact:{article.pk}:{article.version}:{name}"
    value = _quietly(cache.get, key)
    if value is None:
        value = compute()
        _quietly(cache.set, key, value, PAGE_TIMEOUT)
    return value


def cached_page(
    request: HttpRequest,
    article: Article | ArticleState,
    render: Callable[[dict], HttpResponse],
    *,
    address: str,
    personal: bool = False,
    everyones: bool = False,
) -> HttpResponse:
    """The page `render` draws for `article`, cached when shareable.

    `address` is the page's own URL, built by its view from the parsed
    values of the request: it names the copy in the cache, and the
    language switch returns to it. `render` receives extra context to pass
    to the template (the placeholders, the address). `personal` says the
    page shows this reader something of their own, so it is neither cached
    nor served from the cache. `everyones` says `render` draws the page for
    nobody in particular whoever asks (no session, reader or message of
    theirs), so it is served from the cache to every visitor, signed in or
    not. `article` must have been read in this request: its version says
    which copy is current.
    """
    extra_context = {"csrf_token": CSRF_PLACEHOLDER, "page_address": address}
    if personal or not (everyones or is_shareable(request)):
        return _with_token(request, _draw(render, extra_context))
    changed = article.content_changed.timestamp()
    variant = _variant(address, article)
    period = int(time.time() // STAMP_PERIOD)
    etag = f'"{article.pk}-{article.version}-{variant}-{period}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(changed))
    if not_modified is not None:
        return _validators(not_modified, etag, changed)
    pk = article.pk

    def key_of(version: int) -> str:
        return f"page-pieces:{pk}:{version}:{variant}"

    def validators(response: HttpResponse) -> HttpResponse:
        return _validators(response, etag, changed)

    generations = _Generations(f"page-latest:{pk}:{variant}", article.version, key_of, changed)
    return _kept(request, key_of(article.version), render, extra_context, validators, generations)


@dataclass(frozen=True, slots=True)
class _Generations:
    """Where the generations of one page, kept by the article's version, are found."""

    # Holds the latest version drawn of the page: its pieces are the previous
    # generation while the current one is being drawn.
    latest_key: str
    version: int
    key_of: Callable[[int], str]
    # When the change that made `version` was made (a timestamp).
    changed: float


def _kept(
    request: HttpRequest,
    key: str,
    render: Callable[[dict], HttpResponse],
    extra_context: dict,
    validators: Callable[[HttpResponse], HttpResponse],
    generations: _Generations | None = None,
) -> HttpResponse:
    """The page kept under `key`, drawn and kept first if it is not there, filled in for
    this response; a page that is not a 200 is neither kept nor given validators.

    One process draws a missing page, the one that takes its lock; meanwhile
    the others serve the previous generation (`generations`), without
    validators, or wait for the drawing (see the module's docstring).
    """
    pieces = _quietly(cache.get, key)
    if pieces is None:
        lock = f"drawing:{key}"
        # None when the cache is down: then every process draws, as without a lock.
        took = _quietly(cache.add, lock, True, DRAWING_LOCK_SECONDS)
        if took is False:
            previous = _previous(generations)
            if previous is not None:
                return _unvalidated(HttpResponse(_filled(request, previous)))
            pieces, took = _awaited(key, lock)
        elif took:
            # The drawer before may have let go just now, the page kept.
            pieces = _quietly(cache.get, key)
        try:
            if pieces is None:
                response = _draw(render, extra_context)
                if response.status_code != 200:
                    _retire_previous(generations)
                    return _with_token(request, response)
                pieces = _pieces(response.content)
                _keep(key, pieces, generations)
        except Http404:
            # The page is gone (its thread was removed): what it was must not
            # stand in for it. (A drawing that failed otherwise leaves it: the
            # page was public a moment ago, and readers get it rather than errors.)
            _retire_previous(generations)
            raise
        finally:
            # A drawing that outlasted its lock deletes the next drawer's: at
            # worst, one drawing more.
            if took:
                _quietly(cache.delete, lock)
    return validators(HttpResponse(_filled(request, pieces)))


def _keep(key: str, pieces: list[bytes], generations: _Generations | None) -> None:
    # What `make bench-drawings` counts, at a level production does not log.
    logger.debug("Page drawn for the cache: %s", key)
    _quietly(cache.set, key, pieces, PAGE_TIMEOUT)
    _record_latest(generations)


def _retire_previous(generations: _Generations | None) -> None:
    """This version of the page was drawn and is not a page to keep: no earlier one may
    stand in for it. Readers then wait for, or draw, this version themselves."""
    _record_latest(generations)


def _record_latest(generations: _Generations | None) -> None:
    if generations is None:
        return
    # Only ever forward: a drawer of an older version that finishes last must not
    # bring back a generation that a later change removed something from. (Two
    # drawers of versions in the same moment may still both write: the later
    # version's wins, or the earlier's, for one drawing's time.)
    latest = _quietly(cache.get, generations.latest_key)
    if latest is None or latest < generations.version:
        _quietly(cache.set, generations.latest_key, generations.version, PAGE_TIMEOUT)


def _previous(generations: _Generations | None) -> list[bytes] | None:
    """The pieces of the latest generation drawn before this one, if still kept and the
    change that made this one is only a moment old."""
    if generations is None or time.time() - generations.changed > PREVIOUS_GENERATION_SECONDS:
        return None
    latest = _quietly(cache.get, generations.latest_key)
    if latest is None or latest == generations.version:
        return None
    return _quietly(cache.get, generations.key_of(latest))


def _awaited(key: str, lock: str) -> tuple[list[bytes] | None, bool]:
    """The pieces another process is drawing under `key`, once kept, and whether the
    lock is now this process's: it is when the drawer let go with nothing kept (its
    page was not a 200) or its lock expired (it died). (None, False) when the wait
    is over or the cache went down: then this process draws the page itself."""
    deadline = time.monotonic() + DRAWING_WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(DRAWING_POLL_SECONDS)
        pieces = _quietly(cache.get, key)
        if pieces is not None:
            return pieces, False
        took = _quietly(cache.add, lock, True, DRAWING_LOCK_SECONDS)
        if took is None:
            return None, False
        if took:
            # Kept between the two looks?
            return _quietly(cache.get, key), True
    return None, False


def _unvalidated(response: HttpResponse) -> HttpResponse:
    # A previous generation: no ETag or Last-Modified, which a browser would
    # keep it under and revalidate with, so its next request gets the new one.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie, Accept-Language"
    return response


def static_page(request: HttpRequest, template_name: str, context: dict | None = None):
    """A page that is the same for every reader of a language (the community guidelines,
    the privacy notice), cached like an article's pages.

    It depends on no article, only on its template and on `context` (the
    settings it reads): it is kept under a digest of both, so an edited page
    or a changed setting is never served stale, and answers conditional GETs
    by that digest.
    """
    address = request.path
    extra_context = {"csrf_token": CSRF_PLACEHOLDER, "page_address": address}

    def draw(extra: dict) -> HttpResponse:
        return render(request, template_name, {**(context or {}), **extra})

    if not is_shareable(request):
        return _with_token(request, _draw(draw, extra_context))
    source = get_template(template_name).template.source  # type: ignore[attr-defined]
    identity = f"{address}|{get_language()}|{context!r}|{source}"
    variant = hashlib.blake2b(identity.encode(), digest_size=8).hexdigest()
    etag = f'"page-{variant}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        return _static_validators(not_modified, etag)
    key = f"static-page:{variant}"
    return _kept(request, key, draw, extra_context, lambda r: _static_validators(r, etag))


def _static_validators(response: HttpResponse, etag: str) -> HttpResponse:
    response["ETag"] = etag
    # As an article's pages: each copy carries its visitor's CSRF token.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie, Accept-Language"
    return response


def _variant(address: str, article: Article | ArticleState) -> str:
    # A discussion that reached its closing date changes the page with no
    # new version: whether it is open is part of the page's identity.
    identity = f"{address}|{article.accepts_replies}|{get_language()}"
    return hashlib.blake2b(identity.encode(), digest_size=8).hexdigest()


def _validators(response: HttpResponse, etag: str, changed: float) -> HttpResponse:
    # Set rather than patched: the response was just made, with none of these.
    response["ETag"] = etag
    response["Last-Modified"] = http_date(changed)
    # Each copy carries its visitor's CSRF token: browsers may keep it and
    # revalidate, shared caches may not.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie, Accept-Language"
    return response


def _draw(render: Callable[[dict], HttpResponse], extra_context: dict) -> HttpResponse:
    marker = _drawing.set(True)
    try:
        return render(extra_context)
    finally:
        _drawing.reset(marker)


def _with_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not response.streaming:
        response.content = _filled(request, _pieces(response.content))
    return response


_CSRF_PLACEHOLDER = CSRF_PLACEHOLDER.encode()
_PLACEHOLDERS = re.compile(
    b"(%s|%s)" % (re.escape(_CSRF_PLACEHOLDER), re.escape(FORM_STAMP_PLACEHOLDER.encode()))
)


def _pieces(body: bytes) -> list[bytes]:
    """A page cut at its placeholders (every other piece is one), kept so in the cache:
    serving it fills them in and copies the page once, with no search."""
    return _PLACEHOLDERS.split(body)


def _filled(request: HttpRequest, pieces: list[bytes]) -> bytes:
    if len(pieces) == 1:
        return pieces[0]
    token = None
    filled = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            filled.append(piece)
        elif piece == _CSRF_PLACEHOLDER:
            token = token or get_token(request).encode()
            filled.append(token)
        else:
            # A stamp of its own for each form: each is a separate submission.
            filled.append(new_form_stamp().encode())
    return b"".join(filled)


def _quietly(operation, *args):
    # A cache that is down costs speed, never a page.
    try:
        return operation(*args)
    except Exception:
        logger.warning("Page cache unavailable", exc_info=True)
        return None
