"""Reading the mail the site sent (pytest-django's `mailoutbox`)."""

import re
from smtplib import SMTPServerDisconnected

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


def mails_to(outbox, address: str) -> list:
    return [message for message in outbox if address in message.to]


def link_path(message, start: str) -> str:
    """The path of the first link in `message` whose path begins with `start`."""
    match = re.search(rf"{re.escape(settings.SITE_URL)}({re.escape(start)}\S*)", message.body)
    assert match, f"No link to {start} in:\n{message.body}"
    return match.group(1)


def token_of(url: str) -> str:
    """The signed token at the end of an emailed link."""
    return url.rstrip("/").rsplit("/", 1)[1]


def tampered(token: str) -> str:
    """`token` with its signature's last character changed."""
    last = "A" if token[-1] != "A" else "B"
    return token[:-1] + last


class BrokenMailServer(BaseEmailBackend):
    """A mail server that has gone away (the `broken_mail_server` fixture)."""

    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")
