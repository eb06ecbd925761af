"""spaCy DocBin (issue 10): read back by spaCy's own DocBin().from_disk with every span exact (overlaps kept),
ours → DocBin → ours identical; one clear line without spaCy."""

import json
import sys

import pytest
from hypothesis import given, settings

from annotator.formats.common import ExportOptions
from annotator.store import Project
from annotator.store.transfer import export_project, import_paths
from tests.helpers import run_cli
from tests.hostile import text_and_spans

spacy = pytest.importorskip("spacy")


def project_from(tmp, text, spans, name="p"):
    src = tmp / f"{name}.jsonl"
    src.write_text(
        json.dumps(
            {
                "text": text,
                "meta": {"title": "statement"},
                "spans": [
                    {"start": s, "end": e, "label": lb, "annotator": who, "note": note} for s, e, lb, who, note in spans
                ],
            },
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    project = Project.open(tmp / f"{name}.sqlite", create=True)
    assert not import_paths(project, [src]).rejected
    return project


def test_spacy_reads_our_docbin_with_exact_overlapping_spans(tmp_path):
    from spacy.tokens import DocBin

    text = "The DPRK's 😀 threat:\r\n we urge  restraint now."
    spans = [
        (4, 10, "actor", "kim", ""),
        (4, 20, "threat", "lee", "whole"),
        (8, 12, "odd", "kim", ""),
        (text.index("urge"), text.index("urge") + 5, "call", "kim", "with the space"),
    ]
    with project_from(tmp_path, text, spans) as p:
        export_project(p, "spacy", tmp_path / "out.spacy", options=ExportOptions(spans_key="claims"))
    nlp = spacy.blank("en")
    (doc,) = DocBin().from_disk(tmp_path / "out.spacy").get_docs(nlp.vocab)
    assert doc.text == text
    got = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["claims"])
    assert got == sorted((s, e, lb) for s, e, lb, _, _ in spans)
    assert doc.user_data["title"] == "statement"
    with Project.open(tmp_path / "q.sqlite", create=True) as q:  # ours → DocBin → ours
        assert not import_paths(q, [tmp_path / "out.spacy"]).rejected
        doc_id = q.documents()[0].id
        assert q.document(doc_id).text == text and q.document(doc_id).title == "statement"
        assert sorted((s.start, s.end, s.label, s.annotator, s.note) for s in q.spans(doc_id)) == sorted(spans)


@settings(max_examples=12, deadline=None)
@given(text_and_spans())
def test_docbin_round_trip_on_hostile_text(tmp_path_factory, case):
    text, raw = case
    tmp = tmp_path_factory.mktemp("docbin")
    with project_from(tmp, text, [(s, e, lb, "a", "") for s, e, lb in raw]) as p:
        export_project(p, "spacy", tmp / "out.spacy")
    from spacy.tokens import DocBin

    (doc,) = DocBin().from_disk(tmp / "out.spacy").get_docs(spacy.blank("xx").vocab)
    assert doc.text == text
    assert sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]) == sorted(raw)


def test_without_spacy_one_clear_line(tmp_path):
    code = (
        "import sys; sys.modules['spacy'] = None\n"
        "from annotator.cli import main\n"
        f"sys.exit(main(['export', {str(tmp_path / 'p.sqlite')!r}, '--format', 'spacy', '-o', "
        f"{str(tmp_path / 'o.spacy')!r}]))\n"
    )
    project_from(tmp_path, "Some text.", [(0, 4, "x", "a", "")]).close()
    import subprocess

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.decode().strip().splitlines() == [
        "annotator: the spacy format needs spaCy, which is not installed: pip install 'annotator[spacy]'"
    ]
    assert run_cli("export", tmp_path / "p.sqlite", "--format", "spacy", "-o", tmp_path / "o.spacy").returncode == 0


def test_a_statement_past_a_million_characters_exports_for_spacy_and_prodigy(tmp_path):
    """spaCy refuses a text past ``max_length`` (a million characters): a newcomer's 28.5 MB statement, which the
    import took, stopped the export with a traceback on the command line and silently in the window."""
    from spacy.tokens import DocBin

    sentence = "We continue to coordinate closely with allies. "
    text = sentence * (1_050_000 // len(sentence)) + "They pose a grave threat."
    start = text.index("grave threat")
    project = project_from(tmp_path, text, [(start, start + len("grave threat"), "threat", "ana", "")])
    path = project.path
    project.close()
    out = tmp_path / "out.spacy"
    result = run_cli("export", path, "--format", "spacy", "-o", out)
    assert result.returncode == 0, result.stderr
    (doc,) = DocBin().from_disk(out).get_docs(spacy.blank("xx").vocab)
    assert len(doc.text) > 1_000_000 and [s.text for s in doc.spans["sc"]] == ["grave threat"]
    result = run_cli("export", path, "--format", "prodigy", "-o", tmp_path / "out.jsonl")
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    (span,) = record["spans"]
    assert record["text"][span["start"]:span["end"]] == "grave threat"
