"""What the article and discussion pages tell search engines as schema.org data (JSON-LD).

The article is a NewsArticle; its discussion a DiscussionForumPosting whose
`comment`s are the published replies the page shows, nested as they are
shown. Only published text goes in, whoever is reading: a reader's own
reply awaiting moderation is on their page, never in its data.
"""

from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

from articles.models import Article, ArticleText

from .models import Comment, comment_url
from .threads import Node, ShownReply, Thread

DESCRIPTION_LENGTH = 160


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def description(text: str) -> str:
    """A meta description: the first words of `text`, on one line, cut between words."""
    line = " ".join(text.split())
    if len(line) <= DESCRIPTION_LENGTH:
        return line
    return line[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def publisher() -> dict:
    return {"@type": "Organization", "name": _("Sovereignty Forum"), "url": absolute("/")}


def news_article(article: Article, text: ArticleText, *, path: str) -> dict:
    """The article as `text` gives it (a language's words), at `path`, its canonical address."""
    url = absolute(path)
    return {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "mainEntityOfPage": url,
        "url": url,
        "headline": text.title,
        "description": description(text.lede),
        "datePublished": article.published,
        "inLanguage": text.language,
        "author": {"@type": "Person", "name": article.byline} if article.byline else publisher(),
        "publisher": publisher(),
        "isAccessibleForFree": True,
        "discussionUrl": url + "#discussion",
        "commentCount": article.published_count,
    }


def discussion_posting(
    article: Article, threads: Iterable[Thread], *, text: ArticleText, path: str = ""
) -> dict:
    """The article's discussion, its question as `text` asks it, with the published comments
    of `threads` as its comments; part of the article at `path` (its own address by default)."""
    url = absolute(path or article.get_absolute_url())
    return {
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        "@id": url + "#discussion",
        "url": url + "#discussion",
        "headline": text.question,
        "text": text.question,
        "inLanguage": text.language,
        "author": publisher(),
        "datePublished": article.published,
        "isPartOf": {"@id": url},
        "commentCount": article.published_count,
        "comment": [item for thread in threads for item in published_items(thread.root)],
    }


def published_items(node: Node) -> list[dict]:
    """`node` as Comment items: itself with its replies when published; else only the
    published replies under it (a removed or pending comment leaves its published replies)."""
    replies = [item for child in node.children for item in published_items(child)]
    comment = node.comment
    if comment is None or not comment.is_published:
        return replies
    return [comment_item(comment, replies)]


def comment_item(comment: Comment | ShownReply, replies: list[dict]) -> dict:
    url = absolute(comment_url("permalink", comment.pk))
    item: dict = {
        "@type": "Comment",
        "@id": url,
        "url": url,
        "author": {"@type": "Person", "name": comment.author_name},
        "datePublished": comment.created,
        # The approved text: an edit awaiting moderation is in `pending_body`.
        "text": comment.body,
        "inLanguage": comment.language,
    }
    if replies:
        item["comment"] = replies
    return item
