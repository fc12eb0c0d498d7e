"""Reading the SQL of the census round: each statement's own time, and counts over the whole table.

The moderation queue sits on the whole comments table, so its target forbids
a COUNT over all of that table's rows; `counts_whole_table` recognises one in
the SQL Django logged.
"""

from __future__ import annotations

import re
import time

from comments.models import Comment


class QueryTimings:
    """An execute wrapper timing each statement to the microsecond (the query log rounds to ms).

    It times the database's answer to execute(); SQLite hands over the rows of
    a plain scan later, as they are fetched, so there it can read low.
    """

    def __init__(self):
        self.queries: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql))


_TABLE = Comment._meta.db_table
_FROM_TABLE = re.compile(rf'\bFROM\s+"?{_TABLE}"?', re.IGNORECASE)


def counts_whole_table(sql: str) -> bool:
    """Whether `sql` counts the rows of the comments table with no WHERE on it (all of them).

    Both must hold at the same level of the query: a filtered subquery in the
    select list does not narrow the rows being counted, and a COUNT in a
    subquery does not make a plain listing a count. A count over a derived
    table (SELECT COUNT(*) FROM (SELECT … FROM comments) subquery) counts too.
    """
    for match in _FROM_TABLE.finditer(sql):
        clause = _outside_parentheses(_up_to_closing_parenthesis(sql[match.end() :]))
        if re.search(r"\bWHERE\b", clause, re.IGNORECASE):
            continue
        start = _level_start(sql, match.start())
        if _selects_a_count(sql[start : match.start()]):
            return True
        if start and re.search(r"\bFROM\s*$", sql[: start - 1], re.IGNORECASE):
            outer = _level_start(sql, start - 1)
            if _selects_a_count(sql[outer : start - 1]):
                return True
    return False


def _selects_a_count(select: str) -> bool:
    return bool(re.search(r"\bCOUNT\b", _outside_parentheses(select), re.IGNORECASE))


def _level_start(sql: str, position: int) -> int:
    """Where the (sub)query around `position` starts: after its opening parenthesis, or 0."""
    depth = 0
    for index in range(position - 1, -1, -1):
        if sql[index] == ")":
            depth += 1
        elif sql[index] == "(":
            if depth == 0:
                return index + 1
            depth -= 1
    return 0


def _up_to_closing_parenthesis(text: str) -> str:
    """`text` up to the end of the (sub)query it starts in."""
    depth = 0
    for position, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return text[:position]
            depth -= 1
    return text


def _outside_parentheses(text: str) -> str:
    depth, kept = 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)
