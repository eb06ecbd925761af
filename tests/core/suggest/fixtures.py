"""Small labelled fixtures on the sample statements, for the suggestion tests (spans found by their phrases)."""

from __future__ import annotations

from pathlib import Path

from annotator.core.suggest.suggester import TrainingDoc

ROOT = Path(__file__).resolve().parents[3]
SAMPLE_1 = (ROOT / "sample_docs/2023-10-26-joint-statement-dprk-russia-arms-transfers.txt").read_text(encoding="utf-8")
SAMPLE_2 = (ROOT / "sample_docs/2023-12-21-joint-statement-dprk-ballistic-missile-launches.txt").read_text(
    encoding="utf-8")
LABELS = ["threat", "commitment", "call_to_action"]

PHRASES_1 = [
    ("strongly condemn the provision of military equipment and munitions", "threat"),
    ("will significantly increase the human toll of Russia’s war of aggression", "threat"),
    ("We will continue to work together with the international community", "commitment"),
    ("we remain resolved to support Ukraine’s sovereignty", "commitment"),
    ("would violate multiple UN Security Council resolutions", "threat"),
    ("Such transfers would jeopardize the ongoing efforts of the international community", "threat"),
    ("stand together, resolute in our opposition to arms transfers", "commitment"),
    ("We urge the DPRK and Russia to abide by relevant UN Security Council resolutions", "call_to_action"),
]


def spans_of(text: str, phrases: list[tuple[str, str]]) -> tuple[tuple[int, int, str], ...]:
    out = []
    for phrase, label in phrases:
        start = text.index(phrase)
        out.append((start, start + len(phrase), label))
    return tuple(sorted(out))


def sample_docs(done_first: bool = True) -> list[TrainingDoc]:
    return [TrainingDoc(1, SAMPLE_1, spans_of(SAMPLE_1, PHRASES_1), done_first), TrainingDoc(2, SAMPLE_2, (), False)]
