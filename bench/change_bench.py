"""Benchmark (issue 12): what one change costs, at 50, 1,000 and 5,000 cards.

Not a test: run it by hand, or with ``make bench``.

    .venv/bin/python bench/change_bench.py [--sizes 50,1000,5000] [--runs 30] [--json]

Per change: a session with N cards on the share step is built through the
real engine, saved, and opened the way ``resume`` opens it (headless,
120×36, manual clock). Cards are then recorded by typing a line and sending
Enter as a key event, and the screen's handler (``_record_typed``: the
engine, the board's refresh and the hand-over to the saver) is timed, with
its parts. Targets: the handler at 5,000 cards at most 1.5× its time at 50,
and at most 8 ms (median) at 1,000. A card edited and a card deleted
(through the engine, whose listeners redraw the screen) are held to the same
1.5×.

Memory: a 5,000-card session file is opened (read, validated, engine made),
and the peak of Python's allocations then is the reference; 1,000 changes
follow (cards, edits, speakers, steps and undos), each one saved as the saver
would (the document taken and turned into TOML). Target: the peak over those
changes, with all 200 steps of undo kept, at most 2× the reference.

The saver's own work per write (on its thread) is printed too, without a
target.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import tomli_w
from figures import Figure, Report, json_flag
from textual import events
from textual.widgets import Input

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.storage import create_session_file, load_scenario, load_session
from chie_kokan.tui.app import make_app
from chie_kokan.tui.screens.running import RunningScreen
from chie_kokan.tui.widgets.card_list import CardList

ROOT = Path(__file__).resolve().parent.parent
JST = timezone(timedelta(hours=9))
RATIO_LIMIT = 1.5
AT_1000_LIMIT_MS = 8.0
MEMORY_RATIO_LIMIT = 2.0


def start_clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 27, 14, 0, tzinfo=JST))


def build_engine(cards: int, clock: ManualClock) -> SessionEngine:
    """``cards`` cards on the share step, from nine people taking turns."""
    scenario = load_scenario(ROOT / "scenarios" / "shimizu.toml")
    engine = SessionEngine(new_session(scenario, session_id="bench", clock=clock), clock)
    engine.begin()
    engine.next_step()
    for number in range(cards):
        clock.advance(10)
        engine.record_card(f"困りごと{number + 1}: 坂の上の団地から重い物を買いに行けない")
        if number % 3 == 2:
            engine.advance_speaker()
    return engine


def saved_text(engine: SessionEngine) -> str:
    """What the saver writes for the session now, made as the saver thread makes it.

    (Before issue 12 the screen dumped the session and the saver ran tomli_w.)
    """
    take = getattr(engine, "file_text", None)
    if take is not None:
        return take()[1]
    return tomli_w.dumps(engine.session.model_dump(mode="json", exclude_none=True))


class Timed:
    """Wraps a callable and keeps how long each call took (seconds).

    With ``within``, only calls made while that one runs are kept (the board
    is refreshed by clock ticks too: those are not the handler's).
    """

    def __init__(self, function: Callable[..., Any], within: Timed | None = None) -> None:
        self.function = function
        self.within = within
        self.running = False
        self.seconds: list[float] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.within is not None and not self.within.running:
            return self.function(*args, **kwargs)
        start = time.perf_counter()
        self.running = True
        try:
            return self.function(*args, **kwargs)
        finally:
            self.running = False
            self.seconds.append(time.perf_counter() - start)


def ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000 if samples else float("nan")


async def handler_times(path: Path, clock: ManualClock, runs: int) -> dict[str, list[float]]:
    """Record ``runs`` cards through the running screen; the handler's times and parts."""
    app = make_app(session_path=path, sessions_dir=path.parent, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunningScreen)
        engine = screen.engine
        board = screen.query_one(CardList)
        entry = screen.query_one("#entry", Input)
        handler = Timed(screen._record_typed)
        screen._record_typed = handler  # type: ignore[method-assign]
        record = Timed(engine.record_card, handler)
        engine.record_card = record  # type: ignore[method-assign]
        refresh = Timed(screen.refresh_view, handler)
        screen.refresh_view = refresh  # type: ignore[method-assign]
        save_now = Timed(screen._save_now, handler)
        screen._save_now = save_now  # type: ignore[method-assign]
        await pilot.pause()
        for number in range(runs):
            entry.focus()
            entry.value = f"ベンチのカード{number + 1}: 移動販売の日を回覧板で知らせる"
            await pilot.pause()
            count = board.option_count
            app.post_message(events.Key("enter", None))
            while board.option_count == count:
                await asyncio.sleep(0)
            clock.advance(5)
            await pilot.pause()
        # A card corrected, then one taken off the board, as the screen's keys
        # do it (the engine's call and the listeners it runs: the screen's redraw).
        edits: list[float] = []
        deletes: list[float] = []
        for number in range(min(runs, 15)):
            cards = engine.cards_of_step()
            started = time.perf_counter()
            engine.edit_card(cards[-2].id, f"直したカード{number + 1}")
            edits.append(time.perf_counter() - started)
            clock.advance(5)
            await pilot.pause()
            started = time.perf_counter()
            engine.delete_card(cards[-3].id)
            deletes.append(time.perf_counter() - started)
            clock.advance(5)
            await pilot.pause()
        saver = screen.saver
        assert saver is not None
        assert saver.flush(timeout=30), "the saver did not catch up"
    return {
        "handler": handler.seconds,
        "record": record.seconds,
        "refresh": refresh.seconds,
        "save_now": save_now.seconds,
        "edit": edits,
        "delete": deletes,
    }


def per_change(report: Report, sizes: list[int], runs: int) -> None:
    medians: dict[int, float] = {}
    beside_board: dict[int, float] = {}
    others: dict[str, dict[int, float]] = {"edit": {}, "delete": {}}
    for size in sizes:
        clock = start_clock()
        with tempfile.TemporaryDirectory(prefix="chie-kokan-bench-") as tmp:
            engine = build_engine(size, clock)
            path = create_session_file(engine.session, Path(tmp) / "sessions")
            times = asyncio.run(handler_times(path, clock, runs))
            # The saver's work per write, on its thread (the same steps, timed here).
            writes = []
            for _ in range(5):
                clock.advance(5)
                engine.record_card("保存の計測")
                started = time.perf_counter()
                saved_text(engine).encode("utf-8")
                writes.append(time.perf_counter() - started)
        handler = ms(times["handler"])
        medians[size] = handler
        # All of the handler but the board's refresh (left for later in issue 12).
        beside_board[size] = ms(
            [h - f for h, f in zip(times["handler"], times["refresh"], strict=True)]
        )
        report.say(f"  {size} cards on the board, {runs} cards recorded through the screen:")
        limit = AT_1000_LIMIT_MS if size == 1000 else None
        report.add(Figure(f"handler (Enter -> card recorded) @{size}", handler, "ms", limit))
        parts = {
            "engine, own part": ms(
                [
                    r - f - s
                    for r, f, s in zip(
                        times["record"], times["refresh"], times["save_now"], strict=True
                    )
                ]
            ),
            "board refresh (refresh_view)": ms(times["refresh"]),
            "hand-over to the saver": ms(times["save_now"]),
        }
        for name, value in parts.items():
            report.add(Figure(f"  {name} @{size}", value, "ms"))
        report.add(Figure(f"  handler but the board refresh @{size}", beside_board[size], "ms"))
        report.add(Figure(f"  saver thread: document + TOML per write @{size}", ms(writes), "ms"))
        for change, label in (("edit", "a card edited"), ("delete", "a card deleted")):
            others[change][size] = ms(times[change])
            report.add(Figure(f"{label} (engine + screen) @{size}", others[change][size], "ms"))
    if 50 in medians and 5000 in medians:
        ratio = medians[5000] / medians[50]
        report.add(Figure("handler @5000 / handler @50", ratio, "x", RATIO_LIMIT))
        ratio = beside_board[5000] / beside_board[50]
        report.add(
            Figure("handler but the board @5000 / @50", ratio, "x", RATIO_LIMIT, "engine + saver")
        )
        for change, label in (("edit", "a card edited"), ("delete", "a card deleted")):
            ratio = others[change][5000] / others[change][50]
            report.add(Figure(f"{label} @5000 / @50", ratio, "x", RATIO_LIMIT))


def memory(report: Report, changes: int) -> None:
    clock = start_clock()
    with tempfile.TemporaryDirectory(prefix="chie-kokan-bench-") as tmp:
        path = create_session_file(build_engine(5000, clock).session, Path(tmp))
        gc.collect()
        tracemalloc.start()
        session = load_session(path)
        engine = SessionEngine(session, clock)
        engine.resume()
        saved_text(engine)  # the first save after opening
        opened = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        started = time.perf_counter()
        for number in range(changes):
            clock.advance(3)
            kind = number % 10
            if kind < 5:
                engine.record_card(f"メモリの計測{number}: 移動販売の日を回覧板で知らせる")
            elif kind == 5:
                engine.edit_card(engine.session.cards[-1].id, f"直した{number}")
            elif kind == 6:
                engine.choose_speaker(f"p{number % 9 + 1}")
            elif kind == 7:
                engine.toggle_timer()
            elif kind == 8:
                engine.record_card(f"取り消すカード{number}")
                engine.undo()
            else:
                engine.go_to_step(2 if engine.step_index == 1 else 1)
            saved_text(engine)  # what the saver writes for it
        peak = tracemalloc.get_traced_memory()[1]
        elapsed = time.perf_counter() - started
        depth = sum(1 for _ in range(engine.MAX_UNDO) if engine.can_undo and engine.undo())
        tracemalloc.stop()
    report.say(f"  5,000-card session opened; {changes} changes, each saved ({elapsed:.1f} s):")
    report.add(Figure("peak right after opening (5,000 cards)", opened / 2**20, "MiB"))
    report.add(Figure(f"peak over {changes} changes, each saved", peak / 2**20, "MiB"))
    ratio = peak / opened
    report.add(Figure("peak over changes / peak after opening", ratio, "x", MEMORY_RATIO_LIMIT))
    report.add(
        Figure("steps of undo kept", depth, "", note=f"MAX_UNDO = {engine.MAX_UNDO}, wanted 200")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,1000,5000")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--changes", type=int, default=1000)
    json_flag(parser)
    args = parser.parse_args()
    report = Report("change", as_json=args.json)
    sizes = [int(size) for size in args.sizes.split(",")]
    report.info.update(sizes=sizes, runs=args.runs, changes=args.changes)
    report.say("per change, through the running screen (headless 120x36):")
    per_change(report, sizes, args.runs)
    report.say("memory (tracemalloc: Python's own allocations):")
    memory(report, args.changes)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
