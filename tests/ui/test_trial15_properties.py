"""Trial 15, F1 in the window: a research lead types the month she knows ("2024-03") or the year ("2024") into
Document Properties' Date, and it is saved as typed (it was refused as "not a date written as YYYY-MM-DD"); the
Documents filters take such a date, and list a statement dated by its month or year when that period meets the
range (it may lie in it)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from annotator.core.model import IncomingDocument
from annotator.store import variables as sv
from tests.ui.conftest import type_into, window_over

CTRL = Qt.KeyboardModifier.ControlModifier
DOCS = [IncomingDocument(f"Statement {n}: we urge restraint and a return to talks.", f"s{n}") for n in range(4)]


def _listed(window):
    model = window.documents.model
    return sorted(model.index(r, 0).data() for r in range(model.rowCount()))


def test_a_month_or_a_year_typed_in_date_is_saved_and_the_filters_take_one(qtbot, tmp_path):
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        doc = window.session.document.id
        qtbot.keyClick(window.view, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
        date = window.properties.panel.editors["date"]
        qtbot.keyClick(window.properties.panel.editors["title"], Qt.Key.Key_Tab)
        assert date.hasFocus()
        qtbot.keyClicks(date, "2024-03")
        qtbot.keyClick(date, Qt.Key.Key_Tab)
        assert sv.fields(project, doc).date == "2024-03" and not date.property("invalid"), date.toolTip()
        assert window.undo_group.undoText() == "Set Date to “2024-03”"
        type_into(qtbot, date, "2024")
        assert sv.fields(project, doc).date == "2024"
        type_into(qtbot, date, "2024-13")  # no such month: kept as typed, marked, nothing saved
        assert date.property("invalid") and sv.fields(project, doc).date == "2024"
        ids = [d.id for d in project.documents()]
        for other, value in zip(ids, ("2024-03", "2024-03-15", "2024-04-01", "2024"), strict=True):
            sv.set_value(project, other, "date", value)
        window.properties.definitions_changed()
        filters = window.properties.filters
        type_into(qtbot, filters.date_from, "2024-03")
        type_into(qtbot, filters.date_to, "2024-03")
        # March, a day of it, and the year that holds it (it may be in March); not April
        qtbot.waitUntil(lambda: _listed(window) == ["s0", "s1", "s3"])
        type_into(qtbot, filters.date_to, "2024-03-10")  # a bound inside the month: the month still meets it
        qtbot.waitUntil(lambda: _listed(window) == ["s0", "s3"])
        type_into(qtbot, filters.date_from, "2024-04-01")
        type_into(qtbot, filters.date_to, "")
        qtbot.waitUntil(lambda: _listed(window) == ["s2", "s3"])  # the year 2024 may hold April: kept
        assert not filters.problem.isVisible()


def test_an_issuer_typed_with_spaces_around_it_is_the_issuer_without_them(qtbot, tmp_path):
    """Trial 15, F5: " Council of the EU" typed in Issuer was a second Council in every issuer table and filter."""
    with window_over(qtbot, tmp_path, DOCS) as (window, project):
        first, second = [d.id for d in project.documents()][:2]
        issuer = window.properties.panel.editors["issuer"]
        type_into(qtbot, issuer, "Council of the EU")
        window.documents.table.selectRow(window.documents.model.row_of(second))
        qtbot.waitUntil(lambda: window.session.document.id == second)
        type_into(qtbot, issuer, "  Council of the EU ")
        assert sv.fields(project, first).issuer == sv.fields(project, second).issuer == "Council of the EU"
        assert window.undo_group.undoText() == "Set Issuer to “Council of the EU”"
        filters = window.properties.filters
        assert [filters.issuer.itemText(i) for i in range(filters.issuer.count())].count("Council of the EU") == 1
