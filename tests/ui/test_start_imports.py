"""The window starts without the plotting stack: pyqtgraph and numpy cost 1.3-1.6 s of a 3 s start here (the GUI
start target is 1 s, DESIGN.md §5); they load when a chart is first shown."""

from __future__ import annotations

import subprocess
import sys


def loaded_with(module: str) -> str:
    """Which of the plotting stack's libraries importing ``module`` loads (in a fresh interpreter)."""
    code = (f"import sys; import {module}; "
            "print(','.join(m for m in ('pyqtgraph', 'numpy', 'sklearn', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_the_main_window_imports_no_charts():
    assert loaded_with("annotator.ui.mainwindow") == ""


def test_the_agreement_report_loads_no_plotting_library():
    """Its chart is drawn with QPainter: loading pyqtgraph and numpy for it took 0.56 s of imports in the report's
    thread, each module's code holding the GIL against the window's (a 51 ms stall at 100 000 statements, the
    report's first time; issue #14). The corpus window's charts still load them."""
    assert loaded_with("annotator.ui.review.report") == ""
    assert "pyqtgraph" in loaded_with("annotator.ui.charts")
