"""Every symbol the screens draw, in one place, each one cell wide everywhere.

Many symbols are "ambiguous" in Unicode's East Asian Width (★ ①–⑳ → ▶ — …
█ ·): a terminal set up for Japanese (or with "ambiguous width: double")
draws them two cells wide while Textual counts one, so everything after them
on the row moves one cell right: a column of votes, the side panel's border,
the next key in the footer. The symbols here are all narrow (``N``) or wide
(``W``/``F``) by Unicode, never ambiguous, so every terminal agrees with Textual
on their width. ``tests/test_glyphs.py`` keeps it so.

Exported minutes keep ①②③: paper and web pages have no terminal columns.
"""

from __future__ import annotations

import unicodedata

PICKED = "✔"
"""A trouble picked to work on (was ★)."""
MARKED = "☑"
"""A card marked to be grouped."""
DONE = "✓"
"""A step passed, a speaker who has spoken, the file saved."""
CURRENT = "►"
"""The current step, the current speaker (was ▶)."""
ARROW = "➜"
"""Step to step, speaker to speaker, an answer to its trouble (was →)."""
SEPARATOR = "／"
"""Between a card and who said it, a time and its state (was —)."""
ABSENT = "-"
"""In the seat column, for someone not present (was ─)."""
ELLIPSIS = "..."
"""Text cut short (was …)."""
BAR_FULL = "▰"
BAR_EMPTY = "▱"
"""Speaking time as a bar (was █ and ·)."""

NUMBERED = "➊➋➌➍➎➏➐➑➒➓"
"""Step, question and rule numbers (was ①–⑳: the council's material numbers them so)."""


def numbered(number: int) -> str:
    """1 → ➊ up to 10; beyond, plain digits in parentheses."""
    return NUMBERED[number - 1] if 1 <= number <= len(NUMBERED) else f"({number})"


def ambiguous(text: str) -> str:
    """The characters of ``text`` whose width a terminal may draw either way."""
    return "".join(sorted({c for c in text if unicodedata.east_asian_width(c) == "A"}))
