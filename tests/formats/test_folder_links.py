"""A folder import reads regular files inside the folder only (DESIGN.md §2.2): a link out of the folder is never
followed, and a named pipe, a device or a dangling link is skipped, named in the report with its reason."""

import os
import sys

import pytest

from tests.helpers import run_cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and named pipes")


def test_links_out_pipes_and_devices_are_named_and_never_read(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("outside the folder", encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "plain.txt").write_text("a statement", encoding="utf-8")
    (folder / "link_in.txt").symlink_to(folder / "plain.txt")  # inside the folder: may be read
    (folder / "link_out.txt").symlink_to(outside)
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "gone.txt").symlink_to(folder / "missing.txt")
    (folder / "loop").symlink_to(folder)  # a link to a folder: never followed
    os.mkfifo(folder / "fifo.txt")  # never opened: the import must not wait for a writer
    result = run_cli("import", tmp_path / "p.sqlite", folder)
    assert result.returncode == 0, result.stderr
    err = result.stdout.decode()
    assert "link_out.txt: not read: a link to" in err and "outside the folder" in err
    assert "zero.txt: not read: a link to /dev/zero, outside the folder" in err
    assert "fifo.txt: not read: a named pipe" in err
    assert "gone.txt: not read: a link to nothing" in err
    assert b"imported 1 statement(s)" in result.stdout  # plain.txt; link_in.txt is the same text
    exported = run_cli("export", tmp_path / "p.sqlite").stdout
    assert b"a statement" in exported and b"outside the folder" not in exported


def test_a_brat_pair_whose_ann_links_out_is_refused(tmp_path):
    outside = tmp_path / "other.ann"
    outside.write_text("T1\tthreat 0 1\tx\n", encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "doc.txt").write_text("x marks", encoding="utf-8")
    (folder / "doc.ann").symlink_to(outside)
    result = run_cli("import", tmp_path / "p.sqlite", folder)
    assert result.returncode == 0, result.stderr
    assert b"skipped " in result.stdout and b"doc.txt: not read: its brat partner doc.ann is a link to" in result.stdout
    result = run_cli("agree", folder, tmp_path / "p.sqlite")
    assert result.returncode == 1 and b"not read: its brat partner" in result.stderr, result.stderr
