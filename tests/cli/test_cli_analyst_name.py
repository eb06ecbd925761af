"""Trial 11, L2: a command's writes (``annotator vars``, ``annotator import``, ``annotator delete``) are recorded in
the project's history under the analyst's name the window keeps (Edit ▸ Your Name…, ``analyst=`` in
``settings.ini`` of ``ANNOTATOR_DATA_DIR``), not the login name. The name is written by the real QSettings, as the
window writes it (non-ASCII, quotes, a comma, a leading @), and read back by the command line without Qt."""

from __future__ import annotations

import getpass
import sqlite3

import pytest
from PySide6.QtCore import QSettings

from annotator.analyst import saved_name, unescape
from annotator.core.model import IncomingDocument
from annotator.store import Project
from tests.helpers import run_cli

NAMES = ["Zoë Ångström 李", "Ана-Мария", "say \"hi\", ok", "@home", "back\\slash", "😀 Ngozi", "x;y=z", "#1 tess"]


def _save(data_dir, name: str) -> None:
    settings = QSettings(str(data_dir / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("geometry", b"\x01\x02,\x03")  # the window keeps more beside the name
    settings.setValue("analyst", name)
    settings.setValue("recent", ["/a, b.sqlite", "/c.sqlite"])
    settings.sync()


def _actors(path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT action, actor FROM history ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.mark.parametrize("name", NAMES)
def test_the_name_qsettings_wrote_is_read_back_without_qt(qapp, user_data_dir, name):
    _save(user_data_dir, name)
    assert saved_name() == name


def test_qt5_escapes_and_quotes_are_read_as_qsettings_reads_them():
    assert unescape(r"Zo\xeb \x674e") == "Zoë 李"  # how Qt 5 wrote every character past ASCII
    assert unescape(r"\xd83d\xde00 x") == "😀 x"  # a Qt 5 file's UTF-16 surrogate pair
    assert unescape('" lead, comma"') == " lead, comma"
    assert unescape("@@at") == "@at" and unescape(r"tab\there") == "tab\there"


def test_no_settings_leaves_the_login_name(user_data_dir):
    assert saved_name() is None
    (user_data_dir / "settings.ini").write_text("[General]\nanalyst=\n", "utf-8")
    assert saved_name() is None


def test_import_vars_and_delete_are_recorded_under_the_analysts_name(qapp, user_data_dir, tmp_path):
    name = "Zoë Ångström 李"
    _save(user_data_dir, name)
    path = tmp_path / "p.sqlite"
    Project.open(path, create=True, user="ana",
                 populate=[IncomingDocument("We condemn the launch.", "first")]).close()
    source = tmp_path / "more.txt"
    source.write_text("We commit to peace.", "utf-8")
    table = tmp_path / "vars.csv"
    table.write_text("title,issuer\nfirst,FCDO\n", "utf-8")
    for args in (("import", path, source), ("vars", path, table), ("delete", path, "--title", "more")):
        result = run_cli(*args)
        assert result.returncode == 0, result.stderr
    rows = _actors(path)
    assert rows == [("import_document", "ana"), ("import_document", name), ("set_variables", name),
                    ("delete_statement", name)]
    assert getpass.getuser() != name


def test_without_a_saved_name_a_command_is_recorded_under_the_login_name(user_data_dir, tmp_path):
    path = tmp_path / "p.sqlite"
    Project.open(path, create=True, user="ana", populate=[IncomingDocument("We condemn it.", "first")]).close()
    table = tmp_path / "vars.csv"
    table.write_text("title,issuer\nfirst,FCDO\n", "utf-8")
    assert run_cli("vars", path, table).returncode == 0
    assert _actors(path)[-1] == ("set_variables", getpass.getuser())


def test_an_unreadable_settings_file_is_said_not_passed_over(user_data_dir, tmp_path):
    """Trial 17, F6: a settings.ini the command could not read was passed over in silence, and the import recorded
    under the login name. (A folder in its place: unreadable even to root.)"""
    (user_data_dir / "settings.ini").mkdir()
    path = tmp_path / "p.sqlite"
    Project.open(path, create=True, user="ana", populate=[IncomingDocument("We condemn it.", "first")]).close()
    source = tmp_path / "more.txt"
    source.write_text("We commit to peace.", "utf-8")
    result = run_cli("import", path, source)
    assert result.returncode == 0, result.stderr
    said = result.stderr.decode()
    assert f"annotator: warning: cannot read your name from {user_data_dir / 'settings.ini'}" in said
    assert "recorded under your login name" in said
    assert _actors(path)[-1] == ("import_document", getpass.getuser())
