"""The article pages: the home page, and the article with a page of its discussion, served
from the page cache to anonymous readers (the article page is the discussion's reader page)."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language

from articles.languages import read_in
from articles.models import Article, read_article
from articles.page_cache import ArticleState, article_state, cached_page, is_shareable, remembered

from . import live, structured_data
from .models import Comment
from .readers import reader_key, remembered_author
from .reply_forms import shared_reply_form
from .threads import (
    DiscussionQuery,
    ThreadPages,
    discussion_page,
    page_count,
    parse_page_number,
    threads_under_unavailable_openers,
    unavailable_openers_page,
)


def _published_for(key: str):
    """Published articles; for a reader, also whether they show this reader something of theirs."""
    articles = Article.objects.published().in_language(get_language())
    if not key:
        return articles
    own = Comment.objects.filter(article=OuterRef("pk")).shown_only_to(key)
    return articles.annotate(personal=Exists(own))


def home(request: HttpRequest) -> HttpResponse:
    key = reader_key(request)
    articles = list(_published_for(key)[:2])
    if len(articles) == 1:
        return _article_page(request, articles[0], key, path=reverse("articles:home"))
    articles = Article.objects.published().in_language(get_language())
    return render(request, "articles/article_list.html", {"articles": articles})


def article_detail(request: HttpRequest, slug: str, language: str = "") -> HttpResponse:
    """The article with a page of its discussion; with `language`, in that language."""
    if language:
        read_in(request, language)
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
    if language:
        path = reverse("articles:detail-in", kwargs={"language": language, "slug": slug})
        return _article_page(request, article, key, path=path, fixed_language=True)
    return _article_page(request, article, key, path=article.get_absolute_url())


def _article_page(
    request: HttpRequest,
    article: Article | ArticleState,
    key: str,
    *,
    path: str,
    fixed_language: bool = False,
) -> HttpResponse:
    # A reader whose name and email are remembered gets them in the form:
    # their page is their own, never cached nor served from the cache.
    author = remembered_author(request)
    personal = getattr(article, "personal", False) or bool(author)
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
            read_article(article.pk, get_language())
            if isinstance(article, ArticleState)
            else article
        )
        if loaded is None or not loaded.is_published:
            raise Http404
        # Each language's address is the canonical one of its page.
        extra_context["canonical"] = path if fixed_language else article.get_absolute_url()
        if fixed_language:
            # The switch sets the reader's language: it leads back to the address
            # that follows it, not to this one, which would stay in this language.
            extra_context["language_switch_next"] = article.get_absolute_url() + query.suffix
        return _draw_article(request, loaded, key, query, {**extra_context, "author": author})

    return cached_page(request, article, draw, address=path + query.suffix, personal=personal)


def _page_counter(article: Article | ArticleState):
    def count(language: str, picks: bool) -> int:
        if not (language or picks):
            return page_count(article)  # The article's own counter: no query.
        # One language's threads, or the picks, are counted once for each version of the article.
        return remembered(
            article,
            f"pages-{language}-{'picks' if picks else 'all'}",
            lambda: page_count(article, language=language, picks=picks),
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
        return render(request, "comments/_more_threads.html", {**context, **extra_context})
    text = article.text_in(get_language())
    # Every later page of threads is a page of its own, whatever its order or language.
    page = discussion.page.number
    canonical_path = extra_context["canonical"] + (f"?page={page}" if page > 1 else "")
    context |= {
        # The article in the reader's language, or in its original when it has
        # not been translated into it (the page says so).
        "text": text,
        "canonical_path": canonical_path,
        "description": structured_data.description(text.lede),
    }
    if page > 1:
        # A later page of threads is the discussion alone, with a link back to
        # the article and its form: a reader reading on pays for neither again.
        return render(request, "comments/discussion_page.html", {**context, **extra_context})
    context |= {
        "reply_form": shared_reply_form(
            article, discussion.strategies, author=extra_context["author"]
        ),
        "alternates": [
            (code, settings.SITE_URL + article.url_in(code)) for code in article.languages
        ],
        "x_default": settings.SITE_URL + article.get_absolute_url(),
        "structured_data": [
            structured_data.news_article(article, text, path=extra_context["canonical"]),
            structured_data.discussion_posting(
                article, discussion.threads, text=text, path=extra_context["canonical"]
            ),
        ],
    }
    return render(request, "articles/article_detail.html", {**context, **extra_context})


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
        last=lambda: ThreadPages.of_unavailable_openers().count(count),
    )

    def draw(extra_context: dict) -> HttpResponse:
        listing = unavailable_openers_page(article, count=count, page_number=number)
        context = {"article": article, "listing": listing, **extra_context}
        return render(request, "comments/unavailable_openers.html", context)

    address = reverse("articles:unavailable-openers", kwargs={"slug": article.slug})
    address += f"?page={number}" if number > 1 else ""
    return cached_page(request, article, draw, address=address)


def live_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed in the discussion since the version a page shows (comments.live).

    The same for every reader whoever asks (drawn for nobody in particular:
    no reader's own replies, no messages), so always served from the page
    cache, and 304 to a page that is up to date. `lang` is the page's
    language, whatever the browser's; a `since` of long ago is rounded down,
    so that made-up ones make few pages.
    """
    since = live.parse_since(request.GET.get("since"))
    if since is None:
        return HttpResponseBadRequest("since: whole seconds since the epoch.")
    language = request.GET.get("lang")
    if language:
        if language not in dict(settings.LANGUAGES):
            return HttpResponseBadRequest("lang: a language of the site.")
        read_in(request, language)
    state, loaded = article_state(slug)
    if state is None or not state.is_published:
        raise Http404
    current = live.since_of(state.content_changed)
    since = live.canonical_since(since, current)

    def draw(extra_context: dict) -> HttpResponse:
        article = loaded or read_article(state.pk, get_language())
        if article is None:
            raise Http404
        # As a stream sends it to the pages it holds open (comments.live_stream).
        return HttpResponse(live.draw_changes(article, since))

    address = reverse("articles:live", kwargs={"slug": slug}) + f"?since={since}"
    address += f"&lang={language}" if language else ""
    return cached_page(request, state, draw, address=address, everyones=True)
