"""前回からの報告: what earlier sessions promised, and what became of it.

Pure: it reads session files, changes none, and knows nothing of a screen.
The items reported at a session's opening are the previous session's open
actions plus what that session carried forward: its items marked 継続 and
those it never discussed. So a promise made in session 1 and marked 継続 in
session 2 reaches session 3, and nothing promised silently disappears.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from chie_kokan.facts import meeting_start
from chie_kokan.models import ReportItem, ReportStatus, Session
from chie_kokan.problems import FileError
from chie_kokan.storage import read_sessions

CARRIED = frozenset({None, ReportStatus.CONTINUES})
"""Statuses that carry an item on to the next session: not discussed, and 継続."""


def key(item: ReportItem) -> tuple[str, str]:
    """An item is the same across sessions: the session that promised it, its action id."""
    return (item.from_session, item.id)


def open_actions(session: Session) -> list[ReportItem]:
    """The actions a session promised and did not tick off, as items to report on."""
    start = meeting_start(session)
    return [
        ReportItem(
            id=action.id,
            what=action.what,
            who=action.who,
            due=action.due,
            from_session=session.id,
            from_date=start,
        )
        for action in session.actions
        if not action.done
    ]


def with_status(items: Iterable[ReportItem], session: Session) -> list[ReportItem]:
    """The items as ``session`` reported on them (status and note; unmarked ones as they are).

    Items it marked that are not among ``items`` (their earlier file is gone)
    come last: its copy is enough.
    """
    marked = {key(item): item for item in session.report_back}
    shown = [marked.pop(key(item), item) for item in items]
    return shown + list(marked.values())


def _carried(due: list[ReportItem], session: Session) -> list[ReportItem]:
    """What ``session`` hands on: its items not settled, and its own open actions."""
    reported = with_status(due, session)
    kept = [item.model_copy(update={"status": None, "note": ""}) for item in reported]
    carried = [plain for plain, item in zip(kept, reported, strict=True) if item.status in CARRIED]
    return carried + open_actions(session)


def settled(sessions: Iterable[Session]) -> set[tuple[str, str]]:
    """Actions reported 済 or 中止 at some session: no longer open anywhere (``key``)."""
    return {
        key(item)
        for session in sessions
        for item in session.report_back
        if item.status not in CARRIED
    }


def previous_sessions(current: Session, others: Iterable[Session]) -> list[Session]:
    """Earlier sessions of the same scenario (by title), oldest first, by meeting date."""
    start = meeting_start(current)
    earlier = [
        other
        for other in others
        if other.id != current.id
        and other.scenario.title == current.scenario.title
        and meeting_start(other) < start
    ]
    return sorted(earlier, key=meeting_start)


def items_due(current: Session, others: Iterable[Session]) -> list[ReportItem]:
    """The items to report on at ``current``'s opening, not yet marked (see ``with_status``)."""
    due: list[ReportItem] = []
    for session in previous_sessions(current, others):
        due = _carried(due, session)
    return due


def load_others(folder: Path, current: Path) -> list[Session]:
    """Every readable session in ``folder`` but ``current``; bad files are skipped."""
    try:
        files = read_sessions(folder)
    except FileError:
        return []  # the folder is gone or unreadable: nothing to report
    return [
        file.session
        for file in files
        if file.session is not None and file.path.resolve() != current.resolve()
    ]


def report_back(current: Session, path: Path) -> list[ReportItem]:
    """The items due at the opening of the session saved at ``path``."""
    return items_due(current, load_others(path.parent, path))
