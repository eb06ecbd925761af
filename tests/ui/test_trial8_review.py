"""An eighth newcomer's trial, reviewing colleagues: a statement a colleague's file holds with Windows line endings
is not compared, and the window says that the line endings are the cause (it said only "a different text")."""

from __future__ import annotations

import orjson

from annotator.core.model import IncomingDocument
from annotator.ui.review import controller as review_ui
from tests.ui.conftest import window_over
from tests.ui.test_review_gui import open_files

TEXT = "We strongly condemn the launch.\nWe urge restraint.\n\nEnd Text."


def test_a_statement_differing_only_in_line_endings_is_named_as_such(qtbot, tmp_path, monkeypatch):
    with window_over(qtbot, tmp_path, [IncomingDocument(TEXT, "s1"), IncomingDocument("Other.", "s2")]) as (
            window, _project):
        review_ui.install(window)
        crlf = TEXT.replace("\n", "\r\n")
        path = tmp_path / "carol.jsonl"
        lines = [{"text": crlf, "meta": {"title": "s1"}, "spans": [{"start": 3, "end": 19, "label": "threat"}]},
                 {"text": "Other.", "meta": {"title": "s2"}, "spans": []}]
        path.write_bytes(b"".join(orjson.dumps(line) + b"\n" for line in lines))
        open_files(monkeypatch, qtbot, window, path)
        message = window.statusBar().currentMessage()
        assert "1 statement(s) in carol.jsonl have one of your titles but a different text" in message
        assert "1 of them differ from yours only in line endings" in message


def test_the_kind_column_shows_its_title_when_no_disagreement_is_listed(qtbot):
    """A statement with nothing to settle lists no row: the Kind column kept the width of no text, its title cut
    to "Kinc" (a newcomer's finding)."""
    from annotator.ui.review.panel import ReviewPanel

    panel = ReviewPanel([])
    qtbot.addWidget(panel)
    panel.resize(900, 300)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_rows("Some text.", [], None, {})
    header = panel.table.horizontalHeader()
    assert header.sectionSize(0) >= header.sectionSizeHint(0)


def test_a_refused_colleague_file_is_not_opened_and_nothing_is_said_imported(tmp_path):
    """A review reads a colleague's file, never imports it: a refusal ended "nothing from this file was imported",
    which made a reviewer fear a write into the project (a newcomer's finding)."""
    import pytest

    from annotator.errors import AnnotatorError
    from annotator.store import review as rv

    path = tmp_path / "carol.jsonl"
    path.write_bytes(b'{"text": "We condemn it.", "spans": [{"start": 3, "end": 10, "label": "threat"}]}\n{"text": ')
    with pytest.raises(AnnotatorError) as caught:
        rv.ColleagueFile.load(path)
    assert "; it is not opened for review" in str(caught.value) and "imported" not in str(caught.value)
