"""Colours that follow the palette: a dark system palette gets bands and underlines that read on dark paper.

The label colours of the codebook are chosen for white paper (colour-blind-safe, DESIGN.md §2.3). On a dark
palette a band needs more opacity to be seen at all, and a dark underline (navy, purple) on near-black is
invisible, so it is lightened until it stands out from the background; the hue stays the label's.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette

BAND_ALPHA = 56  # light paper: three overlapping bands still leave black text legible
BAND_ALPHA_DARK = 96  # dark paper: a translucent band needs more body to show against near-black
UNKNOWN_COLOR = "#888888"
MIN_CONTRAST = 0.35  # difference in lightness an underline keeps from the paper


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (the application's by default) paints light text on dark paper."""
    palette = palette if palette is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def readable(colour: QColor, palette: QPalette) -> QColor:
    """``colour`` made to stand out from ``palette``'s paper: lightened on dark paper until it does."""
    paper = palette.color(QPalette.ColorRole.Base).lightnessF()
    out = QColor(colour)
    if paper < 0.5:
        while out.lightnessF() - paper < MIN_CONTRAST and out.lightnessF() < 0.95:
            out = out.lighter(125)
    return out


def span_colours(colour: str, palette: QPalette) -> tuple[QColor, QColor]:
    """(band, underline) for a label colour on ``palette``."""
    line = QColor(colour)
    if not line.isValid():
        line = QColor(UNKNOWN_COLOR)
    line = readable(line, palette)
    band = QColor(line)
    band.setAlpha(BAND_ALPHA_DARK if is_dark(palette) else BAND_ALPHA)
    return band, line
