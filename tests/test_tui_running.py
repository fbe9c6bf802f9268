"""The running screen, driven by keys through Textual's Pilot.

Each test builds the app the way the command line does (``make_app`` on a
session file), on a session that is set up but not started: the app begins
it. A ``ManualClock`` moves only when told, so turn and step times are
exact. After each step of the meeting we check the engine's state *and*
that the file on disk holds exactly that state.
"""

from __future__ import annotations

import asyncio
import errno
import html
import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Input, OptionList, Static

import chie_kokan.autosave as autosave
from chie_kokan.autosave import AutoSaver
from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export.resources import resource_records
from chie_kokan.facts import question_number
from chie_kokan.files import atomic_write
from chie_kokan.i18n import set_language, t
from chie_kokan.models import Outcome, Scenario, StepKind
from chie_kokan.resources import CardResource
from chie_kokan.storage import create_session_file, load_session, save_session
from chie_kokan.tui.app import ChieKokanApp, make_app
from chie_kokan.tui.glyphs import PICKED, numbered
from chie_kokan.tui.keys import key_name
from chie_kokan.tui.screens.dialogs import ChooseDialog, ConfirmDialog, FormDialog
from chie_kokan.tui.screens.help import HelpScreen
from chie_kokan.tui.screens.running import RunningScreen
from chie_kokan.tui.widgets.step_track import StepTrack
from screen_helpers import screen_lines

OPENING, SHARE, PICK, EXCHANGE, SPREAD, REFLECT = range(6)
SIZE = (120, 36)
POLL = 0.05
POLLS = 100  # 5 seconds at most for anything "at once"


# -- building the app ----------------------------------------------------------


@pytest.fixture
def sessions_dir(tmp_path: Path) -> Path:
    return tmp_path / "sessions"


@pytest.fixture
def session_file(shimizu: Scenario, clock: ManualClock, sessions_dir: Path) -> Path:
    """A Shimizu-san session, set up (whole roster present) but not started."""
    session = new_session(shimizu, session_id="shimizu", clock=clock)
    return create_session_file(session, sessions_dir)


def build(path: Path, clock: ManualClock) -> ChieKokanApp:
    return make_app(session_path=path, sessions_dir=path.parent, clock=clock)


def running(pilot: Pilot[Any]) -> RunningScreen:
    screen = pilot.app.screen
    assert isinstance(screen, RunningScreen), f"expected the running screen, got {screen!r}"
    return screen


# -- reading the screen ----------------------------------------------------------


def shown(widget: Widget) -> str:
    """What a text widget shows, as plain text without the line breaks wrapping added."""
    content = getattr(widget, "content", None)
    assert content is not None, f"{widget!r} shows no text"
    plain = content.plain if isinstance(content, Text | Content) else str(content)
    return plain.replace("\n", "")


def text_of(screen: RunningScreen, selector: str) -> str:
    return shown(screen.query_one(selector))


def squeeze(text: str) -> str:
    """Wrapping may drop the space it broke at: compare without spaces."""
    return "".join(text.split())


# -- waiting, never sleeping a fixed time --------------------------------------------


async def wait_until(pilot: Pilot[Any], condition: Any, what: str) -> None:
    for _ in range(POLLS):
        if condition():
            return
        await pilot.pause(POLL)
    raise AssertionError(f"timed out waiting for {what}")


async def save_and_quit(pilot: Pilot[Any], key: str = "ctrl+q") -> None:
    """Ctrl+Q (or its button), then wait for the app to decide to go: saving runs
    off the screen's thread, so the key returns before the file is written."""
    if key.startswith("#"):
        await pilot.click(key)
    else:
        await pilot.press(key)
    await quitted(pilot)


async def quitted(pilot: Pilot[Any]) -> None:
    app = pilot.app
    for _ in range(POLLS):
        if app.return_code is not None:
            return
        # Not pilot.pause(): once the app has decided to exit it has no screen to wait on.
        await asyncio.sleep(POLL)
    raise AssertionError("timed out waiting for the app to quit")


async def saved(pilot: Pilot[Any], screen: RunningScreen) -> None:
    """Wait for the saver, then check the file holds exactly the engine's session."""
    engine = screen.engine
    assert screen.saver is not None
    saver = screen.saver
    await wait_until(
        pilot, lambda: saver.written_revision >= engine.revision, f"revision {engine.revision}"
    )
    on_disk = load_session(screen.path)
    assert on_disk.model_dump() == engine.session.model_dump()
    # The saver's report reaches the screen a moment later: the indicator says so.
    await wait_until(
        pilot,
        lambda: any(word in text_of(screen, "#saved") for word in ("保存済み", "Saved")),
        "the saved indicator",
    )


async def type_line(pilot: Pilot[Any], text: str) -> None:
    """Type into the focused input: keys for ASCII, the value for Japanese.

    Pilot cannot type through an IME (the tmux test types real UTF-8), and
    it drops Japanese punctuation, so non-ASCII text is set as the value.
    """
    focused = pilot.app.focused
    assert isinstance(focused, Input), f"expected an input to have focus, got {focused!r}"
    if text.isascii():
        await pilot.press(*text)
    else:
        focused.value = text
        focused.cursor_position = len(text)
    assert focused.value.endswith(text)


async def record(pilot: Pilot[Any], text: str) -> None:
    await type_line(pilot, text)
    await pilot.press("enter")


def recording_notices(app: ChieKokanApp) -> list[str]:
    """Every message the app shows as a toast, in order."""
    notices: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        notices.append(str(message))
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return notices


def card_texts(engine: SessionEngine, step: int) -> list[tuple[str, str | None]]:
    return [(card.text, card.speaker) for card in engine.cards_of_step(step)]


def outcomes(engine: SessionEngine, step: int) -> list[tuple[str, Outcome | None]]:
    return [(turn.speaker, turn.outcome) for turn in engine.session.turns if turn.step == step]


# -- the whole meeting, by keys only -------------------------------------------------


@pytest.mark.parametrize("size", [(120, 36), (100, 30)], ids=["120x36", "100x30"])
async def test_a_full_session_by_keys(
    session_file: Path, clock: ManualClock, size: tuple[int, int]
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=size) as pilot:
        screen = running(pilot)
        engine = screen.engine
        start = clock()

        # ① opening: the app began the session; theme, case and rules on screen.
        assert engine.started and not engine.ended
        assert engine.step_index == OPENING
        assert engine.current_speaker is None  # a free step: the floor is open
        assert engine.timer_running
        context = text_of(screen, "#context")
        assert "買い物と移動" in context
        assert "清水さん" in context
        assert "駅前のスーパーが閉店し" in context
        assert "否定や批判をしないようにしましょう" in squeeze(text_of(screen, "#rules"))
        assert isinstance(app.focused, Input) and app.focused.id == "entry"
        await saved(pilot, screen)

        clock.advance(60)
        await pilot.press("f5")  # pause the step timer
        assert not engine.timer_running
        assert engine.step_elapsed() == 60
        assert screen.query_one("#timebox").has_class("-paused")
        clock.advance(30)  # paused: does not count
        await pilot.press("f5")
        assert engine.timer_running
        assert engine.step_elapsed() == 60
        await record(pilot, "Welcome")
        assert card_texts(engine, OPENING) == [("Welcome", None)]
        assert screen.query_one("#entry", Input).value == ""

        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert app.screen is screen

        await pilot.press("f8")
        assert screen.has_class("-presentation")
        assert not screen.query_one("#entry-row").display
        assert not screen.query_one("Footer").display
        await pilot.press("f8")
        assert not screen.has_class("-presentation")
        assert screen.query_one("#entry-row").display
        assert screen.query_one("Footer").display
        await saved(pilot, screen)

        # ② share: a round in seat order; cards go to whoever is speaking.
        clock.advance(120)
        await pilot.press("f7")
        assert engine.step_index == SHARE
        assert engine.step_elapsed(OPENING) == 180  # 60 + 120; the pause did not count
        assert not engine.live.timers[OPENING].running_since
        assert engine.current_speaker is not None and engine.current_speaker.id == "p1"
        assert text_of(screen, "#speaker-name") == "山田 花子"
        assert isinstance(app.focused, Input)
        await record(pilot, "No shop")
        clock.advance(45)
        await pilot.press("f2")
        assert engine.live.speaker == "p2"
        await record(pilot, "坂道がつらくて、重い物が買えない。")
        clock.advance(50)
        await pilot.press("f2")
        assert engine.live.speaker == "p3"
        clock.advance(5)
        await pilot.press("f3")  # p3 passes
        assert engine.live.speaker == "p4"
        clock.advance(20)
        await pilot.press("f4")  # a raised hand: choose p6 out of turn
        dialog = app.screen
        assert isinstance(dialog, ChooseDialog)
        await pilot.press("down", "enter")  # from p5 (first waiting) to p6
        assert app.screen is screen
        assert engine.live.speaker == "p6"
        await record(pilot, "ゴミ出しの日がわからない「分別が難しい」")
        await type_line(pilot, "Bus far")
        await pilot.press("ctrl+n")  # unsigned (全体)
        assert engine.session.cards[-1].speaker is None

        # An accidental F7, taken back with Ctrl+Z: same step, same speaker.
        revision = engine.revision
        await pilot.press("f7")
        assert engine.step_index == PICK
        await pilot.press("ctrl+z")
        assert engine.step_index == SHARE
        assert engine.live.speaker == "p6"
        assert engine.revision == revision + 2

        # Fix a card in the edit dialog; delete a mistaken one.
        await pilot.press("up")  # into the board: the newest card is highlighted
        assert app.focused is not None and app.focused.id == "cards"
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, FormDialog)
        await pilot.press("ctrl+u", *"Bus stop far", "enter")
        assert app.screen is screen
        await pilot.press("escape")  # back to the entry
        assert isinstance(app.focused, Input)
        await record(pilot, "oops")
        await pilot.press("up", "delete")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")
        assert app.screen is screen
        assert card_texts(engine, SHARE) == [
            ("No shop", "p1"),
            ("坂道がつらくて、重い物が買えない。", "p2"),
            ("ゴミ出しの日がわからない「分別が難しい」", "p6"),
            ("Bus stop far", None),
        ]
        assert outcomes(engine, SHARE) == [
            ("p1", Outcome.SPOKE),
            ("p2", Outcome.SPOKE),
            ("p3", Outcome.PASSED),
            ("p4", Outcome.SPOKE),
            ("p6", None),
        ]
        turns = [t for t in engine.session.turns if t.step == SHARE]
        assert turns[0].started_at == start + timedelta(seconds=210)
        assert turns[0].ended_at == start + timedelta(seconds=255)
        await saved(pilot, screen)

        # ③ pick: group two cards under a title, vote, pick ★ two troubles.
        await pilot.press("escape")
        clock.advance(60)
        await pilot.press("f7")
        assert engine.step_index == PICK
        assert engine.current_speaker is None
        assert engine.live.timers[SHARE].elapsed == 60 + 45 + 50 + 5 + 20
        await pilot.press("up", "home", "space", "down", "space")
        assert screen.marked == {"c2", "c3"}
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, FormDialog)
        await type_line(pilot, "買い物の足がない")
        await pilot.press("enter")
        assert app.screen is screen
        [group] = engine.session.groups
        assert (group.title, group.cards) == ("買い物の足がない", ["c2", "c3"])
        assert screen.marked == set()
        assert app.focused is not None and app.focused.id == "cards"
        # A new group joins the end of the board, highlighted.
        assert screen.query_one("#cards").highlighted_id == "g1"  # type: ignore[attr-defined]
        await pilot.press("plus", "plus", "plus", "asterisk")
        assert (group.votes, group.picked) == (3, True)
        # Rows in the order they had on entering the step: c4, c5, the group, its two cards.
        await pilot.press("home")
        assert screen.query_one("#cards").highlighted_id == "c4"  # type: ignore[attr-defined]
        await pilot.press("plus", "plus", "minus", "asterisk")
        await pilot.press("escape", "f9")  # F9 votes from the entry line too
        c4 = engine.card("c4")
        assert (c4.votes, c4.picked) == (2, True)
        assert [(tr.id, tr.votes, tr.picked) for tr in engine.troubles()] == [
            ("g1", 3, True),
            ("c4", 2, True),
            ("c5", 0, False),
        ]
        await pilot.press("up", "s")  # most votes first, on request
        cards_shown = screen.query_one("#cards")
        first_row = cards_shown.get_option_at_index(0).prompt  # type: ignore[attr-defined]
        assert PICKED in str(first_row) and "買い物の足がない" in str(first_row)
        await saved(pilot, screen)

        # ④ exchange: ① then ②, answers kept with question and trouble.
        clock.advance(60)
        await pilot.press("f7")
        assert engine.step_index == EXCHANGE
        assert engine.live.target == "g1"  # the most voted picked trouble first
        assert f"{PICKED}買い物の足がない" in squeeze(text_of(screen, "#context"))
        assert engine.live.question == 0
        assert text_of(screen, "#question").startswith(numbered(1))
        assert engine.live.speaker == "p1"
        await record(pilot, "Our bus")
        await pilot.press("ctrl+t")
        assert isinstance(app.screen, ChooseDialog)
        await pilot.press("down", "enter")
        assert engine.live.target == "c4"
        await pilot.press("f2")
        await record(pilot, "ゴミ出しの日を前の晩に電話で知らせる")
        for _ in range(8):  # p2 … p9 have spoken: the round moves on to ②
            clock.advance(10)
            await pilot.press("f2")
        assert engine.live.question == 1
        assert engine.live.speaker == "p1"
        assert text_of(screen, "#question").startswith(numbered(2))
        await record(pilot, "Share taxis")
        answers = [(c.text, c.speaker, c.question, c.answers) for c in engine.cards_of_step()]
        assert answers == [
            ("Our bus", "p1", 0, "g1"),
            ("ゴミ出しの日を前の晩に電話で知らせる", "p2", 0, "c4"),
            ("Share taxis", "p1", 1, "c4"),
        ]
        await saved(pilot, screen)

        # ⑤ spread: an example "what / who / where" and an action item.
        clock.advance(60)
        await pilot.press("f7")
        assert engine.step_index == SPREAD
        assert engine.current_speaker is None
        await record(pilot, "移動販売／商工会／第三団地の広場")
        example = engine.cards_of_step()[-1]
        assert (example.text, example.runs_by, example.place) == (
            "移動販売",
            "商工会",
            "第三団地の広場",
        )
        await pilot.press("ctrl+l")
        assert isinstance(app.screen, FormDialog)
        await pilot.press(*"Post times", "enter")
        await pilot.press(*"Yamada", "enter")
        await type_line(pilot, "12月15日")
        await pilot.press("enter")
        assert app.screen is screen
        [item] = engine.session.actions
        assert (item.what, item.who, item.due) == ("Post times", "Yamada", "12月15日")
        assert "Post times" in text_of(screen, "#context")
        await saved(pilot, screen)

        # ⑥ reflect: ③, a round.
        clock.advance(60)
        await pilot.press("f7")
        assert engine.step_index == REFLECT
        assert text_of(screen, "#question").startswith(numbered(3))
        assert engine.live.speaker == "p1"
        await record(pilot, "地域の人のつながりを大切にしたい")
        await pilot.press("f2")
        await pilot.press("f3")
        assert outcomes(engine, REFLECT)[:2] == [("p1", Outcome.SPOKE), ("p2", Outcome.PASSED)]
        assert engine.live.speaker == "p3"
        await saved(pilot, screen)

        # After the last step: the summary.
        clock.advance(30)
        await pilot.press("f7")
        assert engine.ended
        assert screen.has_class("-ended")
        assert engine.live.speaker is None
        assert all(turn.ended_at is not None for turn in engine.session.turns)
        assert not any(timer.running_since for timer in engine.live.timers)
        assert not screen.query_one("#cards").display
        assert screen.query_one("#summary").display
        summary = screen.query_one("#summary-text", Static).content
        assert summary is not None
        await saved(pilot, screen)
        final = engine.session.model_dump()

        await save_and_quit(pilot)
    assert app.return_code == 0
    assert load_session(session_file).model_dump() == final


# -- buttons ---------------------------------------------------------------------


async def test_buttons_do_what_their_keys_do(session_file: Path, clock: ManualClock) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        engine = screen.engine
        for action in RunningScreen.BUTTONS:
            assert screen.query(f"#btn-{action}"), f"no button for {action}"

        # Buttons that do not apply to the step are not shown.
        assert not screen.query_one("#btn-vote").display
        assert not screen.query_one("#btn-pass_turn").display  # nobody speaking

        await pilot.click("#btn-toggle_timer")
        assert not engine.timer_running
        await pilot.click("#btn-next_step")
        assert engine.step_index == SHARE
        assert screen.query_one("#btn-pass_turn").display
        await pilot.click("#btn-next_speaker")
        assert engine.live.speaker == "p2"
        await pilot.click("#btn-pass_turn")
        assert outcomes(engine, SHARE)[-2:] == [("p2", Outcome.PASSED), ("p3", None)]
        await pilot.click("#entry")  # a mouse user clicks back into the entry line
        await record(pilot, "A card")
        await pilot.click("#btn-next_step")
        assert engine.step_index == PICK
        assert screen.query_one("#btn-vote").display
        await pilot.press("up", "home")
        await pilot.click("#btn-vote")
        await pilot.click("#btn-toggle_pick")
        card = engine.card("c1")
        assert (card.votes, card.picked) == (1, True)
        await pilot.click("#btn-undo")
        assert not engine.card("c1").picked
        await pilot.click("#btn-previous_step")
        assert engine.step_index == SHARE
        await pilot.click("#btn-presentation")
        assert screen.has_class("-presentation")
        await pilot.press("f8")
        await pilot.click("#btn-help")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.click("#btn-choose_speaker")
        assert isinstance(app.screen, ChooseDialog)
        await pilot.press("escape")
        assert app.screen is screen
        await saved(pilot, screen)
        await save_and_quit(pilot, "#btn-save_quit")
    assert app.return_code == 0


async def test_after_a_button_click_typing_goes_to_the_entry(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        engine = screen.engine
        await pilot.press("f7")
        await pilot.click("#btn-next_speaker")
        assert engine.live.speaker == "p2"
        await pilot.press(*"Hi", "enter")
        assert engine.live.speaker == "p2"  # Enter did not press "next" again
        assert card_texts(engine, SHARE) == [("Hi", "p2")]


# -- the command palette -----------------------------------------------------------


def palette_titles(app: ChieKokanApp) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


def label(name: str) -> str:
    return t(f"keys.{name}")


def has(titles: set[str], name: str) -> bool:
    return any(title.startswith(f"{label(name)} (") for title in titles)


EVERY_STEP = [
    "help",
    "next_speaker",
    "choose_speaker",
    "timer",
    "previous_step",
    "next_step",
    "presentation",
    "export",
    "undo",
    "save_quit",
    "unsigned",
    "edit",
    "action_item",
    "delete",
]
PICK_KEYS = ["vote", "unvote", "pick", "group", "ungroup"]
# Step kind → (labels that must be listed, labels that must not).
PALETTE: dict[StepKind, tuple[list[str], list[str]]] = {
    StepKind.OPENING: (EVERY_STEP, [*PICK_KEYS, "target", "resource", "pass_turn"]),
    StepKind.SHARE: ([*EVERY_STEP, "pass_turn"], [*PICK_KEYS, "target", "resource"]),
    StepKind.PICK: ([*EVERY_STEP, *PICK_KEYS], ["target", "resource", "pass_turn"]),
    StepKind.EXCHANGE: ([*EVERY_STEP, "target", "resource", "pass_turn"], PICK_KEYS),
    StepKind.SPREAD: ([*EVERY_STEP, "resource"], [*PICK_KEYS, "target", "pass_turn"]),
    StepKind.REFLECT: ([*EVERY_STEP, "pass_turn"], [*PICK_KEYS, "target", "resource"]),
}


async def test_the_palette_lists_the_actions_of_each_step(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        engine = screen.engine
        for index, step in enumerate(engine.steps):
            assert engine.step_index == index
            titles = palette_titles(app)
            listed, absent = PALETTE[step.kind]
            for name in listed:
                assert has(titles, name), f"{step.kind}: {label(name)} missing from {titles}"
            for name in absent:
                assert not has(titles, name), f"{step.kind}: {label(name)} should not be listed"
            # Keys are shown with the command: the room learns them.
            assert f"{label('next_step')} (F7)" in titles
            await pilot.press("f7")
        assert engine.ended
        titles = palette_titles(app)
        for name in ["previous_step", "export", "undo", "help", "save_quit", "presentation"]:
            assert has(titles, name), f"summary: {label(name)} missing"
        for name in ["next_speaker", "pass_turn", "timer", "next_step", *PICK_KEYS, "delete"]:
            assert not has(titles, name), f"summary: {label(name)} should not be listed"


async def test_a_palette_command_runs_its_action(session_file: Path, clock: ManualClock) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        palette = app.screen
        await pilot.press(*"F7")
        await wait_until(
            pilot,
            lambda: palette.query_one(CommandList).option_count > 0,
            "the palette to find F7",
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.engine.step_index == SHARE, "the next step")
        assert app.screen is screen


async def test_mark_is_offered_only_on_pick_steps(session_file: Path, clock: ManualClock) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        assert running(pilot).engine.step.kind is StepKind.OPENING
        assert not has(palette_titles(app), "mark")


# -- saving goes wrong, then right -----------------------------------------------------


class FullDisk:
    """Stands in for ``atomic_write``: fails with ENOSPC while ``full`` is set.

    With ``only`` set, only writes into that folder fail (one disk is full,
    another is fine).
    """

    def __init__(self) -> None:
        self.full = threading.Event()
        self.only: Path | None = None
        self.threads: set[str] = set()

    def __call__(self, path: Path, data: bytes, *, overwrite: bool = True) -> None:
        self.threads.add(threading.current_thread().name)
        if self.full.is_set() and (self.only is None or path.parent == self.only):
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        atomic_write(path, data, overwrite=overwrite)


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[FullDisk]:
    fake = FullDisk()
    monkeypatch.setattr(autosave, "atomic_write", fake)
    monkeypatch.setattr(AutoSaver, "RETRY_SECONDS", 0.05)
    yield fake


async def test_a_save_failure_shows_a_banner_and_loses_nothing(
    session_file: Path, clock: ManualClock, disk: FullDisk
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        engine = screen.engine
        banner = screen.query_one("#save-banner")
        await saved(pilot, screen)
        assert not banner.display

        disk.full.set()
        await record(pilot, "Disk full")
        await wait_until(pilot, lambda: banner.display, "the save banner")
        error = text_of(screen, "#save-error")
        assert "No space left on device" in error
        assert str(session_file) in error
        assert "保存できません" in text_of(screen, "#saved")
        clock.advance(5)
        await record(pilot, "まだ保存できないが、画面には残る")
        assert [c.text for c in engine.session.cards] == [
            "Disk full",
            "まだ保存できないが、画面には残る",
        ]
        assert screen.saver is not None
        assert screen.saver.written_revision < engine.revision
        assert load_session(session_file).cards == []  # the last good file is intact

        # Quitting now asks first, the banner still there; Escape keeps the meeting going.
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        assert app.return_code is None
        assert banner.display
        await pilot.press("escape")
        assert app.screen is screen
        assert load_session(session_file).cards == []

        disk.full.clear()
        await wait_until(pilot, lambda: not banner.display, "the banner to go away")
        await saved(pilot, screen)
        assert len(load_session(session_file).cards) == 2
        assert disk.threads == {"chie-kokan-autosave"}  # never the screen's thread
        await save_and_quit(pilot)
    assert app.return_code == 0


async def test_save_elsewhere_moves_the_file_when_the_folder_fails(
    session_file: Path, clock: ManualClock, disk: FullDisk, tmp_path: Path
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await saved(pilot, screen)
        disk.only = session_file.parent
        disk.full.set()
        await record(pilot, "A card")
        banner = screen.query_one("#save-banner")
        await wait_until(pilot, lambda: banner.display, "the save banner")
        await pilot.click("#save-elsewhere")
        assert isinstance(app.screen, FormDialog)
        usb = tmp_path / "usb"
        field = app.screen.query_one("#field-folder", Input)
        field.value = str(usb)
        await pilot.press("enter")
        moved = usb / session_file.name
        await wait_until(pilot, lambda: screen.path == moved, "the session to move")
        await wait_until(pilot, lambda: not banner.display, "the banner to go away")
        await saved(pilot, screen)
        assert load_session(session_file).cards == []  # the full disk kept the old state
        assert [c.text for c in load_session(moved).cards] == ["A card"]


class SlowDisk:
    """Once ``slow`` is set, each write says it began (``writing``) and waits for ``release``."""

    def __init__(self) -> None:
        self.slow = threading.Event()
        self.writing = threading.Event()
        self.release = threading.Event()

    def __call__(self, path: Path, data: bytes, *, overwrite: bool = True) -> None:
        if self.slow.is_set():
            self.writing.set()
            self.release.wait(10.0)
        atomic_write(path, data, overwrite=overwrite)


@pytest.fixture
def slow_disk(monkeypatch: pytest.MonkeyPatch) -> SlowDisk:
    fake = SlowDisk()
    monkeypatch.setattr(autosave, "atomic_write", fake)
    return fake


async def test_closing_with_a_save_in_flight_is_quick_and_clean(
    session_file: Path, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, slow_disk: SlowDisk
) -> None:
    """The app closes (the terminal went away, or "quit anyway") while a write runs."""
    crashes: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: crashes.append(args.exc_value))
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await saved(pilot, screen)
        slow_disk.slow.set()
        await record(pilot, "Last words")
        assert slow_disk.writing.wait(5.0)
        threading.Timer(0.1, slow_disk.release.set).start()
        started = time.perf_counter()
        app.exit()
    took = time.perf_counter() - started
    for thread in threading.enumerate():
        if thread.name == "chie-kokan-autosave":
            thread.join(5.0)
    assert [c.text for c in load_session(session_file).cards] == ["Last words"]
    assert crashes == [], f"the saver thread died: {crashes!r}"
    # Not a speed check: waiting for each other ends only at the 5 s flush timeout,
    # so anything well under it, however loaded the machine, means they did not.
    assert took < 4.0, f"closing took {took:.2f}s: the UI and the saver waited for each other"


async def test_quitting_writes_the_last_change_first(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        await record(pilot, "言いかけたこと")
        await save_and_quit(pilot)  # at once, before the saver has said anything
    assert app.return_code == 0
    assert [c.text for c in load_session(session_file).cards] == ["言いかけたこと"]


async def test_a_slow_disk_does_not_freeze_the_screen_while_quitting(
    session_file: Path, clock: ManualClock, slow_disk: SlowDisk
) -> None:
    """Ctrl+Q on a slow stick: the meeting stays on screen, says it is saving,
    keys still work, and the app goes only once the last change is written."""
    app = build(session_file, clock)
    notices = recording_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await pilot.press("f7")  # share: cards and a running clock
        await saved(pilot, screen)
        slow_disk.slow.set()
        await pilot.press("ctrl+q")
        assert slow_disk.writing.wait(5.0)
        assert t("quit.saving") in notices
        assert not screen.engine.timer_running  # the clocks stopped at Ctrl+Q
        # The screen's thread is free: a line typed now is recorded…
        await record(pilot, "最後のひとこと")
        assert [c.text for c in screen.engine.session.cards] == ["最後のひとこと"]
        assert "保存中" in text_of(screen, "#saved")
        await pilot.press("ctrl+q")  # a second Ctrl+Q changes nothing
        assert app.return_code is None  # …and nothing has quit before the disk answered
        slow_disk.release.set()
        await quitted(pilot)
    assert (app.return_code, app.return_value) == (0, 0)
    on_disk = load_session(session_file)
    # …and is in the file: the app waited for the change made while it was waiting.
    assert [c.text for c in on_disk.cards] == ["最後のひとこと"]
    assert all(timer.running_since is None for timer in on_disk.live.timers)


async def test_quit_anyway_while_the_disk_fails_exits_with_status_1(
    session_file: Path, clock: ManualClock, disk: FullDisk
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await saved(pilot, screen)
        disk.full.set()
        await record(pilot, "Not saved")
        await wait_until(pilot, lambda: screen.query_one("#save-banner").display, "the banner")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        assert app.return_code is None
        await pilot.press("ctrl+q")  # again: the same question, not a second one
        await pilot.pause(0.2)
        assert sum(isinstance(s, ConfirmDialog) for s in app.screen_stack) == 1
        await pilot.press("y")
        await quitted(pilot)
    # Exit status 1 (the command's), not a crash.
    assert (app.return_code, app.return_value) == (0, 1)


# -- resuming ----------------------------------------------------------------------


def engine_at_exchange(session_file: Path, clock: ManualClock) -> SessionEngine:
    """The meeting as it stood when the laptop died: ② of the exchange, p3 speaking."""
    engine = SessionEngine(load_session(session_file), clock)
    engine.begin()
    clock.advance(60)
    engine.next_step()
    engine.record_card("買い物に行けない")
    engine.advance_speaker()
    engine.record_card("ゴミ出しがむずかしい")
    engine.next_step()
    engine.vote("c1", 2)
    engine.set_picked("c1")
    engine.next_step()  # exchange, p1, ①
    for _ in engine.members:
        clock.advance(30)
        engine.advance_speaker()  # everyone answers ①: on to ②
    engine.advance_speaker()
    engine.pass_turn()
    clock.advance(40)
    engine.record_card("坂の上まで配達できる")
    return engine


@pytest.mark.parametrize("how", ["quit", "crash"])
async def test_resume_reopens_where_it_stopped_with_the_timer_paused(
    session_file: Path, clock: ManualClock, how: str
) -> None:
    engine = engine_at_exchange(session_file, clock)
    if how == "crash":
        # Only what the saver wrote: the app died without a chance to save more.
        save_session(engine.session, session_file)
    else:
        # A proper Ctrl+Q from the app, with the timer running.
        save_session(engine.session, session_file)
        app = build(session_file, clock)
        async with app.run_test(size=SIZE) as pilot:
            screen = running(pilot)
            await pilot.press("f5")  # the resumed timer is paused: F5 starts it
            assert screen.engine.timer_running
            await saved(pilot, screen)
            await save_and_quit(pilot)
        assert app.return_code == 0
    before = load_session(session_file)
    live = before.live
    assert (live.step, live.question, live.round, live.speaker) == (EXCHANGE, 1, 1, "p3")
    # Ctrl+Q stops the clock and keeps the time it ran; a crash leaves it running
    # in the file, and resume stops it at the last change on disk.
    assert (live.timers[EXCHANGE].running_since is None) == (how == "quit")
    elapsed = SessionEngine(before, clock).step_elapsed()

    clock.advance(3600)  # the app was closed for an hour
    app = build(session_file, clock)
    notices = recording_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        resumed = screen.engine
        assert t("tui.resumed_paused") in notices  # "F5 restarts the timer"
        assert resumed.step_index == EXCHANGE
        assert resumed.live.question == 1
        assert resumed.live.round == 1
        assert resumed.live.speaker == "p3"
        assert resumed.live.target == "c1"
        assert text_of(screen, "#question").startswith(numbered(2))
        assert text_of(screen, "#speaker-name") == "鈴木 美和"
        assert not resumed.timer_running
        assert resumed.step_elapsed() == elapsed  # the hour closed did not count
        assert screen.query_one("#timebox").has_class("-paused")
        assert resumed.session.cards == before.cards
        # The speaker's turn was suspended at the break and goes on with F5:
        # speaking time never includes the hour closed, nor the wait for F5.
        *earlier, interrupted = before.turns
        *kept, suspended = resumed.session.turns
        assert kept == earlier
        assert suspended.started_at == interrupted.started_at
        assert suspended.ended_at == (interrupted.ended_at or before.updated_at)
        assert suspended.outcome is None  # not finished: p3 still has the floor
        spoken = resumed.speaking_time()["p3"]
        clock.advance(30)
        assert resumed.step_elapsed() == elapsed  # still paused
        assert resumed.speaking_time()["p3"] == spoken
        await pilot.press("f5")
        reopened = resumed.session.turns[-1]
        assert (reopened.speaker, reopened.ended_at, reopened.continues) == ("p3", None, True)
        assert reopened.started_at == clock()
        clock.advance(30)
        assert resumed.timer_running
        assert resumed.step_elapsed() == elapsed + 30
        assert resumed.speaking_time()["p3"] == spoken + 30
        await record(pilot, "再開後のカード")
        assert resumed.session.cards[-1].speaker == "p3"
        await saved(pilot, screen)
        await save_and_quit(pilot)
    assert app.return_code == 0


async def test_time_that_ran_before_quitting_still_counts_after_resume(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await pilot.press("f7")  # share: a 20-minute box, running
        await saved(pilot, screen)
        clock.advance(300)  # five minutes of talk, nothing typed
        assert screen.engine.step_elapsed() == 300
        await save_and_quit(pilot)
    clock.advance(600)  # closed for ten minutes
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        resumed = running(pilot).engine
        assert not resumed.timer_running
        assert resumed.step_elapsed() == 300


async def test_the_turn_timer_does_not_count_the_time_the_app_was_closed(
    session_file: Path, clock: ManualClock
) -> None:
    engine = engine_at_exchange(session_file, clock)  # p3 has been speaking for 40 s
    save_session(engine.session, session_file)
    clock.advance(3600)
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        timer = screen.query_one("#turn-timer")
        assert shown(timer).startswith(t("tui.turn_time", time="0:40")), shown(timer)
        assert not timer.has_class("-over")


async def test_a_session_begun_on_opening_is_not_announced_as_resumed(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    notices = recording_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await pilot.pause()
        assert screen.engine.timer_running
        assert t("tui.resumed_paused") not in notices


# -- report back (前回からの報告) ----------------------------------------------------


def earlier_session(
    scenario: Scenario, clock: ManualClock, sessions_dir: Path, days: int, actions: list[str]
) -> Path:
    """A finished session ``days`` before the clock's day, with action items."""
    then = ManualClock(clock() - timedelta(days=days))
    engine = SessionEngine(new_session(scenario, session_id="earlier", clock=then), then)
    engine.begin()
    for what in actions:
        engine.add_action(what, who="山田 花子", due="次回まで")
    if engine.session.actions:
        engine.session.actions[0].done = True  # done already: not reported back
    path = create_session_file(engine.session, sessions_dir)
    return path


async def test_the_opening_reports_back_open_actions_of_the_previous_session(
    shimizu: Scenario, riverside: Scenario, clock: ManualClock, sessions_dir: Path
) -> None:
    earlier_session(shimizu, clock, sessions_dir, 70, ["二つ前の会の宿題"])
    earlier_session(
        shimizu, clock, sessions_dir, 35, ["済んだ宿題", "見守りマップを回覧する", "移動販売の日程"]
    )
    earlier_session(riverside, clock, sessions_dir, 7, ["Another scenario's item"])
    (sessions_dir / "broken.toml").write_text("schema = [", encoding="utf-8")
    session_file = create_session_file(
        new_session(shimizu, session_id="shimizu", clock=clock), sessions_dir
    )
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await wait_until(pilot, lambda: bool(screen.report_back), "the report back")
        assert [item.what for item in screen.report_back] == [
            "見守りマップを回覧する",
            "移動販売の日程",
        ]
        await pilot.pause()
        report_list = screen.query_one("#report-back", OptionList)
        context = " ".join(
            str(report_list.get_option_at_index(i).prompt) for i in range(report_list.option_count)
        )
        assert report_list.border_title == "前回からの報告"
        assert "見守りマップを回覧する" in context
        assert "山田 花子" in context
        assert "済んだ宿題" not in context
        assert "二つ前の会の宿題" not in context  # done there already
        assert "Another scenario" not in context


async def test_no_report_back_for_a_first_session(session_file: Path, clock: ManualClock) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await pilot.pause(0.2)  # the worker has nothing to find
        assert screen.report_back == []
        assert not screen.query_one("#report-back").display


# -- English -----------------------------------------------------------------------


async def test_an_english_scenario_runs_in_english(
    riverside: Scenario, clock: ManualClock, sessions_dir: Path
) -> None:
    path = create_session_file(
        new_session(riverside, session_id="riverside", clock=clock), sessions_dir
    )
    app = build(path, clock)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = running(pilot)
            assert "Mr Baker" in text_of(screen, "#context")
            await pilot.press("f7")
            assert text_of(screen, "#speaker-name") == "Amira Hassan"
            await record(pilot, "Icy paths")
            assert screen.engine.session.cards[-1].speaker == "p1"
            await saved(pilot, screen)
            assert "Saved" in text_of(screen, "#saved")
    finally:
        set_language("ja")


async def test_ctrl_q_is_bound_once_by_the_app_and_the_screen_still_shows_it(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        # One binding, the app's: it asks this screen to save and quit.
        assert "ctrl+q" not in screen._bindings.key_to_bindings
        assert [b.action for b in app._bindings.key_to_bindings["ctrl+q"]] == ["quit"]
        await wait_until(pilot, lambda: bool(screen.query("#btn-save_quit")), "the buttons")
        button = screen.query_one("#btn-save_quit", Button)
        assert str(button.label).startswith("Ctrl+Q ")
        await record(pilot, "閉じる前の一言")
        await save_and_quit(pilot)
    assert app.return_code == 0
    assert [card.text for card in load_session(session_file).cards] == ["閉じる前の一言"]


# -- minutes and resources from the screen -------------------------------------------


async def test_f10_writes_the_minutes_in_three_formats_and_says_where(
    session_file: Path, clock: ManualClock, tmp_path: Path
) -> None:
    app = build(session_file, clock)
    notices = recording_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await pilot.press("f7")
        await record(pilot, "駅前のスーパーが閉店した")
        await pilot.press("f10")
        exports = tmp_path / "exports"  # the working folder is tmp_path
        names = {f"{screen.engine.session.id}.{ext}" for ext in ("md", "html", "docx")}
        await wait_until(
            pilot,
            lambda: exports.is_dir() and names <= {p.name for p in exports.iterdir()},
            "the three exports",
        )
        assert "駅前のスーパーが閉店した" in (exports / f"{screen.engine.session.id}.md").read_text(
            "utf-8"
        )
        docx = f"{screen.engine.session.id}.docx"
        await wait_until(pilot, lambda: any(docx in n for n in notices), "the notice")


async def test_f10_writes_where_the_app_says(
    session_file: Path, clock: ManualClock, tmp_path: Path
) -> None:
    # The folder comes from the app (make_app's exports_dir), not a default in the screen.
    elsewhere = tmp_path / "議事録"
    app = make_app(
        session_path=session_file,
        sessions_dir=session_file.parent,
        clock=clock,
        exports_dir=elsewhere,
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await pilot.press("f10")
        name = f"{screen.engine.session.id}.md"
        await wait_until(pilot, lambda: (elsewhere / name).is_file(), "the minutes elsewhere")
    assert not (tmp_path / "exports").exists()


async def test_a_card_is_recorded_as_a_local_resource_in_a_small_form(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        engine = screen.engine
        engine.go_to_step(SPREAD)
        await pilot.pause()
        await type_line(pilot, "移動販売車 / たすけあいの会 / 集会所前")
        await pilot.press("enter")
        card = engine.session.cards[-1]
        assert (card.text, card.runs_by, card.place) == ("移動販売車", "たすけあいの会", "集会所前")
        await pilot.press("up", "ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog), "the resource form")
        form = app.screen
        assert form.query_one("#field-name", Input).value == "移動販売車"
        assert form.query_one("#field-where", Input).value == "集会所前"
        form.query_one("#field-category", Input).value = "買い物支援"
        form.query_one("#field-when", Input).value = "毎週木曜 10時"
        await pilot.click("#ok")
        await wait_until(pilot, lambda: app.screen is screen, "the form to close")
        resource = engine.card(card.id).resource
        assert resource is not None
        assert (resource.name, resource.category, resource.when, resource.where) == (
            "移動販売車",
            "買い物支援",
            "毎週木曜 10時",
            "集会所前",
        )
        await saved(pilot, screen)
        assert load_session(screen.path).cards[-1].resource == resource


async def test_the_resource_form_shows_what_the_resource_file_lists(
    session_file: Path, clock: ManualClock
) -> None:
    """One rule for both (chie_kokan.resources): who runs it is not folded into the contact."""
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        engine = screen.engine
        engine.go_to_step(SPREAD)
        await pilot.pause()
        await record(pilot, "移動販売車 / たすけあいの会 / 集会所前")
        card = engine.session.cards[-1]
        (listed,) = resource_records([engine.session], "ja")
        await pilot.press("up", "ctrl+r")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog), "the resource form")
        form = app.screen
        shown = form.values()
        assert shown == {name: getattr(listed, name) for name in CardResource.model_fields}
        assert (shown["runs_by"], shown["contact"], shown["offers"]) == (
            "たすけあいの会",
            "",
            "移動販売車",
        )
        # Who runs it is edited in the form and kept on the card, in one change.
        form.query_one("#field-runs_by", Input).value = "商工会 青年部"
        form.query_one("#field-contact", Input).value = "042-000-0000"
        await pilot.click("#ok")
        await wait_until(pilot, lambda: app.screen is screen, "the form to close")
        card = engine.card(card.id)
        assert card.runs_by == "商工会 青年部"
        assert card.resource is not None and card.resource.contact == "042-000-0000"
        (listed,) = resource_records([engine.session], "ja")
        assert (listed.runs_by, listed.contact) == ("商工会 青年部", "042-000-0000")
        await pilot.press("ctrl+z")
        await wait_until(pilot, lambda: engine.card(card.id).resource is None, "the undo")
        assert engine.card(card.id).runs_by == "たすけあいの会"
        await saved(pilot, screen)


async def test_q_on_the_board_moves_to_another_question(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        engine = screen.engine
        engine.go_to_step(SHARE)
        await pilot.pause()
        assert not has(palette_titles(app), "models.question")  # share asks no questions
        engine.go_to_step(EXCHANGE)
        await pilot.pause()
        questions = engine.questions
        assert len(questions) >= 2 and engine.live.question == 0
        assert has(palette_titles(app), "models.question")
        await pilot.press("up", "q")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseDialog), "the questions")
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: engine.live.question == 1, "the second question")
        assert app.screen is screen
        number = numbered(question_number(engine.steps, EXCHANGE, 1))
        assert text_of(screen, "#question") == f"{number}{questions[1]}".replace("\n", "")
        # Back to the first one, from the palette's entry.
        await screen.run_action("choose_question")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseDialog), "the questions")
        await pilot.press("up", "enter")
        await wait_until(pilot, lambda: engine.live.question == 0, "the first question")
        await pilot.press("ctrl+z")
        assert engine.live.question == 1
        await saved(pilot, screen)


async def test_x_on_the_board_removes_an_action_item_after_asking(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        engine = screen.engine
        engine.go_to_step(SPREAD)
        await pilot.pause()
        assert not has(palette_titles(app), "models.delete_action")  # nothing to remove yet
        await pilot.press("up", "x")
        assert app.screen is screen
        engine.add_action("回覧板で周知する", "山田 花子", "来月")
        engine.add_action("移動販売の曜日を確認", "商工会")
        await pilot.pause()
        assert has(palette_titles(app), "models.delete_action")
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseDialog), "the action items")
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("escape")  # not this one after all
        await wait_until(pilot, lambda: app.screen is screen, "the dialog to close")
        assert len(engine.session.actions) == 2
        await pilot.press("x")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseDialog), "the action items")
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(engine.session.actions) == 1, "the item removed")
        assert [a.what for a in engine.session.actions] == ["回覧板で周知する"]
        assert "移動販売の曜日を確認" not in text_of(screen, "#prompt")
        await pilot.press("ctrl+z")
        assert len(engine.session.actions) == 2
        await saved(pilot, screen)


async def test_help_lists_the_question_and_action_item_keys(
    session_file: Path, clock: ManualClock
) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=(160, 80)) as pilot:  # the whole key table at once
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        lines = screen_lines(app)
        for key, name in (("q", "question"), ("x", "delete_action")):
            explained = t(f"help.models.{name}")
            row = next((line for line in lines if explained in line), None)
            assert row is not None, f"{explained} missing from the help"
            assert f" {key_name(key)} " in row.split(explained)[0], row


async def test_f4_adds_a_walk_in_who_then_speaks(session_file: Path, clock: ManualClock) -> None:
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        engine = screen.engine
        await pilot.press("f7", "f4")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseDialog), "the speaker list")
        await pilot.press("end", "enter")  # the last entry: add a walk-in
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog), "the walk-in form")
        app.screen.query_one("#field-name", Input).value = "木村 洋平"
        app.screen.query_one("#field-organization", Input).value = "民生委員"
        await pilot.click("#ok")
        await wait_until(
            pilot,
            lambda: (
                engine.current_speaker is not None and engine.current_speaker.name == "木村 洋平"
            ),
            "the walk-in to speak",
        )
        member = engine.current_speaker
        assert member is not None and member.walk_in and member.organization == "民生委員"
        assert engine.members[-1] == member  # the last seat
        await saved(pilot, screen)


async def test_a_finished_session_with_nobody_present_resumes_to_its_summary(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    """A hand-written file (ended, no one present) opens on its summary, no crash."""
    session = new_session(shimizu, session_id="empty", members=[], clock=clock)
    session.live.started = session.live.ended = True
    path = create_session_file(session, tmp_path / "sessions")
    app = make_app(session_path=path, sessions_dir=path.parent, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RunningScreen)
        svg = app.export_screenshot()
    shown = "".join(re.findall(r"<text[^>]*>([^<]*)</text>", html.unescape(svg)))
    assert "".join(t("tui.summary_speaking").split()) in "".join(shown.split())


async def test_last_meetings_promises_arriving_at_a_closing_screen_are_ignored(
    session_file: Path, clock: ManualClock
) -> None:
    """The report back is read on a thread; if the screen is being torn down when it
    arrives (the window closed, the app exiting), it is dropped, not a crash."""
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await screen.query_one(StepTrack).remove()  # as during teardown
        screen._show_report_back([])  # what the thread's callback does
        await pilot.pause()
    assert app.return_code in (0, None)


@pytest.mark.parametrize("over", ["choose", "help"])
async def test_ctrl_q_over_a_dialog_still_stops_the_clocks_and_saves(
    session_file: Path, clock: ManualClock, over: str
) -> None:
    """Ctrl+Q with the speaker list (F4) or the help (F1) open: the same save-first quit."""
    app = build(session_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        assert screen.engine.timer_running
        await pilot.press("f4" if over == "choose" else "f1")
        await pilot.pause()
        assert app.screen is not screen  # something is open on top
        await save_and_quit(pilot)
    assert app.return_code == 0
    saved = load_session(session_file)
    assert all(timer.running_since is None for timer in saved.live.timers)
