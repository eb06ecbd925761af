"""The codebook: the project's labels, their shortcuts, colours and meanings (DESIGN.md §2.3)."""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterable
from typing import Any

import orjson

from annotator.core.json_kind import json_kind
from annotator.core.model import Label
from annotator.errors import FormatError

#: Okabe–Ito colours, distinct for the common colour-vision deficiencies, in the order new labels take them
PALETTE: tuple[str, ...] = (
    "#d55e00",  # vermillion
    "#0072b2",  # blue
    "#009e73",  # bluish green
    "#cc79a7",  # reddish purple
    "#e69f00",  # orange
    "#56b4e9",  # sky blue
    "#f0e442",  # yellow
    "#000000",  # black
    "#999999",  # grey
)

DEFAULT_LABELS: tuple[Label, ...] = (
    Label(
        "threat",
        "Threat",
        "1",
        PALETTE[0],
        "a statement that something endangers, or an actor menaces, security or interests",
    ),
    Label("commitment", "Commitment", "2", PALETTE[1], "a pledge by the speaker to act or to maintain a position"),
    Label(
        "call_to_action",
        "Call to action",
        "3",
        PALETTE[2],
        "a demand or appeal that someone else act or cease acting",
    ),
)

SHORTCUTS = tuple("123456789")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
CODEBOOK_FORMAT = "annotator-codebook"
#: a codebook file larger than this is refused before it is read (a few hundred labels take a few kilobytes)
MAX_CODEBOOK_BYTES = 16 * 2**20


def label_problems(labels: Iterable[Label]) -> list[str]:
    """Every reason this list of labels is not a valid codebook (empty list if it is)."""
    problems: list[str] = []
    keys: set[str] = set()
    shortcuts: dict[str, str] = {}
    for i, label in enumerate(labels, 1):
        where = f"label {i} ({label.key!r})"
        if not isinstance(label.key, str) or not label.key.strip():
            problems.append(f"label {i}: the key must be a non-empty string")
        elif label.key in keys:
            problems.append(f"{where}: the key is used twice")
        keys.add(label.key)
        if not isinstance(label.name, str) or not label.name.strip():
            problems.append(f"{where}: the name must be a non-empty string")
        if label.shortcut:
            if label.shortcut not in SHORTCUTS:
                problems.append(f"{where}: the shortcut must be one of 1-9, not {label.shortcut!r}")
            elif label.shortcut in shortcuts:
                problems.append(f"{where}: shortcut {label.shortcut} is already used by {shortcuts[label.shortcut]!r}")
            else:
                shortcuts[label.shortcut] = label.key
        if not isinstance(label.color, str) or not _COLOR.match(label.color):
            problems.append(f"{where}: the colour must look like #rrggbb, not {label.color!r}")
        if not isinstance(label.description, str):
            problems.append(f"{where}: the description must be a string")
    return problems


def free_shortcut(labels: Iterable[Label]) -> str:
    used = {label.shortcut for label in labels}
    return next((s for s in SHORTCUTS if s not in used), "")


def name_problems(labels: Iterable[Label]) -> list[str]:
    """Two labels whose names differ only in case or spacing ("Threat", "threat ") cannot be told apart in the
    labels bar, the reports or an export's label list: one problem per name used again."""
    problems: list[str] = []
    first: dict[str, str] = {}
    for label in labels:
        if not isinstance(label.name, str) or not label.name.strip():
            continue  # reported by label_problems
        folded = fold_name(label.name)
        if folded in first:
            problems.append(
                f"the name {label.name.strip()!r} is used twice (as {first[folded]!r}); names are "
                "compared ignoring case, so give each label a name of its own"
            )
        else:
            first[folded] = label.name.strip()
    return problems


def key_for_name(name: str, taken: Iterable[str] = ()) -> str:
    """The key of a new label named ``name``: lower case, runs of anything but letters and digits as one ``_``
    ("Call to action" -> ``call_to_action``, "Menace à la paix" -> ``menace_à_la_paix``), ``label`` when nothing
    is left; ``_2``, ``_3``, … after it while it is one of ``taken``."""
    base = re.sub(r"\W+", "_", name.strip().lower()).strip("_") or "label"
    taken = set(taken)
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def label_named(labels: Iterable[Label], given: str) -> str:
    """The key of the label a command's ``--label`` names: its key, or its name as the window shows it (case and
    runs of spaces aside: ``--label Threat`` and ``--label threat`` both mean ``threat``). Raises
    :class:`FormatError` naming the codebook's labels when none matches."""
    labels = list(labels)
    for label in labels:
        if label.key == given:
            return label.key
    for label in labels:
        if fold_name(label.name) == fold_name(given):
            return label.key
    known = ", ".join(f"{lb.key} ({lb.name})" if lb.name != lb.key else lb.key for lb in labels)
    raise FormatError(f"no label {given!r} in the codebook; give a key or a name: {known or 'it has none'}")


def fold_name(name: str) -> str:
    """A label name as :func:`name_problems` compares it: case folded, runs of spaces as one."""
    return " ".join(name.split()).casefold()


def next_color(labels: Iterable[Label]) -> str:
    """The colour of a label added after ``labels``: the first palette colour none of them uses, then the colour
    of :func:`extra_colors` farthest (in CIELAB) from every colour in use, so a codebook of many labels keeps them
    apart (the 10th label on took the first palette colour again). Deterministic: the same labels, the same
    colour."""
    used = {label.color.lower() for label in labels if isinstance(label.color, str) and _COLOR.match(label.color)}
    free = next((c for c in PALETTE if c not in used), None)
    if free is not None:
        return free
    taken = [_lab(c) for c in sorted(used)]
    best, distance = EXTRA_COLORS[0], -1.0
    for candidate in EXTRA_COLORS:  # the first of equally distant ones wins
        d = min(_distance(_lab(candidate), t) for t in taken)
        if d > distance:
            best, distance = candidate, d
    return best


def extra_colors() -> tuple[str, ...]:
    """Colours beyond :data:`PALETTE`, for :func:`next_color` to choose from: 24 hues at three lightnesses and two
    saturations, none so light or dark that a tint of it on the text, or its underline, would not show."""
    out: list[str] = []
    for lightness in (0.45, 0.32, 0.6):
        for saturation in (0.75, 0.45):
            for step in range(24):
                r, g, b = colorsys.hls_to_rgb(step / 24, lightness, saturation)
                out.append(f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}")
    return tuple(dict.fromkeys(out))


EXTRA_COLORS = extra_colors()


def _lab(color: str) -> tuple[float, float, float]:
    """A ``#rrggbb`` colour in CIELAB (D65)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(color[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    fx, fy, fz = f(x), f(y), f(z)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _distance(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    return sum((p - q) ** 2 for p, q in zip(a, b, strict=True)) ** 0.5


def color_lab(color: str) -> tuple[float, float, float]:
    """A ``#rrggbb`` colour in CIELAB, where the distance between two colours is how far apart they look (ΔE76:
    about 2 is just noticeable; Okabe–Ito's blue and sky blue are 26 apart, its blue and vermillion 115)."""
    return _lab(color)


def codebook_to_json(labels: Iterable[Label], variables: Iterable[Any] = (), cues: Any = None) -> bytes:
    """The codebook as JSON, with the project's document variables (``core.variables.Variable``) so a team shares
    one set (DESIGN.md §2.6), and each label's cue patterns when ``cues`` (label key -> cues) is given (issue 13)."""
    from annotator.core.suggest.cues import cues_to_items

    data: dict[str, Any] = {
        "format": CODEBOOK_FORMAT,
        "version": 1,
        "labels": [
            {
                "key": lb.key,
                "name": lb.name,
                "shortcut": lb.shortcut,
                "color": lb.color,
                "description": lb.description,
                **({"cues": cues_to_items(cues[lb.key])} if cues is not None and lb.key in cues else {}),
            }
            for lb in labels
        ],
    }
    data["variables"] = [{"name": v.name, "type": v.type} for v in variables]
    return orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n"


def codebook_from_json(data: bytes) -> list[Label]:
    """Read a codebook exported by :func:`codebook_to_json`; every problem is reported at once."""
    try:
        doc: Any = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise FormatError(f"not a codebook: the file is not valid JSON ({exc})") from None
    items = doc["labels"] if isinstance(doc, dict) and "labels" in doc else doc
    if not isinstance(items, list) or not items:
        raise FormatError("not a codebook: expected a JSON object with a non-empty list 'labels'")
    labels: list[Label] = []
    problems: list[str] = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            problems.append(f"label {i}: expected an object, got {json_kind(item)}")
            continue
        unknown = set(item) - {"key", "name", "shortcut", "color", "description", "cues"}
        if unknown:
            problems.append(f"label {i}: unknown field(s) {', '.join(sorted(unknown))}")
        key = item.get("key")
        name = item.get("name", key)
        shortcut = item.get("shortcut") or ""
        labels.append(
            Label(
                key=key if isinstance(key, str) else "",
                name=name if isinstance(name, str) else "",
                shortcut=str(shortcut) if isinstance(shortcut, (str, int)) else "?",
                color=item.get("color", "#888888"),
                description=item.get("description", ""),
            )
        )
    problems.extend(label_problems(labels))
    problems.extend(_cue_problems(items))
    if problems:
        raise FormatError("the codebook is invalid; nothing was changed", problems)
    return labels


def cues_from_json(data: bytes) -> dict[str, list[Any]]:
    """The cue patterns of a codebook file read by :func:`codebook_from_json` (label key -> cues); a label without
    ``cues`` (every codebook before issue 13) is left out."""
    from annotator.core.suggest.cues import cues_from_items

    codebook_from_json(data)  # every problem, cues included, is reported there
    doc: Any = orjson.loads(data)
    items = doc["labels"] if isinstance(doc, dict) else doc
    return {item["key"]: cues_from_items(item["key"], item["cues"])[0] for item in items if "cues" in item}


def _cue_problems(items: list[Any]) -> list[str]:
    from annotator.core.suggest.cues import cue_problems, cues_from_items

    problems: list[str] = []
    found = {}
    for item in items:
        if isinstance(item, dict) and "cues" in item:
            key = str(item.get("key"))
            cues, bad = cues_from_items(key, item["cues"])
            problems.extend(bad)
            found[key] = cues
    return problems + cue_problems(found)
