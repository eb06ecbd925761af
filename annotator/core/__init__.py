"""The Qt-free core: data model, text handling, codebook and agreement. Never imports Qt."""
