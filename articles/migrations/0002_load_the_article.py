"""Load the article the site is built around, so a fresh database serves it.

The text lives in articles/content/ as the newsroom delivered it (Markdown).
The title is its first heading, the lede its first paragraph, and the closing
question is set apart from the body as the prompt of the discussion.
"""

from pathlib import Path

from django.db import migrations

SLUG = "mexico-rejects-us-intervention"
SOURCE = Path(__file__).resolve().parent.parent / "content" / f"{SLUG}.md"
QUESTION = (
    "What strategies do you believe would be most effective in combating drug "
    "trafficking while respecting national sovereignty?"
)


def split_article(text: str) -> dict[str, str]:
    paragraphs = [block.strip() for block in text.split("\n\n") if block.strip()]
    title = paragraphs[0].removeprefix("# ").strip()
    lede = paragraphs[1]
    closing = paragraphs[-1]
    if not closing.startswith(QUESTION):
        raise ValueError(f"{SOURCE.name} no longer ends with the discussion question")
    return {
        "title": title,
        "lede": lede,
        "body": "\n\n".join(paragraphs[2:-1]),
        "question": QUESTION,
    }


def load_article(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.update_or_create(slug=SLUG, defaults=split_article(SOURCE.read_text()))


def remove_article(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Article.objects.filter(slug=SLUG, comments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(load_article, remove_article)]
