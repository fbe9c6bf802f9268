"""A break (休憩) on the running screen, by keys: a time box, nothing recorded, no turns."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.widgets import Digits, Input, Static

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.models import Scenario, StepKind
from chie_kokan.storage import create_session_file, load_session
from chie_kokan.tui.app import make_app
from chie_kokan.tui.display import make_display
from chie_kokan.tui.screens.dialogs import ChooseDialog
from chie_kokan.tui.widgets.speaker_panel import SpeakerPanel
from chie_kokan.tui.widgets.timebox import TimeBox
from test_snapshots_display import settled as display_settled
from test_snapshots_running import SCENARIOS, settled
from test_tui_running import build, recording_notices, running, saved, type_line

SHARE, BREAK, PICK = 1, 2, 3


def with_a_break(scenario_file: str = "shimizu.toml") -> Scenario:
    """A council's own scenario with a ten-minute break between share and pick."""
    data = tomllib.loads((SCENARIOS / scenario_file).read_text("utf-8"))
    data["steps"].insert(BREAK, {"kind": "break", "minutes": 10})
    return Scenario.model_validate(data)


@pytest.fixture
def break_file(clock: ManualClock, tmp_path: Path) -> Path:
    session = new_session(with_a_break(), session_id="break", clock=clock)
    return create_session_file(session, tmp_path / "sessions")


def panel_text(panel: SpeakerPanel) -> str:
    parts = (panel.query_one(f"#{part}", Static) for part in ("speaker-name", "speaker-org"))
    return " ".join(str(part.render()) for part in parts)


async def test_a_break_shows_its_time_box_and_records_nothing(
    break_file: Path, clock: ManualClock
) -> None:
    app = build(break_file, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = running(pilot)
        engine = screen.engine
        notices = recording_notices(app)
        await pilot.press("f7")  # share: the round starts
        await pilot.press("f7")  # the break
        assert engine.step.kind is StepKind.BREAK
        clock.advance(90)
        await pilot.pause(1.1)  # one tick of the screen's clock

        # The time box counts down the break's ten minutes.
        box = screen.query_one(TimeBox)
        assert box.display
        assert str(box.query_one(Digits).value) == "8:30"
        # The speaker panel says it is a break, not whose turn it is.
        panel = screen.query_one(SpeakerPanel)
        assert panel.border_title == "休憩"
        assert panel_text(panel) == "休憩中 発言の順番はありません"
        entry = screen.query_one("#entry", Input)
        assert "休憩中は記録しません" in entry.placeholder
        # No empty board on the projector: a break records nothing.
        board = screen.query_one("#cards")
        assert not board.display

        cards, turns = len(engine.session.cards), len(engine.session.turns)
        await type_line(pilot, "kyuukei")
        await pilot.press("enter")
        assert len(engine.session.cards) == cards
        assert entry.value == "kyuukei"  # kept, not lost
        assert "休憩中は記録しません" in notices[-1]

        for key in ("f2", "f3", "f4"):
            notices.clear()
            await pilot.press(key)
            await pilot.pause()
            assert len(notices) == 1 and "休憩中は発言の順番がありません" in notices[0], key
            assert not isinstance(app.screen, ChooseDialog)  # F4 opens no list of people
            assert entry.value == "kyuukei", key
        assert (len(engine.session.cards), len(engine.session.turns)) == (cards, turns)

        await pilot.press("f5")  # the break's clock pauses like any other
        assert not engine.timer_running
        await pilot.press("f5")
        await pilot.press("f7")  # back to work: what was typed is still there for pick
        assert engine.step_index == PICK
        assert entry.value == "kyuukei"
        await pilot.pause()
        assert board.display  # the troubles to vote on
        await saved(pilot, screen)
        on_disk = load_session(break_file)
        assert [card for card in on_disk.cards if card.step == BREAK] == []
        assert [turn for turn in on_disk.turns if turn.step == BREAK] == []


async def test_ctrl_z_after_a_break_goes_back_onto_it(break_file: Path, clock: ManualClock) -> None:
    app = build(break_file, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = running(pilot)
        await pilot.press("f7", "f7", "f7")
        assert screen.engine.step_index == PICK
        await pilot.press("ctrl+z")
        assert screen.engine.step_index == BREAK
        assert panel_text(screen.query_one(SpeakerPanel)) == "休憩中 発言の順番はありません"


def break_on_screen(clock: ManualClock, tmp_path: Path) -> Path:
    """A meeting two and a half minutes into its break, after a share round."""
    engine = SessionEngine(new_session(with_a_break(), session_id="snap", clock=clock), clock)
    engine.begin()
    clock.advance(240)
    engine.next_step()
    clock.advance(70)
    engine.record_card("駅前のスーパーが閉店し、坂の上の団地から買い物に行けない")
    engine.advance_speaker()
    clock.advance(40)
    engine.record_card("重い物（お米・飲み物）が運べない")
    engine.next_step()
    clock.advance(150)
    return create_session_file(engine.session, tmp_path / "sessions")


Snap = Callable[..., bool]


def test_snapshot_break_operator_100x30(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path
) -> None:
    path = break_on_screen(clock, tmp_path)
    app = make_app(session_path=path, sessions_dir=path.parent, clock=clock)
    assert snap_compare(app, terminal_size=(100, 30), run_before=settled)


def test_snapshot_break_display_120x36(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path
) -> None:
    path = break_on_screen(clock, tmp_path)
    app = make_display(path, clock=clock)
    assert snap_compare(app, terminal_size=(120, 36), run_before=display_settled)
