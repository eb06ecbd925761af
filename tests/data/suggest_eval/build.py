"""Build ``statements.jsonl`` of the suggestion evaluation set (issue #13) from its sources and ``labels.txt``.

Not run by the tests; run by hand after editing ``labels.txt``:

    python tests/data/suggest_eval/build.py [--mirror GIT_DIR]

Texts: each statement is read from the White House briefing-room archive kept by the public repository
``brian14708/wh-briefings`` (markdown files, one per page of whitehouse.gov / bidenwhitehouse.archives.gov), at the
pinned commit :data:`COMMIT`, and turned back into the page's plain text by :func:`plain_text` — the only changes
undo the markdown conversion (hard-wrapped lines joined; backslash escapes, link, emphasis and inline HTML markup
removed; list bullets and the closing ``###`` dropped); no word is added, removed or changed. Without ``--mirror``
(a bare git directory of that repository) the texts already in ``statements.jsonl`` are reused, so the spans can be
rebuilt anywhere. ``sample_docs/...`` blocks take the text of that file of this repository (:data:`LOCAL`).

Spans: ``labels.txt`` has one block per statement::

    ## FILE-STEM
    T | phrase          (Threat)
    C | phrase          (Commitment)
    A | phrase          (Call to action)
    A | phrase @2       (the second occurrence of the phrase in the text)

Each phrase is found in the text (it must occur exactly once unless ``@N`` is given) and becomes a span with
code-point offsets; the script asserts ``text[start:end] == phrase`` up to the kind of space (the texts have
no-break spaces, U+00A0 and U+202F, where the phrases in ``labels.txt`` have plain ones).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = "brian14708/wh-briefings"
COMMIT = "737ca03a271adc205c67766074ec8d0070f7ad95"
FOLDERS = ("statements-releases", "briefings-statements")
LABELS = {"T": "threat", "C": "commitment", "A": "call_to_action"}
ISSUER = "The White House"
ROOT = HERE.parents[2]
#: statements taken from this repository's own files (the app's sample statements), with where they were published
LOCAL = {
    "sample_docs/2023-10-26-joint-statement-dprk-russia-arms-transfers.txt": {
        "title": "U.S.-Japan-ROK Joint Statement Condemning DPRK-Russia Arms Transfers",
        "date": "2023-10-26",
        "issuer": "U.S. Department of State",
        "url": "https://www.pacom.mil/Media/News/Spotlight/Article/3570711/"
        "us-japan-rok-joint-statement-condemning-dprk-russia-arms-transfers/",
    },
}


def git_show(mirror: str, path: str) -> str:
    out = subprocess.run(["git", "--git-dir", mirror, "show", f"{COMMIT}:{path}"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def find_path(mirror: str, stem: str) -> str:
    out = subprocess.run(
        ["git", "--git-dir", mirror, "ls-tree", "-r", "--name-only", COMMIT, *FOLDERS],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()
    hits = [p for p in out if p.rsplit("/", 1)[-1] == f"{stem}.md"]
    if len(hits) != 1:
        raise SystemExit(f"{stem}: {len(hits)} files match")
    return hits[0]


def _unicode_escape(m: re.Match[str]) -> str:
    return chr(int(m.group(1) or m.group(2), 16))


def front_matter(md: str) -> tuple[dict[str, str], str]:
    """The YAML front matter's scalar fields (a small reader for the few shapes this archive uses) and the body."""
    if not md.startswith("---\n"):
        raise ValueError("no front matter")
    head, body = md[4:].split("\n---\n", 1)
    fields: dict[str, str] = {}
    key = None
    for line in head.split("\n"):
        m = re.match(r"^([a-z_]+):\s?(.*)$", line)
        if m:
            key = m.group(1)
            fields[key] = m.group(2)
        elif key is not None:
            fields[key] += "\n" + line
    for key, raw in fields.items():
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"'):
            raw = raw[1:-1]
            raw = re.sub(r"\\\n\s*(\\ )?", lambda m: " " if m.group(1) else "", raw)  # escaped line break
            raw = re.sub(r"\s*\n\s*", " ", raw)  # folded line break
            raw = raw.replace("\\_", " ").replace('\\"', '"').replace("\\\\", "\\")
            raw = re.sub(r"\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})", _unicode_escape, raw)
        elif raw.startswith("'") and raw.endswith("'"):
            raw = raw[1:-1].replace("''", "'")
        fields[key] = raw
    return fields, body


_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_TAG = re.compile(r"</?(?:u|b|i|em|strong|span|sup|sub)>")  # inline HTML the markdown conversion kept
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ASTERISK = re.compile(r"(?<!\\)\*+")  # emphasis markup (the archive has ``**`` runs that do not pair up)


def plain_text(body: str) -> str:
    """The page text of a markdown body: paragraphs separated by a blank line, wrapped lines joined."""
    paragraphs: list[list[str]] = [[]]
    for line in body.split("\n"):
        if not line.strip(" \u00a0"):
            paragraphs.append([])
            continue
        paragraphs[-1].append(line)
    out: list[str] = []
    for lines in paragraphs:
        if not lines:
            continue
        text = ""
        for i, line in enumerate(lines):
            hard = line.endswith("  ")
            line = line.strip(" ")
            text += line
            if i < len(lines) - 1:
                text += "\n" if hard else " "
        text = _TAG.sub("", text)
        text = _LINK.sub(r"\1", text)
        text = _ASTERISK.sub("", text)
        text = _ESCAPE.sub(r"\1", text)
        text = "\n".join(part.strip(" \u00a0") for part in text.split("\n"))
        if text.strip() in ("###", "<!-- -->"):  # the page's end mark; the converter's list separator
            continue
        # the converter's list marker (the page has an HTML list item, no character)
        text = re.sub(r"^(?:-   |\d+\.  )", "", text)
        out.append(text)
    return "\n\n".join(out)


def parse_labels(path: Path) -> dict[str, list[tuple[str, str, int]]]:
    blocks: dict[str, list[tuple[str, str, int]]] = {}
    current = None
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not line.strip() or line.startswith("#!"):
            continue
        if line.startswith("## "):
            current = line[3:].strip()
            if current in blocks:
                raise SystemExit(f"labels.txt:{n}: {current} twice")
            blocks[current] = []
            continue
        m = re.match(r"^([TCA]) \| (.+?)(?: @(\d+))?$", line)
        if not m or current is None:
            raise SystemExit(f"labels.txt:{n}: cannot read {line!r}")
        blocks[current].append((LABELS[m.group(1)], m.group(2), int(m.group(3) or 0)))
    return blocks


#: a space in a phrase matches a run of the text's spaces, which include no-break ones (U+00A0, U+202F) and double
#: spaces after a full stop; the span then covers the text's own characters
_SPACES = re.compile(r"(?:\\ |[ \u00a0\u202f])+")
_SPACE_CLASS = "[ \\u00a0\\u202f]+"


def locate(text: str, phrase: str, occurrence: int, where: str) -> tuple[int, int]:
    pattern = _SPACES.sub(lambda _: _SPACE_CLASS, re.escape(phrase))
    found = [(m.start(), m.end()) for m in re.finditer(pattern, text)]
    if not found:
        raise SystemExit(f"{where}: not found: {phrase!r}")
    if occurrence == 0 and len(found) != 1:
        raise SystemExit(f"{where}: {len(found)} occurrences, give @N: {phrase!r}")
    start, end = found[(occurrence or 1) - 1]
    assert _SPACES.sub(" ", text[start:end]) == _SPACES.sub(" ", phrase)
    if phrase != phrase.strip():
        raise SystemExit(f"{where}: leading or trailing space: {phrase!r}")
    return start, end


BEGIN, END = "<!-- generated by build.py: begin -->", "<!-- generated by build.py: end -->"


def write_readme_table(records: list[dict], counts: dict[str, int]) -> None:
    """The README's figures and list of statements, between its two markers, from the records just written."""
    readme = HERE / "README.md"
    old = readme.read_text(encoding="utf-8")
    head, rest = old.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    having = {label: sum(any(s["label"] == label for s in r["spans"]) for r in records) for label in LABELS.values()}
    lines = [
        BEGIN,
        f"**{len(records)} statements, {sum(counts.values())} spans**, "
        f"{sum(len(r['text']) for r in records):,} characters of text.",
        "",
        "| label (key) | spans | statements with at least one | statements with none |",
        "|---|---:|---:|---:|",
    ]
    for label in LABELS.values():
        lines.append(f"| `{label}` | {counts.get(label, 0)} | {having[label]} | {len(records) - having[label]} |")
    lines += [
        "",
        "| # | date | title | issuer | spans T/C/A | original | taken from |",
        "|---:|---|---|---|---|---|---|",
    ]
    for n, r in enumerate(records, 1):
        m = r["meta"]
        tca = "/".join(str(sum(s["label"] == lab for s in r["spans"])) for lab in LABELS.values())
        src = m["source"]
        where = f"[{REPO}]({src})" if src.startswith("https://") else f"`{src.split(': ', 1)[1]}`"
        title = m["title"].replace("|", "\\|")
        lines.append(f"| {n} | {m['date']} | {title} | {m['issuer']} | {tca} | [link]({m['url']}) | {where} |")
    lines.append(END)
    tmp = readme.with_suffix(".tmp")
    tmp.write_text(head + "\n".join(lines) + tail, encoding="utf-8", newline="\n")
    tmp.replace(readme)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", help="bare git directory of github.com/" + REPO)
    ap.add_argument("--dump", help="also write each text to this folder (for reading while labelling)")
    args = ap.parse_args()
    blocks = parse_labels(HERE / "labels.txt")
    old: dict[str, dict] = {}
    target = HERE / "statements.jsonl"
    if target.exists():
        for line in target.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            source = rec["meta"]["source"]
            key = source.split(": ", 1)[1] if source.startswith("annotator repository: ") else source
            old[key if key in LOCAL else key.rsplit("/", 1)[-1].removesuffix(".md")] = rec
    records = []
    unlabelled = [stem for stem, entries in blocks.items() if not entries]
    for stem, entries in blocks.items():
        if not entries:  # not labelled yet: left out rather than passed off as a statement without spans
            continue
        if stem in LOCAL:  # a statement this repository already holds
            text = (ROOT / stem).read_text(encoding="utf-8").rstrip()
            meta = {**LOCAL[stem], "source": f"annotator repository: {stem}"}
        elif args.mirror:
            path = find_path(args.mirror, stem)
            fields, body = front_matter(git_show(args.mirror, path))
            text = plain_text(body)
            meta = {
                "title": fields["title"],
                "date": fields["date"],
                "issuer": ISSUER,
                "url": fields["source_url"],
                "source": f"https://github.com/{REPO}/blob/{COMMIT}/{path}",
            }
        else:
            text, meta = old[stem]["text"], old[stem]["meta"]
        if args.dump:
            Path(args.dump, stem.replace("/", "_") + ".txt").write_text(text, encoding="utf-8")
        spans = []
        for label, phrase, occurrence in entries:
            start, end = locate(text, phrase, occurrence, stem)
            spans.append({"start": start, "end": end, "label": label})
        spans.sort(key=lambda s: (s["start"], s["end"], s["label"]))
        seen = {(s["start"], s["end"], s["label"]) for s in spans}
        if len(seen) != len(spans):
            raise SystemExit(f"{stem}: a span is listed twice")
        records.append({"text": text, "spans": spans, "meta": meta})
    tmp = target.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="\n") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tmp.replace(target)
    counts: dict[str, int] = {}
    for rec in records:
        for s in rec["spans"]:
            counts[s["label"]] = counts.get(s["label"], 0) + 1
    write_readme_table(records, counts)
    if unlabelled:
        print(f"{len(unlabelled)} statements in labels.txt have no spans yet and are left out", file=sys.stderr)
    print(f"{len(records)} statements, {sum(counts.values())} spans: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
