from django import template

from comments.models import Comment

register = template.Library()


@register.simple_tag
def waiting_for_review() -> int:
    """How many comments wait for a moderator: shown in the admin's navigation on every page."""
    return Comment.objects.needs_review().count()
