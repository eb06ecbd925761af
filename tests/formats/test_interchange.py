"""Interchange without loss (issue 10): several tasks on one text, doccano's UTF-16 offsets, document-level labels,
our own spans/csv re-imported, brat's overlap rule, doccano overlaps, other tools' files named, broken pipes."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

from annotator.errors import FormatError
from annotator.formats import spans
from annotator.formats.common import ExportOptions
from annotator.store import Project
from annotator.store.transfer import export_project, import_paths
from tests.helpers import run_cli
from tests.hostile import text_and_spans

DATA = Path(__file__).parent / "data"


def write_lines(path, objects):
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")
    return path


def spans_by_text(project):
    """{text: sorted [(start, end, label, annotator)]}."""
    out = {}
    for summary in project.documents():
        doc = project.document(summary.id)
        out[doc.text] = sorted((s.start, s.end, s.label, s.annotator) for s in project.spans(doc.id))
    return out


def u16(text, i):
    """How doccano's editor (JavaScript) counts code point offset ``i``: UTF-16 code units."""
    return len(text[:i].encode("utf-16-le")) // 2


# ------------------------------------------------------------------ 1. several tasks on the same text
def test_prodigy_db_out_of_two_annotators_keeps_every_accepted_span(tmp_path):
    text = "We urge the DPRK to stop, and we pledge aid."
    alice = [
        {
            "text": text,
            "spans": [{"start": 3, "end": 7, "label": "CALL"}],
            "_annotator_id": "proj-alice",
            "answer": "accept",
        },
    ]
    bob = [
        {
            "text": text,
            "spans": [{"start": 3, "end": 7, "label": "CALL"}, {"start": 32, "end": 38, "label": "PLEDGE"}],
            "_session_id": "proj-bob",
            "answer": "accept",
        },
        {
            "text": text,
            "spans": [{"start": 12, "end": 16, "label": "ACTOR"}],
            "_session_id": "proj-bob",
            "answer": "reject",
        },
        # the same task twice (ner.teach repeats texts): its span once
        {
            "text": text,
            "spans": [{"start": 32, "end": 38, "label": "PLEDGE"}],
            "_session_id": "proj-bob",
            "answer": "accept",
        },
        # no annotator named: the file's name (without extension)
        {"text": text, "spans": [{"start": 0, "end": 2, "label": "ACTOR"}], "answer": "accept"},
    ]
    src = write_lines(tmp_path / "dbout.jsonl", alice + bob)
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])
        assert not report.rejected
        assert spans_by_text(p) == {
            text: [
                (0, 2, "ACTOR", "dbout"),
                (3, 7, "CALL", "proj-alice"),
                (3, 7, "CALL", "proj-bob"),
                (32, 38, "PLEDGE", "proj-bob"),
            ]
        }
        assert len(report.imported) == 1 and report.merged_tasks == 3 and report.skipped_tasks == 1
        assert report.spans_by_annotator == {"proj-alice": 1, "proj-bob": 2, "dbout": 1}
        assert report.present_spans == 1
        lines = "\n".join(report.summary_lines())
        assert "proj-alice 1" in lines and "proj-bob 2" in lines and "1 span(s) already present" in lines
        assert "skipped 2 statement(s) already in the project" not in lines
    result = run_cli("agree", tmp_path / "p.sqlite", "--by-annotator", "--json")
    assert result.returncode == 0, result.stderr
    assert b"proj-alice" in result.stdout and b"proj-bob" in result.stdout


def test_reimport_adds_new_spans_to_the_document_already_there(tmp_path):
    text = "They threaten us; we pledge support."
    first = write_lines(
        tmp_path / "alice.jsonl",
        [{"text": text, "spans": [{"start": 5, "end": 13, "label": "threat"}], "_annotator_id": "alice"}],
    )
    second = write_lines(
        tmp_path / "bob.jsonl",
        [
            {
                "text": text,
                "spans": [{"start": 5, "end": 13, "label": "threat"}, {"start": 21, "end": 27, "label": "commitment"}],
                "_annotator_id": "bob",
            }
        ],
    )
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        import_paths(p, [first])
        report = import_paths(p, [second])
        assert report.imported == [] and report.extended == ["bob #1"] and report.spans == 2
        assert spans_by_text(p) == {
            text: [(5, 13, "threat", "alice"), (5, 13, "threat", "bob"), (21, 27, "commitment", "bob")]
        }
        # said once, not after "imported 0 statement(s) with 0 span(s)", which read as a contradiction
        assert report.summary_lines()[0] == "added 2 span(s) to 1 statement(s) already in the project"
        again = import_paths(p, [first, second])  # nothing new: nothing added
        assert again.spans == 0 and again.present_spans == 3
        assert len(spans_by_text(p)[text]) == 3


# ------------------------------------------------------------------ 2. doccano counts UTF-16 code units
def test_doccano_offsets_are_utf16_both_ways_on_astral_text(tmp_path):
    text = "🚀🚀 We urge 𝐃𝐏𝐑𝐊 restraint 😀."
    start, end = text.index("urge"), text.index("urge") + 4
    r0, r1 = text.index("restraint"), text.index("restraint") + 9
    # what doccano's editor writes: JavaScript string indices
    src = write_lines(
        tmp_path / "doccano.jsonl",
        [
            {
                "id": 1,
                "text": text,
                "label": [[u16(text, start), u16(text, end), "call"], [u16(text, r0), u16(text, r1), "call"]],
            }
        ],
    )
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        assert not import_paths(p, [src]).rejected
        assert spans_by_text(p)[text] == [(start, end, "call", ""), (r0, r1, "call", "")]
        export_project(p, "doccano", tmp_path / "out.jsonl")
        line = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
        assert line["label"] == [[u16(text, start), u16(text, end), "call"], [u16(text, r0), u16(text, r1), "call"]]
        # in JavaScript's counting the span is the phrase: text as UTF-16, sliced by code units
        units = text.encode("utf-16-le")
        assert units[2 * line["label"][0][0] : 2 * line["label"][0][1]].decode("utf-16-le") == "urge"
        export_project(p, "doccano", tmp_path / "cp.jsonl", options=ExportOptions(offsets="codepoints"))
        assert json.loads((tmp_path / "cp.jsonl").read_text(encoding="utf-8"))["label"][0] == [start, end, "call"]
    # --offsets codepoints on import reads a file that counts code points
    cp = write_lines(tmp_path / "cp_in.jsonl", [{"id": 1, "text": text, "label": [[start, end, "call"]]}])
    result = run_cli("import", tmp_path / "q.sqlite", cp, "--offsets", "codepoints")
    assert result.returncode == 0, result.stderr
    with Project.open(tmp_path / "q.sqlite") as q:
        assert spans_by_text(q)[text] == [(start, end, "call", "")]
    # an offset inside an emoji's surrogate pair shows the file counts code points: read so, and said, naming the
    # line and how to read it otherwise; with --offsets utf16 it is refused, saying what to do
    bad = write_lines(tmp_path / "bad.jsonl", [{"id": 1, "text": text, "label": [[1, 3, "call"]]}])
    result = run_cli("import", tmp_path / "r.sqlite", bad)
    said = result.stdout + result.stderr
    assert result.returncode == 0 and b"offsets read as code points" in said and b"line 1" in said
    assert b"U+1F680" in said  # what proves it
    with Project.open(tmp_path / "r.sqlite") as r:
        assert spans_by_text(r)[text] == [(1, 3, "call", "")]
    result = run_cli("import", tmp_path / "s.sqlite", bad, "--offsets", "utf16")
    assert result.returncode == 1 and b"--offsets codepoints" in result.stderr
    out = run_cli("export", tmp_path / "p.sqlite", "--format", "doccano", "--offsets", "codepoints")
    assert json.loads(out.stdout)["label"][0] == [start, end, "call"]


@settings(max_examples=30)
@given(text_and_spans())
def test_doccano_utf16_round_trip_on_hostile_text(tmp_path_factory, case):
    text, spans = case
    tmp = tmp_path_factory.mktemp("u16")
    src = write_lines(
        tmp / "in.jsonl", [{"text": text, "label": [[u16(text, s), u16(text, e), lb] for s, e, lb in spans]}]
    )
    with Project.open(tmp / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])
        assert not report.rejected, report.rejected
        got = [(s, e, lb) for s, e, lb, _ in spans_by_text(p)[text]]
        assert sorted(got) == sorted(set(spans)) or sorted(got) == sorted(spans)


# ------------------------------------------------------------------ 3. document-level labels
def test_document_labels_are_counted_and_named_never_dropped_silently(tmp_path):
    prodigy = write_lines(
        tmp_path / "textcat.jsonl",
        [
            {
                "text": "We pledge aid.",
                "options": [{"id": "PLEDGE"}, {"id": "THREAT"}],
                "accept": ["PLEDGE"],
                "answer": "accept",
            },
            {"text": "They threaten us.", "label": "THREAT", "answer": "accept"},
        ],
    )
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [prodigy, DATA / "doccano" / "text_classification.jsonl"])
        assert not report.rejected, report.rejected
        assert report.doc_labels == {"PLEDGE": 1, "THREAT": 1, "negative": 1, "positive": 2}
        line = next(x for x in report.summary_lines() if "document-level" in x)
        assert "5 document-level label(s)" in line and "positive (2)" in line and "THREAT (1)" in line
        assert len(report.imported) == 5  # the texts themselves are kept


# ------------------------------------------------------------------ 4. our own spans / csv re-imported
@pytest.mark.parametrize("fmt", ["spans", "csv"])
def test_spans_and_csv_exports_reimport_onto_their_documents(tmp_path, fmt):
    text = "We urge 😀 calm,\r\nand NA null."
    src = write_lines(
        tmp_path / "in.jsonl",
        [
            {
                "text": text,
                "spans": [
                    {"start": 3, "end": 7, "label": "call", "annotator": "kim", "note": 'n,"q"'},
                    {"start": 22, "end": 24, "label": "x", "annotator": "kim"},
                ],
            },
            {"text": "Other.", "spans": []},
        ],
    )
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        import_paths(p, [src])
        target = tmp_path / f"out.{'jsonl' if fmt == 'spans' else 'csv'}"
        export_project(p, fmt, target)
    # into a project holding the texts (without spans): the spans land on those documents, nothing else made
    with Project.open(tmp_path / "q.sqlite", create=True) as q:
        write_lines(tmp_path / "texts.jsonl", [{"text": text, "spans": []}, {"text": "Other.", "spans": []}])
        import_paths(q, [tmp_path / "texts.jsonl"])
        report = import_paths(q, [target])
        assert not report.rejected, report.rejected
        assert len(q.documents()) == 2
        assert spans_by_text(q)[text] == [(3, 7, "call", "kim"), (22, 24, "x", "kim")]
        (span,) = [s for s in q.spans(q.documents()[0].id) if s.label == "call"]
        assert span.note == 'n,"q"'
        assert import_paths(q, [target]).spans == 0  # again: already present
    # into a project lacking them: refused whole, naming the document
    with Project.open(tmp_path / "r.sqlite", create=True) as r:
        report = import_paths(r, [target])
        (path, problems) = report.rejected[0]
        assert "not in this project" in problems[0] and any("'in #1'" in x for x in problems)
        assert r.documents() == []


# ------------------------------------------------------------------ 5-6. brat overlaps, doccano overlaps
def test_brat_conf_declares_overlaps_and_doccano_export_warns_of_them(tmp_path):
    text = "They threaten to strike us."
    src = write_lines(
        tmp_path / "in.jsonl",
        [
            {
                "text": text,
                "spans": [
                    {"start": 5, "end": 13, "label": "threat"},
                    {"start": 5, "end": 23, "label": "threat"},
                    {"start": 10, "end": 26, "label": "actor"},
                ],
            }
        ],
    )
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        import_paths(p, [src])
        export_project(p, "brat", tmp_path / "brat")
        options = ExportOptions()
        export_project(p, "doccano", tmp_path / "d.jsonl", options=options)
    conf = (tmp_path / "brat" / "annotation.conf").read_text(encoding="utf-8")
    relations = conf.split("[relations]")[1].split("[events]")[0]
    assert "<OVERLAP> Arg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>" in relations.splitlines()
    assert any("overlapping spans" in n and "Allow overlapping spans" in n for n in options.notes)
    result = run_cli("export", tmp_path / "p.sqlite", "--format", "doccano", "-o", tmp_path / "d2.jsonl")
    assert result.returncode == 0 and b"1 statement(s) hold overlapping spans" in result.stderr


# ------------------------------------------------------------------ 7. what the README tells pandas users
def test_readme_pandas_advice_keeps_na_and_null_texts(tmp_path):
    pd = pytest.importorskip("pandas")
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert "pd.read_csv(path, keep_default_na=False)" in readme
    src = write_lines(
        tmp_path / "in.jsonl",
        [
            {
                "text": "NA null N/A",
                "spans": [
                    {"start": 0, "end": 2, "label": "x"},
                    {"start": 3, "end": 7, "label": "x"},
                    {"start": 8, "end": 11, "label": "x"},
                ],
            }
        ],
    )
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        import_paths(p, [src])
        export_project(p, "csv", tmp_path / "out.csv")
    frame = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)
    assert list(frame["text"]) == ["NA", "null", "N/A"] and list(frame["note"]) == ["", "", ""]


# ------------------------------------------------------------------ 8. other tools' files named
def test_other_tools_files_get_one_clear_line(tmp_path):
    studio = tmp_path / "studio.json"
    studio.write_text(json.dumps([{"id": 1, "data": {"text": "abc"}, "annotations": []}], indent=2))
    pretty = tmp_path / "pretty.jsonl"
    pretty.write_text(
        json.dumps({"text": "We urge calm.", "spans": [{"start": 3, "end": 7, "label": "call"}]}, indent=2)
    )
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [DATA / "doccano" / "columns_sequence_labeling.jsonl", pretty])
        (path, problems) = report.rejected[0]
        assert "doccano" in problems[0] and "'column_data'" in problems[0] and "rename" in problems[0]
        # pretty-printed JSON in a .jsonl file is read for what it is, not 49 per-line errors
        assert len(report.imported) == 1 and report.spans == 1
        # a Label Studio export is read as one (not "'text' must be a string, got dict")
        report = import_paths(p, [studio])
        assert not report.rejected and report.imported == ["studio #1"]


# ------------------------------------------------------------------ 9. a closed pipe is not an error
def test_stats_into_a_closed_pipe_ends_quietly(tmp_path):
    src = write_lines(
        tmp_path / "in.jsonl",
        [{"text": f"Statement {i}.", "spans": [{"start": 0, "end": 9, "label": f"label{i}"}]} for i in range(300)],
    )
    assert run_cli("import", tmp_path / "p.sqlite", src).returncode == 0
    for command in (["stats", tmp_path / "p.sqlite"], ["export", tmp_path / "p.sqlite"]):
        annotator = subprocess.Popen(
            [sys.executable, "-m", "annotator", *map(str, command)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        head = subprocess.run(["head", "-3"], stdin=annotator.stdout, capture_output=True, timeout=60)
        annotator.stdout.close()  # only head holds the pipe now: it closes it after three lines
        err = annotator.stderr.read()
        annotator.stderr.close()
        assert annotator.wait(timeout=60) == 0, err
        assert len(head.stdout.splitlines()) == 3
        assert b"Traceback" not in err and b"BrokenPipeError" not in err, err


def test_csv_file_of_another_shape_is_named(tmp_path):
    other = tmp_path / "other.csv"
    with open(other, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([["sentence", "tag"], ["abc", "x"]])
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        (path, problems) = import_paths(p, [other]).rejected[0]
        assert "doc_sha256" in problems[0] and "sentence" in problems[0]
    with pytest.raises(FormatError):
        spans.read_csv(other)


def test_brat_annotation_counting_crlf_as_one_character_is_read_so(tmp_path):
    raw = "First line.\r\nThey threaten us.\r\n"
    as_brat = raw.replace("\r\n", "\n")  # what a tool reading the .txt in text mode counts (brat itself does not)
    start = as_brat.index("threaten")
    (tmp_path / "doc.txt").write_bytes(raw.encode("utf-8"))
    (tmp_path / "doc.ann").write_text(f"T1\tthreat {start} {start + 8}\tthreaten\n", encoding="utf-8")
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [tmp_path / "doc.txt"])
        assert not report.rejected, report.rejected
        assert spans_by_text(p) == {as_brat: [(start, start + 8, "threat", "")]}
        assert any("count a \\r\\n line end as one character" in n for n in report.notes)


def test_real_prodigy_binary_textcat_file_counts_its_document_labels(tmp_path):
    # Prodigy's own example data (see data/README.md): label on tasks without spans, accept/reject answers
    src = DATA / "prodigy" / "github-issues-DOCUMENTATION-textcat-head.jsonl"
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [src])
        assert not report.rejected and report.skipped_tasks == 3 and len(report.imported) == 2
        assert report.doc_labels == {"DOCUMENTATION": 2}
        assert any("2 document-level label(s)" in x and "DOCUMENTATION (2)" in x for x in report.summary_lines())
