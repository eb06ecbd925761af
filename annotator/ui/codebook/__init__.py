"""The codebook in the window: its editor (Labels ▸ Edit Codebook), the editor's cells, and the preview of a codebook
imported from a colleague (Labels ▸ Import Codebook)."""
