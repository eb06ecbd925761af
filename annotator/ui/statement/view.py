"""The statement view: read-only plain text with every span painted in its label's colour (DESIGN.md §3, §7).

Why it paints spans itself: ExtraSelections hold a live QTextCursor each and slow every repaint, a
QSyntaxHighlighter keeps one format per character (no overlaps), and char-format edits change the document and
re-lay out whole paragraphs. Instead ``paintEvent`` (:mod:`~annotator.ui.statement.screen`) asks the interval index
for the spans on the visible lines only and draws them *before* the text: a translucent band per label over the
stretches its spans cover (a pile of same-label spans never darkens the text), and a coloured underline per span in
lanes *below* the line, one lane per level of overlap (up to :data:`MAX_LANES`; deeper spans share a thin line below
them), in the room the line spacing keeps there (:class:`~annotator.ui.statement.layout.SpacedLayout`; the room
grows when a statement's overlaps need more lanes). Then Qt draws the text opaque on top, then the selected span
gets a dark outline. Nothing crosses the glyphs, so deep overlaps never read as strikethrough.

Font, line spacing and line width come from the reading settings (:meth:`StatementView.set_reading`); colours
follow the palette (a dark one too).

Repaints stay local: a span change repaints the lines it is on, unless it moves other visible spans to other
lanes (then the whole view); a scroll blits, unless spans coming in or going out move lanes. Nothing here
moves the scroll position from a paint or scroll handler.

All Qt positions go through :class:`~annotator.ui.statement.positions.PositionMap`; everything outside this module
speaks code points.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from annotator.core.find import Finder, fold
from annotator.core.intervals import IntervalIndex
from annotator.core.model import Label, Span
from annotator.ui.palette import BAND_ALPHA, span_colours
from annotator.ui.statement.glyphs import GlyphCache
from annotator.ui.statement.overview import OverviewStrip
from annotator.ui.statement.positions import PositionMap, set_plain_text
from annotator.ui.statement.screen import ScreenMixin
from annotator.ui.statement.spacing import ReadingMixin
from annotator.ui.statement.span_layer import (
    Line,
    tooltip_html,
)

__all__ = ["BAND_ALPHA", "StatementView"]

#: spans new or changed in one :meth:`StatementView.set_spans` past which every paragraph's lanes are counted again
#: (as it is shown) rather than room made for each
RESET_ROOM_MOST = 500


class StatementView(ScreenMixin, ReadingMixin, QPlainTextEdit):
    """Shows one statement and its spans; selection and hit-testing in code points.

    ``spanSelected(span_id | None)`` is emitted whenever the selected span changes, by a click (the innermost
    span under the mouse; plain text clears it), by a new text selection (clears it) or by
    :meth:`set_selected_span` -- only on change, so wiring it to a list that calls back is loop-free.
    """

    spanSelected = Signal(object)
    zoomRequested = Signal(int)  # Ctrl+wheel: steps in (+) or out (-); the reading settings decide the size

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # read-only, but with a caret the keyboard can move and extend (Shift+arrows select)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setUndoRedoEnabled(False)
        self._text = ""
        self._map = PositionMap("")
        self._index = IntervalIndex()
        #: the find bar's search under way (find_text): needle, where it began, what it selected, in which text
        self._find_state: tuple[str, tuple[int, int, int], tuple[int, int], str] | None = None
        self._finder: Finder | None = None  # the find's index of the text, built at the first find in it
        self._labels: list[Label] = []
        self._colors: dict[str, tuple[QColor, QColor]] = {}
        self._colors_key: tuple[object, ...] | None = None
        self._selected: int | None = None
        self._painting = False
        self._scrolling = False
        self._lines_key: tuple[object, ...] | None = None
        self._lines: list[Line] = []
        self._lanes_kept: tuple[object, ...] | None = None  # (lines, index, spans version, spans, their lanes)
        self._spans_version = 0
        self._updated: tuple[Span | None, list[Line] | None] = (None, None)  # the last _update_span's span and lines
        #: (lines, {(first shown, how many): {range: rectangles}}): what the paints of those kept lines placed
        self._fills_kept: tuple[list[Line], dict[tuple[int, int], dict]] | None = None
        self.overview = OverviewStrip(self, self)
        self._glyphs = GlyphCache()
        self._init_reading()
        self.document().contentsChange.connect(self._blocks_changed)

    # ------------------------------------------------------------------ content
    def set_document(
        self, text: str, spans: list[Span] | IntervalIndex, labels: list[Label], presorted: bool = False
    ) -> None:
        """Show ``text`` with ``spans``: an index (the session's; the view takes a copy of it, cheaper than
        building one) or a list (cheapest when sorted by start, end, label, id, as the store gives them;
        ``presorted``: the caller guarantees that order)."""
        changed = self._selected is not None
        self._selected = None
        self._text = text
        self._forget_lines()
        self._glyphs.forget()  # the old text's blocks go with it
        self._map = PositionMap(text)
        self._index = spans.copy() if isinstance(spans, IntervalIndex) else IntervalIndex(spans, presorted)
        self._set_colors(labels)
        self._block_lanes = {}
        self._counting_off = True  # Qt lays out an emptied document first: nothing to count yet
        try:
            set_plain_text(self, text)
        finally:
            self._counting_off = False
        self.overview.invalidate()
        if changed:
            self.spanSelected.emit(None)

    def set_spans(self, spans: IntervalIndex, labels: list[Label]) -> None:
        """The same text with spans changed many at once (read again: changed by another process, a codebook
        import, an adjudication): the scroll position, the caret and the selected span (while it is there) are
        kept, where :meth:`set_document` starts the statement afresh at its top (a codebook import sent the
        analyst back to the first line, a newcomer's finding)."""
        old = self._index
        self._index = spans.copy()
        self._set_colors(labels)
        self._spans_changed()
        new = [span for span in self._index if old.get(span.id) != span]
        if len(new) > RESET_ROOM_MOST:  # many: every paragraph's lanes counted again as it is shown
            self._block_lanes = {}
            self._layout.forget()
            self._forget_lines()
        for span in new if len(new) <= RESET_ROOM_MOST else ():
            self._make_room(span)
        self.overview.invalidate()
        self.viewport().update()
        if self._selected is not None and self._index.get(self._selected) is None:
            self._selected = None
            self.spanSelected.emit(None)

    def _blocks_changed(self, *_: int) -> None:
        self._glyphs.forget()

    def set_labels(self, labels: list[Label]) -> None:
        self._set_colors(labels)
        self.overview.invalidate()
        self.viewport().update()

    def _set_colors(self, labels: list[Label]) -> None:
        self._labels = list(labels)
        palette = self.palette()
        key = (tuple((label.key, label.color) for label in labels), palette.cacheKey())
        if key == self._colors_key:  # opening the next statement: the same codebook, the same palette
            return
        self._colors_key = key
        self._colors = {label.key: span_colours(label.color, palette) for label in labels}

    def _color(self, key: str) -> tuple[QColor, QColor]:
        found = self._colors.get(key)
        if found is None:
            found = self._colors[key] = span_colours("", self.palette())
        return found

    def add_span(self, span: Span) -> None:
        self._change(lambda: self._index.add(span), None, span)
        self._make_room(span)

    def remove_span(self, span_id: int) -> None:
        old = self._index.get(span_id)
        if old is None:
            return
        self._change(lambda: self._index.remove(span_id), old, None)
        if self._selected == span_id:
            self._selected = None
            self.spanSelected.emit(None)

    def replace_span(self, span: Span) -> None:
        self._change(lambda: self._index.replace(span), self._index.get(span.id), span)
        self._make_room(span)

    def _change(self, mutate: Callable[[], object], old: Span | None, new: Span | None) -> None:
        """Apply one index change and repaint what it touches: the lines of the old and new span, or the whole
        view when the change moves other visible spans to other underline lanes (a nested span shifts the
        spans that overlap it, which may run on over lines far from it)."""
        if not self.isVisible():
            mutate()
            self._spans_changed()
            self.overview.span_changed(old, new)
            return
        lines = self._visible_lines()
        before = self._lanes_for(lines)
        mutate()
        self._spans_changed()
        self.overview.span_changed(old, new)
        after = self._lanes_for(lines)
        moved = {s.id for s in (old, new) if s is not None}
        if any(after.get(k, lane) != lane for k, lane in before.items() if k not in moved):
            self.viewport().update()
            return
        for span in (old, new):
            if span is not None:
                self._update_span(span, lines)

    @property
    def text(self) -> str:
        return self._text

    @property
    def position_map(self) -> PositionMap:
        return self._map

    @property
    def index(self) -> IntervalIndex:
        """The spans shown, in (start, end, label, id) order; read it, change spans through add/remove/replace."""
        return self._index

    @property
    def labels(self) -> list[Label]:
        return list(self._labels)

    def spans_in_order(self) -> list[Span]:
        return self._index.spans()

    def span_at_cp(self, pos: int) -> Span | None:
        """The innermost span containing code point ``pos``."""
        return self._index.innermost_at(pos)

    # ------------------------------------------------------------------ selection, in code points
    def selection_cp(self) -> tuple[int, int] | None:
        """The selected text as a code point range (a half-selected astral character counts whole)."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self._map.to_cp_range(cursor.selectionStart(), cursor.selectionEnd())

    def cursor_cp(self) -> int:
        return self._map.to_cp(self.textCursor().position())

    def select_cp(self, start: int, end: int) -> None:
        """Select ``text[start:end]`` (collapsed caret when equal) and bring it into view."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_qt(start))
        cursor.setPosition(self._map.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self._show_caret_line(cursor.position())

    def _show_caret_line(self, q: int) -> None:
        """Scroll so the line of Qt position ``q`` is wholly in view. Qt scrolled by the rectangles of paragraphs
        it had not laid out yet; laid out, they take the room their lanes need, which can push the caret's line
        below the window, and Qt's own test leaves a line cut by the bottom edge where it is (a selection made by
        a jump far into a statement was left out of view or cut, and the label key press then had to scroll)."""
        if not self.isVisible():
            return
        height = self.viewport().height()
        for _ in range(4):
            line = next((ln for ln in self._visible_lines() if ln.qa <= q <= ln.qb), None)
            if line is None:
                self.ensureCursorVisible()  # now by the laid-out rectangles
                continue
            bar = self.verticalScrollBar()
            if line.top < 0 and line.top + line.height <= height:
                bar.setValue(bar.value() - 1)
            elif line.top + line.height > height and line.top > 0:
                bar.setValue(bar.value() + 1)
            else:
                return

    @property
    def selected_span_id(self) -> int | None:
        return self._selected

    def set_selected_span(self, span_id: int | None) -> None:
        """Outline span ``span_id`` (None: no span), put the caret at its start and scroll it into view."""
        span = self._index.get(span_id) if span_id is not None else None
        if span is not None:
            visible = self._is_visible(self._map.to_qt(span.start))
            cursor = QTextCursor(self.document())
            cursor.setPosition(self._map.to_qt(span.start))
            self.setTextCursor(cursor)
            if not visible:
                self.scroll_to_cp(span.start)
        self._select_span(span)

    def _select_span(self, span: Span | None) -> None:
        old = self._index.get(self._selected) if self._selected is not None else None
        new_id = span.id if span is not None else None
        if new_id == self._selected:
            return
        self._selected = new_id
        for s in (old, span):
            if s is not None:
                self._update_span(s)
        self.spanSelected.emit(new_id)

    def scroll_to_cp(self, pos: int) -> None:
        """Scroll so code point ``pos`` is near the middle of the view (the caret stays where it is)."""
        doc = self.document()
        q = self._map.to_qt(pos)
        block = doc.findBlock(q)
        if not block.isValid():
            return
        layout = block.layout()
        if layout.lineCount() == 0:
            self.blockBoundingGeometry(block)  # lays the block out
        line = layout.lineForTextPosition(q - block.position())
        number = block.firstLineNumber() + (line.lineNumber() if line.isValid() else 0)
        bar = self.verticalScrollBar()
        bar.setValue(max(0, number - bar.pageStep() // 2))

    def find_text(self, needle: str, backwards: bool = False) -> bool:
        """Select the next (previous) occurrence of ``needle``, wrapping around: case is ignored and so is how an
        accent is written (``é`` typed finds ``e`` + U+0301), and a match never splits a letter from its marks
        (:mod:`annotator.core.find`).

        Successive finds are one search while the selection is the one the last find left: a changed ``needle``
        (typed on, the find bar searching as you type) is looked for from the start of the current match, so "Pyo"
        after "Py" extends the match rather than skipping to the next one; the same ``needle`` again finds the
        next. When ``needle`` is not found, the selection an earlier, shorter needle made is dropped and the caret
        goes back to where the search began, so a label key cannot label a partial match."""
        if not needle:
            return False
        if self._finder is None or self._finder.text is not self._text:
            self._finder = Finder(self._text)
        selection = self.selection_cp()
        here = self.cursor_cp()
        start, end = selection if selection else (here, here)
        last = self._find_state
        if last is not None and last[2] == (start, end) and last[3] is self._text:
            origin, retyped = last[1], fold(last[0]) != fold(needle)  # the search's own equality
        else:
            origin, retyped = (start, end, here), False
        if backwards:
            match = self._finder.previous_match(needle, start)
        else:
            match = self._finder.next_match(needle, start if retyped else end)
        if match is None:
            if (start, end) != origin[:2]:  # an earlier find of this search selected something: not any more
                self.select_cp(origin[2], origin[2])
                start = end = origin[2]
            self._find_state = (needle, origin, (start, end), self._text)
            return False
        self._select_span(None)
        self.select_cp(*match)
        self._find_state = (needle, origin, match, self._text)
        return True

    # ------------------------------------------------------------------ events
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._forget_lines()
        super().resizeEvent(event)
        self._forget_lines()
        self._update_margins()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Qt blits what stays on screen and repaints only what scrolled in; if the spans coming in or going
        out change the lanes of spans that stay, repaint everything. Only reads geometry and schedules paints:
        never moves the scroll position (re-entrant calls just scroll)."""
        self._forget_lines()
        if self._scrolling or dy == 0 or not len(self._index):
            super().scrollContentsBy(dx, dy)
        else:
            self._scrolling = True
            try:
                if 2 * abs(dy) > self.verticalScrollBar().pageStep():
                    # dy counts lines: little stays on screen, so repainting all of it costs about the same
                    super().scrollContentsBy(dx, dy)
                    self.viewport().update()
                else:
                    before = self._lanes_for(self._visible_lines())
                    super().scrollContentsBy(dx, dy)
                    self._forget_lines()
                    after = self._lanes_for(self._visible_lines())
                    if any(after.get(k, lane) != lane for k, lane in before.items()):
                        self.viewport().update()
            finally:
                self._scrolling = False
        self._forget_lines()
        self.overview.update()  # only schedules a paint

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if self.textCursor().hasSelection():
            self._select_span(None)  # a new text selection: label keys now apply to it
            return
        under = self.spans_at_point(event.position().toPoint())
        self._select_span(under[0] if under else None)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        super().keyPressEvent(event)
        if self._selected is not None and self.textCursor().hasSelection():
            self._select_span(None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._forget_lines()
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._update_gap()  # the lanes and the spacing scale with the text
        elif event.type() == QEvent.Type.PaletteChange:  # a dark palette: colours that read on it
            self._set_colors(self._labels)
            self.overview.invalidate()
            self.viewport().update()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, point: QPoint) -> str | None:
        """Label, annotator and note of each span under ``point``: rich text with every part escaped."""
        spans = self.spans_at_point(point)
        if not spans:
            return None
        return tooltip_html(spans, {label.key: label.name for label in self._labels})
