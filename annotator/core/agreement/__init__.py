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

from annotator.core.agreement.pairing import overlap_pairs
from annotator.core.agreement.render import MEASURES, format_compare, format_many
from annotator.core.agreement.render import num as _num
from annotator.core.agreement.sets import AnnotationSet, DocSpans, SpanTuple, split_by_annotator
from annotator.core.agreement.tally import Tally, agree_many, compare, fleiss_kappa, pairwise

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
