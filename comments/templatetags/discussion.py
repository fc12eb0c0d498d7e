from typing import Any, Protocol, cast

from django import template
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.utils.safestring import SafeString, mark_safe

from comments import notices
from comments.models import Comment
from comments.partials import CommentPage
from comments.threads import Node, Thread

register = template.Library()

PARTIAL = "comments/_comment_tree.jinja"


class CommentTree(Protocol):
    """The partial's macros, as made into a module for one page."""

    def tree(self, node: Node) -> str: ...

    def thread(self, thread: Thread) -> str: ...


@register.simple_tag(takes_context=True)
def comment_tree(context: template.Context, node: Node | Comment) -> SafeString:
    """A comment (a Node, or a bare Comment) and its replies, as the discussion shows them."""
    html = _partial(context).tree(node if isinstance(node, Node) else Node(node))
    return mark_safe(html)  # noqa: S308 - drawn by the autoescaping Jinja2 engine


@register.simple_tag(takes_context=True)
def thread_items(context: template.Context, threads: Thread | list[Thread]) -> SafeString:
    """Threads as the pages of threads list them, each an `<li>` (see the partial's `thread`).

    One tag for the page's threads rather than an {% include %} of a Django
    template for each: those cost a page of 20 threads about a fifth of its time.
    """
    partial = _partial(context)
    listed = [threads] if isinstance(threads, Thread) else threads
    return mark_safe("\n".join(partial.thread(thread) for thread in listed))  # noqa: S308 - drawn by the autoescaping Jinja2 engine


def _partial(context: template.Context) -> CommentTree:
    """The partial's macros with the page's CommentPage, made once for the whole render.

    A page draws many trees (one per thread): they share the page's links,
    words and clock, and the links under each kind of comment, drawn once.
    Kept where {% include %} keeps its templates, for the render of the page
    rather than of each included template.
    """
    article = context.get("article")
    reader_key: str = context.get("reader_key") or ""
    accepts_replies = bool(article and article.accepts_replies)
    # Django's stubs say this dictionary holds text; {% include %} keeps templates in it.
    whole_render = cast(dict[Any, Any], context.render_context.dicts[0])
    partials = whole_render.setdefault(PARTIAL, {})
    key = (reader_key, accepts_replies)
    if key not in partials:
        page = CommentPage(
            reader_key=reader_key,
            accepts_replies=accepts_replies,
            notices=notices.by_comment(context.get("messages")),
        )
        jinja = cast(Jinja2, engines["jinja2"])
        # Only `page`: given `request`, Django's Jinja2 backend would add this
        # visitor's CSRF token, and the page cache would serve it to everyone.
        partials[key] = jinja.env.get_template(PARTIAL).make_module({"page": page})
    return cast(CommentTree, partials[key])
