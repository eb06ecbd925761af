"""Document variables in the project file (schema v3, DESIGN.md §2.6): migration, values, definitions, history."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from annotator.core import variables as cv
from annotator.core.model import IncomingDocument, Provenance
from annotator.core.variables import Variable
from annotator.errors import AnnotatorError
from annotator.store import Project, schema
from annotator.store import variables as sv
from tests.helpers import content

FROZEN = Path(__file__).parent / "frozen"


@pytest.fixture
def project(tmp_path):
    docs = [IncomingDocument("First statement.", "one"), IncomingDocument("Second statement.", "two")]
    with Project.open(tmp_path / "p.sqlite", create=True, user="ann", populate=docs) as p:
        yield p


def _schema_sql(conn):
    return sorted(
        (t, n, " ".join((s or "").split())) for t, n, s in conn.execute("SELECT type, name, sql FROM sqlite_master")
    )


@pytest.mark.parametrize("frozen", ["v1.sqlite", "v2.sqlite"])
def test_frozen_projects_migrate_to_exactly_the_schema_a_new_project_has(tmp_path, frozen):
    path = tmp_path / frozen
    shutil.copyfile(FROZEN / frozen, path)
    with Project.open(path) as p:
        docs = p.documents()
        assert len(docs) == 2
        assert sv.fields(p, docs[0].id) == sv.Fields()
        assert sv.definitions(p) == []
        sv.add_variable(p, Variable("country", "text"))
        sv.set_value(p, docs[0].id, "date", "2023-10-26")
        sv.set_value(p, docs[0].id, "country", "Japan")
        assert p.document(docs[0].id).date == "2023-10-26"
        assert p.document(docs[0].id).variables == {"country": "Japan"}
        migrated = _schema_sql(p.conn)
    with Project.open(tmp_path / "new.sqlite", create=True) as fresh:
        assert migrated == _schema_sql(fresh.conn)
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION >= 3


def test_frozen_v3_reads_its_variables(tmp_path):
    path = tmp_path / "v3.sqlite"
    shutil.copyfile(FROZEN / "v3.sqlite", path)
    with Project.open(path, readonly=True) as p:
        first = p.documents()[0].id
        assert sv.definitions(p) == [Variable("pages", "number"), Variable("joint", "bool")]
        got = sv.fields(p, first)
        assert (got.date, got.issuer, got.values) == ("2023-10-26", "U.S. Department of State",
                                                      {"pages": 2, "joint": True})
        ids = [d.id for d in p.documents()]
        assert sv.fields_of(p, ids) == sv.all_fields(p) == {d: sv.fields(p, d) for d in ids}


def test_each_change_is_one_transaction_with_a_history_row(project):
    doc = project.documents()[0].id
    assert sv.set_value(project, doc, "issuer", "Ministry") == ("", "Ministry")
    assert sv.set_value(project, doc, "issuer", "Ministry") == ("Ministry", "Ministry")  # no change, no row
    sv.add_variable(project, Variable("pages", "number"))
    assert sv.set_value(project, doc, "pages", "12") == (None, 12)
    assert sv.set_value(project, doc, "pages", "") == (12, None)
    actions = [h["action"] for h in reversed(project.history())]
    assert actions[-4:] == ["set_variable", "add_variable", "set_variable", "set_variable"]
    assert project.history(1)[0]["before"] == '{"pages":12}'


@pytest.mark.parametrize("bad", ["2023-02-30", "26.10.2023", "2023-1-5", "tomorrow"])
def test_an_impossible_or_non_iso_date_is_refused_and_nothing_changes(project, bad):
    doc = project.documents()[0].id
    before = content(project.path)
    with pytest.raises(AnnotatorError, match="date"):
        sv.set_value(project, doc, "date", bad)
    assert content(project.path) == before


def test_values_keep_their_type_and_sort_by_it(project):
    a, b = (d.id for d in project.documents())
    sv.add_variable(project, Variable("pages", "number"))
    sv.add_variable(project, Variable("joint", "bool"))
    sv.set_value(project, a, "pages", "9")
    sv.set_value(project, b, "pages", "10.5")
    sv.set_value(project, a, "joint", "yes")
    order = [r[0] for r in project.conn.execute("SELECT doc_id FROM document_values WHERE variable = 'pages'"
                                                 " ORDER BY value")]
    assert order == [a, b]  # 9 < 10.5 as numbers, not as text
    assert sv.fields(project, a).values == {"pages": 9, "joint": True}
    with pytest.raises(AnnotatorError, match="not a number"):
        sv.set_value(project, a, "pages", "many")
    with pytest.raises(AnnotatorError, match="no variable"):
        sv.set_value(project, a, "missing", "x")


def test_a_block_of_statements_reads_as_each_one_does(project):
    """``fields_of`` (a screen of the Documents list in one read) gives each statement what ``fields`` does, leaves
    out an id no longer in the project, and reads nothing for no ids."""
    more = project.import_documents([IncomingDocument(f"Statement {i}.", f"s{i}", date=f"2024-01-{i + 1:02}",
                                                      issuer="MOFA" if i % 2 else "", variables={"pages": i})
                                     for i in range(6)])["doc_ids"]
    a, b = (d.id for d in project.documents()[:2])
    sv.add_variable(project, Variable("joint", "bool"))
    sv.set_value(project, a, "joint", "yes")
    sv.set_value(project, more[3], "joint", "no")
    ids = [a, b, *more, 999]
    block = sv.fields_of(project, ids)
    assert set(block) == set(ids) - {999}
    assert block == {d: sv.fields(project, d) for d in block}
    assert block[more[3]].values == {"pages": 3, "joint": False} and block[b] == sv.Fields()
    assert sv.fields_of(project, []) == {}
    assert sv.fields_of(project, [more[5]]) == {more[5]: sv.fields(project, more[5])}


def test_definitions_add_rename_reorder_delete_and_restore(project):
    doc = project.documents()[0].id
    sv.add_variable(project, Variable("region", "text"))
    sv.add_variable(project, Variable("pages", "number"))
    sv.set_value(project, doc, "region", "Asia")
    sv.rename_variable(project, "region", "area")
    assert sv.fields(project, doc).values == {"area": "Asia"}
    assert sv.reorder_variables(project, ["pages", "area"]) == ["area", "pages"]
    assert [v.name for v in sv.definitions(project)] == ["pages", "area"]
    var, position, values = sv.delete_variable(project, "area")
    assert sv.fields(project, doc).values == {}
    sv.restore_variable(project, var, position, values)
    assert sv.definitions(project) == [Variable("pages", "number"), Variable("area", "text")]
    assert sv.fields(project, doc).values == {"area": "Asia"}
    for bad in ("date", "Title", " padded", ""):
        with pytest.raises(AnnotatorError):
            sv.add_variable(project, Variable(bad, "text"))
    with pytest.raises(AnnotatorError):
        sv.rename_variable(project, "pages", "AREA")  # names are unique regardless of case
    with pytest.raises(AnnotatorError, match="type"):
        sv.set_definitions(project, [Variable("pages", "number"), Variable("area", "date")])
    sv.set_definitions(project, [Variable("pages", "number")])
    assert sv.fields(project, doc).values == {}


def test_import_keeps_fixed_variables_values_and_provenance(project):
    doc = IncomingDocument(
        "A third statement.", "three", date="2024-01-02", issuer="MOFA", url="https://example.org/s",
        note="memo", variables={"pages": 3, "joint": False},
        provenance=Provenance("three.html", "ab" * 32, "trafilatura", "2.0"),
    )
    result = project.import_documents([doc])
    assert result["new_variables"] == ["pages", "joint"]
    doc_id = result["doc_ids"][0]
    got = project.document(doc_id)
    assert (got.date, got.issuer, got.url, got.note) == ("2024-01-02", "MOFA", "https://example.org/s", "memo")
    assert got.variables == {"pages": 3, "joint": False}
    assert sv.definitions(project) == [Variable("pages", "number"), Variable("joint", "bool")]
    prov, when = sv.provenance(project, doc_id)
    assert prov == Provenance("three.html", "ab" * 32, "trafilatura", "2.0") and when.endswith("Z")


def test_set_many_is_whole_or_nothing(project):
    a, b = (d.id for d in project.documents())
    before = content(project.path)
    with pytest.raises(AnnotatorError):
        sv.set_many(project, [(a, {"issuer": "X"}), (999, {"issuer": "Y"})])
    assert content(project.path) == before
    assert sv.set_many(project, [(a, {"issuer": "X", "wave": 2}), (b, {"wave": None})],
                       [Variable("wave", "number")]) == 2
    assert sv.fields(project, a).values == {"wave": 2}


@pytest.mark.parametrize(
    ("type_", "raw", "value"),
    [("number", "1e3", 1000), ("number", " -4 ", -4), ("number", 2.5, 2.5), ("bool", "No", False),
     ("bool", True, True), ("date", "2024-02-29", "2024-02-29"), ("text", "  ", None), ("date", "", None)],
)
def test_parse_value(type_, raw, value):
    assert cv.parse_value(type_, raw) == value


@pytest.mark.parametrize(("type_", "raw"), [("number", "nan"), ("number", True), ("bool", "maybe"),
                                             ("date", "2023-02-29"), ("date", 20230101), ("text", 1.5j)])
def test_parse_value_refuses(type_, raw):
    with pytest.raises(ValueError):
        cv.parse_value(type_, raw)


def test_guess_type_from_cells_and_from_json():
    assert cv.guess_type(["1", "0"]) == "number"
    assert cv.guess_type(["yes", "no", ""]) == "bool"
    assert cv.guess_type(["2023-01-01"]) == "date"
    assert cv.guess_type(["2023-02-30"]) == "text"
    assert cv.guess_type(["12"], cells=False) == "text"
    assert cv.guess_type([12, 1.5], cells=False) == "number"
    assert cv.guess_type([True], cells=False) == "bool"
