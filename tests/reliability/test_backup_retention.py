"""Backups at a team's scale (issue 14): none when nothing changed, kept by age not by count, listed from a
manifest without opening each backup."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from annotator.store import Project, backups
from tests.reliability.common import make_project


def files(project: Path) -> list[Path]:
    return backups._backup_files(backups.folder_for(project))


def test_no_new_backup_on_open_or_during_work_when_nothing_changed(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    first = backups.backup_file(project, "open")
    for reason in ("open", "periodic", "open"):
        assert backups.backup_file(project, reason) == first
    assert files(project) == [first]
    assert backups.backup_file(project, "manual") != first  # asked for by hand: always a new copy
    with Project.open(project, user="t") as p:
        p.add_span(p.documents()[0].id, 0, 1, "threat")
    changed = backups.backup_file(project, "open")
    assert changed not in (first,) and len(files(project)) == 3


@pytest.mark.parametrize("change", ["setting", "status", "delete", "decision"])
def test_every_kind_of_change_makes_the_next_backup(tmp_path, change):
    from annotator.core import review as core
    from annotator.store import review as rv

    project = make_project(tmp_path / "p.sqlite")
    first = backups.backup_file(project, "periodic")
    with Project.open(project, user="t") as p:
        doc = p.documents()[0].id
        if change == "setting":
            p.set_setting("view.font", "12")
        elif change == "status":
            p.set_status(doc, "skipped")
        elif change == "delete":
            p.delete_span(p.spans(doc)[0].id)
        else:
            rv.reject(p, doc, core.classify([], [core.TheirSpan(0, 1, "threat")])[0], rv.Colleague("bob", "b.jsonl"))
    assert backups.backup_file(project, "periodic") != first


def test_a_backup_the_manifest_does_not_match_is_made_again(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    first = backups.backup_file(project, "open")
    (first.parent / backups.MANIFEST).write_text("{not json", encoding="utf-8")
    again = backups.backup_file(project, "open")
    assert again != first  # no manifest to trust: copy, rather than skip on a guess


def test_kept_by_age_hour_day_week_month():
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    ages = [timedelta(minutes=m) for m in (1, 20, 59)]  # the last hour: all
    ages += [timedelta(hours=h, minutes=m) for h in (2, 5) for m in (10, 40)]  # two in each of two hours
    ages += [timedelta(days=d, hours=h) for d in (2, 3) for h in (1, 5)]  # two on each of two days
    ages += [timedelta(days=d) for d in (15, 16)]  # the same ISO week (Sat 14th, Fri 13th of Nov)
    ages += [timedelta(days=60), timedelta(days=400)]  # older than a month: gone
    created = {Path(f"b{i}"): now - age for i, age in enumerate(ages)}
    kept = backups.kept_by_age(created, now)
    by_age = {age: Path(f"b{i}") in kept for i, age in enumerate(ages)}
    assert [by_age[a] for a in ages[:3]] == [True] * 3
    assert [by_age[a] for a in ages[3:7]] == [True, False, True, False]  # the newest in each hour
    assert [by_age[a] for a in ages[7:11]] == [True, False, True, False]  # the newest on each day
    assert [by_age[a] for a in ages[11:13]] == [True, False]  # the newest in the week
    assert [by_age[a] for a in ages[13:]] == [False, False]
    assert backups.kept_by_age({Path("old"): now - timedelta(days=999)}, now) == {Path("old")}  # the newest stays
    ahead = {Path("ahead"): now + timedelta(days=3), Path("x"): now - timedelta(minutes=5)}  # a clock set back
    assert backups.kept_by_age(ahead, now) == set(ahead)


def test_rotation_keeps_by_age_not_count(tmp_path):
    project = make_project(tmp_path / "p.sqlite")
    newest = backups.backup_file(project, "manual")
    folder = newest.parent
    now = datetime.now(UTC)
    made = []
    for minutes in [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55] + [60 * 24 * 40]:  # 11 in the hour, one 40 days old
        name = f"{backups._stamp(now - timedelta(minutes=minutes))}-periodic.sqlite"
        shutil.copyfile(newest, folder / name)
        made.append(folder / name)
    backups.rotate(project)
    left = set(files(project))
    assert set(made[:-1]) | {newest} == left  # twelve backups of the last hour all stay; the 40-day one went


def test_listing_reads_the_manifest_not_the_backups(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p.sqlite", docs=4, spans=2)
    first = backups.backup_file(project, "open")
    with Project.open(project, user="t") as p:
        p.add_span(p.documents()[0].id, 0, 1, "threat")
    second = backups.backup_file(project, "periodic")
    opened = []
    real = backups.info
    monkeypatch.setattr(backups, "info", lambda path: opened.append(path) or real(path))
    listed = backups.list_backups(project)
    assert [(i.path, i.reason, i.documents, i.spans) for i in listed] == [
        (second, "periodic", 4, 9), (first, "open", 4, 8)]
    assert opened == []
    stray = first.parent / "20000101T000000.000000Z-manual.sqlite"  # a backup the manifest does not describe
    shutil.copyfile(first, stray)
    listed = backups.list_backups(project)
    assert opened == [stray] and listed[-1].spans == 8
    manifest = json.loads((first.parent / backups.MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest["backups"]) == {first.name, second.name}
