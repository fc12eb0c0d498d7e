"""Load the Spanish translation of the article the site is built around.

The translation lives beside the original in articles/content/, as
<slug>.es.md, and is split the way the original was (0002): the title is its
first heading, the lede its first paragraph, and the closing question is set
apart from the body as the prompt of the discussion.

Nothing that is already stored is changed: a translation an editor already
entered stays as it is, and an article that is not there is not created.
Loading it bumps the article's version, so that pages cached before it are
drawn again with both languages. Going back removes the translation loaded
here only while it still reads as shipped: an editor's later changes are kept.
"""

from pathlib import Path

from django.db import migrations
from django.db.models import F
from django.utils import timezone

SLUG = "mexico-rejects-us-intervention"
LANGUAGE = "es"
SOURCE = Path(__file__).resolve().parent.parent / "content" / f"{SLUG}.{LANGUAGE}.md"
QUESTION = (
    "¿Qué estrategias crees que serían más eficaces para combatir el narcotráfico y, "
    "al mismo tiempo, respetar la soberanía nacional?"
)


def split_article(text: str) -> dict[str, str]:
    paragraphs = [block.strip() for block in text.split("\n\n") if block.strip()]
    closing = paragraphs[-1]
    if not closing.startswith(QUESTION):
        raise ValueError(f"{SOURCE.name} no longer ends with the discussion question")
    return {
        "title": paragraphs[0].removeprefix("# ").strip(),
        "lede": paragraphs[1],
        "body": "\n\n".join(paragraphs[2:-1]),
        "question": QUESTION,
    }


def load_translation(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleTranslation = apps.get_model("articles", "ArticleTranslation")
    article = Article.objects.filter(slug=SLUG).first()
    if article is None:
        return
    _translation, created = ArticleTranslation.objects.get_or_create(
        article=article, language=LANGUAGE, defaults=split_article(SOURCE.read_text())
    )
    if created:
        Article.objects.filter(pk=article.pk).update(
            version=F("version") + 1, content_changed=timezone.now()
        )


def remove_translation(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    ArticleTranslation = apps.get_model("articles", "ArticleTranslation")
    removed, _by_model = ArticleTranslation.objects.filter(
        article__slug=SLUG, language=LANGUAGE, **split_article(SOURCE.read_text())
    ).delete()
    if removed:
        Article.objects.filter(slug=SLUG).update(
            version=F("version") + 1, content_changed=timezone.now()
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_article_translations")]

    operations = [migrations.RunPython(load_translation, remove_translation)]
