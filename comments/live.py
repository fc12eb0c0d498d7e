"""What changed in a discussion while its pages stayed open: the replies readers can now see,
and those they no longer can.

An open page of an article asks, every few seconds, for the changes since
the version of the article it shows (static/js/live.js). It names that
version by when it was made (the article's `content_changed`, to the
second): every page drawn from one version asks the same question, so the
page cache answers all of them with one drawing, on every app server, and a
page that is up to date is answered 304 by the article's ETag alone.

The changes are read from the moderation history, which records every
change of a comment's status (arriving, approved, rejected, hidden by
readers' reports, withdrawn, erased): a comment that came into readers'
sight since then, or left it, is `shown` if readers can see it now, else
`gone`. Only published comments are ever drawn; one that left is its id and the
placeholder pages leave for it,
and one readers never saw (pending, then rejected or spam) is not named at
all. An edit waiting for a moderator is never shown (a comment's approved
text is). A page holding a comment that is `gone` takes it away; one that is
`shown` and not on the page is new, if the page has a place for it.

At most COMMENTS_LIVE_MAX_CHANGES changes are answered: a page behind by
more is told that it is `complete=False`, and offers a reload. A page of an
article that has not changed for a long time asks from long ago, and is
answered that nothing changed.

A `since` names a page of the cache, and any number could be asked: an
older one is rounded down (`canonical_since`), to the minute within the hour,
to the hour within the day, to the day before, so that there are never more
than a few hundred such pages of one version. The changes of the time rounded
over are given again; a page finds those it holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.template.loader import render_to_string

from articles.models import Article

from .models import Comment, ModerationDecision
from .threads import Node, Thread, all_strategies, named


@dataclass(frozen=True)
class Change:
    pk: int
    # The comment as readers see it now (its card, with no replies); when it is gone, the
    # placeholder a page leaves where a comment readers may not see has replies.
    node: Node
    parent_id: int | None
    language: str

    @property
    def kind(self) -> str:
        return "shown" if self.node.comment is not None else "gone"

    @property
    def thread(self) -> Thread | None:
        """A new thread, as the pages of threads list it (its first comment alone)."""
        if self.node.comment is None or self.parent_id is not None:
            return None
        return Thread(root=self.node, reply_count=0, shown_reply_count=0, root_id=self.pk)


@dataclass(frozen=True)
class Changes:
    changes: list[Change]
    # Every change since `since` is here: else the page may have missed some.
    complete: bool


def parse_since(value: str | None) -> int | None:
    """A page's `since` (whole seconds since the epoch), or None when it is not one."""
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 12:
        return None
    return int(value)


# How a `since` this many seconds old or older is rounded down (see the module's docstring).
_ROUNDING = [(24 * 3600, 24 * 3600), (3600, 3600), (120, 60)]


def canonical_since(since: int, now: int) -> int:
    """`since`, exact for the last two minutes, else rounded down (never later than `now`)."""
    since = min(since, now)
    for age, step in _ROUNDING:
        if now - since >= age:
            return since - since % step
    return since


def since_of(moment: datetime) -> int:
    """How a page names the version it shows: when it was made, to the second."""
    return int(moment.timestamp())


def changes_since(article_id: int, since: int) -> Changes:
    """The comments of the article whose status changed at or after `since` (a second:
    the changes of that second are given again, and a page finds those it holds)."""
    start = datetime.fromtimestamp(since, tz=UTC)
    limit = settings.COMMENTS_LIVE_MAX_CHANGES
    decisions = list(
        ModerationDecision.objects.filter(comment__article_id=article_id, created__gte=start)
        .exclude(kind=ModerationDecision.Kind.CORRECTION)
        .order_by("created", "id")
        .values_list("comment_id", "from_status", "to_status")[: limit + 1]
    )
    complete = len(decisions) <= limit
    published = Comment.Status.APPROVED
    # Each comment once, where its latest change puts it, if it came into sight or left it:
    # an approved edit is not a new reply, and what readers never saw never leaves.
    moved: dict[int, None] = {}
    for comment_id, from_status, to_status in decisions[:limit]:
        if (from_status == published) != (to_status == published):
            moved.pop(comment_id, None)
            moved[comment_id] = None
    comments = {
        comment.pk: comment
        for comment in Comment.objects.filter(pk__in=list(moved))
        .with_strategy_ids()
        .with_answered_name()
    }
    strategies = all_strategies() if any(c.strategy_ids for c in comments.values()) else []
    changes = []
    for pk in moved:
        comment = comments[pk]
        node = Node(None, pk=pk)
        if comment.is_published:
            comment.named_strategies = named(strategies, comment.strategy_ids)
            node = Node(comment, pk=pk)
        changes.append(
            Change(pk=pk, node=node, parent_id=comment.parent_id, language=comment.language)
        )
    return Changes(changes=changes, complete=complete)


def draw_changes(article: Article, since: int, changes: Changes | None = None) -> str:
    """What changed in `article`'s discussion since `since` (`changes`, read if not given), as
    open pages read it (in the active language), drawn for everyone: no reader's own
    replies, no messages."""
    context = {
        "changes": changes or changes_since(article.pk, since),
        "since": since_of(article.content_changed),
        "article": article,
        "reader_key": "",
        "messages": None,
    }
    return render_to_string("comments/_live_changes.html", context)
