from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from comments.forms import CommentForm
from comments.models import Comment
from comments.readers import reader_key
from comments.threads import Sort, discussion_page, parse_language

from .models import Article
from .page_cache import cached_article_page, cached_page, is_shareable


def _published_for(key: str):
    """Published articles; for a reader, also whether they show this reader something of theirs."""
    articles = Article.objects.published()
    if not key:
        return articles
    own = Comment.objects.filter(article=OuterRef("pk")).shown_only_to(key)
    return articles.annotate(personal=Exists(own))


def home(request: HttpRequest) -> HttpResponse:
    key = reader_key(request)
    articles = list(_published_for(key)[:2])
    if len(articles) == 1:
        return _render_article(request, articles[0], key)
    return render(request, "articles/article_list.html", {"articles": Article.objects.published()})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    key = reader_key(request)
    if not key and is_shareable(request):
        # The common case: an anonymous reader, answered from the cache alone.
        return cached_article_page(
            request,
            slug,
            lambda extra_context, article: _draw_article(request, article, key, extra_context),
        )
    article = get_object_or_404(_published_for(key), slug=slug)
    return _render_article(request, article, key)


def _render_article(request: HttpRequest, article: Article, key: str) -> HttpResponse:
    personal = getattr(article, "personal", False)
    return cached_page(
        request,
        article,
        lambda extra_context: _draw_article(request, article, key, extra_context),
        personal=personal,
    )


def _draw_article(
    request: HttpRequest, article: Article, key: str, extra_context: dict
) -> HttpResponse:
    discussion = discussion_page(
        article,
        reader_key=key,
        sort=Sort.parse(request.GET.get("sort")),
        page_number=request.GET.get("page"),
        language=parse_language(request.GET.get("lang")),
    )
    context = {
        "article": article,
        "discussion": discussion,
        "form": CommentForm(article=article, strategies=discussion.strategies),
    }
    # htmx asks for the next page's threads alone, to add them in place.
    template = (
        "comments/_more_threads.html"
        if request.GET.get("fragment") == "threads"
        else "articles/article_detail.html"
    )
    return render(request, template, {**context, **extra_context})
