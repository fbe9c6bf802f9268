"""前回からの報告 on the opening step: the list at 80×24, its keys, palette and buttons."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from chie_kokan.clock import ManualClock
from chie_kokan.engine import new_session
from chie_kokan.models import ReportStatus, Scenario
from chie_kokan.storage import create_session_file, load_session
from chie_kokan.tui.screens.dialogs import FormDialog
from chie_kokan.tui.screens.running import RunningScreen
from test_tui_running import build, earlier_session, palette_titles, running, saved, wait_until

SMALL = (80, 24)
PROMISES = [
    "済んだ宿題",
    "見守りマップを回覧する",
    "移動販売の日程",
    "サロンの案内を配る",
    "民生委員に相談",
]


@pytest.fixture
def sessions_dir(tmp_path: Path) -> Path:
    return tmp_path / "sessions"


@pytest.fixture
def earlier(shimizu: Scenario, clock: ManualClock, sessions_dir: Path) -> Path:
    """A session five weeks ago: the first promise done there, four still open."""
    return earlier_session(shimizu, clock, sessions_dir, 35, PROMISES)


@pytest.fixture
def today(shimizu: Scenario, clock: ManualClock, sessions_dir: Path, earlier: Path) -> Path:
    return create_session_file(new_session(shimizu, session_id="today", clock=clock), sessions_dir)


def rows(screen: RunningScreen) -> list[str]:
    report_list = screen.query_one("#report-back", OptionList)
    return [str(report_list.get_option_at_index(i).prompt) for i in range(report_list.option_count)]


async def listed(pilot: Pilot[Any]) -> RunningScreen:
    screen = running(pilot)
    await wait_until(pilot, lambda: len(rows(screen)) == 4, "the report back list")
    await pilot.pause()
    return screen


def footer_keys(screen: RunningScreen) -> set[str]:
    return {b.binding.key for b in screen.active_bindings.values() if b.binding.show}


async def test_every_open_item_is_listed_at_80_by_24(today: Path, clock: ManualClock) -> None:
    app = build(today, clock)
    async with app.run_test(size=SMALL) as pilot:
        screen = await listed(pilot)
        assert [row.split("】")[1].split("  ")[0] for row in rows(screen)] == PROMISES[1:]
        for row in rows(screen):
            assert "未報告" in row and "担当: 山田 花子" in row and "期限: 次回まで" in row
        report_list = screen.query_one("#report-back", OptionList)
        assert report_list.display and report_list.region.height >= 3
        assert {"ctrl+y", "ctrl+f", "ctrl+b"} <= footer_keys(screen)


async def test_keys_mark_with_a_note_in_this_session_only(
    today: Path, earlier: Path, clock: ManualClock
) -> None:
    before = earlier.read_bytes()
    app = build(today, clock)
    async with app.run_test(size=SMALL) as pilot:
        screen = await listed(pilot)
        await pilot.press("ctrl+y")
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one(Input).value = "回覧しました"
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(screen.engine.session.report_back), "the mark")
        (item,) = screen.engine.session.report_back
        assert (item.what, item.status, item.note) == (
            "見守りマップを回覧する",
            ReportStatus.DONE,
            "回覧しました",
        )
        assert "【済】" in rows(screen)[0] and "回覧しました" in rows(screen)[0]
        # The highlight moved on to the next item not discussed: ^F marks it.
        await pilot.press("ctrl+f")
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(screen.engine.session.report_back) == 2, "継続")
        assert screen.engine.session.report_back[1].what == "移動販売の日程"
        assert screen.engine.session.report_back[1].status is ReportStatus.CONTINUES
        await pilot.press("ctrl+z")
        assert len(screen.engine.session.report_back) == 1
        await saved(pilot, screen)
        assert load_session(today).report_back[0].status is ReportStatus.DONE
    assert earlier.read_bytes() == before


async def test_the_palette_and_a_button_mark_too(today: Path, clock: ManualClock) -> None:
    app = build(today, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await listed(pilot)
        titles = palette_titles(app)
        for label in ("済", "継続", "中止"):
            assert any(title.startswith(f"{label} (") for title in titles), titles
        await pilot.click("#btn-report_dropped")
        assert isinstance(app.screen, FormDialog)
        await pilot.press("enter")
        await wait_until(pilot, lambda: bool(screen.engine.session.report_back), "中止")
        assert screen.engine.session.report_back[0].status is ReportStatus.DROPPED
        await pilot.press("f7")
        assert not screen.query_one("#report-back").display
        assert not any(title.startswith("中止 (") for title in palette_titles(app))
        assert "ctrl+b" not in footer_keys(screen)


async def test_no_keys_without_anything_to_report(
    shimizu: Scenario, clock: ManualClock, sessions_dir: Path
) -> None:
    path = create_session_file(new_session(shimizu, session_id="first", clock=clock), sessions_dir)
    app = build(path, clock)
    async with app.run_test(size=SMALL) as pilot:
        screen = running(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "ctrl+y" not in footer_keys(screen)
        assert not any(title.startswith("済 (") for title in palette_titles(app))
