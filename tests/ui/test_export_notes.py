"""The export summary in the window: what a format could not hold as is, or warns of, is said (issue 10)."""

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
