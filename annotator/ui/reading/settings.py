"""The analyst's reading settings: font, size, zoom, line spacing and line width, remembered in QSettings.

Every value read back is checked and clamped: a hand-edited or foreign settings file gives the default for
the value it spoiled, never an error.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont, QGuiApplication

ZOOM_STEP = 1.1  # each zoom step is 10 % larger or smaller
ZOOM_RANGE = (-6, 12)
SIZE_RANGE = (6.0, 40.0)  # points, before zoom
SPACING_RANGE = (1.0, 3.0)
CHARS_RANGE = (0, 400)  # 0: as wide as the view
PREFIX = "reading/"


@dataclass(frozen=True)
class Reading:
    family: str
    size: float  # points, at zoom 0
    zoom: int = 0
    spacing: float = 1.0  # 1.0: single; the room for underline lanes comes on top when it is more
    max_chars: int = 0

    @classmethod
    def default(cls) -> Reading:
        base = QGuiApplication.font()
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        return cls(base.family(), max(10.0, size + 1), 0, 1.0, 0)

    @property
    def points(self) -> float:
        """The size shown: the chosen size at the zoom step, in half points."""
        return round(self.size * ZOOM_STEP**self.zoom * 2) / 2

    def font(self) -> QFont:
        font = QFont(QGuiApplication.font())
        if self.family:
            font.setFamily(self.family)
        font.setPointSizeF(max(1.0, self.points))
        return font

    def zoomed(self, steps: int) -> Reading:
        """``steps`` further in (positive) or out; 0 steps: back to the chosen size."""
        zoom = 0 if steps == 0 else _clamp(self.zoom + steps, *ZOOM_RANGE)
        return replace(self, zoom=int(zoom))


def _clamp(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


def load(settings: QSettings) -> Reading:
    default = Reading.default()

    def number(key: str, fallback: float, low: float, high: float) -> float:
        try:
            value = float(settings.value(PREFIX + key, fallback))
        except (TypeError, ValueError):
            return fallback
        return _clamp(value, low, high) if value == value else fallback  # NaN: the default

    family = settings.value(PREFIX + "family", default.family)
    return Reading(
        family=family if isinstance(family, str) and len(family) < 200 else default.family,
        size=number("size", default.size, *SIZE_RANGE),
        zoom=int(number("zoom", 0, *ZOOM_RANGE)),
        spacing=round(number("spacing", default.spacing, *SPACING_RANGE), 2),
        max_chars=int(number("max_chars", default.max_chars, *CHARS_RANGE)),
    )


def save(settings: QSettings, reading: Reading) -> None:
    for key in ("family", "size", "zoom", "spacing", "max_chars"):
        settings.setValue(PREFIX + key, getattr(reading, key))
