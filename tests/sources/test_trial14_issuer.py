"""A statement's issuer line in its header was read only when it began with an English keyword ("Department …",
"Ministry …", "Council …"; trial 14, F2): "ASEAN Secretariat", "Nordic Council of Ministers", "Global Affairs
Canada" (a PDF) and "Ministère de l'Europe et des Affaires étrangères" (a cp1252 .txt) left the issuer empty. A
short line shaped as an organisation's name with an institution's word anywhere, in the date reader's languages, is
the issuer now, and so is a letterhead line above the date; a title ("Joint Statement on …"), a date, a dateline, a
sentence or an address never is.

Through ``annotator import`` with the trial's files (written here as the trial wrote them; its PDF is in
tests/data/trial14), and through :func:`webtext.clean`, the one reading of a header every reader uses (.txt, .md,
PDF, .docx), with examples and generated lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.sources.webtext import clean
from tests.helpers import run_cli

DATA = Path(__file__).parents[1] / "data"
BODY = ("We express deep concern over the escalation of the conflict and its impact on civilians. The violence "
        "threatens regional stability, and we urge all parties to exercise utmost restraint and cease violence.")

#: the trial's text files: (name, header lines, encoding)
TRIAL_FILES = [
    ("2024-02-01-asean-note.txt", ["Jakarta, 1 February 2024",
                                   "ASEAN Foreign Ministers' Statement on the Situation in Myanmar",
                                   "ASEAN Secretariat"], "utf-8"),
    ("2024-06-10-nordic-statement.md", ["Oslo, 10 June 2024", "Joint Nordic Statement on Support for Ukraine",
                                        "Nordic Council of Ministers"], "utf-8"),
    ("2024-02-05-france-cp1252.txt", ["Paris, 5 février 2024", "Déclaration conjointe sur la sécurité maritime",
                                      "Ministère de l'Europe et des Affaires étrangères"], "cp1252"),
]


def _imported(tmp_path: Path, *paths: Path) -> dict[str, dict]:
    """{file name: the statement's exported meta} after ``annotator import``."""
    project = tmp_path / "p.sqlite"
    said = run_cli("import", project, *paths)
    assert said.returncode == 0, said.stderr
    exported = run_cli("export", project)
    assert exported.returncode == 0, exported.stderr
    return {r["meta"]["source"]: r["meta"] for r in map(json.loads, exported.stdout.decode("utf-8").splitlines())}


def test_the_trials_issuer_lines_are_read_from_txt_md_and_pdf(tmp_path):
    paths = []
    for name, header, encoding in TRIAL_FILES:
        path = tmp_path / name
        path.write_bytes("\n\n".join([*header, f"{BODY} ({name})"]).encode(encoding) + b"\n")
        paths.append(path)
    pdf = DATA / "trial14" / "2024-04-22-canada-uk.pdf"  # /Author empty: the issuer is its header line's
    metas = _imported(tmp_path, *paths, pdf)
    assert {name: (meta["date"], meta["title"], meta["issuer"]) for name, meta in metas.items()} == {
        "2024-02-01-asean-note.txt": ("2024-02-01", "ASEAN Foreign Ministers' Statement on the Situation in Myanmar",
                                      "ASEAN Secretariat"),
        "2024-06-10-nordic-statement.md": ("2024-06-10", "Joint Nordic Statement on Support for Ukraine",
                                           "Nordic Council of Ministers"),
        "2024-02-05-france-cp1252.txt": ("2024-02-05", "Déclaration conjointe sur la sécurité maritime",
                                         "Ministère de l'Europe et des Affaires étrangères"),
        "2024-04-22-canada-uk.pdf": ("2024-04-22", "Canada-UK Joint Statement on Sudan", "Global Affairs Canada"),
    }


def test_a_letterhead_above_the_date_is_the_issuer_and_a_press_release_line_is_not(tmp_path):
    """Trial 10's PDFs: the office's letterhead over "15 June 2024" names the issuer; "Council of the European
    Union - Press Release" over the dateline names a statement (a title's word), so without /Author there is none."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(DATA / "trial10" / "12_eu_council.pdf"))
    writer.add_metadata({"/Author": "jsmith"})
    with open(tmp_path / "noauthor.pdf", "wb") as fh:
        writer.write(fh)
    metas = _imported(tmp_path, DATA / "trial10" / "13_uk_fcdo.pdf", tmp_path / "noauthor.pdf")
    assert metas["13_uk_fcdo.pdf"]["issuer"] == "Foreign, Commonwealth & Development Office"
    assert metas["noauthor.pdf"]["issuer"] == ""


# -- webtext.clean: the header of every reader ---------------------------------------------------------------------

def _issuer(*header: str) -> str:
    return clean("\n\n".join([*header, BODY]) + "\n").issuer


ISSUERS = [
    "ASEAN Secretariat", "Nordic Council of Ministers", "Global Affairs Canada", "U.S. Department of State",
    "The White House", "Office of the Spokesperson", "Foreign, Commonwealth & Development Office",
    "Department of Foreign Affairs and Trade", "European Commission", "Council of the European Union",
    "Embassy of Japan in Canada", "Ministry of Foreign Affairs of the Republic of Korea", "Federal Foreign Office",
    "Ministère de l'Europe et des Affaires étrangères", "Ministère des Armées", "Secrétariat général du Conseil",
    "Auswärtiges Amt", "Bundesministerium für wirtschaftliche Zusammenarbeit und Entwicklung",
    "Presse- und Informationsamt der Bundesregierung", "Ministerio de Asuntos Exteriores, Unión Europea y Cooperación",
    "Secretaría de Relaciones Exteriores", "Ministero degli Affari Esteri e della Cooperazione Internazionale",
    "Ministério dos Negócios Estrangeiros", "Ministerie van Buitenlandse Zaken", "Raad van de Europese Unie",
    "G7 Presidency", "Permanent Mission of Brazil to the United Nations",
]


@pytest.mark.parametrize("name", ISSUERS)
def test_an_organisations_name_after_the_title_is_the_issuer(name):
    assert _issuer("Brussels, 27 May 2024", "Joint Statement on Maritime Security", name) == name
    assert _issuer("Joint Statement on Maritime Security", name) == name  # no date: the line after the title
    assert _issuer(name, "15 June 2024", "Joint Statement on Maritime Security") == name  # a letterhead


NOT_ISSUERS = [
    # titles, with an institution's word in them
    "Joint Statement on the Council's Decision", "Statement by the Ministry of Foreign Affairs",
    "Council Conclusions on the Korean Peninsula", "Council of the European Union - Press Release",
    "Remarks to the Security Council", "Readout of the Secretary's Meeting with the Foreign Minister",
    "Gemeinsame Erklärung der Außenminister", "Déclaration du ministère de l'Europe", "Comunicado del Ministerio",
    "Dichiarazione congiunta del Consiglio", "Verklaring van het Ministerie", "Note to Correspondents on the Council",
    "Press Release: Ministry of Defence",
    # dates and datelines
    "15 June 2024", "Brussels, 27 May 2024", "NEWS | Oct. 26, 2023", "Berlin, 3. Juni 2024", "2024-06-15",
    "Ministry of Foreign Affairs, 3 June 2024",
    # sentences
    "The Council condemns Russia", "The Ministry strongly condemns the attack on the embassy",
    "Canada and the United Kingdom condemn the ongoing fighting", "We urge the Council to act.",
    "The Commission welcomes the agreement", "Le Conseil condamne l'attaque", "El Gobierno condena el ataque",
    "The following was released by the Office of the Spokesperson:", "Begin Text",
    "The text of the following statement was released by the Governments of Japan and Korea",
    # addresses, and lines with no institution's word
    "press@ministry.gov.uk", "https://www.gov.uk/government/organisations", "Support for Ukraine", "Antony J. Blinken",
]


@pytest.mark.parametrize("line", NOT_ISSUERS)
def test_a_title_a_date_a_sentence_or_an_address_is_never_the_issuer(line):
    assert _issuer("Brussels, 27 May 2024", "Joint Statement on Maritime Security", line) == ""
    assert _issuer("Joint Statement on Maritime Security", line) == ""


def test_the_sample_statements_keep_their_issuers_and_the_title_is_never_one():
    assert _issuer("NEWS | Oct. 26, 2023", "U.S.-Japan-ROK Joint Statement Condemning DPRK-Russia Arms Transfers",
                   "U.S. Department of State") == "U.S. Department of State"
    assert _issuer("15 June 2024", "Ministry of Foreign Affairs") == ""  # the title's line, not also the issuer


# -- generated lines -----------------------------------------------------------------------------------------------

_INSTITUTIONS = st.sampled_from(ISSUERS)
_PLAIN_NAMES = st.sampled_from(["Jakarta", "Canada", "the Philippines", "Japan and Korea", "Ukraine", "Myanmar"])
_TITLE_WORDS = st.sampled_from(["Joint Statement", "Statement", "Declaration", "Press Release", "Remarks",
                                "Readout", "Communiqué", "Erklärung", "Déclaration", "Comunicado", "Conclusions"])
_VERBS = st.sampled_from(["condemns", "urges", "welcomes", "reaffirms", "expresses", "calls on", "announces",
                          "verurteilt", "condamne", "condena"])
_MONTHS = st.sampled_from(["January", "Feb.", "März", "avril", "mayo", "giugno", "julho", "augustus", "Sept."])


@settings(max_examples=150, deadline=None)
@given(institution=_INSTITUTIONS, kind=_TITLE_WORDS, about=_PLAIN_NAMES, form=st.integers(0, 2))
def test_a_title_naming_an_institution_is_never_the_issuer(institution, kind, about, form):
    title = [f"{kind} on {about}", f"{kind} by the {institution}", f"{institution} {kind} on {about}"][form]
    assert _issuer("Brussels, 27 May 2024", "Summit on Regional Security", title) == ""


@settings(max_examples=150, deadline=None)
@given(institution=_INSTITUTIONS, verb=_VERBS, about=_PLAIN_NAMES, stop=st.sampled_from(["", ".", "!"]))
def test_a_sentence_naming_an_institution_is_never_the_issuer(institution, verb, about, stop):
    assert _issuer("Brussels, 27 May 2024", "Joint Statement on Security", f"{institution} {verb} {about}{stop}") == ""
    assert _issuer("Joint Statement on Security", f"{institution} {verb} {about}{stop}") == ""


@settings(max_examples=150, deadline=None)
@given(day=st.integers(1, 28), month=_MONTHS, year=st.integers(1990, 2030), place=st.sampled_from(["", "Paris, "]),
       institution=_INSTITUTIONS)
def test_a_date_is_never_the_issuer_and_the_issuer_after_it_still_is(day, month, year, place, institution):
    date = f"{place}{day} {month} {year}"
    header = clean("\n\n".join([date, "Joint Statement on Security", institution, BODY]))
    assert (bool(header.date), header.issuer) == (True, institution)
    assert _issuer("Joint Statement on Security", date) == ""
