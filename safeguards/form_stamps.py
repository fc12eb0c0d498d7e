"""The signed stamp of each reply form: when it was drawn, and a random id of that one form.

The time tells a person from a robot (too quick) and a page left open too
long (expired); the id tells the same form sent twice, which stores one
comment. The reply form decides which ages it accepts; the page cache fills
a new stamp into each response of a cached page. The salt and the format
are those of the stamps in pages already open, so they stay valid.
"""

import secrets
import time
from dataclasses import dataclass

from django.core import signing

FORM_STAMP_SALT = "sovereignty-forum.reply-form"


@dataclass(frozen=True)
class FormStamp:
    issued: int
    form_id: str


def new_form_stamp(*, issued: float | None = None) -> str:
    issued = int(time.time() if issued is None else issued)
    value = f"{issued}.{secrets.token_urlsafe(16)}"
    return signing.Signer(salt=FORM_STAMP_SALT).sign(value)


def read_form_stamp(value: str) -> FormStamp | None:
    """The stamp's contents, or None when it was not made by this site or was changed."""
    try:
        issued, form_id = signing.Signer(salt=FORM_STAMP_SALT).unsign(value).split(".", 1)
        return FormStamp(int(issued), form_id)
    except (signing.BadSignature, ValueError):
        return None
