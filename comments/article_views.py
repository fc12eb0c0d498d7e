"""The article pages: the home page, and the article with a page of its discussion, served
from the page cache to anonymous readers (the article page is the discussion's reader page)."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from articles.models import Article
from articles.page_cache import ArticleState, article_state, cached_page, is_shareable, remembered

from .models import Comment
from .readers import reader_key
from .reply_forms import shared_reply_form
from .threads import (
    DiscussionQuery,
    discussion_page,
    page_count,
    parse_page_number,
    threads_under_unavailable_openers,
    unavailable_openers_page,
)


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
        return _article_page(request, articles[0], key, path=reverse("articles:home"))
    return render(request, "articles/article_list.html", {"articles": Article.objects.published()})


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    key = reader_key(request)
    article: Article | ArticleState
    if not key and is_shareable(request):
        # The common case, an anonymous reader: the article's text is read
        # only if its page must be drawn.
        state, loaded = article_state(slug)
        if state is None or not state.is_published:
            raise Http404
        # The article, when it had to be read, is drawn without reading it again.
        article = loaded or state
    else:
        article = get_object_or_404(_published_for(key), slug=slug)
    return _article_page(request, article, key, path=article.get_absolute_url())


def _article_page(
    request: HttpRequest, article: Article | ArticleState, key: str, *, path: str
) -> HttpResponse:
    personal = getattr(article, "personal", False)
    # A page everyone shares is named by the page it shows: a number beyond
    # the last page is the last page. A reader's own page is not shared, and
    # may have a page more, of their own threads awaiting moderation.
    shared = not personal and is_shareable(request)
    query = DiscussionQuery()  # Most requests: request.GET is not even built.
    if request.META.get("QUERY_STRING"):
        query = DiscussionQuery.parse(
            request.GET, count_pages=_page_counter(article) if shared else None
        )

    def draw(extra_context: dict) -> HttpResponse:
        loaded = (
            get_object_or_404(Article.objects.published(), pk=article.pk)
            if isinstance(article, ArticleState)
            else article
        )
        return _draw_article(request, loaded, key, query, extra_context)

    return cached_page(request, article, draw, address=path + query.suffix, personal=personal)


def _page_counter(article: Article | ArticleState):
    def count(language: str) -> int:
        if not language:
            return page_count(article)  # The article's own counter: no query.
        # One language's threads are counted, once for each version of the article.
        return remembered(
            article, f"pages-{language}", lambda: page_count(article, language=language)
        )

    return count


def _draw_article(
    request: HttpRequest, article: Article, key: str, query: DiscussionQuery, extra_context: dict
) -> HttpResponse:
    discussion = discussion_page(
        article,
        reader_key=key,
        sort=query.sort,
        page_number=query.page,
        language=query.language,
    )
    context = {"article": article, "discussion": discussion}
    if query.threads_only:
        # htmx asks for the next page's threads alone, to add them in place.
        template = "comments/_more_threads.html"
    elif discussion.page.number > 1:
        # A later page of threads is the discussion alone, with a link back to
        # the article and its form: a reader reading on pays for neither again.
        template = "comments/discussion_page.html"
    else:
        template = "articles/article_detail.html"
        context["reply_form"] = shared_reply_form(article, discussion.strategies)
    return render(request, template, {**context, **extra_context})


def unavailable_openers(request: HttpRequest, slug: str) -> HttpResponse:
    """The threads whose first comment is no longer available, with their published replies."""
    article = get_object_or_404(Article.objects.published(), slug=slug)
    count = remembered(
        article,
        "unavailable-openers",
        lambda: threads_under_unavailable_openers(article).count(),
    )
    number = parse_page_number(
        request.GET.get("page"),
        last=lambda: max(1, -(-count // settings.COMMENTS_THREADS_PER_PAGE)),
    )

    def draw(extra_context: dict) -> HttpResponse:
        listing = unavailable_openers_page(article, count=count, page_number=number)
        context = {"article": article, "listing": listing, **extra_context}
        return render(request, "comments/unavailable_openers.html", context)

    address = reverse("articles:unavailable-openers", kwargs={"slug": article.slug})
    address += f"?page={number}" if number > 1 else ""
    return cached_page(request, article, draw, address=address)
