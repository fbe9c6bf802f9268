"""Benchmark (issue 12): the commands that read many or large session files.

Not a test: run it by hand, or with ``make bench``.

    .venv/bin/python bench/files_bench.py [--runs 3] [--json]

Each command runs as a person runs it (``python -m chie_kokan``, a new
process, start-up included), on files written the way the app writes them:

* ``resources`` over 500 session files (a meeting each: 60 cards, 8 of them
  with resource details): target under 2 s;
* ``validate`` of one 10 MB session (some 45,000 cards): target under 2 s.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import tomli_w
from figures import Figure, Report, json_flag

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.models import Resource
from chie_kokan.storage import load_scenario

ROOT = Path(__file__).resolve().parent.parent
JST = timezone(timedelta(hours=9))
SESSIONS = 500
RESOURCES_LIMIT_S = 2.0
VALIDATE_LIMIT_S = 2.0
VALIDATE_BYTES = 10 * 2**20


def meeting(cards: int, resources: int) -> SessionEngine:
    clock = ManualClock(datetime(2026, 11, 27, 14, 0, tzinfo=JST))
    scenario = load_scenario(ROOT / "scenarios" / "shimizu.toml")
    engine = SessionEngine(new_session(scenario, session_id="bench", clock=clock), clock)
    engine.begin()
    engine.next_step()
    for number in range(cards):
        clock.advance(10)
        card = engine.record_card(
            f"困りごと{number + 1}: 坂の上の団地から重い物を買いに行けない。移動販売は週に一度"
        )
        if number < resources:
            details = Resource(
                name=f"ふれあい移動販売{number + 1}",
                category="買い物",
                serves="高齢者",
                when="毎週火曜 10時",
                where="第三団地 集会所前",
                contact="042-000-0000",
                publishable=True,
            )
            engine.mark_resource(card.id, details)
        if number % 3 == 2:
            engine.advance_speaker()
    engine.finish()
    return engine


def write_sessions(folder: Path, count: int) -> list[Path]:
    """``count`` meetings: one built through the engine, the others copies with their own
    ids, dates and resource names (so the resource file has them all to gather)."""
    base = meeting(60, 8).session.model_dump(mode="json", exclude_none=True)
    paths = []
    for number in range(count):
        document = copy.deepcopy(base)
        document["id"] = f"2026-{number:04d}-shimizu"
        for card in document["cards"]:
            if "resource" in card:
                card["resource"]["name"] += f" ({number + 1})"
        path = folder / f"{document['id']}.toml"
        path.write_text(tomli_w.dumps(document), encoding="utf-8")
        paths.append(path)
    return paths


def big_session_text() -> tuple[str, int]:
    """A 10 MB session: a 5,000-card meeting from the engine, its cards repeated
    (each with its own id) until the file is that large. Returns the text and
    the number of cards."""
    document = meeting(5000, 0).session.model_dump(mode="json", exclude_none=True)
    recorded = document["cards"]
    rest = len(tomli_w.dumps({**document, "cards": []}).encode("utf-8"))
    per_card = len(tomli_w.dumps({"cards": recorded}).encode("utf-8")) / len(recorded)
    wanted = int((VALIDATE_BYTES - rest) / per_card) + 100
    document["cards"] = [
        {**recorded[number % len(recorded)], "id": f"c{number + 1}"} for number in range(wanted)
    ]
    return tomli_w.dumps(document), wanted


def timed_command(arguments: list[str], runs: int) -> tuple[float, str]:
    """Median seconds of ``python -m chie_kokan ARGUMENTS``, and its last output."""
    seconds, output = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "chie_kokan", *arguments], capture_output=True, text=True
        )
        seconds.append(time.perf_counter() - started)
        output = done.stdout + done.stderr
        if done.returncode != 0:
            raise SystemExit(f"chie-kokan {arguments[0]} failed:\n{output}")
    return statistics.median(seconds), output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    json_flag(parser)
    args = parser.parse_args()
    report = Report("files", as_json=args.json)
    with tempfile.TemporaryDirectory(prefix="chie-kokan-bench-") as tmp:
        folder = Path(tmp)
        sessions = folder / "sessions"
        sessions.mkdir()
        paths = write_sessions(sessions, SESSIONS)
        report.say(f"resources over {SESSIONS} session files (median of {args.runs} runs):")
        out = folder / "resources.md"
        median, _ = timed_command(
            ["resources", *map(str, paths), "--out", str(out), "--force"], args.runs
        )
        report.add(Figure(f"resources over {SESSIONS} sessions", median, "s", RESOURCES_LIMIT_S))

        text, cards = big_session_text()
        path = sessions / "big.toml"
        path.write_text(text, encoding="utf-8")
        size = path.stat().st_size / 2**20
        report.say(f"validate a {size:.1f} MB session ({cards} cards):")
        median, _ = timed_command(["validate", str(path)], args.runs)
        report.add(Figure(f"validate a {size:.0f} MB session", median, "s", VALIDATE_LIMIT_S))
        report.info.update(sessions=SESSIONS, validate_mb=round(size, 1), cards=cards)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
