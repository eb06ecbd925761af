"""The Corpus window follows the project with a timer (``ui/corpus/follow.py``); the project closed under it (the
main window closing as the app quits, a test's teardown) made every tick raise "Cannot operate on a closed
database" in the event loop (seen as a flaky teardown error of a chart test). It stops following instead."""

from __future__ import annotations

from tests.ui.test_tester_charts import _shown, window  # noqa: F401 - the fixture


def test_the_corpus_window_stops_following_a_project_closed_under_it(qtbot, window):  # noqa: F811
    corpus = _shown(qtbot, window, "table")
    corpus.follow.setInterval(10)
    assert corpus.follow.isActive()
    window.close()
    window.session.project.close()
    qtbot.waitUntil(lambda: not corpus.follow.isActive(), timeout=2000)  # a tick came, and raised nothing
    qtbot.wait(50)
    corpus.close()
