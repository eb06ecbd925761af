"""Starting the app: the default project with the samples, the analyst's name, a killed process keeps its work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading

from annotator import paths
from annotator.store import Project


def test_first_launch_creates_default_project_with_samples(qtbot, user_data_dir):
    from annotator.ui.app import create_window

    window = create_window(None, ask_name=False)
    qtbot.addWidget(window)
    assert paths.default_project().exists()
    titles = [r.title for r in window.documents.model.rows]
    assert len(titles) == 2 and all("Joint Statement" in t for t in titles)  # the titles the pages state
    model = window.documents.model  # with their date and issuer (columns 3 and 4), the page chrome removed
    assert [model.index(r, 3).data() for r in range(2)] == ["2023-10-26", "2023-12-21"]
    assert {model.index(r, 4).data() for r in range(2)} == {"U.S. Department of State"}
    assert "An official website" not in window.session.document.text
    assert window.session.document is not None  # opens on the first unfinished statement
    assert window.recent_projects()[0] == str(paths.default_project())
    window.close()
    # second launch: same project, nothing imported twice, the analyst's name remembered
    window = create_window(None, ask_name=False)
    qtbot.addWidget(window)
    assert len(window.documents.model.rows) == 2
    window.close()


def test_named_project_is_created_if_missing(qtbot, tmp_path):
    from annotator.ui.app import create_window

    window = create_window(tmp_path / "fresh.sqlite", ask_name=False)
    qtbot.addWidget(window)
    assert (tmp_path / "fresh.sqlite").exists()
    assert window.documents.model.rows == []
    assert [b.text() for b in window.labels_bar.buttons.values()][0].startswith("[1] Threat")
    window.close()


KILLED = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import Qt, QSettings
    from PySide6.QtWidgets import QApplication
    from PySide6.QtTest import QTest
    from annotator.store import Project
    from annotator.ui.mainwindow import MainWindow
    app = QApplication([])
    project = Project.open(sys.argv[1], user="killed")
    win = MainWindow(project, QSettings(sys.argv[2], QSettings.Format.IniFormat))
    win.show()
    win.activateWindow()
    view = win.view
    view.setFocus()
    app.processEvents()  # let the window become active, as it does for a user
    text = win.session.document.text
    for word in ("DPRK", "Russia", "weapons", "condemn"):
        start = text.index(word)
        view.select_cp(start, start + len(word))
        before = len(view.spans_in_order())
        QTest.keyClick(view, Qt.Key.Key_1)
        if len(view.spans_in_order()) == before + 1:  # the window shows it: acknowledged
            print("saved", start, start + len(word), flush=True)
    sys.stdin.read()  # wait to be killed
    """
)


def test_killed_process_keeps_every_change_the_window_showed(tmp_path):
    db = tmp_path / "k.sqlite"
    from annotator.store.transfer import import_paths

    with Project.open(db, create=True) as p:
        import_paths(p, [paths.sample_docs_dir()])
    proc = subprocess.Popen([sys.executable, "-c", KILLED, str(db), str(tmp_path / "s.ini")],
                            stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True)
    watchdog = threading.Timer(120, proc.kill)  # a hung child fails the test instead of hanging it
    watchdog.start()
    acknowledged = []
    for _ in range(4):
        line = proc.stdout.readline().split()
        assert line and line[0] == "saved", line
        acknowledged.append((int(line[1]), int(line[2])))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    watchdog.cancel()
    proc.stdout.close()
    proc.stdin.close()
    with Project.open(db) as p:
        assert p.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        doc = p.next_unfinished() or p.documents()[0].id
        stored = {(s.start, s.end) for d in p.documents() for s in p.spans(d.id)}
    assert set(acknowledged) <= stored
    assert doc


def test_a_project_in_a_folder_that_does_not_exist_is_not_made(qtbot, tmp_path):
    """A newcomer's finding: ``annotator /tmp/nodir/sub/x.sqlite`` made both folders and an empty project without a
    word. Now it says so, and makes nothing."""
    import pytest

    from annotator.errors import AnnotatorError
    from annotator.ui.app import create_window

    target = tmp_path / "nodir" / "sub" / "x.sqlite"
    with pytest.raises(AnnotatorError, match="there is no folder .*nodir.*sub"):
        create_window(target, ask_name=False)
    assert not (tmp_path / "nodir").exists()
