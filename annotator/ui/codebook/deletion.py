"""The question Delete… asks about a label in use: what happens to its spans.

Nothing is chosen at first (trial 14, F3: "Move its spans to 'Threat'" was preselected with OK the default, so
Enter merged one label's spans into another's, and before that "Delete its spans" was): the list opens on
"Choose what happens to its N span(s)…", and OK stays disabled until one of the real choices is picked. The
question names the number of spans and says that nothing happens before the codebook's OK, and that Edit ▸ Undo
takes the whole change back.

The choices: keep the label and its spans and only free its key (a "retired" label: its spans stay, the key can go
to another label), delete the spans, or move them to another label.
"""

from __future__ import annotations

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QInputDialog, QWidget

from annotator.core.model import Label
from annotator.ui.text import plain_tooltip

#: what the answer asks the codebook dialog to do with the label
FREE_KEY, DELETE = "free key", "delete"


def choose_fate(parent: QWidget, label: Label, used: int, others: list[tuple[Label, bool]]) -> tuple[str, str] | None:
    """Ask what happens to ``label``'s ``used`` spans; ``others`` are the labels they may move to (each with
    whether it was added in this dialog). Returns ``(FREE_KEY, "")``, ``(DELETE, "")`` or ``("move", key)``;
    None when cancelled."""
    spans = f"{used} span" + ("" if used == 1 else "s")
    prompt = f"Choose what happens to its {spans}…"
    answers: list[tuple[str, str]] = []
    choices: list[str] = []
    if label.shortcut:
        choices.append(f"Keep it and its {spans}, only free its key {label.shortcut} (the label stays)")
        answers.append((FREE_KEY, ""))
    choices.append(f"Delete its {spans}")
    answers.append((DELETE, ""))
    for other, new in others:
        choices.append(f"Move its spans to “{other.name}”" + (" (new)" if new else ""))
        answers.append(("move", other.key))
    question = QInputDialog(parent)
    question.setWindowTitle("Delete label")
    question.setLabelText(plain_tooltip(
        f"“{label.name}” labels {spans}. What should happen to them?\n"
        "Nothing changes until the codebook's OK; Edit ▸ Undo (Ctrl+Z) then takes it all back."))
    question.setComboBoxEditable(False)
    question.setComboBoxItems([prompt, *choices])
    question.setTextValue(prompt)
    combo = question.findChild(QComboBox)
    model = combo.model() if combo is not None else None
    if isinstance(model, QStandardItemModel):  # the prompt is no answer: not offered again once one is picked
        model.item(0).setEnabled(False)
    question.sizeHint()  # lays the dialog out: its buttons exist from here
    ok = question.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)

    def chosen(text: str) -> None:
        ok.setEnabled(text != prompt)

    question.textValueChanged.connect(chosen)
    chosen(question.textValue())
    if not question.exec() or question.textValue() not in choices:
        return None
    return answers[choices.index(question.textValue())]
