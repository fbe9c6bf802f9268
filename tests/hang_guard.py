"""A hang guard for tests of hostile input: a call that blocks fails the test.

Not a speed test. The issue promises that no file makes chie-kokan hang (a
FIFO, a device, a nesting bomb); a blocking read would otherwise hang the
whole test run instead of failing one test. ``SIGALRM`` interrupts even a
blocking ``open`` or ``read`` in the main thread: the handler raises.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

DEADLINE = 2.0
"""Seconds: far more than any call here needs, far less than a hung test run."""


class Hang(Exception):
    """The guarded call did not return before the deadline."""


@contextmanager
def deadline(seconds: float = DEADLINE, what: str = "the call") -> Iterator[None]:
    """Fail with :class:`Hang` if the block runs longer than ``seconds``."""

    def expired(signum: int, frame: object) -> None:
        raise Hang(f"{what} did not return within {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
