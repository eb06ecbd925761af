"""``annotator delete``, and ``annotator vars``'s ``new_title`` column and ``--empty-clears`` (trial 10, D7)."""

from __future__ import annotations

from annotator.core.model import IncomingDocument
from annotator.store import Project
from annotator.store import variables as sv
from annotator.store.editlock import open_for_editing
from tests.helpers import content, run_cli


def _project(path):
    docs = [IncomingDocument("We condemn the launch.", "13_uk_fcdo"), IncomingDocument("Placeholder.", "latex"),
            IncomingDocument("Third.", "07_plain_note")]
    with Project.open(path, create=True, user="ana", populate=docs) as project:
        first = project.documents()[1].id
        project.add_span(first, 0, 11, "threat")
        sv.set_value(project, first, "issuer", "FCDO")
        return [d.sha256 for d in project.documents()]


def _titles(path):
    with Project.open(path, readonly=True, trusted=True) as project:
        return [d.title for d in project.documents()]


def test_delete_by_title_backs_up_first_and_the_project_checks_ok(tmp_path):
    path = tmp_path / "p.sqlite"
    _project(path)
    done = run_cli("delete", path, "--title", "latex")
    assert done.returncode == 0, done.stderr
    assert b"deleted 'latex' and its 1 span from" in done.stdout
    assert _titles(path) == ["13_uk_fcdo", "07_plain_note"]
    assert run_cli("check", path).returncode == 0
    listed = run_cli("restore", path, "--list")
    assert b"before a delete" in listed.stdout
    assert run_cli("restore", path, "1").returncode == 0
    assert _titles(path) == ["13_uk_fcdo", "latex", "07_plain_note"]


def test_delete_by_sha256_and_bad_names(tmp_path):
    path = tmp_path / "p.sqlite"
    hashes = _project(path)
    assert run_cli("delete", path, "--sha256", hashes[2][:12]).returncode == 0
    assert _titles(path) == ["13_uk_fcdo", "latex"]
    dump = content(path)
    missing = run_cli("delete", path, "--title", "nope")
    assert missing.returncode == 1 and b"no statement titled 'nope'" in missing.stderr
    assert b"Traceback" not in missing.stderr
    assert run_cli("delete", path).returncode == 2  # which statement is required
    assert content(path) == dump


def test_delete_is_refused_while_a_window_edits_the_project(tmp_path):
    path = tmp_path / "p.sqlite"
    _project(path)
    with open_for_editing(path) as window_project:
        dump = content(path)
        refused = run_cli("delete", path, "--title", "latex")
        assert refused.returncode == 1
        assert b"open for editing" in refused.stderr and b"Delete Statement" in refused.stderr
        assert content(path) == dump
        assert [d.title for d in window_project.documents()] == ["13_uk_fcdo", "latex", "07_plain_note"]
    listed = run_cli("restore", path, "--list")
    assert b"before a delete" not in listed.stdout  # nothing written, no backup either


def test_vars_new_title_renames_and_empty_clears_clears(tmp_path):
    path = tmp_path / "p.sqlite"
    _project(path)
    table = tmp_path / "v.csv"
    table.write_text("title,new_title,issuer,date\n13_uk_fcdo,UK statement on the launch,FCDO,2023-07-12\n"
                     "latex,,,\n", encoding="utf-8")
    done = run_cli("vars", path, table)
    assert done.returncode == 0, done.stderr
    assert _titles(path) == ["UK statement on the launch", "latex", "07_plain_note"]
    with Project.open(path, readonly=True, trusted=True) as project:
        second = project.documents()[1].id
        assert project.document(second).issuer == "FCDO"  # an empty cell leaves it
        assert '"title":"UK statement on the launch"' in project.history(1)[0]["after"]  # in the history
    found = run_cli("search", path, "launch", "--json")
    assert b"UK statement on the launch" in found.stdout
    clearing = tmp_path / "clear.csv"
    clearing.write_text("title,new_title,issuer,date\nUK statement on the launch,,,\nlatex,,,\n", encoding="utf-8")
    done = run_cli("vars", path, clearing, "--empty-clears")
    assert done.returncode == 0, done.stderr
    with Project.open(path, readonly=True, trusted=True) as project:
        docs = [project.document(d.id) for d in project.documents()]
        assert [d.title for d in docs] == ["UK statement on the launch", "latex", "07_plain_note"]  # never cleared
        assert (docs[0].issuer, docs[0].date, docs[1].issuer) == ("", "", "")
    bad = tmp_path / "bad.csv"
    bad.write_text("title,new_title\nlatex,\"a\u0007b\"\n", encoding="utf-8")
    refused = run_cli("vars", path, bad)
    assert refused.returncode == 1 and b"control character" in refused.stderr
    assert run_cli("check", path).returncode == 0
