"""Nothing from a document is ever interpreted (DESIGN.md §6): no rich text, no network, no eval/pickle of file
content, SQL only with parameters — each checked here."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QMessageBox, QProgressDialog, QWidget

from annotator.core.model import IncomingDocument, IncomingSpan, Label
from annotator.store import Project
from tests.reliability.common import report

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "annotator"

IMG = "<img src=x onerror=alert(1)>"
BOLD = "<b>bold</b>"
NAME = "<b>bold<b> <img src=x onerror=alert(1)>"  # markup a file name can hold (no slash)
LINK = '<a href="http://example.com/">click</a>'
HOSTILE = f"{BOLD} {IMG} {LINK} &amp;"
MARKERS = ("onerror", "<b>bold", "<a href", "<i>")


def interpreted(text: str, fmt: Qt.TextFormat = Qt.TextFormat.AutoText) -> bool:
    """Whether Qt would render hostile text from a file as rich text here (rather than show it literally)."""
    if not any(m in text for m in MARKERS):
        return False  # no markup from a file in it (or it is escaped: &lt;b&gt;)
    if fmt == Qt.TextFormat.PlainText:
        return False
    if fmt == Qt.TextFormat.RichText:
        return True
    return bool(GuiQt.mightBeRichText(text))


def literal_in_rich(tip: str) -> bool:
    """A tooltip may be rich text we wrote around escaped file text: then what the user sees holds the markup."""
    doc = QTextDocument()
    doc.setHtml(tip)
    return any(m in doc.toPlainText() for m in MARKERS)


# -- rich text ------------------------------------------------------------------------------------------------------


@pytest.fixture
def hostile_project(tmp_path) -> Path:
    text = f"The {BOLD} statement {IMG} says {LINK} &amp; threatens.\nSecond <i>line</i>."
    docs = [
        IncomingDocument(text, f"<i>Title</i> {IMG}", spans=[
            IncomingSpan(4, 15, "<i>label</i>", f"<i>annotator</i> {IMG}", f"note {BOLD} {IMG}"),
            IncomingSpan(0, 3, "threat", "", LINK),
        ]),
        IncomingDocument("A second statement.", f"{LINK} second"),
    ]
    path = tmp_path / "p.sqlite"
    with Project.open(path, create=True, user=f"<b>analyst</b>{IMG}", populate=docs) as p:
        labels = p.labels()
        p.set_codebook([
            Label(lb.key, f"{lb.name} <i>x</i>" if lb.key == "<i>label</i>" else lb.name, lb.shortcut, lb.color,
                  f"{HOSTILE} description") for lb in labels
        ])
    return path


def widget_problems(widgets: list[QWidget]) -> Iterator[str]:
    for widget in widgets:
        name = f"{type(widget).__name__} {widget.objectName()!r}"
        if isinstance(widget, QLabel) and interpreted(widget.text(), widget.textFormat()):
            yield f"{name} shows {widget.text()!r} as rich text"
        tip = widget.toolTip()
        if interpreted(tip) and not literal_in_rich(tip):
            yield f"{name}'s tooltip {tip!r} is rich text"
        if isinstance(widget, QMessageBox) and interpreted(widget.text(), widget.textFormat()):
            yield f"message box {widget.text()!r} is rich text"
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(min(model.rowCount(), 50)):
                for col in range(model.columnCount()):
                    index = model.index(row, col)
                    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
                    if isinstance(tip, str) and interpreted(tip) and not literal_in_rich(tip):
                        yield f"{name} cell ({row}, {col}) tooltip {tip!r} is rich text"


def test_nothing_from_a_file_is_shown_as_rich_text(hostile_project, tmp_path, qtbot, monkeypatch):
    from PySide6.QtCore import QEvent

    from annotator.ui.app import create_window

    # every widget of the application is scanned: windows earlier tests closed (their projects closed with them)
    # are deleted first, or their models would read a closed project
    for leftover in QApplication.topLevelWidgets():
        leftover.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    window = create_window(hostile_project, ask_name=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    seen: list[str] = []

    def inspect_next_box() -> None:
        """Check the next message box that opens, then answer it (No / OK)."""
        timer = QTimer(window)
        timer.setInterval(20)

        def poll() -> None:
            box = QApplication.activeModalWidget()
            if not isinstance(box, QMessageBox):
                return
            timer.stop()
            seen.extend(widget_problems([box, *box.findChildren(QWidget)]))
            seen.append(f"checked {type(box).__name__}")
            box.done(QMessageBox.StandardButton.No)

        timer.timeout.connect(poll)
        timer.start()

    problems: list[str] = []
    for doc in window.documents.model.rows:
        window.open_document(doc.id)
        for span in window.view.spans_in_order():
            window.view.set_selected_span(span.id)
            rect = window.view.cursorRect()
            tip = window.view.tooltip_at(rect.center())
            if tip and interpreted(tip) and not literal_in_rich(tip):
                problems.append(f"the statement's tooltip {tip!r} is rich text")
        problems += widget_problems(QApplication.allWidgets())
    # a file with markup in its name: the import progress and report, the overwrite question of an export
    bad = tmp_path / f"{NAME}.jsonl"
    bad.write_bytes(b"{broken\n")
    good = tmp_path / f"{NAME} statement.jsonl"
    good.write_bytes(orjson.dumps({"text": "An imported statement.",
                                   "spans": [{"start": 0, "end": 2, "label": f"new {IMG}"}]}) + b"\n")
    monkeypatch.setattr(QProgressDialog, "setMinimumDuration", lambda self, _ms: None)  # shown at once

    def check_progress() -> None:
        for dialog in window.findChildren(QProgressDialog):
            problems.extend(widget_problems([dialog, *dialog.findChildren(QWidget)]))
            seen.append("checked the progress dialog")

    original = QProgressDialog.setLabelText

    def labelled(self, text):  # type: ignore[no-untyped-def]  # each file's name, as the import reaches it
        original(self, text)
        check_progress()

    monkeypatch.setattr(QProgressDialog, "setLabelText", labelled)
    inspect_next_box()
    window.files.import_paths([bad, good])
    qtbot.waitUntil(lambda: "checked QMessageBox" in seen)  # the report opens after the import returns
    monkeypatch.undo()
    target = tmp_path / f"{NAME} export.jsonl"
    target.write_bytes(b"old\n")
    inspect_next_box()
    assert not window.files._confirm_overwrite(target)
    problems += widget_problems(QApplication.allWidgets())
    problems += seen
    checked = [p for p in problems if p.startswith("checked")]
    assert "checked the progress dialog" in checked and checked.count("checked QMessageBox") == 2, checked
    bad = [p for p in problems if not p.startswith("checked")]
    assert bad == [], "\n".join(bad)
    window.close()


def test_the_review_panel_shows_colleague_text_literally(hostile_project, tmp_path, qtbot):
    review = pytest.importorskip("annotator.ui.review")
    from annotator.ui.mainwindow import MainWindow

    colleague = tmp_path / f"{NAME}.jsonl"
    with Project.open(hostile_project, readonly=True) as p, open(colleague, "wb") as out:
        for doc, _spans in p.iter_documents():
            out.write(orjson.dumps({"text": doc.text, "_annotator_id": f"<b>colleague</b>{IMG}", "spans": [
                {"start": 0, "end": 3, "label": f"<i>theirs</i>{IMG}", "note": HOSTILE}]}) + b"\n")
    window = MainWindow(Project.open(hostile_project), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    controller = review.install(window)
    controller.open_paths([colleague])
    for doc in window.documents.model.rows:
        window.open_document(doc.id)
    assert list(widget_problems(QApplication.allWidgets())) == []
    window.close()


# -- no network -----------------------------------------------------------------------------------------------------

NO_NETWORK = textwrap.dedent(
    """
    import os, socket, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access attempted")

    socket.socket = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    socket.socketpair = refuse

    from pathlib import Path
    from annotator import cli
    folder = Path(sys.argv[1])
    project = folder / "p.sqlite"
    (folder / "s.txt").write_text("The allies condemn the launches.")
    assert cli.main(["import", str(project), str(folder / "s.txt"), sys.argv[2]]) == 0
    assert cli.main(["export", str(project), "-o", str(folder / "out.jsonl")]) == 0
    for fmt in ("spans", "csv", "doccano", "brat"):
        assert cli.main(["export", str(project), "--format", fmt, "-o", str(folder / f"out-{fmt}")]) == 0
    assert cli.main(["stats", str(project)]) == 0
    assert cli.main(["agree", str(project), str(folder / "out.jsonl")]) == 0

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from annotator.ui.app import create_window
    app = QApplication([])
    window = create_window(project, ask_name=False)
    window.show()
    window.activateWindow()
    app.processEvents()
    window.view.select_cp(0, 3)
    QTest.keyClick(window.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    window.files.import_paths([str(folder / "s.txt")]) if False else None
    try:
        from annotator.ui import review
        review.install(window).open_paths([str(folder / "out.jsonl")])
    except ImportError:
        pass
    window.backups.join()
    assert window.backups.backup("periodic", wait=True) is not None
    assert cli.main(["restore", str(project), "--list"]) == 0
    window.close()
    app.processEvents()

    forbidden = sorted(m for m in sys.modules if m in {
        "ssl", "http.client", "urllib.request", "urllib3", "requests", "httpx", "ftplib", "smtplib",
        "xmlrpc.client", "PySide6.QtNetwork", "PySide6.QtWebEngineCore", "webbrowser",
    })
    print("attempts", len(attempts), "forbidden", forbidden, flush=True)
    """
)


def test_no_network_access_in_a_whole_session(tmp_path):
    sample = ROOT / "sample_docs"
    result = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, str(tmp_path), str(sample)], capture_output=True, text=True,
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "ANNOTATOR_DATA_DIR": str(tmp_path / "data")},
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "attempts 0 forbidden []" in result.stdout, (result.stdout, result.stderr)


# -- source scans ---------------------------------------------------------------------------------------------------


def sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


#: modules and calls that would run or unpickle what a file holds
DANGEROUS_MODULES = {"pickle", "cPickle", "dill", "cloudpickle", "marshal", "shelve", "jsonpickle", "yaml"}
DANGEROUS_CALLS = {"eval", "exec", "compile", "__import__", "input"}
#: (file, function, call): reviewed uses
DANGEROUS_ALLOWED: set[tuple[str, str, str]] = set()  # (the format modules are imported plainly now)


def test_no_eval_or_pickle_of_file_content():
    found = set()
    for path, tree in sources():
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                for name in names:
                    assert name.split(".")[0] not in DANGEROUS_MODULES, f"{rel}:{node.lineno} imports {name}"
        for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
            for node in ast.walk(func):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in DANGEROUS_CALLS:
                    found.add((rel, func.name, node.func.id))
        top_level = [n for n in tree.body if not isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
        for stmt in top_level:
            for node in ast.walk(stmt):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in DANGEROUS_CALLS:
                    found.add((rel, "<module>", node.func.id))
    assert found - DANGEROUS_ALLOWED == set(), "eval/exec/pickle-like calls"
    assert found >= DANGEROUS_ALLOWED, "a reviewed exception is gone: remove it from DANGEROUS_ALLOWED"


SQL_CALLS = {"execute", "executemany", "executescript", "query"}
#: module-level names whose values are constant SQL fragments or numbers, safe inside SQL text
CONSTANT_NAMES = {"_SPAN_COLUMNS", "_DOC_COLUMNS", "BUSY_TIMEOUT_MS", "APPLICATION_ID", "SCHEMA_VERSION"}
#: (file, function): SQL built from constant fragments where a plain scan cannot see it, each reviewed
SQL_ALLOWED = {
    # the WHERE clause is joined from constant fragments ("status = ?", ...); values are parameters
    ("annotator/store/listing.py", "ids"): "WHERE joined from constant fragments",
    # a constant query per schema with a list of "?" placeholders, one per id of the page; the ids are parameters
    ("annotator/store/listing.py", "read"): "IN (?, ?, ...) placeholders",
    # table names from a constant tuple in the function, checked against sqlite_master
    ("annotator/store/backup_policy.py", "fingerprint"): "table names from a constant tuple",
    # the connection's own page cache size, an int read from PRAGMA cache_size, put back after an import
    ("annotator/store/importing.py", "_import_cache"): "an int from PRAGMA cache_size",
    # columns are Span field names (checked against SPAN_FIELDS), WHERE is "" or a constant; the status is a parameter
    ("annotator/store/exporting.py", "rows"): "columns from SPAN_FIELDS, constant WHERE",
    # a list of "?" placeholders, one per value of the chunk; the values are parameters
    ("annotator/store/writing.py", "populate"): "IN (?, ?, ...) placeholders",
    # the migrations run their own constant DDL statements, one by one
    ("annotator/store/schema.py", "step"): "constant DDL from the schema module",
    # constant checks declared in _TYPE_CHECKS
    ("annotator/store/connection.py", "check_contents"): "constant type checks",
    # the search's one runner of its queries (to turn a malformed MATCH into one line); every caller passes a
    # constant query, the user's text is a parameter
    ("annotator/store/search.py", "_run"): "constant queries from the callers, the MATCH text a parameter",
    # the corpus views (issue 12): SQL from corpus.grouping's constant fragments (a period's CASE, a fixed column's
    # name from core.variables.FIXED, a variable's join whose name is a parameter), "?" lists, constant joins;
    # labels, keys, variable names and values are parameters
    ("annotator/store/cooccurrence.py", "cooccurrence"): "constant pair joins",
    ("annotator/store/cooccurrence.py", "statements"): "constant pair joins, IN (?, ?, ...) placeholders",
    # a deleted statement's rows read and written back (store/statements.py): the table one of KEPT_TABLES (or
    # documents), checked in the function; the columns those the rows were read with, checked against PRAGMA
    # table_info; every value a parameter
    ("annotator/store/statements.py", "_rows"): "a table of KEPT_TABLES, checked",
    ("annotator/store/statements.py", "_insert"): "a table of KEPT_TABLES or documents, its own checked columns",
    ("annotator/store/corpus.py", "_sizes"): "grouping fragments",
    ("annotator/store/corpus.py", "label_table"): "grouping fragments",
    ("annotator/store/corpus.py", "crosstab"): "grouping fragments",
    ("annotator/store/corpus.py", "codeline"): "IN (?, ?, ...) placeholders",
    ("annotator/store/retrieval.py", "spans"): "WHERE joined from constant fragments and grouping fragments",
    ("annotator/store/retrieval.py", "count"): "WHERE joined from constant fragments and grouping fragments",
    ("annotator/store/retrieval.py", "write_csv"): "WHERE joined from constant fragments and grouping fragments",
    # annotator check's recount of the co-occurrence pairs: the import's constant counting queries, their FROM
    # replaced by a constant subquery over every statement
    ("annotator/store/pair_counts.py", "differing"): "constant queries derived from constants",
    # a colleague file's one runner of its queries (a lock, the file's stamp, one message on damage); callers pass
    # constant queries or an IN (?, ?, ...) list of placeholders, the values are parameters
    ("annotator/store/colleague_rows.py", "read"): "constant queries from the callers, IN (?, ?, ...) placeholders",
    ("annotator/store/check.py", "check_project"): "the same constant type checks (connection._TYPE_CHECKS)",
    # a batch of statements for the agreement report: an IN (?, ?, ...) list of placeholders, the ids are parameters
    ("annotator/store/report_entries.py", "batches"): "IN (?, ?, ...) placeholders",
    # a block of the Documents list's rows: the variables of its statements, an IN (?, ?, ...) list of placeholders
    ("annotator/store/docvars.py", "values_of"): "IN (?, ?, ...) placeholders",
    ("annotator/store/variables.py", "_fields"): "IN (?, ?, ...) placeholders",
}


def constant_module_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            value = node.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str | int):
                names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def is_safe_sql(node: ast.AST, local: dict[str, list[ast.AST]], constants: set[str], seen: set[str]) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return all(
            isinstance(v, ast.Constant)
            or (isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name) and v.value.id in constants)
            for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return is_safe_sql(node.left, local, constants, seen) and is_safe_sql(node.right, local, constants, seen)
    if isinstance(node, ast.IfExp):
        return is_safe_sql(node.body, local, constants, seen) and is_safe_sql(node.orelse, local, constants, seen)
    if isinstance(node, ast.Name):
        if node.id in constants:
            return True
        if node.id in seen:
            return True  # a cycle (sql = sql + "..."): the other assignments decide
        if node.id not in local:
            return False
        return all(is_safe_sql(v, local, constants, seen | {node.id}) for v in local[node.id])
    return False


class _SqlScan(ast.NodeVisitor):
    """Each execute()-like call, checked within its innermost function."""

    def __init__(self, rel: str, constants: set[str]) -> None:
        self.rel = rel
        self.constants = constants
        self.violations: list[str] = []
        self.allowed_used: set[tuple[str, str]] = set()

    def visit_FunctionDef(self, func: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        local: dict[str, list[ast.AST]] = {}
        calls: list[ast.Call] = []
        nested: list[ast.AST] = []

        def walk(node: ast.AST) -> None:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                    nested.append(child)
                    continue
                if isinstance(child, ast.Assign):
                    for target in child.targets:
                        _bind(target, child.value, local)
                elif isinstance(child, ast.AugAssign) and isinstance(child.target, ast.Name):
                    local.setdefault(child.target.id, []).append(child.value)
                elif isinstance(child, ast.Call):
                    calls.append(child)
                walk(child)

        walk(func)
        for node in calls:
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            if name not in SQL_CALLS or not node.args:
                continue
            if is_safe_sql(node.args[0], local, self.constants, set()):
                continue
            if (self.rel, func.name) in SQL_ALLOWED:
                self.allowed_used.add((self.rel, func.name))
                continue
            self.violations.append(f"{self.rel}:{node.lineno} in {func.name}(): {ast.unparse(node.args[0])[:80]}")
        for inner in nested:
            if isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef):
                self.visit_FunctionDef(inner)

    visit_AsyncFunctionDef = visit_FunctionDef


def _bind(target: ast.AST, value: ast.AST, local: dict[str, list[ast.AST]]) -> None:
    if isinstance(target, ast.Name):
        local.setdefault(target.id, []).append(value)
    elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(target.elts) == len(value.elts):
        for t, v in zip(target.elts, value.elts, strict=True):
            _bind(t, v, local)
    elif isinstance(target, ast.Tuple):
        for t in target.elts:
            if isinstance(t, ast.Name):
                local.setdefault(t.id, []).append(ast.Name(id="<unknown>"))


def sql_violations() -> tuple[list[str], set[tuple[str, str]]]:
    violations, allowed_used = [], set()
    for path, tree in sources():
        scan = _SqlScan(path.relative_to(ROOT).as_posix(), constant_module_names(tree) | CONSTANT_NAMES)
        scan.visit(tree)
        violations += scan.violations
        allowed_used |= scan.allowed_used
    return violations, allowed_used


def test_sql_only_with_parameters():
    """Every execute() takes constant SQL text (values go in as parameters): string literals, f-strings of
    constant column lists, and concatenations of those. Anything else must be reviewed into SQL_ALLOWED."""
    violations, allowed_used = sql_violations()
    assert violations == []
    assert set(SQL_ALLOWED) == allowed_used, "a reviewed exception is gone: remove it from SQL_ALLOWED"


def test_the_sql_scan_catches_what_it_must():
    bad = textwrap.dedent(
        """
        def f(conn, name, ids):
            conn.execute(f"SELECT * FROM spans WHERE label = '{name}'")
            conn.execute("SELECT * FROM spans WHERE label = '%s'" % name)
            conn.execute("SELECT * FROM spans WHERE label = '{}'".format(name))
            conn.execute("SELECT * FROM spans WHERE label = '" + name + "'")
            sql = "DELETE FROM spans WHERE id = " + str(ids)
            conn.execute(sql)
            conn.execute("SELECT 1 WHERE ? = ?", (name, name))
        """
    )
    tree = ast.parse(bad)
    func = tree.body[0]
    local = {"sql": [func.body[4].value]}
    calls = [n for n in ast.walk(func) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "execute"]
    verdicts = [is_safe_sql(c.args[0], local, CONSTANT_NAMES, set()) for c in calls]
    assert verdicts == [False, False, False, False, False, True]


def test_no_widget_is_told_to_render_rich_text_or_follow_links():
    """The UI never switches a widget into rich text or link following except where it escapes (ui/text.py)."""
    flagged = []
    for path, tree in sources():
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"setHtml", "insertHtml", "appendHtml", "setOpenExternalLinks"}):
                flagged.append(f"{rel}:{node.lineno} {node.func.attr}")
            if isinstance(node, ast.Attribute) and node.attr == "RichText":
                flagged.append(f"{rel}:{node.lineno} RichText")
    assert flagged == []


def test_figures():
    report("security", sql_allowed=len(SQL_ALLOWED))
