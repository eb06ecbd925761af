"""Annotator: label threats, commitments and calls to action in official statements."""

__version__ = "0.1.0"
