"""The minutes fields (issue 9) as a form: secretariat, author, open or closed,
and the next meeting. Set on the setup screen; the next meeting also on the
summary at the end of the meeting. What is typed is read by
:func:`chie_kokan.session_plan.read_next_meeting`, as the setup's own date and time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chie_kokan.i18n import t
from chie_kokan.models import NextMeeting
from chie_kokan.tui.screens.dialogs import Field

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
