"""The open data's files: their columns, their dates, and how CSV and JSON are written.

Researchers load these files into spreadsheets, R and pandas, so they follow one set of rules
that the data dictionary (templates/board/data_dictionary.html) and the JSON Schemas
(board/schemas/) describe to them:

- CSV is UTF-8 with a byte order mark (so that spreadsheets do not guess another encoding),
  with its header row even when there is no row of data, text cells quoted and numbers bare;
- every moment is ISO 8601 in UTC to the second (2026-12-02T06:15:00Z), in CSV and JSON alike,
  whatever time zone the site runs in;
- a CSV text cell beginning with = + - @, a tab or a carriage return gets an apostrophe first,
  as OWASP recommends against formula injection: readers wrote these words, and a spreadsheet
  must show them, never run them. The JSON gives the text unchanged.
"""

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

SCHEMAS = Path(__file__).with_name("schemas")
SCHEMA_NAMES = ("proposals", "strategies")

STRATEGY_COLUMNS = (
    "strategy",
    "name",
    "name_es",
    "proposals",
    "raters",
    "ratings",
    "would_it_work_mean",
    "respects_sovereignty_mean",
    "top_proposals",
)
# The figures of each group of raters (by the language they read in) and the agreement across
# groups: optional, empty when a proposal has no raters.
GROUP_COLUMNS = (
    "raters_en",
    "raters_es",
    "favourable_share_en",
    "favourable_share_es",
    "works_mean_en",
    "works_mean_es",
    "respects_mean_en",
    "respects_mean_es",
    "common_ground_score",
)
PROPOSAL_COLUMNS = (
    "id",
    "url",
    "posted",
    "language",
    "text",
    "strategies",
    "sovereignty_mode",
    "raters",
    "would_it_work_mean",
    "respects_sovereignty_mean",
    *GROUP_COLUMNS,
)

# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets read a file without a byte order mark in the computer's own encoding.
BYTE_ORDER_MARK = "\ufeff"


def iso_utc(moment: datetime) -> str:
    """A moment as ISO 8601 in UTC, to the second: 2026-12-02T06:15:00Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_name(slug: str, what: str, mode: str, extension: str) -> str:
    """The name a download is saved under: the article, what it holds, its filter, the day."""
    parts = [slug, what, mode, timezone.now().astimezone(UTC).date().isoformat()]
    return "-".join(part for part in parts if part) + f".{extension}"


def csv_response(
    records: Iterable[dict[str, Any]], columns: tuple[str, ...], name: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(records, columns), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def json_response(document: dict[str, Any], name: str, *, schema: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, default=_json_value, ensure_ascii=False, indent=1),
        content_type="application/json",
    )
    response["Content-Disposition"] = content_disposition_header(True, name)
    # The way a client finds the schema without opening the file (JSON Schema, "describedby").
    response["Link"] = f'<{schema}>; rel="describedby"'
    return response


def schema_text(name: str) -> bytes:
    return (SCHEMAS / f"{name}.schema.json").read_bytes()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return iso_utc(value)
    raise TypeError(f"{type(value).__name__} is not in the open data's JSON")


class _Echo:
    """A file that hands back what the CSV writer writes, for a streamed response."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value: Any) -> Any:
    """A cell as the CSV gives it: moments in UTC, lists joined, and text never a formula."""
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, list):
        value = ";".join(map(str, value))
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_lines(records: Iterable[dict[str, Any]], columns: tuple[str, ...]) -> Iterator[str]:
    # Text quoted, numbers bare, a missing figure an empty cell: what spreadsheets and data
    # libraries read back as text, numbers and missing values.
    writer = csv.DictWriter(_Echo(), fieldnames=columns, restval=None, quoting=csv.QUOTE_STRINGS)
    yield BYTE_ORDER_MARK + writer.writeheader()
    for record in records:
        yield writer.writerow({key: _csv_cell(value) for key, value in record.items()})
