"""Line breaking for Japanese (and English) text, on every screen.

Textual wraps at spaces, so "知恵交換会 — 清水さんの…" breaks after the dash
and leaves a stub line, and a line may start with 、 or 。. Here a line may
break between any two wide characters, at spaces, never inside a Latin word,
and follows kinsoku: 、。」 never start a line, 「（ never end one. The widget
that draws text so is ``widgets/wrapped_text.py``.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content

from chie_kokan.tui.glyphs import ELLIPSIS

# These never start a line…
_NO_LINE_START = frozenset(
    "、。，．,.)）」』】〕〉》］｝!！?？:：;；・ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥〜～%％"
)
# …and these never end one.
_NO_LINE_END = frozenset("（「『【〔〈《［｛(")


def _units(text: str) -> list[tuple[int, int]]:
    """(start, end) of the pieces a line may break between.

    A space is a piece of its own, a Latin word is one piece, every wide
    character is one, glued to the punctuation that may not be parted from it.
    """
    units: list[tuple[int, int]] = []
    index = 0
    while index < len(text):
        char = text[index]
        end = index + 1
        if char != " " and cell_len(char) == 1:
            while end < len(text) and text[end] != " " and cell_len(text[end]) == 1:
                end += 1
        before = text[units[-1][1] - 1] if units else " "
        if char != " " and before != " " and (char in _NO_LINE_START or before in _NO_LINE_END):
            units[-1] = (units[-1][0], end)
        else:
            units.append((index, end))
        index = end
    return units


def line_breaks(text: str, width: int) -> list[tuple[int, int]]:
    """Where to cut one paragraph into lines of at most ``width`` cells.

    Returns (start, end) offsets into ``text``. Leading spaces of the
    paragraph are kept (an indented command stays indented); spaces at a
    break are dropped.
    """
    width = max(width, 2)
    indent = len(text) - len(text.lstrip(" "))
    lines: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    used = 0
    for unit_start, unit_end in _units(text):
        piece = text[unit_start:unit_end]
        if piece == " ":
            if start is not None:
                used += 1
            continue
        size = cell_len(piece)
        if start is not None and used + size > width:
            lines.append((start, end))
            start, used = None, 0
        if start is None and not lines and indent and indent + size <= width:
            start, used = 0, indent
        # A piece wider than a whole line (a long path or URL): cut it by cells.
        while size > width:
            cut, cells = unit_start, 0
            while cells + cell_len(text[cut]) <= width:
                cells += cell_len(text[cut])
                cut += 1
            lines.append((unit_start, cut))
            unit_start, size = cut, size - cells
        if start is None:
            start = unit_start
        end = unit_end
        used += size
    if start is not None:
        lines.append((start, end))
    return lines or [(0, 0)]


def wrap(content: Content, width: int, max_lines: int | None = None) -> list[Content]:
    """``content`` as lines of at most ``width`` cells, styles kept.

    With ``max_lines``, the last line kept ends in an ellipsis.
    """
    lines: list[Content] = []
    for paragraph in content.split("\n", allow_blank=True):
        lines += [paragraph[start:end] for start, end in line_breaks(paragraph.plain, width)]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last.plain and cell_len(last.plain) + len(ELLIPSIS) > width:
            last = last[:-1]
        lines[-1] = last + ELLIPSIS
    return lines


def wrapped(content: Content, width: int) -> Content:
    """``content`` with line breaks put in for ``width`` cells."""
    return Content("\n").join(wrap(content, width))
