"""brat and CRLF texts. brat's server opens a ``.txt`` with ``codecs.open(path, 'rU', 'utf8')``
(nlplab/brat server/src/annotation.py ``open_textfile``), and ``codecs.open`` drops the ``U`` and reads in binary
mode: brat counts ``\\r\\n`` as two characters. An ``.ann`` brat made on a CRLF text is read as it is, the same
text (same SHA-256) as the project's; one counting ``\\r\\n`` as one (a tool that read the text in text mode) is
read too; one that fits neither is refused, saying so."""

import pytest

from annotator.core.text import sha256_text
from annotator.errors import FormatError
from annotator.formats import brat

TEXT = "Line one\r\nWe urge calm.\r\nThen threat.\r\n"


def _pair(folder, ann):
    (folder / "doc.txt").write_bytes(TEXT.encode("utf-8"))
    (folder / "doc.ann").write_text(ann, encoding="utf-8")
    return folder / "doc.txt"


def test_an_ann_as_brat_counts_keeps_the_crlf_text(tmp_path):
    u, t = TEXT.index("urge"), TEXT.index("threat")
    (doc,) = brat.read(_pair(tmp_path, f"T1\tcall {u} {u + 4}\turge\nT2\tthreat {t} {t + 6}\tthreat\n")).documents
    assert doc.text == TEXT and sha256_text(doc.text) == sha256_text(TEXT)
    assert sorted((s.start, s.end) for s in doc.spans) == [(u, u + 4), (t, t + 6)]


def test_an_ann_counting_crlf_as_one_is_read_so_and_one_fitting_neither_says_so(tmp_path):
    result = brat.read(_pair(tmp_path, "T1\tcall 12 16\turge\nT2\tthreat 28 34\tthreat\n"))
    assert result.documents[0].text == TEXT.replace("\r\n", "\n")
    assert any("as one character" in n for n in result.notes)
    # the tester's brat_crlf/doc.ann: T1 counts the first CRLF as one, T2 is one off either way
    with pytest.raises(FormatError) as info:
        brat.read(_pair(tmp_path, "T1\tcall 12 16\turge\nT2\tthreat 29 35\tthreat\n"))
    lines = info.value.lines()
    assert "2 problem(s)" in lines[0]
    assert "counting each \\r\\n as one character instead, 1 problem(s) remain: line 2: T2" in lines[-1]
