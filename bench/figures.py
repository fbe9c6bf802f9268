"""How every bench reports: each figure with its target and its verdict.

Printed for a person by default; with ``--json`` one JSON object on stdout
(``{"bench": ..., "figures": [...]}``) so two runs can be compared by a
script. Not a bench itself (``make bench`` runs ``bench/*_bench.py``).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Figure:
    """One measured value; ``limit`` is the target (at most) when there is one."""

    name: str
    value: float
    unit: str
    limit: float | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.limit is None:
            return "-"
        return "OK" if self.value <= self.limit else "OVER TARGET"

    def line(self) -> str:
        target = f"target <= {self.limit:g} {self.unit}" if self.limit is not None else "no target"
        note = f"  ({self.note})" if self.note else ""
        value = f"{self.value:10.3f} {self.unit:<3}"
        return f"  {self.name:<52} {value} {target:<24} {self.verdict}{note}"


@dataclass
class Report:
    """The figures of one bench run, printed as they come (unless ``--json``)."""

    bench: str
    as_json: bool = False
    figures: list[Figure] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def say(self, text: str) -> None:
        """A line for a person (what is being measured); kept out of the JSON."""
        if not self.as_json:
            print(text, flush=True)

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        if not self.as_json:
            print(figure.line(), flush=True)
        return figure

    @property
    def met(self) -> bool:
        return all(figure.verdict != "OVER TARGET" for figure in self.figures)

    def finish(self) -> int:
        """Print the JSON (or the summary). Always 0: figures, not tests (``make bench``
        goes on to the next bench); whether all targets were met is in the output."""
        if self.as_json:
            figures = [
                {**asdict(figure), "name": figure.name.strip(), "verdict": figure.verdict}
                for figure in self.figures
            ]
            document = {
                "bench": self.bench,
                "python": platform.python_version(),
                "machine": platform.machine(),
                "met": self.met,
                "info": self.info,
                "figures": figures,
            }
            json.dump(document, sys.stdout, ensure_ascii=False)
            print()
        else:
            missed = [figure.name for figure in self.figures if figure.verdict == "OVER TARGET"]
            print("  all targets met" if not missed else f"  targets missed: {', '.join(missed)}")
        return 0


def json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object (figures, targets, verdicts)"
    )
