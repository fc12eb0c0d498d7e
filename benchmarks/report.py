"""What a bench run found: each target met or not, as a table for people and JSON for later."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connection

from .bench import Result
from .scenarios import Scenario


@dataclass(frozen=True)
class Verdict:
    target: str
    met: bool
    detail: str
    # The scenarios whose queries explain a miss.
    scenarios: tuple[str, ...] = ()


# Server time per published comment a reader sees, reading the whole discussion uncached.
READING_TARGET_MS = 0.15


# The scenarios the page targets compare: with `--only`, the targets of a run that
# left one of them out are not judged (its figures are still in the table).
PAGE_SCENARIOS = frozenset(
    {
        "hello",
        "article_small",
        "article_large",
        "thread_short",
        "thread_long",
        "cached",
        "conditional",
        "post_empty",
        "post_long",
        "admin_pending",
    }
)


def verdicts(result: Result) -> list[Verdict]:
    found = _page_verdicts(result) if set(result.scenarios) >= PAGE_SCENARIOS else []
    uncached = result.readings.get("uncached")
    if uncached:
        best = reading_summary(result, "uncached")
        complete = best["seen"] == result.published
        met = best["ms_per_comment"] <= READING_TARGET_MS and complete
        found.append(
            Verdict(
                f"reading the whole {result.sizes.large_article:,}-comment discussion: "
                f"≤ {READING_TARGET_MS} ms per comment uncached, every published comment reached",
                met,
                f"{best['ms_per_comment']:.3f} ms per comment (median of {len(uncached)}); "
                f"{best['seen']:,} of {result.published:,} published comments seen "
                f"in {best['requests']} requests; largest page {best['largest_kb']:.0f} KB",
            )
        )
    return found


def reading_summary(result: Result, kind: str) -> dict:
    """The median reading of `kind` ("uncached", "cached"), as figures."""
    readings = sorted(result.readings[kind], key=lambda reading: reading.milliseconds)
    median = readings[len(readings) // 2]
    hello = result.scenarios["hello"].median
    return {
        "ms_per_comment": median.ms_per_comment,
        # The target is in milliseconds, but this machine's speed varies from run to
        # run (hello took 0.26 to 0.60 ms within an hour): in hellos, runs compare.
        "hellos_per_comment": median.ms_per_comment / hello if hello else None,
        "milliseconds": median.milliseconds,
        "requests": len(median.pages),
        "seen": len(median.seen),
        "statuses": {str(code): n for code, n in median.statuses.items()},
        "largest_kb": median.largest_page[0] / 1024,
        "largest_page": median.largest_page[1],
        "ms_per_comment_each": [round(r.ms_per_comment, 4) for r in result.readings[kind]],
    }


def _hellos(ratio: float | None) -> str:
    return "" if ratio is None else f"{ratio:.2f}"


def _page_verdicts(result: Result) -> list[Verdict]:
    s, sizes = result.scenarios, result.sizes
    hello = s["hello"].median
    small, large = s["article_small"], s["article_large"]
    short, long = s["thread_short"], s["thread_long"]
    cached, conditional = s["cached"], s["conditional"]
    post_empty, post_long, admin = s["post_empty"], s["post_long"], s["admin_pending"]
    found = []

    def verdict(target: str, met: bool, detail: str, *keys: str) -> None:
        broken = [f"{s[key].label}: {'; '.join(s[key].problems)}" for key in keys if not s[key].ok]
        if broken:
            met, detail = False, " / ".join(broken)
        found.append(Verdict(target, met, detail, keys))

    scale = large.median / small.median
    verdict(
        f"article page: {sizes.large_article:,} comments cost what {sizes.small_article:,} do",
        small.query_count == large.query_count and scale <= 1.15,
        f"{small.query_count} and {large.query_count} queries; "
        f"{scale:.2f}x the {sizes.small_article:,}-comment page (≤ 1.15x, same queries)",
        "article_small",
        "article_large",
    )
    growth = (long.median - hello) / (short.median - hello)
    allowed = (sizes.long_thread + 1) / (sizes.short_thread + 1)
    verdict(
        f"thread of {sizes.long_thread:,} replies: under 100 ms, linear",
        long.median < 100 and long.query_count == short.query_count and growth <= allowed,
        f"{long.median:.1f} ms (< 100 ms); {long.query_count} queries "
        f"({short.query_count} for {sizes.short_thread:,} replies); costs {growth:.1f}x the "
        f"{sizes.short_thread:,}-reply thread for {allowed:.1f}x the comments",
        "thread_short",
        "thread_long",
    )
    verdict(
        "article page from cache: ≤ 1.6x hello",
        cached.median <= 1.6 * hello,
        f"{cached.median / hello:.2f}x hello, {cached.query_count} queries",
        "cached",
    )
    if "no ETag" in conditional.problems:
        found.append(
            Verdict(
                "conditional GET answered 304: ≤ 1.3x hello",
                False,
                "no ETag: the article page sends neither ETag nor Last-Modified",
                ("conditional",),
            )
        )
    else:
        verdict(
            "conditional GET answered 304: ≤ 1.3x hello",
            conditional.median <= 1.3 * hello,
            f"{conditional.median / hello:.2f}x hello, {conditional.query_count} queries",
            "conditional",
        )
    posting = post_long.median / post_empty.median
    verdict(
        f"reply into the {sizes.long_thread:,}-reply thread: ≤ 1.2x an empty one, ≤ 8 queries",
        posting <= 1.2 and max(post_empty.query_count, post_long.query_count) <= 8,
        f"{posting:.2f}x; {post_empty.query_count} and {post_long.query_count} queries",
        "post_empty",
        "post_long",
    )
    whole_table = admin.table_counts
    verdict(
        "admin pending queue: ≤ 30x hello, no COUNT over the whole table",
        admin.median <= 30 * hello and not whole_table,
        f"{admin.median / hello:.1f}x hello; "
        + (
            f"{len(whole_table)} COUNT over the whole table"
            if whole_table
            else "no whole-table COUNT"
        ),
        "admin_pending",
    )
    verdict(
        "queries per article page: ≤ 5, the same at any size",
        small.query_count == large.query_count and large.query_count <= 5,
        f"{small.query_count} at {sizes.small_article:,} comments, "
        f"{large.query_count} at {sizes.large_article:,}",
        "article_small",
        "article_large",
    )
    return found


def table(result: Result, found: list[Verdict]) -> str:
    hello = result.scenarios["hello"].median
    database = f"{connection.display_name} {'.'.join(map(str, database_version()))}"
    lines = [
        f"Sovereignty Forum bench: {database}, Django {django.get_version()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs",
        f"{result.fixture.comments:,} comments seeded in {result.fixture.seed_seconds:.1f} s; "
        f"{result.rounds} rounds in {result.seconds:.1f} s",
        "",
        f"{'scenario':<44} {'median ms':>9} {'p90 ms':>8} {'queries':>7} {'× hello':>8}"
        f"  {'status':<10} table COUNT",
    ]
    for scenario in result.scenarios.values():
        lines.append(
            f"{scenario.label:<44} {scenario.median:>9.2f} {scenario.p90:>8.2f} "
            f"{scenario.query_count:>7} {scenario.median / hello:>8.2f}  "
            f"{_statuses(scenario):<10} {'YES' if scenario.table_counts else 'no'}"
        )
    for kind in result.readings:
        figures = reading_summary(result, kind)
        lines.append(
            f"{'read everything, ' + kind + ' (per comment)':<44} "
            f"{figures['ms_per_comment']:>9.3f} {'':>8} {'':>7} "
            f"{_hellos(figures['hellos_per_comment']):>8}  "
            f"{figures['requests']} requests, {figures['milliseconds']:.0f} ms, "
            f"{figures['seen']:,} comments"
        )
    lines += ["", "Targets"]
    for verdict in found:
        lines.append(
            f"  {'met    ' if verdict.met else 'NOT MET'}  {verdict.target}: {verdict.detail}"
        )
    missed = [verdict for verdict in found if not verdict.met]
    if missed:
        lines += ["", "Where the time goes in the targets not met (slowest queries, census round)"]
        shown = set()
        for verdict in missed:
            for key in verdict.scenarios:
                if key in shown:
                    continue
                shown.add(key)
                scenario = result.scenarios[key]
                lines.append(f"  {scenario.label}:")
                for sql in scenario.table_counts:
                    lines.append(f"    whole-table COUNT: {_shorten(sql)}")
                for ms, sql in sorted(scenario.timings, reverse=True)[:2]:
                    lines.append(f"    {ms:7.2f} ms  {_shorten(sql)}")
    met = sum(verdict.met for verdict in found)
    lines += ["", f"{met} of {len(found)} targets met."]
    return "\n".join(lines)


def comparison(now: dict, before: dict) -> str:
    """Two runs' records side by side: each scenario's ratio to hello before and now,
    how much that ratio moved, and its queries. Ratios, not times, are compared:
    each run's hello absorbs how busy its machine was."""
    lines = [
        f"Against {before['environment']['commit'] or 'an earlier run'} "
        f"({before['environment']['database']}, {before['when']}); "
        f"now {now['environment']['commit'] or 'this run'}",
        "",
        f"{'scenario':<44} {'× hello before':>14} {'× hello now':>11} {'change':>7}  queries",
    ]
    for key, scenario in now["scenarios"].items():
        earlier = before["scenarios"].get(key)
        if earlier is None:
            lines.append(f"{scenario['label']:<44} {'new':>14} {scenario['ratio_to_hello']:>11.2f}")
            continue
        change = scenario["ratio_to_hello"] / earlier["ratio_to_hello"]
        queries = f"{earlier['queries']} → {scenario['queries']}"
        if earlier["queries"] != scenario["queries"]:
            queries += "  CHANGED"
        lines.append(
            f"{scenario['label']:<44} {earlier['ratio_to_hello']:>14.2f} "
            f"{scenario['ratio_to_hello']:>11.2f} {change:>6.2f}x  {queries}"
        )
    gone = [
        earlier["label"]
        for key, earlier in before["scenarios"].items()
        if key not in now["scenarios"]
    ]
    if gone:
        lines.append(f"Not measured now: {', '.join(gone)}")
    return "\n".join(lines)


def record(result: Result, found: list[Verdict]) -> dict:
    hello = result.scenarios["hello"].median
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": environment(),
        "sizes": asdict(result.sizes),
        "comments": result.fixture.comments,
        "seed_seconds": round(result.fixture.seed_seconds, 2),
        "rounds": result.rounds,
        "measure_seconds": round(result.seconds, 2),
        "scenarios": {key: _scenario(s, hello) for key, s in result.scenarios.items()},
        "read_everything": {kind: reading_summary(result, kind) for kind in result.readings},
        "targets": [
            {"target": v.target, "met": v.met, "detail": v.detail, "scenarios": list(v.scenarios)}
            for v in found
        ],
    }


def default_path() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.BASE_DIR) / "benchmarks" / "results" / f"{stamp}-{connection.vendor}.json"


def environment() -> dict:
    return {
        "database": connection.vendor,
        "database_version": ".".join(map(str, database_version())),
        "django": django.get_version(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "commit": _commit(),
    }


def database_version() -> tuple:
    return tuple(connection.get_database_version())


def _scenario(scenario: Scenario, hello: float) -> dict:
    return {
        "label": scenario.label,
        "median_ms": round(scenario.median, 3),
        "p90_ms": round(scenario.p90, 3),
        "ratio_to_hello": round(scenario.median / hello, 3),
        "queries": scenario.query_count,
        "statuses": {str(code): n for code, n in scenario.statuses.items()},
        "problems": scenario.problems,
        "whole_table_counts": scenario.table_counts,
        "samples_ms": [round(sample, 3) for sample in scenario.samples],
        "sql": scenario.queries,
        "statement_ms": [{"ms": round(ms, 3), "sql": sql} for ms, sql in scenario.timings],
    }


def _statuses(scenario: Scenario) -> str:
    if len(scenario.statuses) == 1:
        return str(next(iter(scenario.statuses)))
    counts = sorted(scenario.statuses.items(), key=lambda item: str(item[0]))
    return ",".join(f"{code}×{n}" for code, n in counts)


def _shorten(sql: str, limit: int = 150) -> str:
    sql = " ".join(sql.split())
    return sql if len(sql) <= limit else sql[: limit - 1] + "…"


def _commit() -> str:
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"],  # noqa: S607  (git from PATH, as make does)
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return described.stdout.strip()
