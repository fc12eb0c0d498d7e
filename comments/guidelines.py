"""The community guidelines: one section for each reason a moderator may give for a decision.

A rejection email links to the section of its reason, so the section ids
are made from the reason codes here, and the page's test holds every code
to a section.
"""

from django.conf import settings
from django.urls import reverse

from .models import Comment, ModerationDecision, Reason


def section_id(reason: str) -> str:
    """The id of the guidelines' section about `reason` ("personal_attack" → "personal-attack")."""
    return reason.replace("_", "-")


def guidelines_url(reason: str = "") -> str:
    """The guidelines page, at the section about `reason` when it is a reason code."""
    url = reverse("comments:guidelines")
    return f"{url}#{section_id(reason)}" if reason in Reason.values else url


def decision_guideline(decision: ModerationDecision) -> str:
    """The section a decision's author is sent to: its reason's; spam's for spam without one."""
    reason = decision.reason
    if not reason and decision.to_status == Comment.Status.SPAM:
        reason = Reason.SPAM
    return guidelines_url(reason)


def page_facts() -> dict:
    """What the guidelines say that the settings decide.

    Plain values: they also name the page's cached copy.
    """
    return {
        "max_links": settings.COMMENTS_MAX_LINKS,
        "edit_minutes": settings.COMMENTS_EDIT_WINDOW_MINUTES,
        "max_length": settings.COMMENTS_MAX_LENGTH,
        "contact_email": settings.CONTACT_EMAIL,
    }
