"""Statements from where they are published (DESIGN.md §2.6): saved web pages, PDFs, Word files and text copied
from web pages, each read into clean text with its date, issuer, title and source. No Qt."""
