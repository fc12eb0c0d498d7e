"""A client's network: the unit in which the site counts one sender.

A cookie is not a person: a private window is a new reader. An address is
closer, but not by itself: an IPv6 home or phone is commonly given a whole
/64 to pick addresses from, and one household, office or phone operator
hands out neighbouring IPv4 addresses of one /24. So what readers send
(posts and reports against the rate limits, reports towards hiding a
comment, ratings in a proposal's figures) is counted per network: an IPv4
/24, an IPv6 /64. A client that reaches a dual-stack server over IPv4 may
show up as an IPv4-mapped IPv6 address (::ffff:203.0.113.7); that is its
IPv4 address and counts in its IPv4 /24.
"""

import ipaddress

IPV4_PREFIX = 24
IPV6_PREFIX = 64


def client_network(address: str | None) -> str:
    """The network `address` counts in ("203.0.113.0/24", "2001:db8::/64"); "" when unknown."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 4:
        return str(ipaddress.IPv4Network((int(ip), IPV4_PREFIX), strict=False))
    # From the integer: a scoped address (fe80::1%eth0) has no network by its text.
    return str(ipaddress.IPv6Network((int(ip), IPV6_PREFIX), strict=False))
