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

    The address is given in one form whatever the server was told, so that
    blocks, rate limits and stored records compare like with like.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    peer = normalise_ip(remote) or remote
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return peer
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    forwarded = [address.strip() for address in header.split(",") if address.strip()]
    if not forwarded:
        return peer
    # Fewer addresses than proxies: every one was written by our own proxies,
    # and the leftmost is the farthest peer they saw.
    candidate = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[0]
    return normalise_ip(candidate) or peer


def normalise_ip(address: str | None) -> str | None:
    """`address` in its one form (as ipaddress writes it), None when it is not an IP address.

    An IPv4 client reaching a dual-stack socket is seen as an IPv4-mapped IPv6
    address (::ffff:203.0.113.7): it is the IPv4 address, so it is given as
    that, not as an IPv6 address of a network of its own.
    """
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return None
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)
