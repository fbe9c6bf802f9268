"""The pick step and success examples, driven by keys through Textual's Pilot.

Votes typed as a count of raised hands (``6`` Enter), a board that does not
reorder under the cursor, a grouped card that says where its votes go, and
on the spread step an example typed into three fields. Each test checks the
engine's state, what the screen shows and, where something changed, the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.i18n import t
from chie_kokan.models import Scenario, StepKind
from chie_kokan.storage import create_session_file
from chie_kokan.tui.screens.running import BoardList, RunningScreen
from test_tui_running import (
    SIZE,
    build,
    recording_notices,
    running,
    saved,
    type_line,
    wait_until,
)

SHARE, PICK, SPREAD = 1, 2, 4
TROUBLES = ("No shop nearby", "Bus stop too far", "Stairs to the 4th floor")


# -- sessions at the step under test -----------------------------------------------------


def session_at(
    scenario: Scenario, clock: ManualClock, folder: Path, step: int, *, groups: bool = False
) -> Path:
    """A session begun and moved to ``step``, three troubles shared on the way."""
    engine = SessionEngine(new_session(scenario, session_id="pick", clock=clock), clock)
    engine.begin()
    engine.next_step()  # share
    for text in TROUBLES:
        engine.record_card(text, speaker=None)
    engine.next_step()  # pick
    if groups:
        engine.group_cards("移動", ["c2", "c3"])
        engine.vote("g1", 5)
    while engine.step_index < step:
        engine.next_step()
    return create_session_file(engine.session, folder)


@pytest.fixture
def pick_file(shimizu: Scenario, clock: ManualClock, tmp_path: Path) -> Path:
    return session_at(shimizu, clock, tmp_path / "sessions", PICK)


@pytest.fixture
def grouped_file(shimizu: Scenario, clock: ManualClock, tmp_path: Path) -> Path:
    return session_at(shimizu, clock, tmp_path / "sessions", PICK, groups=True)


@pytest.fixture
def spread_file(shimizu: Scenario, clock: ManualClock, tmp_path: Path) -> Path:
    return session_at(shimizu, clock, tmp_path / "sessions", SPREAD)


# -- reading the board ------------------------------------------------------------------------


def board(screen: RunningScreen) -> BoardList:
    return screen.query_one(BoardList)


def row_ids(screen: RunningScreen) -> list[str]:
    cards = board(screen)
    return [cards.get_option_at_index(i).id or "" for i in range(cards.option_count)]


def row_text(screen: RunningScreen, row_id: str) -> str:
    return str(board(screen).get_option(row_id).prompt)


def votes(engine: SessionEngine) -> dict[str, int]:
    return {trouble.id: trouble.votes for trouble in engine.troubles()}


async def on_board(pilot: Pilot[Any], *keys: str) -> RunningScreen:
    """Into the board (↑), then ``keys``."""
    screen = running(pilot)
    await pilot.press("up")
    assert pilot.app.focused is board(screen)
    await pilot.press(*keys)
    return screen


async def burst(pilot: Pilot[Any], *keys: str) -> None:
    """Keys as a fast typist sends them: all queued at once, nobody waiting in between.

    A key is a name (``enter``, ``tab``, ``down``) or one character.
    """
    driver = pilot.app._driver
    assert driver is not None
    characters = {"enter": "\r", "tab": "\t", "space": " "}
    for key in keys:
        character = key if len(key) == 1 else characters.get(key)
        event = events.Key("space" if key == " " else key, character)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await pilot.pause()


# -- a typed count ------------------------------------------------------------------------


async def test_a_typed_count_sets_that_many_votes(pick_file: Path, clock: ManualClock) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_board(pilot, "home", "6")
        engine = screen.engine
        assert board(screen).highlighted_id == "c1"
        # What will be set shows on the row and under the board before Enter.
        assert "6_票" in row_text(screen, "c1")
        assert "6" in str(board(screen).border_subtitle)
        assert votes(engine)["c1"] == 0
        await pilot.press("enter")
        assert votes(engine)["c1"] == 6
        assert "6_票" not in row_text(screen, "c1") and "6票" in row_text(screen, "c1")
        assert not board(screen).border_subtitle
        await pilot.press("down", "1", "2", "enter")
        assert votes(engine) == {"c1": 6, "c2": 12, "c3": 0}
        # Backspace corrects a digit; 0 is a count too.
        await pilot.press("down", "1", "3", "backspace", "4", "enter")
        assert votes(engine)["c3"] == 14
        await pilot.press("0", "enter")
        assert votes(engine)["c3"] == 0
        # + and − still correct by one.
        await pilot.press("up", "plus")
        assert votes(engine)["c2"] == 13
        await saved(pilot, screen)
        # Enter with no count typed edits the card, as before.
        await pilot.press("enter")
        assert app.screen is not screen
        await pilot.press("escape")


async def test_digits_then_escape_change_nothing(pick_file: Path, clock: ManualClock) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_board(pilot, "home")
        revision = screen.engine.revision
        before = row_text(screen, "c1")
        await pilot.press("4", "2", "escape")
        assert screen.engine.revision == revision
        assert row_text(screen, "c1") == before
        assert board(screen).typed_digits is None
        assert app.focused is board(screen)  # the first Esc only dropped the count
        await pilot.press("enter")  # no count: Enter is the card's edit dialog again
        assert app.screen is not screen
        await pilot.press("escape")
        await pilot.press("escape")
        assert app.focused is not None and app.focused.id == "entry"


async def test_a_count_is_set_only_on_the_row_it_was_typed_on(
    pick_file: Path, clock: ManualClock
) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        notices = recording_notices(app)
        screen = await on_board(pilot, "home", "7", "down")
        assert votes(screen.engine) == {"c1": 0, "c2": 0, "c3": 0}
        assert "7_票" not in row_text(screen, "c1")
        assert notices == [t("tui.votes_not_set", digits="7")]
        await pilot.press("enter")  # on c2, nothing typed: the edit dialog, not a vote
        assert votes(screen.engine) == {"c1": 0, "c2": 0, "c3": 0}


async def test_full_width_digits_from_an_ime_count(pick_file: Path, clock: ManualClock) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_board(pilot, "home")
        await burst(pilot, "１", "２", "enter")
        await wait_until(pilot, lambda: votes(screen.engine)["c1"] == 12, "12 votes")
        await burst(pilot, "down", "６", "enter")
        await wait_until(pilot, lambda: votes(screen.engine)["c2"] == 6, "6 votes")
        # A circled number or a kanji numeral is not a typed count.
        await burst(pilot, "down", "①", "六")
        assert board(screen).typed_digits is None
        await saved(pilot, screen)


async def test_counts_typed_fast_land_on_their_rows(pick_file: Path, clock: ManualClock) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_board(pilot, "home")
        await burst(pilot, "1", "2", "enter", "down", "3", "enter", "down", "4", "0", "enter")
        await wait_until(pilot, lambda: votes(screen.engine)["c3"] == 40, "the third count")
        assert votes(screen.engine) == {"c1": 12, "c2": 3, "c3": 40}
        assert row_ids(screen) == ["c1", "c2", "c3"]
        await saved(pilot, screen)


async def test_up_then_a_count_typed_fast_votes_and_records_no_card(
    pick_file: Path, clock: ManualClock
) -> None:
    """↑ hands the next key to the board at once: "5" is a count, not a card."""
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        cards = len(screen.engine.session.cards)
        await burst(pilot, "up", "home", "5", "enter", "escape", *"a card", "enter")
        await wait_until(pilot, lambda: len(screen.engine.session.cards) > cards, "the card")
        assert votes(screen.engine)["c1"] == 5
        assert [c.text for c in screen.engine.session.cards[cards:]] == ["a card"]
        await saved(pilot, screen)


async def test_a_count_too_large_is_refused_and_stays_to_be_corrected(
    pick_file: Path, clock: ManualClock
) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        notices = recording_notices(app)
        screen = await on_board(pilot, "home", *"999999", "enter")
        assert votes(screen.engine)["c1"] == 0
        assert notices == [t("engine.too_many_votes", max=9999)]
        # Five digits were taken (the sixth rang the bell); they wait for a correction.
        assert board(screen).typed_digits == "99999"
        await pilot.press("backspace", "enter")
        assert votes(screen.engine)["c1"] == 9999


async def test_digits_with_nothing_to_vote_on_say_so(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    engine = SessionEngine(new_session(shimizu, session_id="empty", clock=clock), clock)
    engine.begin()
    engine.go_to_step(PICK)
    path = create_session_file(engine.session, tmp_path / "sessions")
    app = build(path, clock)
    async with app.run_test(size=SIZE) as pilot:
        notices = recording_notices(app)
        screen = running(pilot)
        revision = screen.engine.revision
        await pilot.press("up", "6", "enter")
        assert notices == [t("tui.nothing_to_vote")]
        assert screen.engine.revision == revision


async def test_leaving_the_step_with_digits_typed_sets_nothing_and_says_so(
    pick_file: Path, clock: ManualClock
) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        notices = recording_notices(app)
        screen = await on_board(pilot, "home", "5", "f7")
        assert screen.engine.step.kind is StepKind.EXCHANGE
        assert votes(screen.engine)["c1"] == 0
        assert t("tui.votes_not_set", digits="5") in notices
        await pilot.press("f6")  # back on the pick board: no count left over
        assert board(screen).typed_digits is None
        assert "5_票" not in row_text(screen, "c1")


async def test_f9_from_the_entry_votes_and_hands_the_keys_to_the_board(
    pick_file: Path, clock: ManualClock
) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_board(pilot, "end", "escape")
        assert app.focused is not None and app.focused.id == "entry"
        await pilot.press("f9")
        assert votes(screen.engine)["c3"] == 1
        assert app.focused is board(screen)
        await pilot.press("8", "enter")
        assert votes(screen.engine)["c3"] == 8


async def test_the_button_and_the_palette_open_a_count(pick_file: Path, clock: ManualClock) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await wait_until(pilot, lambda: screen.query("#btn-type_votes"), "the buttons")
        button = screen.query_one("#btn-type_votes")
        assert t("keys.type_votes") in str(button.render())
        await pilot.click("#btn-type_votes")
        await pilot.pause()
        assert app.focused is board(screen)
        assert board(screen).typed_digits == ""
        await pilot.press("4", "enter")
        assert votes(screen.engine)["c1"] == 4
        titles = {command.title for command in app.get_system_commands(screen)}
        assert f"{t('keys.type_votes')} (0-9)" in titles
        assert f"{t('keys.sort_troubles')} (S)" in titles


# -- a steady order ----------------------------------------------------------------------


async def test_the_order_stays_while_voting_and_sorts_on_request(
    pick_file: Path, clock: ManualClock
) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_board(pilot, "end", "5", "enter")
        engine = screen.engine
        assert votes(engine)["c3"] == 5
        assert [trouble.id for trouble in engine.troubles()] == ["c3", "c1", "c2"]
        assert row_ids(screen) == ["c1", "c2", "c3"]  # nothing moved under the cursor
        assert board(screen).highlighted_id == "c3"
        await pilot.press("up", "plus", "plus")
        assert row_ids(screen) == ["c1", "c2", "c3"]
        await pilot.press("down", "s")
        assert row_ids(screen) == ["c3", "c2", "c1"]
        assert board(screen).highlighted_id == "c3"  # the trouble just voted
        # A trouble recorded now joins the end, until the next sort.
        await pilot.press("escape")
        await type_line(pilot, "Nobody checks on her")
        await pilot.press("enter")
        assert row_ids(screen) == ["c3", "c2", "c1", "c4"]
        await pilot.press("up", "end", "3", "enter")
        assert board(screen).highlighted_id == "c4"
        assert row_ids(screen) == ["c3", "c2", "c1", "c4"]
        # The button sorts too, and the highlight stays on its trouble.
        await wait_until(pilot, lambda: screen.query("#btn-sort_troubles"), "the buttons")
        await pilot.click("#btn-sort_troubles")
        assert row_ids(screen) == ["c3", "c4", "c2", "c1"]
        assert board(screen).highlighted_id == "c4"


async def test_coming_back_to_the_pick_step_sorts_the_board(
    pick_file: Path, clock: ManualClock
) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_board(pilot, "end", "2", "enter")
        assert row_ids(screen) == ["c1", "c2", "c3"]
        await pilot.press("f7", "f6")
        assert screen.engine.step.kind is StepKind.PICK
        assert row_ids(screen) == ["c3", "c1", "c2"]


async def test_a_new_group_joins_the_end_and_an_undo_puts_its_cards_back(
    pick_file: Path, clock: ManualClock
) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_board(pilot, "home", "space", "down", "space", "ctrl+g")
        await type_line(pilot, "移動")
        await pilot.press("enter")
        assert row_ids(screen) == ["c3", "g1", "c1", "c2"]
        assert board(screen).highlighted_id == "g1"
        await pilot.press("ctrl+z")
        assert row_ids(screen) == ["c1", "c2", "c3"]


# -- a grouped card's votes -------------------------------------------------------------------


async def test_a_grouped_card_shows_the_votes_of_its_group(
    grouped_file: Path, clock: ManualClock
) -> None:
    app = build(grouped_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        assert row_ids(screen) == ["g1", "c2", "c3", "c1"]
        note = t("tui.counts_for_group", title="移動", votes=t("tui.votes", count=5))
        assert note == "➜ まとめ「移動」: 5票"
        assert note in row_text(screen, "c2") and note in row_text(screen, "c3")
        assert "まとめ" not in row_text(screen, "c1")
        # A count typed on a member row is the group's, and every member row says so.
        await on_board(pilot, "home", "down", "7", "enter")
        assert board(screen).highlighted_id == "c2"
        assert votes(screen.engine)["g1"] == 7
        assert screen.engine.card("c2").votes == 0
        for member in ("c2", "c3"):
            assert "➜ まとめ「移動」: 7票" in row_text(screen, member)
        # On the group's own row, too.
        await pilot.press("up", "9", "enter")
        assert votes(screen.engine)["g1"] == 9
        assert "➜ まとめ「移動」: 9票" in row_text(screen, "c3")
        await saved(pilot, screen)


# -- success examples in three fields ------------------------------------------------------------


def example(engine: SessionEngine) -> tuple[str, str, str]:
    card = engine.cards_of_step()[-1]
    return card.text, card.runs_by, card.place


def fields(screen: RunningScreen) -> list[Input]:
    return [screen.query_one(f"#{name}", Input) for name in ("entry", "runs-by", "place")]


async def test_an_example_is_typed_in_three_fields(spread_file: Path, clock: ManualClock) -> None:
    app = build(spread_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        what, who, where = fields(screen)
        assert all(field.display for field in (what, who, where))
        assert [f.border_title for f in (what, who, where)] == [
            t("tui.field_what"),
            t("tui.field_runs_by"),
            t("tui.field_place"),
        ]
        assert app.focused is what
        await pilot.press(*"Mobile shop", "tab", *"Chamber", "tab", *"Square")
        assert (what.value, who.value, where.value) == ("Mobile shop", "Chamber", "Square")
        await pilot.press("shift+tab", "end", *" of commerce", "enter")
        assert example(screen.engine) == ("Mobile shop", "Chamber of commerce", "Square")
        assert (what.value, who.value, where.value) == ("", "", "")
        assert app.focused is what  # the next example starts with "what"
        # Who and where may stay empty; Japanese goes in as typed.
        await type_line(pilot, "見守り・配食サービス")
        await pilot.press("enter")
        assert example(screen.engine) == ("見守り・配食サービス", "", "")
        await pilot.press("tab", "tab")
        await type_line(pilot, "第三団地の広場")
        await pilot.press("shift+tab", "shift+tab")
        await type_line(pilot, "移動販売")
        await pilot.press("enter")
        assert example(screen.engine) == ("移動販売", "", "第三団地の広場")
        await saved(pilot, screen)


@pytest.mark.parametrize("key", ["f2", "f4"])
async def test_a_speaker_key_records_the_whole_example_for_the_floor_holder(
    spread_file: Path, clock: ManualClock, key: str
) -> None:
    """Who and where go with the example typed, never on to the next one."""
    app = build(spread_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        screen.engine.choose_speaker("p3")
        what, who, where = fields(screen)
        await pilot.press(*"Mobile shop", "tab", *"Chamber", "tab", *"Square", key)
        if key == "f4":
            await pilot.press("enter")  # the list opens on the next in turn
        assert example(screen.engine) == ("Mobile shop", "Chamber", "Square")
        assert screen.engine.cards_of_step()[-1].speaker == "p3"
        assert (what.value, who.value, where.value) == ("", "", "")
        await pilot.press("ctrl+z")
        assert screen.engine.cards_of_step() == []  # one undo: the card and the speaker


async def test_a_refused_speaker_key_gives_the_example_back_to_its_fields(
    spread_file: Path, clock: ManualClock
) -> None:
    app = build(spread_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        what, who, where = fields(screen)
        await pilot.press(*"Mobile shop", "tab", *"Chamber", "tab", *"Square", "f3")
        assert screen.engine.cards_of_step() == []  # nobody has the floor to pass
        assert (what.value, who.value, where.value) == ("Mobile shop", "Chamber", "Square")


async def test_slashes_in_the_first_field_still_split(
    spread_file: Path, clock: ManualClock
) -> None:
    app = build(spread_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        await type_line(pilot, "移動販売／商工会／第三団地の広場")
        await pilot.press("enter")
        assert example(screen.engine) == ("移動販売", "商工会", "第三団地の広場")
        await pilot.press(*"Snow wardens/Residents/River Street", "enter")
        assert example(screen.engine) == ("Snow wardens", "Residents", "River Street")
        # Once "who" is typed, the first field is taken as it stands.
        await pilot.press(*"24/7 phone line", "tab", *"NPO", "enter")
        assert example(screen.engine) == ("24/7 phone line", "NPO", "")


async def test_an_example_typed_fast_is_recorded_exactly(
    spread_file: Path, clock: ManualClock
) -> None:
    app = build(spread_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        keys = [*"Mobile shop", "tab", *"Chamber", "tab", *"Square", "enter"]
        keys += [*"Salon", "tab", "tab", *"Hall", "enter", *"Next", "tab", *"N"]
        await burst(pilot, *keys)
        await wait_until(pilot, lambda: len(screen.engine.cards_of_step()) == 2, "two examples")
        await pilot.pause(0.2)
        recorded = [(c.text, c.runs_by, c.place) for c in screen.engine.cards_of_step()]
        assert recorded == [("Mobile shop", "Chamber", "Square"), ("Salon", "", "Hall")]
        assert [field.value for field in fields(screen)] == ["Next", "N", ""]
        assert app.focused is fields(screen)[1]


async def test_an_example_that_cannot_be_recorded_stays_in_its_fields(
    spread_file: Path, clock: ManualClock
) -> None:
    app = build(spread_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        notices = recording_notices(app)
        screen = running(pilot)
        await pilot.press("tab", *"Chamber", "tab", *"Square", "enter")
        await wait_until(pilot, lambda: notices, "a notice")
        assert notices == [t("engine.empty_text")]
        assert screen.engine.cards_of_step() == []
        assert [field.value for field in fields(screen)] == ["", "Chamber", "Square"]


async def test_ctrl_n_records_an_unsigned_example(spread_file: Path, clock: ManualClock) -> None:
    app = build(spread_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        screen.engine.choose_speaker("p2")
        await pilot.press(*"Lunch club", "tab", *"Salon", "ctrl+n")
        card = screen.engine.cards_of_step()[-1]
        assert (card.text, card.runs_by, card.speaker) == ("Lunch club", "Salon", None)


async def test_other_steps_keep_the_one_entry_line(pick_file: Path, clock: ManualClock) -> None:
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = running(pilot)
        what, who, where = fields(screen)
        assert not who.display and not where.display
        assert not what.border_title
        await pilot.press("f7", "f7")  # exchange, then spread
        assert who.display and where.display
        await pilot.press("tab", *"NPO")
        assert app.focused is who
        await pilot.press("ctrl+z")  # back to exchange: the hidden field lets go of the keys
        assert screen.engine.step.kind is StepKind.EXCHANGE
        assert not who.display
        assert app.focused is what
        await pilot.press(*"Our bus", "enter")
        assert screen.engine.cards_of_step()[-1].text == "Our bus"


async def test_arrows_stop_at_the_ends_of_the_board_rather_than_wrap(
    pick_file: Path, clock: ManualClock
) -> None:
    """↑ once too often on the top trouble must not vote for the bottom one."""
    app = build(pick_file, clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_board(pilot, "home")
        rows = board(screen)
        first, last = rows.highlighted_id, rows.get_option_at_index(rows.option_count - 1).id
        await pilot.press("up", "f9")
        assert rows.highlighted_id == first
        await pilot.press("end", "down", "f9")
        assert rows.highlighted_id == last
        assert first is not None and last is not None and first != last
        assert votes(screen.engine)[first] == 1
        assert votes(screen.engine)[last] == 1
