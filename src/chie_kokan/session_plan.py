"""Setting a session up: the setup form's words, read into a new session.

The setup screen only collects what is typed (who is present, in seat order;
the date and time, place, table, observers, roles and the minutes fields) and
hands it here as text. :func:`plan_session` reads it and returns the session,
or raises :class:`FormError` naming the field and saying what to write. The
summary's next-meeting form is read the same way (:func:`read_next_meeting`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from chie_kokan.clock import Clock
from chie_kokan.engine import DomainError, Person, members_from_roster, new_session
from chie_kokan.models import ROLES, NextMeeting, Roles, Scenario, Session
from chie_kokan.models.bounds import FIRST_YEAR, LAST_YEAR, MAX_OBSERVERS

_DATE = re.compile(r"^\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?\s*$")
_TIME = re.compile(r"^\s*(\d{1,2})[:時](\d{2})分?\s*$")

NEXT_KEYS = ("next_date", "next_time", "next_place")
"""The next meeting's fields, in the form's order."""


class FormError(DomainError):
    """A form field that cannot be used: ``field`` names it, the message says what to write."""

    def __init__(self, field: str, key: str, *, section: str = "setup", **context: Any) -> None:
        super().__init__(key, section=section, **context)
        self.field = field


def normalize(text: str) -> str:
    # An IME left on types full-width digits (２０２６／１１／２７): read them as ASCII.
    return unicodedata.normalize("NFKC", text).strip()


def parse_date(text: str) -> date | None:
    """``2026-11-27``, ``2026/11/27`` or ``2026年11月27日``; None when unreadable."""
    match = _DATE.match(normalize(text))
    if match is None:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_time(text: str) -> time | None:
    """``14:00`` or ``14時00分``; None when unreadable."""
    match = _TIME.match(normalize(text))
    if match is None:
        return None
    hour, minute = (int(part) for part in match.groups())
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def at_local_time(day: date, clock_time: time, now: datetime) -> datetime:
    """The chosen wall-clock time as an aware instant in the local time zone.

    The system zone knows daylight saving for the chosen date, so it is used
    whenever the clock reads in it (always, outside tests); a clock set to
    another zone (tests) keeps its own offset.
    """
    naive = datetime.combine(day, clock_time)
    if now.astimezone().utcoffset() == now.utcoffset():
        return naive.astimezone()
    return naive.replace(tzinfo=now.tzinfo)


def read_next_meeting(values: Mapping[str, Any]) -> NextMeeting | None:
    """The next meeting from its form (``NEXT_KEYS``); None when nothing is given.

    Raises :class:`FormError` when the date or the time cannot be read.
    """
    date_text, time_text, place = (str(values.get(key, "")).strip() for key in NEXT_KEYS)
    day = parse_date(date_text) if date_text else None
    if date_text and day is None:
        raise FormError("next_date", "bad_date", section="minutes_fields")
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise FormError(
            "next_date", "date_range", section="minutes_fields", first=FIRST_YEAR, last=LAST_YEAR
        )
    start = parse_time(time_text) if time_text else None
    if time_text and start is None:
        raise FormError("next_time", "bad_time", section="minutes_fields")
    meeting = NextMeeting(date=day, time=start, place=place)
    return None if meeting.empty else meeting


@dataclass(frozen=True)
class SessionForm:
    """What the setup screen collected, as typed."""

    present: Sequence[Person]
    """Those present, in seat order (a walk-in has ``walk_in`` set)."""
    opened: datetime
    """When the form was opened: its date and time were filled in from this."""
    day: str
    time: str
    place: str = ""
    table: str = ""
    observers: str = ""
    roles: Mapping[str, str] = field(default_factory=dict)
    """By role field (``ROLES``): who facilitates, records…"""
    minutes: Mapping[str, Any] = field(default_factory=dict)
    """The minutes fields: ``secretariat``, ``author``, ``public`` and ``NEXT_KEYS``."""


def _start(form: SessionForm) -> tuple[date, time]:
    day = parse_date(form.day)
    if day is None:
        raise FormError("date", "bad_date")
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        # A session file may not hold it (models/bounds.py): say so now.
        raise FormError("date", "date_range", first=FIRST_YEAR, last=LAST_YEAR)
    start = parse_time(form.time)
    if start is None:
        raise FormError("time", "bad_time")
    return day, start


def _observers(text: str) -> int:
    text = normalize(text)
    if text and not text.isdigit():
        raise FormError("observers", "bad_observers")
    # Length first: int() refuses more than 4,300 digits with a ValueError.
    digits = text.lstrip("0")
    if digits and (len(digits) > 4 or int(digits) > MAX_OBSERVERS):
        raise FormError("observers", "observers_range", max=MAX_OBSERVERS)
    return int(digits or "0")


def plan_session(
    scenario: Scenario, session_id: str, form: SessionForm, *, clock: Clock
) -> Session:
    """The new session the form describes (not started). Raises :class:`FormError`.

    Untouched, the session starts when this is called; with its date or time
    edited (a meeting recorded afterwards, or set up the day before), it
    carries the chosen time.
    """
    if not form.present:
        raise FormError("present", "nobody_present")
    day, start = _start(form)
    observers = _observers(form.observers)
    minutes = form.minutes
    next_meeting = read_next_meeting(minutes)
    session = new_session(
        scenario,
        session_id=session_id,
        members=members_from_roster(form.present),
        place=form.place.strip(),
        roles=Roles(**{role: form.roles.get(role, "").strip() for role in ROLES}),
        table=form.table.strip(),
        clock=clock,
    )
    opened = form.opened
    if (day, start) != (opened.date(), time(opened.hour, opened.minute)):
        session.created_at = at_local_time(day, start, session.created_at)
    session.observers = observers
    session.next_meeting = next_meeting
    session.secretariat = str(minutes.get("secretariat", "")).strip()
    session.author = str(minutes.get("author", "")).strip()
    session.public = bool(minutes.get("public", True))
    return session
