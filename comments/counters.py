"""The discussion counters kept on each article, counted again from its comments.

Every decision moves `Article.published_count` and `thread_count` with F()
in its own transaction (`Article.objects.mark_changed`); what goes around
the decisions (rows written in bulk, an erasure) counts them again here.
"""

from django.db import models
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from articles.models import Article

from .models import Comment


def recount(articles: QuerySet[Article]) -> None:
    """Count each discussion's published comments and threads again, from the comments."""
    published = Comment.objects.filter(article=OuterRef("pk"), status="approved")
    articles.update(
        published_count=Coalesce(_count(published), 0),
        thread_count=Coalesce(_count(published.filter(parent__isnull=True)), 0),
    )


def _count(comments: QuerySet[Comment]) -> Subquery:
    return Subquery(
        comments.order_by().values("article").annotate(n=Count("pk")).values("n"),
        output_field=models.IntegerField(),
    )
