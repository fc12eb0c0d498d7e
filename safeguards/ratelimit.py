"""Rate limits on what readers send — posting, reporting, rating — without any outside service.

What is counted. Every POST to a limited view, accepted or not, before the
view runs: a flood is turned away before it reaches the database. Posts
are counted per client IP and per email address (in safeguards.emails' one form, hashed so
that the cache holds no address); reports and ratings carry no email and are
counted per client IP: an IPv4 address, an IPv6 /64 (safeguards.networks),
the block one home or phone is commonly given whole. The limits are
settings.RATE_LIMITS, from the environment.

How. Fixed windows in the cache every worker of every app server shares
(Redis in production): the requests from one client in the current window
of N seconds are counted under a key named after that window, created with
`cache.add` and counted with `cache.incr`. Both are atomic in Redis (and in
the local-memory cache), so concurrent requests on any server are all
counted, exactly; the key expires by itself once its window is over.
Fixed windows are the simplest scheme that is exact under concurrency with
plain cache operations — no scripts, no locks, any Django cache backend.
Their cost: across the boundary of two windows a client can get up to twice
the limit through, which for spam and floods matters little.

Over the limit. The 429 page, with Retry-After saying when the window
ends; nothing is stored, and the text of a post is shown back to its
author to keep.

When the cache is down. The request goes through and a warning is logged:
the limiter fails open. Every reply still passes the automatic checks and
waits for a moderator, so an outage of the cache costs flood protection
while it lasts; failing closed would make it an outage of the discussion.
"""

import hashlib
import logging
import math
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .clients import client_ip
from .emails import normalise_email
from .networks import client_network
from .views import too_many_requests

logger = logging.getLogger(__name__)


def rate_limited(
    action: str,
    *,
    email_field: str = "",
    email_of: Callable[..., str] | None = None,
    keep_field: str = "",
) -> Callable:
    """Limit a view's POSTs to settings.RATE_LIMITS[action], answering 429 beyond it.

    `email_field` names the form field whose address is counted too; where
    the address is not the form's to give, `email_of` finds it from the
    view's URL arguments (the revision of a rejected reply is posted from its
    original's address). `keep_field` names the field whose text the 429 page
    gives back to the reader.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "POST":
                email = email_of(*args, **kwargs) if email_of is not None else None
                wait = seconds_to_wait(request, action, email_field=email_field, email=email)
                if wait is not None:
                    unsent = request.POST.get(keep_field, "") if keep_field else ""
                    return too_many_requests(request, retry_after=wait, unsent_text=unsent)
            return view(request, *args, **kwargs)

        return limited

    return decorator


def seconds_to_wait(
    request: HttpRequest, action: str, *, email_field: str = "", email: str | None = None
) -> int | None:
    """Count this request against each limit of `action`; the wait when one is exceeded.

    The address counted is `email` when given, else the form's `email_field`.
    """
    limits = settings.RATE_LIMITS.get(action, {})
    senders = {"ip": client_network(client_ip(request), ipv4_prefix=32)}
    if email is None and email_field:
        email = request.POST.get(email_field, "")
    if email is not None:
        senders["email"] = _email_digest(email)
    try:
        for kind, limit in limits.items():
            sender = senders.get(kind)
            if limit is None or not sender:
                continue
            wait = _count(f"ratelimit:{action}:{kind}:{sender}", *limit)
            if wait is not None:
                logger.info("Rate limit reached: %s per %s", action, kind)
                return wait
    except Exception:
        logger.warning("Rate limits not applied: the cache is unavailable", exc_info=True)
    return None


def _count(name: str, count: int, seconds: int) -> int | None:
    now = time.time()
    window = int(now // seconds)
    key = f"{name}:{seconds}:{window}"
    # Made by the first request of the window; outlives the window, then expires.
    cache.add(key, 0, timeout=seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:
        # Evicted between the two calls: this request is the first again.
        cache.add(key, 1, timeout=seconds + 1)
        used = 1
    if used <= count:
        return None
    return max(1, math.ceil((window + 1) * seconds - now))


def _email_digest(email: str) -> str:
    # Counted before the form reads the address: every spelling of one
    # mailbox ("Ana@Exämple.com", its punycode, its full-width letters) is
    # one sender, or a flood could take turns between them.
    email = normalise_email(email)
    if not email:
        return ""
    return hashlib.blake2b(email.encode(), digest_size=16).hexdigest()
