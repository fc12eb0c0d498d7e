from django import template

from comments.models import Comment
from comments.presentation import CommentRenderer
from comments.threads import Node

register = template.Library()


@register.filter
def changeable_by(comment: Comment, reader_key: str) -> bool:
    """Whether the reader viewing the page may still edit or withdraw `comment`."""
    return comment.can_be_changed_by(reader_key)


@register.filter
def authored_by(comment: Comment, reader_key: str) -> bool:
    return comment.is_authored_by(reader_key)


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
