"""The article's reply form, drawn once per version of the article and language.

The form that answers the article is the same for every reader: its
per-response values (the CSRF token, the form's stamp) are the page cache's
placeholders, filled in by each response. Drawn for every page of the
article it was a third of an uncached page's time, so it is drawn once for
each version of the article (which every change readers see moves), language
and open or closed discussion, and kept in this process.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from articles.models import Article
from articles.page_cache import CSRF_PLACEHOLDER, drawing_page

from .forms import CommentForm
from .models import Strategy

# A few versions at most: an article's older versions are never drawn again.
_KEPT = 32
_drawn: dict[tuple[int, int, str, bool], SafeString] = {}


def shared_reply_form(
    article: Article, strategies: list[Strategy], *, author: dict[str, str] | None = None
) -> SafeString:
    """The reply form under the article, with placeholders for what each response fills in.

    `author`, the name and email this browser remembers (comments.readers), makes
    the form this reader's own: drawn for them alone, never kept.
    """
    key = (article.pk, article.version, get_language(), article.accepts_replies)
    shared = drawing_page() and not author
    drawn = _drawn.get(key) if shared else None
    if drawn is None:
        context = {
            "article": article,
            "form": CommentForm(article=article, strategies=strategies, initial=author or None),
            "parent": None,
            "csrf_token": CSRF_PLACEHOLDER,
        }
        drawn = mark_safe(render_to_string("comments/_reply_form.html", context))  # noqa: S308 - a template's output
        if shared:
            if len(_drawn) >= _KEPT:
                _drawn.clear()
            _drawn[key] = drawn
    return drawn
