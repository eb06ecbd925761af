"""NEAR in a long statement: marked a piece at a time like phrases (``store/search.py``'s ``_long_regions``), not by
one ``highlight()`` whose cost grows with hits × length, and with exactly the marks that one ``highlight()`` gives --
near pairs across the pieces' ends, distances 0 to 50, groups of two and three phrases, phrases of several words,
prefixes, NEAR beside OR/AND/NOT, a group that holds nowhere; words of no token (a dash) between, which a reach
counted in words rather than tokens cut short."""

from __future__ import annotations

import random
import sqlite3
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.model import IncomingDocument
from annotator.core.search import hits as core_hits
from annotator.core.search.query import parse
from annotator.store import Project, search, search_index
from tests.store.test_search_many_hits import cpu_seconds

_SYLLABLES = ("ka", "lor", "mi", "ren", "tas", "vo", "pel", "dun", "sor", "gi", "ban", "nu", "tre", "fal", "qui")
#: words of no token, of several, and with diacritics, among the pseudo-words
_ODD = ("—", "-", "...", "U.S.-Japan", "2024", "Évian", "l'état", "(see", "below)", "¶")


@pytest.fixture
def project(tmp_path):
    p = Project.open(tmp_path / "p.sqlite", create=True, user="tester")
    yield p
    p.close()


def _piece_ends(text: str) -> list[int]:
    """Where the pieces of ``text`` end (but the last), as the search cuts it."""
    ends, start = [], 0
    while start < len(text):
        start = search._piece_end(text, start)
        ends.append(start)
    return ends[:-1]


class _Statement:
    """About 330 kB of pseudo-words (and some of no token, or of several) with near and far pairs of planted words,
    many across the ends of the pieces the search cuts it into. Planted words overwrite a pseudo-word (padded with
    dots) so that no space moves and the pieces end where they ended."""

    def __init__(self, seed: int = 11, size: int = 34_000) -> None:
        rng = random.Random(seed)
        vocab = ["".join(rng.choices(_SYLLABLES, k=rng.randint(3, 4))) for _ in range(400)]
        self.slots = [rng.choice(_ODD) if rng.random() < 0.07 else rng.choice(vocab) + rng.choice(("", "", "", ","))
                      for _ in range(size)]
        seps = rng.choices((" ", " ", " ", "\n", "  "), k=size)
        self.starts, at = [], 0
        for slot, sep in zip(self.slots, seps, strict=True):
            self.starts.append(at)
            at += len(slot) + len(sep)
        self.seps = seps
        self.normal = [k for k, s in enumerate(self.slots) if s not in _ODD]  # slots a planted word may take
        self.ends = _piece_ends(self.text)
        for _ in range(400):  # scattered: repeated phrases, pairs near and far
            k = rng.randrange(len(self.normal) - 80)
            gap = rng.choice((1, 2, 3, 6, 11, 30, 60))
            first, second = rng.choice((("alpha", "omega"), ("omega", "alpha"), ("alpha", "delta"), ("alpha", "alpha"),
                                        ("iron", "fist"), ("kim", "un"), ("sancta", "alpha")))
            self.put(k, first)
            self.put(k + gap, second)
            if rng.random() < 0.3:
                for j, word in enumerate(("kim", "jong", "un")):
                    self.put(k + 20 + j, word)
        self.across: list[tuple[int, int]] = []  # (alpha, omega) planted 1-4 words apart across a piece's end
        for i, end in enumerate(self.ends):
            k = max(j for j, slot in enumerate(self.normal) if self.starts[slot] < end)  # the last word before it
            plants = (((0, "alpha"), (i // 6 % 4 + 1, "omega")), ((0, "omega"), (2, "alpha")),
                      ((-1, "iron"), (0, "fist"), (2, "kim"), (3, "jong"), (4, "un")),
                      ((0, "alpha"), (12, "omega")), ((0, "alpha"), (3, "delta"), (5, "omega")),
                      ((0, rng.choice(("sanctum", "sancta"))), (4, "alpha")))[i % 6]
            at = [self.put(k + offset, word) for offset, word in plants]
            if i % 6 == 0:
                self.across.append((at[0], at[1]))

    @property
    def text(self) -> str:
        return "".join(s + sep for s, sep in zip(self.slots, self.seps, strict=True))

    def put(self, at: int, word: str) -> int:
        """Overwrite the ``at``-th plantable word with ``word`` (dots after it to the same length); its offset."""
        k = self.normal[at]
        assert len(self.slots[k]) >= len(word)
        self.slots[k] = word + "." * (len(self.slots[k]) - len(word))
        return self.starts[k]


@pytest.fixture(scope="module")
def statement(tmp_path_factory):
    made = _Statement()
    text = made.text
    assert 300_000 < len(text) < 400_000 and len(made.ends) >= 18
    assert _piece_ends(text) == made.ends  # planting moved no space
    p = Project.open(tmp_path_factory.mktemp("near") / "p.sqlite", create=True, user="tester")
    doc_id = p.import_documents([IncomingDocument("A short one: alpha and omega.", "short"),
                                 IncomingDocument(text, "long", note="delta zeta")])["doc_ids"][1]
    yield p, doc_id, made
    p.close()


def _whole(conn: sqlite3.Connection, query, doc_id: int, text: str) -> list[tuple[int, int]]:
    """The regions one ``highlight()`` over the whole text marks (what a long statement cost before)."""
    opener, closer = core_hits.free_markers(text)
    found = conn.execute("SELECT highlight(search_fts, 1, ?, ?) FROM search_fts WHERE search_fts MATCH ? AND rowid = ?",
                         (opener, closer, query.fts, doc_id)).fetchone()
    if found is None:
        return []
    assert core_hits.unmark(found[0], opener, closer) == text
    return core_hits.marked_regions(found[0], opener, closer)


class _Spy:
    """What marked the long statements: the length of each piece, and how many ``highlight()`` over a whole one."""

    def __init__(self) -> None:
        self.pieces: list[int] = []
        self.whole = 0


@contextmanager
def _watched():
    spy, mark, run = _Spy(), search_index.Scratch.mark, search._run

    def marking(scratch, text, match, opener, closer):
        spy.pieces.append(len(text))
        return mark(scratch, text, match, opener, closer)

    def running(conn, sql, params, cancelled=None):
        spy.whole += sql.startswith("SELECT highlight(")
        return run(conn, sql, params, cancelled)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search_index.Scratch, "mark", marking)
        mp.setattr(search, "_run", running)
        yield spy


def _searched(conn: sqlite3.Connection, query, doc_id: int) -> list[tuple[int, int]]:
    return [(h.start, h.end) for h in search.search_all(conn, query)
            if h.doc_id == doc_id and h.field == core_hits.TEXT]


QUERIES = (
    "NEAR(alpha omega, 0)",
    "NEAR(alpha omega, 1)",
    "NEAR(alpha omega, 5)",
    "NEAR(alpha omega)",
    "NEAR (alpha omega, 50)",
    "NEAR(alpha delta omega, 10)",
    'NEAR("iron fist" "kim jong un", 5)',
    "NEAR(sanct* alpha, 5)",
    'NEAR("kim jo"* omega, 8)',
    "NEAR(iron + fist alpha, 20)",
    "NEAR(alpha alpha, 3)",
    "NEAR(kim un, 1)",
    'NEAR(alpha omega, 2) OR "iron fist"',
    "NEAR(alpha omega, 5) AND delta",
    "(NEAR(alpha omega, 1) OR kim) AND NEAR(iron fist, 0)",
    "NEAR(alpha omega, 10) NOT zyzzyva",
    "NEAR(alpha zyzzyva, 5) OR delta",  # a group that holds nowhere (a word of none) beside one that holds
    "NEAR(zeta alpha, 3) OR NEAR(delta omega, 2)",  # one whose words are all there, never near (zeta: in the memo)
)


@pytest.mark.parametrize("text", QUERIES)
def test_near_marks_a_long_statement_in_pieces_as_one_highlight_marks_it(statement, text):
    project, doc_id, made = statement
    value = made.text
    query = parse(text)
    with _watched() as spy:
        found = _searched(project.conn, query, doc_id)
    assert found == _whole(project.conn, query, doc_id, value)
    assert found, "the query finds something to compare"
    assert spy.whole == 0, "marked by one highlight() over the whole statement"
    assert spy.pieces and max(spy.pieces) < 2 * search.PIECE


def test_the_groups_that_should_not_hold_do_not_and_pairs_across_the_ends_are_found(statement):
    project, doc_id, made = statement
    for text in ("NEAR(zeta alpha, 3)", "NEAR(alpha zyzzyva, 5)"):  # the test's premises
        assert _whole(project.conn, parse(text), doc_id, made.text) == []
    with _watched() as spy:
        far = _searched(project.conn, parse("NEAR(alpha omega, 50)"), doc_id)
        near = _searched(project.conn, parse("NEAR(alpha omega, 0)"), doc_id)
    starts = {s for s, _ in far}
    assert len(made.across) >= 3 and all(a in starts and o in starts for a, o in made.across)  # across the ends
    assert len(near) < len(far) and spy.whole == 0


@pytest.mark.parametrize("text", ['"iron fist"', "NEAR(iron fist, 0)", "NEAR(iron fist missile, 3)"])
def test_a_match_across_a_pieces_end_with_words_of_no_token_between_is_found(project, text):
    """FTS5 skips what is no token ("iron — — — fist" holds the phrase "iron fist"): a piece reaching as many
    words (split at spaces) into the next as the phrase has stopped at the dashes and lost the hit."""
    iron = search.PIECE - 5  # where "iron" starts: its space is the last a first piece may end at
    head = ("lorem " * (iron // 6 - 1)).ljust(iron - 1, "x") + " "
    text_ = head + "iron — — — fist missile " + "ipsum " * 4000
    assert search._piece_end(text_, 0) == iron + 4
    doc_id = project.import_documents([IncomingDocument(text_, "long")])["doc_ids"][0]
    query = parse(text)
    with _watched() as spy:
        found = _searched(project.conn, query, doc_id)
    assert found == _whole(project.conn, query, doc_id, text_) != []
    assert spy.whole == 0


SENTENCE = "We continue to coordinate closely with allies. "


def test_the_time_grows_with_the_near_hits_in_one_statement_not_their_square(project):
    n = 5_000
    project.import_documents([IncomingDocument("shorter " + SENTENCE * n, "short"),
                              IncomingDocument("longer " + SENTENCE * 4 * n, "long")])
    short, long_ = (parse(f"NEAR(coordinate allies, 3) {word}") for word in ("shorter", "longer"))
    with _watched() as spy:  # the work: each piece about PIECE characters, the statement marked about once
        assert sum(len(b) for b in search.rows(project.conn, long_)) == 8 * n + 1
    assert spy.whole == 0 and max(spy.pieces) < search.PIECE + 200
    assert sum(spy.pieces) < 1.05 * len(SENTENCE * 4 * n)
    # one highlight() took 16 times as long for 4 times the hits (0.086 s, 1.37 s of CPU); in pieces 2.6 (0.04, 0.11)
    ratio = cpu_seconds(project, long_) / cpu_seconds(project, short)
    assert ratio < 8, f"4 times the hits took {ratio:.1f} times as long"


def test_a_long_distance_makes_longer_pieces_not_a_piece_per_reach(project):
    """A NEAR group of distance 5 000 reaches 5 000 tokens into the next piece: the pieces grow with it, so that a
    statement is still marked about once over, not its reach at every 16 000 characters."""
    text = "alpha " + "filler words here " * 20_000 + "omega"
    doc_id = project.import_documents([IncomingDocument(text, "long")])["doc_ids"][0]
    query = parse("NEAR(alpha omega, 5000) OR filler")
    with _watched() as spy:
        found = _searched(project.conn, query, doc_id)
    assert found == _whole(project.conn, query, doc_id, text)
    assert spy.whole == 0 and sum(spy.pieces) < 1.6 * len(text)  # pieces of 16 384: 2.8 times


# -- any word stream: the pieces mark what one highlight() marks -----------------------------------------------------

_WORDS = ("a", "b", "c", "ab", "Ä", "—", "x-y", "a.b", "...")
_SEPS = (" ", "  ", "\n", ", ", " - ")


@pytest.fixture(scope="module")
def one(tmp_path_factory):
    p = Project.open(tmp_path_factory.mktemp("near-any") / "p.sqlite", create=True, user="tester")
    doc_id = p.import_documents([IncomingDocument("seed", "t")])["doc_ids"][0]
    yield p, doc_id
    p.close()


def _phrase(words: list[str], prefix: bool) -> str:
    return (f'"{" ".join(words)}"' if len(words) > 1 else words[0]) + ("*" if prefix else "")


_PHRASES = st.builds(_phrase, st.lists(st.sampled_from(("a", "b", "c", "ab", "x", "ä")), min_size=1, max_size=2),
                     st.booleans())
_GROUPS = st.builds(lambda phrases, n: f"NEAR({' '.join(phrases)}, {n})",
                    st.lists(_PHRASES, min_size=2, max_size=3), st.integers(0, 6))
_QUERIES = st.builds(lambda group, form, word: form.format(near=group, w=word), _GROUPS,
                     st.sampled_from(("{near}", "{near} OR {w}", "{near} AND {w}", "{near} NOT {w}", "{w} OR {near}",
                                      "({near} OR {w}) AND b", "b {near}")),
                     st.sampled_from(("a", "c", "x", '"a b"')))


@settings(max_examples=100, deadline=None)
@given(words=st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPS)), min_size=30, max_size=160),
       text=_QUERIES, piece=st.integers(24, 60))
def test_any_word_stream_and_near_query_marks_in_pieces_as_one_highlight(one, words, text, piece):
    project, doc_id = one
    value = "".join(w + s for w, s in words)
    with project.conn:
        search_index.forget(project.conn, [doc_id])
        project.conn.execute("UPDATE documents SET text = ? WHERE id = ?", (value, doc_id))
        search_index.remember(project.conn, [doc_id])
    query = parse(text)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search, "LONG", 20)
        mp.setattr(search, "PIECE", piece)
        with _watched() as spy:
            found = _searched(project.conn, query, doc_id)
    assert found == _whole(project.conn, query, doc_id, value)
    group = text[text.index("NEAR(") : text.index(")", text.index("NEAR("))]
    if found and '"' not in group:  # a group of one-word phrases, none in the title: never a case to mark whole
        assert spy.whole == 0 and spy.pieces


#: blocks of ideographs and syllables (96 000 code points of one category each), sampled
_IDEOGRAPHS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0x20000, 0x323AF))


def test_the_token_counts_lean_on_what_fts5_surely_does():
    """The reach counts a text's tokens at least and a phrase's at most, on what this SQLite's tokenizer surely
    keeps in a token (letters and digits, less 21 it takes for marks) and surely ends one at (spaces, ASCII other
    than letters and digits): checked here against the tokenizer itself, character by character."""
    import unicodedata

    from annotator.core.search import reach

    scratch = search_index.Scratch()
    conn = scratch.conn
    conn.execute("CREATE VIRTUAL TABLE vocab USING fts5vocab(piece, instance)")
    sure = [c for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000 and reach.SURE.match(chr(c))
            and (c % 61 == 0 or not any(a <= c <= b for a, b in _IDEOGRAPHS))]  # a sample of those of one kind
    ends = [c for c in range(0x110000) if not 0xD800 <= c < 0xE000
            and ((c < 0x80 and not chr(c).isalnum()) or chr(c).isspace())]
    rows = [(c, f"x{chr(c)}x") for c in (*sure, *ends) if c]
    conn.executemany("INSERT INTO piece(rowid, text) VALUES (?, ?)", rows)
    tokens = dict(conn.execute("SELECT doc, count(*) FROM vocab GROUP BY doc"))
    assert [hex(c) for c in sure if tokens.get(c) != 1] == []  # one token: x, the letter, x
    assert [hex(c) for c in ends if c and tokens.get(c) != 2] == []  # two: x and x
    assert all(unicodedata.category(chr(c))[0] in "LN" for c in sure[:: 97])
    conn.execute("DELETE FROM piece")
    samples = ("U.S.-Japan", "e\u0301vian l'état", "日本語 テスト", "a — — b ¶ c", "x\u0305y \u19b0z ᦰ", "¶ 2024 ½ ⅷ",
               "a\u2e42b c\u0600d \U0001f600 e")
    cases = [(sample, k) for sample in samples for k in (1, 2, 3)]
    reached = [sample[: reach.reach_end(sample, 0, k)] for sample, k in cases]
    conn.executemany("INSERT INTO piece(rowid, text) VALUES (?, ?)", enumerate((*samples, *reached), start=1))
    counted = dict(conn.execute("SELECT doc, count(*) FROM vocab GROUP BY doc"))
    for i, sample in enumerate(samples, start=1):
        assert reach.most_tokens(sample) >= counted.get(i, 0), sample  # a phrase's: at most
    for j, ((sample, k), part) in enumerate(zip(cases, reached, strict=True), start=len(samples) + 1):
        assert part == sample or counted.get(j, 0) >= k, (part, k)  # a text's: at least
    assert reach.reach_end("a — — — b c", 1, 1) == len("a — — — b")
