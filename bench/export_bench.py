"""Benchmark: export a 1,000-card session as Markdown, HTML and Word.

Not a test: run it by hand after a change to the export code.

    .venv/bin/python bench/export_bench.py

The session is built through the real engine on a manual clock (a full
meeting: nine people, every step, groups, votes, ideas per question, success
examples, action items), then the three formats are exported the way the
screen's "export now" does (``export_now``) and the time is printed against
the target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from figures import Figure, Report, json_flag

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import export_now
from chie_kokan.models import Session
from chie_kokan.storage import load_scenario

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 0.5
CARDS = 1_000
RUNS = 5


def build_session(cards: int = CARDS) -> Session:
    """A meeting with ``cards`` cards spread over the six steps, as the engine records them."""
    clock = ManualClock(datetime(2026, 11, 27, 14, 0, tzinfo=timezone(timedelta(hours=9))))
    scenario = load_scenario(ROOT / "scenarios" / "shimizu.toml")
    engine = SessionEngine(new_session(scenario, session_id="bench", clock=clock), clock)
    engine.begin()
    per_step = cards // len(engine.steps)
    for step in range(len(engine.steps)):
        if step:
            engine.next_step()
        for number in range(per_step + (cards % len(engine.steps) if step == 1 else 0)):
            clock.advance(20)
            engine.record_card(
                f"手順{step + 1}のカード{number + 1}: 買い物と移動の困りごと、できること、成功例",
                runs_by="NPO法人 たすけあいの会" if engine.step.kind == "spread" else "",
                place="第三団地 集会所前" if engine.step.kind == "spread" else "",
            )
            if number % 3 == 2 and engine.live.speaker is not None:
                engine.advance_speaker()
        if engine.step.kind == "pick":
            share = [c.id for c in engine.cards_of_step(1)]
            for index in range(0, min(len(share), 60), 6):
                group = engine.group_cards(f"グループ{index // 6 + 1}", share[index : index + 6])
                engine.vote(group.id, index % 7)
            engine.set_picked(engine.troubles()[0].id, True)
        if engine.step.kind == "spread":
            for number in range(10):
                engine.add_action(f"取り組み{number + 1}", who="自治会", due="次回まで")
    engine.finish()
    return engine.session


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    json_flag(parser)
    report = Report("export", as_json=parser.parse_args().json)
    started = time.perf_counter()
    session = build_session()
    report.say(
        f"built a {len(session.cards)}-card session in {time.perf_counter() - started:.1f} s"
    )
    timings = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(RUNS):
            started = time.perf_counter()
            paths = export_now(session, Path(folder))
            timings.append(time.perf_counter() - started)
        sizes = ", ".join(f"{p.suffix[1:]} {p.stat().st_size // 1024} KiB" for p in paths)
    best, median = min(timings), statistics.median(timings)
    report.say(f"export md + html + docx, {RUNS} runs ({sizes}):")
    report.add(Figure(f"export {CARDS} cards md+html+docx, best", best, "s"))
    report.add(Figure(f"export {CARDS} cards md+html+docx, median", median, "s", TARGET_SECONDS))
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
