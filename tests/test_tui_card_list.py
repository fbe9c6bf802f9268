"""The board widget on its own: which row each line of the board belongs to.

The board keeps each row's height and where each row starts; an edit that
changes a row's height, or a row taken out in the middle, must move every
row below it. A wrong line map shows as the wrong words on a line, a click
landing on the card above or below, or ↓ skipping a card.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.pilot import Pilot

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.models import Scenario
from chie_kokan.storage import create_session_file
from chie_kokan.tui.app import make_app
from chie_kokan.tui.widgets.card_list import CardList, Row
from screen_helpers import screen_lines

LONG = "駅前のバス停にベンチがなく、買い物帰りのお年寄りが立ったまま三十分も待っている。" * 2


def row(row_id: str, words: str) -> Row:
    return row_id, words, lambda: Text(words)


class BoardApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.selected: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield CardList()

    @on(CardList.OptionSelected)
    def _selected(self, event: CardList.OptionSelected) -> None:
        self.selected.append((event.option_id, event.option_index))


def shown_lines(board: CardList) -> list[str]:
    """The words on every line of the board, scrolled to the top."""
    board.scroll_to(y=0, animate=False, immediate=True)
    return [board.render_line(y).text.rstrip() for y in range(board.line_count)]


def expected_lines(board: CardList, pilot: Pilot[Any]) -> list[tuple[str, str]]:
    """(row id, words) for every line, each row wrapped at the board's width."""
    width = board.scrollable_content_region.width
    return [
        (option.id, line.plain.rstrip())
        for option in board.options
        for line in option.prompt.wrap(pilot.app.console, width)
    ]


async def test_lines_clicks_and_keys_follow_rows_that_grow_and_go() -> None:
    app = BoardApp()
    async with app.run_test(size=(40, 30)) as pilot:
        board = app.query_one(CardList)
        board.show([row(f"c{n}", f"カード{n}") for n in range(8)])
        board.focus()
        await pilot.pause()
        assert board.line_count == 8

        board.update_row(row("c2", LONG))  # one line becomes several
        board.remove_rows(["c5"])  # one goes from the middle
        await pilot.pause()
        expected = expected_lines(board, pilot)
        grown = sum(1 for row_id, _ in expected if row_id == "c2")
        assert grown >= 3
        assert [option.id for option in board.options] == ["c0", "c1", "c2", "c3", "c4", "c6", "c7"]
        assert board.line_count == len(expected) == 6 + grown
        assert shown_lines(board) == [words for _, words in expected]

        # A click on any line of a row chooses that row.
        for line, (row_id, _) in enumerate(expected):
            await pilot.click(CardList, offset=(3, 1 + line))  # 1: the border
            assert board.highlighted_id == row_id, line
        assert app.selected[-1] == ("c7", 6)
        assert [row_id for row_id, _ in app.selected[2 : 2 + grown]] == ["c2"] * grown

        # The mouse over a line lights the row it belongs to, and that row only.
        c6 = next(line for line, (row_id, _) in enumerate(expected) if row_id == "c6")
        await pilot.hover(CardList, offset=(3, 1 + c6))
        hover = board.get_visual_style("option-list--option", "option-list--option-hover")
        lit = [
            line
            for line in range(board.line_count)
            if next(iter(board.render_line(line))).style.bgcolor == hover.rich_style.bgcolor
        ]
        assert lit == [c6]

        # ↑ and ↓ go one card at a time, and stop at the ends.
        await pilot.press("home", "up")
        assert board.highlighted_id == "c0"
        visited = []
        for _ in range(8):
            await pilot.press("down")
            visited.append(board.highlighted_id)
        assert visited == ["c1", "c2", "c3", "c4", "c6", "c7", "c7", "c7"]
        await pilot.press("enter")
        assert app.selected[-1] == ("c7", 6)

        # Back to one line: the rows below move up again.
        board.update_row(row("c2", "短く直した"))
        await pilot.pause()
        assert board.line_count == 7
        assert shown_lines(board) == [
            "カード0",
            "カード1",
            "短く直した",
            "カード3",
            "カード4",
            "カード6",
            "カード7",
        ]
        await pilot.click(CardList, offset=(3, 1 + 3))
        assert board.highlighted_id == "c3"


async def test_a_narrower_board_wraps_again_and_scrolls_to_the_highlight() -> None:
    app = BoardApp()
    async with app.run_test(size=(60, 12)) as pilot:
        board = app.query_one(CardList)
        board.show([row(f"c{n}", f"{n}: {LONG}") for n in range(6)])
        await pilot.pause()
        wide = board.line_count
        await pilot.resize_terminal(30, 12)
        await pilot.pause()
        assert board.line_count > wide
        assert board.highlighted_id == "c5"  # the card just shown, still in view
        assert board.scroll_y == board.max_scroll_y > 0
        expected = expected_lines(board, pilot)
        assert board.line_count == len(expected)
        assert shown_lines(board) == [words for _, words in expected]

        board.focus()
        await pilot.press("home")
        assert (board.highlighted_id, board.scroll_y) == ("c0", 0)
        height = board.scrollable_content_region.height
        for _ in range(3):
            await pilot.press("pagedown")
            top = board.scroll_y
            lines = [n for n, (row_id, _) in enumerate(expected) if row_id == board.highlighted_id]
            assert top <= lines[0] and lines[-1] < top + height  # the whole card in view
        assert board.highlighted_id == "c3"  # a card is longer than the board: one a page
        await pilot.press("end", "pageup")
        assert board.highlighted_id == "c3"  # a page up from the top of the last card


async def test_a_resumed_meeting_shows_its_latest_card_when_rows_wrap(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    """Found in tmux: with 300 two-line cards the projector opened on cards 150-160.
    The rows were first placed one line each (no width yet); when the board got
    its width they wrapped, and the view stayed where the latest card had been."""
    engine = SessionEngine(new_session(shimizu, session_id="wrap", clock=clock), clock)
    engine.begin()
    engine.next_step()
    for number in range(1, 301):
        engine.record_card(f"困りごと{number}: " + "坂の上の団地から重い物を買いに行けない" * 2)
    engine.record_card("いちばん新しいカード")
    path = create_session_file(engine.session, tmp_path / "sessions")
    app = make_app(session_path=path, sessions_dir=tmp_path / "sessions", clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.pause()
        board = app.screen.query_one(CardList)
        assert board.highlighted_id == engine.session.cards[-1].id
        assert board.line_count > 2 * 300  # the rows did wrap
        assert any("いちばん新しいカード" in line for line in screen_lines(app))
        await app.action_quit()
