"""The project file: one SQLite database per project (DESIGN.md §2.2)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.store.project import Project

__all__ = ["Project"]


def __getattr__(name: str) -> Any:
    # imported on first use: a command that only reads (``annotator stats``) opens the file through
    # ``store.readonly`` without importing what editing needs (import, backups, recovery: 50 ms of a 0.2 s command)
    if name == "Project":
        from annotator.store.project import Project

        globals()["Project"] = Project
        return Project
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
