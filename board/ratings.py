"""Readers rate published proposals; each proposal keeps its totals, one rating per network."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from comments.models import Comment, Rating
from safeguards.networks import client_network


def rating_record(
    *,
    comment: Comment,
    reader_key: str,
    works: int,
    respects: int,
    ip_address: str | None = None,
    language: str = "",
) -> Rating:
    """A reader's rating of a published proposal: one per reader, changed in place.

    `language` is the one the reader reads the site in (their group in the
    common-ground figures); anything but a site language is stored as unknown.

    The proposal's figures count one rating per client network, the latest:
    a new browser on the same network replaces the earlier rating's part in
    them rather than adding to it. Its author's own rating is refused.
    """
    if not (comment.is_published and comment.is_proposal):
        raise ValidationError(_("Only published proposals can be rated."), code="not_rateable")
    if not reader_key:
        raise ValidationError(_("Your browser must accept cookies to rate."), code="no_reader")
    if _written_by(comment, reader_key):
        raise ValidationError(
            _("You cannot rate your own proposal: its figures are other readers' answers."),
            code="own_proposal",
        )
    with transaction.atomic():
        rating = _rating_save(
            comment=comment,
            reader_key=reader_key,
            network=client_network(ip_address),
            works=works,
            respects=respects,
            language=language if language in dict(settings.LANGUAGES) else "",
        )
        # After the comment's row, like every other change: one lock order, no deadlock.
        Article.objects.filter(pk=comment.article_id).mark_changed()
    return rating


def _written_by(comment: Comment, reader_key: str) -> bool:
    """Whether this browser wrote `comment`, or wrote under its address."""
    if comment.is_authored_by(reader_key):
        return True
    return bool(comment.author_email) and (
        Comment.objects.by_email(comment.author_email).filter(reader_key=reader_key).exists()
    )


def _rating_save(
    *, comment: Comment, reader_key: str, network: str, works: int, respects: int, language: str
) -> Rating:
    """Store the reader's rating as the counted one of its network; move the totals to match.

    The proposal's row is locked first, so the ratings of one proposal are
    saved one after another: which rating counts depends on the others from
    the same network. The totals move by what the ratings concerned counted
    before and after, in one F() update.
    """
    Comment.objects.select_for_update().filter(pk=comment.pk).values("pk").get()
    rating = Rating.objects.filter(comment=comment, reader_key=reader_key).first()
    left = rating.network if rating is not None and rating.counted else ""
    concerned = Rating.objects.filter(comment=comment).filter(
        Q(reader_key=reader_key) | Q(network__in={network, left} - {""})
    )
    before = concerned.counted().totals()
    if network:
        # The network's earlier rating, from another browser, stops counting.
        concerned.counted().filter(network=network).exclude(reader_key=reader_key).update(
            counted=False
        )
    now = timezone.now()
    if rating is None:
        # No other request of this reader can be storing one now: it would
        # be waiting for the lock above.
        rating = Rating.objects.create(
            comment=comment,
            reader_key=reader_key,
            network=network,
            works=works,
            respects=respects,
            language=language,
            created=now,
            updated=now,
        )
    else:
        Rating.objects.filter(pk=rating.pk).update(
            network=network,
            works=works,
            respects=respects,
            language=language,
            counted=True,
            updated=now,
        )
        rating.network, rating.works, rating.respects = network, works, respects
        rating.language = language
        rating.counted, rating.updated = True, now
    if left and left != network:
        # This browser's rating moved to another network: the latest one left
        # in the network it came from counts there again.
        latest = Rating.objects.filter(comment=comment, network=left).order_by("-updated", "-id")
        Rating.objects.filter(pk__in=latest.values("pk")[:1]).update(counted=True)
    raters, works_total, respects_total = concerned.counted().totals()
    change = {
        "rating_count": raters - before[0],
        "works_total": works_total - before[1],
        "respects_total": respects_total - before[2],
    }
    if any(change.values()):
        Comment.objects.filter(pk=comment.pk).update(
            **{field: F(field) + delta for field, delta in change.items()}
        )
    return rating
