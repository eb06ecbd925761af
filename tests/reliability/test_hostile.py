"""Hostile inputs (tests/reliability/corpus.py): none crashes, each gets its one clear message, none changes the
project — through the command line (in-process and in a real subprocess) and through the window."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from annotator import cli
from annotator.core import codebook
from annotator.errors import FormatError
from annotator.store import Project
from tests.helpers import run_cli
from tests.reliability import corpus
from tests.reliability.common import dump, make_project, report

IMPORT_NAMES = [name for name, *_ in corpus.import_cases()]
PROJECT_NAMES = [
    "truncated project", "truncated to the header", "byte-flipped project", "empty project file",
    "text file as project", "another program's SQLite", "newer schema", "project without its tables",
    "text that is not UTF-8 inside", "a stray garbage -wal", "a folder as project",
]


@pytest.fixture(scope="module")
def cases(tmp_path_factory) -> dict[str, corpus.Case]:
    built = corpus.build(tmp_path_factory.mktemp("corpus"))
    by_name = {c.name: c for c in built}
    assert sorted(by_name) == sorted(IMPORT_NAMES + PROJECT_NAMES)
    assert len(built) >= 40
    report("hostile", corpus=len(built), imports=len(IMPORT_NAMES), projects=len(PROJECT_NAMES),
           huge_line_mb=corpus.HUGE_MB)
    return by_name


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("hostile") / "template.sqlite", docs=3)


def fresh(template: Path, folder: Path) -> Path:
    path = folder / "p.sqlite"
    shutil.copyfile(template, path)
    return path


def unchanged(now: bytes, before: bytes) -> bool:
    """Equal but for the header fields SQLite updates when a writer opens the file (WAL mode flag, change
    counter, version-valid-for): the content is as it was."""

    def mask(data: bytes) -> bytes:
        out = bytearray(data)
        for i in (*range(18, 20), *range(24, 28), *range(92, 96)):
            if i < len(out):
                out[i] = 0
        return bytes(out)

    return mask(now) == mask(before)


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


@pytest.mark.parametrize("name", IMPORT_NAMES)
def test_cli_rejects_each_bad_file_whole_with_its_message(name, cases, template, tmp_path, capsys):
    case = cases[name]
    project = fresh(template, tmp_path)
    before = dump(project)
    assert cli.main(["import", str(project), str(case.path)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == ["imported 0 statement(s) with 0 span(s)"]
    lines = err.splitlines()
    assert lines[0].startswith(f"rejected {case.path}"), lines
    assert all(line.startswith("  ") for line in lines[1:]), "one line, then the bad lines indented"
    assert case.expect in err, err
    assert "Traceback" not in err
    assert dump(project) == before


#: text that is not UTF-8 inside a sound project is only met where the text is read: by the export
PROJECT_COMMANDS = [
    (name, command) for name in PROJECT_NAMES for command in ("stats", "export", "import")
    if name != "text that is not UTF-8 inside" or command == "export"
]


@pytest.mark.parametrize(("name", "command"), PROJECT_COMMANDS)
def test_cli_refuses_each_bad_project_in_one_line(name, command, cases, tmp_path, capsys):
    case = cases[name]
    original = case.path.read_bytes() if case.path.is_file() else None
    files = beside(case.path)
    text = tmp_path / "statement.txt"
    text.write_text("A statement.")
    argv = {"stats": ["stats", str(case.path)],
            "export": ["export", str(case.path), "-o", str(tmp_path / "out.jsonl")],
            "import": ["import", str(case.path), str(text)]}[command]
    work = tmp_path / "copy.sqlite"
    if case.expect == "":  # a stray -wal beside a good project: it opens, and nothing is lost
        shutil.copyfile(case.path, work)
        shutil.copyfile(f"{case.path}-wal", f"{work}-wal")
        argv[1] = str(work)
        assert cli.main(argv) == 0, capsys.readouterr().err
        with Project.open(work) as p:
            assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert [d.title for d in p.documents()][0] == "t"
        return
    assert cli.main(argv) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("annotator: "), err
    assert case.expect in err[0], err
    if original is not None:
        assert unchanged(case.path.read_bytes(), original), "the file is not changed"
    assert beside(case.path) == files, "nothing is left beside it"
    assert not (tmp_path / "out.jsonl").exists()


def test_the_whole_corpus_in_real_subprocesses(cases, template, tmp_path):
    project = fresh(template, tmp_path)
    before = dump(project)
    imports = next(iter(cases.values())).path.parent
    result = run_cli("import", project, imports)
    err = result.stderr.decode()
    assert result.returncode == 1 and "Traceback" not in err
    rejected = [line for line in err.splitlines() if line.startswith("rejected ")]
    files = {c.path for c in cases.values() if c.kind == "import" and c.path.suffix != ".odt"}
    assert len(rejected) == len(files), (len(rejected), len(files))  # a folder's .odt is not an import
    assert dump(project) == before
    for name in PROJECT_NAMES:
        case = cases[name]
        if case.expect == "":
            continue
        result = run_cli("export", case.path, "-o", tmp_path / "out.jsonl")
        err = result.stderr.decode()
        assert result.returncode == 1 and "Traceback" not in err and case.expect in err, (name, err)
        assert len(err.splitlines()) == 1


def test_the_window_rejects_the_corpus_and_refuses_the_bad_projects(cases, template, tmp_path, qtbot, monkeypatch):
    import annotator.ui.files as files
    import annotator.ui.mainwindow as mainwindow
    from annotator.ui.mainwindow import MainWindow

    shown: list[tuple[str, object]] = []
    monkeypatch.setattr(files, "show_import_report", lambda _parent, report: shown.append(("report", report)))
    monkeypatch.setattr(files, "error", lambda _parent, title, message: shown.append((title, message)))
    monkeypatch.setattr(mainwindow, "error", lambda _parent, title, message: shown.append((title, message)))
    project = fresh(template, tmp_path)
    before = dump(project)
    window = MainWindow(Project.open(project), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    imports = next(iter(cases.values())).path.parent
    window.files.import_paths([imports])
    (kind, got), = shown
    assert kind == "report" and not got.imported
    assert len(got.rejected) == sum(1 for c in cases.values() if c.kind == "import" and c.path.suffix != ".odt")
    assert dump(project) == before
    unreadable_text = "text that is not UTF-8 inside"
    for name in PROJECT_NAMES:
        case = cases[name]
        if case.expect == "" or name == unreadable_text:
            continue
        shown.clear()
        assert not window.open_project(case.path)
        assert shown and shown[0][0] == "Cannot open project" and case.expect in shown[0][1], (name, shown)
        assert window.session.project.path == project, "the window stays on its project"
    assert len(window.session.project.documents()) == 3
    # a sound project with one unreadable statement opens; that statement says why it cannot be shown
    shown.clear()
    bad = tmp_path / "bad_utf8.sqlite"
    shutil.copyfile(cases[unreadable_text].path, bad)
    assert window.open_project(bad)
    assert shown == [("Cannot open the statement", f"cannot read {bad}: the project file is damaged (it holds text "
                                                   "that is not valid UTF-8)")]
    window.close()


# -- the codebook file --------------------------------------------------------------------------------------------

CODEBOOKS = [
    (b"", "not valid JSON"),
    (b"\xff\xfe\x00", "not valid JSON"),
    (b"[]", "non-empty list 'labels'"),
    (b'{"labels": "threat"}', "non-empty list 'labels'"),
    (b"[" * 5000 + b"]" * 5000, "not valid JSON"),
    (b'{"labels": [1]}', "expected an object, got a number (1)"),
    (b'{"labels": [{"key": "a", "name": "A", "color": "red"}]}', "the colour must look like #rrggbb"),
    (b'{"labels": [{"key": "a", "color": "#aaaaaa"}, {"key": "a", "color": "#bbbbbb"}]}', "the key is used twice"),
    (b'{"labels": [{"key": "a", "color": "#aaaaaa", "shortcut": "0"}]}', "the shortcut must be one of 1-9"),
    (b'{"labels": [{"key": 5, "color": "#aaaaaa"}]}', "the key must be a non-empty string"),
    (b'{"labels": [{"key": "\\ud800", "color": "#aaaaaa"}]}', "not valid JSON"),
    (b'{"labels": [{"key": "a", "color": "#aaaaaa", "eval": "__import__(\'os\')"}]}', "unknown field(s) eval"),
]


@pytest.mark.parametrize(("data", "expect"), CODEBOOKS)
def test_hostile_codebook_files(data, expect):
    with pytest.raises(FormatError) as failure:
        codebook.codebook_from_json(data)
    assert expect in str(failure.value)
