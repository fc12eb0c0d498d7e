"""The anonymous reader's identity: a random token in a signed cookie.

Readers post without an account. The token lets the site recognise the same
browser later (to show the author their own pending reply, and later to let
them edit it or rate proposals) without guessable ids. Only a digest of the
token is stored with a comment, so the database alone cannot impersonate a
reader.
"""

import base64
import binascii
import hashlib
import json
import secrets

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_SALT = "sovereignty-forum.reader"
# Where a token minted during this request waits for the response's cookie.
_MINTED_META_KEY = "sovereignty_forum.new_reader_token"


def reader_token(request: HttpRequest) -> str:
    """The token from the reader's cookie, or "" when absent or tampered with."""
    return request.get_signed_cookie(settings.READER_COOKIE_NAME, default="", salt=_SALT) or ""


def reader_key(request: HttpRequest) -> str:
    token = reader_token(request)
    return digest(token) if token else ""


def cookie_value(token: str) -> str:
    """The signed value of the reader cookie that carries `token`."""
    response = HttpResponse()
    response.set_signed_cookie(settings.READER_COOKIE_NAME, token, salt=_SALT)
    return response.cookies[settings.READER_COOKIE_NAME].value


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def ensure_reader_token(request: HttpRequest) -> str:
    """The reader's token, minting one (remembered on the request) if they have none yet."""
    token = reader_token(request) or request.META.get(_MINTED_META_KEY, "")
    if not token:
        token = secrets.token_urlsafe(32)
        request.META[_MINTED_META_KEY] = token
    return token


def remember_reader(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Set the cookie for a token minted during this request."""
    token = request.META.get(_MINTED_META_KEY, "")
    if token:
        _keep_in_browser(request, response, settings.READER_COOKIE_NAME, token, salt=_SALT)
    return response


def _keep_in_browser(
    request: HttpRequest, response: HttpResponse, name: str, value: str, *, salt: str
) -> None:
    # Signed, out of scripts' reach, sent only with this site's own navigation.
    response.set_signed_cookie(
        name,
        value,
        salt=salt,
        max_age=settings.READER_COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )


# The name and email a reader posted with last, kept for their next reply in
# a signed cookie (they cannot be changed by hand into someone else's). Only
# this browser's own pages carry them: a page that does is never cached.
_AUTHOR_SALT = "sovereignty-forum.author"


def remembered_author(request: HttpRequest) -> dict[str, str]:
    """{"author_name": …, "author_email": …} from this browser's cookie, or {} when none."""
    value = request.get_signed_cookie(
        settings.AUTHOR_COOKIE_NAME,
        default="",
        salt=_AUTHOR_SALT,
        max_age=settings.READER_COOKIE_MAX_AGE,
    )
    if not value:
        return {}
    try:
        name, email = json.loads(base64.urlsafe_b64decode(value))
    except (binascii.Error, ValueError, TypeError):
        return {}
    return {"author_name": str(name), "author_email": str(email)}


def remember_author(
    request: HttpRequest, response: HttpResponse, *, name: str, email: str
) -> HttpResponse:
    """Keep `name` and `email` in this browser for its next reply."""
    # Encoded, so that the cookie holds no quotes, commas or spaces to escape.
    value = base64.urlsafe_b64encode(json.dumps([name, email]).encode()).decode()
    _keep_in_browser(request, response, settings.AUTHOR_COOKIE_NAME, value, salt=_AUTHOR_SALT)
    return response
