"""``annotator suggest PROJECT [--label L] [--min-confidence X] [--evaluate] [--json]`` (issue 13).

Prints what the window would suggest: cue patterns from the codebook and a model trained on the project's own
spans, for every statement not skipped, leaving out rejected suggestions and clauses already labelled. Read-only
(it never writes spans or anything else), so it works beside an open window as ``stats`` does. ``--evaluate``
prints the cross-validated precision, recall and F1 per label instead, at the threshold the window uses (the
project's setting, 0.5 by default) unless ``--min-confidence`` gives another.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from annotator.core.neutral import terminal_safe
from annotator.errors import AnnotatorError

NAME = "suggest"
#: the project setting holding the window's threshold; the command reads it so both show the same figures
THRESHOLD_SETTING = "suggest.threshold"
DEFAULT_THRESHOLD = 0.5


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        NAME,
        help="suggested spans from cue patterns and a model learned from the project's labels (never written)",
        description="Suggestions for the project's statements: the clauses that the codebook's cue patterns or a "
        "model trained on the project's own spans (TF-IDF n-grams, logistic regression) assign a label, with "
        "their confidence and source. Read-only. --evaluate prints cross-validated precision, recall and F1 per "
        "label (overlap: the suggestion shares a character with a held-out span of its label; exact: same start "
        "and end).",
    )
    p.add_argument("project", type=Path)
    p.add_argument("--label", help="only this label (its key or its name)")
    p.add_argument("--min-confidence", type=float, default=None, metavar="X",
                   help="only suggestions at least this confident, 0-1 (default: the window's threshold)")
    p.add_argument("--evaluate", action="store_true", help="print the cross-validated figures per label")
    p.add_argument("--json", action="store_true", help="print JSON")


def model_waits(needs: int) -> str:
    """What the suggestions lack while the model waits for ``needs`` more statements marked done (said by the
    command and the window alike)."""
    from annotator.core.suggest.suggester import MIN_DONE

    return (f"cue patterns only: the model learns once {MIN_DONE} statements are marked done ({needs} more "
            "needed)")


def threshold_of(project: Any) -> float:
    try:
        value = float(project.setting(THRESHOLD_SETTING) or DEFAULT_THRESHOLD)
    except ValueError:
        return DEFAULT_THRESHOLD
    return min(max(value, 0.0), 1.0)


def run(args: argparse.Namespace) -> int:
    import orjson

    from annotator.core.codebook import label_named
    from annotator.store import Project
    from annotator.store import suggest as store

    if args.min_confidence is not None and not 0.0 <= args.min_confidence <= 1.0:
        raise AnnotatorError(f"--min-confidence must be between 0 and 1, not {args.min_confidence}")
    for _attempt in (1, 2):  # a second read takes SQLite's locks if a window opened it meanwhile
        with Project.open(args.project, readonly=True, trusted=True) as project:
            labels = project.labels()
            if args.label is not None:
                args.label = label_named(labels, args.label)
            threshold = args.min_confidence if args.min_confidence is not None else threshold_of(project)
            if args.evaluate:
                from annotator.core.suggest.evaluate import cross_validate

                docs = store.training_docs(project)
                label_cues = store.cues(project)
                result: Any = cross_validate(docs, [lb.key for lb in labels], label_cues)
            else:
                suggester, _docs, _cues = store.train(project)
                result = store.suggest_corpus(project, suggester, args.label, threshold)
                needs = suggester.model_needs
                wanted = sorted({sg.doc_id for sg, _sha, _text in result})
                titles = {doc.id: doc.title for doc in project.listed(wanted)} if wanted else {}
            if not project.changed_while_reading():
                break
    names = {lb.key: lb.name for lb in labels}
    from annotator.core.suggest.cues import stopped_message

    slow = stopped_message()
    if slow:
        print(f"annotator: warning: {terminal_safe(slow)}", file=sys.stderr)
    if args.evaluate:
        return _print_evaluation(result, threshold, names, args)
    if needs:
        print(f"annotator: {model_waits(needs)}", file=sys.stderr)
    if args.json:
        rows = [
            {"doc_id": sg.doc_id, "sha256": sha, "title": titles.get(sg.doc_id, ""), "start": sg.start,
             "end": sg.end, "label": sg.label, "text": text, "confidence": sg.confidence, "source": sg.source}
            for sg, sha, text in result
        ]
        sys.stdout.buffer.write(orjson.dumps({"suggestions": rows}, option=orjson.OPT_INDENT_2) + b"\n")
        return 0
    for sg, _sha, text in result:
        cells = (str(sg.doc_id), _cut(titles.get(sg.doc_id, ""), 40), f"{sg.start}-{sg.end}",
                 names.get(sg.label, sg.label), f"{sg.confidence:.2f}", sg.source, _cut(text, 100))
        print("\t".join(terminal_safe(c) for c in cells))
    print(f"{len(result)} suggestion(s) at confidence {threshold:.2f} or more", file=sys.stderr)
    return 0


def _cut(text: str, most: int) -> str:
    """One line of at most ``most`` characters (a title or a clause in a tab-separated row)."""
    shown = " ".join(text.split())
    return shown if len(shown) <= most else shown[: most - 1] + "…"


def _print_evaluation(evaluation: Any, threshold: float, names: dict[str, str], args: argparse.Namespace) -> int:
    import orjson

    from annotator.core.suggest.evaluate import format_figures

    figures = evaluation.figures(threshold)
    if args.label is not None:
        figures = {args.label: figures[args.label]}
    if args.json:
        out = {"threshold": threshold, "documents": evaluation.documents, "folds_by": evaluation.by,
               "spans_compared": evaluation.spans(), "accepted_suggestions": evaluation.accepted,
               "too_few_documents": evaluation.too_few(), "labels": figures}
        sys.stdout.buffer.write(orjson.dumps(out, option=orjson.OPT_INDENT_2) + b"\n")
        return 0
    if not evaluation.documents:
        print("no statement is marked done: the figures need finished statements to compare with")
    print(f"cross-validated on {evaluation.documents} statement(s) marked done (folds by {evaluation.by}),"
          f" threshold {threshold:.2f}")
    for line in format_figures(figures, names).splitlines():
        print(terminal_safe(line))
    if evaluation.caveat():
        print(evaluation.caveat())
    return 0
