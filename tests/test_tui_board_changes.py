"""The running screen's board redraws only the cards a change names (issue 12).

After every change (recorded by keys, edited, deleted, a speaker corrected,
undone, another step), the board must show exactly what a board drawn from
scratch would: the same rows, in the same order, the same words, and the
highlight where the whole redraw would put it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.models import Scenario
from chie_kokan.storage import create_session_file
from chie_kokan.tui.app import ChieKokanApp, make_app
from chie_kokan.tui.glyphs import numbered
from chie_kokan.tui.screens.running import BoardList, RunningScreen
from test_tui_running import record, running


def board_rows(board: BoardList) -> list[tuple[str | None, str]]:
    return [(option.id, str(option.prompt)) for option in board.options]


def drawn_whole(screen: RunningScreen) -> list[tuple[str | None, str]]:
    return [(row_id, str(render())) for row_id, _, render in screen._rows()]


def opened(engine: SessionEngine, clock: ManualClock, tmp_path: Path) -> ChieKokanApp:
    """The app as ``resume`` opens this engine's session, saved first."""
    path = create_session_file(engine.session, tmp_path / "sessions")
    return make_app(session_path=path, sessions_dir=path.parent, clock=clock)


async def same_as_drawn_whole(pilot: Pilot[Any], screen: RunningScreen, what: str) -> None:
    await pilot.pause()
    board = screen.query_one(BoardList)
    assert board_rows(board) == drawn_whole(screen), what
    highlighted = board.highlighted_id
    # What a whole redraw does with the highlight: keep its card, else the last row.
    assert highlighted is not None or not board.option_count, what


async def test_the_board_follows_every_change_as_a_whole_redraw_would(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    engine = SessionEngine(new_session(shimizu, session_id="board", clock=clock), clock)
    engine.begin()
    engine.next_step()
    for number in range(30):  # more than the board's height
        clock.advance(10)
        engine.record_card(f"困りごと{number + 1}")
    async with opened(engine, clock, tmp_path).run_test(size=(120, 36)) as pilot:
        screen = running(pilot)
        engine = screen.engine
        board = screen.query_one(BoardList)
        await same_as_drawn_whole(pilot, screen, "opened")

        await record(pilot, "recorded by keys")
        await same_as_drawn_whole(pilot, screen, "recorded")
        assert board.highlighted == board.option_count - 1  # the card just recorded

        cards = engine.cards_of_step()
        board.highlighted = 5
        engine.edit_card(cards[5].id, "直したカード", runs_by="社協")
        await same_as_drawn_whole(pilot, screen, "edited")
        assert board.highlighted_id == cards[5].id  # the highlight stays on it

        engine.edit_card(cards[7].id, speaker=None)  # 全体 (no name)
        await same_as_drawn_whole(pilot, screen, "speaker corrected")
        assert board.highlighted_id == cards[5].id

        engine.delete_card(cards[2].id)
        await same_as_drawn_whole(pilot, screen, "another card deleted")
        assert board.highlighted_id == cards[5].id  # one row up, still on its card

        engine.delete_card(cards[5].id)
        await same_as_drawn_whole(pilot, screen, "the highlighted card deleted")
        assert board.highlighted == board.option_count - 1

        for what in ("delete back", "delete back", "speaker back", "edit back", "record back"):
            engine.undo()
            await same_as_drawn_whole(pilot, screen, what)
        assert [card.id for card in engine.cards_of_step()] == [card.id for card in cards[:30]]

        engine.next_step()
        await same_as_drawn_whole(pilot, screen, "the next step")
        engine.undo()
        await same_as_drawn_whole(pilot, screen, "back to the share step")
        assert board.option_count == 30


async def test_answers_on_an_exchange_board_keep_their_question_and_trouble(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    """Rows of an exchange step begin with the question's number and, with two
    troubles picked, the trouble they answer: recorded or edited alone, the same."""
    engine = SessionEngine(new_session(shimizu, session_id="answers", clock=clock), clock)
    engine.begin()
    engine.next_step()
    first = engine.record_card("駅前のスーパーが閉店した")
    second = engine.record_card("ゴミ出しの日を忘れる")
    engine.next_step()  # pick
    engine.set_picked(first.id, True)
    engine.set_picked(second.id, True)
    engine.next_step()  # exchange
    engine.set_target(second.id)
    async with opened(engine, clock, tmp_path).run_test(size=(120, 36)) as pilot:
        screen = running(pilot)
        engine = screen.engine
        await record(pilot, "mobile shop")
        await same_as_drawn_whole(pilot, screen, "an answer recorded")
        board = screen.query_one(BoardList)
        shown = str(board.get_option_at_index(board.option_count - 1).prompt)
        assert shown.startswith(numbered(1)) and "ゴミ出しの日" in shown, shown
        answer = engine.cards_of_step()[-1]
        engine.edit_card(answer.id, "移動販売の日を回覧板で知らせる")
        await same_as_drawn_whole(pilot, screen, "the answer edited")
        engine.set_target(first.id)
        await record(pilot, "bus")
        await same_as_drawn_whole(pilot, screen, "an answer to the other trouble")
        assert "駅前" in str(board.get_option_at_index(board.option_count - 1).prompt)
