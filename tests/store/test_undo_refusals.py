"""The store's side of trial 11, D2: an undo's or redo's write names the value it expects to find and is refused
(``conflicts.Conflict``), nothing written, when another writer changed it since -- a variable, a title, a span, a
vars file's values, a deleted variable's name taken again -- with a message naming the statement by its title,
the field, the value now and who set it when."""

from __future__ import annotations

import pytest

from annotator.core.model import IncomingDocument
from annotator.core.variables import Variable
from annotator.store import Project, statements, varsfile
from annotator.store import variables as sv
from annotator.store.conflicts import Conflict, statement_name
from tests.helpers import content

DOCS = [IncomingDocument("We condemn the launch. We commit to peace.", "joint statement"),
        IncomingDocument("We urge restraint.", "second statement")]


@pytest.fixture
def two(tmp_path):
    """The window's project (ana) and another writer's connection to it (bob)."""
    mine = Project.open(tmp_path / "p.sqlite", create=True, user="ana", populate=DOCS)
    theirs = Project.open(tmp_path / "p.sqlite", user="bob")
    yield mine, theirs
    theirs.close()
    mine.close()


def test_a_value_is_put_back_only_over_the_value_the_change_left(two):
    mine, theirs = two
    doc = mine.documents()[0].id
    before, after = sv.set_value(mine, doc, "issuer", "Window Issuer")
    sv.set_value(theirs, doc, "issuer", "CLI Issuer")
    kept = content(mine.path)
    with pytest.raises(Conflict) as refused:
        sv.set_value(mine, doc, "issuer", before, expect=after)
    assert content(mine.path) == kept
    message = str(refused.value)
    assert "the Issuer of “joint statement” is now “CLI Issuer” (set by bob at " in message
    assert "not “Window Issuer” as the change left it" in message and "not undone" in message
    sv.set_value(theirs, doc, "issuer", "Window Issuer")
    assert sv.set_value(mine, doc, "issuer", before, expect=after) == ("Window Issuer", "")


def test_a_title_is_put_back_only_over_the_title_the_change_left(two):
    mine, theirs = two
    doc = mine.documents()[0].id
    statements.set_title(mine, doc, "Mine")
    statements.set_title(theirs, doc, "Theirs")
    with pytest.raises(Conflict, match="the Title of “Theirs” is now “Theirs” \\(set by bob"):
        statements.set_title(mine, doc, "joint statement", expect="Mine")
    assert statements.title_of(mine, doc) == "Theirs"


def test_a_label_is_taken_back_only_as_it_was_made(two):
    mine, theirs = two
    doc = mine.documents()[0].id
    span = mine.add_span(doc, 3, 10, "threat")
    theirs.update_span(span.id, label="commitment")
    with pytest.raises(Conflict, match="a span labelled “threat” in “joint statement” .* was changed by bob at"):
        mine.delete_span(span.id, expected=span)
    assert [s.label for s in mine.spans(doc)] == ["commitment"]
    before, after = theirs.update_span(span.id, note="theirs")
    with pytest.raises(Conflict):
        mine.restore_span_state(before, expected=span)
    mine.restore_span_state(before, expected=after)  # what the change left: put back
    assert mine.spans(doc)[0].note == ""


def test_a_vars_files_undo_and_redo_are_refused_whole_over_a_value_set_since(two, tmp_path):
    mine, theirs = two
    first, second = (d.id for d in mine.documents())
    table = tmp_path / "v.csv"
    table.write_text("title,issuer,wave\njoint statement,FCDO,1\nsecond statement,MOFA,2\n", "utf-8")
    report = varsfile.apply(mine, table)
    sv.set_value(theirs, second, "wave", 9)
    kept = content(mine.path)
    with pytest.raises(Conflict, match="the wave of “second statement” is now “9” \\(set by bob"):
        varsfile.undo(mine, report)
    assert content(mine.path) == kept  # the first statement's values not taken back either
    sv.set_value(theirs, second, "wave", 2)
    varsfile.undo(mine, report)
    assert sv.fields(mine, first).issuer == "" and "wave" not in [v.name for v in sv.definitions(mine)]
    sv.set_value(theirs, first, "issuer", "Theirs")
    with pytest.raises(Conflict, match="not done again"):
        varsfile.redo(mine, report)
    assert sv.fields(mine, first).issuer == "Theirs" and sv.fields(mine, second).issuer == ""


def test_a_variable_is_taken_away_or_put_back_only_when_no_value_would_be_lost(two):
    mine, theirs = two
    doc = mine.documents()[1].id
    sv.add_variable(mine, Variable("wave", "number"))
    sv.set_value(theirs, doc, "wave", 4)
    with pytest.raises(Conflict, match="the wave of “second statement” is now “4”"):
        sv.delete_variable(mine, "wave", empty=True)
    saved = sv.delete_variable(mine, "wave")
    sv.add_variable(theirs, Variable("WAVE", "text"))
    with pytest.raises(Conflict, match="a variable “wave” again"):
        sv.restore_variable(mine, *saved)
    assert [v.name for v in sv.definitions(mine)] == ["WAVE"]


def test_a_deleted_statement_is_named_by_its_title(two):
    mine, _ = two
    doc = mine.documents()[1].id
    statements.delete_statement(mine, doc)
    assert statement_name(mine, doc) == "the deleted statement “second statement”"
    assert statement_name(mine, 999) == "a statement no longer in the project"
