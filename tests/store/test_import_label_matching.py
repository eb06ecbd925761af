"""An imported label spelled as a codebook label's key or name, ignoring case and '_' / '-' / spaces, is that label
(trial 13, F11: brat's "Threat", Prodigy's "COMMITMENT", doccano's "THREAT" became labels beside the codebook's, two
toolbar buttons reading "[1] Threat" and "[4] Threat"). The rule: ``annotator/store/label_matching.py``."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.store import Project
from annotator.store.label_matching import fold_label
from annotator.store.transfer import import_paths
from tests.helpers import run_cli

TEXT = "We warn them. We will act. Stop now."


def _doccano(path, labels):
    spans = [[i, i + 2, label] for i, label in enumerate(labels)]
    path.write_text(json.dumps({"text": TEXT, "label": spans}) + "\n", encoding="utf-8")
    return path


def _labels(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT key, name FROM labels ORDER BY position").fetchall()


def _span_labels(path):
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT label FROM spans ORDER BY start")]


def test_the_command_reads_other_tools_spellings_as_the_codebooks_labels(tmp_path):
    project = tmp_path / "p.sqlite"
    samples = Path(__file__).resolve().parents[2] / "sample_docs"  # the tests may run from any folder (CI)
    assert run_cli("import", project, samples).returncode == 0  # the default codebook
    brat = tmp_path / "brat"
    brat.mkdir()
    (brat / "a.txt").write_text(TEXT, encoding="utf-8")
    (brat / "a.ann").write_text("T1\tThreat 0 7\tWe warn\nT2\tCall_to_action 27 35\tStop now\n", encoding="utf-8")
    doccano = _doccano(tmp_path / "d.jsonl", ["THREAT", "COMMITMENT", "call-to-action", "Org", "ORG"])
    result = run_cli("import", project, brat, doccano)
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert _labels(project) == [("threat", "Threat"), ("commitment", "Commitment"),
                                ("call_to_action", "Call to action"), ("Org", "Org")]
    assert _span_labels(project).count("threat") == 2 and "THREAT" not in _span_labels(project)
    assert ("labels read as the codebook's (the same name ignoring case, '_', '-' and spaces): 'Threat' read as "
            "Threat (a.txt); 'Call_to_action' read as Call to action (a.txt); 'THREAT' read as Threat (d.jsonl); "
            "'COMMITMENT' read as Commitment (d.jsonl); 'call-to-action' read as Call to action (d.jsonl); "
            "'ORG' read as Org (d.jsonl)\n") in out, out
    assert "added label(s) to the codebook: Org\n" in out, out
    names = [fold_label(name) for _, name in _labels(project)]
    assert len(names) == len(set(names))


_SEPARATOR = st.sampled_from(["_", "-", " ", "__", " - "])


@st.composite
def _spelling(draw, words):
    cased = [draw(st.sampled_from([w.lower(), w.upper(), w.title(), w])) for w in words]
    out = cased[0]
    for word in cased[1:]:
        out += draw(_SEPARATOR) + word
    return out


CODEBOOK = {"threat": ["threat"], "commitment": ["commitment"], "call_to_action": ["call", "to", "action"]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_spelling_of_a_codebook_label_is_that_label_and_no_two_names_fold_alike(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("h")
    key = data.draw(st.sampled_from(sorted(CODEBOOK)))
    spelled = data.draw(_spelling(CODEBOOK[key]))
    others = data.draw(st.lists(st.text(st.sampled_from("aAbB_- "), min_size=1, max_size=4).filter(str.strip),
                                max_size=4))
    with Project.open(folder / "p.sqlite", create=True, user="ana") as project:
        import_paths(project, [_doccano(folder / "first.jsonl", ["threat"])])  # the default codebook
        report = import_paths(project, [_doccano(folder / "d.jsonl", [spelled, *others])])
        assert not report.rejected, report.rejected
        rows = project.conn.execute("SELECT key, name FROM labels").fetchall()
        first = project.conn.execute("SELECT label FROM spans WHERE start = 0 ORDER BY id DESC").fetchone()[0]
    assert first == key, (spelled, first)
    assert spelled not in report.new_labels
    if spelled != key:
        assert any(f"{spelled!r} read as" in note for note in report.notes), report.notes
    folded = [fold_label(name) for _, name in rows]
    assert len(folded) == len(set(folded)), rows
