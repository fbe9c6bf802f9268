"""Time, injectable: the engine never reads the wall clock itself, so tests can."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, in the machine's local time zone (minutes state local time)."""
    return datetime.now().astimezone()


class ManualClock:
    """A clock that moves only when told: for tests and benchmarks."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
