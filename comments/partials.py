"""What the comment partial needs from Python: the values one page shares.

The markup of a comment and its replies is templates/comments/_comment_tree.jinja,
drawn by Django's Jinja2 engine (sovereignty_forum/jinja2.py): a long thread
draws it hundreds of times, which Django's templates did 5–8× slower. What
every comment of a page repeats is worked out here once per page: the links'
patterns, the words, the reader, the clock, and the links under each kind of
comment. Nothing here is HTML.

Never give the partial `request`: Django's Jinja2 backend would put this
visitor's CSRF token into a page the cache then serves to everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.messages.storage.base import Message
from django.utils.formats import get_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from .models import SAMPLE_ID, Comment, SovereigntyMode, comment_url_pattern
from .moments import Moments, machine_time
from .threads import ShownReply


@dataclass(frozen=True, slots=True)
class Links:
    """The paths of a comment's pages, each with `%d` for its id: `urls.reply % pk`."""

    permalink: str
    reply: str
    rate: str
    edit: str
    report: str
    replies: str
    thread: str

    @classmethod
    def of_comments(cls) -> Links:
        return cls(
            permalink=_pattern("comments:permalink"),
            reply=_pattern("comments:reply"),
            # Other apps' pages of a comment are named, not imported: see comment_url_pattern.
            rate=_pattern("board:rate"),
            edit=_pattern("comments:edit"),
            report=_pattern("comments:report"),
            replies=_pattern("comments:replies"),
            thread=_pattern("comments:thread"),
        )


def _pattern(url_name: str) -> str:
    return comment_url_pattern(url_name).replace("%", "%%").replace("{}", "%d")


@dataclass(frozen=True, slots=True)
class Words:
    """The words every comment repeats, in the page's language."""

    reply: str
    rate: str
    report: str
    edit: str
    pick: str
    pending: str
    edit_pending: str
    language: str
    removed: str
    strategies: str
    sovereignty: str
    replying_to: str
    works: str
    respects: str
    ratings: str

    @classmethod
    def translated(cls) -> Words:
        return cls(
            reply=gettext("Reply"),
            rate=gettext("Rate"),
            report=gettext("Report"),
            edit=gettext("Edit"),
            pick=gettext("Editor’s pick"),
            pending=gettext("Awaiting moderation — only you can see this"),
            edit_pending=gettext("Your edit awaits moderation; readers see this version"),
            language=gettext("Language of this reply"),
            removed=gettext("This comment is not available."),
            strategies=gettext("Strategies proposed"),
            sovereignty=gettext("Sovereignty:"),
            replying_to=gettext("replying to %(name)s"),
            works=gettext("Would it work?"),
            respects=gettext("Respects sovereignty?"),
            ratings=gettext("Readers’ ratings"),
        )


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and
# one of these is made for every comment of a page (1.3 µs against 0.3 µs).
@dataclass(slots=True)
class Shown:
    """What the partial shows of one comment that the page works out in Python."""

    # When it was written: for the datetime attribute (UTC), and in words
    # (the exact time only, as the page may be cached for a day; the browser
    # says how long ago it was: static/js/times.js).
    written: str
    written_words: SafeString
    # "replying to Ana", when a reply answers someone other than its parent; else "".
    replying_to: str
    # The links under it: Reply, Rate, Edit or Report.
    actions: SafeString


class CommentPage:
    """One page's comments: one reader, one language, one article.

    The partial reads it as `page`; {% comment_tree %} makes one for each
    page it draws (comments/templatetags/discussion.py).
    """

    def __init__(
        self,
        *,
        reader_key: str = "",
        accepts_replies: bool = False,
        notices: dict[int, Message] | None = None,
    ):
        self.reader_key = reader_key
        self.accepts_replies = accepts_replies
        # Confirmations to show under their comment (comments.notices), by its id.
        self.notices = notices or {}
        self.language = get_language()
        self.words = Words.translated()
        self.moments = Moments()
        # Each comment carries several links: their patterns are looked up once.
        self.urls = Links.of_comments()
        self._actions: dict[tuple[bool, bool, bool], list[str]] = {}
        # A proposal's sovereignty mode, named in the page's language: the model's
        # get_sovereignty_mode_display() builds its table of choices for every call.
        self.sovereignty_modes = {mode.value: str(mode.label) for mode in SovereigntyMode}
        self._decimal_separator = get_format("DECIMAL_SEPARATOR")

    def shown(self, comment: Comment | ShownReply, draw_actions: Callable[..., str]) -> Shown:
        """What the partial shows of `comment` that takes Python to work out (see Shown)."""
        return Shown(
            written=machine_time(comment.created),
            written_words=self.moments.exact(comment.created),
            replying_to=self._replying_to(comment),
            actions=self._actions_of(comment, draw_actions),
        )

    def _replying_to(self, comment: Comment | ShownReply) -> str:
        name = answered_name(comment)
        return self.words.replying_to % {"name": name} if name else ""

    def _actions_of(self, comment: Comment | ShownReply, draw: Callable[..., str]) -> SafeString:
        # The links are the same for every comment of a kind but for its id, so
        # each kind is drawn once per page by the partial's `actions` macro, with
        # SAMPLE_ID, cut where the id goes and joined around each comment's id
        # (an int: nothing to escape). Drawn for each comment, they made the
        # 500-reply thread page 1.56-1.60x what it cost when Python built the
        # HTML, and the 50-reply one 1.21-1.27x; drawn once, 1.19-1.27x and
        # 1.09-1.13x (SQLite, the bench's discussion, both in one process).
        kind = (comment.is_published, not comment.parent_id, self.editable(comment))
        pieces = self._actions.get(kind)
        if pieces is None:
            pieces = self._actions[kind] = str(draw(SAMPLE_ID, *kind)).split(str(SAMPLE_ID))
        return SafeString(str(comment.pk).join(pieces))

    def editable(self, comment: Comment | ShownReply) -> bool:
        """Whether this reader may still edit it (its author, within the edit window)."""
        return bool(self.reader_key) and comment.can_be_changed_by(self.reader_key)

    def shows_pending_edit(self, comment: Comment | ShownReply) -> bool:
        """Whether to tell this reader that their edit of it awaits moderation."""
        return bool(comment.pending_body) and comment.is_authored_by(self.reader_key)

    @staticmethod
    def show_more(count: int) -> str:
        """The link from a thread's first replies to the whole thread."""
        return ngettext(
            "Show %(counter)s more reply in this thread",
            "Show %(counter)s more replies in this thread",
            count,
        ) % {"counter": count}

    @staticmethod
    def more_replies(count: int) -> str:
        """The link that opens what a long thread's page leaves out of a branch."""
        return ngettext("%(count)s more reply", "%(count)s more replies", count) % {"count": count}

    def _one_decimal(self, mean: float | None) -> str:
        """`mean` as Django's floatformat:1 writes it in the page's language ("3.5", "3,5"),
        rounded half up; the filter localises through every format setting for each figure."""
        if mean is None:
            return ""
        rounded = Decimal(repr(mean)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return str(rounded).replace(".", self._decimal_separator)

    def ratings(self, comment: Comment) -> Ratings:
        """A proposal's two figures, for its meters, and who gave them."""
        return Ratings(
            works=self._one_decimal(comment.works_mean),
            respects=self._one_decimal(comment.respects_mean),
            works_value=f"{comment.works_mean or 0:.1f}",
            respects_value=f"{comment.respects_mean or 0:.1f}",
            raters=ngettext(
                "%(raters)s reader rated it", "%(raters)s readers rated it", comment.rating_count
            )
            % {"raters": comment.rating_count},
        )


@dataclass(frozen=True, slots=True)
class Ratings:
    """A proposal's mean answers out of 5: as the page shows them (`works`, in the
    page's language) and for a meter's value attribute (`works_value`, "4.5")."""

    works: str
    respects: str
    works_value: str
    respects_value: str
    raters: str


def answered_name(comment: Comment | ShownReply) -> str:
    """Whom a reply answers, if not its parent: see CommentQuerySet.with_answered_name()."""
    if isinstance(comment, ShownReply):
        return comment.answered_name
    if hasattr(comment, "answered_name"):
        # Read with_answered_name(): known already, no query.
        return comment.answered_name
    answered = comment.replying_to
    if answered is not None and answered.pk != comment.parent_id and answered.is_published:
        return answered.author_name
    return ""
