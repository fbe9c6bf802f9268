"""The facts of a meeting, one way for the screen, the summary and the minutes.

What can be voted on, who spoke how long, how questions are numbered, how
much each step produced, when the meeting was held: pure functions over a
:class:`Session`. No Textual, no engine, no clock: what depends on the moment
of reading (a turn still running) is passed in as ``until``, so one session
and one instant always give the same facts, wherever they are shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from chie_kokan.models import Outcome, Session, Step, StepKind

TROUBLE_KINDS = frozenset({StepKind.SHARE, StepKind.PICK})
"""Cards that state a trouble: shared, or noticed while picking."""


# -- troubles -----------------------------------------------------------------


@dataclass(frozen=True)
class Trouble:
    """Something the room can vote on: a group (KJ method) or an ungrouped trouble card."""

    id: str
    title: str
    votes: int
    picked: bool
    is_group: bool
    card_ids: tuple[str, ...]
    """The group's cards in order; for a single card, its own id."""


def troubles(session: Session) -> list[Trouble]:
    """Everything that can be voted on: groups, then ungrouped share and pick cards.

    Sorted by votes (most first), in recorded order otherwise.
    """
    grouped = {card_id for group in session.groups for card_id in group.cards}
    items = [
        Trouble(g.id, g.title, g.votes, g.picked, True, tuple(g.cards)) for g in session.groups
    ]
    items += [
        Trouble(c.id, c.text, c.votes, c.picked, False, (c.id,))
        for c in session.cards
        if c.kind in TROUBLE_KINDS and c.id not in grouped
    ]
    return sorted(items, key=lambda item: -item.votes)


# -- speaking time ------------------------------------------------------------


@dataclass(frozen=True)
class Speaking:
    """One member's share of the floor."""

    seconds: float = 0.0
    """Seconds spoken, to the whole second (so every view shows the same figure);
    a pass counts none."""
    turns: int = 0
    """Turns in which they spoke; a continuation after a pause is the same turn."""
    passes: int = 0


def speaking(session: Session, until: datetime) -> dict[str, Speaking]:
    """Member id → seconds spoken, turns and passes, every member in seat order.

    ``until`` ends a turn still running (the screen: now; the minutes: the
    last moment the file knows of). A suspended turn (ended, no outcome yet)
    counts as spoken up to its end; a turn that ``continues`` a suspended one
    adds its seconds but is not a new turn; the time between the two is left
    out, since neither covers it. Each member's total is rounded once, to the
    second: the screen, the summary and the minutes then show the same time.
    """
    seconds = {m.id: 0.0 for m in session.members}
    turns = dict.fromkeys(seconds, 0)
    passes = dict.fromkeys(seconds, 0)
    for turn in session.turns:
        who = turn.speaker  # a member: the session's own rules say so
        if turn.outcome is Outcome.PASSED:
            passes[who] += 1
            continue
        end = turn.ended_at or until
        seconds[who] += max((end - turn.started_at).total_seconds(), 0.0)
        if not turn.continues:
            turns[who] += 1
    return {who: Speaking(float(round(seconds[who])), turns[who], passes[who]) for who in seconds}


# -- questions ----------------------------------------------------------------


def question_number(steps: Sequence[Step], step_index: int, question_index: int) -> int:
    """The question's number across the session, from 1: exchange ①②, reflect ③."""
    before = sum(len(step.questions or []) for step in steps[:step_index])
    return before + question_index + 1


# -- counts -------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    """What the meeting produced."""

    per_step: tuple[int, ...]
    """Cards recorded on each step, in step order."""
    cards: int
    troubles: int
    """Everything that could be voted on (:func:`troubles`)."""
    picked: int
    """Troubles picked to work on."""
    ideas: int
    """Cards on exchange steps."""
    examples: int
    """Success examples: cards on spread steps."""
    actions: int


def counts(session: Session) -> Counts:
    """Cards per step and what the meeting produced in all (the summary and the minutes)."""
    per_step = [0] * len(session.scenario.flow)
    for card in session.cards:
        per_step[card.step] += 1
    votable = troubles(session)
    kinds = [card.kind for card in session.cards]
    return Counts(
        per_step=tuple(per_step),
        cards=len(session.cards),
        troubles=len(votable),
        picked=sum(trouble.picked for trouble in votable),
        ideas=kinds.count(StepKind.EXCHANGE),
        examples=kinds.count(StepKind.SPREAD),
        actions=len(session.actions),
    )


# -- the meeting's date and time ----------------------------------------------


def meeting_start(session: Session) -> datetime:
    """When the meeting started: the date and time set up (not when F7 was pressed)."""
    return session.created_at


def meeting_end(session: Session) -> datetime | None:
    """When its last step ended; None while it runs, or when that end cannot be the
    meeting's (on another day than the start, or before it: recorded afterwards)."""
    return _shown_end(meeting_start(session), session.ended_at)


def meeting_day(session: Session) -> date:
    """The day of the meeting, as set up."""
    return meeting_start(session).date()


def meeting_span(sessions: Sequence[Session]) -> tuple[datetime, datetime | None]:
    """Start and end of a meeting held at several tables: the first start, the last end."""
    start = min(meeting_start(session) for session in sessions)
    ends = [end for session in sessions if (end := meeting_end(session)) is not None]
    return start, _shown_end(start, max(ends, default=None))


def _shown_end(start: datetime, end: datetime | None) -> datetime | None:
    if end is None or end < start or end.astimezone(start.tzinfo).date() != start.date():
        return None
    return end


__all__ = [
    "TROUBLE_KINDS",
    "Counts",
    "Speaking",
    "Trouble",
    "counts",
    "meeting_day",
    "meeting_end",
    "meeting_span",
    "meeting_start",
    "question_number",
    "speaking",
    "troubles",
]
