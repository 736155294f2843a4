"""Line items from word geometry: a table's header row, its columns, and the rows under it."""

from extraction.lines.table import extract_lines

__all__ = ["extract_lines"]
