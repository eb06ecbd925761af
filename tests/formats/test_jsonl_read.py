"""The ``jsonl`` reader's per-file shortcuts (the file's stem and name computed once; a ``meta`` without variables
skipping their validation; a line without document labels skipping their lookups) read exactly what the full path
reads, and still refuse what it refuses."""

from __future__ import annotations

import orjson
import pytest

from annotator.errors import AnnotatorError
from annotator.formats import jsonl

LINES = [
    {"text": "Plain text."},
    {"text": "With a title.", "meta": {"title": "T"}},
    {"text": "With variables.", "meta": {"title": "V", "date": "2024-01-02T10:00:00", "issuer": "MOFA",
                                         "variables": {"round": 3, "empty": ""}}},
    {"text": "A source and a status.", "meta": {"source": "s.html", "status": "done", "title": ""}},
    {"text": "Prodigy's.", "spans": [{"start": 0, "end": 7, "label": "threat"}], "_annotator_id": "ann"},
    {"text": "Choices.", "accept": ["POSITIVE"]},
]


def _write(path, lines):
    path.write_bytes(b"".join(orjson.dumps(x) + b"\n" for x in lines))
    return path


def test_the_shortcuts_read_what_the_full_path_reads(tmp_path):
    path = _write(tmp_path / "batch.jsonl", LINES)
    result = jsonl.read(path)
    full = [jsonl.document_from(obj, path, i, parsed=True) for i, obj in enumerate(LINES, 1)]
    assert result.documents == full
    assert [d.title for d in result.documents] == ["batch #1", "T", "V", "batch #4", "batch #5", "batch #6"]
    assert [d.source for d in result.documents] == ["batch.jsonl", "batch.jsonl", "batch.jsonl", "s.html",
                                                    "batch.jsonl", "batch.jsonl"]
    assert result.documents[2].date == "2024-01-02" and result.documents[2].variables == {"round": 3}
    assert result.documents[4].spans[0].annotator == "ann"
    assert result.doc_labels == {"POSITIVE": 1}
    streamed = jsonl.Stream(path, size=2)
    assert [d for batch in streamed for d in batch] == full
    assert streamed.doc_labels == {"POSITIVE": 1}


def test_documents_without_variables_do_not_share_one_dict(tmp_path):
    docs = jsonl.read(_write(tmp_path / "a.jsonl", LINES[:2])).documents
    docs[0].variables["x"] = 1
    assert docs[1].variables == {}


@pytest.mark.parametrize("meta, message", [
    ({"title": "t", "date": "2024-13-01"}, "line 2"),
    ({"issuer": 5}, "line 2"),
    ({"variables": {"date": 1}}, "line 2"),
])
def test_a_bad_variable_beside_good_lines_still_rejects_the_file(tmp_path, meta, message):
    path = _write(tmp_path / "bad.jsonl", [LINES[1], {"text": "x", "meta": meta}])
    with pytest.raises(AnnotatorError) as err:
        jsonl.read(path)
    assert message in " ".join(err.value.problems)
