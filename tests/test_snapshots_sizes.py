"""The operator's running screen at the sizes a projector leaves (issue 10).

A larger projector font shrinks the terminal to 80×24 or 100×30; a wall
display gives 200×55. Share (cards and a speaker), pick (troubles with
votes, one picked) and the opening with last meeting's items to report on,
at each size; F8 presentation at the smallest and the largest; and the calm
message below 80×24. The meetings are those of ``test_snapshots_running``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chie_kokan.clock import ManualClock
from test_snapshots_running import JA, OPENING, PICK, SHARE, Snap, opened, settled, then_press

SIZES = pytest.mark.parametrize(
    "size", [(80, 24), (100, 30), (120, 36), (200, 55)], ids=lambda s: f"{s[0]}x{s[1]}"
)


@SIZES
def test_share(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = opened(JA, clock, tmp_path, SHARE)
    assert snap_compare(app, terminal_size=size, run_before=settled)


@SIZES
def test_pick(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = opened(JA, clock, tmp_path, PICK)
    assert snap_compare(app, terminal_size=size, run_before=settled)


@SIZES
def test_opening_with_report_back(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = opened(JA, clock, tmp_path, OPENING, report_back=True, all_actions=True)
    assert snap_compare(app, terminal_size=size, run_before=settled)


@pytest.mark.parametrize("size", [(80, 24), (200, 55)], ids=["80x24", "200x55"])
def test_presentation(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = opened(JA, clock, tmp_path, SHARE)
    assert snap_compare(app, terminal_size=size, run_before=then_press("f8"))


def test_too_small(snap_compare: Snap, clock: ManualClock, tmp_path: Path) -> None:
    app = opened(JA, clock, tmp_path, SHARE)
    assert snap_compare(app, terminal_size=(70, 20), run_before=settled)


def test_help_at_80x24(snap_compare: Snap, clock: ManualClock, tmp_path: Path) -> None:
    app = opened(JA, clock, tmp_path, PICK)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settled, press=["f1"])
