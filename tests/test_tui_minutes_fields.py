"""The minutes fields (issue 9) on screen: the setup form (F6) and the summary's actions."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input

from chie_kokan.clock import ManualClock
from chie_kokan.engine import new_session
from chie_kokan.models import NextMeeting, Scenario, Status
from chie_kokan.storage import create_session_file, load_session
from chie_kokan.tui.screens.dialogs import FormDialog
from chie_kokan.tui.screens.running import RunningScreen
from test_tui_running import build, running, saved
from test_tui_setup import message, only_session, screen, settle, setup_app, type_text


@pytest.fixture
def session_file(shimizu: Scenario, clock: ManualClock, tmp_path: Path) -> Path:
    return create_session_file(new_session(shimizu, session_id="shimizu", clock=clock), tmp_path)


async def open_form(pilot: Pilot[Any]) -> None:
    """F6 on the setup screen: the minutes fields' form."""
    await pilot.press("f6")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FormDialog)


async def fill(pilot: Pilot[Any], field: str, text: str) -> None:
    dialog = pilot.app.screen
    assert isinstance(dialog, FormDialog)
    dialog.query_one(f"#field-{field}", Input).focus()
    await type_text(pilot, text)


async def test_setup_sets_secretariat_author_closed_and_next_meeting(
    clock: ManualClock, tmp_path: Path
) -> None:
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_form(pilot)
        await fill(pilot, "secretariat", "高齢支援課")
        await fill(pilot, "author", "木下 恵子")
        app.screen.query_one("#field-public", Checkbox).value = False
        await fill(pilot, "next_date", "２０２７年１月１５日")  # full width, as an IME types
        await fill(pilot, "next_time", "14時00分")
        await fill(pilot, "next_place", "市民センター")
        await pilot.press("enter")  # after the last field: done
        await pilot.pause()
        assert not isinstance(app.screen, FormDialog)
        assert "議事録の項目を入れました" in message(app)
        # The form opens again with what was typed.
        await pilot.click("#setup-minutes")
        await pilot.pause()
        assert app.screen.query_one("#field-author", Input).value == "木下 恵子"
        await pilot.press("escape")
        await pilot.press("f7")
        await settle(app, pilot)
    session = only_session(tmp_path)
    assert session.secretariat == "高齢支援課"
    assert session.author == "木下 恵子"
    assert session.public is False
    assert session.next_meeting == NextMeeting(
        date=date(2027, 1, 15), time=time(14), place="市民センター"
    )


async def test_setup_refuses_an_unreadable_next_meeting_date(
    clock: ManualClock, tmp_path: Path
) -> None:
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_form(pilot)
        await fill(pilot, "next_date", "来月")
        app.screen.query_one("#ok", Button).press()
        await pilot.pause()
        assert "次回の開催日が読めません" in message(app)
        await pilot.press("f7")
        await settle(app, pilot)
        assert screen(app)  # still on setup: nothing written
    assert not (tmp_path / "sessions").exists() or not list((tmp_path / "sessions").iterdir())


async def ended(pilot: Pilot[Any]) -> RunningScreen:
    screen = running(pilot)
    engine = screen.engine  # the app has begun it
    engine.finish()
    screen.refresh_view()
    await pilot.pause()
    assert engine.ended
    return screen


async def test_summary_records_the_next_meeting(session_file: Path, clock: ManualClock) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        summary = await ended(pilot)
        shown = {b.binding.key for b in summary.active_bindings.values() if b.binding.show}
        assert {"ctrl+y", "ctrl+f"} <= shown
        assert summary.query_one("#btn-next_meeting", Button).display
        await pilot.press("ctrl+y")
        await pilot.pause()
        await fill(pilot, "next_date", "2027-01-15")
        await fill(pilot, "next_time", "14:00")
        await pilot.press("enter", "enter")  # on to the place, then done
        await pilot.pause()
        assert summary.engine.session.next_meeting == NextMeeting(
            date=date(2027, 1, 15), time=time(14)
        )
        summary.engine.undo()  # one undoable change
        assert summary.engine.session.next_meeting is None
        summary.engine.update_details(next_meeting=NextMeeting(place="公民館"))
        await saved(pilot, summary)
    assert load_session(session_file).next_meeting == NextMeeting(place="公民館")


async def test_summary_approves_the_minutes_by_palette(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        summary = await ended(pilot)
        await pilot.press("ctrl+p", *"議事録確定", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        await type_text(pilot, "山田 花子")
        await pilot.press("enter")
        await pilot.pause()
        session = summary.engine.session
        assert session.status is Status.APPROVED
        assert session.approval is not None and session.approval.by == "山田 花子"
        assert not summary.engine.approval_reset
        await saved(pilot, summary)
    assert load_session(session_file).status is Status.APPROVED


async def test_the_summary_actions_are_not_offered_during_the_meeting(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = running(pilot)
        await pilot.pause()
        assert "ctrl+y" not in screen.active_bindings
        assert not screen.query_one("#btn-approve", Button).display
