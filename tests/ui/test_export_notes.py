"""The export summary in the window: what a format could not hold as is, or warns of, is said (issue 10)."""

import json

from tests.ui.conftest import on_dialog


def test_doccano_export_of_overlapping_spans_says_so(window, project):
    from annotator.ui import dialogs

    doc = project.documents()[0]
    project.add_span(doc.id, 0, 6, "threat")
    project.add_span(doc.id, 3, 9, "threat")
    target = window.session.project.path.with_name("out.jsonl")

    def drive(dialog):
        dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
        dialog.target.setText(str(target))
        dialog.accept()

    timer = on_dialog(dialogs.ExportDialog, drive)  # noqa: F841 - kept alive while the dialog runs
    window.files.export()
    assert target.exists()
    box = window.files.export_notes
    assert box is not None and box.isVisible()
    assert "overlapping spans" in box.text() and "Allow overlapping spans" in box.text()
    box.close()


def test_export_dialog_offsets_choice_for_doccano(window, project):
    from annotator.ui import dialogs

    doc = project.documents()[0]
    text = project.document(doc.id).text
    start = text.index("𝐃𝐏𝐑𝐊")
    project.add_span(doc.id, start, start + 4, "threat")
    targets = {unit: window.session.project.path.with_name(f"{unit}.jsonl") for unit in ("codepoints", "utf16")}
    seen = []

    def drive(unit):
        def action(dialog):
            dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
            seen.append(dialog.offsets.isEnabled())  # jsonl counts code points only: no choice
            dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
            seen.append(dialog.offsets.isEnabled())
            dialog.offsets.setCurrentIndex(dialog.offsets.findData(unit))
            dialog.target.setText(str(targets[unit]))
            dialog.accept()

        return action

    for unit in targets:
        timer = on_dialog(dialogs.ExportDialog, drive(unit))  # noqa: F841 - kept alive while the dialog runs
        window.files.export()
    assert seen == [False, True, False, True]
    by_unit = {}
    for unit, path in targets.items():
        (line,) = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if json.loads(x)["label"]]
        by_unit[unit] = line["label"][0][:2]
    assert by_unit["codepoints"] == [start, start + 4]
    units_before = len(text[:start].encode("utf-16-le")) // 2
    assert by_unit["utf16"] == [units_before, units_before + 8]  # four mathematical bold letters: two units each
