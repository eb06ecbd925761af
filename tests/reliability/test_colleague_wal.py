"""A colleague's project that comes with the ``-wal`` its crash left (copied together from their machine).

Its journal is checked on a private copy before it is read (``store/walcheck.py``): the pair is copied once, not
once for the check and again for the read; the check's ``integrity_check`` stops when the user cancels the open; and
the colleague's files are left exactly as they came, with nothing of ours left behind.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from annotator import leftovers
from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.errors import Cancelled
from annotator.store import Project
from annotator.store.review import ColleagueFile
from tests.reliability.test_trust import crash_wal, digest

TEXT = "The allies reaffirm their ironclad commitment to deterrence 😀 and to peace on the peninsula.\r\n"


def colleague_pair(folder: Path, statements: int) -> Path:
    """Bob's project, and the -wal his window's crash left beside it: his last span is only in the -wal."""
    folder.mkdir()
    path = folder / "bob.sqlite"
    docs = [IncomingDocument(f"{i}. {TEXT}" * 3, f"s{i}", spans=[IncomingSpan(0, 2, "threat", "bob", "")])
            for i in range(statements)]
    Project.open(path, create=True, user="bob", populate=docs).close()
    crash_wal(path, "p.add_span(1, 4, 10, 'commitment')")
    return path


def _ours() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith(leftovers.READONLY_PREFIX)}


@pytest.fixture
def copies(monkeypatch):
    """Every copy made of a file named bob.sqlite."""
    made: list[str] = []
    real = shutil.copyfile

    def counted(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(src).name == "bob.sqlite":
            made.append(str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", counted)
    return made


def test_a_colleagues_crash_pair_is_read_with_its_journal_from_one_copy(tmp_path, copies):
    path = colleague_pair(tmp_path / "from_bob", 50)
    before, temp_before = digest(path, Path(f"{path}-wal")), _ours()
    theirs = ColleagueFile.load(path)
    try:
        spans = [s for d in theirs.documents.values() for s in d.spans]
        assert len(spans) == 51 and any(s.label == "commitment" for s in spans)  # the journal's span is read
    finally:
        theirs.close()
    assert len(copies) == 1, copies
    assert digest(path, Path(f"{path}-wal")) == before
    assert _ours() == temp_before


def test_cancelling_the_open_stops_the_journals_whole_check(tmp_path, copies):
    path = colleague_pair(tmp_path / "from_bob", 3000)
    before, temp_before = digest(path, Path(f"{path}-wal")), _ours()
    asked: list[int] = []

    def progress(done: int, total: int) -> None:
        asked.append(done)
        if len(asked) > 1:  # the user pressed Cancel once the open was under way
            raise Cancelled("cancelled")

    with pytest.raises(Cancelled):
        ColleagueFile.load(path, progress=progress)
    assert len(copies) == 1, copies  # stopped in the journal's check, before any other copy or read
    assert digest(path, Path(f"{path}-wal")) == before
    assert _ours() == temp_before


def test_the_pair_checked_whole_is_not_checked_again_before_it_is_read(tmp_path, monkeypatch):
    """``integrity_check`` (walcheck) covers all ``quick_check`` does: the copy it passed is read after the type
    checks alone (at 893 MB the second pass cost seconds)."""
    from annotator.store import connection, walcheck

    path = colleague_pair(tmp_path / "from_bob", 50)
    passes: list[bool] = []
    real = connection.sqlite_check

    def counted(conn, shown, whole=False):  # type: ignore[no-untyped-def]
        passes.append(whole)
        return real(conn, shown, whole)

    monkeypatch.setattr(connection, "sqlite_check", counted)
    monkeypatch.setattr(walcheck, "sqlite_check", counted)
    theirs = ColleagueFile.load(path)
    try:
        assert sum(len(d.spans) for d in theirs.documents.values()) == 51
    finally:
        theirs.close()
    assert passes == [True]  # the pair's integrity_check, and no quick_check of the same copy after it
