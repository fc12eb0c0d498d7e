"""The HTML of comments and their replies.

A thread can hold hundreds of comments. Rendered through a recursive
template, each cost about 0.4 ms, almost all of it in template variable
lookups: a 500-reply thread took over 200 ms. The same markup built here
with format_html() costs a fraction of that, while every word stays
translatable and every value escaped. The markup is the partial's:
templates include it with `{% comment_tree node %}`.
"""

from django.template.defaultfilters import floatformat
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from .markup import format_html, format_html_join, paragraphs
from .models import SAMPLE_ID, comment_url_pattern
from .moments import Moments, machine_time
from .threads import Node


class CommentRenderer:
    """Renders comment trees for one page: one reader, one language, one article."""

    def __init__(self, *, reader_key: str = "", accepts_replies: bool = False):
        self.reader_key = reader_key
        self.accepts_replies = accepts_replies
        self.language = get_language()
        self.moments = Moments()
        # Each comment carries several links: their patterns are looked up once.
        self.urls = {
            name: comment_url_pattern(url_name)
            for name, url_name in {
                "permalink": "comments:permalink",
                "reply": "comments:reply",
                "rate": "board:rate",
                "edit": "comments:edit",
                "report": "comments:report",
            }.items()
        }
        # The words every comment repeats, translated and escaped once per page.
        self.words = {
            "reply": gettext("Reply"),
            "rate": gettext("Rate"),
            "report": gettext("Report"),
            "edit": gettext("Edit"),
            "pick": gettext("Editor’s pick"),
            "pending": gettext("Awaiting moderation — only you can see this"),
            "edit_pending": gettext("Your edit awaits moderation; readers see this version"),
            "language": gettext("Language of this reply"),
            "removed": gettext("This comment is not available."),
            "strategies": gettext("Strategies proposed"),
            "sovereignty": gettext("Sovereignty:"),
        }
        self.words = {key: escape(words) for key, words in self.words.items()}
        self._action_pieces: dict[tuple[bool, bool, bool], list[str]] = {}

    def _url(self, name: str, pk: int) -> SafeString:
        # A reversed path and a number: nothing in them needs escaping.
        return SafeString(self.urls[name].format(pk))

    def tree(self, node: Node) -> SafeString:
        """A comment (or the placeholder of one readers may not see) and its replies, nested."""
        body = self.comment(node.comment) if node.comment else self._removed()
        if not node.children:
            return body
        replies = format_html_join(
            "", "<li>{}</li>", ((self.tree(child),) for child in node.children)
        )
        return format_html('{}\n<ol class="replies">{}</ol>', body, replies)

    def _removed(self) -> SafeString:
        return format_html('<p class="comment comment-removed">{}</p>', self.words["removed"])

    def comment(self, comment) -> SafeString:
        classes = "comment"
        if comment.is_pending:
            classes += " comment-pending"
        if comment.featured:
            classes += " comment-featured"
        return format_html(
            '<article id="c{pk}" class="{classes}" aria-labelledby="c{pk}-author">'
            '<p class="comment-meta mb-1">{meta}</p>'
            '<div class="comment-body" lang="{language}">{body}</div>'
            "{proposal}"
            '<p class="comment-actions mb-0 d-flex flex-wrap gap-3">{actions}</p>'
            '<div id="reply-slot-{pk}" class="reply-slot"></div>'
            "</article>",
            pk=comment.pk,
            classes=classes,
            meta=self._meta(comment),
            language=comment.language,
            body=paragraphs(comment.body),
            proposal=self._proposal(comment) if not comment.parent_id else "",
            actions=self._actions(comment),
        )

    def _meta(self, comment) -> SafeString:
        # The exact time only: pages are cached for up to a day, so how long
        # ago it was is told by the browser (static/js/times.js).
        parts = [
            format_html(
                '<span id="c{}-author" class="comment-author">{}</span> · '
                '<a class="link-secondary" href="{}">'
                '<time datetime="{}" data-relative>{}</time></a>',
                comment.pk,
                comment.author_name,
                self._url("permalink", comment.pk),
                machine_time(comment.created),
                self.moments.exact(comment.created),
            )
        ]
        answered_name = _answered_name(comment)
        if answered_name:
            parts.append(
                format_html(
                    '<span class="text-body-secondary">· {}</span>',
                    gettext("replying to %(name)s") % {"name": answered_name},
                )
            )
        if comment.language != self.language:
            parts.append(
                format_html(
                    '<span class="badge text-bg-light border" title="{}">{}</span>',
                    self.words["language"],
                    comment.language.upper(),
                )
            )
        if comment.featured:
            parts.append(
                format_html('<span class="badge text-bg-primary">{}</span>', self.words["pick"])
            )
        if comment.is_pending:
            parts.append(self._warning(self.words["pending"]))
        if comment.pending_body and comment.is_authored_by(self.reader_key):
            parts.append(self._warning(self.words["edit_pending"]))
        return mark_safe("\n".join(parts))  # noqa: S308 - each part is built by format_html

    def _warning(self, text: str) -> SafeString:
        return format_html(
            '<span class="badge text-bg-warning text-wrap text-start">{}</span>', text
        )

    def _proposal(self, comment) -> SafeString | str:
        strategies = comment.named_strategies
        if not (strategies or comment.sovereignty_mode or comment.rating_count):
            return ""
        parts = []
        if strategies:
            parts.append(
                format_html(
                    '<ul class="list-inline mb-1" aria-label="{}">{}</ul>',
                    self.words["strategies"],
                    format_html_join(
                        "",
                        '<li class="list-inline-item"><span class="badge rounded-pill '
                        'text-bg-light border">{}</span></li>',
                        ((strategy.label,) for strategy in strategies),
                    ),
                )
            )
        if comment.sovereignty_mode:
            parts.append(
                format_html(
                    '<span class="text-body-secondary">{} {}</span>',
                    self.words["sovereignty"],
                    comment.get_sovereignty_mode_display(),
                )
            )
        if comment.rating_count:
            parts.append(format_html('<p class="mb-0 ratings">{}</p>', self._ratings(comment)))
        return format_html(
            '<div class="proposal-facts small mb-2">{}</div>',
            mark_safe("".join(parts)),  # noqa: S308
        )

    def _ratings(self, comment) -> SafeString:
        text = ngettext(
            "Would it work? <strong>%(works)s</strong>/5 · Respects sovereignty? "
            "<strong>%(respects)s</strong>/5 · %(raters)s rater",
            "Would it work? <strong>%(works)s</strong>/5 · Respects sovereignty? "
            "<strong>%(respects)s</strong>/5 · %(raters)s raters",
            comment.rating_count,
        )
        # The translation carries the markup; only the numbers are filled in.
        return mark_safe(  # noqa: S308
            text
            % {
                "works": floatformat(comment.works_mean, 1),
                "respects": floatformat(comment.respects_mean, 1),
                "raters": comment.rating_count,
            }
        )

    def _actions(self, comment) -> SafeString:
        """The links under a comment: the same for every comment of its kind but for its id.

        Each kind's links are drawn once per page, cut where the id goes,
        and joined around each comment's id.
        """
        kind = (
            comment.is_published,
            not comment.parent_id,
            bool(self.reader_key) and comment.can_be_changed_by(self.reader_key),
        )
        if kind not in self._action_pieces:
            self._action_pieces[kind] = self._draw_actions(SAMPLE_ID, *kind).split(str(SAMPLE_ID))
        return SafeString(str(comment.pk).join(self._action_pieces[kind]))

    def _draw_actions(self, pk: int, published: bool, top_level: bool, editable: bool) -> str:
        # The author's name, read after each action's name, tells screen-reader
        # users whose comment it acts on.
        described = f"c{pk}-author"
        links = []
        if published:
            if self.accepts_replies:
                links.append(
                    format_html(
                        '<a href="{url}" hx-get="{url}?fragment=form"'
                        ' hx-target="#reply-slot-{pk}" hx-swap="innerHTML" hx-push-url="false"'
                        ' aria-describedby="{d}">{text}</a>',
                        url=self._url("reply", pk),
                        pk=pk,
                        d=described,
                        text=self.words["reply"],
                    )
                )
            if top_level:
                links.append(
                    format_html(
                        '<a href="{}" aria-describedby="{}">{}</a>',
                        self._url("rate", pk),
                        described,
                        self.words["rate"],
                    )
                )
        if editable:
            links.append(
                format_html('<a href="{}">{}</a>', self._url("edit", pk), self.words["edit"])
            )
        elif published:
            links.append(
                format_html(
                    '<a class="link-secondary" href="{}" aria-describedby="{}">{}</a>',
                    self._url("report", pk),
                    described,
                    self.words["report"],
                )
            )
        return "\n".join(links)


def _answered_name(comment) -> str:
    """Whom a reply answers, if not its parent: see CommentQuerySet.with_answered_name()."""
    if hasattr(comment, "answered_name"):
        return comment.answered_name
    answered = comment.replying_to
    if answered is not None and answered.pk != comment.parent_id and answered.is_published:
        return answered.author_name
    return ""
