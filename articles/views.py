from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from comments.forms import CommentForm
from comments.readers import reader_key
from comments.threads import Sort, discussion_page

from .models import Article


def home(request: HttpRequest) -> HttpResponse:
    articles = list(Article.objects.published()[:2])
    if len(articles) == 1:
        return _render_article(request, articles[0])
    return render(request, "articles/article_list.html", {"articles": Article.objects.published()})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_object_or_404(Article.objects.published(), slug=slug)
    return _render_article(request, article)


def _render_article(request: HttpRequest, article: Article) -> HttpResponse:
    discussion = discussion_page(
        article,
        reader_key=reader_key(request),
        sort=Sort.parse(request.GET.get("sort")),
        page_number=request.GET.get("page"),
    )
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "discussion": discussion,
            "form": CommentForm(article=article, strategies=discussion.strategies),
        },
    )
