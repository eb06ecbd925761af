"""Hostile published forms and vars files: real files with bytes flipped, cut or spliced, and random CSV/JSON, give
a statement with storable text or one clear line (a FormatError), never a traceback; a refused vars file changes
nothing. ``ANNOTATOR_FUZZ`` sets the examples per test, as for the other readers."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator import formats
from annotator.core.text import storable_problem
from annotator.errors import AnnotatorError
from annotator.store import Project
from annotator.store.varsfile import apply
from tests.helpers import content
from tests.reliability.common import CI, FUZZ

FILES = Path(__file__).parent / "files"
REAL = {p.suffix: p.read_bytes() for p in sorted(FILES.iterdir()) if p.suffix in (".html", ".pdf", ".docx")}
FUZZ_SETTINGS = settings(max_examples=min(FUZZ, 40), deadline=None, derandomize=CI,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


damage = st.tuples(
    st.sampled_from(sorted(REAL)),
    st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),  # bytes changed
    st.one_of(st.none(), st.floats(0, 1)),  # where the file is cut
    st.one_of(st.none(), st.sampled_from(sorted(REAL))),  # spliced with the second half of another
)


def damaged(suffix, flips, cut, splice) -> bytes:  # type: ignore[no-untyped-def]
    """A real file with the damage described (described, not given, so a failing example prints short)."""
    data = bytearray(REAL[suffix])
    for where, value in flips:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    if splice is not None:
        other = REAL[splice]
        data = data[: len(data) // 2] + other[len(other) // 2 :]
    return bytes(data)


@FUZZ_SETTINGS
@given(case=damage)
def test_damaged_published_forms_read_or_refuse_in_one_line(case, tmp_path_factory):
    suffix = case[0]
    data = damaged(*case)
    path = tmp_path_factory.mktemp("fuzz") / f"statement{suffix}"
    path.write_bytes(data)
    try:
        result = formats.read(path)
    except AnnotatorError as exc:
        assert exc.message and "\n" not in exc.message
        return
    doc = result.documents[0]
    assert doc.text.strip() and storable_problem(doc.text) is None and doc.provenance is not None


@pytest.fixture(scope="module")
def vars_project(tmp_path_factory):
    from annotator.core.model import IncomingDocument

    path = tmp_path_factory.mktemp("vars") / "p.sqlite"
    with Project.open(path, create=True, populate=[IncomingDocument("One.", "one"), IncomingDocument("Two.", "two")]):
        pass
    return path


cells = st.one_of(st.sampled_from(["one", "two", "2023-02-30", "2024-01-01", "yes", "12", "", "x,y", '"']),
                  st.text(max_size=12))


@FUZZ_SETTINGS
@given(header=st.lists(st.one_of(st.sampled_from(["title", "sha256", "date", "issuer", "memo", "wave"]),
                                 st.text(max_size=8)), min_size=1, max_size=5),
       rows=st.lists(st.lists(cells, max_size=6), max_size=5), raw=st.binary(max_size=120), use_raw=st.booleans())
def test_random_vars_files_apply_whole_or_not_at_all(vars_project, tmp_path_factory, header, rows, raw, use_raw):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path_factory.mktemp("v") / "vars.csv"
    path.write_bytes(raw if use_raw else buffer.getvalue().encode("utf-8", "surrogatepass"))
    with Project.open(vars_project) as project:
        before = content(vars_project)
        try:
            apply(project, path)
        except AnnotatorError as exc:
            assert exc.message
            assert content(vars_project) == before
