"""An offset past 2**63 in a doccano file is refused with one line; the offsets reader had raised a TypeError from
the regex module's end position (found by the fuzz test's hypothesis run)."""

import json

from annotator.store import Project
from annotator.store.transfer import import_paths


def test_a_doccano_offset_past_two_to_the_63_is_named(tmp_path):
    src = tmp_path / "d.jsonl"
    src.write_text(json.dumps({"text": "\u0080 x", "label": [[0, 2**63 - 1, "threat"]]}) + "\n")
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, [src], fmt="doccano")
        assert report.rejected and not report.imported
        assert p.documents() == []
