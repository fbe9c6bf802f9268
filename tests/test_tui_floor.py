"""Who has the floor, on the running screen: typed words, corrections, rounds.

The engine decides whose card a line becomes (``test_engine_record``); here
we check that the screen hands it the right words at the right moment, shows
the room who holds the floor, lets a recorder put a card under the right
name, and says aloud when a round or a question changes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, Label

from chie_kokan.clock import ManualClock
from chie_kokan.engine import new_session
from chie_kokan.i18n import t
from chie_kokan.models import Outcome, Scenario
from chie_kokan.storage import create_session_file, load_session
from chie_kokan.tui.glyphs import numbered
from chie_kokan.tui.screens.dialogs import ChoiceList, ChooseDialog, FormDialog
from chie_kokan.tui.screens.help import HelpScreen
from chie_kokan.tui.screens.running import RunningScreen
from chie_kokan.tui.widgets.card_list import CardList
from chie_kokan.tui.widgets.speaker_panel import SpeakerPanel
from test_tui_running import (
    SIZE,
    build,
    card_texts,
    outcomes,
    recording_notices,
    running,
    saved,
    shown,
    text_of,
    type_line,
    wait_until,
)

OPENING, SHARE, PICK, EXCHANGE = range(4)
SEATS = ["p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"]


@pytest.fixture
def session_file(shimizu: Scenario, clock: ManualClock, tmp_path: Path) -> Path:
    """Shimizu-san, the whole roster present, not started: the app begins it."""
    return create_session_file(new_session(shimizu, session_id="shimizu", clock=clock), tmp_path)


@asynccontextmanager
async def meeting(
    session_file: Path, clock: ManualClock, step: int
) -> AsyncIterator[tuple[Pilot[Any], RunningScreen, list[str]]]:
    """The app on the session, begun and moved on to ``step`` with F7.

    Yields the pilot, the running screen and every toast shown, in order.
    """
    app = build(session_file, clock)
    notices = recording_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*["f7"] * step)
        yield pilot, running(pilot), notices


def entry(screen: RunningScreen) -> Input:
    return screen.query_one("#entry", Input)


def holder(screen: RunningScreen) -> str:
    return text_of(screen, "#entry-holder")


def title_of(dialog: Any) -> str:
    return str(dialog.query_one(".title", Label).render())


def choices(dialog: Any) -> list[str]:
    options = dialog.query_one(ChoiceList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def palette_command(app: Any, title: str) -> Any:
    """The command palette's entry of that title (with its key in brackets)."""
    commands = [c for c in app.get_system_commands(app.screen) if c.title.startswith(title)]
    assert len(commands) == 1, f"{title!r} in the palette: {commands}"
    return commands[0]


async def queued(pilot: Pilot[Any], *keys: str) -> None:
    """Keys as a fast typist sends them: all queued before the first is handled."""
    driver = pilot.app._driver
    assert driver is not None
    for key in keys:
        character = key if len(key) == 1 else None
        event = events.Key(key, character)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await pilot.pause()


# -- the speaker of a card, corrected --------------------------------------------------


async def test_the_edit_dialog_offers_who_is_present_and_everyone(
    session_file: Path, clock: ManualClock
) -> None:
    async with meeting(session_file, clock, SHARE) as (pilot, screen, _):
        engine = screen.engine
        app = pilot.app
        await type_line(pilot, "No shop")
        await pilot.press("enter")
        await type_line(pilot, "Bus far")
        await pilot.press("ctrl+n")  # 全体
        await pilot.press("up", "e")  # the newest card: unsigned
        dialog = app.screen
        assert isinstance(dialog, FormDialog)
        labels = [f"{member.name}（{member.organization}）" for member in engine.members] + [
            "全体（名前なし）"
        ]
        assert choices(dialog) == labels  # seat order, then 全体
        assert dialog.query_one("#field-speaker", ChoiceList).value == "__everyone__"
        await pilot.press("escape")
        await pilot.press("up", "e")  # the card before: 山田's
        assert app.screen.query_one("#field-speaker", ChoiceList).value == "p1"
        # Enter in the text saves at once: the speaker stays who it was.
        await pilot.press("end", *" here", "enter")
        assert app.screen is screen
        assert card_texts(engine, SHARE) == [("No shop here", "p1"), ("Bus far", None)]


async def test_text_and_speaker_are_corrected_in_one_change_and_one_undo(
    session_file: Path, clock: ManualClock
) -> None:
    async with meeting(session_file, clock, SHARE) as (pilot, screen, notices):
        engine = screen.engine
        app = pilot.app
        await type_line(pilot, "No shop")
        await pilot.press("enter")
        revision = engine.revision
        await pilot.press("up", "e")
        assert isinstance(app.screen, FormDialog)
        await pilot.press("ctrl+u")
        await type_line(pilot, "駅前のスーパーが閉店した")
        await pilot.press("tab", "down", "down", "enter")  # 山田 → 鈴木, and saved
        assert app.screen is screen
        assert card_texts(engine, SHARE) == [("駅前のスーパーが閉店した", "p3")]
        assert engine.revision == revision + 1
        assert "鈴木美和" in str(screen.query_one("#cards").get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        await saved(pilot, screen)
        assert load_session(screen.path).cards[0].speaker == "p3"

        await pilot.press("ctrl+z")
        assert card_texts(engine, SHARE) == [("No shop", "p1")]
        assert notices[-1] == "取り消しました: カード「No shop」の修正"


async def test_a_walk_ins_card_can_be_given_to_everyone(
    session_file: Path, clock: ManualClock
) -> None:
    async with meeting(session_file, clock, OPENING) as (pilot, screen, _):
        engine = screen.engine
        app = pilot.app
        await pilot.press("f7", "f4", "end", "enter")  # + a walk-in
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog), "the walk-in form")
        app.screen.query_one("#field-name", Input).value = "木村 洋平"
        await pilot.click("#ok")
        await wait_until(pilot, lambda: engine.live.speaker == "p10", "the walk-in to speak")
        await type_line(pilot, "民生委員として見守りができる")
        await pilot.press("enter")
        await pilot.press("up", "e")
        dialog = app.screen
        assert choices(dialog)[-2:] == ["木村 洋平", "全体（名前なし）"]
        assert dialog.query_one("#field-speaker", ChoiceList).value == "p10"
        await pilot.click("#field-speaker")  # the mouse: focus the list
        await pilot.press("end", "enter")
        assert app.screen is screen
        assert card_texts(engine, SHARE) == [("民生委員として見守りができる", None)]


async def test_correct_the_speaker_from_the_palette_the_board_or_a_button(
    session_file: Path, clock: ManualClock
) -> None:
    async with meeting(session_file, clock, OPENING) as (pilot, screen, _):
        engine = screen.engine
        app = pilot.app
        await pilot.press("f7", *"No shop", "enter", "f2", *"Bus far", "enter")
        text = engine.card("c1").text

        # The palette: the highlighted card (the newest, 佐藤's), only its speaker.
        command = palette_command(app, t("keys.correct_speaker"))
        await command.callback()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChooseDialog)
        assert "Bus far" in title_of(dialog)
        assert dialog.query_one(ChoiceList).value == "p2"
        await pilot.press("up", "enter")
        assert card_texts(engine, SHARE) == [(text, "p1"), ("Bus far", "p1")]

        # The board's key, on the card highlighted there.
        await pilot.press("up", "home", "w")
        assert "No shop" in title_of(app.screen)
        await pilot.press("end", "enter")
        assert card_texts(engine, SHARE) == [("No shop", None), ("Bus far", "p1")]

        # Nothing highlighted: the last card of the step.
        screen.query_one(CardList).highlighted = None
        await pilot.click("#btn-correct_speaker")
        assert "Bus far" in title_of(app.screen)
        await pilot.press("escape")
        assert card_texts(engine, SHARE) == [("No shop", None), ("Bus far", "p1")]
        await saved(pilot, screen)


# -- typed words belong to whoever had the floor ------------------------------------------


async def test_f2_and_f3_record_the_typed_words_for_the_speaker_first(
    session_file: Path, clock: ManualClock
) -> None:
    async with meeting(session_file, clock, SHARE) as (pilot, screen, notices):
        engine = screen.engine
        await type_line(pilot, "坂道がつらくて、重い物が買えない。")
        revision = engine.revision
        await pilot.press("f2")
        assert card_texts(engine, SHARE) == [("坂道がつらくて、重い物が買えない。", "p1")]
        assert engine.live.speaker == "p2"
        assert entry(screen).value == ""
        assert engine.revision == revision + 1  # one change: one Ctrl+Z

        await pilot.press(*"I pass but", "f3")
        assert card_texts(engine, SHARE)[-1] == ("I pass but", "p2")
        assert outcomes(engine, SHARE)[:2] == [
            ("p1", Outcome.SPOKE),
            ("p2", Outcome.PASSED),
        ]
        await pilot.press("ctrl+z")
        assert card_texts(engine, SHARE) == [("坂道がつらくて、重い物が買えない。", "p1")]
        assert engine.live.speaker == "p2"
        assert notices[-1] == "取り消しました: カード「I pass but」の記録と発言者の交代"

        # A button, too, takes the line as it is.
        await pilot.press(*"By the button")
        await pilot.click("#btn-next_speaker")
        assert card_texts(engine, SHARE)[-1] == ("By the button", "p2")
        assert engine.live.speaker == "p3"
        await saved(pilot, screen)


async def test_f4_takes_the_words_when_pressed_and_a_cancel_leaves_them(
    session_file: Path, clock: ManualClock
) -> None:
    async with meeting(session_file, clock, OPENING) as (pilot, screen, _):
        engine = screen.engine
        app = pilot.app
        await pilot.press("f7", *"Bus far", "f4")
        dialog = app.screen
        assert isinstance(dialog, ChooseDialog)
        assert "「Bus far」は、先に 山田 花子 のカード" in title_of(dialog)
        await pilot.press("escape")
        assert entry(screen).value == "Bus far"
        assert engine.session.cards == [] and engine.live.speaker == "p1"

        await pilot.press("f4", "down", "enter")  # from 佐藤 (first waiting) to 鈴木
        assert card_texts(engine, SHARE) == [("Bus far", "p1")]
        assert engine.live.speaker == "p3"
        assert entry(screen).value == ""


async def test_f4_with_words_then_a_walk_in(session_file: Path, clock: ManualClock) -> None:
    async with meeting(session_file, clock, OPENING) as (pilot, screen, _):
        engine = screen.engine
        app = pilot.app
        await pilot.press("f7", *"Bus far", "f4", "end", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog), "the walk-in form")
        await pilot.press("escape")  # no walk-in after all: the words are still there
        assert entry(screen).value == "Bus far"
        await pilot.press("f4", "end", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog), "the walk-in form")
        app.screen.query_one("#field-name", Input).value = "木村 洋平"
        await pilot.click("#ok")
        await wait_until(pilot, lambda: engine.live.speaker == "p10", "the walk-in to speak")
        assert card_texts(engine, SHARE) == [("Bus far", "p1")]
        assert entry(screen).value == ""


async def test_a_refused_speaker_key_leaves_the_words_in_the_entry(
    session_file: Path, clock: ManualClock
) -> None:
    async with meeting(session_file, clock, OPENING) as (pilot, screen, notices):
        engine = screen.engine
        assert engine.current_speaker is None  # the opening: a free step, the floor open
        await pilot.press(*"Welcome", "f2")
        assert entry(screen).value == "Welcome"
        assert engine.session.cards == []
        assert notices[-1] == t("engine.no_speaker")
        assert "F4" in notices[-1] and "F2" not in notices[-1]  # F2 cannot help here
        await pilot.press("f3")  # nobody to pass: nothing happens, nothing lost
        assert entry(screen).value == "Welcome"
        await pilot.press("enter")  # the words are everyone's
        # With a raised hand, the same key takes the words to them.
        await pilot.press("f4", "home", "enter", *"Thanks", "f2")
        assert card_texts(engine, OPENING) == [("Welcome", None), ("Thanks", "p1")]
        assert engine.current_speaker is None and entry(screen).value == ""


async def test_words_typed_after_a_speaker_key_begin_the_next_card(
    session_file: Path, clock: ManualClock
) -> None:
    async with meeting(session_file, clock, SHARE) as (pilot, screen, _):
        engine = screen.engine
        await queued(pilot, *"abc", "f2", *"def", "f2", "f2", *"gh")
        await wait_until(pilot, lambda: engine.live.speaker == "p4", "three speakers on")
        assert card_texts(engine, SHARE) == [("abc", "p1"), ("def", "p2")]
        assert entry(screen).value == "gh"
        assert outcomes(engine, SHARE) == [
            ("p1", Outcome.SPOKE),
            ("p2", Outcome.SPOKE),
            ("p3", Outcome.SPOKE),
            ("p4", None),
        ]


async def test_f4_pressed_twice_fast_opens_one_list(session_file: Path, clock: ManualClock) -> None:
    async with meeting(session_file, clock, SHARE) as (pilot, screen, _):
        app = pilot.app
        await queued(pilot, *"abc", "f4", "f4")
        await wait_until(pilot, lambda: isinstance(app.screen, ChooseDialog), "the list")
        await pilot.press("escape")
        assert app.screen is screen
        assert entry(screen).value == "abc"
        await pilot.press("f4", "enter")
        assert card_texts(screen.engine, SHARE) == [("abc", "p1")]


# -- who holds the floor, where the typing happens ------------------------------------------


async def test_the_entry_line_shows_who_holds_the_floor(
    session_file: Path, clock: ManualClock
) -> None:
    async with meeting(session_file, clock, OPENING) as (pilot, screen, _):
        engine = screen.engine
        assert holder(screen) == "全体"
        await pilot.press("f4", "home", "enter")  # a raised hand: 山田, for one card
        assert holder(screen) == "山田 花子"
        await pilot.press(*"Hello", "enter")
        assert holder(screen) == "全体"  # the floor is everyone's again
        await pilot.press("f4", "home", "enter", "f4", "home", "enter")  # 山田 again: keeps it
        assert engine.live.hold
        assert holder(screen) == "山田 花子（続けて発言中）"
        await type_line(pilot, "一枚目")
        assert holder(screen) == "山田 花子（続けて発言中）"  # still there while typing
        await pilot.press("enter", *"two", "enter")
        assert card_texts(engine, OPENING)[-2:] == [("一枚目", "p1"), ("two", "p1")]
        await pilot.press("f2")
        assert holder(screen) == "全体"
        await pilot.press("f7")
        assert holder(screen) == "山田 花子"  # a round: the first seat
        for _ in range(5):
            await pilot.press("f7")
        assert engine.ended
        assert not screen.query_one("#entry-holder").display


async def test_help_explains_the_raised_hand_rule(session_file: Path, clock: ManualClock) -> None:
    async with meeting(session_file, clock, OPENING) as (pilot, _screen, _):
        app = pilot.app
        await pilot.press("f1")
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = "".join(shown(static) for static in help_screen.query("Static"))
        assert "挙手で指名した人のカードは1枚だけその人の名前になります。" in text
        assert "続けて話すときは F4 でもう一度指名してください。" in text


# -- every round change is heard --------------------------------------------------------


async def test_a_new_round_is_announced_and_shown(session_file: Path, clock: ManualClock) -> None:
    async with meeting(session_file, clock, OPENING) as (pilot, screen, notices):
        engine = screen.engine
        panel = screen.query_one(SpeakerPanel)
        await pilot.press("f7")
        for _ in SEATS:
            await pilot.press("f2")
        assert engine.live.speaker is None and engine.live.round == 1
        assert not any("巡目" in notice for notice in notices)
        assert str(panel.border_title) == "話している人"
        await pilot.press("f2")
        assert (engine.live.round, engine.live.speaker) == (2, "p1")
        assert notices[-1] == "2巡目です"
        assert str(panel.border_title) == "話している人（2巡目）"

        # Undo says what it took back; it is not a new round.
        await pilot.press("ctrl+z")
        assert engine.live.round == 1
        assert notices[-1] == "取り消しました: 発言者の交代"
        assert str(panel.border_title) == "話している人"
        # Leaving and coming back is not a new round either.
        await pilot.press("f2", "f7", "f6")
        assert notices.count("2巡目です") == 2
        assert str(panel.border_title) == "話している人（2巡目）"


async def test_the_next_question_is_announced_with_its_number(
    session_file: Path, clock: ManualClock
) -> None:
    async with meeting(session_file, clock, OPENING) as (pilot, screen, notices):
        engine = screen.engine
        await pilot.press("f7", *"No shop", "enter", "f7")
        engine.set_picked("c1")
        await pilot.press("f7")
        assert engine.step_index == EXCHANGE and engine.live.question == 0
        for _ in SEATS:
            await pilot.press("f2")
        assert engine.live.question == 1
        question = engine.questions[1]
        assert notices[-1] == f"{numbered(2)}の問いに移りました：{question}"
        assert text_of(screen, "#question").startswith(numbered(2))


# -- people's words and names, as typed ------------------------------------------------


async def test_brackets_in_words_and_names_are_shown_as_typed(
    session_file: Path, clock: ManualClock
) -> None:
    # "[" begins markup in Textual: people's words and names must never be read as it.
    async with meeting(session_file, clock, SHARE) as (pilot, screen, _):
        engine = screen.engine
        app = pilot.app
        await pilot.press("f4", "end", "enter")  # + a walk-in
        await wait_until(pilot, lambda: isinstance(app.screen, FormDialog), "the walk-in form")
        app.screen.query_one("#field-name", Input).value = "木村 [/]"
        app.screen.query_one("#field-organization", Input).value = "[b]民生委員"
        await pilot.click("#ok")
        await wait_until(pilot, lambda: engine.live.speaker == "p10", "the walk-in to speak")
        assert holder(screen) == "木村 [/]"
        assert text_of(screen, "#speaker-org") == "[b]民生委員"
        await type_line(pilot, "坂道 [/] 重い [red]物")
        await pilot.press("f4")
        assert "「坂道 [/] 重い [red]物」は、先に 木村 [/] のカード" in title_of(app.screen)
        assert any(c.endswith("木村 [/]（[b]民生委員）") for c in choices(app.screen))
        await pilot.press("escape", "enter", "up", "w")
        assert "「坂道 [/] 重い [red]物」の発言者" in title_of(app.screen)
        await pilot.press("escape")
        assert card_texts(engine, SHARE) == [("坂道 [/] 重い [red]物", "p10")]


@pytest.mark.parametrize("key", ["f7", "f6"])
async def test_f6_and_f7_record_the_typed_words_on_the_step_they_were_said(
    session_file: Path, clock: ManualClock, key: str
) -> None:
    """Typed, then the step changes: the words stay on this step, under the floor holder."""
    async with meeting(session_file, clock, SHARE) as (pilot, screen, notices):
        engine = screen.engine
        await pilot.press(*"first", "enter")
        await pilot.press(*"said as time ran out", key)
        assert card_texts(engine, SHARE) == [("first", "p1"), ("said as time ran out", "p1")]
        assert engine.step_index == (PICK if key == "f7" else OPENING)
        assert entry(screen).value == ""
        await pilot.press("ctrl+z")  # one undo: the card and the step change
        assert engine.step_index == SHARE
        assert card_texts(engine, SHARE) == [("first", "p1")]
        assert "said as time ran out" in notices[-1]


async def test_a_refused_step_key_gives_the_words_back(
    session_file: Path, clock: ManualClock
) -> None:
    async with meeting(session_file, clock, OPENING) as (pilot, screen, _):
        await pilot.press(*"the first words", "f6")  # no step before the first
        assert screen.engine.session.cards == []
        assert entry(screen).value == "the first words"
