"""A queryset's SQL compiled once per shape, then run again with each request's values.

Django builds and compiles a queryset's SQL afresh every time it runs. For
the reader pages' hottest queries that costs far more than the database
takes to answer them: on the bench's 10,000-comment discussion (SQLite, one
process), building the SQL of a page of threads' first replies took 5.7 ms
where SQLite answered it in 0.3 ms, the page's top-level comments 2.7 ms
against 0.8 ms, and the article in the reader's language 3.4 ms against
0.1 ms; together a third of what an uncached page of threads cost, which
the "read everything" target of the bench cannot afford.

`CompiledQuery(build)` keeps the ORM as the one statement of the query (the
querysets' named filters, `visible_to()` above all): `build(*values, **shape)`
makes the queryset, as any caller would. The first time a shape is run, `build`
is called with stand-in values, its SQL compiled and the stand-ins found in
it; after that, each run puts the real values where the stand-ins were and
sends the same SQL. The rows come back through the queryset's own compiler,
converted as Django converts them (datetimes, booleans on SQLite).

What may vary within a shape:
- `int` and `str` values, which the SQL carries as parameters, and `int`
  values Django writes into the SQL itself (LIMIT and OFFSET);
- lists of ints (`pk__in=`): a list's length is part of its shape.
Empty text is kept as it is (no reader key: published comments only), and
whether a text is empty is part of the shape. Anything else that changes the
query's structure (a sort, the number of rows a page shows) is given as a
keyword, `shape`, and `build` must give the same SQL for the same shape
whatever the values: the tests check each use against the ORM's own rows.

Only querysets of `values_list()` rows are compiled this way: rows need no
model instance, which for the page of threads cost more again than its SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.db.models.sql.compiler import SQLCompiler

Value = int | str | Sequence[int]

# Stand-ins no real value takes: ids and offsets stay far below this number (kept
# within a 32-bit integer, whose range Django checks in lookups), and no text of the
# site holds the private-use character.
_INT_STAND_IN = 1_987_654_000
_TEXT_STAND_IN = "\ue000stand-in-{}\ue000"


@dataclass(frozen=True)
class _Compiled:
    # The SQL cut where inlined numbers go: pieces[0] + str(n0) + pieces[1] + ...
    pieces: tuple[str, ...]
    inlined: tuple[int, ...]  # which value goes into each cut
    # The parameters: a value's index (from the flattened values), or a constant.
    parameters: tuple[tuple[int | None, Any], ...]
    compiler: SQLCompiler
    # How the database's values become Python's (datetimes, booleans on SQLite), by column:
    # worked out once, where results_iter() asked every field of every run again.
    converters: dict[int, tuple[list[Any], Any]]

    def sql(self, values: list[Any]) -> str:
        if not self.inlined:
            return self.pieces[0]
        text = [self.pieces[0]]
        for index, piece in zip(self.inlined, self.pieces[1:], strict=True):
            text.append(str(int(values[index])))
            text.append(piece)
        return "".join(text)

    def params(self, values: list[Any]) -> list[Any]:
        return [constant if index is None else values[index] for index, constant in self.parameters]


class CompiledQuery:
    """`build`'s query, compiled once per database and shape (see the module's docstring)."""

    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        # None for a shape that can have no rows (an empty list of ids).
        self._compiled: dict[Hashable, _Compiled | None] = {}

    def rows(self, *values: Value, using: str = "default", **shape: Hashable) -> list[tuple]:
        """The rows of `build(*values, **shape)`, as its `values_list()` gives them."""
        flat = _flatten(values)
        key = (using, tuple(shape.items()), tuple(map(_form, values)))
        if key not in self._compiled:
            self._compiled[key] = self._compile(values, shape, using=using)
        compiled = self._compiled[key]
        if compiled is None:
            return []
        with connections[using].cursor() as cursor:
            cursor.execute(compiled.sql(flat), compiled.params(flat))
            fetched = cursor.fetchall()
        if not compiled.converters:
            return fetched
        rows = compiled.compiler.apply_converters(fetched, compiled.converters)
        return [tuple(row) for row in rows]

    def _compile(self, values: tuple[Value, ...], shape: dict, *, using: str) -> _Compiled | None:
        stand_ins = _stand_ins(values)
        queryset = self.build(*stand_ins, **shape)
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            # The ORM sends no query for it either (`pk__in=[]`).
            return None
        flat = _flatten(tuple(stand_ins))
        position = {value: index for index, value in enumerate(flat) if value != ""}
        parameters = tuple(
            (position[p], None) if _hashable(p) and p in position else (None, p) for p in params
        )
        # Numbers Django writes into the SQL itself (LIMIT, OFFSET), in the order they appear.
        inlined = [i for i, v in enumerate(flat) if isinstance(v, int) and str(v) in sql]
        for index in inlined:
            if sql.count(str(flat[index])) != 1:
                raise ValueError(f"a stand-in number appears more than once in {sql}")
        ordered = sorted(inlined, key=lambda index: sql.index(str(flat[index])))
        reached = {i for i, _ in parameters if i is not None} | set(inlined)
        reached |= {i for i, v in enumerate(flat) if v == ""}
        if missing := set(range(len(flat))) - reached:
            raise ValueError(f"values {sorted(missing)} do not reach the SQL of {self.build}")
        pieces = _cut(sql, [str(flat[index]) for index in ordered])
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        return _Compiled(tuple(pieces), tuple(ordered), parameters, compiler, converters)


def _form(value: Value) -> int | bool:
    """What of a value is part of its query's shape: a list's length, whether text is empty."""
    if isinstance(value, str):
        return bool(value)
    if isinstance(value, int):
        return -1
    return len(value)


def _stand_ins(values: tuple[Value, ...]) -> list[Value]:
    counter = iter(range(1_000_000))
    stand_ins: list[Value] = []
    for value in values:
        if isinstance(value, bool):
            raise TypeError("a boolean changes a query's structure: put it in its shape")
        if isinstance(value, int):
            stand_ins.append(_INT_STAND_IN + next(counter))
        elif isinstance(value, str):
            # Empty text is often a query's structure (no reader: published comments
            # only): it stays empty, and is not looked for in the SQL.
            stand_ins.append(_TEXT_STAND_IN.format(next(counter)) if value else "")
        else:
            stand_ins.append([_INT_STAND_IN + next(counter) for _ in value])
    return stand_ins


def _flatten(values: tuple[Value, ...] | list[Value]) -> list[Any]:
    flat: list[Any] = []
    for value in values:
        if isinstance(value, list | tuple):
            flat.extend(value)
        else:
            flat.append(value)
    return flat


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _cut(sql: str, markers: list[str]) -> list[str]:
    pieces: list[str] = []
    rest = sql
    for marker in markers:
        before, _, rest = rest.partition(marker)
        pieces.append(before)
    pieces.append(rest)
    return pieces
