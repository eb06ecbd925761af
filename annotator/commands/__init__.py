"""Subcommands that live in a module of their own (the older ones are still in ``annotator/cli.py``).

Each module named in :data:`MODULES` (``annotator.commands.NAME``) defines

- ``NAME``: the command's name on the command line;
- ``add_parser(sub)``: adds its ``argparse`` subparser to ``sub`` (the result of ``add_subparsers``);
- ``run(args) -> int``: runs it; raises :class:`annotator.errors.AnnotatorError` for anything the user should read.

No module here imports Qt.
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: one line per command module; kept in the order ``annotator --help`` lists them
MODULES: tuple[str, ...] = ("search", "report", "suggest", "delete", "gold")


def load() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{name}") for name in MODULES]
