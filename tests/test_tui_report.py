"""A report (グループ発表) on the running screen, by keys: a round whose words are cards."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.models import Scenario, StepKind
from chie_kokan.storage import create_session_file, load_session
from chie_kokan.tui.app import make_app
from chie_kokan.tui.widgets.speaker_panel import SpeakerPanel
from test_snapshots_running import SCENARIOS, settled
from test_tui_break import panel_text
from test_tui_running import build, running, saved, type_line

SHARE = 1


def with_a_report() -> Scenario:
    """A council's own scenario with the table's report after sharing troubles."""
    data = tomllib.loads((SCENARIOS / "shimizu.toml").read_text("utf-8"))
    data["steps"] = [*data["steps"][: SHARE + 1], {"kind": "report", "minutes": 10}]
    return Scenario.model_validate(data)


REPORT = SHARE + 1


@pytest.fixture
def report_file(clock: ManualClock, tmp_path: Path) -> Path:
    session = new_session(with_a_report(), session_id="report", clock=clock)
    session.table = "東テーブル"
    return create_session_file(session, tmp_path / "sessions")


async def test_a_report_takes_turns_and_records_what_is_presented(
    report_file: Path, clock: ManualClock
) -> None:
    app = build(report_file, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = running(pilot)
        engine = screen.engine
        await pilot.press("f7")  # share
        await pilot.press("f7")  # the report: a round from the first seat
        assert engine.step.kind is StepKind.REPORT
        panel = screen.query_one(SpeakerPanel)
        first = engine.members[0]
        assert first.name in panel_text(panel)

        await type_line(pilot, "移動販売の日を回覧で知らせている")
        await pilot.press("enter")
        await pilot.press("f2")  # the next presenter
        await type_line(pilot, "付き添いボランティアを募集中")
        await pilot.press("enter")
        await pilot.press("ctrl+z")  # taken back: only the first presenter's card stays
        await saved(pilot, screen)
        on_disk = load_session(report_file)
        assert [(card.speaker, card.text) for card in on_disk.cards if card.step == REPORT] == [
            (first.id, "移動販売の日を回覧で知らせている")
        ]


def report_on_screen(clock: ManualClock, tmp_path: Path) -> Path:
    """A meeting a minute into its table report, one presenter's words recorded."""
    engine = SessionEngine(new_session(with_a_report(), session_id="snap", clock=clock), clock)
    engine.session.table = "東テーブル"
    engine.begin()
    clock.advance(240)
    engine.next_step()
    clock.advance(70)
    engine.record_card("駅前のスーパーが閉店し、坂の上の団地から買い物に行けない")
    engine.next_step()
    clock.advance(60)
    engine.record_card("移動販売の車が来る日を、自治会の回覧で知らせている")
    return create_session_file(engine.session, tmp_path / "sessions")


Snap = Callable[..., bool]


def test_snapshot_report_operator_100x30(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path
) -> None:
    path = report_on_screen(clock, tmp_path)
    app = make_app(session_path=path, sessions_dir=path.parent, clock=clock)
    assert snap_compare(app, terminal_size=(100, 30), run_before=settled)
