"""Trial 12, F4 through the real command: lea accepts sato's boundary of a threat (her span replaced), then grows
the copy back by a word at its start, as Ctrl+Alt+Shift+Left does; ``annotator agree --before-adjudication`` must
give lea's figures as they were before the review (it counted that threat twice: 5 where she had 4)."""

import json
import re

from annotator.store import Project
from annotator.store import review as rv
from annotator.store.transfer import import_paths
from tests.helpers import run_cli


def word_spans(text):
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def test_a_resized_accepted_copy_is_not_counted_twice_before_adjudication(tmp_path):
    paths = {name: tmp_path / f"{name}.sqlite" for name in ("lea", "kim", "sato")}
    for name, path in paths.items():
        with Project.open(path, create=True, user=name) as p:
            import_paths(p, ["sample_docs"])
            doc = p.documents()[0].id
            w = word_spans(p.document(doc).text)
            threats = [(w[2][0], w[5][1]), (w[10][0], w[12][1]), (w[20][0], w[21][1]), (w[30][0], w[33][1])]
            if name == "sato":  # the same threats but the first one a word shorter at its start
                threats[0] = (w[3][0], w[5][1])
            if name == "kim":
                threats = threats[:3]
            for s, e in threats:
                p.add_span(doc, s, e, "threat")
    files = [paths["lea"], paths["kim"], paths["sato"]]
    first = json.loads(run_cli("agree", *files, "--json").stdout)
    assert re.search(r"^threat +4 +3 +4 ", run_cli("agree", *files).stdout.decode(), re.M)  # lea (#1) has 4
    sato = rv.ColleagueFile.load(paths["sato"])
    with Project.open(paths["lea"], user="lea") as lea:
        doc = lea.documents()[0].id
        mine_first = min(lea.spans(doc), key=lambda s: s.start)
        item = next(i for i in rv.review_document(lea, doc, sato, sato.colleagues[0]).open_items
                    if i.mine and i.theirs)
        copy = rv.accept(lea, doc, item, sato.colleagues[0]).added[0]  # A: sato's boundary replaces lea's
        _, grown = lea.update_span(copy.id, start=mine_first.start)  # grown back by a word at its start
        assert (grown.start, grown.end, grown.annotator) == (mine_first.start, mine_first.end, "lea")
    sato.close()
    result = run_cli("agree", *files, "--json", "--before-adjudication")
    assert result.returncode == 0, result.stderr
    before = json.loads(result.stdout)
    assert before.pop("before_adjudication") is True
    assert before == first  # threat 4, and every F1 and kappa as before the review
    text = run_cli("agree", *files, "--before-adjudication").stdout.decode()
    assert "1 statement(s) put back" in text and re.search(r"^threat +4 +3 +4 ", text, re.M)
    assert re.search(r"^threat +4 +3 +4 ", run_cli("agree", *files).stdout.decode(), re.M)  # adjudicated: 4 too
