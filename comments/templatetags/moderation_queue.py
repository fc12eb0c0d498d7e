from django import template

from comments.models import WAITING_COUNT

register = template.Library()


def waiting_count(request) -> int:
    """How many comments wait for a moderator, read once per request however often shown."""
    if not hasattr(request, "_comments_waiting"):
        request._comments_waiting = WAITING_COUNT.get()
    return request._comments_waiting


@register.simple_tag(takes_context=True)
def waiting_for_review(context) -> int:
    """Shown in the admin's navigation on every page."""
    return waiting_count(context["request"])
