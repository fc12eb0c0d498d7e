"""The named filters and orders of comments: `Comment.objects.visible()`, `.pending()`, …"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.db.models.query import ModelIterable
from django.utils import timezone

from articles.models import LOADED_LANGUAGES, LOADED_TRANSLATION, Article, translation_languages
from safeguards.emails import normalise_email

from .agreement import common_ground_score, group_aggregates, support_estimate
from .standing import CommentStatus
from .strategies import Strategy

# Where `with_article_in` reads, on each comment, its article's text and languages (the
# names a values_list() of it gives them by).
ARTICLE_TRANSLATION = "article_translation_in_language"
ARTICLE_LANGUAGES = "article_translated_into"


class _CommentsHandingTheirArticleItsText(ModelIterable):
    """Comments whose article receives the text and languages read with them: Django
    sets a filtered relation's row on the comment, the only model it can follow it from."""

    def __iter__(self):
        for comment in super().__iter__():
            setattr(
                comment.article, LOADED_TRANSLATION, getattr(comment, ARTICLE_TRANSLATION, None)
            )
            setattr(comment.article, LOADED_LANGUAGES, getattr(comment, ARTICLE_LANGUAGES))
            yield comment


class CommentQuerySet(models.QuerySet):
    def for_article(self, article: Article):
        return self.filter(article=article)

    def with_article_in(self, language: str):
        """The comments with their article, read in `language` in the same query, as
        `Article.objects.in_language(language)` reads it (for the pages that show its title)."""
        comments = self.annotate(
            **{
                ARTICLE_TRANSLATION: FilteredRelation(
                    "article__translations",
                    condition=Q(article__translations__language=language),
                ),
                ARTICLE_LANGUAGES: translation_languages(OuterRef("article")),
            }
        ).select_related("article", ARTICLE_TRANSLATION)
        comments._iterable_class = _CommentsHandingTheirArticleItsText
        return comments

    def with_answered_name(self):
        """Each comment with `answered_name`: whom it answers, when that is not its parent.

        Beyond the deepest level, a reply hangs under the parent of the
        comment it answers and names that comment's author instead, while it
        is published. One column rather than a second comment per row.
        """
        answers_another = Q(replying_to__status=CommentStatus.APPROVED) & ~Q(
            replying_to=F("parent")
        )
        return self.annotate(
            answered_name=Case(
                When(answers_another, then=F("replying_to__author_name")),
                default=Value(""),
                output_field=models.CharField(),
            )
        )

    def visible(self):
        return self.filter(status=CommentStatus.APPROVED)

    def visible_to(self, reader_key: str):
        """Published comments, plus the reader's own comments that still await moderation."""
        if not reader_key:
            return self.visible()
        return self.filter(
            Q(status=CommentStatus.APPROVED)
            | Q(status=CommentStatus.PENDING, reader_key=reader_key)
        )

    def pending(self):
        return self.filter(status=CommentStatus.PENDING)

    def shown_only_to(self, reader_key: str):
        """This reader's comments that pages show differently to them than to others:
        still pending, with an edit pending, or still in their edit window."""
        if not reader_key:
            return self.none()
        window_start = timezone.now() - timedelta(minutes=settings.COMMENTS_EDIT_WINDOW_MINUTES)
        return self.filter(reader_key=reader_key).filter(
            Q(status=CommentStatus.PENDING)
            | ~Q(pending_body="")
            | Q(status=CommentStatus.APPROVED, created__gte=window_start)
        )

    def needs_review(self):
        """Comments waiting for a moderator: new ones, and edits of published ones."""
        # Both halves use an index of their own; a plain OR of the two
        # conditions scans the whole table on SQLite.
        edits = self.model._default_manager.filter(~Q(pending_body="")).values("pk")
        return self.filter(Q(status=CommentStatus.PENDING) | Q(pk__in=edits))

    def count_needing_review(self) -> int:
        """New comments waiting, and edits of published ones: one query, each part on its index."""
        new = self.filter(status=CommentStatus.PENDING).values("pk")
        edits = self.filter(~Q(pending_body="")).exclude(status=CommentStatus.PENDING).values("pk")
        return new.union(edits, all=True).count()

    def reported(self):
        return self.filter(reports__resolved__isnull=True).distinct()

    def by_email(self, email: str):
        # However the address was typed: it is stored in its one form.
        return self.filter(author_email=normalise_email(email))

    def top_level(self):
        return self.filter(parent__isnull=True)

    # Editors' picks are a view of their own (`picks()`), not pinned above every order.
    def newest_first(self):
        return self.order_by("-created", "-id")

    def oldest_first(self):
        return self.order_by("created", "id")

    def picks(self):
        return self.filter(featured=True)

    def with_strategy_ids(self):
        """Annotate each comment with the ids of the strategies it names ("3,7"), in one query."""
        named = (
            Strategy.comments.through.objects.filter(comment=OuterRef("pk"))
            .order_by()
            .values("comment")
            # django-stubs cannot see an annotation on an automatic through model.
            .annotate(ids=StringAgg(Cast("strategy_id", models.CharField()), Value(",")))  # type: ignore[misc]
            .values("ids")
        )
        return self.annotate(strategy_ids=Subquery(named, output_field=models.CharField()))

    def most_supported_first(self):
        """By support (agreement.support_estimate), which weighs the number of raters."""
        return self.order_by(support_estimate().desc(), "-created", "-id")

    def with_group_figures(self):
        """Each comment with its counted ratings' figures per group of raters
        (`raters_en`, `favourable_en`, `works_en`, `respects_en`, …) and
        `common_ground`, their score (agreement.common_ground_score): one query."""
        return self.annotate(**group_aggregates("ratings__")).annotate(
            common_ground=common_ground_score()
        )

    def common_ground_first(self):
        return self.with_group_figures().order_by("-common_ground", "-created", "-id")
