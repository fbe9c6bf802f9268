"""Snapshots of the scenario editor, Japanese and English, at 100×30 and 120×36."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from chie_kokan.tui.app import make_app

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

Snap = Callable[..., bool]
SIZES = [(100, 30), (120, 36)]


async def steady(pilot: Pilot[int]) -> None:
    """No blinking cursor and no scrolling under way: the same picture every run."""
    for widget in pilot.app.screen.query("Input, TextArea"):
        assert isinstance(widget, Input | TextArea)
        widget.cursor_blink = False
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=["100x30", "120x36"])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_editor_top(snap_compare: Snap, language: str, size: tuple[int, int]) -> None:
    """The top of the form: title, theme, language, the case."""
    app = make_app(edit_path=SCENARIOS / "shimizu.toml", language=language)  # type: ignore[arg-type]
    assert snap_compare(app, terminal_size=size, run_before=steady)


@pytest.mark.parametrize("size", SIZES, ids=["100x30", "120x36"])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_editor_steps_with_a_problem(
    snap_compare: Snap, language: str, size: tuple[int, int]
) -> None:
    """The steps, the total time, and a time box of 0 minutes marked with validate's message."""

    async def to_the_steps(pilot: Pilot[int]) -> None:
        screen = pilot.app.screen
        field = screen.query_one("#s1-minutes", Input)
        field.focus()
        field.value = "0"
        await steady(pilot)
        screen.query_one("#s1").scroll_visible(top=True, animate=False)
        await steady(pilot)

    app = make_app(edit_path=SCENARIOS / "shimizu.toml", language=language)  # type: ignore[arg-type]
    assert snap_compare(app, terminal_size=size, run_before=to_the_steps)
