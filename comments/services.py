"""Creating comments: the rules that span an article, a thread and a reader."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from articles.models import Article

from .models import Comment


def check_discussion_open(article: Article) -> None:
    if not article.discussion_open:
        raise ValidationError(
            _("The discussion of this article is closed; new replies are not accepted."),
            code="closed",
        )


def reply_target(*, article: Article, parent_id: int | None) -> Comment | None:
    """The published comment of `article` that a reply answers, or None for a top-level reply."""
    if parent_id is None:
        return None
    parent = Comment.objects.filter(pk=parent_id, article=article).visible().first()
    if parent is None:
        raise ValidationError(
            _("The comment you are replying to is not published in this discussion."),
            code="invalid_parent",
        )
    return parent


def attach_point(parent: Comment | None) -> Comment | None:
    """Where a reply to `parent` goes: under it, or beside it once the thread is at full depth."""
    if parent is not None and parent.depth >= settings.COMMENTS_MAX_DEPTH:
        return parent.parent
    return parent


def comment_create(
    *,
    article: Article,
    author_name: str,
    author_email: str,
    body: str,
    parent: Comment | None = None,
    reader_key: str = "",
    ip_address: str | None = None,
) -> Comment:
    """Store a reader's reply; it waits for moderation before anyone else sees it."""
    check_discussion_open(article)
    if parent is not None:
        parent = reply_target(article=article, parent_id=parent.pk)
    attach_to = attach_point(parent)
    comment = Comment(
        article=article,
        parent=attach_to,
        root=(attach_to.root or attach_to) if attach_to else None,
        depth=attach_to.depth + 1 if attach_to else 1,
        author_name=author_name,
        author_email=author_email,
        body=body,
        reader_key=reader_key,
        ip_address=ip_address,
    )
    comment.full_clean()
    comment.save()
    return comment
