"""CSRF tokens exactly as Django makes them, drawn from one read of the system's randomness.

django.middleware.csrf.get_token draws each of a new visitor's 64 random
characters (32 of the secret, 32 of the mask) with its own secrets.choice,
one system call each: on a page served from the cache that was a third of
the response's time. form_token() gives the same tokens (Django's alphabet,
secret and masking, from the same source, os.urandom) from one os.urandom
call, and leaves the request as get_token would, so CsrfViewMiddleware sets
the cookie and accepts the token as its own.
"""

import os

from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_ALPHABET = CSRF_ALLOWED_CHARS
_POSITION = {char: index for index, char in enumerate(_ALPHABET)}
# Bytes below this bound fall evenly on the alphabet (4 × 62 = 248); any
# byte above it is dropped rather than make some characters likelier.
_EVEN_BOUND = 256 - 256 % len(_ALPHABET)


def random_positions(count: int) -> list[int]:
    """`count` independent, uniform positions in the CSRF alphabet."""
    positions: list[int] = []
    while len(positions) < count:
        # A few bytes to spare: about 3% of bytes are dropped.
        drawn = os.urandom(count - len(positions) + 8)
        positions += [byte % len(_ALPHABET) for byte in drawn if byte < _EVEN_BOUND]
    return positions[:count]


def form_token(request: HttpRequest) -> str:
    """The CSRF token for a form in this response: what get_token(request) returns.

    Like get_token, it gives a visitor without a CSRF cookie a new secret
    and asks the middleware to send the cookie (or renew it).
    """
    secret = request.META.get("CSRF_COOKIE")
    drawn = random_positions(2 * CSRF_SECRET_LENGTH if secret is None else CSRF_SECRET_LENGTH)
    if secret is None:
        secret = "".join(_ALPHABET[position] for position in drawn[CSRF_SECRET_LENGTH:])
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = drawn[:CSRF_SECRET_LENGTH]
    cipher = (
        _ALPHABET[(_POSITION[char] + offset) % len(_ALPHABET)]
        for char, offset in zip(secret, mask, strict=True)
    )
    return "".join(_ALPHABET[position] for position in mask) + "".join(cipher)
