"""Readers report a published comment; enough reports hide it until a moderator reads it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safeguards.networks import client_network

from . import notifications
from .models import Comment, Report, Rule


def report_create(
    *, comment: Comment, reason: str, text: str, reader_key: str, ip_address: str | None
) -> Report:
    """A reader reports a published comment, once; enough reports hide it for a moderator.

    Towards hiding it, reports count once per client network, and never its
    own author's: a cookie is not a person, and private windows cost nothing.
    Every report is kept and shown to the moderators all the same.
    """
    if not comment.is_published:
        raise ValidationError(_("Only published comments can be reported."), code="not_published")
    report = Report(
        comment=comment,
        reason=reason,
        text=text,
        reader_key=reader_key,
        ip_address=ip_address,
        network=client_network(ip_address),
    )
    report.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ValidationError(
            _("You have already reported this comment. Thank you; moderators will look at it."),
            code="already_reported",
        ) from None
    reporters = comment.reports.open().not_by_author_of(comment).people()
    if reporters >= settings.COMMENTS_REPORT_HIDE_THRESHOLD:
        comment.decide(
            Comment.Status.PENDING,
            by=None,
            rule=Rule.REPORTS,
            rule_detail=str(reporters),
        )
        if settings.COMMENTS_MODERATOR_NOTIFICATIONS == "immediate":
            notifications.after_commit(
                notifications.tell_moderators_a_comment_waits,
                notifications.waiting_summary(
                    comment, hidden_by=comment.reports.open().order_by("created", "pk")
                ),
            )
    return report
