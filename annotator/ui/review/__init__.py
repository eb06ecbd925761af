"""Reviewing a colleague's annotations beside one's own: the controller that opens their file and adjudicates
(``controller``), the disagreement panel (``panel``), its keys (``commands``), the agreement report (``report``) and
the work done off the GUI thread (``worker``)."""

from annotator.ui.review.commands import key_rows
from annotator.ui.review.controller import install

__all__ = ["install", "key_rows"]
