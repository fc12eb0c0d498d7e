"""The newest published replies of an article, as an Atom feed."""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _

from articles.models import Article
from comments.models import Comment

from .views import get_published_article_or_404


class RepliesFeed(Feed):
    """The newest published replies of an article, as Atom."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Article:
        return get_published_article_or_404(slug)

    def title(self, article: Article) -> str:
        return _("Replies to “%(title)s”") % {"title": article.in_reader_language.title}

    def link(self, article: Article) -> str:
        return article.get_absolute_url()

    def subtitle(self, article: Article) -> str:
        return article.in_reader_language.question

    def items(self, article: Article) -> QuerySet[Comment]:
        return Comment.objects.for_article(article).visible().order_by("-created", "-id")[:50]

    def item_title(self, comment: Comment) -> str:
        return _("%(name)s: %(excerpt)s") % {
            "name": comment.author_name,
            "excerpt": comment.excerpt,
        }

    def item_description(self, comment: Comment) -> str:
        # Feed readers render this as HTML: the reader's text is escaped first.
        return linebreaks(comment.body, autoescape=True)

    def item_link(self, comment: Comment) -> str:
        return comment.get_absolute_url()

    def item_author_name(self, comment: Comment) -> str:
        return comment.author_name

    def item_pubdate(self, comment: Comment) -> datetime:
        return comment.created

    def item_updateddate(self, comment: Comment) -> datetime:
        return comment.edited or comment.created
