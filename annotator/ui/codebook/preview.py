"""Labels ▸ Import Codebook…: what the file would change, shown before anything changes.

A newcomer's trial found the import replaced the codebook without a word: labels without spans gone, a kept label's
shortcut given to another one (so pressing ``2`` labelled something else), names and colours changed, and two steps
to undo. Now the plan (``core/codebook_merge.py``) is listed here — labels added, renamed, with a shortcut moved
(old → new, and why), recoloured, described anew, the project's labels the file lacks (kept; those no span uses
removed only when the analyst ticks the box), cue patterns and variables — with OK and Cancel; Cancel changes
nothing. ``Files.import_codebook`` applies it as one undoable step.

Everything here that came from the file (names, keys, descriptions, patterns) is shown as plain text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from annotator.core.codebook_merge import ImportPlan
from annotator.core.variables import TYPE_NAMES
from annotator.ui.dialogs import roomy
from annotator.ui.palette import swatch
from annotator.ui.sizing import within_screen
from annotator.ui.text import plain, plain_tooltip

TITLE = "Import codebook"
#: a line of the preview: its text, the colour of its swatch (or None) and its tooltip
Line = tuple[str, str | None, str]


def _shortcut(s: str) -> str:
    return s or "none"


def _short(text: str, most: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def _why(why: str) -> str:
    return f" — {why}" if why else ""


def sections(plan: ImportPlan) -> list[tuple[str, list[Line]]]:
    """The preview's headings, each with its lines (only those with any)."""
    out: list[tuple[str, list[Line]]] = []

    def add(title: str, lines: list[Line]) -> None:
        if lines:
            out.append((f"{title} ({len(lines)})", lines))

    add("Labels added", [(f"{lb.name} — key {lb.key}, shortcut {_shortcut(lb.shortcut)}", lb.color,
                          lb.description) for lb in plan.added])
    add("Labels renamed", [(f"{c.before} → {c.after} (the key {c.key} stays){_why(c.why)}", None, "")
                           for c in plan.renamed])
    add("Shortcuts moved", [(f"{c.name}: {_shortcut(c.before)} → {_shortcut(c.after)}{_why(c.why)}", None, "")
                            for c in plan.shortcuts])
    add("Colours changed", [(f"{c.name}: {c.before} → {c.after}", c.after, "") for c in plan.recoloured])
    add("Descriptions changed", [(f"{c.name}: “{_short(c.before)}” → “{_short(c.after)}”", None,
                                  f"Before: {c.before}\nAfter: {c.after}") for c in plan.described])
    absent: list[Line] = []
    for a in plan.absent:
        if a.spans:
            absent.append((f"{a.label.name} — {a.spans} span(s): kept (a label in use is never removed)",
                           a.label.color, ""))
        else:
            absent.append((f"{a.label.name} — no span: {'removed' if a.removed else 'kept'}", a.label.color, ""))
    add("Labels of this project not in the file", absent)
    if plan.reordered:
        out.append(("Order", [("The labels take the file's order; this project's labels the file lacks follow "
                               "them.", None, "")]))
    cues: list[Line] = []
    for c in plan.cue_changes:
        parts = [f"{what} {', '.join(names)}" for what, names in (("adds", c.added), ("removes", c.removed),
                                                                 ("changes", c.changed)) if names]
        text = f"{c.name}: the file's {c.after} instead of its {c.before} — {'; '.join(parts) or 'reordered'}"
        cues.append((text, None, ""))
    add("Cue patterns", cues)
    add("Variables added", [(f"{v.name} ({TYPE_NAMES.get(v.type, v.type)})", None, "") for v in plan.variables])
    add("Variables kept as they are", [
        (f"{mine.name}: stays {TYPE_NAMES.get(mine.type, mine.type)} (the file has "
         f"{TYPE_NAMES.get(theirs.type, theirs.type)}; no value is converted)", None, "")
        for mine, theirs in plan.variables_kept])
    return out


class ImportPreview(QDialog):
    """The plan of importing the codebook file ``name``, with OK and Cancel. ``make_plan(remove_unused)`` works it
    out again when the box "also remove the labels not in the file that no span uses" is ticked or cleared."""

    def __init__(self, parent: QWidget, name: str, make_plan: Callable[[bool], ImportPlan]) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._make_plan = make_plan
        self.plan = make_plan(False)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self._name = name
        # the changes as wrapped lines in a scrolled list (a tree view cut a long description or list of cue
        # patterns at its edge instead of wrapping it)
        self.changes = QScrollArea()
        self.changes.setObjectName("codebook_import_changes")
        self.changes.setWidgetResizable(True)
        self.changes.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._shown: list[str] = []
        self.remove_unused = QCheckBox()
        self.remove_unused.setObjectName("codebook_import_remove_unused")
        unused = len(self.plan.can_remove)
        self.remove_unused.setText(f"Also remove the labels not in the file that no span uses ({unused})")
        self.remove_unused.setToolTip("Unticked, they stay in the codebook. A label some span uses is never "
                                      "removed by an import.")
        self.remove_unused.setVisible(bool(unused))
        self.remove_unused.toggled.connect(self._replan)
        footer = QLabel("Nothing changes until you press OK. Then one Edit ▸ Undo (Ctrl+Z) undoes the whole import.")
        footer.setTextFormat(Qt.TextFormat.PlainText)
        footer.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.changes, 1)
        layout.addWidget(self.remove_unused)
        layout.addWidget(footer)
        layout.addWidget(self.buttons)
        self._show()
        self.resize(within_screen(self, QSize(720, 480)))
        self.changes.setFocus()  # arrows and Page Down scroll the list; Enter is OK, Escape Cancel

    def _replan(self, remove: bool) -> None:
        self.plan = self._make_plan(remove)
        self._show()

    def _show(self) -> None:
        plan = self.plan
        if plan.changes_anything():
            self.heading.setText(f"Importing “{self._name}” changes this project's codebook: {plan.summary()}.")
        else:
            self.heading.setText(f"The labels, cue patterns and variables of “{self._name}” are those of this "
                                 "project already; importing it changes nothing as it stands.")
        content = QWidget()
        content.setAutoFillBackground(True)
        content.setBackgroundRole(QPalette.ColorRole.Base)  # a list's white, not the dialog's grey
        rows = QVBoxLayout(content)
        rows.setSpacing(2)
        self._shown = []
        for title, lines in sections(plan):
            head = plain(QLabel(title))
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            rows.addSpacing(4 if self._shown else 0)
            rows.addWidget(head)
            self._shown.append(title)
            for text, color, tip in lines:
                row = QHBoxLayout()
                row.setContentsMargins(12, 0, 0, 0)
                mark = QLabel()
                mark.setFixedWidth(16)
                if color:
                    mark.setPixmap(swatch(color))
                mark.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                line = plain(QLabel(text))
                line.setWordWrap(True)
                line.setToolTip(plain_tooltip(tip) if tip else "")
                row.addWidget(mark)
                row.addWidget(line, 1)
                rows.addLayout(row)
                self._shown.append(text)
        rows.addStretch(1)
        self.changes.setWidget(content)

    def lines(self) -> list[str]:
        """Every line shown, each heading before its lines (for the tests, and to read it whole)."""
        return list(self._shown)


def inform(parent: QWidget, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    roomy(box).exec()
