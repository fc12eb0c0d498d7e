"""The strategies board and the open data: the published proposals, for anyone to reuse."""

import csv
import json

from django.contrib.syndication.views import Feed
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from articles.models import Article
from articles.page_cache import cached_page

from .board import CHART_MARGIN, CHART_SIZE, parse_mode, published_proposals, strategy_board
from .models import Comment, SovereigntyMode

FORMATS = {"csv", "json"}


def _article_or_404(slug: str) -> Article:
    return get_object_or_404(Article.objects.published(), slug=slug)


@require_safe
def board(request: HttpRequest, slug: str) -> HttpResponse:
    article = _article_or_404(slug)
    mode = parse_mode(request.GET.get("mode"))

    def render_page(extra_context: dict) -> HttpResponse:
        rows = strategy_board(article, mode=mode)
        return render(
            request, "comments/board.html", {**_board_context(article, rows, mode), **extra_context}
        )

    address = reverse("comments:board", kwargs={"slug": article.slug})
    return cached_page(
        request, article, render_page, address=address + (f"?mode={mode}" if mode else "")
    )


def _board_context(article: Article, rows, mode: str) -> dict:
    return {
        "article": article,
        "rows": rows,
        "rated_rows": [row for row in rows if row.is_rated],
        "mode": mode,
        "modes": SovereigntyMode.choices,
        "chart_size": CHART_SIZE,
        "chart_margin": CHART_MARGIN,
        "chart_middle": CHART_SIZE / 2,
        "chart_inner_end": CHART_SIZE - CHART_MARGIN,
        "chart_inner": CHART_SIZE - 2 * CHART_MARGIN,
    }


def _board_records(article: Article, mode: str):
    for row in strategy_board(article, mode=mode):
        yield {
            "strategy": row.strategy.slug,
            "name": row.strategy.name,
            "name_es": row.strategy.name_es,
            "proposals": row.proposals,
            "raters": row.raters,
            "ratings": row.ratings,
            "would_it_work_mean": _rounded(row.works_mean),
            "respects_sovereignty_mean": _rounded(row.respects_mean),
            "top_proposals": [comment.pk for comment in row.top],
        }


def _proposal_records(request: HttpRequest, article: Article, mode: str):
    proposals = (
        published_proposals(article, mode=mode)
        .order_by("created", "id")
        .prefetch_related("strategies")
    )
    for comment in proposals.iterator(chunk_size=500):
        yield {
            "id": comment.pk,
            "url": request.build_absolute_uri(comment.get_absolute_url()),
            "posted": comment.created,
            "text": comment.body,
            "strategies": [strategy.slug for strategy in comment.strategies.all()],
            "sovereignty_mode": comment.sovereignty_mode,
            "raters": comment.rating_count,
            "would_it_work_mean": _rounded(comment.works_mean),
            "respects_sovereignty_mean": _rounded(comment.respects_mean),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@require_safe
def board_download(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    article = _article_or_404(slug)
    records = _board_records(article, parse_mode(request.GET.get("mode")))
    return _download(records, f"{article.slug}-strategies", extension)


@require_safe
def proposals_download(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    article = _article_or_404(slug)
    records = _proposal_records(request, article, parse_mode(request.GET.get("mode")))
    return _download(records, f"{article.slug}-proposals", extension)


def _download(records, name: str, extension: str) -> HttpResponse:
    if extension not in FORMATS:
        raise Http404
    if extension == "json":
        response = HttpResponse(
            json.dumps(list(records), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
            content_type="application/json",
        )
    else:
        response = StreamingHttpResponse(_csv_lines(records), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_cell(value):
    """A cell a spreadsheet shows as text: readers' words must never run as formulas."""
    if isinstance(value, list):
        value = ";".join(map(str, value))
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_lines(records):
    writer = csv.writer(_Echo())
    header_written = False
    for record in records:
        row = {key: _csv_cell(value) for key, value in record.items()}
        if not header_written:
            yield writer.writerow(row.keys())
            header_written = True
        yield writer.writerow(row.values())


class RepliesFeed(Feed):
    """The newest published replies of an article, as Atom."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return _article_or_404(slug)

    def title(self, article):
        return _("Replies to “%(title)s”") % {"title": article.title}

    def link(self, article):
        return article.get_absolute_url()

    def subtitle(self, article):
        return article.question

    def items(self, article):
        return Comment.objects.for_article(article).visible().order_by("-created", "-id")[:50]

    def item_title(self, comment):
        return _("%(name)s: %(excerpt)s") % {
            "name": comment.author_name,
            "excerpt": comment.excerpt,
        }

    def item_description(self, comment):
        # Feed readers render this as HTML: the reader's text is escaped first.
        return linebreaks(comment.body, autoescape=True)

    def item_link(self, comment):
        return comment.get_absolute_url()

    def item_author_name(self, comment):
        return comment.author_name

    def item_pubdate(self, comment):
        return comment.created

    def item_updateddate(self, comment):
        return comment.edited or comment.created
