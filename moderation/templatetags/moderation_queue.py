from django import template

from moderation.queue import waiting_count

register = template.Library()


@register.simple_tag(takes_context=True)
def waiting_for_review(context) -> int:
    """Shown in the admin's navigation on every page."""
    return waiting_count(context["request"])
