"""The project file: one SQLite database per project (DESIGN.md §2.2)."""

from annotator.store.project import Project

__all__ = ["Project"]
