"""Plain-text tables of agreement results (``annotator agree`` without ``--json``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from annotator.core.neutral import terminal_safe

#: what each measure counts, printed under the tables and in ``annotator agree --help``
MEASURES = (
    "exact: spans with the same statement, start, end and label; P = share of B's spans A has, R = share of A's "
    "B has",
    "overlap: same-label spans sharing at least one character, paired one-to-one (a maximum pairing)",
    "kappa: Cohen's kappa per label over the non-whitespace characters of the compared statements (whitespace is "
    "not counted; text nobody labelled counts as agreement on 'not this label'); overall = mean over labels",
    "alpha_u: Krippendorff's unitizing alpha per label over every character (whitespace included) of the compared "
    "statements laid end to end: boundaries and lengths count, uncoded text enters as the gaps between spans",
)


def num(value: float | None) -> str:
    if value is None:
        return "-"
    text = f"{value:.3f}"
    return "0.000" if text == "-0.000" else text  # a kappa a hair below zero reads 0.000, not -0.000


def table(rows: Sequence[Sequence[str]], left: int = 1) -> list[str]:
    """Columns padded to their widest cell; the first ``left`` columns left-aligned, the rest right-aligned.

    Cells are escaped (:func:`terminal_safe`) before they are measured: a label with a control character is printed
    escaped (``sanction\\u202e…``), wider than it is raw, and its row's figures kept their columns only if the
    width counts the escape."""
    rows = [[terminal_safe(cell) for cell in row] for row in rows]
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    return [
        "  ".join(
            cell.ljust(w) if c < left else cell.rjust(w) for c, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def diagnostic_lines(found: Sequence[Mapping[str, str]]) -> list[str]:
    """Each warning as two lines: the label and what was found, then the advice."""
    lines: list[str] = []
    for d in found:
        lines += [f"! {d['label']}: {d['finding']}", f"  {d['advice']}"]
    return lines


def format_compare(result: Mapping[str, Any], name_a: str = "A", name_b: str = "B", title: str = "") -> str:
    """A ``compare`` result as an aligned table: label, spans in A and B, exact and overlap P/R/F1, κ, α_u; then
    the diagnostics and what each measure counts."""
    header = ["label", "A", "B", "exact P", "R", "F1", "overlap P", "R", "F1", "kappa", "alpha_u"]
    rows = [header]

    def row(label: str, entry: Mapping[str, Any], n_a: int, n_b: int) -> list[str]:
        ex, ov = entry["exact"], entry["overlap"]
        return [
            label,
            str(n_a),
            str(n_b),
            *(num(ex[k]) for k in ("precision", "recall", "f1")),
            *(num(ov[k]) for k in ("precision", "recall", "f1")),
            num(entry["kappa"]),
            num(entry.get("alpha_u")),
        ]

    for label, entry in result["labels"].items():
        rows.append(row(label, entry, entry["a"], entry["b"]))
    labels = result["labels"].values()
    rows.append(row("(overall)", result["overall"], sum(e["a"] for e in labels), sum(e["b"] for e in labels)))
    lines = [
        *([title] if title else []),
        f"A: {name_a}",
        f"B: {name_b}",
        f"documents compared: {result['documents']}"
        f" (only in A: {len(result.get('only_in_a', ()))}, only in B: {len(result.get('only_in_b', ()))})",
        "",
        *table(rows),
    ]
    found = result.get("diagnostics") or []
    if found:
        lines += ["", *diagnostic_lines(found)]
    return "\n".join(lines) + "\n"


def format_many(result: Mapping[str, Any], detail: bool = False) -> str:
    """An ``agree_many`` result: a pairwise summary (or every pair's full table) and the Fleiss' κ table."""
    lines: list[str] = []
    pairs = result["pairwise"]
    if detail:
        for pair in pairs:
            lines += [format_compare(pair["agreement"], pair["a"], pair["b"])]
    else:
        rows = [["A", "B", "documents", "exact F1", "overlap F1", "kappa", "alpha_u"]]
        for pair in pairs:
            overall = pair["agreement"]["overall"]
            rows.append(
                [
                    pair["a"],
                    pair["b"],
                    str(pair["agreement"]["documents"]),
                    num(overall["exact"]["f1"]),
                    num(overall["overlap"]["f1"]),
                    num(overall["kappa"]),
                    num(overall.get("alpha_u")),
                ]
            )
        lines += ["pairwise:", *table(rows, left=2), ""]
    fleiss = result["fleiss"]
    names = fleiss["annotators"]
    rows = [["label", *(f"#{i + 1}" for i in range(len(names))), "Fleiss kappa", "alpha_u"]]
    for label, entry in fleiss["labels"].items():
        rows.append([label, *map(str, entry["spans"]), num(entry["kappa"]), num(entry.get("alpha_u"))])
    rows.append(["(overall)", *([""] * len(names)), num(fleiss["overall"]["kappa"]),
                 num(fleiss["overall"].get("alpha_u"))])
    lines += [
        f"Fleiss' kappa and alpha_u over the {fleiss['documents']} document(s) every file holds "
        f"({len(fleiss['excluded'])} excluded); annotators:",
        *(f"  #{i + 1} {name}" for i, name in enumerate(names)),
        "",
        *table(rows),
    ]
    return "\n".join(lines) + "\n"
