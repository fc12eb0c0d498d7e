"""The queue while moderators work it: what arrived since a moderator's page was drawn, what
another moderator decided meanwhile, and who is reading which comment.

Each moderator's queue page asks every few seconds (static/js/moderation-queue.js),
saying which comments it shows and which one its moderator is reading (the one
with the keyboard's focus). Who reads what is kept in the shared cache (Redis in
production, so every app server sees every moderator) for READING_SECONDS after
each ask: a moderator who closes the page, or moves on, stops showing within
that time. With the cache down, nobody is shown reading; the rest still works.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache

from comments.models import WAITING_COUNT, Comment, ModerationDecision

logger = logging.getLogger(__name__)

# How long a moderator is shown reading a comment after their page last said so.
READING_SECONDS = 12


@dataclass(frozen=True)
class Decided:
    pk: int
    status: str
    # Who decided it, as the history names them (a moderator, or an automatic rule).
    by: str


@dataclass(frozen=True)
class DeskNow:
    waiting: int
    # Waiting comments that are not on the page and came into the queue since it was drawn.
    arrived: int
    # Comments of the page that no longer wait, each with its latest decision.
    decided: list[Decided]
    # For comments of the page, the other moderators reading them.
    readers: dict[int, list[str]]


def desk_now(*, shown: list[int], drawn: datetime, moderator, reading: int | None) -> DeskNow:
    """The queue as it is now, for a moderator whose page shows `shown` since `drawn`."""
    note_reading(moderator, reading)
    waiting = Comment.objects.needs_review()
    still = set(waiting.filter(pk__in=shown).values_list("pk", flat=True))
    gone = [pk for pk in shown if pk not in still]
    latest = {}
    for decision in (
        ModerationDecision.objects.filter(comment_id__in=gone)
        .exclude(kind=ModerationDecision.Kind.CORRECTION)
        .select_related("moderator")
        .order_by("comment_id", "created", "id")
    ):
        latest[decision.comment_id] = decision
    decided = [
        Decided(pk=pk, status=latest[pk].get_to_status_display(), by=_decided_by(latest[pk]))
        for pk in gone
        if pk in latest
    ]
    # From the history's recent entries (its index on the time), not from every waiting comment.
    recent = ModerationDecision.objects.filter(created__gt=drawn).values("comment_id")
    arrived = waiting.filter(pk__in=recent).exclude(pk__in=shown).count()
    return DeskNow(
        waiting=WAITING_COUNT.get(),
        arrived=arrived,
        decided=decided,
        readers=readers_of(shown, besides=moderator.pk),
    )


def _decided_by(decision: ModerationDecision) -> str:
    if decision.moderator is not None:
        return moderator_name(decision.moderator)
    return decision.decided_by  # An automatic rule.


def moderator_name(user) -> str:
    return user.get_full_name() or user.get_username()


def note_reading(moderator, pk: int | None) -> None:
    """`moderator` is reading comment `pk` (None: none), until they say otherwise or go quiet."""
    mine = f"desk-reading-by:{moderator.pk}"
    before = _quietly(cache.get, mine)
    if before is not None and before != pk:
        _leave(before, moderator.pk)
    if pk is None:
        _quietly(cache.delete, mine)
        return
    key = f"desk-reading:{pk}"
    now = time.time()
    present = _quietly(cache.get, key) or {}
    present = {user: seen for user, seen in present.items() if seen[1] > now}
    present[moderator.pk] = (moderator_name(moderator), now + READING_SECONDS)
    _quietly(cache.set, key, present, READING_SECONDS)
    _quietly(cache.set, mine, pk, READING_SECONDS)


def readers_of(shown: list[int], *, besides: int) -> dict[int, list[str]]:
    """The moderators other than `besides` reading each of `shown`."""
    found = _quietly(cache.get_many, [f"desk-reading:{pk}" for pk in shown]) or {}
    now = time.time()
    readers = {}
    for key, present in found.items():
        names = sorted(
            name for user, (name, until) in present.items() if user != besides and until > now
        )
        if names:
            readers[int(key.rpartition(":")[2])] = names
    return readers


def _leave(pk: int, user: int) -> None:
    key = f"desk-reading:{pk}"
    present = _quietly(cache.get, key)
    if present and user in present:
        del present[user]
        _quietly(cache.set, key, present, READING_SECONDS)


def _quietly(operation, *args):
    # A cache that is down hides who is reading; it never fails the queue.
    try:
        return operation(*args)
    except Exception:
        logger.warning("Cache unavailable: moderators are not shown reading", exc_info=True)
        return None
