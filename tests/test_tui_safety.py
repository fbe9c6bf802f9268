"""Nothing lost: one controller per session, saving elsewhere, fast typing, crashes.

Driven through Textual's Pilot on the real app, as ``test_tui_running`` is;
the tmux tests repeat the decisive ones through a real terminal.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

import chie_kokan.autosave as autosave
from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.files import atomic_write
from chie_kokan.i18n import t
from chie_kokan.lock import LockInfo, SessionLock, SessionLocked, lock_path
from chie_kokan.models import Approval, Scenario, Status
from chie_kokan.storage import create_session_file, load_session, save_session
from chie_kokan.tui.app import make_app
from chie_kokan.tui.screens.dialogs import ConfirmDialog, FormDialog
from chie_kokan.tui.screens.launcher import LauncherScreen
from chie_kokan.tui.screens.running import RunningScreen
from test_tui_running import (
    SIZE,
    build,
    recording_notices,
    running,
    save_and_quit,
    saved,
    text_of,
    wait_until,
)

SHARE = 1


@pytest.fixture
def session_file(shimizu: Scenario, clock: ManualClock, tmp_path: Path) -> Path:
    session = new_session(shimizu, session_id="shimizu", clock=clock)
    return create_session_file(session, tmp_path / "sessions")


def lock_holder(session: Path) -> LockInfo | None:
    path = lock_path(session)
    return LockInfo.parse(path.read_bytes()) if path.exists() else None


# -- one controller per session --------------------------------------------------------


async def test_a_second_screen_on_an_open_session_is_refused(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await saved(pilot, screen)
        holder = lock_holder(session_file)
        assert holder is not None and holder.pid == os.getpid()
        before = session_file.read_bytes()
        with pytest.raises(SessionLocked) as refused:
            build(session_file, clock)
        assert str(os.getpid()) in str(refused.value)
        assert session_file.read_bytes() == before
        await save_and_quit(pilot)
    assert app.return_code == 0
    assert lock_holder(session_file) is None  # gone on exit: resuming works again
    again = build(session_file, clock)
    async with again.run_test(size=SIZE) as pilot:
        await save_and_quit(pilot)


async def test_a_session_opened_through_links_is_one_session(
    session_file: Path, clock: ManualClock, tmp_path: Path
) -> None:
    """Two links to one file share one lock, and saving updates the file, not the link."""
    desk, stick = tmp_path / "desk.toml", tmp_path / "stick.toml"
    desk.symlink_to(session_file)
    stick.symlink_to(session_file)
    app = build(desk, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        with pytest.raises(SessionLocked):
            build(stick, clock)
        await pilot.press(*"link", "enter")
        await saved(pilot, screen)
        await save_and_quit(pilot)
    assert desk.is_symlink() and stick.is_symlink()
    assert [card.text for card in load_session(session_file).cards] == ["link"]
    assert not lock_path(session_file).exists() and not lock_path(desk).exists()


async def test_a_stale_lock_is_taken_over_with_a_notice(
    session_file: Path, clock: ManualClock
) -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    stale = LockInfo(socket.gethostname(), child.pid, clock(), "crashed-earlier")
    lock_path(session_file).write_bytes(stale.text())
    app = build(session_file, clock)
    notices = recording_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot, lambda: any("正しく終了していませんでした" in n for n in notices), "the notice"
        )
        assert any(str(child.pid) in n for n in notices)
        holder = lock_holder(session_file)
        assert holder is not None and holder.pid == os.getpid()
        await save_and_quit(pilot)


async def test_a_screen_whose_session_was_taken_over_stops_saving_there(
    session_file: Path, clock: ManualClock, tmp_path: Path
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await pilot.press("f7")
        await saved(pilot, screen)
        # Another screen takes the session over and records there.
        theirs = SessionLock.acquire(session_file, take_over=True, clock=clock)
        other = SessionEngine(load_session(session_file), clock=clock)
        other.record_card("向こうの画面のカード", speaker=None)
        save_session(other.session, session_file)
        their_file = session_file.read_bytes()

        await pilot.press(*"mine", "enter")
        banner = screen.query_one("#save-banner")
        await wait_until(pilot, lambda: banner.display, "the taken-over banner")
        message = "".join(text_of(screen, "#save-error").split())
        assert "引き継がれました" in message and str(theirs.info.pid) in message
        await pilot.press(*"more", "enter")
        await pilot.pause(0.2)
        assert session_file.read_bytes() == their_file  # never overwritten
        assert [c.text for c in screen.engine.session.cards] == ["mine", "more"]

        # Keep this screen's records: save them elsewhere, as the banner says.
        await pilot.click("#save-elsewhere")
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#field-folder", Input).value = str(tmp_path / "usb")
        await pilot.press("enter")
        kept = tmp_path / "usb" / session_file.name
        await wait_until(pilot, lambda: not banner.display, "the banner to go")
        await saved(pilot, screen)
        assert [c.text for c in load_session(kept).cards] == ["mine", "more"]
        assert lock_holder(session_file) == theirs.info  # theirs, untouched
        await save_and_quit(pilot)
    assert app.return_code == 0
    assert lock_holder(kept) is None
    assert lock_holder(session_file) == theirs.info
    theirs.release()


async def test_save_elsewhere_never_replaces_another_session_of_the_same_name(
    session_file: Path, clock: ManualClock, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    other_table = usb / session_file.name  # another laptop's table, same day, same scenario
    other_table.write_bytes(session_file.read_bytes())
    before = other_table.read_bytes()
    app = build(session_file, clock)
    notices = recording_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await pilot.press(*"A card", "enter")
        await saved(pilot, screen)
        screen._save_elsewhere()  # as the banner's button does
        await pilot.pause()
        assert isinstance(app.screen, FormDialog)
        app.screen.query_one("#field-folder", Input).value = str(usb)
        await pilot.press("enter")
        moved = usb / f"{session_file.stem}-2.toml"
        await wait_until(pilot, lambda: screen.path == moved, "the move")
        await saved(pilot, screen)
        assert any(str(moved) in n for n in notices)  # says which name it took
        assert other_table.read_bytes() == before
        assert [c.text for c in load_session(moved).cards] == ["A card"]
        # The lock moved with the file.
        assert lock_holder(moved) is not None
        assert lock_holder(session_file) is None
        await pilot.press(*"next", "enter")
        await saved(pilot, screen)
        assert [c.text for c in load_session(moved).cards] == ["A card", "next"]
        assert [c.text for c in load_session(session_file).cards] == ["A card"]
        await save_and_quit(pilot)
    assert lock_holder(moved) is None


# -- fast typing -------------------------------------------------------------------------


async def burst(pilot: Pilot[Any], text: str) -> None:
    """Keys as a fast typist (or a barcode-fast paste) sends them: all queued at once."""
    driver = pilot.app._driver
    assert driver is not None
    for char in text:
        key = "enter" if char == "\n" else ("space" if char == " " else char)
        event = events.Key(key, None if char == "\n" else char)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await pilot.pause()


async def test_every_line_typed_fast_is_one_card(session_file: Path, clock: ManualClock) -> None:
    lines = [f"line {number} said" for number in range(1, 31)]
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await pilot.press("f7")
        await burst(pilot, "".join(f"{line}\n" for line in lines) + "unfinished")
        await wait_until(
            pilot, lambda: len(screen.engine.cards_of_step(SHARE)) >= 30, "thirty cards"
        )
        await pilot.pause(0.2)
        assert [c.text for c in screen.engine.cards_of_step(SHARE)] == lines
        assert screen.query_one("#entry", Input).value == "unfinished"
        await save_and_quit(pilot)


async def test_ctrl_n_typed_fast_records_unsigned_exactly_its_line(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await pilot.press("f7")
        await burst(pilot, "for the speaker\nfor everyone")
        driver = app._driver
        assert driver is not None
        event = events.Key("ctrl+n", None)
        event.set_sender(app)
        driver.send_message(event)
        await burst(pilot, "next one")
        await wait_until(pilot, lambda: len(screen.engine.session.cards) == 2, "two cards")
        cards = [(c.text, c.speaker) for c in screen.engine.session.cards]
        assert cards == [("for the speaker", "p1"), ("for everyone", None)]
        assert screen.query_one("#entry", Input).value == "next one"
        await save_and_quit(pilot)


async def test_a_line_that_cannot_be_recorded_stays_in_the_entry(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        screen.engine.record_card = _refuse  # type: ignore[method-assign]
        await pilot.press(*"keep me", "enter")
        assert screen.query_one("#entry", Input).value == "keep me"
        await save_and_quit(pilot)


def _refuse(*args: object, **kwargs: object) -> None:
    from chie_kokan.engine import DomainError

    raise DomainError("ended")


# -- a crash -------------------------------------------------------------------------------


async def test_a_crash_exits_non_zero_with_the_session_saved_and_unlocked(
    session_file: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build(session_file, clock)
    with pytest.raises(RuntimeError, match="a bug"):
        async with app.run_test(size=SIZE) as pilot:
            screen = running(pilot)
            await pilot.press("f7", *"before the crash", "enter")
            # The saver cannot write the last change in time (a slow stick)…
            monkeypatch.setattr(autosave, "atomic_write", _slow_stick)
            await pilot.press(*"last words", "enter")

            def boom() -> None:
                raise RuntimeError("a bug")

            monkeypatch.setattr(screen.engine, "toggle_timer", boom)
            await pilot.press("f5")  # …and then a bug ends the app.
            await pilot.pause()
    assert app.return_code == 1
    monkeypatch.setattr(autosave, "atomic_write", atomic_write)
    rescue = app.rescue()
    assert rescue is not None and rescue.saved and rescue.path == session_file
    assert [c.text for c in load_session(session_file).cards] == ["before the crash", "last words"]
    assert lock_holder(session_file) is None


def _slow_stick(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    raise OSError(5, "Input/output error", str(path))


# -- the launcher asks before taking over ------------------------------------------------------


async def test_the_launcher_says_who_has_a_session_and_takes_over_only_when_asked(
    session_file: Path, clock: ManualClock, tmp_path: Path
) -> None:
    elsewhere = LockInfo("kominkan-pc", 4242, clock(), "theirs")
    lock_path(session_file).write_bytes(elsewhere.text())
    app = make_app(sessions_dir=session_file.parent, scenarios_dir=tmp_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen)
        app.resume_session(session_file)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        question = str(app.screen.message)
        assert "kominkan-pc" in question and "4242" in question
        await pilot.press("enter")  # the safe answer is the default: no
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen)
        assert lock_holder(session_file) == elsewhere

        app.resume_session(session_file)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.click("#ok")
        await wait_until(pilot, lambda: isinstance(app.screen, RunningScreen), "the meeting")
        holder = lock_holder(session_file)
        assert holder is not None and holder.pid == os.getpid()
        await save_and_quit(pilot)
    assert lock_holder(session_file) is None


def test_the_launcher_lists_a_session_in_use_with_who_has_it(
    session_file: Path, clock: ManualClock
) -> None:
    from chie_kokan.tui.screens.launcher import scan_sessions

    [free] = scan_sessions(session_file.parent)
    assert free.in_use == ""
    lock_path(session_file).write_bytes(LockInfo("kominkan-pc", 4242, clock(), "t").text())
    [busy] = scan_sessions(session_file.parent)
    assert "kominkan-pc" in busy.in_use and "使用中" in busy.in_use
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    stale = LockInfo(socket.gethostname(), child.pid, clock(), "crashed")
    lock_path(session_file).write_bytes(stale.text())
    [after_crash] = scan_sessions(session_file.parent)
    assert after_crash.in_use == ""  # a stale lock is nobody: resuming will take it over


async def test_a_change_to_approved_minutes_says_they_are_a_draft_again(
    session_file: Path, clock: ManualClock
) -> None:
    session = load_session(session_file)
    session.status = Status.APPROVED
    session.approval = Approval(by="山田 花子", at=clock())
    save_session(session, session_file)
    app = build(session_file, clock)
    notices = recording_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await pilot.press("f7")
        await pilot.press(*"after approval", "enter")
        await saved(pilot, screen)
        assert t("tui.approval_reset") in notices
        await save_and_quit(pilot)
    after = load_session(session_file)
    assert (after.status, after.approval) == (Status.DRAFT, None)
