"""The look at ``/proc/locks`` that a write makes (issue #14): it costs milliseconds of wall time on this kernel, so a
write trusts a look up to ``LOCKS_AGE_ON_WRITE`` seconds old; an explicit check (the window's timer) always looks,
and dropped locks are still reported."""

from __future__ import annotations

import os

from annotator.core.model import IncomingDocument
from annotator.store import Project, locks, recovery


def test_writes_trust_a_recent_look_at_the_locks(tmp_path, monkeypatch):
    looks: list[str] = []
    real = locks.holders
    monkeypatch.setattr(locks, "holders", lambda path: looks.append(str(path)) or real(path))
    clock = [1000.0]
    monkeypatch.setattr(recovery.time, "monotonic", lambda: clock[0])
    with Project.open(tmp_path / "p.sqlite", create=True, user="ana",
                      populate=[IncomingDocument("A statement of some words.", "t")]) as project:
        doc = project.documents()[0].id
        label = project.labels()[0].key
        looks.clear()
        assert project.check_files() is None  # the timer's check: always looks
        assert len(looks) == 1
        for k in range(5):
            project.add_span(doc, k, k + 1, label)
        assert len(looks) == 1  # five writes within the age: no look
        clock[0] += recovery.LOCKS_AGE_ON_WRITE + 0.1
        project.add_span(doc, 10, 12, label)
        assert len(looks) == 2  # older than the age: the write looks
        assert len(project.spans(doc)) == 6


def test_dropped_locks_are_still_reported(tmp_path, monkeypatch):
    with Project.open(tmp_path / "p.sqlite", create=True, user="ana",
                      populate=[IncomingDocument("A statement.", "t")]) as project:
        watch = recovery.FileWatch(project.path, project.conn)
        assert watch.changed() is None
        monkeypatch.setattr(locks, "holders", lambda path: {os.getpid() + 1})  # someone else's, not ours
        assert watch.changed(locks_age=recovery.LOCKS_AGE_ON_WRITE) is None  # looked just now: trusted
        assert "were dropped" in (watch.changed() or "")
