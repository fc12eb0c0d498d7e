"""Opening, closing and scheduling an article's discussion: an editor's decision, on the record.

Whether readers may reply at all is the newsroom's decision, not a
moderator's: only an editor (the `articles.close_discussion` permission,
which the "Editors" group and superusers hold) may change it, and every
change is kept as a DiscussionChange saying who, when, and what the
discussion was before and after. Every screen that changes it (the
articles' list actions, the article's own page) goes through here.
"""

from datetime import datetime
from typing import Final

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet

from .models import Article, DiscussionChange

CLOSE_DISCUSSION = "articles.close_discussion"
DISCUSSION_FIELDS: Final = ("discussion_open", "discussion_closes")


class _Keep:
    """The closing date as it is: `change_discussion(..., closes=KEEP)`."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()


def may_change_discussion(user) -> bool:
    return user.is_active and user.has_perm(CLOSE_DISCUSSION)


def change_discussion(
    *,
    articles: QuerySet[Article],
    by,
    is_open: bool | None = None,
    closes: datetime | _Keep | None = KEEP,
) -> list[DiscussionChange]:
    """Open or close (`is_open`) the discussions of `articles` and/or set their closing date.

    `None` and `KEEP` leave that field as each article has it. Articles whose
    discussion is already so are left alone and get no record. Returns the
    changes recorded. Raises PermissionDenied unless `by` is an editor.
    """
    if not may_change_discussion(by):
        raise PermissionDenied
    changes = []
    with transaction.atomic():
        # Locked, so that two editors at once each record what they really changed.
        current = articles.select_for_update().order_by("pk").only(*DISCUSSION_FIELDS)
        for article in current:
            open_after = article.discussion_open if is_open is None else is_open
            closes_after = article.discussion_closes if isinstance(closes, _Keep) else closes
            if (open_after, closes_after) == (article.discussion_open, article.discussion_closes):
                continue
            Article.objects.filter(pk=article.pk).update(
                discussion_open=open_after, discussion_closes=closes_after
            )
            changes.append(
                DiscussionChange(
                    article=article,
                    editor=by,
                    open_before=article.discussion_open,
                    open_after=open_after,
                    closes_before=article.discussion_closes,
                    closes_after=closes_after,
                )
            )
        if changes:
            DiscussionChange.objects.bulk_create(changes)
            Article.objects.filter(pk__in=[change.article_id for change in changes]).mark_changed()
    return changes
