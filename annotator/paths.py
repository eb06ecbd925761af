"""The one module that knows where things live on disk (appdirs for the user data directory).

``ANNOTATOR_DATA_DIR`` overrides the user data directory (tests, portable installs).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "Annotator"
_PACKAGE = Path(__file__).resolve().parent


def data_dir() -> Path:
    override = os.environ.get("ANNOTATOR_DATA_DIR")
    if override:
        return Path(override)
    import appdirs

    return Path(appdirs.user_data_dir(APP_NAME, False))


def default_project() -> Path:
    return data_dir() / "annotator.sqlite"


def backups_dir() -> Path:
    return data_dir() / "backups"


def settings_file() -> Path:
    """The GUI's remembered state (window layout, recent projects, analyst name)."""
    return data_dir() / "settings.ini"


def _bundled(name: str) -> Path:
    """A top-level folder of the repository, bundled in the wheel under ``annotator/_data``."""
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def sample_docs_dir() -> Path:
    return _bundled("sample_docs")


def resources_dir() -> Path:
    return _bundled("resources")


def guide_file() -> Path:
    """The README, which Help ▸ User Guide shows (bundled beside the resources its pictures name)."""
    installed = _PACKAGE / "_data" / "README.md"
    return installed if installed.is_file() else _PACKAGE.parent / "README.md"


def new_file_mode(target: Path) -> int:
    """The permissions a file written to ``target`` through a temporary file should get: the old file's when it
    replaces one, else what a plain ``open()`` would give under the user's umask (``mkstemp`` makes 0600, which
    would hide an export or a project from colleagues on a shared drive)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def _read_umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it: done once, at import, before any thread starts
    os.umask(mask)
    return mask


_UMASK = _read_umask()
