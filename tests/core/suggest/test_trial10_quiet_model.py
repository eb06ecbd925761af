"""Trial 10, D9: after two statements marked done the model suggested 219 clauses, 169 of them in a LaTeX placeholder
text and 31 in a German press release, and its cross-validated figures on two statements looked good. The model now
waits for ten finished statements (the cue patterns suggest alone before), ``annotator suggest`` says how many more it
needs, figures from too few are marked; a table of contents is no suggestion, and "Am 2. Dezember" is one sentence."""

from __future__ import annotations

import orjson

from annotator.core.model import IncomingDocument
from annotator.core.suggest.segment import Unit, clauses, is_heading, sentences
from annotator.store import Project
from tests.core.suggest.fixtures import PHRASES_1, SAMPLE_1, SAMPLE_2, spans_of
from tests.helpers import run_cli

TOC = "Contents 1 Foo 2 2 Bar 2 3 Baz 2 4 Foo 2 5 Bar 3 6 Baz 3 7 Foo 3 8 Bar 4 9 Baz 4 1 Foo"
PLACEHOLDER = (
    TOC + "\n\n" + "Hello, here is some text without a meaning. This text should show what a printed text will look "
    "like at this place. If you read this text, you will get no information. Really? Is there no information? "
    "A blind text like this gives you information about the selected font, how the letters are written and an "
    "impression of the look. " * 6
)
GERMAN = ("Amnesty International ist eine von neun Organisationen im Lenkungsausschuss der Kampagne. Am 2. Dezember "
          "wird die Gruppe der Regierungsexpert_innen des Übereinkommens in Genf zusammentreten. Bislang haben 66 "
          "Staaten einen neuen, rechtsverbindlichen Rahmen gefordert.")


def _project(tmp_path):
    """Two statements done (the samples, labelled), a LaTeX placeholder and a German press release to do."""
    path = tmp_path / "p.sqlite"
    docs = [IncomingDocument(SAMPLE_1, "one"), IncomingDocument(SAMPLE_2, "two"),
            IncomingDocument(PLACEHOLDER, "14_latex_sample"), IncomingDocument(GERMAN, "amnesty")]
    with Project.open(path, create=True, populate=docs) as p:
        for s, e, label in spans_of(SAMPLE_1, PHRASES_1):
            p.add_span(1, s, e, label)
        start = SAMPLE_2.index("We will continue")
        p.add_span(2, start, start + 40, "commitment")
        p.set_status(1, "done")
        p.set_status(2, "done")
    return path


def test_two_done_statements_make_no_model_suggestions_and_the_command_says_how_many_more(tmp_path):
    path = _project(tmp_path)
    proc = run_cli("suggest", path, "--json")
    assert proc.returncode == 0, proc.stderr
    rows = orjson.loads(proc.stdout)["suggestions"]
    assert all(r["source"].startswith("pattern:") for r in rows), [r for r in rows if r["source"][:6] == "model:"]
    assert not [r for r in rows if r["doc_id"] == 3]  # nothing in the placeholder text (169 in the trial)
    said = proc.stderr.decode()
    assert "the model learns once 10 statements are marked done (8 more needed)" in said, said


def test_figures_on_two_statements_are_marked_too_few(tmp_path):
    path = _project(tmp_path)
    out = run_cli("suggest", path, "--evaluate")
    assert out.returncode == 0, out.stderr
    assert "only 2 statement(s) marked done: too few for these figures to mean much (10 needed, 8 more)" in \
        out.stdout.decode()
    printed = orjson.loads(run_cli("suggest", path, "--evaluate", "--json").stdout)
    assert printed["too_few_documents"] is True and printed["documents"] == 2


def test_a_table_of_contents_line_is_a_heading():
    units = clauses(PLACEHOLDER)
    assert PLACEHOLDER[units[0].start : units[0].end] == TOC and is_heading(PLACEHOLDER, units[0])
    sentence = "This line of thirty words is an ordinary sentence without its final period, " * 3
    assert not is_heading(sentence, Unit(0, len(sentence.rstrip()), 0))


def test_a_german_ordinal_date_does_not_end_a_sentence():
    cut = [GERMAN[a:b].strip() for a, b in sentences(GERMAN)]
    assert cut[1] == ("Am 2. Dezember wird die Gruppe der Regierungsexpert_innen des Übereinkommens in Genf "
                      "zusammentreten.")
    assert len(cut) == 3
    text = "Die Sitzung endete am 12. März. Dann kam Mai. Es waren 12. Danach sprach er."
    assert [text[a:b].strip() for a, b in sentences(text)] == [
        "Die Sitzung endete am 12. März.", "Dann kam Mai.", "Es waren 12.", "Danach sprach er."]
