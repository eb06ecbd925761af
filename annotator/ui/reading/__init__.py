"""Reading comfort: zoom, font, spacing and line width of the statement, the palette, and table columns that
show whole titles (issue 15, items 1 and 5)."""
