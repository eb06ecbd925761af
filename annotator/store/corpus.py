"""The corpus at a glance (issue 12, "See the corpus"): label × group tables and timelines, computed in SQLite.

A *grouping* puts every statement in one group:

- ``document``: the statement itself (its id; the title names the column);
- ``date``, ``issuer``, ``url``, ``note``: the value of that column of ``documents`` (the command line's; the
  window offers neither the whole URL nor the memo: each is one group per statement);
- ``url:site``: the site of the URL (its host, lower case, without ``www.``, a user or a port:
  ``https://www.State.gov/x`` and ``state.gov:443?id=5`` are ``state.gov``), where statements were published;
- a project variable's name: its value (``document_values``);
- ``date:year``, ``date:quarter``, ``date:month`` (also ``VAR:year`` … for a date-typed variable): the period.

Dates are ISO strings (``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when the day is not known; the importers and the
Properties panel enforce that, but files made elsewhere may hold other text). A period needs the parts it names:
``2023-05-04`` is ``2023``, ``2023-Q2``, ``2023-05``; a date with only a year (``2023``) is ``2023`` by year and
``2023-Q?`` / ``2023-??`` by quarter or month (so it sorts beside its year, after its known periods); an empty or
unreadable date is the group ``None``, shown as "(no date)". Any empty value is ``None`` ("(no issuer)", "(no VAR)").

The table's cells count spans, or statements with at least one span of the label (both are computed in one query:
the count toggle costs nothing). Column percentages are against the column total: its spans, or in statement mode
the number of statements in the group (with or without spans); row percentages against the row total (a label's
spans, or its statements; statements are in one group each, so a row adds up).

Every figure counts the statements of a status choice (``status``, a key of ``counting.CHOICES``: every statement
unless told; ``annotator report`` and the Corpus window leave the skipped ones out unless asked): a condition on the
statement's id from the status index (``counting.Counting.condition``), so the counts kept by triggers need no status.
A group none of whose statements is counted is not listed.

Everything reads only: these run on a read-only connection beside a window, or from ``annotator report``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from annotator.core import variables as cv
from annotator.errors import AnnotatorError
from annotator.store.counting import ALL, Counting, counting, tally
from annotator.store.docvars import definitions_of

PERIODS = ("year", "quarter", "month")
#: the groupings every project has (a project variable's name is one too)
BUILTIN = ("document", "issuer", "date", "url", "note", "url:site", *(f"date:{p}" for p in PERIODS))

_YEAR = "{c} GLOB '[0-9][0-9][0-9][0-9]*'"
_MONTH = "{c} GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]*'"


def _period_sql(column: str, period: str) -> str:
    """SQL for the period of the ISO date in ``column`` (NULL when it has no year)."""
    year, month = _YEAR.format(c=column), _MONTH.format(c=column)
    if period == "year":
        return f"CASE WHEN {year} THEN substr({column}, 1, 4) END"
    if period == "month":
        return (f"CASE WHEN {month} THEN substr({column}, 1, 7) "
                f"WHEN {year} THEN substr({column}, 1, 4) || '-??' END")
    quarter = f"(CAST(substr({column}, 6, 2) AS INTEGER) + 2) / 3"
    return (f"CASE WHEN {month} THEN substr({column}, 1, 4) || '-Q' || ({quarter}) "
            f"WHEN {year} THEN substr({column}, 1, 4) || '-Q?' END")


def _site_sql(column: str) -> str:
    """SQL for the site of the URL in ``column``: its host in lower case, without a leading ``www.`` (NULL when it
    has none). The host ends where its path, query or fragment begins, and a ``user@`` before it and a ``:port``
    after it are not part of it: "https://state.gov?id=5", "state.gov:443" and "user@state.gov#x" were three sites
    beside state.gov, splitting its counts (trial 15, F6)."""
    rest = f"(CASE WHEN instr({column}, '://') > 0 THEN substr({column}, instr({column}, '://') + 3) ELSE {column} END)"
    ended = f"(replace(replace({rest}, '?', '/'), '#', '/') || '/')"  # the authority, then '/' whatever followed it
    authority = f"substr({ended}, 1, instr({ended}, '/') - 1)"
    hostport = f"(substr({authority}, instr({authority}, '@') + 1) || ':')"  # without a user@, then ':'
    host = f"lower(substr({hostport}, 1, instr({hostport}, ':') - 1))"
    return f"NULLIF(substr({host}, CASE WHEN {host} GLOB 'www.*' THEN 5 ELSE 1 END), '')"


@dataclass(frozen=True)
class Grouping:
    """A grouping resolved against a project, in two steps: ``raw`` is an SQL expression of a statement's stored
    value (over ``documents d`` and the ``join``, whose ``?`` take ``params``), ``key`` maps that value (``raw``) to its
    group. Counting by the stored value first and mapping the few distinct values after is what keeps a period
    grouping cheap (the period's SQL runs once per distinct date, not once per statement)."""

    by: str
    title: str  # what the columns are, for headers ("Issuer", "Date by quarter", "region")
    empty: str  # the name of the None group ("(no issuer)")
    raw: str
    key: str = "raw"
    join: str = ""
    params: tuple[Any, ...] = ()
    titles: bool = False  # the group key is a document id, its name the statement's title
    type: str = "text"  # the variable's type (its values are shown as the Properties panel shows them)
    covered: bool = False  # ``raw`` reads only columns of the index documents_listing (not the row with the text)
    summary: str = ""  # the column of ``label_doc_counts`` holding the stored value (date, issuer), if it has one

    def documents_sql(self, on: str = "") -> str:
        """``documents d [ON on] ...``: the statements with what ``raw`` needs."""
        listing = " INDEXED BY documents_listing" if self.covered else ""
        return f"documents d{listing}{' ON ' + on if on else ''}{self.join}"

    @property
    def sql(self) -> str:
        """Every statement's ``(id, k)``."""
        return f"SELECT id, {self.key} AS k FROM (SELECT d.id, {self.raw} AS raw FROM {self.documents_sql()})"


def groupings(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """Every grouping this project offers, as (``by``, title), in the order a chooser lists them."""
    out = [("document", "Statement"), ("issuer", "Issuer"), ("date:year", "Date by year"),
           ("date:quarter", "Date by quarter"), ("date:month", "Date by month"), ("date", "Date"),
           ("url:site", "Site (from the URL)")]  # a whole URL or memo would be a group per statement
    for var in definitions_of(conn):
        out.append((var.name, var.name))
        if var.type == "date":
            out += [(f"{var.name}:{p}", f"{var.name} by {p}") for p in PERIODS]
    return out


def grouping(conn: sqlite3.Connection, by: str, alias: str = "v") -> Grouping:
    """Resolve ``by``; an unknown one is an AnnotatorError naming the choices. ``alias`` names the join of a project
    variable's values (two groupings in one query need two)."""
    name, _, period = by.partition(":")
    variables = {v.name: v for v in definitions_of(conn)}
    if by == "document":
        return Grouping(by, "Statement", "", "d.id", titles=True)
    if by == "url:site":
        return Grouping(by, "Site", "(no URL)", "NULLIF(d.url, '')", _site_sql("raw"))
    if period and period not in PERIODS:
        raise AnnotatorError(f"unknown period {period!r} in --by {by!r}; expected year, quarter or month")
    if name in cv.FIXED:
        if period and name != "date":
            raise AnnotatorError(f"{name!r} is not a date: it cannot be grouped by {period}")
        title = cv.FIXED_NAMES[name] + (f" by {period}" if period else "")
        return Grouping(by, title, f"(no {cv.FIXED_NAMES[name].lower()})", f"NULLIF(d.{name}, '')",
                        _period_sql("raw", period) if period else "raw", covered=name in ("date", "issuer"),
                        summary=name if name in ("date", "issuer") else "")
    if name in variables:
        var = variables[name]
        if period and var.type != "date":
            raise AnnotatorError(
                f"variable {name!r} is of type {var.type}, not a date: it cannot be grouped by {period}")
        join = f" LEFT JOIN document_values {alias} ON {alias}.doc_id = d.id AND {alias}.variable = ?"
        return Grouping(by, name + (f" by {period}" if period else ""), f"(no {name})", f"{alias}.value",
                        _period_sql("raw", period) if period else "raw", join, (name,),
                        type="text" if period else var.type)
    choices = ", ".join(b for b, _ in groupings(conn))
    raise AnnotatorError(f"cannot group by {by!r}: it is not a grouping of this project; choose one of {choices}")


@dataclass
class LabelTable:
    """Labels × groups. ``spans[i][j]``/``statements[i][j]``: label ``labels[i]`` in group ``groups[j]``."""

    grouping: Grouping
    labels: list[str]  # label keys, in codebook order (labels without spans included)
    names: dict[str, str]  # label key -> name
    groups: list[Any]  # group keys, sorted, None (the empty group) last
    group_names: list[str]
    spans: list[list[int]]
    statements: list[list[int]]
    group_statements: list[int]  # statements in each group, with or without spans
    total_statements: int = 0
    label_statements: list[int] = field(default_factory=list)  # statements with at least one span of each label
    rows_grouping: Grouping | None = None  # a crosstab's rows (None: the rows are labels)
    label: str = ""  # a crosstab's label
    counting: Counting | None = None  # the statements counted (by status), and those left out

    def cells(self, count: str = "spans") -> list[list[int]]:
        return self.spans if count == "spans" else self.statements

    def row_totals(self, count: str = "spans") -> list[int]:
        return [sum(row) for row in self.cells(count)]

    def column_totals(self, count: str = "spans") -> list[int]:
        if count == "statements":
            return list(self.group_statements)
        cells = self.cells(count)
        return [sum(cells[i][j] for i in range(len(self.labels))) for j in range(len(self.groups))]

    def percent(self, count: str, of: str) -> list[list[float | None]]:
        """Each cell as a percentage of its row (``of="row"``) or column total; None where the total is 0."""
        cells = self.cells(count)
        if of == "row":
            totals = self.row_totals(count)
            return [[100.0 * c / totals[i] if totals[i] else None for c in row] for i, row in enumerate(cells)]
        totals = self.column_totals(count)
        return [[100.0 * c / totals[j] if totals[j] else None for j, c in enumerate(row)] for row in cells]


def _group_name(g: Grouping, key: Any, titles: dict[int, str]) -> str:
    if key is None:
        return g.empty
    if g.titles:
        return titles.get(key, str(key))
    return cv.display(g.type, cv.from_store(g.type, key)) if g.type in ("number", "bool") else str(key)


def _sort_key(key: Any) -> tuple[int, Any]:
    if key is None:
        return (2, 0)
    if isinstance(key, (int, float)):
        return (0, key)
    return (1, str(key))


def codebook(conn: sqlite3.Connection) -> tuple[list[str], dict[str, str]]:
    """Label keys in codebook order, then labels only spans use (a label deleted from a file made elsewhere)."""
    rows = conn.execute("SELECT key, name FROM labels ORDER BY position, key").fetchall()
    return [r[0] for r in rows], {r[0]: r[1] for r in rows}


def _sizes(conn: sqlite3.Connection, g: Grouping, counted: Counting) -> list[tuple[Any, int]]:
    """Statements counted per group (with or without spans); a group none of whose statements is counted is not
    listed."""
    if g.summary == "date":  # in the order of the index documents_by_date: no sort
        # every statement: one ordered scan of the date index; a few by id: seeks in the listing, which has the date
        inner, params = counted.additive(
            lambda where: ("SELECT NULLIF(date, '') AS raw, count(*) AS n FROM documents INDEXED BY "
                           f"{'documents_listing' if where else 'documents_by_date'}{where} GROUP BY date"),
            "id", ("raw",), ("n",))
    else:
        inner, params = counted.additive(
            lambda where: f"SELECT {g.raw} AS raw, count(*) AS n FROM {g.documents_sql()}{where} GROUP BY raw",
            "d.id", ("raw",), ("n",), g.params)
    sql = f"SELECT {g.key} AS k, sum(n) AS n FROM ({inner}) GROUP BY k"
    return [r for r in conn.execute(sql, params) if r[1]]


def label_table(conn: sqlite3.Connection, by: str, status: str = ALL) -> LabelTable:
    """The label × group table for grouping ``by``, of the statements ``status`` counts (a choice of
    ``counting.CHOICES``; every statement unless told): two aggregate queries (cells, group sizes) over the
    per-statement label counts (``label_doc_counts``, kept by triggers), never over every span."""
    g = grouping(conn, by)
    counted = counting(conn, status)
    if g.summary:  # the summary holds the value: one ordered scan of its index, no statement read
        inner, params = counted.additive(
            lambda where: (f"SELECT label, NULLIF({g.summary}, '') AS raw, sum(spans) AS n, count(*) AS docs "
                           f"FROM label_doc_counts c{where} GROUP BY {g.summary}, label"),
            "c.doc_id", ("label", "raw"), ("n", "docs"))
    else:
        inner, params = counted.additive(
            lambda where: (f"SELECT c.label AS label, {g.raw} AS raw, sum(c.spans) AS n, count(*) AS docs "
                           f"FROM label_doc_counts c JOIN {g.documents_sql('d.id = c.doc_id')}{where} "
                           "GROUP BY raw, c.label"),
            "c.doc_id", ("label", "raw"), ("n", "docs"), g.params)
    sql = f"SELECT label, {g.key} AS k, sum(n), sum(docs) FROM ({inner}) GROUP BY label, k"
    found = [r for r in conn.execute(sql, params) if r[3]]  # a label only statements left out have: none
    sizes = _sizes(conn, g, counted)
    labels, names = codebook(conn)
    extra = sorted({r[0] for r in found} - set(labels))
    labels += extra
    names.update({k: k for k in extra})
    groups = sorted({k for k, _ in sizes}, key=_sort_key)
    spans, statements = _cells(found, labels, groups)
    size = dict(sizes)
    titles: dict[int, str] = {}
    if g.titles:
        titles = dict(conn.execute("SELECT id, title FROM documents"))
    return LabelTable(
        g, labels, names, groups, [_group_name(g, k, titles) for k in groups], spans, statements,
        [size[k] for k in groups], sum(size.values()), [sum(r) for r in statements], counting=counted,
    )


def _cells(found: list[Any], rows: list[str], groups: list[str]) -> tuple[list[list[int]], list[list[int]]]:
    """The spans and statements matrices (rows × groups, zero where nothing was found) from the rows of a
    ``row key, group key, spans, statements`` query."""
    ri = {k: i for i, k in enumerate(rows)}
    ci = {k: j for j, k in enumerate(groups)}
    spans = [[0] * len(groups) for _ in rows]
    statements = [[0] * len(groups) for _ in rows]
    for rk, ck, n_spans, n_docs in found:
        spans[ri[rk]][ci[ck]] = n_spans
        statements[ri[rk]][ci[ck]] = n_docs
    return spans, statements


def crosstab(conn: sqlite3.Connection, rows_by: str, cols_by: str, label: str, status: str = ALL) -> LabelTable:
    """One label's spans with groups on both sides (Commitments per issuer per quarter), of the statements
    ``status`` counts: rows are the groups of ``rows_by``, columns those of ``cols_by``; ``labels`` holds the row
    keys and ``names`` their names. Column totals in statement mode are the statements in the column group, as in
    :func:`label_table`."""
    r, c = grouping(conn, rows_by, "v1"), grouping(conn, cols_by, "v2")
    counted = counting(conn, status)
    covered = " INDEXED BY documents_listing" if r.covered and c.covered else ""
    if r.summary and c.summary:
        inner, params = counted.additive(
            lambda where: (f"SELECT NULLIF({r.summary}, '') AS raw, NULLIF({c.summary}, '') AS raw2, "
                           f"sum(spans) AS n, count(*) AS docs FROM label_doc_counts x WHERE label = ?{where} "
                           f"GROUP BY {r.summary}, {c.summary}"),
            "x.doc_id", ("raw", "raw2"), ("n", "docs"), (label,), " AND ")
    else:
        inner, params = counted.additive(
            lambda where: (f"SELECT {r.raw} AS raw, {c.raw} AS raw2, sum(x.spans) AS n, count(*) AS docs "
                           f"FROM label_doc_counts x JOIN documents d{covered} ON d.id = x.doc_id{r.join}{c.join} "
                           f"WHERE x.label = ?{where} GROUP BY raw, raw2"),
            "x.doc_id", ("raw", "raw2"), ("n", "docs"), (*r.params, *c.params, label), " AND ")
    sql = (f"SELECT {r.key} AS rk, ck, sum(n), sum(docs) FROM ("
           f"SELECT raw, {c.key.replace('raw', 'raw2')} AS ck, n, docs FROM ({inner})) GROUP BY rk, ck")
    found = [row for row in conn.execute(sql, params) if row[3]]
    rsizes, csizes = _sizes(conn, r, counted), _sizes(conn, c, counted)
    titles: dict[int, str] = dict(conn.execute("SELECT id, title FROM documents")) if (r.titles or c.titles) else {}
    rows = sorted({k for k, _ in rsizes}, key=_sort_key)
    groups = sorted({k for k, _ in csizes}, key=_sort_key)
    spans, statements = _cells(found, rows, groups)
    size = dict(csizes)
    return LabelTable(
        c, rows, {k: _group_name(r, k, titles) for k in rows}, groups, [_group_name(c, k, titles) for k in groups],
        spans, statements, [size[k] for k in groups], sum(size.values()), [sum(x) for x in statements],
        rows_grouping=r, label=label, counting=counted,
    )


@dataclass
class Timeline:
    """Spans per label per period (``counts[i][j]``: label i in period j), periods in order without gaps between
    the first and the last known one; statements without a date are left out and counted in ``undated``."""

    period: str
    labels: list[str]
    names: dict[str, str]
    periods: list[str]
    counts: list[list[int]]
    undated: int
    counting: Counting | None = None  # the statements counted (by status), and those left out


def _fill(periods: list[str], period: str) -> list[str]:
    """Every period from the first to the last known one (a quarter without spans is a zero on the chart)."""
    known = [p for p in periods if "?" not in p]
    if not known:
        return periods
    first, last = known[0], known[-1]
    out: list[str] = []
    y = int(first[:4])
    step = {"year": 1, "quarter": 4, "month": 12}[period]
    n = 1 if period == "year" else (int(first[6:]) if period == "quarter" else int(first[5:7]))
    while True:
        key = (f"{y:04d}" if period == "year" else f"{y:04d}-Q{n}" if period == "quarter" else f"{y:04d}-{n:02d}")
        out.append(key)
        if key >= last or len(out) > 12 * 10_000:
            break
        if period == "year":
            y += 1
        else:
            n += 1
            if n > step:
                n, y = 1, y + 1
    return sorted(set(out) | set(periods))


def timeline(conn: sqlite3.Connection, period: str = "quarter", variable: str = "date",
             status: str = ALL) -> Timeline:
    """Spans per label per ``period`` (year, quarter, month) of the statements' ``variable`` (a date), of the
    statements ``status`` counts."""
    if period not in PERIODS:
        raise AnnotatorError(f"unknown period {period!r}; expected year, quarter or month")
    table = label_table(conn, f"{variable}:{period}", status)
    cols = [j for j, k in enumerate(table.groups) if k is not None]
    undated = sum(table.spans[i][j] for i in range(len(table.labels)) for j, k in enumerate(table.groups) if k is None)
    periods = _fill([str(table.groups[j]) for j in cols], period)
    at = {str(table.groups[j]): j for j in cols}
    counts = [[table.spans[i][at[p]] if p in at else 0 for p in periods] for i in range(len(table.labels))]
    return Timeline(period, table.labels, table.names, periods, counts, undated, table.counting)


#: the distinct non-empty dates, one seek of ``documents_by_date`` each (a DISTINCT read every statement's entry)
_DATES = """WITH RECURSIVE dates(raw) AS (
        SELECT (SELECT min(date) FROM documents INDEXED BY documents_by_date WHERE date > '')
        UNION ALL SELECT (SELECT min(date) FROM documents INDEXED BY documents_by_date WHERE date > dates.raw)
        FROM dates WHERE dates.raw IS NOT NULL)
    SELECT raw FROM dates WHERE raw IS NOT NULL"""


def group_filter(conn: sqlite3.Connection, by: str, key: Any, alias: str = "v") -> tuple[str, tuple[Any, ...]]:
    """An SQL condition on ``s.doc_id`` selecting the statements of group ``key`` of grouping ``by``."""
    g = grouping(conn, by, alias)
    if g.summary == "date":  # the group's dates by seeks of the date index, then its statements by the same index
        values = f"SELECT raw FROM ({_DATES}) WHERE {g.key} {'IS NULL' if key is None else '= ?'}"
        either = "d.date IS NULL OR d.date = '' OR " if key is None else ""
        sql = (f"s.doc_id IN (SELECT d.id FROM documents d INDEXED BY documents_by_date"
               f" WHERE {either}d.date IN ({values}))")
        return sql, (() if key is None else (key,))
    # the group's stored values first (the period's SQL once per distinct value), then the statements holding them
    values = (f"SELECT raw FROM (SELECT DISTINCT {g.raw} AS raw FROM {g.documents_sql()}) "
              f"WHERE {g.key} {'IS NULL' if key is None else '= ?'}")
    either = f"{g.raw} IS NULL OR " if key is None else ""
    sql = f"s.doc_id IN (SELECT d.id FROM {g.documents_sql()} WHERE {either}{g.raw} IN ({values}))"
    return sql, (*g.params, *g.params, *(() if key is None else (key,)))


@dataclass(frozen=True)
class CodelineRow:
    """One statement of the codeline: where each of its spans falls (code points; ``length`` is the text's)."""

    doc_id: int
    title: str
    length: int
    spans: list[tuple[str, int, int]]  # (label, start, end) in text order
    span_ids: list[int] = field(default_factory=list)  # the spans' ids, in the same order


def codeline(conn: sqlite3.Connection, offset: int = 0, count: int = 50,
             labels: tuple[str, ...] = (), status: str = ALL) -> tuple[int, list[CodelineRow]]:
    """A page of the statements ``status`` counts (in id order, from ``offset``) with their spans (of ``labels``
    only, if given), and the number of those statements (MAXQDA's Codeline, one strip per statement)."""
    counted = tally(conn, status)
    total = counted.counted
    where, kept = counted.where("id")
    docs = conn.execute(f"SELECT id, title, length FROM documents INDEXED BY documents_listing{where} "
                        "ORDER BY id LIMIT ? OFFSET ?", (*kept, count, max(0, offset))).fetchall()
    by_doc: dict[int, list[tuple[str, int, int]]] = {d[0]: [] for d in docs}
    ids: dict[int, list[int]] = {d[0]: [] for d in docs}
    if docs:
        marks = ",".join("?" * len(docs))
        sql = f'SELECT doc_id, label, start, "end", id FROM spans WHERE doc_id IN ({marks})'
        params: list[Any] = [d[0] for d in docs]
        if labels:
            sql += f" AND label IN ({','.join('?' * len(labels))})"
            params += labels
        for doc_id, label, start, end, span_id in conn.execute(sql + ' ORDER BY doc_id, start, "end", id', params):
            by_doc[doc_id].append((label, start, end))
            ids[doc_id].append(span_id)
    return total, [CodelineRow(d, t, n, by_doc[d], ids[d]) for d, t, n in docs]
