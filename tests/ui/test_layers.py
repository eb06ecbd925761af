"""The UI's modules depend on each other one way (issue #15, "Shape"): no import circle between any two of them,
counting imports made only for type checking or inside a function, and the statement view (``ui/statement``) is
a widget that knows nothing of the features built on it (reading settings, review, the main window)."""

from __future__ import annotations

import ast
from pathlib import Path

import annotator

UI = Path(annotator.__file__).parent / "ui"
#: the only other UI modules the statement view may use: leaves that import no other UI module
STATEMENT_MAY_USE = {"annotator.ui.palette", "annotator.ui.text"}


def _name(path: Path) -> str:
    parts = path.relative_to(UI.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _graph() -> dict[str, set[str]]:
    modules = {_name(p): p for p in UI.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # every import, at any depth
            if isinstance(node, ast.ImportFrom) and node.module:
                deps |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                         for a in node.names}
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names}
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every group of modules that import each other round a circle (Tarjan's strongly connected components)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        order[v] = low[v] = len(order)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in order:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], order[w])
        if low[v] == order[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in order:
            visit(v)
    return out


def test_the_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_two_ui_modules_import_each_other_round_a_circle():
    assert _circles(_graph()) == []


def test_the_statement_view_uses_no_feature_built_on_it():
    graph = _graph()
    outside = {
        f"{name} imports {dep}"
        for name, deps in graph.items() if name.startswith("annotator.ui.statement")
        for dep in deps if not dep.startswith("annotator.ui.statement") and dep not in STATEMENT_MAY_USE
    }
    assert outside == set()
    for leaf in STATEMENT_MAY_USE:
        assert graph[leaf] == set(), leaf
