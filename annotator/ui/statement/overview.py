"""The overview strip beside the statement's scrollbar: where each label's spans lie in the whole document."""

from __future__ import annotations

import struct
from bisect import bisect_left
from itertools import repeat
from operator import floordiv, mul
from typing import Protocol

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QWidget

from annotator.core.intervals import IntervalIndex
from annotator.core.model import Label, Span
from annotator.ui.statement.positions import PositionMap

STRIP_WIDTH = 10


class Mapped(Protocol):
    """What the strip reads of the view it sits beside (the statement view is one): the strip knows this much
    and no more, so the view depends on the strip and not the other way round."""

    @property
    def text(self) -> str: ...

    @property
    def labels(self) -> list[Label]: ...

    @property
    def index(self) -> IntervalIndex: ...

    @property
    def position_map(self) -> PositionMap: ...

    def _color(self, key: str) -> tuple[QColor, QColor]: ...

    def visible_qt_range(self) -> tuple[int, int] | None: ...

    def scroll_to_cp(self, pos: int) -> None: ...


class OverviewStrip(QWidget):
    """A thin map beside the scrollbar: one tick per span at its place in the whole statement.

    Each pixel row shows the labels of the spans starting in its share of the text, side by side in codebook
    order. The ticks are written straight into the bytes of a cached image: building it costs C-level passes
    over the index's starts plus a little work per occupied row (not per span), a span change rewrites the
    rows it touches, and a paint is one image blit. A shade marks the part of the statement on screen; a
    click or drag scrolls there.
    """

    def __init__(self, view: Mapped, parent: QWidget) -> None:
        super().__init__(parent)
        self._view = view
        self._buf = bytearray()
        self._image: QImage | None = None
        self._patterns: dict[frozenset[str], bytes] = {}
        self._pending = False
        self._dirty: set[int] = set()  # start rows of changed spans, redrawn on the next turn of the event loop
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip("Where this statement's spans lie; click to go there")

    def invalidate(self) -> None:
        """Redraw the ticks from scratch, once the event loop is back: a new statement's text is painted first
        (repainting the strip with the text's first paint costs an extra widget paint, about 1 ms)."""
        self._image = None
        self._build_later()

    def _row(self, cp: int) -> int:
        h = max(1, self.height())
        return min(h - 1, cp * h // max(1, len(self._view.text)))

    def _row_start(self, row: int) -> int:
        """First code point whose tick is in ``row`` (rows are ``cp * h // n``)."""
        return -(-row * max(1, len(self._view.text)) // max(1, self.height()))

    def span_changed(self, old: Span | None, new: Span | None) -> None:
        """Redraw the rows of a changed span once the event loop is back (with any other changes meanwhile): a
        label key press paints the statement, the strip's tick follows (rewriting the rows and the image, and
        painting the strip with the statement, was a tenth of a key press)."""
        if not self.built:
            self.invalidate()
            return
        if not self._dirty:
            QTimer.singleShot(0, self, self._draw_dirty)
        self._dirty.update(self._row(span.start) for span in (old, new) if span is not None)

    def _draw_dirty(self) -> None:
        rows, self._dirty = self._dirty, set()
        if not rows or not self.built:  # a new statement or height meanwhile: built whole, later or already
            return
        for row in sorted(rows):
            self._draw_rows(row, row + 1)
            self.update(0, row - 1, self.width(), 4)
        self._image = self._to_image()

    def _build(self) -> QImage:
        h = max(1, self.height())
        n = max(1, len(self._view.text))
        index = self._view.index
        starts = index.starts
        labels = [s.label for s in index]
        self._patterns = {}
        self._buf = bytearray(self._pattern(frozenset()) * h)
        stride = 4 * STRIP_WIDTH
        buf = self._buf
        for y in sorted(set(map(floordiv, map(mul, starts, repeat(h)), repeat(n)))):  # start < n: y < h
            lo = bisect_left(starts, -(-y * n // h))
            hi = bisect_left(starts, -(-(y + 1) * n // h), lo)
            pattern = self._pattern(frozenset(labels[lo:hi]))
            buf[y * stride : min(y + 2, h) * stride] = pattern if y + 1 == h else pattern * 2
        self._image = self._to_image()
        return self._image

    def _to_image(self) -> QImage:
        h = len(self._buf) // (4 * STRIP_WIDTH)
        return QImage(bytes(self._buf), STRIP_WIDTH, h, 4 * STRIP_WIDTH, QImage.Format.Format_RGB32).copy()

    def _pattern(self, keys: frozenset[str]) -> bytes:
        """One image row (RGB32 as little-endian BGRA) with the ``keys`` side by side in codebook order."""
        found = self._patterns.get(keys)
        if found is None:
            rank = {label.key: i for i, label in enumerate(self._view.labels)}
            ordered = sorted(keys, key=lambda k: (rank.get(k, len(rank)), k))  # unknown labels go last
            pixels = [self.palette().color(QPalette.ColorRole.AlternateBase).rgb()] * STRIP_WIDTH
            for i, key in enumerate(ordered):
                colour = self._view._color(key)[1].rgb()
                lo, hi = i * STRIP_WIDTH // len(ordered), (i + 1) * STRIP_WIDTH // len(ordered)
                pixels[lo:hi] = [colour] * (hi - lo)
            found = self._patterns[keys] = struct.pack(f"<{STRIP_WIDTH}I", *pixels)
        return found

    def _draw_rows(self, first: int, last: int) -> None:
        """Rewrite pixel rows ``first..last``: a tick is 2 px tall, so row y shows in rows y and y + 1."""
        stride = 4 * STRIP_WIDTH
        h = len(self._buf) // stride
        first, last = max(0, first), min(h - 1, last)
        buf, index = self._buf, self._view.index
        buf[first * stride : (last + 1) * stride] = self._pattern(frozenset()) * (last - first + 1)
        for y in range(max(0, first - 1), last + 1):
            keys = frozenset(s.label for s in index.starting_in(self._row_start(y), self._row_start(y + 1)))
            if keys:
                pattern = self._pattern(keys)
                for row in range(max(y, first), min(y + 1, last) + 1):
                    buf[row * stride : (row + 1) * stride] = pattern

    @property
    def built(self) -> bool:
        """Whether the ticks for the current document, codebook and height are drawn."""
        return self._image is not None and self._image.height() == max(1, self.height())

    def _build_later(self) -> None:
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._build_now)

    def _build_now(self) -> None:
        self._pending = False
        if not self.built:
            self._build()
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        if self.built:
            assert self._image is not None
            painter.drawImage(0, 0, self._image)
        else:
            # Opening a statement shows its text first; the ticks (a few ms for 10 000 spans) follow at once.
            painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.AlternateBase))
            self._build_later()
        view = self._view
        shown = view.visible_qt_range() if view.text else None  # the view's own line walk: no hit tests
        if shown is not None:
            to_cp = view.position_map.to_cp
            y1, y2 = self._row(to_cp(shown[0])), self._row(to_cp(shown[1]))
            frame = QColor(self.palette().color(QPalette.ColorRole.Text))
            frame.setAlpha(50)
            box = QRectF(0.5, y1 + 0.5, self.width() - 1, max(3, y2 - y1))
            painter.fillRect(box, frame)
            frame.setAlpha(170)
            painter.setPen(QPen(frame, 1))
            painter.drawRect(box)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._jump(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._jump(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def _jump(self, event: QMouseEvent) -> None:
        event.accept()
        if self.height() > 0:
            y = min(max(event.position().y(), 0), self.height())
            self._view.scroll_to_cp(int(y * len(self._view.text) / self.height()))
