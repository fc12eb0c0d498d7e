"""What one page of the moderation queue shares between its comments, for its partials.

The page's comments and their decision forms are drawn by Jinja2 partials
(templates/moderation/_queue_items.jinja and _decision_controls.jinja), through
Django's backend, like the other partials drawn many times a page
(sovereignty_forum/jinja2.py). A QueueScreen holds what every item and form
of one page shares, worked out once: the CSRF token, the reasons and decisions
in the page's language, the links, the clock, and the refused decision to show
again. What is the same in every form (the menu of reasons, the buttons) the
controls partial draws once per page.

Measured against the Python string-building it replaced, on a page of 20
comments, both drawn in one process in turn: the whole page costs 1.25× what it
did (the queue may cost up to 1.6×), with the same queries; so the old trick of
drawing a form once and splitting it around the comment's id is not kept.

The partials are never given the request: Django's backend would then add a
`csrf_token` of its own, a new get_token() call each time a form used it.
Every form of the page carries the page's one token.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template import engines
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.functional import Promise, cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

from comments.models import SAMPLE_ID, SovereigntyMode, Strategy
from comments.moments import Moments

ITEMS = "moderation/_queue_items.jinja"
BULK_CONTROLS = "moderation/_bulk_controls.jinja"


def draw(partial: str, **context: Any) -> SafeString:
    """One of the queue's partials as HTML, drawn without the request."""
    html = engines["jinja2"].get_template(partial).render(context)
    return mark_safe(html)  # noqa: S308 - rendered by the autoescaping Jinja2 engine


class QueueScreen:
    """One page of the queue for one moderator, in one language."""

    def __init__(
        self,
        request: HttpRequest,
        *,
        reasons: Iterable[tuple[str, str | Promise]],
        decisions: Iterable[tuple[str, str | Promise]],
        reported_decisions: Iterable[tuple[str, str | Promise]],
        keys: Mapping[str, str],
        can_moderate: bool,
        retry: forms.Form | None = None,
    ):
        self.can_moderate = can_moderate
        # A refused decision is shown again in the form it came from.
        self.retry = retry
        self.retry_origin = retry.data.get("origin") if retry is not None else None
        # One token for every form of the page, the admin's own included.
        self.csrf_token = get_token(request)
        self.reasons = [(value, str(label)) for value, label in reasons]
        self.decisions = [(value, str(label)) for value, label in decisions]
        self.reported_decisions = [(value, str(label)) for value, label in reported_decisions]
        self.keys = dict(keys)
        self.sovereignty_modes = [(value, str(label)) for value, label in SovereigntyMode.choices]
        self.languages = {code: str(name) for code, name in settings.LANGUAGES}
        self.moments = Moments()
        self._titles: dict[str, str] = {}
        # Reversed once: a page shows dozens of these links.
        self.changelist = reverse("admin:comments_comment_changelist")
        self._change_pattern = reverse("admin:comments_comment_change", args=[SAMPLE_ID])
        self._thread_pattern = reverse("comments:thread", kwargs={"pk": SAMPLE_ID})

    def refused_data(self, origin: str) -> Mapping[str, Any] | None:
        """What was sent with the refused decision, if it came from the form `origin`."""
        if self.retry is not None and self.retry_origin == origin:
            return self.retry.data
        return None

    def title(self, title: str) -> str:
        if title not in self._titles:
            self._titles[title] = truncatechars(title, 60)
        return self._titles[title]

    @cached_property
    def strategies(self) -> list[tuple[int, str]]:
        """Every strategy a proposal may name: read once, on a page that shows a proposal."""
        return [(strategy.pk, strategy.label) for strategy in Strategy.objects.all()]

    def strategy_names(self, ids: list[int]) -> str:
        names = dict(self.strategies)
        return ", ".join(names[pk] for pk in ids if pk in names)

    def reports(self, count: int) -> str:
        return ngettext("%(n)d report", "%(n)d reports", count) % {"n": count}

    def reporters(self, count: int) -> str:
        return ngettext(
            "Reported by %(n)d reader", "Reported by %(n)d different readers", count
        ) % {"n": count}

    def change_url(self, pk: int) -> str:
        return self._change_pattern.replace(str(SAMPLE_ID), str(pk))

    def thread_url(self, pk: int) -> str:
        return self._thread_pattern.replace(str(SAMPLE_ID), str(pk))
