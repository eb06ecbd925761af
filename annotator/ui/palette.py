"""Colours that follow the palette: a dark system palette gets bands and underlines that read on dark paper.

The label colours of the codebook are chosen for white paper (colour-blind-safe, DESIGN.md §2.3). On a dark
palette a band needs more opacity to be seen at all, and a dark underline (navy, purple) on near-black is
invisible, so it is lightened until it stands out from the background; the hue stays the label's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPixmap

from annotator.core import codebook

BAND_ALPHA = 56  # light paper: three overlapping bands still leave black text legible
BAND_ALPHA_DARK = 96  # dark paper: a translucent band needs more body to show against near-black
UNKNOWN_COLOR = "#888888"
#: text that says what is wrong (a field's value that cannot be saved, a file that cannot be read): dark red, 7:1
#: against white
PROBLEM_COLOR = "#b00020"
#: a field holding what cannot be saved (Document Properties, the Documents list's filters)
INVALID_STYLE = f"QLineEdit {{ color: {PROBLEM_COLOR}; border: 1px solid {PROBLEM_COLOR}; }}"
MIN_CONTRAST = 0.35  # difference in lightness an underline keeps from the paper
#: the least contrast ratio (WCAG) an underline keeps from light paper: Okabe–Ito's yellow has 1.3 on white, its
#: orange and sky blue 2.2-2.3 (left as they are)
LIGHT_PAPER_RATIO = 2.0


#: how far apart (CIELAB ΔE, :func:`codebook.color_lab`) a colour that means something of its own (a review
#: category) is kept from the label colours in use and from the others: 35 leaves room for the review's four beside
#: the codebook's first eight colours (Okabe–Ito's blue and sky blue, told apart, are 26 apart)
APART = 35.0


def distinct_colours(preferred: Mapping[str, Sequence[str]], in_use: Iterable[str]) -> dict[str, str]:
    """A colour for each key of ``preferred`` that cannot be taken for one of ``in_use`` (the label colours), nor
    for another key's: its first preferred colour at least :data:`APART` from all of them, else the colour farthest
    from them among all the preferred ones and the codebook's extra colours. The same labels, the same colours."""
    return dict(_distinct(tuple((key, tuple(colours)) for key, colours in preferred.items()),
                          tuple(sorted({c.lower() for c in in_use if QColor.isValidColorName(c)}))))


@lru_cache(maxsize=16)
def _distinct(preferred: tuple[tuple[str, tuple[str, ...]], ...],
              in_use: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    pool = (*dict.fromkeys(c for _key, colours in preferred for c in colours), *codebook.EXTRA_COLORS)
    lab = {c: codebook.color_lab(c) for c in (*pool, *in_use)}
    taken = [lab[c] for c in in_use]
    out = []
    for key, colours in preferred:
        def far(colour: str) -> float:
            return min((math.dist(lab[colour], t) for t in taken), default=math.inf)

        chosen = next((c for c in colours if far(c) >= APART), None) or max(pool, key=far)
        taken.append(lab[chosen])
        out.append((key, chosen))
    return tuple(out)


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (the application's by default) paints light text on dark paper."""
    palette = palette if palette is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def luminance(colour: QColor) -> float:
    """WCAG 2's relative luminance: 0 for black, 1 for white (yellow is 0.93, where HSL's lightness says 0.5)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    """WCAG 2's contrast ratio of two colours, 1 (none) to 21 (black on white)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def ink_on(fill: QColor) -> QColor:
    """Black or white, whichever reads better on ``fill`` (a tag filled with a label's colour): white text on a
    yellow tag could not be read (a newcomer's finding)."""
    black, white = QColor("#000000"), QColor("#ffffff")
    return black if contrast(fill, black) >= contrast(fill, white) else white


def readable(colour: QColor, palette: QPalette) -> QColor:
    """``colour`` made to stand out from ``palette``'s paper: lightened on dark paper until it does; on light
    paper a colour as light as the paper (a yellow underline, a yellow band on white) darkened until it shows, the
    hue kept. The codebook's other colours already stand out, and are left as they are."""
    paper = palette.color(QPalette.ColorRole.Base)
    out = QColor(colour)
    if paper.lightnessF() < 0.5:
        while out.lightnessF() - paper.lightnessF() < MIN_CONTRAST and out.lightnessF() < 0.95:
            out = out.lighter(125)
    else:
        while contrast(out, paper) < LIGHT_PAPER_RATIO and out.valueF() > 0.2:
            out = out.darker(115)
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


def swatch(colour: str, size: int = 12) -> QPixmap:
    """A label's colour as a small square with a darker edge inside a ring of the paper's colour: it reads on the
    paper, and on a selected row's highlight (a bare colour drawn there, the teal of "Call to action" blended into
    the blue of the Spans panel's selected row). One pixmap per colour, size and paper."""
    return _swatch(colour, size, QGuiApplication.palette().color(QPalette.ColorRole.Base).name())


@lru_cache(maxsize=512)
def _swatch(colour: str, size: int, paper: str) -> QPixmap:
    fill = QColor(colour)
    if not fill.isValid():
        fill = QColor(UNKNOWN_COLOR)
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(paper))
    painter.drawRoundedRect(QRectF(0, 0, size, size), 3, 3)
    painter.setBrush(fill)
    painter.setPen(fill.darker(140))
    painter.drawRoundedRect(QRectF(1.5, 1.5, size - 3, size - 3), 1.5, 1.5)
    painter.end()
    return pixmap


def dark_palette() -> QPalette:
    """A dark palette for where the system asks for a dark scheme but its style paints light (Qt's generic
    Linux theme, Fusion without a platform theme)."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#262626",
        QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#353535",
        QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Highlight: "#3d6fb4", QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#2b2b2b", QPalette.ColorRole.ToolTipText: "#e6e6e6",
        QPalette.ColorRole.PlaceholderText: "#9a9a9a", QPalette.ColorRole.Link: "#7aa7e6",
        QPalette.ColorRole.Light: "#4a4a4a", QPalette.ColorRole.Midlight: "#3e3e3e",
        QPalette.ColorRole.Mid: "#303030", QPalette.ColorRole.Dark: "#1a1a1a", QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


class SchemeFollower:
    """Keeps the application's palette in step with the system's light or dark scheme: when the system says
    dark and the style still paints light, a dark palette; when it says light again, the palette from before."""

    def __init__(self, app: QGuiApplication) -> None:
        self.app = app
        self.replaced: QPalette | None = None  # the palette ours stands in for
        app.styleHints().colorSchemeChanged.connect(self.follow)
        self.follow()

    def follow(self, scheme: Qt.ColorScheme | None = None) -> None:
        """Follow ``scheme`` (what the system says now, by default)."""
        dark = (scheme if scheme is not None else self.app.styleHints().colorScheme()) == Qt.ColorScheme.Dark
        if dark and self.replaced is None and not is_dark(self.app.palette()):
            self.replaced = QPalette(self.app.palette())
            self.app.setPalette(dark_palette())
        elif not dark and self.replaced is not None:
            self.app.setPalette(self.replaced)
            self.replaced = None


_follower: SchemeFollower | None = None


def follow_system_scheme() -> SchemeFollower | None:
    """Start following the system's colour scheme (once per application)."""
    global _follower
    app = QGuiApplication.instance()
    if _follower is None and isinstance(app, QGuiApplication):
        _follower = SchemeFollower(app)
    return _follower
