"""Browsers signed in without the login form, for tests about what comes after it."""

from django.conf import settings
from django.test import Client


def sign_in(page, user, live_server):
    """`page`'s browser signed in as `user`, with a session made on the server (no login form)."""
    signed_in = Client()
    signed_in.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": signed_in.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page
