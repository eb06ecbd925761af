"""The statement being read and labelled: the text view (``view``), where spans are drawn (``span_layer``), how
code points map to the editor's positions (``positions``), the overview strip beside it (``overview``), and the
font, line spacing and line width it is read in (``spacing``, ``layout``).

Dependencies go one way: ``view`` uses the other modules, none of them uses ``view`` (the overview strip reads
the view through the small :class:`~annotator.ui.statement.overview.Mapped` protocol), and nothing here uses the
features built on the view (``ui/reading``'s settings, ``ui/review``); tests/ui/test_layers.py checks it."""
