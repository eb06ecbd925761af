"""Document variables in the Documents list: sortable columns (date and issuer by default, the project's own
variables on demand; a date column sorts by date, a number by value, empty values last) and filters by value
(issuer is X; date between A and B; any variable containing a text)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from annotator.core import variables as cv
from annotator.core.variables import Variable
from annotator.store.variables import Fields
from annotator.ui.palette import INVALID_STYLE, PROBLEM_COLOR
from annotator.ui.text import from_qt, plain, to_qt


class Column:
    """A Documents list column showing variable ``name`` of each document (``fields(doc_id)``)."""

    def __init__(self, name: str, type_: str, fields: Callable[[int], Fields],
                 all_fields: Callable[[], dict[int, Fields]] | None = None) -> None:
        self.name = name
        self.type = type_
        self.header = cv.FIXED_NAMES.get(name, name)
        self._fields = fields
        #: every document's at once, for a sort (which reads them all): one query, not one per row
        self._all = all_fields

    def display(self, doc_id: int) -> str:
        return to_qt(cv.display(self.type, self._fields(doc_id).get(self.name)).replace("\n", " ⏎ "))

    def sort_key(self, doc_id: int) -> tuple[Any, ...]:
        """Empty values last whichever the direction would put first is not possible with one key; empty sort
        after every value ascending, as spreadsheets do."""
        fields = self._all().get(doc_id) if self._all is not None else None
        value = (fields if fields is not None else self._fields(doc_id)).get(self.name)
        if value is None or value == "":
            return (1, 0, "", doc_id)
        if self.type in ("number", "bool"):
            return (0, float(value), "", doc_id)
        return (0, 0, str(value).casefold(), doc_id)  # ISO dates sort as dates


class FilterBar(QWidget):
    """Issuer, date range and any-variable filters; ``changed`` when one changes."""

    changed = Signal()
    ALL = "All issuers"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.issuer = QComboBox()
        self.issuer.setObjectName("filter_issuer")
        self.issuer.setAccessibleName("Issuer filter")
        self.date_from = QLineEdit()
        self.date_from.setObjectName("filter_date_from")
        self.date_from.setPlaceholderText("from YYYY-MM-DD")
        self.date_to = QLineEdit()
        self.date_to.setObjectName("filter_date_to")
        self.date_to.setPlaceholderText("to YYYY-MM-DD")
        self.variable = QComboBox()
        self.variable.setObjectName("filter_variable")
        self.value = QLineEdit()
        self.value.setObjectName("filter_value")
        self.value.setPlaceholderText("value contains…")
        self.value.setClearButtonEnabled(True)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.issuer, 0, 0, 1, 2)
        layout.addWidget(self.date_from, 1, 0)
        layout.addWidget(self.date_to, 1, 1)
        layout.addWidget(self.variable, 2, 0)
        layout.addWidget(self.value, 2, 1)
        # a date that is not one is said so, as the Properties panel refuses it, and not applied: ignored without
        # a word, "from 2023-13-45" left every statement listed as if they were filtered
        self.problem = plain(QLabel(""))
        self.problem.setObjectName("filter_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {PROBLEM_COLOR}")
        self.problem.hide()
        layout.addWidget(self.problem, 3, 0, 1, 2)
        self.issuer.currentIndexChanged.connect(self.changed)
        self.variable.currentIndexChanged.connect(self.changed)
        for edit in (self.date_from, self.date_to):
            edit.setProperty("invalid", False)
            edit.editingFinished.connect(self.check_dates)
        for edit in (self.date_from, self.date_to, self.value):
            edit.editingFinished.connect(self.changed)
        self.set_choices([], [])

    def set_choices(self, issuers: list[str], variables: list[Variable]) -> None:
        """The issuers present and the variables to filter by; the current choices stay when still offered."""
        issuer, variable = self.issuer.currentData(), self.variable.currentData()
        for combo in (self.issuer, self.variable):
            combo.blockSignals(True)
            combo.clear()
        self.issuer.addItem(self.ALL, None)
        for name in issuers:
            self.issuer.addItem(to_qt(name), name)
        self.variable.addItem("Any variable", None)
        for name in ("url", "note"):
            self.variable.addItem(cv.FIXED_NAMES[name], name)
        for var in variables:
            self.variable.addItem(to_qt(var.name), var.name)
        for combo, value in ((self.issuer, issuer), (self.variable, variable)):
            combo.setCurrentIndex(max(combo.findData(value), 0) if value is not None else 0)
            combo.blockSignals(False)

    def check_dates(self) -> list[str]:
        """Mark a date field whose text is not a date (red, the reason in its tooltip and under the filters);
        the problems, none when both are dates or empty."""
        problems = []
        for edit, which in ((self.date_from, "from"), (self.date_to, "to")):
            text = from_qt(edit.text()).strip()
            try:
                cv.parse_date(text)
                problem = ""
            except ValueError as exc:
                problem = f"{exc}: the “{which}” date is not applied"
                problems.append(problem)
            edit.setProperty("invalid", bool(problem))
            edit.setStyleSheet(INVALID_STYLE if problem else "")
            edit.setToolTip(to_qt(problem) if problem else "")
        self.problem.setText(to_qt("\n".join(problems)))
        self.problem.setVisible(bool(problems))
        return problems

    def predicate(self, types: dict[str, str]) -> Callable[[Fields], bool] | None:
        """Whether a document's variables pass the filters; None when no filter is set (or a date is unfinished)."""
        issuer = self.issuer.currentData()
        low = _date(self.date_from.text())
        high = _date(self.date_to.text())
        name = self.variable.currentData()
        needle = from_qt(self.value.text()).strip().casefold()
        if issuer is None and not low and not high and not needle:
            return None

        def keep(fields: Fields) -> bool:
            if issuer is not None and fields.issuer != issuer:
                return False
            if (low or high) and not fields.date:
                return False
            # a month or a year (a date of reduced precision, "2024-03") is kept when it meets the range: a
            # "~" after it or after the upper bound stands for every day in it ("2024-03~" > "2024-03-31")
            if low and fields.date + "~" < low or high and fields.date > high + "~":
                return False
            if needle:
                names = [name] if name else [*cv.FIXED, *fields.values]
                shown = (cv.display(types.get(n, "text"), fields.get(n)).casefold() for n in names)
                return any(needle in value for value in shown)
            return True

        return keep


def _date(text: str) -> str:
    try:
        return cv.parse_date(from_qt(text))
    except ValueError:
        return ""
