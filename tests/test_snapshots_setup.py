"""Snapshots of the setup screen and the launcher, Japanese and English.

Every app here reads the fixed clock and relative folders under tmp_path,
so the SVGs under __snapshots__/ stay the same from run to run.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.models import Scenario
from chie_kokan.storage import create_session_file
from chie_kokan.tui.app import make_app

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

Snap = Callable[..., bool]


async def _settled(pilot: Pilot[int]) -> None:
    # The launcher reads its folders in a worker; the picture is of the result.
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _scenarios_and_a_session(tmp_path: Path, scenario: Scenario, clock: ManualClock) -> None:
    shutil.copytree(SCENARIOS, tmp_path / "scenarios")
    engine = SessionEngine(new_session(scenario, session_id="shimizu", clock=clock), clock=clock)
    engine.begin()
    engine.next_step()
    create_session_file(engine.session, tmp_path / "sessions")


def test_setup_japanese(snap_compare: Snap, clock: ManualClock, tmp_path: Path) -> None:
    app = make_app(
        scenario_path=SCENARIOS / "shimizu.toml", sessions_dir=tmp_path / "sessions", clock=clock
    )
    assert snap_compare(app, terminal_size=(120, 36))


def test_setup_japanese_small(snap_compare: Snap, clock: ManualClock, tmp_path: Path) -> None:
    app = make_app(
        scenario_path=SCENARIOS / "shimizu.toml", sessions_dir=tmp_path / "sessions", clock=clock
    )
    assert snap_compare(app, terminal_size=(100, 30))


def test_setup_absent_and_walk_in(snap_compare: Snap, clock: ManualClock, tmp_path: Path) -> None:
    app = make_app(
        scenario_path=SCENARIOS / "shimizu.toml", sessions_dir=tmp_path / "sessions", clock=clock
    )
    press = [
        *["down", "f2"],  # 佐藤 absent
        *["f5", *"木村 陽子", "tab", *"民生委員", "enter"],  # a walk-in
        *["shift+tab"] * 4,  # back on the roster, so no text cursor blinks in the picture
        "f3",
    ]
    assert snap_compare(app, press=press, terminal_size=(120, 36))


def test_setup_nobody_present(snap_compare: Snap, clock: ManualClock, tmp_path: Path) -> None:
    app = make_app(
        scenario_path=SCENARIOS / "riverside.toml", sessions_dir=tmp_path / "sessions", clock=clock
    )
    press = [*["f2", "down"] * 6, "f7"]
    assert snap_compare(app, press=press, terminal_size=(100, 30))


def test_setup_english(snap_compare: Snap, clock: ManualClock, tmp_path: Path) -> None:
    app = make_app(
        scenario_path=SCENARIOS / "riverside.toml", sessions_dir=tmp_path / "sessions", clock=clock
    )
    assert snap_compare(app, terminal_size=(120, 36))


def test_launcher_japanese(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, shimizu: Scenario
) -> None:
    _scenarios_and_a_session(tmp_path, shimizu, clock)
    app = make_app(clock=clock)
    assert snap_compare(app, terminal_size=(120, 36), run_before=_settled)


def test_launcher_english(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, shimizu: Scenario
) -> None:
    _scenarios_and_a_session(tmp_path, shimizu, clock)
    app = make_app(clock=clock, language="en")
    assert snap_compare(app, terminal_size=(120, 36), run_before=_settled)


def test_launcher_empty(snap_compare: Snap, clock: ManualClock, tmp_path: Path) -> None:
    app = make_app(clock=clock)
    assert snap_compare(app, terminal_size=(100, 30), run_before=_settled)
