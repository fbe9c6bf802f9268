"""Open action items (取り組み) across sessions: who does what by when, overdue first.

Pure: sessions and today's date in, a sorted list and its Markdown or CSV
out; reading the folder is the caller's (``export_actions``), the clock too.

A due date is typed as people say it (``12月末``, ``2026-12-20``, ``12/20``,
``来月``). What can be read without guessing is read as a date, relative to
the meeting it was agreed at: ISO and ``2026年12月20日``; ``12/20`` and
``12月20日`` (the first such day on or after the meeting); ``12月末``,
``12月中``, ``12月上旬/中旬/下旬`` (by the 10th, the 20th, the month's end);
``今月``/``来月`` (by the end of that month) and ``年度末`` (31 March, the end
of the Japanese fiscal year); in English ``15 December``, ``Dec 15`` and
``end of December``. Anything else (``次回まで``, ``春ごろ``) is kept as
written and sorted after the dated ones.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from chie_kokan.export.formatting import format_date
from chie_kokan.export.render import md_cell, md_escape
from chie_kokan.export.resources import spreadsheet_safe
from chie_kokan.facts import meeting_day
from chie_kokan.i18n import Language, t
from chie_kokan.models import Session
from chie_kokan.report_back import settled


@dataclass(frozen=True)
class OpenAction:
    """An action item not yet done, with the meeting it was agreed at."""

    who: str
    what: str
    due: str
    """As written ("" when none was given)."""
    due_date: date | None
    """``due`` read as a date; None when it cannot be read reliably."""
    overdue: bool
    meeting_date: date
    meeting: str
    """The scenario's title."""
    table: str
    session_id: str


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_YMD = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_MD = re.compile(r"(\d{1,2})/(\d{1,2})|(\d{1,2})月(\d{1,2})日")
_MONTH_PART = re.compile(r"(\d{1,2})月(末|上旬|中旬|下旬|中)")
_RELATIVE_MONTH = re.compile(r"(今月|来月)(末|中)?")
_FISCAL_YEAR_END = re.compile(r"(今)?年度末")
_MONTHS = [
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
]
_MONTH = r"(" + "|".join(f"{name[:3]}(?:{name[3:]}|\\.)?" for name in _MONTHS) + r")"
_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"
_EN_DAY_MONTH = re.compile(rf"(?:by )?{_ORDINAL} {_MONTH}", re.IGNORECASE)
_EN_MONTH_DAY = re.compile(rf"(?:by )?{_MONTH} {_ORDINAL}", re.IGNORECASE)
_EN_MONTH_END = re.compile(rf"(?:by )?(?:the )?end of {_MONTH}", re.IGNORECASE)
_PART_DAY = {"上旬": 10, "中旬": 20}
# What may follow a date without changing it: 12月20日(金)まで, 12/20までに, 12月中に.
_TRAILER = re.compile(r"(\([月火水木金土日]\))?\s*(まで)?(に)?")


def parse_due(text: str, meeting: date) -> date | None:
    """``text`` as a date, read relative to the ``meeting`` it was agreed at; None if unsure."""
    # NFKC: full-width digits and slashes (１２／２０) read as half-width.
    due = unicodedata.normalize("NFKC", text).strip()
    for pattern, read in (
        (_ISO, _read_ymd),
        (_YMD, _read_ymd),
        (_MD, _read_md),
        (_MONTH_PART, _read_month_part),
        (_RELATIVE_MONTH, _read_relative_month),
        (_FISCAL_YEAR_END, _read_fiscal_year_end),
        (_EN_DAY_MONTH, _read_en_date),
        (_EN_MONTH_DAY, _read_en_date),
        (_EN_MONTH_END, _read_en_date),
    ):
        match = pattern.match(due)
        if match and _TRAILER.fullmatch(due, match.end()):
            return read(match, meeting)
    return None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # 2月30日, 13/1: not a date, not a guess
        return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _read_ymd(match: re.Match[str], meeting: date) -> date | None:
    return _day(*(int(part) for part in match.groups()))


def _next_on_or_after(meeting: date, month: int, day: int | None) -> date | None:
    """The first ``month``/``day`` (``day`` None: the month's end) on or after the meeting."""
    if not 1 <= month <= 12:
        return None
    for year in (meeting.year, meeting.year + 1):
        found = _month_end(year, month) if day is None else _day(year, month, day)
        if found is not None and found >= meeting:
            return found
    return None  # 2/30; or 2/29 in neither year: too far to guess


def _read_md(match: re.Match[str], meeting: date) -> date | None:
    month, day = (int(part) for part in filter(None, match.groups()))
    return _next_on_or_after(meeting, month, day)


def _read_month_part(match: re.Match[str], meeting: date) -> date | None:
    month, part = int(match.group(1)), match.group(2)
    return _next_on_or_after(meeting, month, _PART_DAY.get(part))


def _read_relative_month(match: re.Match[str], meeting: date) -> date:
    year, month = meeting.year, meeting.month
    if match.group(1) == "来月":
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return _month_end(year, month)


def _read_fiscal_year_end(match: re.Match[str], meeting: date) -> date:
    # The Japanese fiscal year (年度) runs from April to 31 March.
    return date(meeting.year + (meeting.month >= 4), 3, 31)


def _read_en_date(match: re.Match[str], meeting: date) -> date | None:
    """15 December, Dec 15th, end of December: the next one on or after the meeting."""
    day: int | None = None
    month = 0
    for part in match.groups():
        if part.isdigit():
            day = int(part)
        else:
            month = _MONTHS.index(next(m for m in _MONTHS if m.startswith(part[:3].lower()))) + 1
    return _next_on_or_after(meeting, month, day)


def open_actions(sessions: Sequence[Session], today: date) -> list[OpenAction]:
    """Every action item not done, overdue first, then by due date, then undated.

    An action reported done or dropped at a later session is not open.
    Overdue and dated ones by due date (the earliest first); those without a
    readable date after them, the oldest meeting first.
    """
    items = []
    # Reported 済 or 中止 at a later session (前回からの報告): no longer open.
    reported = settled(sessions)
    for session in sessions:
        day = meeting_day(session)
        for action in session.actions:
            if action.done or (session.id, action.id) in reported:
                continue
            due = parse_due(action.due, day)
            items.append(
                (
                    action.created_at,
                    OpenAction(
                        who=action.who,
                        what=action.what,
                        due=action.due,
                        due_date=due,
                        overdue=due is not None and due < today,
                        meeting_date=day,
                        meeting=session.scenario.title,
                        table=session.table,
                        session_id=session.id,
                    ),
                )
            )

    def order(item: tuple[object, OpenAction]) -> tuple[object, ...]:
        created, action = item
        return (
            not action.overdue,
            action.due_date is None,
            action.due_date or date.max,
            action.meeting_date,
            created,
        )

    return [action for _, action in sorted(items, key=order)]


def _state(action: OpenAction, language: Language) -> str:
    if action.overdue:
        return t("actions.overdue", language)
    return t("actions.pending" if action.due_date else "actions.undated", language)


def _meeting(action: OpenAction, language: Language) -> str:
    table = f" {action.table}" if action.table else ""
    return t(
        "actions.meeting_value",
        language,
        date=action.meeting_date.isoformat(),
        title=action.meeting,
        table=table,
    )


COLUMNS = ("state", "due", "due_date", "who", "what", "meeting_date", "meeting", "table", "session")


def actions_csv(actions: Sequence[OpenAction], language: Language) -> bytes:
    """UTF-8 with BOM, so Excel opens Japanese correctly; one header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([t(f"actions.col_{name}", language) for name in COLUMNS])
    for action in actions:
        row = [
            _state(action, language),
            action.due,
            action.due_date.isoformat() if action.due_date else "",
            action.who,
            action.what,
            action.meeting_date.isoformat(),
            action.meeting,
            action.table,
            action.session_id,
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def actions_markdown(actions: Sequence[OpenAction], language: Language, today: date) -> str:
    """The open action items as one Markdown table, overdue first."""

    def L(key: str, **values: object) -> str:
        return t(f"actions.{key}", language, **values)

    lines = [f"# {L('title')}", ""]
    if not actions:
        return "\n".join([*lines, L("none", today=format_date(today, language)), ""])
    overdue = sum(action.overdue for action in actions)
    as_of = format_date(today, language)
    lines += [L("intro", today=as_of, count=len(actions), overdue=overdue), ""]
    header = [L(f"col_{name}") for name in ("state", "due", "who", "what", "meeting")]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for action in actions:
        due = md_escape(action.due) or "—"
        if action.due_date and action.due_date.isoformat() != action.due.strip():
            due = L("due_read", due=due, date=action.due_date.isoformat())
        state = _state(action, language)
        cells = [
            f"**{state}**" if action.overdue else state,
            due,
            md_escape(action.who) or "—",
            md_escape(action.what),
            md_escape(_meeting(action, language)),
        ]
        lines.append("| " + " | ".join(md_cell(cell) for cell in cells) + " |")
    lines.append("")
    return "\n".join(lines)
