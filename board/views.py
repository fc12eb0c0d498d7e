"""The strategies board, the rating of a proposal, and the open data.

The open data are the published proposals and the board's figures, for anyone to reuse.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from articles.models import Article
from articles.page_cache import cached_page
from comments import notices, readers
from comments.models import SovereigntyMode
from comments.threads import Node, comment_location
from comments.views import get_visible_comment_or_404
from safeguards.clients import client_ip
from safeguards.ratelimit import rate_limited

from . import ratings
from .board import (
    StrategyRow,
    parse_mode,
    published_proposals,
    strategy_board,
)
from .chart import LAYOUTS, chart
from .forms import RatingForm

FORMATS = {"csv", "json"}


def get_published_article_or_404(slug: str) -> Article:
    return get_object_or_404(Article.objects.published().in_language(get_language()), slug=slug)


@require_safe
def board(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_published_article_or_404(slug)
    mode = parse_mode(request.GET.get("mode"))

    def render_page(extra_context: dict[str, Any]) -> HttpResponse:
        rows = strategy_board(article, mode=mode)
        return render(
            request, "board/board.html", {**_board_context(article, rows, mode), **extra_context}
        )

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
        try:
            ratings.rating_record(
                comment=comment,
                reader_key=readers.digest(readers.ensure_reader_token(request)),
                works=form.cleaned_data["works"],
                respects=form.cleaned_data["respects"],
                ip_address=client_ip(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            notices.tell_beside(request, comment, _("Thank you: your rating is counted."))
            return readers.remember_reader(request, redirect(comment_location(comment)))
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
def board_download(
    request: HttpRequest, slug: str, extension: str
) -> HttpResponse | StreamingHttpResponse:
    article = get_published_article_or_404(slug)
    records = _board_records(article, parse_mode(request.GET.get("mode")))
    return _download(records, f"{article.slug}-strategies", extension)


@require_safe
def proposals_download(
    request: HttpRequest, slug: str, extension: str
) -> HttpResponse | StreamingHttpResponse:
    article = get_published_article_or_404(slug)
    records = _proposal_records(request, article, parse_mode(request.GET.get("mode")))
    return _download(records, f"{article.slug}-proposals", extension)


def _download(
    records: Iterable[dict[str, Any]], name: str, extension: str
) -> HttpResponse | StreamingHttpResponse:
    if extension not in FORMATS:
        raise Http404
    response: HttpResponse | StreamingHttpResponse
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


def _csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: readers' words must never run as formulas."""
    if isinstance(value, list):
        value = ";".join(map(str, value))
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_lines(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    header_written = False
    for record in records:
        row = {key: _csv_cell(value) for key, value in record.items()}
        if not header_written:
            yield writer.writerow(row.keys())
            header_written = True
        yield writer.writerow(row.values())
