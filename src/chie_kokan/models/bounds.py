"""The limits of every number in a scenario or session.

Far beyond any real meeting, well within what the screen can show and what
date arithmetic can do. Checked when a file is read (``validate`` and the
screen agree) and kept by the engine, so the app never writes a file it
would refuse to read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeVar

from pydantic import AfterValidator, AwareDatetime, StrictFloat, StrictInt

from chie_kokan.models.base import domain_error

N = TypeVar("N", int, float)

MAX_MINUTES = 24 * 60
"""A step's time box: a day."""
MAX_SECONDS_PER_TURN = 60 * 60
"""The gentle per-speaker limit: an hour."""
MAX_VOTES_PER_PERSON = 100
MAX_VOTES = 9_999
"""Votes on one trouble (a show of hands, counted by the operator): four digits."""
MAX_OBSERVERS = 9_999
MAX_ROUND = 9_999
"""Rounds of one question (everyone speaks once a round)."""
MAX_ELAPSED = 7 * 24 * 60 * 60
"""Seconds a step timer can have counted: a week (a timer left running)."""
FIRST_YEAR = 1970
"""Timestamps from the year a laptop with a flat clock battery says it is…"""
LAST_YEAR = 2199
"""…to long after any meeting: date arithmetic stays far from Python's limits."""


def _within(low: int, high: int) -> AfterValidator:
    """Refuse a number outside ``low``…``high`` with a message giving the range."""

    def check(value: N) -> N:
        if not low <= value <= high:  # NaN compares false: refused as well
            raise domain_error("range", value=value, low=low, high=high)
        return value

    return AfterValidator(check)


def _in_years(moment: datetime) -> datetime:
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise domain_error("year_range", value=moment, first=FIRST_YEAR, last=LAST_YEAR)
    return moment


# Strict: a hand-edited ``minutes = "15"`` is a mistake to report, not a
# string to convert silently (pydantic's lax mode would).
Minutes = Annotated[StrictInt, _within(1, MAX_MINUTES)]
SecondsPerTurn = Annotated[StrictInt, _within(1, MAX_SECONDS_PER_TURN)]
VotesPerPerson = Annotated[StrictInt, _within(0, MAX_VOTES_PER_PERSON)]
Votes = Annotated[StrictInt, _within(0, MAX_VOTES)]
Observers = Annotated[StrictInt, _within(0, MAX_OBSERVERS)]
RoundNumber = Annotated[StrictInt, _within(1, MAX_ROUND)]
Elapsed = Annotated[StrictFloat, _within(0, MAX_ELAPSED)]
Stamp = Annotated[AwareDatetime, AfterValidator(_in_years)]
"""Every instant carries its time zone (minutes state local time unambiguously)
and lies within FIRST_YEAR…LAST_YEAR."""
