"""Trial 10, D12: at the default layout (1280x800) the Suggestions dock cut its figures' header line at the top and
its note at the bottom, and its list showed two and a half rows. The figures and the note now always get the height
their text needs, and the list four rows; the dock is looked at in a screenshot."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from annotator.store import Project
from annotator.ui.app import sample_documents
from annotator.ui.suggest.panel import MIN_ROWS
from tests.ui.conftest import show_window
from tests.ui.test_suggest_gui import finished_from_the_evaluation_set


def test_the_figures_and_note_are_whole_and_the_list_shows_four_rows_in_a_low_dock(qtbot, tmp_path):
    from annotator.ui.mainwindow import MainWindow

    project = Project.open(tmp_path / "p.sqlite", create=True, user="tester", populate=sample_documents())
    finished_from_the_evaluation_set(project, 3)  # figures with their longest note: too few, the model waiting
    window = show_window(qtbot, MainWindow(project, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    try:
        window.resize(1280, 800)
        ctl = window.suggestions
        ctl.dock.show()
        qtbot.waitUntil(lambda: ctl.version is not None and ctl.settled() and ctl.evaluation is not None,
                        timeout=120_000)
        window.resizeDocks([ctl.dock], [200], Qt.Orientation.Vertical)  # as low as the trial's, and lower
        qtbot.wait(100)
        figures, table = ctl.panel.figures, ctl.panel.table
        text = figures.text()
        assert text.splitlines()[0].startswith("label") and "too few" in text and "more needed" in text
        assert figures.height() >= figures.heightForWidth(figures.width()), (figures.height(), figures.width())
        assert figures.alignment() & Qt.AlignmentFlag.AlignTop  # never centred, so never cut at the top
        rows = table.viewport().height() / table.verticalHeader().defaultSectionSize()
        assert rows >= MIN_ROWS, rows
        shot = tmp_path / "dock.png"
        assert ctl.dock.grab().save(str(shot)) and shot.stat().st_size > 0
    finally:
        window.close()
        project.close()
