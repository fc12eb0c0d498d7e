"""One address, one person: the form in which every email address is stored and compared.

An address is a reader's identity (their record, trust, blocks, rate limits,
privacy requests), and mail servers read many spellings of one address as
that address: "Ana@Exämple.com", "ana@xn--exmple-cua.com" and the same in
full-width letters all reach one mailbox. So each is turned into one form:
compatibility characters composed (NFKC: full-width letters and dots become
plain ones), case folded, and the domain in IDNA's ASCII form (punycode),
the name the mail server is reached by. Everything that keeps or compares an
address goes through `normalise_email`.
"""

import contextlib
import unicodedata

from django.utils.encoding import punycode


def normalise_email(address: str) -> str:
    """The one form of `address` that is stored and compared ("" stays "")."""
    address = unicodedata.normalize("NFKC", address.strip()).casefold()
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    # The same encoding Django's own mail and validators use for a domain; it
    # also reads the ideographic full stops (。．｡) as dots. A domain it cannot
    # encode (an empty or overlong label) names no mail server, and the form
    # refuses it: such a one is compared as typed.
    with contextlib.suppress(UnicodeError):
        domain = punycode(domain)
    return f"{local}@{domain}"
