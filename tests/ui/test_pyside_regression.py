"""DESIGN.md §7: PySide6 6.12.0 on Python < 3.12 drops a reference to None on every call of a method that returns
nothing and aborts the interpreter after a few thousand calls. We pin around it; this keeps the pin honest."""

import subprocess
import sys

CODE = """
from PySide6.QtGui import QTextDocument, QTextCursor
doc = QTextDocument()
doc.setPlainText("x" * 1000)
cursor = QTextCursor(doc)
for i in range(100_000):
    cursor.setPosition(i % 1000)
print("ok")
"""


def test_many_void_calls_do_not_abort_the_interpreter():
    result = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"
