"""A comment's text: its first words, and the fingerprint of what a moderator's screen shows."""

import hashlib

from django.utils.text import Truncator


def shown_version(status: str, body: str, pending_body: str) -> str:
    """A short fingerprint of what a moderator's screen shows of a comment: its status, its
    text and its waiting edit. Any change of one changes it (see Comment.decide)."""
    return hashlib.blake2b(f"{status}\0{body}\0{pending_body}".encode(), digest_size=8).hexdigest()


class WrittenText:
    """What a comment's text says of it, for comments and the moderation queue's rows alike."""

    __slots__ = ()

    status: str
    body: str
    pending_body: str

    @property
    def has_pending_edit(self) -> bool:
        return bool(self.pending_body)

    @property
    def shown_version(self) -> str:
        return shown_version(self.status, self.body, self.pending_body)

    @property
    def review_excerpt(self) -> str:
        """The first words of what a moderator has to judge: the waiting edit, if any.

        For moderators' screens and emails only; readers see `excerpt`.
        """
        return excerpt(self.pending_body or self.body)


EXCERPT_LENGTH = 80


def excerpt(text: str) -> str:
    """The first words of a comment, on one line, cut at EXCERPT_LENGTH characters."""
    return Truncator(" ".join(text.split())).chars(EXCERPT_LENGTH)
