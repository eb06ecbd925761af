"""The labelled evaluation set of issue #13 (``tests/data/suggest_eval/statements.jsonl``): a valid ``jsonl`` file
by the app's own contract, and ``annotator import`` of it keeps every span."""

import json
import re
from datetime import date
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.core.codebook import DEFAULT_LABELS
from annotator.store import Project

EVALSET = Path(__file__).resolve().parents[1] / "data" / "suggest_eval" / "statements.jsonl"
META = ("title", "date", "issuer", "url", "source")


def records():
    raw = EVALSET.read_bytes()
    assert b"\r" not in raw, "LF line ends only"
    return [json.loads(line) for line in raw.decode("utf-8").split("\n") if line]


def test_every_statement_has_text_meta_and_sorted_spans_inside_it():
    recs = records()
    assert len(recs) >= 40
    assert EVALSET.stat().st_size < 600 * 1024
    keys = {label.key for label in DEFAULT_LABELS}
    texts = set()
    for n, rec in enumerate(recs, 1):
        assert set(rec) == {"text", "spans", "meta"}, n
        text = rec["text"]
        assert isinstance(text, str) and text.strip() and text not in texts, n
        texts.add(text)
        assert set(rec["meta"]) == set(META), n
        for field in META:
            assert isinstance(rec["meta"][field], str) and rec["meta"][field].strip(), (n, field)
        assert date.fromisoformat(rec["meta"]["date"]).isoformat() == rec["meta"]["date"], n
        assert re.match(r"^https://", rec["meta"]["url"]), n
        spans = rec["spans"]
        assert spans, f"statement {n} has no span at all"
        assert spans == sorted(spans, key=lambda s: (s["start"], s["end"], s["label"])), n
        for s in spans:
            assert set(s) == {"start", "end", "label"}, n
            assert type(s["start"]) is int and type(s["end"]) is int, n
            assert 0 <= s["start"] < s["end"] <= len(text), (n, s)
            piece = text[s["start"] : s["end"]]
            assert piece.strip() and piece == piece.strip(), (n, s, piece)
            assert "\n" not in piece, (n, s, piece)  # a span is a clause inside one paragraph
            assert s["label"] in keys, (n, s)
        assert len({(s["start"], s["end"], s["label"]) for s in spans}) == len(spans), n


def test_every_label_has_enough_spans_for_a_learning_curve_to_200():
    counts = {label.key: 0 for label in DEFAULT_LABELS}
    for rec in records():
        for s in rec["spans"]:
            counts[s["label"]] += 1
    assert sum(counts.values()) >= 200, counts
    assert all(n >= 40 for n in counts.values()), counts


def test_annotator_import_keeps_every_span(tmp_path, capsys):
    project = tmp_path / "eval.sqlite"
    assert main(["import", str(project), str(EVALSET)]) == 0
    capsys.readouterr()
    expected = {rec["text"]: sorted((s["start"], s["end"], s["label"]) for s in rec["spans"]) for rec in records()}
    meta = {rec["text"]: rec["meta"] for rec in records()}
    with Project.open(project) as p:
        assert {label.key for label in p.labels()} == {label.key for label in DEFAULT_LABELS}  # no label added
        got = {}
        for summary in p.documents():
            doc = p.document(summary.id)
            got[doc.text] = sorted((s.start, s.end, s.label) for s in p.spans(doc.id))
            assert doc.date == meta[doc.text]["date"] or str(doc.date) == meta[doc.text]["date"]
            assert doc.issuer == meta[doc.text]["issuer"]
            assert doc.url == meta[doc.text]["url"]
    assert got == expected


@pytest.mark.parametrize("label", [label.key for label in DEFAULT_LABELS])
def test_each_label_occurs_in_several_statements_and_is_absent_from_some(label):
    """Negatives matter as much as positives: a label that is in every statement teaches nothing about absence."""
    having = [any(s["label"] == label for s in rec["spans"]) for rec in records()]
    assert sum(having) >= 10, label
    assert not all(having), label


def test_readme_figures_match_the_file():
    """The README's counts are written by build.py; a hand edit of statements.jsonl without a rebuild shows here."""
    readme = (EVALSET.parent / "README.md").read_text(encoding="utf-8")
    recs = records()
    total = sum(len(rec["spans"]) for rec in recs)
    assert f"**{len(recs)} statements, {total} spans**" in readme
    for label in DEFAULT_LABELS:
        n = sum(s["label"] == label.key for rec in recs for s in rec["spans"])
        assert f"| `{label.key}` | {n} |" in readme
