"""Labels ▸ Edit Cue Patterns…: each label's cue patterns as lines ``NAME  KIND  PATTERN`` (kind ``phrase``,
``tokens`` or ``regex``; separated by tabs or two spaces or more), checked as a whole before anything is saved, every
problem named (issue 13). Saving is one undoable change; the codebook's JSON carries the same cues."""

from __future__ import annotations

import re

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Label
from annotator.core.suggest.cues import KINDS, Cue, cue_problems

_SPLIT = re.compile(r"\t+| {2,}")
HELP = ("One cue a line: NAME, KIND and PATTERN separated by a tab or two spaces. Kinds: phrase (words, any case), "
        "tokens (? any word, ... up to six words, word* a prefix, a|b either), regex (Python, any case). "
        "Lines starting with # are ignored.")


def cues_to_text(cues: tuple[Cue, ...] | list[Cue]) -> str:
    return "".join(f"{c.name}\t{c.kind}\t{c.pattern}\n" for c in cues)


def parse(label: str, text: str) -> tuple[list[Cue], list[str]]:
    cues: list[Cue] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = _SPLIT.split(line.strip(), maxsplit=2)
        if len(parts) != 3:
            problems.append(f"label {label!r}, line {number}: expected NAME, KIND and PATTERN, found {line.strip()!r}")
            continue
        name, kind, pattern = parts
        if kind not in KINDS:
            problems.append(f"label {label!r}, line {number}: the kind must be one of {', '.join(KINDS)}, not {kind!r}")
            continue
        cues.append(Cue(name, kind, pattern))
    return cues, problems


class CuesDialog(QDialog):
    def __init__(self, parent: QWidget, labels: list[Label], cues: dict[str, tuple[Cue, ...]]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Cue patterns")
        self.labels = labels
        self.texts = {lb.key: cues_to_text(cues.get(lb.key, ())) for lb in labels}
        self.label_box = QComboBox()
        for lb in labels:
            self.label_box.addItem(lb.name, lb.key)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("cues_editor")
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.problems = QLabel("")
        self.problems.setObjectName("cues_problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020")
        help_text = QLabel(HELP)
        help_text.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label_box)
        layout.addWidget(help_text)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self._shown = labels[0].key if labels else ""
        self.editor.setPlainText(self.texts.get(self._shown, ""))
        self.label_box.currentIndexChanged.connect(self._switch)
        self.result_cues: dict[str, list[Cue]] = {}
        self.resize(760, 460)

    def _switch(self, _index: int) -> None:
        self.texts[self._shown] = self.editor.toPlainText()
        self._shown = self.label_box.currentData()
        self.editor.setPlainText(self.texts.get(self._shown, ""))

    def _save(self) -> None:
        self.texts[self._shown] = self.editor.toPlainText()
        found: dict[str, list[Cue]] = {}
        problems: list[str] = []
        for lb in self.labels:
            cues, bad = parse(lb.name, self.texts[lb.key])
            found[lb.key] = cues
            problems += bad
        problems += cue_problems(found)
        if problems:
            self.problems.setText("Nothing was saved:\n" + "\n".join(problems[:12]))
            return
        self.result_cues = found
        self.accept()
