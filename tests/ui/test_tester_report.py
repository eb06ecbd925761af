"""A newcomer's finding on the Agreement report: its explanation of the figures ("Exact: same start, end and
label…") was drawn in the palette's disabled colour, #bebebe on #efefef (1.6:1), too faint to read."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from annotator.core import review as core
from annotator.ui.palette import dark_palette
from annotator.ui.review.report import ReportDialog


def luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_contrast(image: QImage) -> float:
    """The contrast of the text drawn in ``image`` with its background (its most common colour): the pixel
    farthest from the background is the glyphs' own colour (antialiased edges lie between)."""
    counts: dict[int, int] = {}
    for y in range(image.height()):
        for x in range(image.width()):
            rgb = image.pixel(x, y)
            counts[rgb] = counts.get(rgb, 0) + 1
    background = QColor.fromRgb(max(counts, key=counts.__getitem__))
    return max(contrast(QColor.fromRgb(rgb), background) for rgb in counts)


def _dialog(qtbot, parent: QWidget) -> ReportDialog:
    text = "We condemn the transfer. We will act together."
    docs = [core.ReportDoc("0" * 64, "statement", text, [(3, 10, "threat")], [(3, 10, "threat")])]
    dialog = ReportDialog(parent, core.build_report(docs, labels=["threat"], label_names={"threat": "Threat"}))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_explanation_of_the_figures_is_readable(qtbot, scheme):
    parent = QWidget()  # kept alive with the dialog
    qtbot.addWidget(parent)
    dialog = _dialog(qtbot, parent)
    if scheme == "dark":
        dialog.setPalette(dark_palette())
    note = dialog.counts_note
    assert note.text().startswith("Exact: same start, end and label")
    ratio = text_contrast(note.grab().toImage())
    assert ratio >= 4.5, f"the explanation's text has a contrast of {ratio:.1f}:1"
    # as readable as the summary above it
    assert ratio >= 0.8 * text_contrast(dialog.summary.grab().toImage())
