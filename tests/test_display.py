"""The audience view follows the session file as the operator saves it, and writes nothing.

The meeting is run through the engine on a manual clock and saved the way
the operator's screen saves it (``save_session``: a temp file renamed over
the session). The display runs under Pilot and is read back from what it
shows (the screen's text, flattened) and from its widgets. Every wait polls
with a bound; nothing sleeps a fixed time.
"""

from __future__ import annotations

import html
import os
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot

from chie_kokan import cli
from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.i18n import t
from chie_kokan.lock import lock_path, lock_session
from chie_kokan.models import Scenario
from chie_kokan.storage import create_session_file, save_session
from chie_kokan.tui import display as display_module
from chie_kokan.tui.display import CardWall, DisplayApp, TooSmall, make_display
from chie_kokan.tui.glyphs import ARROW, PICKED
from chie_kokan.tui.widgets.timebox import ClockDigits, TimeBox
from test_snapshots_running import EN, JA, OPENING, PICK, SHARE, earlier_meeting, meeting

SIZE = (120, 36)
TIMEOUT = 5.0
FAST = 0.05
"""The tests poll the file faster than the projector does: the same code, less waiting."""

Meeting = tuple[SessionEngine, Path]


def shown(app: DisplayApp) -> str:
    """Everything on the screen as one string, whitespace and line breaks removed."""
    svg = app.export_screenshot()
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    return "".join("".join(html.unescape(text).split()) for text in texts)


def flat(text: str) -> str:
    return "".join(text.split())


async def until(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out after {TIMEOUT}s waiting for {what}")


async def showing(pilot: Pilot[Any], *texts: str) -> None:
    app = pilot.app
    assert isinstance(app, DisplayApp)
    seen = ""

    def check() -> bool:
        nonlocal seen
        seen = shown(app)
        return all(flat(text) in seen for text in texts)

    try:
        await until(pilot, check, f"{texts} on screen")
    except AssertionError as error:
        raise AssertionError(f"{error}\n--- screen ---\n{seen}") from None


@pytest.fixture
def share(shimizu: Scenario, clock: ManualClock, tmp_path: Path) -> Meeting:
    """Shimizu-san's meeting on the share step: four cards, 高橋 speaking, the timer running."""
    engine = meeting(shimizu, JA, clock, SHARE)
    return engine, create_session_file(engine.session, tmp_path / "sessions")


def display(path: Path, clock: ManualClock, **kwargs: Any) -> DisplayApp:
    return make_display(path, clock=clock, poll_seconds=FAST, **kwargs)


def folder_state(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in the folder: its bytes and its mtime."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


async def test_a_new_card_shows(share: Meeting, clock: ManualClock) -> None:
    engine, path = share
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await showing(pilot, JA.troubles[3], t("display.cards_title", count=5))
        card = "夜道が暗くて、夕方から外に出られない"
        clock.advance(5)
        engine.record_card(card)
        save_session(engine.session, path)
        await showing(pilot, card, t("display.cards_title", count=6))


async def test_a_board_of_thousands_shows_the_newest_and_counts_the_rest(
    share: Meeting, clock: ManualClock
) -> None:
    engine, path = share
    for number in range(1, 2001):
        engine.record_card(f"カード{number}番")
    save_session(engine.session, path)
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await showing(pilot, "カード2000番", t("display.cards_title", count=2005))
        await pilot.resize_terminal(150, 80)  # taller: more of the newest cards
        await pilot.pause()
        text = shown(app)
        visible = re.findall(r"カード(\d+)番", text)
        # The wall is full: a card a line, and one line to count the rest.
        assert len(visible) == app.query_one(CardWall).content_region.height - 1 > 40
        assert [int(n) for n in visible] == list(range(2001 - len(visible), 2001))
        hidden = 2005 - len(visible)
        assert flat(t("display.more_cards", count=hidden)) in text


async def test_a_speaker_change_shows(share: Meeting, clock: ManualClock) -> None:
    engine, path = share
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await showing(pilot, "高橋 健", f"次: 田中 {ARROW} 伊藤 {ARROW} 渡辺")
        engine.advance_speaker()
        save_session(engine.session, path)
        await showing(pilot, "田中 和子", f"次: 伊藤 {ARROW} 渡辺 {ARROW} 中村")
        assert "高橋健地域包括" not in shown(app)


async def test_a_step_change_shows_the_troubles_with_votes(
    share: Meeting, clock: ManualClock
) -> None:
    engine, path = share
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await showing(pilot, "困りごとを共有する")
        engine.next_step()
        engine.vote("c3", 4)
        engine.set_picked("c3")
        save_session(engine.session, path)
        await showing(pilot, "解決が必要な困りごとを見つける", f"{PICKED} 4票 {JA.troubles[2]}")
        # Most votes first: the picked trouble leads the board.
        text = shown(app)
        assert text.index(flat(JA.troubles[2])) < text.index(flat(JA.troubles[0]))


async def test_the_timer_ticks_from_the_files_timer_state(
    share: Meeting, clock: ManualClock
) -> None:
    engine, path = share
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        digits = app.query_one(ClockDigits)
        await until(pilot, lambda: digits.value == "16:45", "16:45 (20 minutes, 3:15 used)")
        clock.advance(65)  # nobody saved: the display counts from running_since
        await until(pilot, lambda: digits.value == "15:40", "the timer to tick to 15:40")
        engine.toggle_timer()  # paused by the operator
        save_session(engine.session, path)
        await showing(pilot, t("layout.time_paused_short"))
        assert "F5" not in shown(app)  # the room reads the state, not the operator's key
        clock.advance(120)
        await pilot.pause(0.3)
        assert digits.value == "15:40"
        clock.advance(20 * 60)
        engine.toggle_timer()  # running again, and now over time
        save_session(engine.session, path)
        clock.advance(15 * 60 + 50)
        await until(pilot, lambda: digits.value == "+0:10", "+0:10 over time")
        await showing(pilot, t("tui.time_over"))


async def test_a_broken_file_is_skipped_and_the_last_state_kept(
    share: Meeting, clock: ManualClock
) -> None:
    engine, path = share
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await showing(pilot, JA.troubles[3])
        reads = app.reads
        broken = path.with_name("broken.tmp")
        broken.write_text('schema = 1\nid = "x"\n[live\n', encoding="utf-8")
        os.replace(broken, path)
        await showing(pilot, t("display.file_unreadable", file=path.name))
        assert flat(JA.troubles[3]) in shown(app)
        assert app.reads == reads
        card = "壊れたあとの次のカード"
        engine.record_card(card)
        save_session(engine.session, path)
        await showing(pilot, card)
        assert "今は読めません" not in shown(app)


async def test_deleted_then_recreated(share: Meeting, clock: ManualClock) -> None:
    engine, path = share
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await showing(pilot, JA.troubles[3])
        path.unlink()
        await showing(pilot, t("display.file_missing", file=path.name), JA.troubles[3])
        engine.advance_speaker()
        save_session(engine.session, path)
        await showing(pilot, "田中 和子")
        assert "見当たりません" not in shown(app)


async def test_replaced_by_another_file(
    share: Meeting, clock: ManualClock, riverside: Scenario, tmp_path: Path
) -> None:
    _, path = share
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await showing(pilot, JA.troubles[3])
        # Another copy put in its place (restored from a stick, say): the display follows it.
        other = meeting(riverside, EN, ManualClock(clock()), PICK)
        copy = create_session_file(other.session, tmp_path / "elsewhere")
        os.replace(copy, path)
        await showing(pilot, EN.group, EN.troubles[2], other.session.scenario.rules[0])


async def test_a_symlinked_session_follows_the_real_file(
    share: Meeting, clock: ManualClock, tmp_path: Path
) -> None:
    engine, path = share
    link = tmp_path / "projector.toml"
    link.symlink_to(path)
    app = display(link, clock)
    assert app.path == path
    async with app.run_test(size=SIZE) as pilot:
        card = "リンク先のファイルに保存されたカード"
        engine.record_card(card)
        save_session(engine.session, path)  # the operator replaces the real file
        await showing(pilot, card)


async def test_never_writes_and_takes_no_lock(share: Meeting, clock: ManualClock) -> None:
    _, path = share
    folder = path.parent
    before = folder_state(folder)
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await showing(pilot, JA.troubles[3])
        reads = app.reads
        clock.advance(30)
        await until(pilot, lambda: app.reads == reads and app.fit == "medium", "a quiet moment")
        for _ in range(6):  # several polls and ticks
            await pilot.pause(FAST)
        assert not lock_path(path).exists()
        assert folder_state(folder) == before
    assert folder_state(folder) == before


async def test_the_operators_lock_does_not_matter(share: Meeting, clock: ManualClock) -> None:
    engine, path = share
    lock = lock_session(path, clock=clock)  # the operator is recording
    assert lock is not None
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        engine.record_card("記録中でも見られる")
        save_session(engine.session, path)
        await showing(pilot, "記録中でも見られる")
        lock.release()  # the operator quits…
        again = lock_session(path, clock=clock)  # …and resumes
        assert again is not None
        engine.record_card("再開後のカード")
        save_session(engine.session, path)
        await showing(pilot, "再開後のカード")
        again.release()


async def test_the_file_is_parsed_off_the_screens_thread(
    share: Meeting, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, path = share
    app = display(path, clock)
    threads: list[threading.Thread] = []
    real = display_module.load_session

    def load(where: Path) -> Any:
        threads.append(threading.current_thread())
        return real(where)

    monkeypatch.setattr(display_module, "load_session", load)
    async with app.run_test(size=SIZE) as pilot:
        engine.record_card("スレッドで読まれるカード")
        save_session(engine.session, path)
        await showing(pilot, "スレッドで読まれるカード")
    assert threads
    assert threading.main_thread() not in threads


async def test_opening_shows_the_case_and_the_report_back(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    sessions = tmp_path / "sessions"
    earlier_meeting(shimizu, JA, clock, sessions)
    engine = meeting(shimizu, JA, clock, OPENING)
    path = create_session_file(engine.session, sessions)
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await showing(pilot, "清水さん", t("report_back.title"), JA.earlier_action)
        engine.next_step()
        save_session(engine.session, path)
        await showing(pilot, "困りごとを共有する")
        assert flat(JA.earlier_action) not in shown(app)


async def test_every_promise_is_readable_at_60_by_20(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    """On a small screen the earlier promises take the case's place, one line each."""
    sessions = tmp_path / "sessions"
    earlier_meeting(shimizu, JA, clock, sessions, all_actions=True)
    engine = meeting(shimizu, JA, clock, OPENING)
    path = create_session_file(engine.session, sessions)
    app = display(path, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        promises = [JA.earlier_action, *(what for what, _, _ in JA.actions)]
        await showing(pilot, t("report_back.title"), *promises)
        assert "…" not in shown(app)


async def test_below_60_by_20_asks_for_a_bigger_window(share: Meeting, clock: ManualClock) -> None:
    _, path = share
    app = display(path, clock)
    async with app.run_test(size=(59, 20)) as pilot:
        await pilot.pause()
        assert app.query_one(TooSmall).display
        assert "横60文字・縦20行" in shown(app)
        assert flat(JA.troubles[3]) not in shown(app)
        await pilot.resize_terminal(60, 20)
        await showing(pilot, "高橋 健")
        assert "横60文字・縦20行" not in shown(app)


async def test_a_long_overtime_fits_a_small_window(share: Meeting, clock: ManualClock) -> None:
    """Two hours over on a forgotten timer: the digits too wide for 60×20 read as text."""
    _, path = share
    clock.advance(2 * 3600 + 16 * 60 + 45)
    app = display(path, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await showing(pilot, "+2:00:00")


async def test_english(share: Meeting, clock: ManualClock) -> None:
    _, path = share
    app = display(path, clock, language="en")
    async with app.run_test(size=SIZE) as pilot:
        await showing(pilot, "Cards (5)", "Time left", "Ground rules")


async def test_a_finished_session_with_nobody_present(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    """A hand-written file: ended, no members. The summary shows, nothing crashes."""
    session = new_session(shimizu, session_id="empty", members=[], clock=clock)
    session.live.started = session.live.ended = True
    path = create_session_file(session, tmp_path / "sessions")
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await showing(pilot, t("tui.summary_counts"), t("tui.summary_picked"))
    assert not app.return_code


async def test_the_room_sees_the_results_not_who_spoke_how_long(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    """Speaking time per person stays on the operator's screen, off the room's."""
    engine = SessionEngine(new_session(shimizu, session_id="ended", clock=clock), clock=clock)
    engine.begin()
    engine.next_step()
    first = engine.current_speaker
    assert first is not None
    clock.advance(75)
    engine.advance_speaker()
    engine.finish()
    path = create_session_file(engine.session, tmp_path / "sessions")
    app = display(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await showing(pilot, t("tui.summary_picked"), t("tui.summary_counts"))
        screen = shown(app)
    assert flat(t("tui.summary_speaking")) not in screen
    assert "1:15" not in screen


def test_a_missing_file_is_one_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["display", "sessions/nowhere.toml"]) == 2
    err = capsys.readouterr().err
    assert "nowhere.toml" in err
    assert t("display.open_hint") in err
    assert "Traceback" not in err


def test_a_broken_file_is_one_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("schema = [\n", encoding="utf-8")
    assert cli.main(["display", str(broken), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "broken.toml" in err
    assert "line 1" in err
    assert t("display.open_hint", "en") in err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.toml"]


async def test_a_paused_clock_says_so_whole_in_a_small_window(
    share: Meeting, clock: ManualClock
) -> None:
    engine, path = share
    engine.toggle_timer()
    save_session(engine.session, path)
    app = display(path, clock)
    async with app.run_test(size=(60, 20)) as pilot:
        await showing(pilot, t("layout.time_paused_short"))
        box = app.query_one(TimeBox)
        title = str(box.border_title)
        assert cell_len(title) + 4 <= box.size.width, title  # the border keeps it whole
