"""Label colours that read on the paper: a tag's text black or white by contrast, and a label as light as the
paper (yellow) darkened until its underline and band show (a newcomer's finding: white text on a yellow tag, and
a yellow span all but invisible on white)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from annotator.core import codebook
from annotator.ui.palette import LIGHT_PAPER_RATIO, contrast, ink_on, span_colours


def white_paper() -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    return palette


def test_a_tags_text_is_the_ink_that_reads_on_its_fill(qapp):
    assert ink_on(QColor("#ffff00")).name() == "#000000"  # HSL lightness 0.5, yet a light colour
    assert ink_on(QColor("#f0e442")).name() == "#000000"
    assert ink_on(QColor("#0072b2")).name() == "#ffffff"
    assert ink_on(QColor("#000000")).name() == "#ffffff"
    for fill in (*codebook.PALETTE, "#ffff00", "#00ffff", "#ff00ff", "#808080"):
        assert contrast(ink_on(QColor(fill)), QColor(fill)) >= 4.5, fill  # WCAG AA for text


def test_a_label_as_light_as_the_paper_is_darkened_and_the_others_kept(qapp):
    paper = white_paper()
    for light in ("#ffff00", "#f0e442", "#fffacd"):
        _band, line = span_colours(light, paper)
        assert contrast(line, QColor("#ffffff")) >= LIGHT_PAPER_RATIO, light
        assert abs(line.hueF() - QColor(light).hueF()) < 0.02  # still yellow
    for kept in codebook.PALETTE:
        if kept != "#f0e442":
            assert span_colours(kept, paper)[1].name() == kept  # the colour-blind-safe colours as chosen
