"""Special files as input (issue 9, item 10; DESIGN.md §2.2 "Untrusted files"): only regular files are read.

A named pipe, a device, a symlink to ``/dev/zero``, a 4 GiB sparse file: each is refused at once with one clear
line, by every reader (imports, colleague files, codebook files), from the command line and from the window.
Every command runs in a subprocess with a timeout and limits on memory and file size, so that a reader which
does hang, read forever or copy a device fails the test instead of the machine.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest

from annotator import formats
from annotator.core.text import MAX_TEXT_BYTES
from annotator.errors import FormatError
from annotator.formats.common import MAX_INPUT_BYTES, open_input, read_at_most, read_bytes
from annotator.store import sources
from annotator.store.review import ColleagueFile
from tests.reliability.common import make_project, report

#: a refusal must come at once; a reader that blocks on a pipe is killed after this
TIMEOUT_S = 30
FAST_S = 10.0
SPARSE = 4 << 30

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and /dev/zero are POSIX")


def _limits() -> None:  # pragma: no cover - runs in the child
    # a reader copying /dev/zero dies at 256 MB written, one reading it into memory at 2.5 GB
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 << 20, 256 << 20))
    resource.setrlimit(resource.RLIMIT_AS, (5 << 29, 5 << 29))


def run(tmp_path: Path, *args: str | Path) -> tuple[int, str, float]:
    """``annotator ARGS`` in a subprocess (temp folder inside ``tmp_path``): (exit status, stderr, seconds)."""
    temp = tmp_path / "temp"
    temp.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(temp)}
    start = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "annotator", *map(str, args)], capture_output=True, env=env,
                              timeout=TIMEOUT_S, preexec_fn=_limits)
    except subprocess.TimeoutExpired:
        pytest.fail(f"annotator {' '.join(map(str, args))} hung for {TIMEOUT_S} s")
    return done.returncode, done.stderr.decode(errors="replace"), time.monotonic() - start


def run_python(tmp_path: Path, code: str) -> tuple[int, str, float]:
    """``python -c CODE`` under the same timeout and limits as :func:`run`."""
    start = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=TIMEOUT_S,
                              preexec_fn=_limits, env={**os.environ, "TMPDIR": str(tmp_path)})
    except subprocess.TimeoutExpired:
        pytest.fail(f"{code} hung for {TIMEOUT_S} s")
    return done.returncode, done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace"), \
        time.monotonic() - start


@contextmanager
def unblocked(*pipes: Path) -> Iterator[None]:
    """Fail (rather than hang) an in-process reader that blocks opening a named pipe without a writer.

    A signal cannot be relied on to interrupt ``open()`` here (Qt's and pytest-timeout's threads may take it);
    instead a watchdog plays the writer after :data:`FAST_S`: it opens each pipe for writing (which releases a
    reader waiting in ``open()``) and closes it again (the reader sees the end of the file), and the test fails.
    """
    stop = threading.Event()
    fired: list[Path] = []

    def watch() -> None:
        while not stop.wait(FAST_S):
            for pipe in pipes:
                try:
                    fd = os.open(pipe, os.O_WRONLY | os.O_NONBLOCK)  # ENXIO: nobody is waiting to read it
                except OSError:
                    continue
                fired.append(pipe)
                os.close(fd)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
    assert not fired, f"a reader blocked on the named pipe(s) {fired} until a writer came"


@pytest.fixture
def specials(tmp_path) -> dict[str, Path]:
    """Each special file under an importable name."""
    folder = tmp_path / "in"
    folder.mkdir()
    found = {}
    for name in ("pipe.jsonl", "pipe.txt", "pipe.json"):
        os.mkfifo(folder / name)
        found[name] = folder / name
    for name in ("zero.jsonl", "zero.txt"):
        (folder / name).symlink_to("/dev/zero")
        found[name] = folder / name
    sparse = folder / "sparse.jsonl"
    with open(sparse, "wb") as fh:
        fh.truncate(SPARSE)
    found["sparse.jsonl"] = sparse
    return found


def one_clear_line(stderr: str, path: Path, reason: str) -> None:
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if str(path) in line]
    assert lines and any(reason in line for line in lines), stderr


@pytest.mark.parametrize("name, reason", [
    ("pipe.jsonl", "not a regular file (a named pipe)"),
    ("pipe.txt", "not a regular file (a named pipe)"),
    ("pipe.json", "not a regular file (a named pipe)"),
    ("zero.jsonl", "not a regular file (a device)"),
    ("zero.txt", "not a regular file (a device)"),
    ("sparse.jsonl", "too large (4096 MB; the limit is 1024 MB)"),
])
def test_import_refuses_special_file_at_once(tmp_path, specials, name, reason):
    project = make_project(tmp_path / "p.sqlite", docs=2)
    good = tmp_path / "good.txt"
    good.write_text("A good statement beside the bad one.")
    code, err, took = run(tmp_path, "import", project, specials[name], good)
    assert code == 1, err
    one_clear_line(err, specials[name], reason)
    assert took < FAST_S
    report("special_files", case=f"import {name}", seconds=round(took, 2))


def test_import_folder_skips_special_files(tmp_path, specials):
    """A folder holding pipes, devices and a huge file: the pipes and devices are no files to import (skipped as
    ``collect`` skips them); the huge file is refused; nothing hangs."""
    (specials["sparse.jsonl"]).unlink()
    (tmp_path / "in" / "ok.txt").write_text("A statement in the folder.")
    code, err, took = run(tmp_path, "import", tmp_path / "p.sqlite", tmp_path / "in")
    assert code == 0, err
    assert took < FAST_S


@pytest.mark.parametrize("name", ["pipe.jsonl", "zero.jsonl", "sparse.jsonl"])
def test_agree_refuses_special_colleague_file(tmp_path, specials, name):
    project = make_project(tmp_path / "p.sqlite", docs=2)
    code, err, took = run(tmp_path, "agree", project, specials[name])
    assert code == 1, err
    one_clear_line(err, specials[name], "not a regular file" if "sparse" not in name else "too large")
    assert took < FAST_S


@pytest.mark.parametrize("what", ["pipe", "zero"])
def test_colleague_project_with_special_wal_is_refused(tmp_path, what):
    """A colleague's project whose ``-wal`` is a pipe or a symlink to ``/dev/zero``: the read-only open would copy
    it into the temp folder (forever); it is refused before anything is copied."""
    project = make_project(tmp_path / "p.sqlite", docs=2)
    theirs = make_project(tmp_path / "theirs.sqlite", docs=2, seed=2)
    wal = Path(f"{theirs}-wal")
    if what == "pipe":
        os.mkfifo(wal)
    else:
        wal.symlink_to("/dev/zero")
    code, err, took = run(tmp_path, "agree", project, theirs)
    assert code == 1, err
    one_clear_line(err, wal, "not a regular file")
    assert took < FAST_S
    assert not any((tmp_path / "temp").iterdir())  # nothing copied


def test_sparse_colleague_project_is_refused(tmp_path):
    project = make_project(tmp_path / "p.sqlite", docs=2)
    theirs = make_project(tmp_path / "theirs.sqlite", docs=2, seed=2)
    os.truncate(theirs, SPARSE)
    code, err, took = run(tmp_path, "agree", project, theirs)
    assert code == 1, err
    one_clear_line(err, theirs, "too large (4096 MB; the limit is 1024 MB)")
    assert took < FAST_S
    assert not any((tmp_path / "temp").iterdir())


@pytest.mark.parametrize("name", ["pipe.jsonl", "pipe.txt", "zero.jsonl", "sparse.jsonl"])
def test_review_loader_refuses_special_file(tmp_path, specials, name):
    """Review ▸ Open Colleague File… loads through ``ColleagueFile.load``: one line naming the file."""
    code, out, took = run_python(tmp_path, (
        "import sys; from annotator.errors import AnnotatorError; from annotator.store.review import ColleagueFile\n"
        f"try: ColleagueFile.load({str(specials[name])!r})\n"
        "except AnnotatorError as exc: print('refused:', exc.message); sys.exit(3)"))
    assert code == 3, out
    assert f"refused: {specials[name]}" in out and "Traceback" not in out
    assert took < FAST_S


def test_every_reader_refuses_a_pipe(specials):
    pipe = specials["pipe.jsonl"]
    readers = (formats.read, sources.rows_of, ColleagueFile.load, read_bytes, open_input)
    for read in readers:
        with unblocked(pipe), pytest.raises(FormatError, match="named pipe"):
            read(pipe)


def test_symlink_to_regular_file_is_followed(tmp_path):
    real = tmp_path / "real.jsonl"
    real.write_bytes(orjson.dumps({"text": "A statement."}) + b"\n")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    assert [d.text for d in formats.read(link).documents] == ["A statement."]


def test_file_growing_past_the_limit_while_read_is_refused(tmp_path):
    path = tmp_path / "small.txt"
    path.write_bytes(b"x" * 100)
    assert read_bytes(path, 100) == b"x" * 100
    with pytest.raises(FormatError, match="too large"):
        read_bytes(path, 99)
    assert MAX_INPUT_BYTES < SPARSE


def test_reading_a_file_takes_memory_for_the_file_not_for_the_limit(tmp_path):
    """Asked for the limit + 1 bytes at once, Python set aside 1 GiB for every file read (tracemalloc's peak for a
    12 MB import was 1 074 MB): a system that does not overcommit memory, or a process under an address-space
    limit, could then read no file at all. Both ways of reading a whole file now take about the file."""
    from annotator.sources.common import file_bytes

    path = tmp_path / "page.html"
    path.write_bytes(b"<p>A statement.</p>" * 5000)  # 95 KB
    for read in (lambda: read_bytes(path), lambda: file_bytes(path, MAX_INPUT_BYTES)):
        tracemalloc.start()
        try:
            assert read() == path.read_bytes()
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 2 << 20, peak


@pytest.mark.parametrize("name", ["doccano/text_classification.jsonl",
                                  "prodigy/github-issues-DOCUMENTATION-textcat-head.jsonl"])
def test_other_tools_files_are_read_in_memory_their_size(name):
    """The same on files doccano and Prodigy wrote (tests/formats/data): the whole read, parsed and checked, takes
    a few times the file, not the 1 GiB limit (it was over 1 GiB for each)."""
    path = Path(__file__).parents[1] / "formats" / "data" / name
    tracemalloc.start()
    try:
        assert formats.read(path).documents
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, peak


def test_a_file_that_grows_while_read_is_read_to_the_limit(tmp_path, monkeypatch):
    """What was appended after the size was taken is still read, in blocks, up to the limit and one byte more (so
    the caller sees the file is over it)."""
    from annotator.formats import common

    path = tmp_path / "growing.jsonl"
    path.write_bytes(b"a" * 1000 + b"b" * 3_000_000)
    real = os.fstat
    monkeypatch.setattr(common.os, "fstat", lambda fd: os.stat_result((*real(fd)[:6], 1000, *real(fd)[7:])))
    with open(path, "rb") as fh:
        assert read_at_most(fh, 10_000_000) == path.read_bytes()
    with open(path, "rb") as fh:
        assert read_at_most(fh, 2_000_000) == path.read_bytes()[:2_000_001]


def test_jsonl_statement_has_the_txt_limit(tmp_path):
    """A JSONL statement over 64 MB (the limit of a ``.txt``) is refused, naming its line; one at the limit is
    read. Multi-byte text counts in UTF-8 bytes, as a ``.txt`` does."""
    ok = "a" * (MAX_TEXT_BYTES - 10) + "é" * 5
    big = "é" * (MAX_TEXT_BYTES // 2 + 1)
    path = tmp_path / "big.jsonl"
    path.write_bytes(orjson.dumps({"text": "short"}) + b"\n" + orjson.dumps({"text": big}) + b"\n")
    with pytest.raises(FormatError) as caught:
        formats.read(path)
    assert any(p.startswith("line 2: the statement is too large (64 MB; the limit is 64 MB)") for p in
               caught.value.problems), caught.value.problems
    path.write_bytes(orjson.dumps({"text": ok}) + b"\n")
    assert len(formats.read(path).documents[0].text) == len(ok)
    txt = tmp_path / "big.txt"
    txt.write_bytes(big.encode())
    with pytest.raises(FormatError, match="too large"):
        formats.read(txt)


def test_codebook_import_refuses_a_pipe(tmp_path, qtbot, monkeypatch):
    """Labels ▸ Import Codebook… on a named pipe: one message, the window goes on."""
    from PySide6.QtCore import QSettings

    import annotator.ui.files as files
    from annotator.store import Project
    from annotator.ui.mainwindow import MainWindow
    from tests.ui.conftest import record_messages, show_window

    project = Project.open(make_project(tmp_path / "p.sqlite", docs=2), user="tester")
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    shown = record_messages(monkeypatch, files)
    pipe = tmp_path / "codebook.json"
    os.mkfifo(pipe)
    before = project.labels()
    monkeypatch.setattr(files.filedialogs, "open_file", lambda *a, **k: str(pipe))
    with unblocked(pipe):
        window.files.import_codebook()
    assert len(shown) == 1 and "named pipe" in shown[0][1], shown
    assert project.labels() == before
    monkeypatch.setattr(files.filedialogs, "open_files", lambda *a, **k: [str(pipe)])
    with unblocked(pipe):
        window.files.import_files()
    assert shown[-1][0] == "report" and "named pipe" in shown[-1][1], shown
