"""The core (core/, store/, formats/, cli.py, paths.py) never imports Qt (DESIGN.md §4)."""

import ast
import subprocess
import sys
from pathlib import Path

import annotator

PACKAGE = Path(annotator.__file__).parent
CORE = [*PACKAGE.glob("core/*.py"), *PACKAGE.glob("core/*/*.py"), *PACKAGE.glob("commands/*.py"),
        *PACKAGE.glob("store/*.py"), *PACKAGE.glob("formats/*.py"),
        PACKAGE / "cli.py", PACKAGE / "paths.py", PACKAGE / "errors.py"]


def test_core_sources_do_not_mention_qt():
    offenders = []
    for path in CORE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top_level = set(map(id, tree.body))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            # cli.py may import the GUI lazily, inside the function that starts it; nothing may at module level
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in ("PySide6", "shiboken6")
                          or (n.startswith("annotator.ui") and id(node) in top_level)]
    assert offenders == []


def test_importing_the_core_and_running_subcommands_loads_no_qt(tmp_path):
    modules = sorted(
        "annotator." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in CORE if p.name != "__init__.py"
    )
    code = (
        "import sys\n"
        f"for m in {modules!r}: __import__(m)\n"
        "from annotator.cli import main\n"
        f"main(['import', {str(tmp_path / 'p.sqlite')!r}, {str(PACKAGE.parent / 'sample_docs')!r}])\n"
        f"main(['stats', {str(tmp_path / 'p.sqlite')!r}])\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'annotator.ui'))]\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
