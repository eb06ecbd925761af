"""Tables of titles and phrases: long text elided in the middle (its start and its distinguishing end both
show: "2023-10-26-joi…arms-transfers"), every column resizable by the user, and the widths remembered.

Widths are remembered per column *title* ("columns/documents/Title"), not as one ``QHeaderView.saveState``
blob: a column added in a later version (or by another feature) neither drops the widths of the others nor
gets one that was meant for another column.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView

#: longest text a cell or tooltip is given: eliding or showing a 1 M-character phrase helps nobody
CELL_CHARS = 400
TIP_CHARS = 2000
#: px a cell's text needs besides itself (the item's margins and focus frame, both sides)
CELL_PAD = 12
#: a date as the tables show it: the widest a date column needs
DATE_SAMPLE = "2026-12-31"


def clip(text: str, limit: int = CELL_CHARS, start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` on one line, at most ``limit`` characters: its start and end with " … " between
    them. Only the ends of a long range are read (a span may cover a 1 M-character statement)."""
    end = len(text) if end is None else end
    if end - start > 4 * limit:
        part = text[start : start + 2 * limit] + " " + text[end - 2 * limit : end]
    else:
        part = text[start:end]
    part = " ".join(part.split())
    if len(part) <= limit:
        return part
    half = (limit - 3) // 2
    return part[:half] + " … " + part[-half:]


def fit_within(view: QAbstractItemView, column: int, most: int) -> None:
    """``column`` as wide as what it shows, but at most ``most`` px: longer text elides (whole in its tooltip) and
    leaves the other columns their room."""
    view.resizeColumnToContents(column)
    view.setColumnWidth(column, min(view.columnWidth(column), most))


def fits(header: QHeaderView, section: int, *samples: str) -> int:
    """The px ``section`` needs to show each of ``samples`` whole in its cells, and its title in the header: for a
    column whose values have a known widest form (a date, a status, a count), at the font in use (a fixed 84 px
    showed a date whole at 9 pt and "202…-26" at 11 pt). The room of a sort indicator is not kept: Qt elides the
    title of the one column sorted by, where a column kept wide for it would take the others' room."""
    view = header.parentWidget()
    metrics = view.fontMetrics() if view is not None else header.fontMetrics()
    bold = QFont(header.font())
    bold.setBold(True)  # the style may draw titles bold
    title = str(header.model().headerData(section, header.orientation()) or "") if header.model() else ""
    widest = max([metrics.horizontalAdvance(s) for s in samples] + [QFontMetrics(bold).horizontalAdvance(title)])
    return widest + CELL_PAD


def elide_middle(view: QAbstractItemView) -> None:
    view.setTextElideMode(Qt.TextElideMode.ElideMiddle)


def _title(header: QHeaderView, section: int) -> str:
    model = header.model()
    value = model.headerData(section, header.orientation()) if model is not None else None
    return str(value) if value not in (None, "") else str(section)


def resizable(header: QHeaderView, widths: dict[int, int]) -> None:
    """Every column resizable by dragging its edge, the last one taking what is left; ``widths``: the
    default width of some columns. (Qt's "stretch last section" never shrank that one below its first 100 px: a
    vertical scroll bar appearing pushed the Spans panel's columns past its edge, and a horizontal one covered its
    last row. A section in ``Stretch`` mode gives way down to the header's minimum.) These widths are the
    program's: once :func:`remember` watches ``header``, they are not saved as the user's (a date column's px,
    saved at the first run's font, cut its dates at a larger one)."""
    with _fitting(header):
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        if header.count():
            header.setSectionResizeMode(header.count() - 1, QHeaderView.ResizeMode.Stretch)
        for section, width in widths.items():
            if section < header.count():
                header.resizeSection(section, width)


def remembered(header: QHeaderView, settings: QSettings, name: str) -> dict[int, int]:
    """The widths the user left ``header``'s columns at, but the last's (:func:`resizable`: it takes what is
    left)."""
    prefix, out = f"columns/{name}/", {}
    for section in range(header.count() - 1):
        value = settings.value(prefix + _title(header, section))
        try:
            width = int(value) if value is not None else 0
        except (TypeError, ValueError):
            width = 0  # a hand-edited settings file: the default width
        if 16 <= width <= 4000:
            out[section] = width
    return out


#: a header's property: the sections whose width the user chose (dragged, or left so in an earlier run)
_CHOSEN = "annotatorChosenWidths"
#: a header's property, true while :func:`fit_section` resizes: that width is not the user's
_FITTING = "annotatorFitting"


def remember(header: QHeaderView, settings: QSettings, name: str) -> None:
    """Give ``header``'s columns the widths the user left them at, and remember every change from now on but
    :func:`fit_section`'s."""
    prefix = f"columns/{name}/"
    stretched = QHeaderView.ResizeMode.Stretch
    left = remembered(header, settings, name)
    for section, width in left.items():
        header.resizeSection(section, width)
    header.setProperty(_CHOSEN, sorted(left))

    def resized(section: int, _old: int, new: int) -> None:
        if header.sectionResizeMode(section) != stretched and not header.property(_FITTING):
            settings.setValue(prefix + _title(header, section), new)
            header.setProperty(_CHOSEN, sorted(chosen(header) | {section}))

    header.sectionResized.connect(resized)


def chosen(header: QHeaderView) -> set[int]:
    """The sections whose width the user chose (dragged, or left so in an earlier run: :func:`remember`)."""
    return set(header.property(_CHOSEN) or ())


def fit_section(header: QHeaderView, section: int, width: int) -> None:
    """``section`` ``width`` px wide, unless the user chose its width (:func:`remember`): a width that follows
    what the column shows, not remembered as the user's."""
    if section in chosen(header) or header.sectionSize(section) == width:
        return
    with _fitting(header):
        header.resizeSection(section, width)


@contextmanager
def _fitting(header: QHeaderView) -> Iterator[None]:
    """Resizes made inside are the program's, not the user's (:func:`remember` saves none of them)."""
    before = header.property(_FITTING)
    header.setProperty(_FITTING, True)
    try:
        yield
    finally:
        header.setProperty(_FITTING, before)
