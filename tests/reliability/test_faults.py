"""Fault injection: the store fails at its Nth database call, for every N through each whole operation.

Each failure must leave the project exactly as it was (a content dump compares), be reported as a
:class:`ProjectFileError` naming what failed (the store's own message, which the GUI and the CLI show), and leave
the project usable: once the fault is gone the same operation succeeds on the same open project.
"""

from __future__ import annotations

import dataclasses
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest

from annotator import cli
from annotator.core.model import Label
from annotator.errors import ProjectFileError
from annotator.store import Project, connection, review
from annotator.store.transfer import import_paths
from tests.reliability.common import LABELS, dump, make_project, report
from tests.reliability.faults import FaultyConnection, disk_full_error

IO_ERROR = "the disk reported an input/output error"


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> dict[str, Path]:
    """A project with documents, spans and labels; a file to import; two colleagues' exports of it."""
    folder = tmp_path_factory.mktemp("faults")
    project = make_project(folder / "template.sqlite", docs=4, seed=7, spans=5)
    rng = random.Random(3)
    incoming = folder / "incoming.jsonl"
    with open(incoming, "wb") as out:
        for i in range(3):
            text = f"Imported statement {i}: the allies condemn the launches and commit to deterrence."
            out.write(orjson.dumps({"text": text, "spans": [
                {"start": 0, "end": 8, "label": "threat"},
                {"start": 10, "end": 19, "label": "brand new label"},
            ]}) + b"\n")
    colleagues = []
    with Project.open(project, readonly=True, trusted=True) as p:
        docs = list(p.iter_documents())
    for name in ("ann", "bob"):
        path = folder / f"{name}.jsonl"
        with open(path, "wb") as out:
            for doc, spans in docs:
                theirs = [{"start": s.start, "end": min(len(doc.text), s.end + 1), "label": s.label} for s in spans[:2]]
                theirs += [{"start": 0, "end": 5, "label": "their label"}, {"start": 6, "end": 12, "label": "threat"}]
                theirs += [{"start": s.start, "end": s.end, "label": rng.choice(LABELS)} for s in spans[2:3]]
                out.write(orjson.dumps({"text": doc.text, "spans": theirs, "_annotator_id": name}) + b"\n")
        colleagues.append(path)
    return {"project": project, "incoming": incoming, "ann": colleagues[0], "bob": colleagues[1]}


@dataclass
class Operation:
    name: str
    action: str  # the words the store's message names ("cannot import ...")
    run: Callable[[Project, Any], Any]
    prepare: Callable[[Project, dict[str, Path]], Any] = lambda _p, _t: None


def _first_span(p: Project):  # type: ignore[no-untyped-def]
    doc = p.documents()[0].id
    return p.spans(doc)[0]


def _item(p: Project, t: dict[str, Path]):  # type: ignore[no-untyped-def]
    cfile = review.ColleagueFile.load(t["ann"])
    colleague = cfile.colleagues[0]
    doc_id, _ = cfile.align(p).pairs[0]
    items = review.review_document(p, doc_id, cfile, colleague).open_items
    both = next(i for i in items if i.mine is not None and i.theirs is not None)
    return doc_id, both, colleague


def _accepted(p: Project, t: dict[str, Path]):  # type: ignore[no-untyped-def]
    doc_id, item, colleague = _item(p, t)
    return review.accept(p, doc_id, item, colleague)


def _undone(p: Project, t: dict[str, Path]):  # type: ignore[no-untyped-def]
    done = _accepted(p, t)
    review.undo(p, done)
    return done


def _new_codebook(p: Project) -> list[Label]:
    labels = p.labels()
    renamed = [dataclasses.replace(labels[0], name="Menace", color="#123456"), *labels[1:]]
    return [*reversed(renamed), Label("hedge", "Hedge", "", "#abcdef", "a cautious phrase")]


def _deleted_label(p: Project, _t: dict[str, Path]):  # type: ignore[no-untyped-def]
    return p.delete_label("threat")


def _deleted_span(p: Project, _t: dict[str, Path]):  # type: ignore[no-untyped-def]
    return p.delete_span(_first_span(p).id)


OPERATIONS = [
    Operation("import", "import", lambda p, t: import_paths(p, [t])),
    Operation("add span", "add the span", lambda p, doc: p.add_span(doc, 2, 9, "commitment", "n"),
              lambda p, _t: p.documents()[1].id),
    Operation("relabel", "change the span", lambda p, s: p.update_span(s.id, label="call_to_action"),
              lambda p, _t: _first_span(p)),
    Operation("resize and note", "change the span", lambda p, s: p.update_span(s.id, end=s.end + 1, note="x"),
              lambda p, _t: _first_span(p)),
    Operation("delete span", "delete the span", lambda p, s: p.delete_span(s.id), lambda p, _t: _first_span(p)),
    Operation("undo delete", "restore the span", lambda p, s: p.restore_spans([s]), _deleted_span),
    Operation("set status", "set the status", lambda p, doc: p.set_status(doc, "done"),
              lambda p, _t: p.documents()[0].id),
    Operation("codebook edit", "change the codebook", lambda p, labels: p.set_codebook(labels),
              lambda p, _t: _new_codebook(p)),
    Operation("delete label, relabel spans", "delete the label",
              lambda p, _a: p.delete_label("threat", relabel_to="commitment")),
    Operation("delete label and its spans", "delete the label", lambda p, _a: p.delete_label("commitment")),
    Operation("undo delete label", "restore the label", lambda p, saved: p.restore_label(*saved), _deleted_label),
    Operation("accept", "accept the colleague's span", lambda p, a: review.accept(p, *a), _item),
    Operation("reject", "reject the colleague's span", lambda p, a: review.reject(p, *a), _item),
    Operation("accept all agreed", "accept all agreed spans",
              lambda p, files: review.accept_all_agreed(p, files),
              lambda _p, t: [review.ColleagueFile.load(t["ann"]), review.ColleagueFile.load(t["bob"])]),
    Operation("undo adjudication", "undo the review decision", lambda p, done: review.undo(p, done), _accepted),
    Operation("redo adjudication", "redo the review decision", lambda p, done: review.redo(p, done), _undone),
    Operation("setting", "save the setting", lambda p, _a: p.set_setting("last_document", "3")),
]


def _fresh(template: dict[str, Path], tmp_path: Path, op: Operation) -> tuple[Project, Path, Any]:
    path = tmp_path / "p.sqlite"
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copyfile(template["project"], path)
    project = Project.open(path, user="faults")
    args = template["incoming"] if op.name == "import" else op.prepare(project, template)
    return project, path, args


@pytest.mark.parametrize("op", OPERATIONS, ids=[o.name for o in OPERATIONS])
def test_every_database_call_failing_leaves_the_project_as_it_was(op, template, tmp_path):
    project, path, args = _fresh(template, tmp_path, op)
    counting = FaultyConnection(project.conn)
    project.conn = counting
    op.run(project, args)
    total = counting.calls
    project.close()
    assert total >= 3, "an operation is at least BEGIN, a change and COMMIT"

    for n in range(1, total + 1):
        project, path, args = _fresh(template, tmp_path, op)
        before = dump(path)
        faulty = FaultyConnection(project.conn, fail_at=n)
        project.conn = faulty
        with pytest.raises(ProjectFileError) as failure:
            op.run(project, args)
        message = str(failure.value)
        # the operation's own words, or "read" when a read inside it failed
        expected = (f"cannot {connection.acting_on(op.action)} {path}: {IO_ERROR}", f"cannot read {path}: {IO_ERROR}")
        assert message in expected, (n, faulty.failed_sql, message)
        assert not project.conn.in_transaction, "the failed transaction was rolled back"
        assert dump(path) == before, f"call {n} ({faulty.failed_sql}) failing changed the project"
        # the disk recovers: the same operation on the same open project now works
        project.conn = faulty.real
        op.run(project, args)
        assert dump(path) != before
        project.close()
    report("faults", operation=op.name, faults=total)


def test_disk_full_in_the_middle_of_an_import_is_reported_as_such(template, tmp_path):
    op = OPERATIONS[0]
    project, path, args = _fresh(template, tmp_path, op)
    before = dump(path)
    project.conn = FaultyConnection(project.conn, fail_at=6, error=disk_full_error)
    with pytest.raises(ProjectFileError, match=f"^cannot import {path}: the disk is full$"):
        op.run(project, args)
    assert dump(path) == before
    project.close()


# -- the command line: the whole process, opening the project included ----------------------------------------------


def _cli_faults(monkeypatch, argv: list[str], fail_at: int | None, counter: list[int]) -> None:
    real_connect = connection._connect

    def connect(path: Path, **kwargs):  # type: ignore[no-untyped-def]
        return FaultyConnection(real_connect(path, **kwargs), fail_at=fail_at, counter=counter)

    monkeypatch.setattr(connection, "_connect", connect)


@pytest.mark.parametrize("command", ["import", "export", "stats"])
def test_cli_says_what_failed_in_one_line(command, template, tmp_path, monkeypatch, capsys):
    project = tmp_path / "p.sqlite"
    out = tmp_path / "out.jsonl"

    def argv() -> list[str]:
        if command == "import":
            return ["import", str(project), str(template["incoming"])]
        if command == "export":
            return ["export", str(project), "-o", str(out)]
        return ["stats", str(project)]

    counter = [0]
    shutil.copyfile(template["project"], project)
    with monkeypatch.context() as m:
        _cli_faults(m, argv(), None, counter)
        assert cli.main(argv()) == 0
    capsys.readouterr()
    total = counter[0]
    for n in range(1, total + 1):
        for leftover in (project, Path(f"{project}-wal"), Path(f"{project}-shm"), out):
            leftover.unlink(missing_ok=True)
        shutil.copyfile(template["project"], project)
        out.write_bytes(b"the previous export\n")
        before = dump(project)
        counter = [0]
        with monkeypatch.context() as m:
            _cli_faults(m, argv(), n, counter)
            code = cli.main(argv())
        captured = capsys.readouterr()
        lines = captured.err.splitlines()
        assert code == 1, (n, captured)
        assert len(lines) == 1 and lines[0].startswith("annotator: "), (n, lines)
        assert IO_ERROR in lines[0], (n, lines)
        assert dump(project) == before
        assert out.read_bytes() == b"the previous export\n", "a failed export leaves the old file"
        assert not list(tmp_path.glob(".out.jsonl.*")), "and no temporary file"
    report("faults", operation=f"cli {command}", faults=total)
