"""Fuzzing every reader with hypothesis: random bytes, random JSON, plausible-but-wrong records, mutated files.

The property everywhere: a reader either returns documents that are valid by the contract (DESIGN.md §2.4: text
SQLite can store, integer offsets with ``0 <= start < end <= len(text)``, a non-empty string label) and that the
store then takes without complaint, or it raises the one error type users see (AnnotatorError) with a message.
Nothing else escapes. ``ANNOTATOR_FUZZ`` sets the examples per test (60 in CI; 2000 for the figures).
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator import cli
from annotator.core import codebook
from annotator.core.model import ReadResult
from annotator.core.text import storable_problem
from annotator.errors import AnnotatorError
from annotator.formats import brat, doccano, jsonl, plaintext
from annotator.formats.common import is_int
from annotator.store import Project, connection
from tests.hostile import PIECES, hostile_text
from tests.reliability.common import CI, FUZZ, make_project, report

FUZZ_SETTINGS = settings(  # random examples locally and in the full run; the same examples in CI, which is a gate
    max_examples=FUZZ, deadline=None, derandomize=CI,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

KEYS = ["text", "spans", "start", "end", "label", "labels", "entities", "note", "annotator", "meta", "title",
        "sha256", "status", "answer", "_annotator_id", "start_offset", "end_offset", "data", "id", "relations",
        "key", "name", "shortcut", "color", "description", "format", "version"]

json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.integers(-5, 200),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30), st.sampled_from(PIECES),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=6)
    | st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), children, max_size=6),
    max_leaves=40,
)


@st.composite
def plausible_record(draw) -> dict:  # type: ignore[no-untyped-def]
    """A JSONL/doccano record that is nearly right: real text, offsets around its ends, odd labels."""
    text = draw(hostile_text)
    n = len(text)
    offset = st.one_of(st.integers(-2, n + 2), st.sampled_from([0, n, n - 1, 2**63 - 1]), json_scalars)
    label = st.one_of(st.sampled_from(["threat", "commitment", "x y", "😀", "<b>", ""]), json_scalars)
    spans = draw(st.lists(st.fixed_dictionaries({"start": offset, "end": offset, "label": label},
                                                optional={"note": json_scalars, "text": json_scalars,
                                                          "annotator": json_scalars}), max_size=4))
    record = {"text": text, "spans": spans}
    if draw(st.booleans()):
        record["label"] = [[s["start"], s["end"], s["label"]] for s in spans]
        del record["spans"]
    if draw(st.booleans()):
        record["meta"] = draw(st.one_of(json_values, st.fixed_dictionaries({"title": json_scalars})))
    return record


def dumps(obj: object) -> bytes:
    """JSON as other tools write it (Python's json: integers of any size, non-ASCII kept)."""
    return json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogatepass")


def mutate(data: bytes, rng: random.Random) -> bytes:
    """Flip, cut, duplicate or splice bytes."""
    if not data:
        return data
    out = bytearray(data)
    for _ in range(rng.randrange(1, 4)):
        kind = rng.randrange(4)
        i = rng.randrange(len(out)) if out else 0
        if kind == 0 and out:
            out[i] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del out[i:]
        elif kind == 2:
            out[i:i] = out[i: i + rng.randrange(1, 20)]
        else:
            out[i:i] = rng.choice([b"\x00", b"\xff", b"\n", b"\r", b'"', b"\\ud800", b"{", b"]", b"\xed\xa0\x80"])
    return bytes(out)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def sink(workdir) -> Project:
    """Every document a reader accepts must go into a project as is."""
    project = Project.open(workdir / "sink.sqlite", create=True, user="fuzz")
    yield project
    project.close()


def check(result: ReadResult, sink: Project) -> None:
    assert isinstance(result, ReadResult)
    for doc in result.documents:
        assert isinstance(doc.text, str) and doc.text and storable_problem(doc.text) is None
        assert isinstance(doc.title, str) and storable_problem(doc.title) is None
        for sp in doc.spans:
            assert is_int(sp.start) and is_int(sp.end) and 0 <= sp.start < sp.end <= len(doc.text), sp
            assert isinstance(sp.label, str) and sp.label.strip(), sp
            for value in (sp.label, sp.note, sp.annotator):
                assert isinstance(value, str) and storable_problem(value) is None
    sink.import_documents(result.documents, source="fuzz")  # the store takes whatever the reader accepts


def read_or_refuse(reader, path: Path, sink: Project) -> None:  # type: ignore[no-untyped-def]
    try:
        result = reader(path)
    except AnnotatorError as exc:
        assert exc.message and "\n" not in exc.message, exc.message
        assert all("\n" not in p for p in exc.problems)
        return
    check(result, sink)


def count(name: str) -> None:
    report("fuzz", reader=name, examples=FUZZ)


# -- JSONL ----------------------------------------------------------------------------------------------------------


@FUZZ_SETTINGS
@given(data=st.binary(max_size=3000))
def test_jsonl_random_bytes(data, workdir, sink):
    path = workdir / "f.jsonl"
    path.write_bytes(data)
    read_or_refuse(jsonl.read, path, sink)


@FUZZ_SETTINGS
@given(lines=st.lists(st.one_of(json_values, plausible_record()), min_size=0, max_size=5),
       seed=st.integers(0, 2**32), mutated=st.booleans())
def test_jsonl_records(lines, seed, mutated, workdir, sink):
    data = b"".join(dumps(line) + b"\n" for line in lines)
    if mutated:
        data = mutate(data, random.Random(seed))
    path = workdir / "r.jsonl"
    path.write_bytes(data)
    read_or_refuse(jsonl.read, path, sink)


# -- doccano --------------------------------------------------------------------------------------------------------


@FUZZ_SETTINGS
@given(records=st.lists(st.one_of(json_values, plausible_record()), max_size=5), as_array=st.booleans(),
       seed=st.integers(0, 2**32), mutated=st.booleans())
def test_doccano(records, as_array, seed, mutated, workdir, sink):
    if as_array:
        data, path = dumps(records), workdir / "d.json"
    else:
        data, path = b"".join(dumps(r) + b"\n" for r in records), workdir / "d.jsonl"
    if mutated:
        data = mutate(data, random.Random(seed))
    path.write_bytes(data)
    read_or_refuse(doccano.read, path, sink)


# -- brat -----------------------------------------------------------------------------------------------------------


@st.composite
def brat_pair(draw) -> tuple[bytes, bytes]:  # type: ignore[no-untyped-def]
    text = draw(hostile_text)
    n = len(text)
    pos = st.one_of(st.integers(-1, n + 1), st.sampled_from(["x", "", "1.5", "99999999999999999999"]))
    lines = []
    for i in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["T", "T", "T", "#", "R", "A", "?"]))
        ident = draw(st.sampled_from([f"{kind}{i + 1}", f"{kind}1", kind, f"{kind}x"]))
        if kind == "T":
            frags = ";".join(f"{draw(pos)} {draw(pos)}" for _ in range(draw(st.integers(1, 3))))
            label = draw(st.sampled_from(["threat", "call%20to", "%zz", "", "a b", "😀"]))
            body = draw(st.one_of(st.just(""), st.text(max_size=10), st.sampled_from(PIECES)))
            lines.append(f"{ident}\t{label} {frags}\t{body}")
        elif kind == "#":
            target = draw(st.sampled_from(["T1", "T2", "T9", "R1", ""]))
            lines.append(f"{ident}\tAnnotatorNotes {target}\t{draw(st.text(max_size=12))}")
        else:
            lines.append(f"{ident}\t{draw(st.text(max_size=20))}")
    ann = "\n".join(lines).encode("utf-8", "surrogatepass")
    txt = text.encode("utf-8", "surrogatepass")
    return txt, ann


@FUZZ_SETTINGS
@given(pair=brat_pair(), seed=st.integers(0, 2**32), mutated=st.sampled_from(["no", "txt", "ann"]))
def test_brat(pair, seed, mutated, workdir, sink):
    txt, ann = pair
    rng = random.Random(seed)
    if mutated == "txt":
        txt = mutate(txt, rng)
    elif mutated == "ann":
        ann = mutate(ann, rng)
    (workdir / "b.txt").write_bytes(txt)
    (workdir / "b.ann").write_bytes(ann)
    read_or_refuse(brat.read, workdir / "b.ann", sink)


# -- plain text -----------------------------------------------------------------------------------------------------


@FUZZ_SETTINGS
@given(data=st.one_of(
    st.binary(max_size=1500),
    st.tuples(hostile_text, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "latin-1",
                                              "utf-16-le"])).map(lambda t: t[0].encode(t[1], "replace")),
))
def test_plaintext(data, workdir, sink):
    path = workdir / "p.txt"
    path.write_bytes(data)
    read_or_refuse(plaintext.read, path, sink)


# -- codebook files -------------------------------------------------------------------------------------------------


@FUZZ_SETTINGS
@given(doc=st.one_of(
    json_values,
    st.lists(st.dictionaries(st.sampled_from(KEYS[-7:]), json_scalars, max_size=6), max_size=5)
    .map(lambda labels: {"format": "annotator-codebook", "labels": labels}),
), raw=st.binary(max_size=200), use_raw=st.booleans())
def test_codebook_from_json(doc, raw, use_raw, sink):
    data = raw if use_raw else dumps(doc)
    try:
        labels = codebook.codebook_from_json(data)
    except AnnotatorError as exc:
        assert exc.message
        return
    assert labels and not codebook.label_problems(labels)
    assert all(isinstance(lb.key, str) and storable_problem(lb.key + lb.name + lb.description) is None
               for lb in labels)


# -- project files --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good_project(workdir) -> Path:
    path = make_project(workdir / "good.sqlite", docs=5, spans=4)
    with Project.open(path) as p:
        p.conn.execute("PRAGMA journal_mode = DELETE")
    return path


@FUZZ_SETTINGS
@given(seed=st.integers(0, 2**32), how=st.sampled_from(["flip", "truncate", "smear", "page"]))
def test_project_open(seed, how, good_project, workdir, capsys):
    open_damaged(seed, how, good_project, workdir, capsys)


@FUZZ_SETTINGS
@given(seed=st.integers(0, 2**32), how=st.sampled_from(["flip", "truncate", "smear", "page"]))
def test_project_open_as_a_large_one(seed, how, good_project, workdir, capsys, monkeypatch):
    """A large project is not checked whole when opened (issue #14): the same damage, met only by the reads,
    still gives one clear line and never a traceback (the failed read names the damage)."""
    monkeypatch.setattr(connection, "FULL_CHECK_BYTES", 0)
    open_damaged(seed, how, good_project, workdir, capsys)


def open_damaged(seed, how, good_project, workdir, capsys) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    data = bytearray(good_project.read_bytes())
    if how == "flip":
        for _ in range(rng.randrange(1, 9)):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
    elif how == "truncate":
        del data[rng.randrange(len(data)):]
    elif how == "smear":
        i = rng.randrange(len(data))
        data[i: i + 512] = rng.randbytes(min(512, len(data) - i))
    else:
        page = rng.randrange(len(data) // 4096)
        data[page * 4096: page * 4096 + rng.choice([8, 100, 4096])] = b"\x00" * rng.choice([8, 100, 4096])
    folder = workdir / "projects"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    path = folder / "p.sqlite"
    path.write_bytes(bytes(data))
    try:
        with Project.open(path) as project:
            project.stats()
            for doc in project.documents():
                project.document(doc.id)
                project.spans(doc.id)
            project.labels()
    except AnnotatorError as exc:
        assert exc.message
    # and the command line over it: 0, or 1 with one line; never a traceback
    out = folder / "out.jsonl"
    for argv in (["export", str(path), "-o", str(out)], ["stats", str(path)]):
        code = cli.main(argv)
        err = capsys.readouterr().err
        assert code in (0, 1), (argv, code)
        if code == 1:
            assert len(err.splitlines()) == 1 and err.startswith("annotator: "), err


def test_fuzz_figures():
    """Records how many examples each fuzzed reader ran (for the figures in README.md)."""
    for name in ("jsonl bytes", "jsonl records", "doccano", "brat", "plaintext", "codebook", "project open",
                 "project open (large)"):
        count(name)
