"""Benchmark: record one card through the running screen with 1,000 cards on the board.

Not a test: run it by hand, or with ``make bench``.

    .venv/bin/python bench/keystroke_bench.py [--cards 1000] [--runs 40]

The session is built through the real engine (1,000 cards on the share
step, nine people taking turns), saved, and opened the way ``resume`` opens
it, headless at 120×36 with a manual clock. Then, many times over, a line
is put in the entry and Enter is sent as a key event; we time

* key → board updated: Enter travels App → Input → ``Input.Submitted`` →
  the screen's handler → ``engine.record_card`` → the board shows the card;
* key → frame ready: until the compositor has the next frame for the
  terminal (``App._display``, hooked for timing only: Textual has no public
  "frame done" event);

and print the medians against their targets: the board within one frame
(16 ms), the frame within two (33 ms, issue 12). The handler's
parts (engine, redraw, hand-over to the saver) are timed too, and a
stand-in ``atomic_write`` records which thread wrote the file.

A typed character (the commonest key) is timed from the key to the frame
that shows it, on the running screen with the board full, and the same in
an empty Textual app with one ``Input`` (same size, same way, right after):
target at most 1.2× the empty app's.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from figures import Figure, Report, json_flag
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

import chie_kokan.autosave as autosave
from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.storage import atomic_write, create_session_file, load_scenario
from chie_kokan.tui.app import make_app
from chie_kokan.tui.screens.running import RunningScreen
from chie_kokan.tui.widgets.card_list import CardList

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 16.0
"""Enter -> the board shows the card: within one frame (1/60 s)."""
FRAME_TARGET_MS = 33.0
"""Enter -> the next frame: at most two frames (issue 12)."""
CHAR_RATIO = 1.2
JST = timezone(timedelta(hours=9))


def build_session(folder: Path, cards: int, clock: ManualClock) -> Path:
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
    return create_session_file(engine.session, folder)


class Timed:
    """Wraps a callable and keeps how long each call took (seconds)."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.seconds: list[float] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds.append(time.perf_counter() - start)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000 if samples else float("nan")


def p90_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[int(len(ordered) * 0.9)] * 1000 if ordered else float("nan")


async def measure(
    path: Path, clock: ManualClock, runs: int, say: Callable[[str], None] = print
) -> dict[str, Any]:
    writer_threads: set[str] = set()

    def recording_write(target: Path, data: bytes, *, overwrite: bool = True) -> None:
        writer_threads.add(threading.current_thread().name)
        atomic_write(target, data, overwrite=overwrite)

    autosave.atomic_write = recording_write  # type: ignore[assignment]

    app = make_app(session_path=path, sessions_dir=path.parent, clock=clock)
    frames = timed_frames(app)

    to_board: list[float] = []
    to_frame: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, RunningScreen)
        engine = screen.engine
        board = screen.query_one(CardList)
        entry = screen.query_one("#entry", Input)
        cards_before = board.option_count
        say(f"  board: {cards_before} cards on the step; recording {runs} more")

        record = Timed(engine.record_card)
        engine.record_card = record  # type: ignore[method-assign]
        refresh = Timed(screen.refresh_view)
        screen.refresh_view = refresh  # type: ignore[method-assign]
        save_now = Timed(screen._save_now)
        screen._save_now = save_now  # type: ignore[method-assign]

        await pilot.pause()
        for number in range(runs):
            entry.focus()
            entry.value = f"ベンチのカード{number + 1}: 移動販売の日を回覧板で知らせる"
            await pilot.pause()
            count = board.option_count
            frames.clear()
            start = time.perf_counter()
            post_key(app, "enter")
            while board.option_count == count:
                await asyncio.sleep(0)
            updated = time.perf_counter()
            while not [f for f in frames if f >= updated]:
                await asyncio.sleep(0.0005)
            frame = next(f for f in frames if f >= updated)
            to_board.append(updated - start)
            to_frame.append(frame - start)
            clock.advance(5)
        # The commonest keystroke: one character typed into the entry line.
        char_to_frame = await chars_to_frame(pilot, entry, frames, runs)
        assert screen.saver is not None
        saver = screen.saver
        for _ in range(200):
            if saver.written_revision >= engine.revision:
                break
            await pilot.pause(0.05)
        saved = saver.written_revision >= engine.revision
        cards_after = len(engine.cards_of_step())
    return {
        "to_board": to_board,
        "to_frame": to_frame,
        "char_to_frame": char_to_frame,
        "record": record.seconds,
        "refresh": refresh.seconds,
        "save_now": save_now.seconds,
        "threads": writer_threads,
        "saved": saved,
        "cards": cards_after,
    }


async def chars_to_frame(pilot: Any, entry: Input, frames: list[float], runs: int) -> list[float]:
    """Seconds from a typed ``a`` to the frame that follows it, ``runs`` times."""
    app = pilot.app
    entry.focus()
    entry.value = ""
    await pilot.pause()
    seconds = []
    for number in range(runs):
        before = entry.value
        frames.clear()
        start = time.perf_counter()
        post_key(app, "a", "a")
        while entry.value == before:
            await asyncio.sleep(0)
        typed = time.perf_counter()
        while not [f for f in frames if f >= typed]:
            await asyncio.sleep(0.0005)
        seconds.append(next(f for f in frames if f >= typed) - start)
        if number % 10 == 9:
            await pilot.pause()
    return seconds


class OneInput(App[None]):
    """The comparison: an empty Textual app with one ``Input``."""

    def compose(self) -> ComposeResult:
        yield Input(id="entry")


def timed_frames(app: App[Any]) -> list[float]:
    """When each frame is handed to the terminal (``App._display``, hooked for timing)."""
    frames: list[float] = []
    display = app._display

    def timed_display(screen: Any, renderable: Any) -> None:
        if renderable is not None:
            frames.append(time.perf_counter())
        display(screen, renderable)

    app._display = timed_display  # type: ignore[method-assign]
    return frames


async def empty_app_chars(runs: int) -> list[float]:
    app = OneInput()
    frames = timed_frames(app)
    async with app.run_test(size=(120, 36)) as pilot:
        return await chars_to_frame(pilot, app.query_one(Input), frames, runs)


def post_key(app: App[Any], key: str, character: str | None = None) -> None:
    """A key as the terminal driver would deliver it to the app."""
    app.post_message(events.Key(key, character))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=40)
    json_flag(parser)
    args = parser.parse_args()
    report = Report("keystroke", as_json=args.json)
    report.info.update(cards=args.cards, runs=args.runs)
    clock = ManualClock(datetime(2026, 11, 27, 14, 0, tzinfo=JST))
    with tempfile.TemporaryDirectory(prefix="chie-kokan-bench-") as tmp:
        report.say(f"keystroke with {args.cards} cards on the board (headless 120x36):")
        started = time.perf_counter()
        path = build_session(Path(tmp) / "sessions", args.cards, clock)
        elapsed = time.perf_counter() - started
        report.say(f"  built the session through the engine in {elapsed:.1f} s")
        result = asyncio.run(measure(path, clock, args.runs, say=report.say))
        empty_chars = asyncio.run(empty_app_chars(args.runs))

    board, frame = median_ms(result["to_board"]), median_ms(result["to_frame"])
    char = median_ms(result["char_to_frame"])
    p90 = f"p90 {p90_ms(result['to_board']):.1f} ms"
    report.add(Figure("Enter -> board updated, median", board, "ms", TARGET_MS, p90))
    p90 = f"p90 {p90_ms(result['to_frame']):.1f} ms"
    report.add(Figure("Enter -> frame ready, median", frame, "ms", FRAME_TARGET_MS, p90))
    report.add(Figure("a character typed -> frame ready, median", char, "ms"))
    empty_char = median_ms(empty_chars)
    report.add(Figure("  the same in an empty app with one Input", empty_char, "ms"))
    report.add(
        Figure("a character typed: chie-kokan / empty app", char / empty_char, "x", CHAR_RATIO)
    )
    report.say("  (frame ready includes waiting for Textual's next refresh, up to 1/60 s)")
    # record_card calls the screen's listener (redraw + hand-over) before it returns.
    own = [
        record - refresh - save
        for record, refresh, save in zip(
            result["record"], result["refresh"], result["save_now"], strict=False
        )
    ]
    report.say("  where the time goes (median per card):")
    report.add(Figure("  engine.record_card, own part", median_ms(own), "ms"))
    report.add(Figure("  screen.refresh_view", median_ms(result["refresh"]), "ms"))
    report.add(Figure("  hand-over to the saver", median_ms(result["save_now"]), "ms"))
    threads = sorted(result["threads"])
    on_saver = threads == ["chie-kokan-autosave"]
    report.say(
        f"  saves written on thread(s) {threads}: "
        + ("the saver thread, never the screen's" if on_saver else "NOT only the saver thread")
    )
    report.say(f"  all {result['cards']} cards reached the disk: {result['saved']}")
    report.info.update(writer_threads=threads, all_saved=result["saved"])
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
