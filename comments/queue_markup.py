"""The HTML of the moderation queue's comments, each with its context and decision controls.

Rendered through templates, a page of the queue cost several times its
queries: every comment repeats the same form controls (a menu of every
reason, three buttons) and a template spends most of its time looking up
variables. Built here with format_html(), every word stays translatable and
every value escaped, and what repeats is built once per page.
"""

from collections.abc import Iterable
from urllib.parse import quote_plus

from django.middleware.csrf import get_token
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from .markup import format_html, format_html_join
from .models import SAMPLE_ID
from .moments import Moments
from .queue import Waiting


class QueueRenderer:
    """Renders one page of the queue for one moderator, in one language."""

    def __init__(
        self,
        request,
        *,
        reasons: Iterable[tuple[str, str]],
        decisions: Iterable[tuple[str, str]],
        can_moderate: bool,
        retry=None,
    ):
        self.can_moderate = can_moderate
        # A refused decision is shown again in the form it came from.
        self.retry = retry
        self.retry_origin = retry.data.get("origin") if retry is not None else None
        # One token for every form of the page, the admin's own included.
        self.csrf = get_token(request)
        self.reasons = [(value, str(label)) for value, label in reasons]
        self.options = self._options(selected="")
        self.buttons = format_html_join(
            "",
            '<button type="submit" name="decision" value="{0}" class="button queue-{0}{1}">'
            "{2}</button>",
            (
                (value, " default" if index == 0 else "", label)
                for index, (value, label) in enumerate(decisions)
            ),
        )
        self.titles: dict[str, SafeString] = {}
        self._control_pieces: list[str] | None = None
        self.moments = Moments()
        # Reversed once: a page shows dozens of these links.
        self.changelist = escape(reverse("admin:comments_comment_changelist"))
        self.change_pattern = reverse("admin:comments_comment_change", args=[0]).replace(
            "/0/", "/{}/"
        )
        self.thread_pattern = reverse("comments:thread", kwargs={"pk": 0}).replace("/0/", "/{}/")
        self.words = {
            "reason": gettext("Reason"),
            "note": gettext("Note"),
            "tell": gettext("Tell the author why by email (rejections)"),
            "tick": gettext("Tick the comment by %(name)s"),
            "theirs": gettext("All their comments"),
            "edit": gettext("Edit of a published comment"),
            "replying": gettext("replying to"),
            "published_text": gettext("Published text"),
            "edited_text": gettext("Edited text, to decide"),
            "details": gettext("Details and history"),
            "thread": gettext("Thread on the site"),
        }
        # Escaped once for the dozens of times a page shows them.
        self.words = {key: escape(words) for key, words in self.words.items()}

    def items(self, comments: Iterable[Waiting]) -> SafeString:
        return mark_safe("\n".join(self.item(comment) for comment in comments))  # noqa: S308 - built by format_html

    def item(self, comment: Waiting) -> SafeString:
        return format_html(
            '<li class="queue-item" id="queue-{pk}">'
            '<article aria-labelledby="queue-author-{pk}">'
            '<header class="queue-meta">{tick}'
            '<strong id="queue-author-{pk}">{name}</strong> '
            '<a href="{changelist}?q={email_query}" title="{theirs}">{email}</a>'
            '<span>· <time datetime="{iso}" title="{exact}">{age}</time></span>'
            '<span class="queue-where">· {title}</span>{badges}</header>'
            "{parent}{texts}{replies}"
            '<footer class="queue-actions">{actions}</footer>'
            "</article></li>",
            pk=comment.pk,
            tick=self._tick(comment),
            name=comment.author_name,
            changelist=self.changelist,
            email_query=quote_plus(comment.author_email),
            theirs=self.words["theirs"],
            email=comment.author_email,
            iso=comment.created.isoformat(),
            exact=self.moments.exact(comment.created),
            age=self.moments.ago(comment.created),
            title=self._article_title(comment.article_title),
            badges=self._badges(comment),
            parent=self._parent(comment),
            texts=self._texts(comment),
            replies=self._replies(comment),
            actions=self._actions(comment),
        )

    def _tick(self, comment: Waiting) -> SafeString | str:
        if not self.can_moderate:
            return ""
        # What the moderator reads, for a decision about the ticked ones.
        return format_html(
            '<input type="checkbox" name="comments" value="{pk}" form="queue-bulk" '
            'id="tick-{pk}" class="queue-tick">'
            '<input type="hidden" name="seen-{pk}" value="{seen}" form="queue-bulk">'
            '<label class="visually-hidden" for="tick-{pk}">{label}</label>',
            pk=comment.pk,
            seen=comment.shown_version,
            label=SafeString(self.words["tick"] % {"name": escape(comment.author_name)}),
        )

    def _article_title(self, title: str) -> SafeString:
        if title not in self.titles:
            self.titles[title] = escape(truncatechars(title, 60))
        return self.titles[title]

    def _badges(self, comment: Waiting) -> SafeString | str:
        badges = []
        if comment.has_pending_edit:
            badges.append(
                format_html(
                    '<span class="queue-badge queue-badge-edit">{}</span>', self.words["edit"]
                )
            )
        if comment.rule:
            badges.append(format_html('<span class="queue-badge">{}</span>', comment.why))
        if comment.open_reports:
            badges.append(
                format_html(
                    '<span class="queue-badge queue-badge-reports">{}</span>',
                    ngettext("%(n)d report", "%(n)d reports", comment.open_reports)
                    % {"n": comment.open_reports},
                )
            )
        return mark_safe("".join(badges))  # noqa: S308 - built by format_html

    def _parent(self, comment: Waiting) -> SafeString | str:
        if comment.parent_author_name is None:
            return ""
        return format_html(
            '<p class="queue-parent">↳ {} <strong>{}</strong>: {}</p>',
            self.words["replying"],
            comment.parent_author_name,
            comment.parent_excerpt,
        )

    def _texts(self, comment: Waiting) -> SafeString:
        if not comment.has_pending_edit:
            return format_html('<div class="queue-body">{}</div>', comment.body)
        return format_html(
            '<div class="queue-texts">'
            '<section><h3>{}</h3><div class="queue-body queue-body-old">{}</div></section>'
            '<section><h3>{}</h3><div class="queue-body">{}</div></section>'
            "</div>",
            self.words["published_text"],
            comment.body,
            self.words["edited_text"],
            comment.pending_body,
        )

    def _replies(self, comment: Waiting) -> SafeString | str:
        if not comment.first_replies:
            return ""
        return format_html(
            '<ul class="queue-replies">{}</ul>',
            format_html_join(
                "",
                "<li>↪ <strong>{}</strong> ({}): {}</li>",
                (
                    (reply.author_name, str(reply.status_label).lower(), reply.excerpt)
                    for reply in comment.first_replies
                ),
            ),
        )

    def _actions(self, comment: Waiting) -> SafeString:
        links = format_html(
            '<a href="{}">{}</a>', self.change_pattern.format(comment.pk), self.words["details"]
        )
        if comment.thread_id:
            links = format_html(
                '{} · <a href="{}">{}</a>',
                links,
                self.thread_pattern.format(comment.thread_id),
                self.words["thread"],
            )
        links = format_html('<span class="queue-links">{}</span>', links)
        if not self.can_moderate:
            return links
        return format_html(
            '<form method="post" role="group" aria-labelledby="queue-author-{pk}">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">'
            '<input type="hidden" name="comments" value="{pk}">'
            '<input type="hidden" name="seen-{pk}" value="{seen}">{controls}</form>{links}',
            pk=comment.pk,
            csrf=self.csrf,
            seen=comment.shown_version,
            controls=self.controls(str(comment.pk)),
            links=links,
        )

    def controls(self, origin: str) -> SafeString:
        """The reason, note, "tell the author" and decision buttons of one form.

        They differ from one form to the next only by the form's name
        (`origin`), unless the form is the one a refused decision came from.
        """
        if self.retry is not None and self.retry_origin == origin:
            return self._draw_controls(origin, self.retry.data)
        if self._control_pieces is None:
            self._control_pieces = self._draw_controls(str(SAMPLE_ID)).split(str(SAMPLE_ID))
        return SafeString(escape(origin).join(self._control_pieces))

    def _draw_controls(self, origin: str, retried_data=None) -> SafeString:
        retried = retried_data is not None
        data = retried_data if retried else {}
        return format_html(
            '<input type="hidden" name="origin" value="{origin}">'
            '<span class="queue-field"><label for="reason-{origin}">{reason}</label>'
            '<select name="reason" id="reason-{origin}">{options}</select></span>'
            '<span class="queue-field"><label for="note-{origin}">{note}</label>'
            '<input type="text" name="note" id="note-{origin}" maxlength="1000" '
            'value="{note_value}"{invalid}></span>'
            '<span class="queue-field"><input type="checkbox" name="tell_author" '
            'id="tell-{origin}"{tell_checked}> <label for="tell-{origin}">{tell}</label></span>'
            '<span class="queue-buttons">{buttons}</span>',
            origin=origin,
            reason=self.words["reason"],
            options=self._options(data.get("reason", "")) if retried else self.options,
            note=self.words["note"],
            note_value=data.get("note", ""),
            invalid=mark_safe(' aria-invalid="true" autofocus') if retried else "",
            tell_checked=mark_safe(" checked") if data.get("tell_author") else "",
            tell=self.words["tell"],
            buttons=self.buttons,
        )

    def _options(self, selected: str) -> SafeString:
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, mark_safe(" selected") if value == selected else "", label)
                for value, label in self.reasons
            ),
        )
