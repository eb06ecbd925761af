"""An `annotator import` in another process that commits in many steps, while the window is open: the window sees a
change at each poll (once a second). The suggestions learned anew after each one -- their retrain restarted about
once a second until the import ended (a reviewer's finding, stop 33). They now wait until the project has stood
still for a few polls, then learn once; the window's own changes still start them within a second.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import IncomingDocument
from annotator.store import Project
from annotator.ui.suggest import worker
from annotator.ui.watch import POLL_MS
from tests.ui.conftest import HOSTILE, key_select


def test_an_import_in_many_steps_elsewhere_starts_one_retrain_after_it_ends(window, project, qtbot):
    retrainer = window.suggestions.retrainer
    watcher = window.outside
    watcher.timer.stop()  # its polls made here, one a second, as its timer would
    qtbot.waitUntil(lambda: not retrainer.timer.isActive(), timeout=10_000)  # the window's first learning asked
    started = retrainer.generation
    other = Project.open(project.path, user="script")  # the outside import's connection
    try:
        for step in range(5):
            other.import_documents([IncomingDocument(f"Statement {step}.{i} from the command line.", f"cli {step}.{i}")
                                    for i in range(20)])
            assert watcher.poll() is True
            qtbot.wait(POLL_MS)
        assert retrainer.generation == started  # not restarted while the import went on
        qtbot.waitUntil(lambda: retrainer.generation == started + 1, timeout=4 * POLL_MS)  # once, after it
        qtbot.wait(POLL_MS)
        assert retrainer.generation == started + 1
    finally:
        other.close()
    # a label key press of the analyst's own: learned from within the usual debounce
    key_select(qtbot, window.view, HOSTILE.index("peace"), len("peace"))
    qtbot.keyClick(window.view, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: retrainer.generation == started + 2, timeout=worker.DEBOUNCE_MS + 1000)
