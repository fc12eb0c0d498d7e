"""Whole-page caching of an article's public pages, versioned by the article.

An anonymous reader's article, thread and board pages are the same for
everyone, so they are rendered once per article version and served from the
shared cache (Redis in production) until something readers see changes.
The version lives in the database and is bumped in the transaction that
makes the change, so no server, whatever its cache holds, serves a page
older than the data it just read. The same version gives the ETag and
Last-Modified of a conditional GET.

What must never be shared goes around the cache: pages for signed-in users,
pages carrying a flash message, pages of a reader whose own pending or
still-editable reply they show. The CSRF token differs per visitor, so the
cached page holds a placeholder that each response fills in.
"""

import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

from .models import Article

logger = logging.getLogger(__name__)

# Stands in for the CSRF token in every page rendered through this module.
CSRF_PLACEHOLDER = "csrf-token-placeholder-7d1c0b"
TIMEOUT = 60 * 60 * 24


def is_shareable(request: HttpRequest) -> bool:
    """Whether this request would see the page everyone sees (no personal content)."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def cached_page(
    request: HttpRequest,
    article: Article,
    render: Callable[[dict], HttpResponse],
    *,
    personal: bool = False,
) -> HttpResponse:
    """The page `render` draws for `article`, from the cache when it can be shared.

    `render` receives extra context to pass to the template (the CSRF
    placeholder). `personal` says the page shows this reader something of
    their own, so it is neither cached nor served from the cache.
    """
    if personal or not is_shareable(request):
        return _with_token(request, render({"csrf_token": CSRF_PLACEHOLDER}))
    etag = _etag(request, article)
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(article.content_changed.timestamp())
    )
    if not_modified is not None:
        return _validators(not_modified, article, etag)
    key = _key(request, article)
    body = _cache_get(key)
    if body is None:
        response = render({"csrf_token": CSRF_PLACEHOLDER})
        if response.status_code != 200:
            return _with_token(request, response)
        body = response.content
        _cache_set(key, body)
    response = HttpResponse(body)
    return _validators(_with_token(request, response), article, etag)


def _variant(request: HttpRequest, article: Article) -> str:
    # A discussion that reached its closing date changes the page with no
    # change of version: whether it is open is part of the page's identity.
    identity = f"{request.get_full_path()}|{article.accepts_replies}|{get_language()}"
    return hashlib.blake2b(identity.encode(), digest_size=8).hexdigest()


def _key(request: HttpRequest, article: Article) -> str:
    return f"page:{article.pk}:{article.version}:{_variant(request, article)}"


def _etag(request: HttpRequest, article: Article) -> str:
    return f'"{article.pk}-{article.version}-{_variant(request, article)}"'


def _validators(response: HttpResponse, article: Article, etag: str) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(article.content_changed.timestamp())
    # Each copy carries its visitor's CSRF token: browsers may keep it and
    # revalidate, shared caches may not.
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


def _with_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not response.streaming and CSRF_PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(
            CSRF_PLACEHOLDER.encode(), get_token(request).encode()
        )
    return response


def _cache_get(key: str) -> bytes | None:
    # A cache that is down costs speed, never a page.
    try:
        return cache.get(key)
    except Exception:
        logger.warning("Page cache unavailable; rendering without it", exc_info=True)
        return None


def _cache_set(key: str, body: bytes) -> None:
    try:
        cache.set(key, body, TIMEOUT)
    except Exception:
        logger.warning("Page cache unavailable; page not stored", exc_info=True)
