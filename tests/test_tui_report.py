"""A report (グループ発表) on the running screen, by keys: a round whose words are cards."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
import tomli_w
from textual.widgets import Input, SelectionList, Static

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.models import Scenario, StepKind
from chie_kokan.storage import create_session_file, load_session
from chie_kokan.tui.app import make_app
from chie_kokan.tui.display import make_display
from chie_kokan.tui.screens.dialogs import ChoiceList, ChooseDialog, FormDialog
from chie_kokan.tui.widgets.speaker_panel import SpeakerPanel
from test_snapshots_display import settled as display_settled
from test_snapshots_running import SCENARIOS, settled
from test_tui_break import panel_text
from test_tui_running import build, running, saved, type_line, wait_until

SHARE = 1


# Three tables around the room, and the last on the roster (小林) at none.
TABLES = ["A", "B", "C", "A", "B", "C", "A", "B", ""]


def with_a_report(*, tables: bool = False) -> Scenario:
    """A council's own scenario with the table's report after sharing troubles;
    ``tables``: its members sit at tables A, B, C (see ``TABLES``)."""
    data = tomllib.loads((SCENARIOS / "shimizu.toml").read_text("utf-8"))
    data["steps"] = [*data["steps"][: SHARE + 1], {"kind": "report", "minutes": 10}]
    if tables:
        for person, table in zip(data["participants"], TABLES, strict=True):
            person["table"] = table
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


def report_on_screen(clock: ManualClock, tmp_path: Path, *, tables: bool = False) -> Path:
    """A meeting a minute into its table report, one presenter's words recorded;
    ``tables``: members at tables, table A has presented and B is presenting."""
    scenario = with_a_report(tables=tables)
    engine = SessionEngine(new_session(scenario, session_id="snap", clock=clock), clock)
    engine.session.table = "" if tables else "東テーブル"
    engine.begin()
    clock.advance(240)
    engine.next_step()
    clock.advance(70)
    engine.record_card("駅前のスーパーが閉店し、坂の上の団地から買い物に行けない")
    engine.next_step()
    clock.advance(60)
    engine.record_card("移動販売の車が来る日を、自治会の回覧で知らせている")
    if tables:
        engine.advance_speaker()
        clock.advance(45)
        engine.record_card("付き添いボランティアを老人クラブで募っている")
    return create_session_file(engine.session, tmp_path / "sessions")


Snap = Callable[..., bool]


def test_snapshot_report_operator_100x30(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path
) -> None:
    path = report_on_screen(clock, tmp_path)
    app = make_app(session_path=path, sessions_dir=path.parent, clock=clock)
    assert snap_compare(app, terminal_size=(100, 30), run_before=settled)


def test_snapshot_report_by_table_operator_100x30(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path
) -> None:
    path = report_on_screen(clock, tmp_path, tables=True)
    app = make_app(session_path=path, sessions_dir=path.parent, clock=clock)
    assert snap_compare(app, terminal_size=(100, 30), run_before=settled)


@pytest.mark.parametrize("size", [(60, 20), (120, 36)], ids=["60x20", "120x36"])
def test_snapshot_report_by_table_display(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, size: tuple[int, int]
) -> None:
    path = report_on_screen(clock, tmp_path, tables=True)
    app = make_display(path, clock=clock)
    assert snap_compare(app, terminal_size=size, run_before=display_settled)


@pytest.fixture
def tables_file(clock: ManualClock, tmp_path: Path) -> Path:
    session = new_session(with_a_report(tables=True), session_id="tables", clock=clock)
    return create_session_file(session, tmp_path / "sessions")


def round_text(panel: SpeakerPanel) -> str:
    return " ".join(
        str(panel.query_one(f"#{part}", Static).render())
        for part in ("speaker-name", "speaker-next", "round-status")
    )


async def test_a_report_goes_round_by_table_on_the_screen(
    tables_file: Path, clock: ManualClock
) -> None:
    app = build(tables_file, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = running(pilot)
        engine = screen.engine
        await pilot.press("f7", "f7")  # share, then the report
        assert engine.step.kind is StepKind.REPORT
        panel = screen.query_one(SpeakerPanel)
        shown = round_text(panel)
        assert "テーブルA　山田 花子" in shown
        assert "テーブルB（佐藤）" in shown and "テーブルC（鈴木）" in shown
        assert "高橋" not in shown  # table A has its turn through 山田: one presenter a table
        await type_line(pilot, "移動販売の日を回覧で知らせている")
        await pilot.press("f2")  # recorded for table A; table B's turn
        assert "テーブルB　佐藤 一郎" in round_text(panel)

        # F4: table B's recorder is 中村, not its first member; the list says who sits where.
        await pilot.press("f4")
        choices = app.screen.query_one(ChoiceList)
        labels = [str(option.prompt) for option in choices.options]
        assert "・ テーブルB　中村 里美（NPO法人 たすけあいの会）" in labels, labels
        choices.highlighted = [option.id for option in choices.options].index("p8")
        await pilot.press("enter")
        await pilot.pause()
        assert engine.live.speaker == "p8"
        await type_line(pilot, "見守りの当番表を作った")
        await pilot.press("f2")  # table B has presented: table C next, no one else from B
        assert "テーブルC　鈴木 美和" in round_text(panel)
        await saved(pilot, screen)
        on_disk = load_session(tables_file)
        assert [(c.speaker, c.table, c.text) for c in on_disk.cards if c.step == REPORT] == [
            ("p1", "A", "移動販売の日を回覧で知らせている"),
            ("p8", "B", "見守りの当番表を作った"),
        ]


async def test_setup_shows_each_members_table_and_the_session_keeps_it(
    clock: ManualClock, tmp_path: Path
) -> None:
    data = tomllib.loads((SCENARIOS / "shimizu.toml").read_text("utf-8"))
    for person, table in zip(data["participants"], TABLES, strict=True):
        person["table"] = table
    scenario_path = tmp_path / "tables.toml"
    scenario_path.write_text(tomli_w.dumps(data), "utf-8")
    app = make_app(scenario_path=scenario_path, sessions_dir=tmp_path / "sessions", clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        roster = app.screen.query_one("#setup-roster", SelectionList)
        assert "テーブルA　第三団地自治会・会長" in roster.render_line(0).text
        last = roster.render_line(len(TABLES) - 1).text
        assert "小林 直子" in last and "テーブル" not in last  # no table: as before
        # A walk-in at the door: name, organisation, table, each with Enter.
        app.screen.query_one("#setup-walk-in-name", Input).focus()
        await pilot.pause()
        await pilot.press(*"Kimura", "enter", *"NPO", "enter", "B", "enter")
        await pilot.pause()
        assert "テーブルB　NPO" in roster.render_line(len(TABLES)).text
        await pilot.press("f7")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    (path,) = (tmp_path / "sessions").glob("*.toml")
    members = load_session(path).members
    assert [m.table for m in members] == [*TABLES, "B"]
    assert (members[-1].name, members[-1].walk_in) == ("Kimura", True)


async def test_setup_asks_a_walk_in_for_a_table_only_when_tables_meet(
    clock: ManualClock, tmp_path: Path
) -> None:
    app = make_app(
        scenario_path=SCENARIOS / "shimizu.toml", sessions_dir=tmp_path / "sessions", clock=clock
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.screen.query("#setup-walk-in-name")
        assert not app.screen.query("#setup-walk-in-table")


async def test_a_walk_in_joins_a_table_from_f4(tables_file: Path, clock: ManualClock) -> None:
    app = build(tables_file, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = running(pilot)
        engine = screen.engine
        await pilot.press("f7", "f7", "f4")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseDialog), "the speaker list")
        await pilot.press("end", "enter")  # the last entry: add a walk-in
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog), "the walk-in form")
        app.screen.query_one("#field-name", Input).value = "木村 洋平"
        tables = app.screen.query_one("#field-table", ChoiceList)
        labels = [str(option.prompt) for option in tables.options]
        assert labels == ["テーブルの指定なし", "テーブルA", "テーブルB", "テーブルC"]
        tables.highlighted = labels.index("テーブルB")
        await pilot.click("#ok")
        await wait_until(pilot, lambda: engine.live.speaker == "p10", "the walk-in to speak")
        assert engine.members[-1].table == "B"
        assert "テーブルB　木村 洋平" in round_text(screen.query_one(SpeakerPanel))


async def test_without_tables_the_walk_in_form_asks_for_none(
    report_file: Path, clock: ManualClock
) -> None:
    app = build(report_file, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f7", "f7", "f4")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseDialog), "the speaker list")
        await pilot.press("end", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog), "the walk-in form")
        assert not app.screen.query("#field-table")
