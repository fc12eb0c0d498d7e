"""Each rating records its rater's language; "most supported" orders by support.

Ratings given before the language was recorded take the language of their
rater's latest comment (the same browser, so the same reader), when that
reader wrote any: a reader who writes in Spanish reads the site in Spanish.
The others stay unknown (""): they count in their proposal's figures, as
before, but in no language group's common-ground figures, rather than be
placed in a group by guesswork.
"""

import django.db.models.expressions
import django.db.models.functions.comparison
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def rater_language_from_their_comments(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    Rating = apps.get_model("comments", "Rating")
    latest = (
        Comment.objects.filter(reader_key=OuterRef("reader_key"))
        .order_by("-created", "-id")
        .values("language")[:1]
    )
    Rating.objects.filter(language="").exclude(reader_key="").update(
        language=Coalesce(Subquery(latest), Value(""))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_article_byline"),
        ("comments", "0015_threads_without_pinned_picks"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="comment",
            name="comments_supported_idx",
        ),
        migrations.AddField(
            model_name="rating",
            name="language",
            field=models.CharField(
                blank=True,
                choices=[("en", "English"), ("es", "Spanish")],
                default="",
                max_length=8,
                verbose_name="language",
            ),
        ),
        migrations.RunPython(rater_language_from_their_comments, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                django.db.models.expressions.CombinedExpression(
                    django.db.models.functions.comparison.Cast(
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                models.F("works_total"), "+", models.F("respects_total")
                            ),
                            "+",
                            models.Value(30),
                        ),
                        models.FloatField(),
                    ),
                    "/",
                    django.db.models.expressions.CombinedExpression(
                        models.Value(2),
                        "*",
                        django.db.models.expressions.CombinedExpression(
                            models.F("rating_count"), "+", models.Value(5)
                        ),
                    ),
                ),
                models.F("article"),
                condition=models.Q(("parent__isnull", True), ("status", "approved")),
                name="comments_supported_idx",
            ),
        ),
    ]
