"""gc.freeze is process-wide: the report and the suggestions' retrain each hold it, and one letting go must not thaw
what the other still holds."""

from __future__ import annotations

import gc

from annotator import gcpause


def test_the_last_holder_gives_the_objects_back():
    assert gcpause.holders() == 0
    gc.unfreeze()
    gcpause.hold()  # the window's long hold (suggestions)
    frozen = gc.get_freeze_count()
    assert frozen > 0
    with gcpause.held():  # a report starts and ends meanwhile
        assert gc.get_freeze_count() >= frozen
    assert gc.get_freeze_count() >= frozen  # still frozen: the first hold stands
    gcpause.release()
    assert gc.get_freeze_count() == 0 and gcpause.holders() == 0
    gcpause.release()  # one too many: nothing happens
    assert gcpause.holders() == 0
