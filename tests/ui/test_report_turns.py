"""Review ▸ Agreement Report opens without holding the window a frame (issue #14): the dialog is made, readied and
shown in turns of the event loop of their own; the main window repaints in inactive colours part by part, never
with the dialog's first paint; the dialog's tables are made in one turn, their tabs painted in a later one and
their rows in one after that. And nothing is
left unpainted: every part of the main window takes its updates back and paints again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDockWidget, QTableView, QToolBar, QWidget

from annotator.ui import opening
from annotator.ui.review.report import ReportDialog
from tests.ui.test_review_gui import bob_path, open_files, project, review  # noqa: F401 - fixtures


class Paints(QObject):
    """Records, in order, the paints of the widgets it watches (by name) and what ``at_first`` returns at the
    dialog's first paint."""

    def __init__(self, at_first) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.order: list[str] = []
        self.names: dict[int, str] = {}
        self.at_first = at_first
        self.seen_at_first: object = None

    def watch(self, widget: QWidget, name: str) -> None:
        self.names[id(widget)] = name
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and id(obj) in self.names:
            name = self.names[id(obj)]
            if name == "dialog" and self.seen_at_first is None:
                self.seen_at_first = self.at_first()
            self.order.append(name)
        return False


def window_parts(window) -> list[QWidget]:  # type: ignore[no-untyped-def]
    direct = Qt.FindChildOption.FindDirectChildrenOnly
    docks = [d for d in window.findChildren(QDockWidget, options=direct) if d.isVisible()]
    tables = [v.viewport() for d in docks for v in d.findChildren(QTableView) if v.isVisible()]
    return [*docks, *tables, window.centralWidget(), *window.findChildren(QToolBar, options=direct),
            window.statusBar()]


@pytest.fixture
def compared(window, review, bob_path, qtbot, monkeypatch):  # noqa: F811 - pytest fixtures
    open_files(monkeypatch, qtbot, window, bob_path)
    qtbot.waitUntil(lambda: review.files and not review.index_jobs)
    return review


def test_the_main_window_repaints_after_the_reports_first_paint_part_by_part(window, compared, qtbot,
                                                                              monkeypatch):
    ctl = compared
    parts = window_parts(window)
    assert len(parts) >= 4  # the documents and spans docks, the statement, the status bar at least
    made: list[ReportDialog] = []
    paints = Paints(lambda: [p.updatesEnabled() for p in parts])

    real_init = ReportDialog.__init__

    def watched_init(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        real_init(self, *args, **kwargs)
        made.append(self)
        paints.watch(self, "dialog")

    monkeypatch.setattr(ReportDialog, "__init__", watched_init)
    for n, part in enumerate(parts):
        paints.watch(part, f"part{n}")

    window.view.setFocus()
    ctl.actions["review_report"].trigger()
    qtbot.waitUntil(lambda: bool(made) and made[0].isVisible() and made[0].ready, timeout=10_000)
    dialog = made[0]
    # at the dialog's first paint every part of the main window still holds its updates: none paints in that turn
    assert paints.seen_at_first == [False] * len(parts)
    # then each takes them back (one timer each) and paints again, in inactive colours, after the dialog
    qtbot.waitUntil(lambda: all(p.updatesEnabled() for p in parts), timeout=5_000)
    qtbot.waitUntil(lambda: all(f"part{n}" in paints.order for n in range(len(parts))), timeout=5_000)
    first = paints.order.index("dialog")
    assert all(paints.order.index(f"part{n}", first) > first for n in range(len(parts)))
    # a dock's table repaints its rows after the rest of the dock (the Documents dock whole took 15-18 ms)
    rows = parts.index(window.documents.table.viewport())
    dock = parts.index(window.findChild(QDockWidget, "documents_dock"))
    assert paints.order.index(f"part{rows}", first) > paints.order.index(f"part{dock}", first)
    # the dialog works as before: it has the keyboard, and closing it gives the statement the keyboard back
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(window.view.hasFocus)


def test_closing_the_window_while_its_parts_are_held_leaves_no_timer_behind(window, compared, qtbot):
    """The parts' timers belong to the parts: the report closed at once, and the window with it, nothing fires on
    a deleted widget (a crash or a Qt warning would fail the test run)."""
    ctl = compared
    ctl.actions["review_report"].trigger()
    qtbot.waitUntil(lambda: ctl.report_dialog is not None and ctl.report_dialog.isVisible(), timeout=10_000)
    ctl.report_dialog.close()
    held = [p for p in window_parts(window) if not p.updatesEnabled()]
    assert held  # the window's repaint is still to come
    qtbot.waitUntil(lambda: all(p.updatesEnabled() for p in held), timeout=5_000)


class Passes(QObject):
    """Which pass of a window's painting (its n-th update request) each watched widget was first painted in."""

    def __init__(self, window: QWidget) -> None:
        super().__init__()
        self.passes = 0
        self.first: dict[str, int] = {}
        self.names: dict[int, str] = {}
        window.installEventFilter(self)

    def watch(self, widget: QWidget, name: str) -> None:
        self.names[id(widget)] = name
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.UpdateRequest:
            self.passes += 1
        elif event.type() == QEvent.Type.Paint and id(obj) in self.names:
            self.first.setdefault(self.names[id(obj)], self.passes)
        return False


def test_the_reports_tables_are_made_in_one_turn_and_painted_in_a_later_one(window, compared, qtbot, monkeypatch):
    ctl = compared
    held_when_made: list[bool] = []
    passes: list[Passes] = []
    real = ReportDialog.show_tables
    real_make = ReportDialog._make_tables

    def watched(self):  # type: ignore[no-untyped-def]
        held_when_made.append(not self._lower.updatesEnabled())
        real(self)

    def watched_make(self):  # type: ignore[no-untyped-def]
        real_make(self)
        if not passes:
            passes.append(Passes(self))
            passes[0].watch(self.tabs.tabBar(), "tabs")
            passes[0].watch(self._tables["labels"].viewport(), "rows")

    monkeypatch.setattr(ReportDialog, "show_tables", watched)
    monkeypatch.setattr(ReportDialog, "_make_tables", watched_make)
    ctl.actions["review_report"].trigger()
    qtbot.waitUntil(lambda: ctl.report_dialog is not None and ctl.report_dialog.ready, timeout=10_000)
    assert held_when_made[0] is True  # the dialog's own timer made them with the stack's paint held
    dialog = ctl.report_dialog
    assert dialog._lower.updatesEnabled()
    # the tabs first, the per-label table's rows in a later pass of the dialog's painting (in one: 12-14 ms)
    first = passes[0].first
    assert set(first) == {"tabs", "rows"} and first["rows"] > first["tabs"], first
    assert dialog.labels_table.model().rowCount() > 0
    assert opening.NEXT_TURN_MS > 0  # a zero timer would be the same pass of the event loop in Qt 6
