"""The facts of a meeting, one way for the screen, the summary and the minutes.

What can be voted on, who spoke how long, how questions are numbered, how
much each step produced, when the meeting was held: pure functions over a
:class:`Session`. No Textual, no engine, no clock: what depends on the moment
of reading (a turn still running) is passed in as ``until``, so one session
and one instant always give the same facts, wherever they are shown.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from chie_kokan.models import KINDS, Card, Outcome, Session, Step, Turn, spec

TROUBLE_KINDS = frozenset(kind for kind, s in KINDS.items() if s.troubles)
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
    cards: tuple[Card, ...]
    """The group's cards in order; for a single card, itself."""

    @property
    def card_ids(self) -> tuple[str, ...]:
        return tuple(card.id for card in self.cards)


def troubles(session: Session) -> list[Trouble]:
    """Everything that can be voted on: groups, then ungrouped share and pick cards.

    Sorted by votes (most first), in recorded order otherwise.
    """
    by_id = {card.id: card for card in session.cards}
    grouped = {card_id for group in session.groups for card_id in group.cards}
    items = [
        Trouble(
            g.id, g.title, g.votes, g.picked, True, tuple(by_id[c] for c in g.cards if c in by_id)
        )
        for g in session.groups
    ]
    items += [
        Trouble(c.id, c.text, c.votes, c.picked, False, (c,))
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
    last moment the file knows of). A turn suspended by a pause, a step
    change or a restart and the turns that ``continue`` it are one turn; the
    time between them is nobody's. A turn ending in a pass counts as a pass,
    with no speaking time; one still unfinished counts if it has time or is
    running now (the floor handed on by a step change is not a turn spoken).
    Each member's total is rounded once, to the second: the screen, the
    summary and the minutes then show the same time.
    """
    seconds = {m.id: 0.0 for m in session.members}
    turns = dict.fromkeys(seconds, 0)
    passes = dict.fromkeys(seconds, 0)
    for chain in _turn_chains(session.turns):
        who, last = chain[0].speaker, chain[-1]
        if last.outcome is Outcome.PASSED:
            passes[who] += 1
            continue
        spoken = sum(
            max(((turn.ended_at or until) - turn.started_at).total_seconds(), 0.0) for turn in chain
        )
        seconds[who] += spoken
        if last.outcome is Outcome.SPOKE or spoken > 0 or last.ended_at is None:
            turns[who] += 1
    return {who: Speaking(float(round(seconds[who])), turns[who], passes[who]) for who in seconds}


def _turn_chains(all_turns: Sequence[Turn]) -> list[list[Turn]]:
    """The turns grouped as the room saw them: a turn and what continues it."""
    chains: list[list[Turn]] = []
    latest: dict[tuple[str, int, int | None, int], list[Turn]] = {}
    for turn in all_turns:
        key = (turn.speaker, turn.step, turn.question, turn.round)
        if turn.continues and key in latest:
            latest[key].append(turn)
        else:
            latest[key] = [turn]
            chains.append(latest[key])
    return chains


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
        # Ideas answer a trouble (exchange); examples say who runs them (spread).
        ideas=sum(spec(kind).takes_target for kind in kinds),
        examples=sum(spec(kind).takes_examples for kind in kinds),
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


# -- tables (a report step) ---------------------------------------------------


def table_key(name: str) -> str:
    """The same table however it was typed: ``Ａ`` and ``A ``, ``東 1`` and ``東　1``."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def cards_by_table(session: Session, step: int) -> list[tuple[str, list[Card]]]:
    """A report step's cards under the table each was presented for, in order of
    each table's first card: ``(table, cards)``, the table as first written.

    A card without a table (recorded before members carried one, or unsigned)
    is the session's table (each table's own file, merged); with none either,
    the table is "".
    """
    tables: dict[str, tuple[str, list[Card]]] = {}
    for card in session.cards:
        if card.step != step:
            continue
        name = (card.table or session.table).strip()
        tables.setdefault(table_key(name), (name, []))[1].append(card)
    return list(tables.values())
