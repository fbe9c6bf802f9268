"""Projector themes: high contrast, calm, a dark and a light variant.

Projectors wash out pale colours and saturated ones glare; these keep strong
contrast between text and background and use colour only as a second signal
(every state also has a word or a mark).
"""

from __future__ import annotations

from textual.theme import Theme

PROJECTOR_DARK = Theme(
    name="chie-projector-dark",
    primary="#7FB3FF",
    secondary="#9CD6B8",
    accent="#FFD479",
    warning="#FFB454",
    error="#FF7A7A",
    success="#8BE28B",
    foreground="#F4F4F0",
    background="#0E1116",
    surface="#161B22",
    panel="#1F2630",
    dark=True,
)

PROJECTOR_LIGHT = Theme(
    name="chie-projector-light",
    primary="#0B4FA8",
    secondary="#136B45",
    accent="#8A5300",
    warning="#A65A00",
    error="#B00020",
    success="#136B2E",
    foreground="#111111",
    background="#FFFFFF",
    surface="#F3F3EF",
    panel="#E6E6E0",
    dark=False,
)

THEMES = (PROJECTOR_DARK, PROJECTOR_LIGHT)
