"""Revise and resubmit: a second chance for a reply rejected for a reason its author can fix.

When a moderator rejects a reply for incivility, being off-topic, personal
data or misinformation and tells its author why, the email carries a signed
link, valid for a week from its sending, to a page that shows the reason,
the guideline it refers to and the rejected text, in a form to revise it.
The revision is posted through `posting.comment_revise`, the same checks as
any reply (the rate limits, the reply form, the automatic checks), and waits
for a moderator in the place of the original, linked to it (`revision_of`).

One revision per rejection, and none of a revision: a second chance, not a
way to argue with the moderators one draft at a time. Spam, a rejection for
any other reason, a refused edit of a published reply (the reply stays
published) and senders who are blocked or have been marked as spammers get
no link.

The token carries the decision's id only: the link is the author's, as the
email is, and shows what the email already quotes.
"""

from dataclasses import dataclass

from django.core import signing
from django.db.models import Exists, FilteredRelation, OuterRef, Q, Subquery
from django.urls import reverse

from . import automatic_checks
from .guidelines import guidelines_url
from .models import Comment, ModerationDecision, Reason

# The reasons a reader can put right by rewriting; a personal attack, spam and
# "other" are not offered a second chance.
FIXABLE_REASONS = frozenset(
    {Reason.INCIVILITY, Reason.OFF_TOPIC, Reason.PERSONAL_DATA, Reason.MISINFORMATION}
)
REVISE_SALT = "sovereignty-forum.revise-reply"
REVISION_LINK_DAYS = 7
REVISION_LINK_MAX_AGE = 60 * 60 * 24 * REVISION_LINK_DAYS

# Where the decision the link was sent about is read with its comment, in one query.
_TOLD = "revision_link_decision"


def offers_revision(decision: ModerationDecision) -> bool:
    """Whether the email telling the author about `decision` offers to revise their reply."""
    comment = decision.comment
    if not (
        decision.to_status == Comment.Status.REJECTED
        and decision.reason in FIXABLE_REASONS
        and not decision.edit
        and comment.status == Comment.Status.REJECTED
        and comment.revision_of_id is None
    ):
        return False
    if automatic_checks.is_blocked(email=comment.author_email, ip_address=comment.ip_address):
        return False
    return (
        not Comment.objects.by_email(comment.author_email)
        .filter(status=Comment.Status.SPAM)
        .exists()
    )


def revision_path(decision: ModerationDecision) -> str:
    token = signing.dumps(decision.pk, salt=REVISE_SALT)
    return reverse("comments:revise", kwargs={"token": token})


class LinkRefused(Exception):
    """The link cannot be used: `why` is one of the constants below, each a page of its own."""

    TAMPERED = "tampered"
    EXPIRED = "expired"
    USED = "used"
    # The reply was decided again, its discussion closed or the reply it answers removed.
    UNAVAILABLE = "unavailable"

    def __init__(self, why: str, original: Comment | None = None):
        super().__init__(why)
        self.why = why
        self.original = original


@dataclass(frozen=True)
class RevisionLink:
    """What a valid link opens: the rejected reply, and the decision its author was told of."""

    original: Comment
    decision: ModerationDecision

    @property
    def guideline_url(self) -> str:
        return guidelines_url(self.decision.reason)

    @property
    def answered(self) -> Comment | None:
        """The comment the reply answers (None for an answer to the article's question)."""
        return self.original.replying_to or self.original.parent


def decision_id(token: str) -> int:
    try:
        pk = signing.loads(token, salt=REVISE_SALT, max_age=REVISION_LINK_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkRefused(LinkRefused.EXPIRED) from None
    except signing.BadSignature:
        raise LinkRefused(LinkRefused.TAMPERED) from None
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise LinkRefused(LinkRefused.TAMPERED)
    return pk


def open_link(token: str, *, language: str) -> RevisionLink:
    """The reply a revision link may revise, read in one query with what its page shows.

    Raises LinkRefused when the link was changed, has expired, was used, or
    the reply can no longer be revised.
    """
    pk = decision_id(token)
    latest_decision = (
        ModerationDecision.objects.filter(comment=OuterRef("pk"))
        .order_by("-created", "-id")
        .values("pk")[:1]
    )
    original = (
        Comment.objects.with_article_in(language)
        .select_related("replying_to", "parent")
        .annotate(
            **{_TOLD: FilteredRelation("decisions", condition=Q(decisions__pk=pk))},
            latest_decision=Subquery(latest_decision),
            revised=Exists(Comment.objects.filter(revision_of=OuterRef("pk"))),
        )
        .select_related(_TOLD)
        .filter(**{f"{_TOLD}__isnull": False})
        .first()
    )
    if original is None:
        raise LinkRefused(LinkRefused.TAMPERED)
    if original.revised:
        raise LinkRefused(LinkRefused.USED, original)
    decision = getattr(original, _TOLD)
    link = RevisionLink(original=original, decision=decision)
    answered = link.answered
    if (
        original.latest_decision != decision.pk
        or original.revision_of_id is not None
        or original.status != Comment.Status.REJECTED
        or decision.reason not in FIXABLE_REASONS
        or not original.article.accepts_replies
        or (answered is not None and not answered.is_published)
    ):
        raise LinkRefused(LinkRefused.UNAVAILABLE, original)
    return link


def author_email(token: str) -> str:
    """The address a link's revision is posted from (its original's), for the rate limits."""
    try:
        pk = decision_id(token)
    except LinkRefused:
        return ""
    email = ModerationDecision.objects.filter(pk=pk).values_list("comment__author_email")[:1]
    return next(iter(email), ("",))[0]
