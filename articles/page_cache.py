"""Whole-page caching of an article's public pages, kept fresh by a generation counter.

An anonymous reader's article, thread and board pages are the same for
everyone, so they are rendered once and served from the shared cache (Redis
in production) until something readers see changes.

Freshness. Every change readers can see bumps the article's `version` in the
database, in the transaction that makes the change, and once that
transaction has committed increments the article's *generation* in the
shared cache (`Article.objects.mark_changed()` does both). Pages are cached
under the generation, so the first request that starts after a change has
committed, on any server, asks for a page that does not exist yet and
renders it from the committed data. A generation missing from the cache
(first use, eviction, a restarted Redis) is seeded from the database
version, which never goes backwards. The same generation gives the ETag,
and the time of the change the Last-Modified, of a conditional GET.

Speed. The common request, an anonymous reader asking for an article, is
answered from the cache alone: the little the page needs to know about the
article (its id, whether it is published, whether its discussion is open)
is cached too, for a minute, and dropped when an editor changes it.

What must never be shared goes around the cache: pages for signed-in users,
pages carrying a flash message, pages of a reader whose own pending or
still-editable reply they show. The CSRF token differs per visitor, so the
cached page holds a placeholder that each response fills in; so do the
reply forms' signed time stamps (comments.forms), which must be as new as
the response that carries them, not as old as the cached page.
"""

import hashlib
import logging
import re
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .form_tokens import form_token

logger = logging.getLogger(__name__)

# Stand in for the CSRF token and for each reply form's stamp in every page
# drawn here; every response fills them in. Both are written into the page
# as they are (safe strings), and both hold "<" and ">", which escaping
# always turns into entities in text a reader wrote: no reader's text can
# ever be taken for one.
CSRF_PLACEHOLDER = SafeString("<sf-csrf-token>")
FORM_STAMP_PLACEHOLDER = SafeString("<sf-form-stamp>")
PAGE_TIMEOUT = 60 * 60 * 24
STATE_TIMEOUT = 60
# A browser may keep using its copy of a page (304) for this long at most, so
# the stamps in it are never much older than this.
STAMP_PERIOD = 60 * 60

_drawing = ContextVar("drawing_page", default=False)


def drawing_page() -> bool:
    """Whether a page is being drawn here, where per-response values are placeholders."""
    return _drawing.get()


@dataclass(frozen=True)
class ArticleState:
    """What the page cache needs to know of an article, without loading it."""

    pk: int
    slug: str
    published: datetime
    discussion_open: bool
    discussion_closes: datetime | None
    version: int
    content_changed: datetime

    @classmethod
    def of(cls, article) -> "ArticleState":
        return cls(
            pk=article.pk,
            slug=article.slug,
            published=article.published,
            discussion_open=article.discussion_open,
            discussion_closes=article.discussion_closes,
            version=article.version,
            content_changed=article.content_changed,
        )

    @property
    def is_published(self) -> bool:
        return self.published <= timezone.now()

    @property
    def accepts_replies(self) -> bool:
        return self.discussion_open and (
            self.discussion_closes is None or timezone.now() < self.discussion_closes
        )


def _state_key(slug: str) -> str:
    return f"article-state:{slug}"


def _generation_key(pk: int) -> str:
    return f"article-generation:{pk}"


def _changed_key(pk: int) -> str:
    return f"article-changed:{pk}"


def is_shareable(request: HttpRequest) -> bool:
    """Whether this request would see the page everyone sees (no personal content)."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def article_state(slug: str):
    """The state of the article `slug` (None if there is none) and, when it had to be
    read from the database, the article itself (else None)."""
    from .models import Article

    state = _quietly(cache.get, _state_key(slug))
    if state is not None:
        return state, None
    article = Article.objects.filter(slug=slug).first()
    if article is None:
        return None, None
    state = ArticleState.of(article)
    _quietly(cache.set, _state_key(slug), state, STATE_TIMEOUT)
    return state, article


def note_changes(articles: Iterable[tuple[int, str]], *, article_edited: bool) -> None:
    """After a committed change: new generations for these articles' pages.

    `article_edited` says the article itself changed (its text, its
    discussion's state), so the cached state is dropped too.
    """
    now = time.time()
    for pk, slug in articles:
        try:
            cache.incr(_generation_key(pk))
        except ValueError:
            pass  # Not cached: the next reader seeds it from the committed version.
        except Exception:
            # Forget the generation so that the next reader seeds it afresh
            # from the database, rather than keep serving pages it outdates.
            logger.warning("Page cache: generation not moved; forgetting it", exc_info=True)
            _quietly(cache.delete, _generation_key(pk))
        _quietly(cache.set, _changed_key(pk), now, None)
        if article_edited:
            _quietly(cache.delete, _state_key(slug))


def cached_page(
    request: HttpRequest,
    article,
    render: Callable[[dict], HttpResponse],
    *,
    personal: bool = False,
) -> HttpResponse:
    """The page `render` draws for `article` (an Article or its state), cached when shareable.

    `render` receives extra context to pass to the template (the CSRF
    placeholder). `personal` says the page shows this reader something of
    their own, so it is neither cached nor served from the cache.
    """
    if personal or not is_shareable(request):
        return _with_token(request, _draw(render))
    generation, changed = _freshness(article)
    variant = _variant(request, article)
    period = int(time.time() // STAMP_PERIOD)
    etag = f'"{article.pk}-{generation}-{variant}-{period}"'
    not_modified = get_conditional_response(request, etag=etag, last_modified=int(changed))
    if not_modified is not None:
        return _validators(not_modified, etag, changed)
    key = f"page-pieces:{article.pk}:{generation}:{variant}"
    pieces = _quietly(cache.get, key)
    if pieces is None:
        response = _draw(render)
        if response.status_code != 200:
            return _with_token(request, response)
        pieces = _pieces(response.content)
        _quietly(cache.set, key, pieces, PAGE_TIMEOUT)
    response = HttpResponse(_filled(request, pieces))
    return _validators(response, etag, changed)


def cached_article_page(
    request: HttpRequest, slug: str, render: Callable[[dict, object], HttpResponse]
) -> HttpResponse:
    """An anonymous reader's page of the article `slug`, answered from the cache when it can be.

    `render(extra_context, article)` draws the page when it must be drawn;
    it is given the full Article, loaded only then.
    """
    from .models import Article

    state, article = article_state(slug)
    if state is None or not state.is_published:
        raise Http404

    def draw(extra_context: dict) -> HttpResponse:
        loaded = article or Article.objects.published().filter(pk=state.pk).first()
        if loaded is None:
            raise Http404
        return render(extra_context, loaded)

    # The article, when it had to be read, is fresher than any cached state.
    return cached_page(request, article or state, draw)


def _freshness(article) -> tuple[int, float]:
    keys = [_generation_key(article.pk), _changed_key(article.pk)]
    try:
        found = cache.get_many(keys)
    except Exception:
        logger.warning("Page cache unavailable; rendering without it", exc_info=True)
        return article.version, article.content_changed.timestamp()
    generation = found.get(keys[0])
    if generation is None:
        # Seed from the database version: it only grows, and the change that
        # bumped it has committed, so no page cached under it is older. A
        # cached state's copy of it may be a minute old, so it is read afresh.
        version = article.version
        if isinstance(article, ArticleState):
            from .models import Article

            version = (
                Article.objects.filter(pk=article.pk).values_list("version", flat=True).first()
                or version
            )
        _quietly(cache.add, keys[0], version, None)
        generation = _quietly(cache.get, keys[0]) or version
    changed = found.get(keys[1]) or article.content_changed.timestamp()
    return generation, changed


# The query parameters that change a page; any other is ignored, so that
# made-up parameters neither bypass the cache nor fill it.
PAGE_PARAMETERS = ("page", "sort", "lang", "mode", "fragment")


_NO_PARAMETERS = "&".join(f"{name}=" for name in PAGE_PARAMETERS)


def _variant(request: HttpRequest, article) -> str:
    # A discussion that reached its closing date changes the page with no
    # change of generation: whether it is open is part of the page's identity.
    if request.META.get("QUERY_STRING"):
        query = "&".join(f"{name}={request.GET.get(name, '')}" for name in PAGE_PARAMETERS)
    else:
        query = _NO_PARAMETERS  # Most requests: request.GET is not even built.
    identity = f"{request.path}?{query}|{article.accepts_replies}|{get_language()}"
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


def _draw(render: Callable[[dict], HttpResponse]) -> HttpResponse:
    marker = _drawing.set(True)
    try:
        return render({"csrf_token": CSRF_PLACEHOLDER})
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
    # Imported here: the comments app builds on this one, not the reverse.
    from comments.forms import new_form_stamp

    token = None
    filled = []
    for index, piece in enumerate(pieces):
        if index % 2 == 0:
            filled.append(piece)
        elif piece == _CSRF_PLACEHOLDER:
            token = token or form_token(request).encode()
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
