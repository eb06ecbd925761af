"""An outside trial of the Review dock: its legend counted, under "Conflicting" and "Theirs only", disagreements
already settled by a reject (R: keep mine), which the combined view also still painted as open ones; and its
"agreed" green was the default "Call to action" colour. The legend is the key of the combined view: each entry
counts the items painted in its colour, a rejected item is settled (listed in the table, no longer painted nor
counted, as an accepted one turns agreed), and no review colour is one a label of the codebook uses."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel

from annotator.core import codebook
from annotator.core import review as core
from annotator.ui.codebook import dialog as codebook_dialog
from tests.ui.conftest import on_dialog
from tests.ui.test_review_gui import ARMS, TOLL, WORK, bob_path, current_row, key, open_files, project, review, undo  # noqa: F401 - fixtures: mine and bob's

#: CIELAB ΔE76 below which two colours on the screen may be taken for one another (Okabe–Ito's blue and sky blue
#: are 26 apart; the trial's agreed green and "Call to action" were 0)
FAR = 30


def _legend(rv) -> dict[str, str]:
    return {label.objectName().removeprefix("legend_"): label.text()
            for label in rv.panel.legend.findChildren(QLabel) if label.objectName().startswith("legend_")}


def _painted(rv, category: str) -> set[str]:
    """The items (keys) the combined view paints in ``category``'s colour."""
    panel = rv.panel
    return {panel._span_keys[s.id] for s in panel.view.spans_in_order() if s.label == category}


def test_the_legend_counts_what_is_still_open_not_what_was_rejected(
        window, review, bob_path, qtbot, monkeypatch):  # noqa: F811 - the fixtures
    open_files(monkeypatch, qtbot, window, bob_path)
    assert window.session.document.id == ARMS
    legend = _legend(review)
    assert legend[core.CONFLICT] == "Conflicting (2)" and legend[core.THEIRS_ONLY] == "Theirs only (1)"
    view = window.view
    key(qtbot, view, Qt.Key.Key_J)  # bob's "toll": theirs only
    assert current_row(review)[3] == TOLL
    key(qtbot, view, Qt.Key.Key_R)  # rejected: mine kept
    key(qtbot, view, Qt.Key.Key_J)  # the boundary conflict
    assert current_row(review)[2] == WORK
    key(qtbot, view, Qt.Key.Key_R)
    assert [row[-1] for row in _table(review)] == ["rejected", "rejected", "open", "open"]
    legend = _legend(review)
    assert legend[core.CONFLICT] == "Conflicting (1)", legend
    assert legend[core.THEIRS_ONLY] == "Theirs only (0)", legend
    assert legend[core.MINE_ONLY] == "Mine only (1)" and legend[core.AGREED] == "Agreed (1)"
    # what the legend counts is what the combined view paints in that colour
    assert len(_painted(review, core.CONFLICT)) == 1 and not _painted(review, core.THEIRS_ONLY)
    undo(qtbot, window)  # the conflict open again
    assert _legend(review)[core.CONFLICT] == "Conflicting (2)" and len(_painted(review, core.CONFLICT)) == 2


def _table(rv):
    t = rv.panel.table
    return [tuple(t.item(r, c).text() for c in range(t.columnCount())) for r in range(t.rowCount())]


def _review_colours(rv) -> dict[str, str]:
    """The colours the combined view paints each category in, checked against the legend's chips."""
    colours = {lb.key: lb.color for lb in rv.panel.view.labels}
    for category, colour in colours.items():
        chip = rv.panel.legend.findChild(QLabel, f"chip_{category}")
        image = chip.pixmap().toImage()  # its foot is the underline, in the category's colour
        assert image.pixelColor(image.width() // 2, image.height() - 2) == QColor(colour), category
    return colours


def _apart(a: str, b: str) -> float:
    return codebook._distance(codebook._lab(a), codebook._lab(b))


def test_review_colours_are_never_a_label_colour(
        window, review, project, bob_path, qtbot, monkeypatch):  # noqa: F811 - the fixtures
    open_files(monkeypatch, qtbot, window, bob_path)
    labels = {lb.name: lb.color for lb in window.session.labels}
    assert labels["Call to action"] == "#009e73"  # the default codebook's green
    colours = _review_colours(review)
    for category, colour in colours.items():
        for name, label_colour in labels.items():
            assert _apart(colour, label_colour) >= FAR, (category, colour, name, label_colour)
    assert all(_apart(a, b) >= FAR for a in colours.values() for b in colours.values() if a != b)
    assert len(set(colours.values())) == len(colours)

    # the analyst recolours "Threat" to the review's agreed colour (Labels ▸ Edit Codebook, double click on its
    # colour): the review's colours move away from it
    agreed = colours[core.AGREED]
    monkeypatch.setattr(codebook_dialog.QColorDialog, "getColor", lambda *a, **k: QColor(agreed))

    def recolour(dialog):
        seen.append(dialog)
        qtbot.waitUntil(dialog.isActiveWindow)
        table = dialog.table
        rect = table.visualItemRect(table.item(0, 3))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # (QTest's double click
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # needs a press before)
        qtbot.mouseClick(dialog.findChild(codebook_dialog.QDialogButtonBox).button(
            codebook_dialog.QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    seen: list[object] = []
    timer = on_dialog(codebook_dialog.CodebookDialog, recolour)  # noqa: F841 - kept alive while the dialog runs
    qtbot.keyClick(window.view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert seen, "Ctrl+K opened the codebook editor"
    assert project.labels()[0].color == agreed
    labels = {lb.name: lb.color for lb in window.session.labels}
    colours = _review_colours(review)
    for category, colour in colours.items():
        for name, label_colour in labels.items():
            assert _apart(colour, label_colour) >= FAR, (category, colour, name, label_colour)
