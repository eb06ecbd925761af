"""Reading comfort: View ▸ Zoom and Reading Settings (``control``, ``dialog``, ``settings``) applied to every
statement view, and table columns that show whole titles (``columns``) (issue 15, items 1 and 5). The statement
view's own side of it (spacing, layout) lives in ``ui/statement``; this package uses it, never the reverse."""
