"""Benchmark: start to a usable screen, ``chie-kokan resume`` vs an empty Textual app.

Not a test: run it by hand, or with ``make bench``.

    .venv/bin/python bench/startup_bench.py [--runs N]

Both programs run in the same real terminal (a private tmux server, 120×36,
xterm-256color, UTF-8), alternately, after one warm-up run each. The clock
starts just before tmux launches the process; two moments are taken:

* first paint: the first time the terminal shows anything at all;
* usable: the screen shows what a person needs to begin: for chie-kokan
  the running screen with the entry line ready for the current speaker;
  for the empty app its one label (its first paint is its usable screen).

Medians are compared with the targets of issue 12: first paint at most
1.3× the empty app's, the usable screen at most 2.0×.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from figures import Figure, Report, json_flag

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.storage import create_session_file, load_scenario

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TMUX = shutil.which("tmux") or "/usr/bin/tmux"
FIRST_PAINT_RATIO = 1.3
USABLE_RATIO = 2.0
TIMEOUT = 30.0

EMPTY_APP = """
from textual.app import App, ComposeResult
from textual.widgets import Label


class Empty(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("EMPTY-APP-READY")


Empty().run()
"""
EMPTY_READY = "EMPTY-APP-READY"
RESUME_READY = "佐藤 一郎 さんの発言を記録"
"""The entry line's placeholder for the current speaker: the screen is usable."""


def make_session(folder: Path) -> Path:
    """A meeting in progress: the share step, a few cards, 佐藤 speaking."""
    clock = ManualClock(datetime(2026, 11, 27, 14, 0, tzinfo=timezone(timedelta(hours=9))))
    scenario = load_scenario(ROOT / "scenarios" / "shimizu.toml")
    engine = SessionEngine(new_session(scenario, session_id="bench", clock=clock), clock)
    engine.begin()
    engine.next_step()
    for number in range(20):
        clock.advance(15)
        engine.record_card(f"困りごと{number + 1}: 坂の上の団地から買い物に行けない")
    engine.advance_speaker()
    return create_session_file(engine.session, folder)


class Terminal:
    """A private tmux server: one window per run, the screen read by polling."""

    def __init__(self, workdir: Path) -> None:
        self.socket = f"chie-kokan-bench-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.workdir = workdir
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(workdir),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TERM": "xterm-256color",
        }
        config = workdir / "tmux.conf"
        config.write_text(
            "set -g default-terminal xterm-256color\nset -sg escape-time 0\n", encoding="utf-8"
        )
        self.config = config
        # A long-lived first session keeps the server up between runs.
        self.tmux("new-session", "-d", "-s", "keep", "-x", "120", "-y", "36", "sleep", "3600")

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            [TMUX, "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True,
            text=True,
            env=self.env,
            check=False,
        )
        return result.stdout

    def time_to_screen(self, argv: list[str], ready: str) -> tuple[float, float]:
        """Seconds from launching ``argv`` to its first paint, and until ``ready`` is shown."""
        name = f"r{uuid.uuid4().hex[:6]}"
        start = time.perf_counter()
        self.tmux(
            "new-session", "-d", "-s", name, "-x", "120", "-y", "36",
            "-c", str(self.workdir), "-e", "LANG=C.UTF-8", *argv,
        )  # fmt: skip
        first_paint: float | None = None
        try:
            while True:
                screen = "".join(self.tmux("capture-pane", "-p", "-t", name).split())
                now = time.perf_counter() - start
                if first_paint is None and screen:
                    first_paint = now
                if ready in screen:
                    return first_paint or now, now
                if now > TIMEOUT:
                    raise RuntimeError(f"{argv} never showed {ready!r}:\n{screen}")
        finally:
            self.tmux("kill-session", "-t", name)

    def close(self) -> None:
        socket = self.tmux("display-message", "-p", "#{socket_path}").strip()
        self.tmux("kill-server")
        if socket:
            Path(socket).unlink(missing_ok=True)  # tmux leaves it behind when killed


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="measured runs of each (default 7)")
    json_flag(parser)
    args = parser.parse_args()
    report = Report("startup", as_json=args.json)
    if not Path(TMUX).exists():
        report.say("startup bench: tmux is not installed; skipped")
        report.info["skipped"] = "tmux is not installed"
        return report.finish()
    program = BIN / "chie-kokan"
    with tempfile.TemporaryDirectory(prefix="chie-kokan-bench-") as tmp:
        workdir = Path(tmp)
        original = make_session(workdir / "template")
        terminal = Terminal(workdir)
        samples: dict[str, list[float]] = {"empty": [], "paint": [], "resume": []}

        def run_empty() -> tuple[float, float]:
            return terminal.time_to_screen([sys.executable, "-c", EMPTY_APP], EMPTY_READY)

        def run_resume() -> tuple[float, float]:
            # A fresh copy each time: resuming writes the file.
            sessions = workdir / "sessions"
            shutil.rmtree(sessions, ignore_errors=True)
            sessions.mkdir()
            path = sessions / original.name
            shutil.copy(original, path)
            argv = [str(program), "resume", str(path)]
            return terminal.time_to_screen(argv, "".join(RESUME_READY.split()))

        try:
            run_empty(), run_resume()  # warm-up: bytecode and file caches
            for _ in range(args.runs):
                samples["empty"].append(run_empty()[1])
                paint, usable = run_resume()
                samples["paint"].append(paint)
                samples["resume"].append(usable)
        finally:
            terminal.close()

    empty, paint, resume = (median_ms(samples[name]) for name in ("empty", "paint", "resume"))
    report.say(f"start-up (tmux 120x36, median of {args.runs}, after a warm-up):")
    report.add(
        Figure("empty Textual app: its label shown", empty, "ms", note=fmt(samples["empty"]))
    )
    report.add(Figure("chie-kokan resume: first paint", paint, "ms", note=fmt(samples["paint"])))
    report.add(Figure("chie-kokan resume: usable", resume, "ms", note=fmt(samples["resume"])))
    report.add(Figure("first paint / empty app", paint / empty, "x", FIRST_PAINT_RATIO))
    report.add(Figure("usable screen / empty app", resume / empty, "x", USABLE_RATIO))
    return report.finish()


def fmt(samples: list[float]) -> str:
    return "runs: " + " ".join(f"{s * 1000:.0f}" for s in samples)


if __name__ == "__main__":
    sys.exit(main())
