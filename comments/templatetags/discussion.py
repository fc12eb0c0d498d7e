from django import template

from comments.models import Comment

register = template.Library()


@register.filter
def changeable_by(comment: Comment, reader_key: str) -> bool:
    """Whether the reader viewing the page may still edit or withdraw `comment`."""
    return comment.can_be_changed_by(reader_key)


@register.filter
def authored_by(comment: Comment, reader_key: str) -> bool:
    return comment.is_authored_by(reader_key)
