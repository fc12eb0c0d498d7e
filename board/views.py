"""The strategies board, the rating of a proposal, and the open data.

The open data are the published proposals and the board's figures, for anyone to reuse.
"""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from articles.models import Article
from articles.page_cache import cached_page, static_page
from comments import notices, readers
from comments.models import SovereigntyMode, Strategy
from comments.models.agreement import FAVOURABLE_FROM
from comments.threads import Node, comment_location
from comments.views import get_visible_comment_or_404
from safeguards.clients import client_ip
from safeguards.ratelimit import rate_limited

from . import open_data, ratings
from .board import (
    StrategyRow,
    parse_mode,
    published_proposals,
    strategy_board,
)
from .chart import LAYOUTS, chart
from .common_ground import common_ground, group_columns
from .forms import RatingForm


def get_published_article_or_404(slug: str) -> Article:
    return get_object_or_404(Article.objects.published().in_language(get_language()), slug=slug)


@require_safe
def board(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_published_article_or_404(slug)
    mode = parse_mode(request.GET.get("mode"))

    def render_page(extra_context: dict[str, Any]) -> HttpResponse:
        rows = strategy_board(article, mode=mode)
        context = {
            **_board_context(article, rows, mode),
            "common_ground": common_ground(article, mode=mode),
            "favourable_from": FAVOURABLE_FROM,
            **extra_context,
        }
        return render(request, "board/board.html", context)

    address = reverse("board:board", kwargs={"slug": article.slug})
    return cached_page(
        request, article, render_page, address=address + (f"?mode={mode}" if mode else "")
    )


def _board_context(article: Article, rows: list[StrategyRow], mode: str) -> dict[str, Any]:
    return {
        "article": article,
        "rows": rows,
        "table_rows": rows,
        "rated_rows": [row for row in rows if row.is_rated],
        # One drawing for desktops, one for phones: CSS shows the one that fits.
        "charts": [chart(rows, layout) for layout in LAYOUTS],
        "mode": mode,
        "modes": SovereigntyMode.choices,
    }


@rate_limited("rate")
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    comment = get_visible_comment_or_404(request, pk)
    if not (comment.is_published and comment.is_proposal):
        raise Http404
    key = readers.reader_key(request)
    current = comment.ratings.filter(reader_key=key).first() if key else None
    initial = {"works": current.works, "respects": current.respects} if current else None
    form = RatingForm(request.POST or None, comment=comment, initial=initial)
    if request.method == "POST" and form.is_valid():
        rater = readers.digest(readers.ensure_reader_token(request))
        try:
            ratings.rating_record(
                comment=comment,
                reader_key=rater,
                works=form.cleaned_data["works"],
                respects=form.cleaned_data["respects"],
                ip_address=client_ip(request),
                language=get_language(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            notices.tell_beside(request, comment, _("Thank you: your rating is counted."))
            # Where this reader sees it: their own pending threads count in.
            back = comment_location(comment, reader_key=rater)
            return readers.remember_reader(request, redirect(back))
    context = {"comment": comment, "node": Node(comment), "form": form, "current": current}
    return render(request, "board/rate.html", context)


def _board_records(article: Article, mode: str) -> Iterator[dict[str, Any]]:
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


def _proposal_records(
    request: HttpRequest, article: Article, mode: str
) -> Iterator[dict[str, Any]]:
    # The strategies' slugs by id, in the editors' order: one query, not one per proposal.
    slugs = {
        pk: (n, slug) for n, (pk, slug) in enumerate(Strategy.objects.values_list("pk", "slug"))
    }
    proposals = published_proposals(article, mode=mode).oldest_first().with_strategy_ids()
    groups = group_columns(article, mode=mode)
    for comment in proposals.iterator(chunk_size=500):
        named = sorted(slugs[int(pk)] for pk in (comment.strategy_ids or "").split(",") if pk)
        yield {
            "id": comment.pk,
            "url": request.build_absolute_uri(comment.get_absolute_url()),
            "posted": comment.created,
            "language": comment.language,
            "text": comment.body,
            "strategies": [slug for _position, slug in named],
            "sovereignty_mode": comment.sovereignty_mode,
            "raters": comment.rating_count,
            "would_it_work_mean": _rounded(comment.works_mean),
            "respects_sovereignty_mean": _rounded(comment.respects_mean),
            **groups[comment.pk],
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@require_safe
def board_download(
    request: HttpRequest, slug: str, extension: str
) -> HttpResponse | StreamingHttpResponse:
    article = get_published_article_or_404(slug)
    mode = parse_mode(request.GET.get("mode"))
    records = _board_records(article, mode)
    return _download(request, article, mode, "strategies", records, extension)


@require_safe
def proposals_download(
    request: HttpRequest, slug: str, extension: str
) -> HttpResponse | StreamingHttpResponse:
    article = get_published_article_or_404(slug)
    mode = parse_mode(request.GET.get("mode"))
    records = _proposal_records(request, article, mode)
    return _download(request, article, mode, "proposals", records, extension)


_COLUMNS = {"strategies": open_data.STRATEGY_COLUMNS, "proposals": open_data.PROPOSAL_COLUMNS}


def _download(
    request: HttpRequest,
    article: Article,
    mode: str,
    kind: str,
    records: Iterator[dict[str, Any]],
    extension: str,
) -> HttpResponse | StreamingHttpResponse:
    """One of the article's open-data files (`kind`), as CSV or as JSON naming its schema."""
    name = open_data.file_name(article.slug, kind, mode, extension)
    if extension == "csv":
        return open_data.csv_response(records, _COLUMNS[kind], name)
    if extension == "json":
        document = _document(request, article, mode, kind)
        return _json(request, {**document, kind: list(records)}, name, kind)
    raise Http404


def _document(request: HttpRequest, article: Article, mode: str, schema: str) -> dict[str, Any]:
    """What a JSON download says of itself: its schema, its dictionary, its article, its filter."""
    return {
        "$schema": _schema_url(request, schema),
        "dictionary": request.build_absolute_uri(reverse("board:data-dictionary")),
        "article": request.build_absolute_uri(article.get_absolute_url()),
        "sovereignty_mode": mode or None,
        "generated": timezone.now(),
    }


def _json(request: HttpRequest, document: dict[str, Any], name: str, schema: str) -> HttpResponse:
    return open_data.json_response(document, name, schema=_schema_url(request, schema))


def _schema_url(request: HttpRequest, name: str) -> str:
    return request.build_absolute_uri(reverse("board:schema", kwargs={"name": name}))


@require_safe
def data_dictionary(request: HttpRequest) -> HttpResponse:
    return static_page(request, "board/data_dictionary.html")


@require_safe
def schema(request: HttpRequest, name: str) -> HttpResponse:
    if name not in open_data.SCHEMA_NAMES:
        raise Http404
    return HttpResponse(open_data.schema_text(name), content_type="application/schema+json")
