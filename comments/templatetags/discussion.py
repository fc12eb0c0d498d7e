from django import template

from comments.presentation import CommentRenderer
from comments.threads import Node

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_tree(context, node) -> str:
    """A comment (a Node, or a bare Comment) and its replies, as the discussion shows them."""
    renderer = context.render_context.get("comment_renderer")
    if renderer is None:
        article = context.get("article")
        renderer = context.render_context["comment_renderer"] = CommentRenderer(
            reader_key=context.get("reader_key", ""),
            accepts_replies=bool(article and article.accepts_replies),
        )
    return renderer.tree(node if isinstance(node, Node) else Node(node))
