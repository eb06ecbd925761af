"""``Arrived.gone``: the statements a corpus batch covered that hold no suggestions now -- looked up by id over the
batch's run of ids, or by going through the known ones, whichever is shorter -- is exactly the definition."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotator.ui.suggest.worker import Arrived


def _defined(arrived: Arrived, known: dict[int, object]) -> set[int]:
    if arrived.asked is not None:
        return {d for d in arrived.asked if d in known and d not in arrived.docs}
    return {d for d in known if arrived.after < d and (not arrived.more or d <= arrived.last)
            and d not in arrived.docs}


@given(known=st.sets(st.integers(1, 3000), max_size=60), docs=st.sets(st.integers(1, 3000), max_size=30),
       after=st.integers(0, 3000), span=st.integers(0, 3000), more=st.booleans(),
       asked=st.none() | st.sets(st.integers(1, 3000), max_size=10))
def test_gone_is_the_covered_known_statements_without_suggestions(known, docs, after, span, more, asked):
    arrived = Arrived({d: ("", ()) for d in docs}, {}, after + span, more, "v",
                      asked=None if asked is None else tuple(sorted(asked)), after=after)
    known_map = dict.fromkeys(known, ())
    found = arrived.gone(known_map)
    assert set(found) == _defined(arrived, known_map)
    assert len(found) == len(set(found))


def test_a_batch_late_in_a_large_corpus_looks_only_at_its_own_ids():
    known = dict.fromkeys(range(1, 100_001), ())
    arrived = Arrived({d: ("", ()) for d in range(50_001, 50_101, 2)}, {}, 50_100, True, "v", after=50_000)
    assert arrived.gone(known) == list(range(50_002, 50_101, 2))
