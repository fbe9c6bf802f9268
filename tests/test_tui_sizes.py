"""The running screen measured at the sizes a projector leaves (issue 10).

Not pictures: regions. At 80×24 the board keeps eight rows, the step track
one line, every footer key is whole, and nothing overlaps; below 80×24 a
message takes the screen and nothing is lost; on a large terminal the side
panel and the clock grow, and F8 makes the clock larger still.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, OptionList

from chie_kokan.clock import ManualClock, system_clock
from chie_kokan.engine import new_session
from chie_kokan.i18n import t
from chie_kokan.models import Scenario
from chie_kokan.storage import create_session_file, load_scenario
from chie_kokan.tui.app import ChieKokanApp
from chie_kokan.tui.glyphs import SEPARATOR
from chie_kokan.tui.screens.help import HelpScreen
from chie_kokan.tui.screens.running import RunningScreen
from chie_kokan.tui.widgets.card_list import CardList
from chie_kokan.tui.widgets.timebox import ClockDigits
from chie_kokan.tui.widgets.wrapped_text import WrappedText
from test_snapshots_running import (
    EN,
    EXCHANGE,
    JA,
    PICK,
    REFLECT,
    SCENARIOS,
    SHARE,
    SPREAD,
    SUMMARY,
    Words,
    opened,
    settled,
)
from test_tui_running import build, earlier_session, running, wait_until
from test_tui_tmux import PROGRAM, TMUX, Tmux, wait_on_disk

SMALL = (80, 24)
WALL = (200, 55)


def region(screen: RunningScreen, selector: str) -> Region:
    return screen.query_one(selector).region


def inside(inner: Region, outer: Region) -> bool:
    return outer.contains_region(inner)


async def started(pilot: Pilot[Any]) -> RunningScreen:
    await settled(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RunningScreen)
    return screen


def footer_keys(screen: RunningScreen) -> list[Widget]:
    return list(screen.query("KeyFooter FooterKey"))


def shown_bindings(screen: RunningScreen) -> set[str]:
    return {b.binding.key for b in screen.active_bindings.values() if b.binding.show}


@pytest.mark.parametrize("words", [JA, EN], ids=["ja", "en"])
@pytest.mark.parametrize("upto", [SHARE, PICK, EXCHANGE], ids=["share", "pick", "exchange"])
async def test_at_80_by_24_the_board_keeps_eight_rows_and_nothing_overlaps(
    clock: ManualClock, tmp_path: Path, words: Words, upto: int
) -> None:
    app = opened(words, clock, tmp_path, upto)
    async with app.run_test(size=SMALL) as pilot:
        screen = await started(pilot)
        whole = screen.region
        assert whole.size == SMALL

        cards = screen.query_one("#cards", CardList)
        assert cards.display and cards.content_region.height >= 8

        # The parts of the screen: each whole on screen, none over another.
        parts = ["#track", "#centre", "#side", "#rules", "#entry-row", "KeyFooter"]
        regions = {part: region(screen, part) for part in parts}
        for part, where in regions.items():
            assert where.area and inside(where, whole), part
        for (a, ra), (b, rb) in combinations(regions.items(), 2):
            assert not ra.overlaps(rb), f"{a} {ra} overlaps {b} {rb}"
        assert regions["#track"].height == 1  # the step track does not wrap

        # The side panel: speaker and timer whole, one above the other, no scrolling.
        side = screen.query_one("#side")
        assert side.max_scroll_y == 0
        speaker, timebox = region(screen, "#speaker"), region(screen, "#timebox")
        digits = region(screen, "#time-digits")
        assert inside(speaker, regions["#side"]) and inside(timebox, regions["#side"])
        assert not speaker.overlaps(timebox)
        assert inside(digits, timebox) and digits.height == 3
        assert not screen.query_one("#buttons").display  # no room for all: the footer has them

        # Every key the footer should show is there, whole and on its own.
        keys = footer_keys(screen)
        assert {key.key for key in keys} == shown_bindings(screen)  # type: ignore[attr-defined]
        for key in keys:
            assert inside(key.region, regions["KeyFooter"]), key
            assert key.region.width == key.render().cell_len, key  # not cut
        for a, b in combinations(keys, 2):
            assert not a.region.overlaps(b.region)


async def test_at_80_by_24_the_report_back_scrolls_to_every_item(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    sessions = tmp_path / "sessions"
    promises = [f"約束その{n}: 見守りマップの試作版を自治会で回覧する" for n in range(1, 10)]
    earlier_session(shimizu, clock, sessions, 28, ["済んだ宿題", *promises])
    today = create_session_file(new_session(shimizu, session_id="today", clock=clock), sessions)
    async with build(today, clock).run_test(size=SMALL) as pilot:
        screen = running(pilot)
        report = screen.query_one("#report-back", OptionList)
        await wait_until(pilot, lambda: report.option_count == 9, "the report back list")
        await started(pilot)
        assert report.display and inside(report.region, region(screen, "#centre"))
        assert report.content_region.height >= 8
        assert report.max_scroll_y > 0  # more than fits: it scrolls
        await pilot.press("up", "end")  # into the list, to the last item
        await pilot.pause()
        assert report.highlighted == 8
        assert report.scroll_y == report.max_scroll_y  # the last item is in view


async def test_at_80_by_24_help_scrolls(clock: ManualClock, tmp_path: Path) -> None:
    app = opened(JA, clock, tmp_path, PICK)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await pilot.press("f1")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        scroller = help_screen.query_one("VerticalScroll")
        assert inside(scroller.region, help_screen.region)
        assert scroller.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert scroller.scroll_y == scroller.max_scroll_y


async def test_below_80_by_24_a_message_and_nothing_is_lost(
    clock: ManualClock, tmp_path: Path
) -> None:
    app = opened(JA, clock, tmp_path, SHARE)
    async with app.run_test(size=SMALL) as pilot:
        screen = await started(pilot)
        engine = screen.engine
        entry = screen.query_one("#entry", Input)
        entry.value = "駅前にベンチがほしい"  # Pilot types no Japanese
        entry.cursor_position = len(entry.value)
        step, cards = engine.step_index, len(engine.cards_of_step())

        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        message = screen.query_one("#too-small")
        assert message.display and inside(message.region, screen.region)
        title = screen.query_one("#too-small-title")
        assert t("layout.too_small_title") in str(title.render())
        for part in ("#track", "#main", "#rules", "#entry-row", "KeyFooter"):
            assert not screen.query_one(part).display, part
        # Keys change nothing nobody can see: no next step, no card, no typing.
        await pilot.press("f7", "enter", "x", "f2", "up", "delete", "f8")
        await pilot.pause()
        assert (engine.step_index, len(engine.cards_of_step())) == (step, cards)
        assert not screen.has_class("-presentation")
        # Even with the focus put back on the entry line (as a closing dialog does).
        screen.set_focus(entry)
        await pilot.press("y", "enter")
        await pilot.pause()
        assert len(engine.cards_of_step()) == cards

        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not message.display
        for part in ("#track", "#main", "#rules", "#entry-row", "KeyFooter"):
            assert screen.query_one(part).display, part
        assert entry.value == "駅前にベンチがほしい"
        assert screen.focused is entry
        await pilot.press("enter")  # and the typing goes on where it was
        await pilot.pause()
        assert engine.cards_of_step()[-1].text == "駅前にベンチがほしい"


async def test_the_too_small_message_says_the_sizes(clock: ManualClock, tmp_path: Path) -> None:
    app = opened(EN, clock, tmp_path, SHARE)
    async with app.run_test(size=(79, 40)) as pilot:  # one column short is too small
        screen = await started(pilot)
        words = str(screen.query_one("#too-small-text").render())
        assert "80 columns and 24 lines" in words and "79 columns by 40 lines" in words
        # Started too small, then given room: the meeting, ready for typing.
        await pilot.resize_terminal(80, 40)
        await pilot.pause()
        assert screen.query_one("#main").display and not screen.query_one("#too-small").display
        assert screen.focused is screen.query_one("#entry")
        await pilot.press(*"bus", "enter")
        await pilot.pause()
        assert screen.engine.cards_of_step()[-1].text == "bus"


async def clock_rows(app: ChieKokanApp, size: tuple[int, int], *keys: str) -> tuple[int, int]:
    """The clock's height and the side panel's width at ``size`` (after ``keys``)."""
    async with app.run_test(size=size) as pilot:
        screen = await started(pilot)
        await pilot.press(*keys)
        await pilot.pause()
        clock_digits = screen.query_one("#time-digits", ClockDigits)
        assert inside(clock_digits.region, region(screen, "#timebox"))
        assert inside(region(screen, "#timebox"), screen.region)
        return clock_digits.region.height, region(screen, "#side").width


async def test_a_large_terminal_grows_the_side_panel_and_the_clock(
    clock: ManualClock, tmp_path: Path
) -> None:
    small = await clock_rows(opened(JA, clock, tmp_path / "a", SHARE), (120, 36))
    large = await clock_rows(opened(JA, clock, tmp_path / "b", SHARE), WALL)
    presenting = await clock_rows(opened(JA, clock, tmp_path / "c", SHARE), WALL, "f8")
    assert small[0] == 3  # Textual's Digits
    assert large[0] > small[0] and large[1] > small[1]
    assert presenting[0] > large[0] and presenting[1] > large[1]


async def test_presentation_at_the_wall_hides_the_controls_and_shows_more_cards(
    clock: ManualClock, tmp_path: Path
) -> None:
    app = opened(JA, clock, tmp_path, SHARE)
    async with app.run_test(size=WALL) as pilot:
        screen = await started(pilot)
        rows_before = screen.query_one("#cards").region.height
        assert rows_before > 30  # a large terminal: the board takes the room
        await pilot.press("f8")
        await pilot.pause()
        for part in ("#buttons", "#entry-row", "KeyFooter"):
            assert not screen.query_one(part).display, part
        question = screen.query_one("#prompt")
        assert question.display and inside(question.region, region(screen, "#centre"))
        await pilot.press("f8")
        await pilot.pause()
        assert screen.query_one("#entry-row").display


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    server = Tmux(tmp_path)
    yield server
    server.kill_server()


@pytest.mark.skipif(not TMUX.exists(), reason="tmux is not installed")
@pytest.mark.skipif(not PROGRAM.exists(), reason=f"{PROGRAM} is not installed")
def test_in_a_real_terminal_shrunk_below_80_by_24_and_back(tmux: Tmux, tmp_path: Path) -> None:
    """tmux: words typed at 80×24, a font too large, the window back: the words are kept."""
    shimizu = load_scenario(SCENARIOS / "shimizu.toml")
    session = new_session(shimizu, session_id="shimizu", clock=system_clock)
    path = create_session_file(session, tmp_path / "sessions")
    tmux.start("resume", str(path.relative_to(tmux.workdir)))
    tmux.wait_screen("はじめに", "お約束")
    tmux.tmux("resize-window", "-t", tmux.window, "-x", "80", "-y", "24")
    tmux.keys("F7")
    tmux.wait_screen("山田 花子 さんの発言を記録")
    tmux.type("坂道がつらい")
    screen = tmux.wait_screen("坂道がつらい")
    footer = "\n".join(screen.rstrip().splitlines()[-2:])  # the footer's two rows
    for key in ("F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F10"):
        assert re.search(rf"(?<![\w+]){key}(?!\d)", footer), f"{key} not in the footer:\n{screen}"

    tmux.tmux("resize-window", "-t", tmux.window, "-x", "70", "-y", "20")
    tmux.wait_screen(t("layout.too_small_title"))
    tmux.keys("Enter")  # nothing is recorded while nobody can see it
    tmux.tmux("resize-window", "-t", tmux.window, "-x", "80", "-y", "24")
    tmux.wait_screen("坂道がつらい", "お約束")
    tmux.keys("Enter")
    recorded = wait_on_disk(path, lambda s: bool(s.cards), "the card on disk")
    assert [card.text for card in recorded.cards] == ["坂道がつらい"]
    tmux.keys("C-q")
    assert tmux.exit_status() == 0


async def test_a_larger_font_mid_meeting_relays_the_screen(
    clock: ManualClock, tmp_path: Path
) -> None:
    """120×36 → 80×24 (the font enlarged during the meeting) → 120×36."""
    app = opened(JA, clock, tmp_path, PICK)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await started(pilot)
        title = screen.engine.step.title
        assert title in str(screen.query_one("#prompt").render())
        assert t("tui.pick_help")[:10] in str(screen.query_one("#context").render())

        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        # The track names the step; F1 explains the board: the rows go to the board.
        assert title not in str(screen.query_one("#prompt").render())
        assert t("tui.pick_help")[:10] not in str(screen.query_one("#context").render())
        assert screen.query_one("#cards").content_region.height >= 8
        assert screen.query_one("#side").max_scroll_y == 0

        await pilot.resize_terminal(120, 36)
        await pilot.pause()
        assert title in str(screen.query_one("#prompt").render())
        assert t("tui.pick_help")[:10] in str(screen.query_one("#context").render())


async def test_the_summary_takes_the_width_at_80_by_24(clock: ManualClock, tmp_path: Path) -> None:
    app = opened(JA, clock, tmp_path, SUMMARY)
    async with app.run_test(size=SMALL) as pilot:
        screen = await started(pilot)
        assert not screen.query_one("#side").display  # nothing in it once the meeting ended
        summary = screen.query_one("#summary")
        assert summary.display and summary.region.width >= SMALL[0] - 4


@pytest.mark.parametrize("size", [SMALL, (100, 30)], ids=["80x24", "100x30"])
async def test_who_said_it_never_leaves_its_mark_alone_at_a_line_end(
    clock: ManualClock, tmp_path: Path, size: tuple[int, int]
) -> None:
    """A long card wraps; "／ 山田花子" stays together instead of "／" ending a line."""
    app = opened(JA, clock, tmp_path, SHARE)
    async with app.run_test(size=size) as pilot:
        screen = await started(pilot)
        cards = screen.query_one("#cards", CardList)
        width = cards.content_region.width - 2  # the option's own padding
        lines = [
            line.plain.rstrip()
            for card in screen.engine.cards_of_step()
            for line in screen._card_text(card).wrap(pilot.app.console, width)
        ]
    assert len(lines) > len(screen.engine.cards_of_step())  # some card did wrap here
    assert not [line for line in lines if line.endswith(SEPARATOR)]


@pytest.mark.parametrize("words", [JA, EN], ids=["ja", "en"])
@pytest.mark.parametrize("upto", [SPREAD, REFLECT], ids=["spread", "reflect"])
async def test_at_80_by_24_the_action_items_go_under_the_clock_and_the_board_keeps_its_rows(
    clock: ManualClock, tmp_path: Path, words: Words, upto: int
) -> None:
    app = opened(words, clock, tmp_path, upto)
    async with app.run_test(size=SMALL) as pilot:
        screen = await started(pilot)
        assert screen.engine.session.actions  # the meeting has some to show
        cards = screen.query_one("#cards", CardList)
        assert cards.display and cards.content_region.height >= 8
        side_actions = screen.query_one("#side-actions", WrappedText)
        assert side_actions.display
        side = region(screen, "#side")
        # It starts on screen under the clock; the rest is a scroll away in the side panel.
        assert side.y < side_actions.region.y < side.bottom
        overflow = side_actions.region.bottom - side.bottom
        assert screen.query_one("#side").max_scroll_y >= overflow
        shown = side_actions.content.plain
        for item in screen.engine.session.actions:
            assert item.what in shown
        assert not screen.query_one("#context").display  # not twice
        await pilot.resize_terminal(120, 36)  # a taller window: back in the centre
        await settled(pilot)
        assert not side_actions.display
        context = screen.query_one("#context", WrappedText)
        assert all(item.what in context.content.plain for item in screen.engine.session.actions)
