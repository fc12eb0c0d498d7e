"""Who sent a request: the client's IP address, behind as many proxies as the operator trusts."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address the request came from, or None when the server was not told one.

    REMOTE_ADDR is the peer that connected to this server. Behind load
    balancers that is the last of them; each proxy appends the address it
    received the request from to X-Forwarded-For, so with
    settings.TRUSTED_PROXY_COUNT = N the client is the Nth address from the
    right. Anything further left was written by the client and proves
    nothing; with no trusted proxy the header is ignored altogether.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [address.strip() for address in header.split(",") if address.strip()]
    if not forwarded:
        return remote
    # Fewer addresses than proxies: every one was written by our own proxies,
    # and the leftmost is the farthest peer they saw.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
