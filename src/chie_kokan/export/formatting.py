"""Dates, times and durations as a municipal office writes them, per language.

Times are shown in the offset they were recorded with (the session's own
local time), never converted to the exporting machine's zone: minutes made
elsewhere, or later, must state the same 14:00.
"""

from __future__ import annotations

from datetime import date, datetime

from chie_kokan.i18n import Language

_WEEKDAYS_JA = "月火水木金土日"
_REIWA_START = date(2019, 5, 1)


def format_date(day: date, language: Language) -> str:
    """令和8年11月27日（金） / Friday 27 November 2026."""
    if language == "ja":
        if day >= _REIWA_START:
            # Municipal documents use the Japanese era; year 1 is 元年.
            year = day.year - 2018
            era = f"令和{'元' if year == 1 else year}年"
        else:
            era = f"{day.year}年"
        return f"{era}{day.month}月{day.day}日（{_WEEKDAYS_JA[day.weekday()]}）"
    return f"{day:%A} {day.day} {day:%B %Y}"


def format_time(moment: datetime | None) -> str:
    return f"{moment:%H:%M}" if moment else ""


def format_span(start: datetime | None, end: datetime | None, language: Language) -> str:
    """14:00〜15:30 / 14:00–15:30; an open end stays open."""
    if start is None:
        return ""
    dash = "〜" if language == "ja" else "–"
    return f"{format_time(start)}{dash}{format_time(end)}"


def format_minutes(minutes: int | None, language: Language) -> str:
    if minutes is None:
        return ""
    return f"{minutes}分" if language == "ja" else f"{minutes} min"


def format_duration(seconds: float, language: Language) -> str:
    """3分20秒 / 3 min 20 s, rounded to the second."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if language == "ja":
        parts = [f"{hours}時間" if hours else "", f"{minutes}分" if minutes else ""]
        parts.append(f"{secs}秒" if secs or not (hours or minutes) else "")
        return "".join(parts)
    out = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    out.append(f"{secs} s" if secs or not (hours or minutes) else "")
    return " ".join(p for p in out if p)


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def circled(number: int) -> str:
    """① for 1 (the council's material numbers its questions so); (21) beyond ⑳."""
    return CIRCLED[number - 1] if 1 <= number <= len(CIRCLED) else f"({number})"
