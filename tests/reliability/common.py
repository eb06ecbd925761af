"""Shared by the reliability tests: scale, sample projects, content dumps, integrity checks."""

from __future__ import annotations

import json
import os
import random
import sqlite3
from pathlib import Path

from annotator.core.model import IncomingDocument, IncomingSpan
from annotator.store import Project
from tests.helpers import content

CI = bool(os.environ.get("CI"))


def report(test: str, **figures: object) -> None:
    """Append one line of figures to ``ANNOTATOR_RELIABILITY_REPORT`` (the README's table), if it is set."""
    target = os.environ.get("ANNOTATOR_RELIABILITY_REPORT")
    if target:
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"test": test, **figures}) + "\n")


def env_int(name: str, ci: int, full: int) -> int:
    """A scale for a reliability test: the env var if set, a reduced figure in CI, else the local default."""
    value = os.environ.get(name)
    if value:
        return int(value)
    return ci if CI else full


#: SIGKILLs in the crash harness (ANNOTATOR_KILLS=200 for the full run)
KILLS = env_int("ANNOTATOR_KILLS", 30, 60)
#: hypothesis examples per fuzzed reader (ANNOTATOR_FUZZ=2000 for the full run)
FUZZ = env_int("ANNOTATOR_FUZZ", 60, 300)

WORDS = (
    'the', 'allies', 'condemn', 'threats', 'missiles', 'DPRK', 'Russia', 'commit', 'defend', 'urge', 'restraint',
    'sovereignty', 'peace', 'security', 'cooperation', 'deterrence', 'partners', 'region', 'stability',
    'sanctions', 'dialogue', '😀', '𝐃𝐏𝐑𝐊', '한국어', '<b>bold</b>', '&amp;', 'naïve', 'é',
)
LABELS = ("threat", "commitment", "call_to_action")


def statement(rng: random.Random, words: int = 60, tag: str = "") -> str:
    body = " ".join(rng.choice(WORDS) for _ in range(words))
    return f"{tag} {body}.\nSecond line: {' '.join(rng.choice(WORDS) for _ in range(words // 3))}."


def incoming(rng: random.Random, n: int, spans: int = 3, tag: str = "") -> list[IncomingDocument]:
    docs = []
    for i in range(n):
        text = statement(rng, tag=f"{tag}#{i}")
        found = []
        for _ in range(spans):
            start = rng.randrange(0, len(text) - 1)
            end = rng.randrange(start + 1, min(len(text), start + 40) + 1)
            found.append(IncomingSpan(start, end, rng.choice(LABELS), "seed", ""))
        docs.append(IncomingDocument(text, f"doc {tag}{i}", spans=found))
    return docs


def make_project(path: Path, docs: int = 6, seed: int = 1, spans: int = 3) -> Path:
    rng = random.Random(seed)
    with Project.open(path, create=True, user="tester", populate=incoming(rng, docs, spans, tag=f"s{seed}")):
        pass
    return path


def settled(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    """Wait for the window's backup on open (it runs in the background once the window is up)."""
    keeper = window.backups
    qtbot.waitUntil(lambda: keeper.project is window.session.project and not keeper.running, timeout=10_000)
    keeper.join()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


def dump(path: Path) -> list[str]:
    return content(path)


__all__ = [
    "settled", "CI", "report", "FUZZ", "KILLS", "LABELS", "dump", "env_int", "incoming", "integrity",
    "make_project", "statement",
]
