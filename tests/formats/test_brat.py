"""brat standoff: export → import keeps text, spans and notes exactly; bad pairs are rejected whole (DESIGN.md §2.4).

The choices for what brat cannot hold (line breaks in spans and notes, whitespace in labels) are in the docstring
of ``annotator.formats.brat``; these tests hold them to exact round trips.
"""

import json
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import AnnotatorError, FormatError
from annotator.formats import brat, brat_write
from annotator.formats.common import ExportOptions
from annotator.store import Project
from annotator.store.transfer import export_project, import_paths
from tests.helpers import run_cli
from tests.hostile import text_and_spans

NOTES = st.one_of(
    st.sampled_from(
        ["", "plain", "two\nlines", "a literal \\n and \\\\", "crlf\r\nand\u2028seps\x85", "tab\there", " "]
    ),
    st.text(max_size=8),
)
LABELS = ("threat", "Ünïcode label 😀", "100% sure", "a%20b", "tab\there", "line\u2028break", "call_to_action")


def project_with(tmp, docs, name="p.sqlite"):
    """A project holding ``docs`` = [(title, text, [(start, end, label, note)])], imported through JSONL."""
    src = tmp / f"{name}.jsonl"
    lines = [
        json.dumps(
            {
                "text": text,
                "meta": {"title": title},
                "spans": [{"start": s, "end": e, "label": lb, "note": n} for s, e, lb, n in spans],
            },
            ensure_ascii=False,
        )
        for title, text, spans in docs
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = Project.open(tmp / name, create=True)
    report = import_paths(project, [src])
    assert not report.rejected, report.rejected
    return project


def spans_of(project):
    """{text: sorted [(start, end, label, note)]} for every document."""
    out = {}
    for summary in project.documents():
        doc = project.document(summary.id)
        out[doc.text] = sorted((s.start, s.end, s.label, s.note) for s in project.spans(doc.id))
    return out


def parse_ann(ann: str, txt: str):
    """An independent reading of our .ann: every T line's text field is the text at its fragments, no line holds a
    line break; returns [(first start, last end, brat type, T id)] and {T id: raw note}."""
    textbounds, notes = [], {}
    for line in ann.split("\n")[:-1]:
        assert line.splitlines() == [line], f"a line break inside a .ann line: {line!r}"
        ident, data, field = line.split("\t", 2)
        if ident.startswith("T"):
            brat_type, offsets = data.split(" ", 1)
            frags = [tuple(map(int, f.split(" "))) for f in offsets.split(";")]
            assert field == " ".join(txt[a:b] for a, b in frags)
            assert all(a <= b for a, b in frags) and all(p[1] <= q[0] for p, q in pairwise(frags))
            assert " " not in brat_type and "\t" not in brat_type
            textbounds.append((frags[0][0], frags[-1][1], brat_type, ident))
        else:
            kind, target = data.split(" ")
            assert kind == "AnnotatorNotes"
            notes[target] = field
    return textbounds, notes


@settings(max_examples=40)
@given(text_and_spans(labels=LABELS), st.data())
def test_export_import_keeps_text_spans_and_notes_exactly(tmp_path_factory, case, data):
    text, raw = case
    spans = [(s, e, lb, data.draw(NOTES)) for s, e, lb in raw]
    # a span holding only line breaks and spaces has no place in brat: left out, and counted
    kept = [sp for sp in spans if not text[sp[0] : sp[1]].isspace()]
    tmp = tmp_path_factory.mktemp("brat")
    options = ExportOptions()
    with project_with(tmp, [("statement", text, spans)]) as p:
        assert export_project(p, "brat", tmp / "out", options=options) == 1
    assert any(f"{len(spans) - len(kept)} span(s) holding only" in n for n in options.notes) == (kept != spans)
    txt = (tmp / "out" / "statement.txt").read_bytes()
    assert txt == text.encode("utf-8")  # byte for byte, as brat counts it: CR, U+2028 and the rest as they were
    ann = (tmp / "out" / "statement.ann").read_bytes().decode("utf-8")
    textbounds, notes = parse_ann(ann, text)
    assert sorted((s, e, brat.decode_label(t)) for s, e, t, _ in textbounds) == sorted(
        (s, e, lb) for s, e, lb, _ in kept
    )
    assert len(notes) == sum(1 for *_, n in kept if n)
    with Project.open(tmp / "q.sqlite", create=True) as q:
        report = import_paths(q, [tmp / "out"])
        assert not report.rejected, report.rejected
        (got,) = spans_of(q).items()
        assert got == (text, sorted(kept))


def test_crlf_emoji_and_spans_across_lines(tmp_path):
    text = "The DPRK 😀 threatens\r\npeace;\u2028we urge 𝐃𝐏𝐑𝐊 restraint.\r\n"
    start = text.index("threatens")
    semi = text.index(";")
    spans = [
        (start, semi + 1, "threat", "across CRLF"),
        (text.index("\r"), text.index("p"), "call to arms", "only the line break"),
        (semi + 1, len(text), "commitment", "starts and ends with a break\nsecond line"),
        (text.index("threatens\r") + 9, semi, "threat", "starts with the line break"),
    ]
    options = ExportOptions()
    with project_with(tmp_path, [("Joint statement", text, spans)]) as p:
        export_project(p, "brat", tmp_path / "out", options=options)
    # brat counts every character of the .txt as it is (codecs.open drops the 'U' of 'rU'): written byte for byte
    assert (tmp_path / "out" / "Joint statement.txt").read_bytes() == text.encode("utf-8")
    ann = (tmp_path / "out" / "Joint statement.ann").read_bytes().decode("utf-8")
    assert f"T1\tthreat {start} {start + 9};{start + 11} {start + 17}\tthreatens peace;\n" in ann
    assert f"T2\tthreat {start + 9} {start + 9};{start + 11} {semi}\t peace\n" in ann  # zero-length, then "peace"
    assert "call%20to%20arms" not in ann  # only a line break: brat cannot hold it
    assert "#3\tAnnotatorNotes T3\tstarts and ends with a break\\nsecond line\n" in ann
    assert any("1 span(s) holding only line breaks" in n and "call to arms 20-22" in n for n in options.notes)
    conf = (tmp_path / "out" / "annotation.conf").read_text(encoding="utf-8")
    assert "[entities]\ncommitment\nthreat\n" in conf and "call%20to%20action" not in conf
    assert "<OVERLAP> Arg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>" in conf.split("[relations]")[1].split("[events]")[0]
    with Project.open(tmp_path / "q.sqlite", create=True) as q:
        assert not import_paths(q, [tmp_path / "out"]).rejected
        assert spans_of(q) == {text: sorted(spans[:1] + spans[2:])}
        assert [d.title for d in q.documents()] == ["Joint statement"]


def test_a_span_of_only_a_line_break_is_left_out_and_named(tmp_path):
    # the tester's brat_nlspan.jsonl: brat read "T2 nl 8 8;9 9" with a blank text field as "missing text"
    text = "Line one\nWe urge"
    with project_with(tmp_path, [("nl", text, [(8, 9, "nl", ""), (7, 10, "e_nl_W", "")])]) as p:
        result = run_cli("export", p.path, "--format", "brat", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "nl.ann").read_text(encoding="utf-8") == "T1\te_nl_W 7 8;9 10\te W\n"
    assert b"1 span(s) holding only line breaks or spaces left out" in result.stderr
    assert b"nl.txt nl 8-9" in result.stderr


def test_file_names_are_safe_unique_and_readable(tmp_path):
    titles = ["../../etc/passwd", "Joint Statement", "joint statement", "a\x00b\nc\u202eexe.txt", "\t\n", "CON", ". ."]
    docs = [(t, f"text number {i}", [(0, 4, "threat", "")]) for i, t in enumerate(titles)]
    with project_with(tmp_path, docs) as p:
        assert export_project(p, "brat", tmp_path / "out") == len(titles)
    names = sorted(x.name for x in (tmp_path / "out").iterdir())
    assert names == sorted(
        [
            f"{n}.{ext}"
            for n in (
                "etc passwd",
                "Joint Statement",
                "joint statement_2",
                "a b c exe.txt",
                "document",
                "_CON",
                "document_2",
            )
            for ext in ("txt", "ann")
        ]
        + ["annotation.conf"]
    )
    assert not list(tmp_path.glob("etc*")) and not (tmp_path.parent / "etc").exists()
    with Project.open(tmp_path / "q.sqlite", create=True) as q:
        report = import_paths(q, [tmp_path / "out"])
        assert not report.rejected and len(report.imported) == len(titles)


def test_export_needs_a_new_or_empty_folder_and_leaves_nothing_on_failure(tmp_path, monkeypatch):
    with project_with(tmp_path, [("a", "alpha text", [(0, 5, "threat", "")]), ("b", "beta text", [])]) as p:
        busy = tmp_path / "busy"
        busy.mkdir()
        (busy / "keep.txt").write_text("mine")
        with pytest.raises(AnnotatorError, match="not empty"):
            export_project(p, "brat", busy)
        assert [x.name for x in busy.iterdir()] == ["keep.txt"]
        (tmp_path / "file").write_text("x")
        with pytest.raises(AnnotatorError, match="not a folder"):
            export_project(p, "brat", tmp_path / "file")
        with pytest.raises(AnnotatorError, match="does not exist"):
            export_project(p, "brat", tmp_path / "missing" / "out")

        empty = tmp_path / "empty"
        empty.mkdir()
        assert export_project(p, "brat", empty) == 2
        assert sorted(x.name for x in empty.iterdir()) == ["a.ann", "a.txt", "annotation.conf", "b.ann", "b.txt"]

        calls = []

        def broken(text, spans):
            calls.append(text)
            if len(calls) == 2:
                raise OSError(28, "No space left on device")
            return ""

        monkeypatch.setattr(brat_write, "ann_text", broken)
        with pytest.raises(AnnotatorError, match="No space left"):
            export_project(p, "brat", tmp_path / "new")
    assert not (tmp_path / "new").exists()
    assert [x.name for x in tmp_path.iterdir() if x.name.startswith(".")] == []


# ------------------------------------------------------------------------------------------ reading foreign files
def write_pair(folder, name, text, ann, text_bytes=None):
    (folder / f"{name}.txt").write_bytes(text_bytes if text_bytes is not None else text.encode("utf-8"))
    (folder / f"{name}.ann").write_bytes(ann.encode("utf-8") if isinstance(ann, str) else ann)


def test_reads_either_file_of_a_pair_with_notes_fragments_and_other_lines(tmp_path):
    text = "\ufeffTom met Ann Smith.\nThe DPRK\nthreatens us."
    ann = (
        "T1\tPerson 1 4\tTom\r\n"
        "T2\tPerson 9 12;13 18\tAnn Smith\n"  # a whitespace gap: one span
        "T3\tPerson 1 4;9 12\tTom Ann\n"  # words between: one span per fragment
        f"T4\tthreat {text.index('The')} {text.index('The') + 8};{text.index('threat')} {len(text) - 1}\t"
        "The DPRK threatens us\n"
        "\n"
        "#1\tAnnotatorNotes T1\tfirst\\nnote\n"
        "#2\tAnnotatorNotes T1\tsecond, with a C:\\path\n"
        "#3\tAnnotatorNotes T3\tsplit\n"
        "#4\tOtherComment T2\tnot a note\n"
        "R1\tKnows Arg1:T1 Arg2:T2\n"
        "A1\tNegated T4\n"
        "E1\tMeet:T1 Agent:T2\n"
    )
    write_pair(tmp_path, "doc", text, "\ufeff" + ann)
    for path in (tmp_path / "doc.ann", tmp_path / "doc.txt"):
        result = brat.read(path)
        (doc,) = result.documents
        assert doc.text == text and doc.title == "doc"
        got = sorted((s.start, s.end, s.label, s.note) for s in doc.spans)
        assert got == sorted(
            [
                (1, 4, "Person", "first\nnote\nsecond, with a C:\\path"),
                (9, 18, "Person", ""),
                (1, 4, "Person", "split"),
                (9, 12, "Person", "split"),
                (text.index("The"), len(text) - 1, "threat", ""),
            ]
        )
        assert any("1 discontinuous" in n for n in result.notes)
        assert any("1 attribute(s), 1 comment(s), 1 event(s), 1 relation(s)" in n for n in result.notes)


def test_bad_pairs_are_rejected_whole_naming_every_line(tmp_path):
    text = "We urge restraint."
    ann = (
        "\n".join(
            [
                "T1\tcall 3 7\turge",  # fine
                "T2\tcall 3 99\turge",  # outside the text
                "T3\tcall 3 7\tUrge",  # text field does not match
                "T4\tcall 8 17",  # no text field: accepted, as brat does
                "T5\tcall x 7\turge",  # not integers
                "T6\tcall 8 17;3 7\trestraint urge",  # out of order
                "T1\tcall 3 7\turge",  # duplicate id
                "no tab here",
                "#1\tAnnotatorNotes T99\tdangling",
                "Q1\tsomething",
                "T7\tcall 5 5\t",  # empty
            ]
        )
        + "\n"
    )
    write_pair(tmp_path, "bad", text, ann)
    with pytest.raises(FormatError) as info:
        brat.read(tmp_path / "bad.txt")
    message = "\n".join(info.value.lines())
    assert "nothing from this file was imported" in message
    for n in (2, 3, 5, 6, 7, 8, 9, 10, 11):
        assert f"line {n}:" in message, n
    for n in (1, 4):
        assert f"line {n}:" not in message
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [tmp_path])
        assert p.documents() == [] and len(report.rejected) == 1


def test_invalid_utf8_and_missing_partners(tmp_path):
    (tmp_path / "one").mkdir()
    write_pair(tmp_path / "one", "latin", "", "T1\tx 0 3\tcaf\n", text_bytes=b"first line\ncaf\xe9\n")
    with pytest.raises(FormatError, match=r"not valid UTF-8 \(line 2, byte 14\)"):
        brat.read(tmp_path / "one" / "latin.ann")
    write_pair(tmp_path / "one", "badann", "café", b"T1\tx 0 4\tcaf\xe9\nT2\tx 0 1\tc\n")
    with pytest.raises(FormatError) as info:
        brat.read(tmp_path / "one" / "badann.txt")
    assert "line 1: not valid UTF-8" in "\n".join(info.value.lines())
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "alone.ann").write_text("T1\tx 0 1\ta\n")
    with pytest.raises(FormatError, match="alone.txt is missing"):
        brat.read(tmp_path / "two" / "alone.ann")
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [tmp_path / "one", tmp_path / "two"])
        assert p.documents() == []
    assert len(report.rejected) == 3


def test_percent_encoding_of_labels_round_trips_and_keeps_foreign_types():
    for label in ("call to action", "100%", "a%20b", "tab\tand\nnewline", "Ünïcode label 😀", "plain_label-1"):
        encoded = brat.encode_label(label)
        assert not any(ch.isspace() for ch in encoded)
        assert brat.decode_label(encoded) == label
    assert brat.encode_label("threat") == "threat"
    assert brat.decode_label("Rate%") == "Rate%" and brat.decode_label("bad%FF") == "bad%FF"


# ------------------------------------------------------------------------------------------ command line
def test_cli_export_and_import_brat(tmp_path):
    text = "They threaten\r\nus; we pledge 😀 support."
    spans = [(5, 18, "threat", "note\nhere"), (23, 29, "commitment", "")]
    project_with(tmp_path, [("Statement one", text, spans)]).close()
    out = tmp_path / "brat-out"
    result = run_cli("export", tmp_path / "p.sqlite", "--format", "brat", "-o", out)
    assert result.returncode == 0, result.stderr
    assert sorted(x.name for x in out.iterdir()) == ["Statement one.ann", "Statement one.txt", "annotation.conf"]
    assert run_cli("export", tmp_path / "p.sqlite", "--format", "brat").returncode == 1  # a folder is needed
    again = run_cli("export", tmp_path / "p.sqlite", "--format", "brat", "-o", out)
    assert again.returncode == 1 and b"not empty" in again.stderr and b"Traceback" not in again.stderr
    result = run_cli("import", tmp_path / "q.sqlite", out)
    assert result.returncode == 0, result.stderr
    assert b"imported 1 statement(s) with 2 span(s)" in result.stdout
    with Project.open(tmp_path / "q.sqlite") as q:
        # the same text, CRLF and all (the same SHA-256), and the same spans
        assert spans_of(q) == {text: sorted([(5, 18, "threat", "note\nhere"), (23, 29, "commitment", "")])}
