"""Snapshots of the audience view at 60×20, 120×36 and 200×55.

The share step (cards, someone speaking), the pick step (troubles with
votes, one picked) and the summary after the end, each at the three sizes
in Japanese, and the share step in English. The meeting is built through
the engine on a manual clock, so every digit is the same from run to run.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from chie_kokan.clock import ManualClock
from chie_kokan.storage import create_session_file, load_scenario
from chie_kokan.tui.display import DisplayApp, make_display
from test_snapshots_running import EN, JA, PICK, SCENARIOS, SHARE, SUMMARY, Words, meeting

Snap = Callable[..., bool]
SIZES = pytest.mark.parametrize(
    "size", [(60, 20), (120, 36), (200, 55)], ids=["60x20", "120x36", "200x55"]
)
STEPS = pytest.mark.parametrize("upto", [SHARE, PICK, SUMMARY], ids=["share", "pick", "summary"])


def shown_on(words: Words, clock: ManualClock, tmp_path: Path, upto: int) -> DisplayApp:
    """The display on a session file saved at ``upto``, as ``chie-kokan display`` opens it."""
    engine = meeting(load_scenario(SCENARIOS / words.scenario), words, clock, upto)
    if upto == PICK:
        engine.set_picked("c3", False)  # one trouble picked, the others with votes only
    path = create_session_file(engine.session, tmp_path / "sessions")
    return make_display(path, clock=clock)


async def settled(pilot: Pilot[Any]) -> None:
    """The first state read by the follower and drawn: a stable picture."""
    app = pilot.app
    assert isinstance(app, DisplayApp)
    for _ in range(100):
        if app.reads >= 1 and app.fit:
            break
        await pilot.pause(0.05)
    assert app.reads >= 1
    await pilot.pause()


@SIZES
@STEPS
def test_display(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, size: tuple[int, int], upto: int
) -> None:
    app = shown_on(JA, clock, tmp_path, upto)
    assert snap_compare(app, terminal_size=size, run_before=settled)


def test_display_in_english(snap_compare: Snap, clock: ManualClock, tmp_path: Path) -> None:
    app = shown_on(EN, clock, tmp_path, SHARE)
    assert snap_compare(app, terminal_size=(120, 36), run_before=settled)
