"""Village boundaries: read the office's GIS files, match them to villages, store them and draw maps."""
