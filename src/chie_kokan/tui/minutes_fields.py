"""The minutes fields (issue 9) as a form: secretariat, author, open or closed,
and the next meeting. Set on the setup screen; the next meeting also on the
summary at the end of the meeting. The values are read the way the setup
screen reads its own date and time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chie_kokan.i18n import t
from chie_kokan.models import NextMeeting
from chie_kokan.models.bounds import FIRST_YEAR, LAST_YEAR
from chie_kokan.tui.screens.dialogs import Field

NEXT_KEYS = ("next_date", "next_time", "next_place")
_PLACEHOLDERS = {
    "next_date": "minutes_fields.date_placeholder",
    "next_time": "minutes_fields.time_placeholder",
    "next_place": "minutes_fields.place_placeholder",
}


def next_meeting_values(meeting: NextMeeting | None) -> dict[str, str]:
    """The next meeting as the form shows it (2027-01-15, 14:00, the place)."""
    meeting = meeting or NextMeeting()
    return {
        "next_date": meeting.date.isoformat() if meeting.date else "",
        "next_time": f"{meeting.time:%H:%M}" if meeting.time else "",
        "next_place": meeting.place,
    }


def form_fields(values: Mapping[str, Any]) -> list[Field]:
    """One field per value, in order: a yes/no box for a bool, a line otherwise."""
    return [
        Field(
            key,
            t(f"minutes_fields.{key}"),
            value,
            placeholder=t(_PLACEHOLDERS[key]) if key in _PLACEHOLDERS else "",
        )
        for key, value in values.items()
    ]


def read_next_meeting(values: Mapping[str, Any]) -> NextMeeting | None:
    """The next meeting from the form; None when nothing is given.

    Raises :class:`ValueError` with the message for the screen when the date
    or the time cannot be read.
    """
    # Here, not at the top: the setup screen imports this module.
    from chie_kokan.tui.screens.setup import parse_date, parse_time

    date_text, time_text, place = (str(values.get(key, "")).strip() for key in NEXT_KEYS)
    day = parse_date(date_text) if date_text else None
    if date_text and day is None:
        raise ValueError(t("minutes_fields.bad_date"))
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(t("minutes_fields.date_range", first=FIRST_YEAR, last=LAST_YEAR))
    start = parse_time(time_text) if time_text else None
    if time_text and start is None:
        raise ValueError(t("minutes_fields.bad_time"))
    meeting = NextMeeting(date=day, time=start, place=place)
    return None if meeting.empty else meeting
