"""The window starts without the plotting stack: pyqtgraph and numpy cost 1.3-1.6 s of a 3 s start here (the GUI
start target is 1 s, DESIGN.md §5); they load when a chart is first shown."""

from __future__ import annotations

import subprocess
import sys


def test_the_main_window_imports_no_charts():
    code = ("import sys; import annotator.ui.mainwindow; "
            "print(','.join(m for m in ('pyqtgraph', 'numpy', 'sklearn', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""
