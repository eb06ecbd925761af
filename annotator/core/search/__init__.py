"""Searching the corpus (issue 12), Qt-free: what a query means (``query``) and what a hit is (``hits``).

The SQL side -- the FTS5 index and the scans -- is ``annotator/store/search.py``; the dock is ``annotator/ui/search``.
"""
