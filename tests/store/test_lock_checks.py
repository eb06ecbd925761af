"""The look at our locks that every write makes (issue #14): through ``/proc/self/fdinfo``, which costs a steady
fraction of a millisecond, instead of ``/proc/locks``, which now and then waits out an RCU grace period (6-8 ms,
most of a label key press). Every write still looks, and dropped locks are still caught before the write."""

from __future__ import annotations

import os
import sys

import pytest

from annotator.core.model import IncomingDocument
from annotator.store import Project, locks

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc is Linux's")


def _project(tmp_path):
    return Project.open(tmp_path / "p.sqlite", create=True, user="ana",
                        populate=[IncomingDocument("A statement of some words.", "t")])


def test_every_write_looks_at_our_locks_through_fdinfo(tmp_path, monkeypatch):
    with _project(tmp_path) as project:
        doc, label = project.documents()[0].id, project.labels()[0].key
        global_looks: list[str] = []
        own_looks: list[bool | None] = []
        real_holders, real_look = locks.holders, locks.OwnLocks._look
        monkeypatch.setattr(locks, "holders", lambda path: global_looks.append(str(path)) or real_holders(path))
        monkeypatch.setattr(locks.OwnLocks, "_look",
                            lambda self: own_looks.append(found := real_look(self)) or found)
        for k in range(5):
            project.add_span(doc, k, k + 1, label)
        assert own_looks == [True] * 5  # one look per write, each finding our lock
        assert global_looks == []  # /proc/locks is not read on a write
        assert len(project.spans(doc)) == 5


def test_a_descriptor_closed_behind_sqlites_back_is_caught_at_the_next_write(tmp_path):
    with _project(tmp_path) as project:
        doc, label = project.documents()[0].id, project.labels()[0].key
        assert project.check_files() is None
        assert locks.held_by(project.path, os.getpid()) is True
        os.close(os.open(project.path, os.O_RDONLY))  # what a file dialog sniffing the file did: POSIX drops them all
        assert locks.held_by(project.path, os.getpid()) is False
        project.add_span(doc, 0, 1, label)  # the write notices, recovers (fresh connection, locks again), then writes
        assert project.recovered and "were dropped" in project.recovered
        assert locks.held_by(project.path, os.getpid()) is True
    with Project.open(tmp_path / "p.sqlite", user="ana") as again:
        assert [(s.start, s.end) for s in again.spans(doc)] == [(0, 1)]


def test_fdinfo_is_not_trusted_where_it_disagrees_with_proc_locks(tmp_path, monkeypatch):
    monkeypatch.setattr(locks.OwnLocks, "_look", lambda self: False)  # a kernel that lists no locks in fdinfo
    with _project(tmp_path) as project:
        doc, label = project.documents()[0].id, project.labels()[0].key
        project.add_span(doc, 0, 1, label)  # /proc/locks says they are held: no false alarm, no recovery
        assert not project.recovered
        assert len(project.spans(doc)) == 1
