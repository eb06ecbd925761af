"""The backup before an import (trial 13, F12) is made only when cheap beside the import; otherwise the summary
names the newest backup and what restoring it would also take back (``store/import_backup.py``)."""

from __future__ import annotations

from annotator.core.model import IncomingDocument
from annotator.store import Project, backups, import_backup
from annotator.store.transfer import import_paths


def test_a_project_large_beside_the_files_is_not_backed_up_and_the_summary_names_the_newest_backup(
        tmp_path, monkeypatch):
    monkeypatch.setattr(import_backup, "FREE_BYTES", 0)
    monkeypatch.setattr(import_backup, "RATIO", 1)
    small = tmp_path / "one.txt"
    small.write_text("One small statement.", encoding="utf-8")
    docs = [IncomingDocument(f"Statement {i}. " + "words " * 200, f"s{i}") for i in range(50)]
    with Project.open(tmp_path / "p.sqlite", create=True, user="ana", populate=docs) as project:
        report = import_paths(project, [small])
        assert backups.list_backups(project.path) == []
        (line,) = [n for n in report.notes if "backup" in n]
        assert line.startswith("no backup was made before this import: the project ("), line
        assert "is more than 1 times the files imported" in line, line
        assert line.endswith("; the project has no backup yet to take it back with"), line
        backups.backup_project(project, "open")
        other = tmp_path / "two.txt"
        other.write_text("Another small statement.", encoding="utf-8")
        report = import_paths(project, [other])
        (line,) = [n for n in report.notes if "backup" in n]
        assert "the newest backup is 'on open' of" in line and f"(annotator restore {project.path} 1)" in line, line
        assert line.endswith("restoring it takes back this import and every change made since"), line
        assert [b.reason for b in backups.list_backups(project.path)] == ["open"]
