"""A client's network: the unit in which the site counts one sender.

A cookie is not a person: a private window is a new reader. An address is
closer, but not by itself: an IPv6 home or phone is commonly given a whole
/64 to pick addresses from, and one household, office or phone operator
hands out neighbouring IPv4 addresses of one /24. So what counts as one
person's voice (reports towards hiding a comment, ratings in a proposal's
figures) is counted per network: an IPv4 /24, an IPv6 /64. The rate limits
count an IPv4 client by its own address (and IPv6 by its /64): a limit
shared by a whole /24 would make an office or a campus wait for each
other's posts. A client that reaches a dual-stack server over IPv4 may
show up as an IPv4-mapped IPv6 address (::ffff:203.0.113.7); that is its
IPv4 address and counts in its IPv4 /24.
"""

import ipaddress

IPV4_PREFIX = 24
IPV6_PREFIX = 64


def client_network(address: str | None, *, ipv4_prefix: int = IPV4_PREFIX) -> str:
    """The network `address` counts in ("203.0.113.0/24", "2001:db8::/64"); "" when unknown.

    `ipv4_prefix=32` gives the IPv4 address itself (and still the IPv6 /64):
    the rate limits' unit, which must not make neighbours wait for each other.
    """
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.version == 4:
        return str(ipaddress.IPv4Network((int(ip), ipv4_prefix), strict=False))
    # From the integer: a scoped address (fe80::1%eth0) has no network by its text.
    return str(ipaddress.IPv6Network((int(ip), IPV6_PREFIX), strict=False))
