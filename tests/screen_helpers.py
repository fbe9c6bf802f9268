"""Reading the screen as a terminal shows it, from Textual's own screenshot."""

from __future__ import annotations

import html
import re

from rich.cells import cell_len
from textual.app import App

_TEXT = re.compile(
    r'<text [^>]*x="([\d.]+)"[^>]*clip-path="url\(#terminal-\d+-line-(\d+)\)">([^<]*)</text>'
)
CELL = 12.2
"""Rich's SVG export: one cell is 0.61 of its 20-pixel font."""


def screen_lines(app: App[object]) -> list[str]:
    """The rows of the screen as a terminal shows them (a double-width character is one str).

    The SVG leaves out runs of blanks, so each run of text is put back at its column.
    """
    rows: dict[int, str] = {}
    for x, line, text in _TEXT.findall(app.export_screenshot()):
        row = rows.get(int(line), "")
        column = round(float(x) / CELL)
        rows[int(line)] = row + " " * (column - cell_len(row)) + html.unescape(text)
    return [rows.get(y, "").replace("\xa0", " ").rstrip("\n") for y in range(app.size.height)]
