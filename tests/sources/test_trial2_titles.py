"""A statement imported from a PDF or Word file takes the title the document carries (its properties, a PDF's XMP
metadata, a Word paragraph in the Title style) when that title names something; a placeholder ("Untitled",
"Document1") or a printed-from-Word file name falls back to the file's name (README, "Statements from where they
are published")."""

import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from annotator import formats
from annotator.sources import common
from annotator.store import Project
from annotator.store.transfer import import_paths

FILES = Path(__file__).parent / "files"
#: a real Word file (python-docx's test suite; files/README.md): "P1", a table holding "T2", "P3"
DOCX = FILES / "blk-inner-content.docx"
LINES = [
    "The Foreign Ministers of the United States, Japan and the Republic of Korea met today.",
    "They condemned the launches and urged restraint.",
]


def make_pdf(path, title=None, xmp_title=None):
    """A one-page PDF with a text layer (Helvetica), its /Title and XMP dc:title as given."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    body = "".join(f"({line}) Tj 0 -16 Td " for line in LINES)
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 11 Tf 72 720 Td {body}ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    if title is not None:
        writer.add_metadata({"/Title": title})
    if xmp_title is not None:  # as Acrobat and Word write it: an XMP packet, dc:title in an rdf:Alt
        writer.xmp_metadata = (
            '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{xmp_title}</rdf:li></rdf:Alt></dc:title>'
            "</rdf:Description></rdf:RDF></x:xmpmeta>"
            '<?xpacket end="w"?>'
        ).encode()
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def make_docx(path, core_title=None, title_paragraph=None, title_style_id="Title", core_at=None):
    """``blk-inner-content.docx`` with its core title, a first paragraph in the Title style (under a localised
    style id, as a German Word names it "Titel"), or its core properties where .NET's packaging puts them."""
    with zipfile.ZipFile(DOCX) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            name = info.filename
            if name == "docProps/core.xml" and core_title is not None:
                data = data.replace(b"<dc:title></dc:title>", f"<dc:title>{core_title}</dc:title>".encode())
            if name == "docProps/core.xml" and core_at:
                name = core_at
            if name == "_rels/.rels" and core_at:
                data = data.replace(b'Target="docProps/core.xml"', f'Target="/{core_at}"'.encode())
            if name == "word/document.xml" and title_paragraph:
                para = (
                    f'<w:p><w:pPr><w:pStyle w:val="{title_style_id}"/></w:pPr>'
                    f"<w:r><w:t>{title_paragraph}</w:t></w:r></w:p>"
                )
                data = data.replace(b"<w:body>", b"<w:body>" + para.encode(), 1)
            if name == "word/styles.xml" and title_paragraph:
                style = (
                    f'<w:style w:type="paragraph" w:styleId="{title_style_id}"><w:name w:val="Title"/>'
                    '<w:basedOn w:val="Normal"/><w:qFormat/></w:style>'
                )
                data = data.replace(b"</w:styles>", style.encode() + b"</w:styles>")
            out.writestr(name, data)
    return path


def title_of(path):
    return formats.read(path).documents[0].title


def test_a_pdf_title_stated_only_in_its_xmp_metadata_is_used(tmp_path):
    path = make_pdf(tmp_path / "20231026_js.pdf", xmp_title="Joint Statement on Trilateral Cooperation")
    assert title_of(path) == "Joint Statement on Trilateral Cooperation"
    # the document information's /Title first, when it names something; XMP when it is a placeholder
    both = make_pdf(tmp_path / "both.pdf", title="Document1", xmp_title="Remarks on the Summit")
    assert title_of(both) == "Remarks on the Summit"


def test_a_pdf_printed_from_word_takes_the_word_files_name_when_it_reads_as_a_title(tmp_path):
    named = make_pdf(tmp_path / "a.pdf", title="Microsoft Word - Joint Statement on the DPRK.docx")
    assert title_of(named) == "Joint Statement on the DPRK"
    junk = make_pdf(tmp_path / "trilateral-statement.pdf", title="Microsoft Word - x.doc")
    assert title_of(junk) == "trilateral-statement"
    path_like = make_pdf(tmp_path / "b.pdf", title="C:\\Users\\kim\\Desktop\\JS_2023_final.docx")
    assert title_of(path_like) == "b"


@pytest.mark.parametrize("placeholder", ["Document1", "PowerPoint Presentation", "Untitled-1", "  ", "Title"])
def test_a_pdf_whose_title_is_a_placeholder_is_named_by_its_file(tmp_path, placeholder):
    assert title_of(make_pdf(tmp_path / "joint-statement.pdf", title=placeholder)) == "joint-statement"


def test_a_docx_title_is_found_where_the_package_says_its_properties_are(tmp_path):
    path = make_docx(
        tmp_path / "generated.docx",
        core_title="Joint Statement of the Leaders",
        core_at="package/services/metadata/core-properties/9d1c2f.psmdcp",
    )
    assert title_of(path) == "Joint Statement of the Leaders"


def test_a_docx_title_paragraph_names_it_when_its_properties_do_not(tmp_path):
    path = make_docx(tmp_path / "draft-7.docx", title_paragraph="Joint Statement on Economic Security")
    doc = formats.read(path).documents[0]
    assert doc.title == "Joint Statement on Economic Security"
    assert doc.text.startswith("Joint Statement on Economic Security\n\nP1")  # the text itself unchanged
    german = make_docx(tmp_path / "entwurf.docx", title_paragraph="Gemeinsame Erklärung", title_style_id="Titel")
    assert title_of(german) == "Gemeinsame Erklärung"
    # a placeholder in the properties does not hide the paragraph
    placeholder = make_docx(tmp_path / "d.docx", core_title="Document1", title_paragraph="Statement by the G7")
    assert title_of(placeholder) == "Statement by the G7"
    assert title_of(make_docx(tmp_path / "kept.docx", core_title="Document1")) == "kept"


def test_imported_titles_reach_the_project_and_a_txt_keeps_its_file_name(tmp_path):
    (tmp_path / "press-release.txt").write_text("We urge restraint.\n", encoding="utf-8")
    paths = [
        make_pdf(tmp_path / "s1.pdf", title="Microsoft Word - Joint Statement on the DPRK.docx"),
        make_docx(tmp_path / "s2.docx", title_paragraph="Joint Statement on Economic Security"),
        tmp_path / "press-release.txt",
    ]
    with Project.open(tmp_path / "p.sqlite", create=True) as p:
        report = import_paths(p, paths)
        assert not report.rejected, report.rejected
        assert sorted(d.title for d in p.documents()) == [
            "Joint Statement on Economic Security",
            "Joint Statement on the DPRK",
            "press-release",
        ]


@pytest.mark.parametrize(
    ("stated", "title"),
    [
        ("Microsoft Word - U.S./Japan/ROK statement.docx", "U.S./Japan/ROK statement"),  # a slash in a title stays
        ("Microsoft Word - 日米韓首脳共同声明.docx", "日米韓首脳共同声明"),  # words without spaces between them
        ("C:\\Users\\kim\\Joint Statement.docx", "Joint Statement"),  # a path: its file's name
        ("/home/kim/JS_final.pdf", ""),
    ],
)
def test_a_title_from_a_file_name_keeps_slashes_and_unspaced_scripts(stated, title):
    """A reviewer's findings: the path split cut real titles at a slash, and a Japanese file name (no spaces) was
    always taken for a bare file name."""
    assert common.meaningful_title(stated) == title


def test_the_statements_own_heading_is_preferred_to_a_title_made_of_a_file_name():
    heading = "Joint Statement of the Foreign Ministers"
    assert common.best_title(common.meaningful_title("Microsoft Word - trilateral draft 3.docx"), heading) == heading
    assert common.best_title(common.meaningful_title("Trilateral Statement"), heading) == "Trilateral Statement"
    assert common.best_title(common.meaningful_title("Microsoft Word - trilateral draft 3.docx"), "") == (
        "trilateral draft 3")
