"""Inter-annotator agreement (DESIGN.md §2.5): exact and overlap P/R/F1, Cohen's κ, Fleiss' κ, Krippendorff's α_u,
and the diagnostics that go with them.

Pure functions over plain data, no I/O and no Qt, so ``annotator agree``, the review report and the tests all
compute the same figures. Documents are matched by SHA-256 key; a document held by only one side is listed, never
compared, and its spans count nowhere.

- :mod:`.sets`: what is compared (:class:`AnnotationSet` of :class:`DocSpans`);
- :mod:`.pairing`: exact and overlap matching of spans;
- :mod:`.characters`: character coverage and Cohen's / Fleiss' κ;
- :mod:`.unitizing`: Krippendorff's α_u;
- :mod:`.tally`: the figures of two sets or many, summed per document (:class:`Tally`);
- :mod:`.diagnostics`: when a label's figures need a warning;
- :mod:`.render`: the plain-text tables.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from annotator.core.agreement.pairing import overlap_pairs
    from annotator.core.agreement.render import MEASURES, format_compare, format_many
    from annotator.core.agreement.render import num as _num
    from annotator.core.agreement.sets import AnnotationSet, DocSpans, SpanTuple, split_by_annotator
    from annotator.core.agreement.tally import Tally, agree_many, compare, fleiss_kappa, pairwise

#: where each name lives; imported on first use, so ``annotator --help`` and ``annotator stats`` (whose parser
#: names the measures, :mod:`.render`) do not import the figures (dataclasses, fractions: 35 ms of a 0.2 s command)
_WHERE = {
    "overlap_pairs": "pairing",
    "MEASURES": "render",
    "format_compare": "render",
    "format_many": "render",
    "_num": "render",
    "AnnotationSet": "sets",
    "DocSpans": "sets",
    "SpanTuple": "sets",
    "split_by_annotator": "sets",
    "Tally": "tally",
    "agree_many": "tally",
    "compare": "tally",
    "fleiss_kappa": "tally",
    "pairwise": "tally",
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{where}")
    value = getattr(module, "num" if name == "_num" else name)
    globals()[name] = value
    return value


__all__ = [
    "MEASURES",
    "AnnotationSet",
    "DocSpans",
    "SpanTuple",
    "Tally",
    "_num",
    "agree_many",
    "compare",
    "fleiss_kappa",
    "format_compare",
    "format_many",
    "overlap_pairs",
    "pairwise",
    "split_by_annotator",
]
