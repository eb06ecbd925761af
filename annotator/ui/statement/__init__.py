"""The statement being read and labelled: the text view (``view``), where spans are drawn (``span_layer``), how
code points map to the editor's positions (``positions``) and the overview strip beside it (``overview``)."""
