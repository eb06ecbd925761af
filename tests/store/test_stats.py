"""``annotator stats`` reads a project's counts without a Project (store/stats.py): the same figures as
``Project.stats``, the statuses of the model, and without importing what editing needs."""

import subprocess
import sys

from annotator.core.model import STATUSES, IncomingDocument, IncomingSpan, Label
from annotator.store import Project, stats


def test_the_statuses_are_the_models() -> None:
    assert stats.STATUSES == STATUSES


def test_read_gives_project_stats_and_the_label_names(tmp_path) -> None:
    path = tmp_path / "p.sqlite"
    threats = [IncomingSpan(0, 2, "threat"), IncomingSpan(3, 7, "threat")]
    docs = [IncomingDocument("We will act 😀 now.", "a", spans=threats),
            IncomingDocument("Stop it.\r\nPlease.", "b", spans=[IncomingSpan(0, 4, "call_to_action")])]
    with Project.open(path, create=True, user="kim", populate=docs) as project:
        project.set_status(project.documents()[0].id, "done")
        project.set_codebook([*project.labels(), Label("unused", "Never used ü", "", "#123456", "")])
        expected = project.stats()
        names = {lb.key: lb.name for lb in project.labels()}
    found, found_names = stats.read(path)
    assert found == expected and found_names == names
    assert found["status"]["done"] == 1 and found["labels"]["threat"] == 2 and found["labels"]["unused"] == 0
    assert list(found["labels"]) == list(names)  # codebook order


def test_the_command_imports_neither_project_nor_the_agreement_figures(tmp_path) -> None:
    path = tmp_path / "p.sqlite"
    with Project.open(path, create=True, user="kim"):
        pass
    code = ("import sys, runpy; sys.argv = ['annotator', 'stats', sys.argv[1]]\n"
            "try:\n    runpy.run_module('annotator', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m in ('annotator.store.project', 'annotator.core.agreement.tally',"
            " 'annotator.store.backups')))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
