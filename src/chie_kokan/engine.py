"""The session engine: steps, turns, cards, votes, undo and timers.

Pure Python, no Textual: the screen is a thin view over this, and every rule
of the meeting is tested here. Every change goes through :meth:`_change`,
which notes what it touches for undo (:mod:`chie_kokan.models.journal`),
takes it back if the change fails half way, and tells listeners (the saver,
the screen) that something changed, and which cards (:class:`Changes`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from pydantic import ValidationError

from chie_kokan import facts
from chie_kokan.clock import Clock, system_clock
from chie_kokan.facts import Trouble, table_key
from chie_kokan.i18n import t
from chie_kokan.models import (
    ActionItem,
    Approval,
    Card,
    Group,
    Live,
    Member,
    Outcome,
    ReportItem,
    ReportStatus,
    Resource,
    Roles,
    Scenario,
    Session,
    Status,
    Step,
    StepTimer,
    StepVisit,
    Turn,
    TurnMode,
    journal,
    spec,
)
from chie_kokan.models.base import visible_controls
from chie_kokan.models.bounds import MAX_ELAPSED, MAX_ROUND, MAX_VOTES
from chie_kokan.models.ids import safe_session_id
from chie_kokan.storage import DocumentCache


class _CardIndex:
    """The session's cards by id, for :meth:`SessionEngine.card`, and what they
    answer: a lookup costs the change, not the board (5,000 cards took 0.3 ms
    to search, twice per edit; 0.5 ms to look for answers, per delete).

    Kept in step with the list it indexed, which the engine changes in three
    ways only: cards appended (added here), the tail taken off (an undo of
    appends) and the list replaced (a delete, an undo of one, another
    session). Any list that is not the one indexed, or whose length or last
    card differ from what was indexed, is indexed again before it is read.
    What the cards answer is forgotten too whenever a change (or an undo)
    sets any ``answers`` (:meth:`noticed`); it is counted again when asked.
    """

    def __init__(self) -> None:
        self._cards: list[Card] | None = None
        self._count = 0
        self._last: Card | None = None
        self._by_id: dict[str, Card] = {}
        self._answered: set[str] | None = None
        """What some card answers (a card or group id); None: not counted since."""

    def get(self, cards: list[Card], card_id: str) -> Card | None:
        self._sync(cards)
        return self._by_id.get(card_id)

    def answered(self, cards: list[Card], target: str) -> bool:
        """Whether some card answers ``target`` (never a no when one does)."""
        self._sync(cards)
        if self._answered is None:
            self._answered = {card.answers for card in cards if card.answers is not None}
        return target in self._answered

    def noticed(self, notes: list[journal.Note]) -> None:
        """A change or an undo: what the cards answer may have changed."""
        if any(field == "answers" for _, field, _ in notes):
            self._answered = None

    def taken_out(self, cards: list[Card], card: Card) -> None:
        """``cards`` replaced the indexed list without ``card`` (a delete)."""
        if self._by_id.get(card.id) is card:
            del self._by_id[card.id]
            self._track(cards)  # what it answered may stay counted: a yes only costs a look

    def _sync(self, cards: list[Card]) -> None:
        count = self._count
        if (
            cards is not self._cards
            or len(cards) < count
            or (count and cards[count - 1] is not self._last)
        ):
            self._by_id = {card.id: card for card in cards}
            self._answered = None
        else:
            for card in cards[count:]:  # appended since
                self._by_id[card.id] = card
                if self._answered is not None and card.answers is not None:
                    self._answered.add(card.answers)
        self._track(cards)

    def _track(self, cards: list[Card]) -> None:
        self._cards, self._count = cards, len(cards)
        self._last = cards[-1] if cards else None


def _one_taken_out(old: list[Card], new: list[Card]) -> Card | None:
    """The card ``new`` lacks when ``new`` is ``old`` with just that card taken out."""
    if len(new) != len(old) - 1:
        return None
    low, high = 0, len(new)
    while low < high:  # the first place the two lists differ, by identity
        middle = (low + high) // 2
        if new[middle] is old[middle]:
            low = middle + 1
        else:
            high = middle
    # Lists compare identical items without calling their __eq__: C speed.
    return old[low] if new == old[:low] + old[low + 1 :] else None


class DomainError(Exception):
    """An operation the meeting's rules do not allow. State is left unchanged."""

    def __init__(self, key: str, *, section: str = "engine", **context: Any) -> None:
        super().__init__(key)
        self.key = key
        self.section = section
        """The catalog table of the message: a kind's own words live in ``step.<kind>``."""
        self.context = context

    def __str__(self) -> str:
        # Rendered when shown, in the language of the screen at that moment.
        return t(f"{self.section}.{self.key}", **self.context)


@dataclass(frozen=True)
class Draft:
    """A card typed but not yet recorded: what a speaker key records first.

    On a spread step an example has who runs it and where, too.
    """

    text: str
    runs_by: str = ""
    place: str = ""


@dataclass(frozen=True)
class _Undo:
    """How to take a change back, and what the change was (for Ctrl+Z's notice).

    ``notes`` hold what the change touched (its size, not the session's); see
    :mod:`chie_kokan.models.journal`. Changes made outside ``_change`` after
    it (clocks stopped on quitting, the time of an undo) are noted here too,
    so taking it back gives exactly the session as it was before it.
    """

    what: str
    context: dict[str, str]
    notes: list[journal.Note]


@dataclass(frozen=True)
class Changes:
    """What the last change (or undo) did to the cards, read from its journal notes.

    A view may redraw only these cards; with ``whole`` it redraws from the
    session: the step changed, or people, groups or the scenario (which
    cards' rows also show), or undo put a whole list of cards back.
    """

    added: tuple[Card, ...] = ()
    """New cards, in the order they joined the end of the session's cards."""
    edited: tuple[Card, ...] = ()
    """Cards still in the session, some field of which changed."""
    removed: tuple[str, ...] = ()
    """Ids of cards no longer in the session."""
    whole: bool = False


EVERYTHING = Changes(whole=True)

# What a card's row may show besides the card: the step it is on, its
# speaker's name, its group, its question's number (the scenario).
_SHOWN_WITH_CARDS = {
    (Session, "members"),
    (Session, "groups"),
    (Session, "scenario"),
    (Live, "step"),
}
_SHOWN_WITH_CARDS_MODELS = (Member, Group)


def _short(text: str, limit: int = 24) -> str:
    """A card's text as a notice quotes it: one line, not too long."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


class _Current:
    """Marker: the card goes to whoever is speaking now."""

    def __repr__(self) -> str:
        return "CURRENT"


CURRENT: Any = _Current()


class Person(Protocol):
    """Someone to seat: a line of the roster (``Participant``) or of the setup screen."""

    @property
    def name(self) -> str: ...
    @property
    def organization(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def table(self) -> str: ...


def members_from_roster(people: Iterable[Person]) -> list[Member]:
    """The members, in the order given (the seat order), with stable ids ``p1``, ``p2``….

    The one place a member is made from a person: the table they sit at is
    kept, and a walk-in (``walk_in`` set, as the setup screen's lines have
    it) stays marked as one.
    """
    return [
        Member(
            id=f"p{seat}",
            name=person.name,
            organization=person.organization,
            role=person.role,
            walk_in=getattr(person, "walk_in", False),
            table=person.table,
        )
        for seat, person in enumerate(people, start=1)
    ]


def round_seats(members: list[Member], *, by_table: bool) -> list[list[Member]]:
    """What a round goes round, in order: each seat is one turn of the round.

    Usually everyone, one by one, in seat order. On a step that goes by table
    (a report) when anyone carries a table: one seat per table, in the seat
    order of its first member, holding its members in seat order; the first
    of them presents (F4 can give the floor to another, e.g. the recorder,
    and the table has had its turn all the same). Members without a table
    (the facilitator, the secretariat) sit such a round out: F4 still gives
    them the floor. If nobody has a table, the round is everyone, as usual.
    """
    if not by_table or not any(table_key(m.table) for m in members):
        return [[m] for m in members]
    tables: dict[str, list[Member]] = {}
    for member in members:
        key = table_key(member.table)
        if key:
            tables.setdefault(key, []).append(member)
    return list(tables.values())


@dataclass(frozen=True)
class TableTurn:
    """One table in a round that goes by table: what the speaker panel lists."""

    table: str
    """As its first member's table was written."""
    presenter: Member
    """Who has the floor when the table's turn comes (its first member)."""
    outcome: Outcome | None
    """Spoke or passed this round (by whichever of its members), None not yet."""
    current: bool
    """One of its members has the floor now."""


def new_session(
    scenario: Scenario,
    *,
    session_id: str,
    members: list[Member] | None = None,
    place: str = "",
    roles: Roles | None = None,
    table: str = "",
    clock: Clock = system_clock,
) -> Session:
    """A session set up but not started (the setup screen edits this).

    ``session_id`` may be any text (a scenario's file name): it is made a
    safe file-name stem, since the session's files are named after it.
    """
    now = clock()
    return Session(
        id=safe_session_id(session_id),
        scenario=scenario,
        created_at=now,
        updated_at=now,
        place=place,
        table=table,
        roles=roles or Roles(),
        members=members if members is not None else members_from_roster(scenario.participants),
        live=Live(timers=[StepTimer() for _ in scenario.flow]),
    )


class SessionEngine:
    """Runs one session. All reads are properties; all changes are methods."""

    # Each step back keeps only what its change touched (a few notes).
    MAX_UNDO = 200

    def __init__(self, session: Session, clock: Clock = system_clock) -> None:
        self.session = session
        self.clock = clock
        self.revision = 0
        """Goes up by one with every change (and undo): what the saver compares."""
        self._undo: list[_Undo] = []
        self._ids: dict[str, tuple[list[Any], int, Any, int]] = {}
        """Prefix → (list, length, last item, highest number) for :meth:`_next_id`."""
        self._turn_index: tuple[list[Turn], int, Turn, dict[Any, list[Turn]]] | None = None
        """See :meth:`_turns_by_round`."""
        self.lock = threading.RLock()
        """Held while the session changes; :meth:`file_text` takes it to read a whole state."""
        self._touched: set[int] = set()
        """Ids of what changed since the last :meth:`file_text` (serialised again)."""
        self._cards_by_id = _CardIndex()
        self._documents = DocumentCache()
        self._listeners: list[Callable[[SessionEngine], None]] = []
        self.changes: Changes = EVERYTHING
        """What the change listeners are being told about did to the cards."""
        self.approval_reset = False
        """Set when a change returned approved minutes to 案 (see :meth:`_back_to_draft`);
        the screen says so and sets it back to False."""
        self._approved = session.status is Status.APPROVED
        # Older files or hand edits may lack a timer per step.
        timers = session.live.timers
        timers.extend(StepTimer() for _ in range(len(self.steps) - len(timers)))

    # -- plumbing -----------------------------------------------------------

    def subscribe(self, listener: Callable[[SessionEngine], None]) -> None:
        """Call ``listener(engine)`` after every change; ``engine.changes`` says what it did."""
        self._listeners.append(listener)

    def _changes_in(self, notes: list[journal.Note], *, undone: bool) -> Changes:
        """What ``notes`` did to the cards (``undone``: what taking them back will do).

        Read before an undo reverts them. The cost is that of the notes, but
        for a list of cards replaced: one card taken out (a delete) is found by
        bisection, any other replacement is compared by id.
        """
        session = self.session
        added: list[Card] = []
        edited: dict[str, Card] = {}
        removed: list[str] = []
        for owner, field, old in notes:
            if field is None:  # an item appended to a list
                if owner is session.cards:
                    new = owner[old:]
                    if undone:
                        removed.extend(card.id for card in new)
                    else:
                        added.extend(new)
                elif owner is session.groups:
                    return EVERYTHING
            elif isinstance(owner, Card):
                if field == "step":
                    return EVERYTHING
                edited[owner.id] = owner
            elif owner is self:
                if field == "session" and old is not session:
                    return EVERYTHING
            elif isinstance(owner, Session) and field == "cards":
                if undone or owner is not session:
                    return EVERYTHING  # a whole list put back: rows in between
                taken = _one_taken_out(old, session.cards)
                if taken is not None:  # a delete: found without comparing every id
                    removed.append(taken.id)
                    continue
                kept = {card.id for card in session.cards}
                if not kept <= {card.id for card in old}:
                    return EVERYTHING
                removed.extend(card.id for card in old if card.id not in kept)
            elif (type(owner), field) in _SHOWN_WITH_CARDS or isinstance(
                owner, _SHOWN_WITH_CARDS_MODELS
            ):
                return EVERYTHING
        gone = set(removed)
        new_ids = {card.id for card in added}  # drawn whole as they join
        return Changes(
            added=tuple(card for card in added if card.id not in gone),
            edited=tuple(card for key, card in edited.items() if key not in gone | new_ids),
            removed=tuple(removed),
        )

    @contextmanager
    def _change(self, what: str, **context: str) -> Iterator[datetime]:
        """One undoable change; ``what`` (an ``undo.`` catalog key) names it for Ctrl+Z."""
        # The session itself first: a change may replace it (update_details).
        entry = _Undo(what, context, [(self, "session", self.session)])
        with self.lock, journal.recording(entry.notes):
            try:
                yield self.clock()
            except BaseException:
                # A failed operation leaves no trace: the rules hold even then.
                journal.revert(entry.notes)
                self._mark_touched(entry.notes)
                raise
            self._touch()
            self._mark_touched(entry.notes)
            self.changes = self._changes_in(entry.notes, undone=False)
        self._undo.append(entry)
        del self._undo[: -self.MAX_UNDO]
        self._notify()

    @contextmanager
    def _outside_undo(self) -> Iterator[None]:
        """A change that is no step of its own: noted with the last undoable one.

        Undo takes the session back to exactly what it was before that change,
        as a snapshot would, this included. With nothing to undo, the notes
        only tell the saver what changed.
        """
        notes = self._undo[-1].notes if self._undo else []
        start = len(notes)
        with self.lock, journal.recording(notes):
            yield
            self._mark_touched(notes[start:])

    def _mark_touched(self, notes: list[journal.Note]) -> None:
        # Every change, failed change, note outside undo and undo passes here.
        self._touched.update(id(owner) for owner, _, _ in notes)
        self._cards_by_id.noticed(notes)

    def file_text(self) -> tuple[int, str]:
        """The revision and the session's file as it should be now (``storage.session_text``).

        Safe to call from the saver's thread: it waits for a change under way
        to finish. Only the items changed since the last call are serialised
        again (``storage.DocumentCache``): a few ms at 5,000 cards, where the
        whole session took 130-200 ms.
        """
        with self.lock:
            touched, self._touched = self._touched, set()
            return self.revision, self._documents.text(self.session, touched)

    def _changed(self) -> None:
        with self._outside_undo():
            self._touch()
        self._notify()  # listeners outside the journal: what they do is not the change

    def _touch(self) -> None:
        self.session.updated_at = self.clock()
        self._back_to_draft()
        self.revision += 1  # under the lock, with the change: file_text() sees both or neither

    def _notify(self) -> None:
        for listener in self._listeners:
            listener(self)

    def _back_to_draft(self) -> None:
        """Approved minutes changed are a 案 again: status draft, approval cleared.

        Only a session approved before this change: a change that approves
        (``update_details(status=...)``) stands, and an undo that brings back
        the approved session as it was brings back its approval.
        """
        session = self.session
        if self._approved and session.status is Status.APPROVED:
            session.status = Status.DRAFT
            session.approval = None
            self.approval_reset = True
        self._approved = session.status is Status.APPROVED

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> str:
        """Take back the last change, whatever it was (a step change too).

        Returns what was taken back, in words for the room ("「…」の記録").
        """
        if not self._undo:
            raise DomainError("nothing_to_undo")
        with self.lock:
            last = self._undo.pop()
            self.changes = self._changes_in(last.notes, undone=True)
            journal.revert(last.notes)
            self._mark_touched(last.notes)
            self._changed()
        return t(f"undo.{last.what}", **last.context)

    @property
    def undo_label(self) -> str | None:
        """What Ctrl+Z would take back now, in words; None when nothing."""
        if not self._undo:
            return None
        last = self._undo[-1]
        return t(f"undo.{last.what}", **last.context)

    # -- reading ------------------------------------------------------------

    @property
    def steps(self) -> list[Step]:
        return self.session.scenario.flow

    @property
    def live(self) -> Live:
        return self.session.live

    @property
    def step_index(self) -> int:
        return self.live.step

    @property
    def step(self) -> Step:
        return self.steps[self.live.step]

    @property
    def questions(self) -> list[str]:
        return self.step.questions or []

    @property
    def question(self) -> str | None:
        """The question being asked now, if the step has questions."""
        qs = self.questions
        return qs[self.live.question] if qs else None

    @property
    def current_speaker(self) -> Member | None:
        return self.session.member(self.live.speaker)

    @property
    def members(self) -> list[Member]:
        return self.session.members

    def member(self, member_id: str) -> Member:
        found = self.session.member(member_id)
        if found is None:
            raise DomainError("unknown_member", member=member_id)
        return found

    def card(self, card_id: str) -> Card:
        found = self._cards_by_id.get(self.session.cards, card_id)
        if found is None:
            raise DomainError("unknown_card", card=card_id)
        return found

    def group(self, group_id: str) -> Group | None:
        return next((g for g in self.session.groups if g.id == group_id), None)

    def cards_of_step(self, index: int | None = None) -> list[Card]:
        index = self.live.step if index is None else index
        return [c for c in self.session.cards if c.step == index]

    def _current_turn(self) -> Turn | None:
        turns = self.session.turns
        if turns and turns[-1].ended_at is None:
            return turns[-1]
        return None

    def _round_turns(self) -> list[Turn]:
        live = self.live
        return self._turns_by_round().get((live.step, self._question_key(), live.round), [])

    def _turns_by_round(self) -> dict[tuple[int, int | None, int], list[Turn]]:
        """The session's turns by (step, question, round), in order.

        A turn's step, question and round never change once it is taken, and
        turns are only appended (or the list replaced, or shortened by undo):
        so the index is carried on from the last call while the list is the
        same and still holds the turn that was last then; else made anew.
        """
        turns = self.session.turns
        known = self._turn_index
        if known is not None:
            seen, length, last, index = known
            if seen is turns and len(turns) >= length > 0 and turns[length - 1] is last:
                start = length
            else:
                start, index = 0, {}
        else:
            start, index = 0, {}
        for turn in turns[start:]:
            index.setdefault((turn.step, turn.question, turn.round), []).append(turn)
        self._turn_index = (turns, len(turns), turns[-1], index) if turns else None
        return index

    def _question_key(self) -> int | None:
        return self.live.question if self.questions else None

    def round_status(self) -> dict[str, Outcome | None]:
        """Member id → spoke / passed / None (not yet) in the current round."""
        status: dict[str, Outcome | None] = {m.id: None for m in self.members}
        for turn in self._round_turns():
            if turn.outcome is not None:
                status[turn.speaker] = turn.outcome
        return status

    @property
    def by_table(self) -> bool:
        """This step's round goes by table (a report, and someone carries a table)."""
        return spec(self.step.kind).by_table and any(table_key(m.table) for m in self.members)

    def round_seats(self) -> list[list[Member]]:
        """What this step's round goes round (see :func:`round_seats`)."""
        return round_seats(self.members, by_table=spec(self.step.kind).by_table)

    def not_yet_spoken(self) -> list[Member]:
        """Who waits for a turn this round, in order: everyone without one yet,
        or on a round by table, the presenter of each table not heard yet."""
        had = {turn.speaker for turn in self._round_turns()}
        return [seat[0] for seat in self.round_seats() if not any(m.id in had for m in seat)]

    def upcoming(self, count: int = 3) -> list[Member]:
        """Who speaks after the current speaker, in round order (round steps)."""
        if self.step.turns is not TurnMode.ROUND:
            return []
        waiting = {m.id for m in self.not_yet_spoken()}
        order = [seat[0] for seat in self._seats_after(self.live.speaker)]
        return [m for m in order if m.id in waiting and m.id != self.live.speaker][:count]

    def table_round(self) -> list[TableTurn]:
        """On a round by table, each table and how it stands; else empty."""
        if not self.by_table or self.step.turns is not TurnMode.ROUND:
            return []
        status = self.round_status()
        speaker = self.live.speaker
        turns = []
        for seat in self.round_seats():
            outcomes = [status[m.id] for m in seat if status.get(m.id) is not None]
            turns.append(
                TableTurn(
                    table=seat[0].table.strip(),
                    presenter=seat[0],
                    outcome=outcomes[-1] if outcomes else None,
                    current=any(m.id == speaker for m in seat),
                )
            )
        return turns

    def _seats_after(self, member_id: str | None) -> list[list[Member]]:
        """The round's seats, from the one after ``member_id``'s (from the first if none).

        Someone who sits the round out (no table, given the floor by F4) is
        followed by the first seat whose first member sits after them.
        """
        seats = self.round_seats()
        ids = [m.id for m in self.members]
        start = 0
        if member_id in ids:
            where = next(
                (i for i, seat in enumerate(seats) if any(m.id == member_id for m in seat)), None
            )
            if where is not None:
                start = where + 1
            else:
                place = ids.index(member_id)
                start = next(
                    (i for i, seat in enumerate(seats) if ids.index(seat[0].id) > place),
                    len(seats),
                )
        return seats[start:] + seats[:start]

    # -- timers -------------------------------------------------------------

    def step_elapsed(self, index: int | None = None) -> float:
        """Seconds the step's timer has counted."""
        timer = self.live.timers[self.live.step if index is None else index]
        running = (
            (self.clock() - timer.running_since).total_seconds() if timer.running_since else 0.0
        )
        return timer.elapsed + max(running, 0.0)

    def step_remaining(self, index: int | None = None) -> float:
        """Seconds left in the time box; negative when over time."""
        step = self.steps[self.live.step if index is None else index]
        return (step.minutes or 0) * 60 - self.step_elapsed(index)

    def is_over_time(self) -> bool:
        return self.step_remaining() < 0

    @property
    def timer_running(self) -> bool:
        return self.live.timers[self.live.step].running_since is not None

    def turn_elapsed(self) -> float | None:
        """How long the current speaker has spoken in this round.

        Summed over their turns in the round, so a turn suspended by a pause,
        a step change or a restart goes on from where it was, without the
        time in between.
        """
        speaker = self.live.speaker
        if speaker is None:
            return None
        now = self.clock()
        return sum(
            max(((earlier.ended_at or now) - earlier.started_at).total_seconds(), 0.0)
            for earlier in self._round_turns()
            if earlier.speaker == speaker
        )

    def turn_remaining(self) -> float | None:
        """Seconds left of the gentle per-speaker limit, if the step has one."""
        elapsed = self.turn_elapsed()
        limit = self.step.seconds_per_turn
        if elapsed is None or limit is None:
            return None
        return limit - elapsed

    def speaking_time(self) -> dict[str, float]:
        """Member id → seconds spoken in the whole session (passes excluded)."""
        spoken = facts.speaking(self.session, until=self.clock())
        return {member: times.seconds for member, times in spoken.items()}

    def pass_counts(self) -> dict[str, int]:
        spoken = facts.speaking(self.session, until=self.clock())
        return {member: times.passes for member, times in spoken.items()}

    def _pause_timer(self, index: int, now: datetime) -> None:
        timer = self.live.timers[index]
        if timer.running_since is not None:
            counted = timer.elapsed + max((now - timer.running_since).total_seconds(), 0.0)
            # A timer forgotten for weeks stops at the bound a file may hold.
            timer.elapsed = min(counted, MAX_ELAPSED)
            timer.running_since = None

    def toggle_timer(self) -> bool:
        """Start or pause the step timer. Returns True when it now runs.

        The speaker's clock goes with it: paused, their turn is suspended (they
        keep the floor, the pause is not speaking time); started, it goes on.
        """
        self._require_running()
        with self._change("timer") as now:
            timer = self.live.timers[self.live.step]
            if timer.running_since is None:
                timer.running_since = now
                self._continue_turn(now)
            else:
                self._pause_timer(self.live.step, now)
                self._suspend_turn(now)
            return timer.running_since is not None

    def pause_all_timers(self, at: datetime | None = None) -> None:
        """Stop every clock at ``at`` (default: the last saved change).

        Quitting stops them now, so the time they ran is kept; resuming after
        a crash stops them at the last change on disk, so the time the app was
        down does not count. The speaker keeps the floor, but their turn is
        closed there (:meth:`resume` opens a fresh one). Not undoable: undo
        must never restart a clock from an instant before the app was closed.
        """
        now = at or self.session.updated_at
        if not any(timer.running_since for timer in self.live.timers) and not self._current_turn():
            return
        with self._outside_undo():
            for index in range(len(self.live.timers)):
                self._pause_timer(index, now)
            self._suspend_turn(now)
            self._touch()
            self.changes = Changes()  # clocks and turns: no card
        self._notify()

    def resume(self) -> None:
        """Reopen a saved session: every clock stopped where the file left it.

        The speaker keeps the floor, but neither the step timer nor their
        speaking time counts until F5 (the room may need a moment).
        """
        self.pause_all_timers()

    # -- the session's life -------------------------------------------------

    @property
    def started(self) -> bool:
        return self.live.started

    @property
    def ended(self) -> bool:
        return self.live.ended

    def begin(self) -> None:
        """Start the meeting: the opening step begins, its timer runs."""
        if self.live.started:
            raise DomainError("already_started")
        if not self.members:
            raise DomainError("no_members")
        with self._change("begin") as now:
            self.live.started = True
            self._enter_step(0, now)

    def _require_started(self) -> None:
        if not self.live.started:
            raise DomainError("not_started")

    def _require_running(self) -> None:
        """Started and not yet finished: the floor and the clocks are in use."""
        self._require_started()
        if self.live.ended:
            raise DomainError("ended")

    def require_turns(self) -> None:
        """The current step gives the floor to people (not a break): else a kind's own words."""
        kind = self.step.kind
        if not spec(kind).takes_turns:
            raise DomainError("no_turns", section=f"step.{kind.value}")

    def _require_cards(self) -> None:
        """The current step records cards (not a break)."""
        kind = self.step.kind
        if not spec(kind).takes_cards:
            raise DomainError("no_cards", section=f"step.{kind.value}")

    def _suspended_turn(self) -> Turn | None:
        """The floor holder's turn, stopped with the clock but not finished."""
        speaker = self.live.speaker
        for turn in reversed(self._round_turns()):
            if turn.speaker == speaker:
                return turn if turn.ended_at is not None and turn.outcome is None else None
        return None

    def _end_turn(self, now: datetime, outcome: Outcome) -> None:
        """The floor holder has finished: their turn gets its outcome; the floor is open."""
        turn = self._current_turn()
        if turn is not None:
            turn.ended_at = now
            turn.outcome = outcome
        else:
            suspended = self._suspended_turn()
            if suspended is not None:
                suspended.outcome = outcome  # ended when the clock stopped
        self.live.speaker = None
        self.live.hold = False

    def _suspend_turn(self, now: datetime) -> None:
        """Stop the speaker's clock; they keep the floor (F5 or coming back goes on)."""
        turn = self._current_turn()
        if turn is not None:
            turn.ended_at = max(now, turn.started_at)

    def _continue_turn(self, now: datetime) -> None:
        """The clock runs again: the floor holder's suspended turn goes on."""
        if self._current_turn() is None and self._suspended_turn() is not None:
            self._append_turn(self.live.speaker or "", now, continues=True)

    def _start_turn(self, member_id: str, now: datetime) -> None:
        """Give ``member_id`` the floor; their time counts only while the step's clock runs."""
        self.live.speaker = member_id
        self.live.hold = False
        turn = self._append_turn(member_id, now)
        if not self.timer_running:
            turn.ended_at = now  # suspended from the start: F5 sets it going

    def _append_turn(self, member_id: str, now: datetime, *, continues: bool = False) -> Turn:
        turn = Turn(
            speaker=member_id,
            step=self.live.step,
            question=self._question_key(),
            round=self.live.round,
            started_at=now,
            continues=continues,
        )
        journal.append(self.session.turns, turn)
        return turn

    def _leave_step(self, now: datetime) -> None:
        if self.step.turns is TurnMode.ROUND:
            # Leaving is not speaking: the speaker keeps their place in this
            # step's round and has the floor again when the room comes back.
            self._suspend_turn(now)
            self.live.speaker = None
            self.live.hold = False
        else:
            self._end_turn(now, Outcome.SPOKE)
        self._pause_timer(self.live.step, now)
        for visit in self.session.step_log:
            if visit.ended_at is None:
                visit.ended_at = now

    def _enter_step(self, index: int, now: datetime) -> None:
        live = self.live
        live.step = index
        # Coming back to a step resumes where it was: its last question and round.
        live.question = max(
            (question or 0 for step, question, _ in self._turns_by_round() if step == index),
            default=0,
        )
        live.round = self._latest_round(index, live.question)
        journal.append(self.session.step_log, StepVisit(step=index, started_at=now))
        live.timers[index].running_since = now
        if spec(self.step.kind).takes_target:
            picked = [trouble.id for trouble in self.troubles() if trouble.picked]
            if live.target not in picked:
                live.target = picked[0] if picked else None
        if self.step.turns is TurnMode.ROUND:
            left = self._left_mid_turn()
            if left is not None:
                live.speaker = left
                self._continue_turn(now)
            else:
                self._start_next_in_round(now, after=None)

    def _left_mid_turn(self) -> str | None:
        """Who had the floor when this step's round was left, if their turn is unfinished."""
        turns = self._round_turns()
        last = turns[-1] if turns else None
        return last.speaker if last is not None and last.outcome is None else None

    def _latest_round(self, step: int, question: int) -> int:
        """The round a question of a step is in (1 when nobody has spoken to it yet)."""
        return max(
            (
                number
                for at, asked, number in self._turns_by_round()
                if at == step and (asked or 0) == question
            ),
            default=1,
        )

    def _start_next_in_round(
        self, now: datetime, after: str | None, *, next_question: bool = True
    ) -> None:
        """Give the floor to the next member without a turn this round.

        When everyone has had one, the next question (if any, and if
        ``next_question``) continues its own round with whoever has not
        answered it yet. On a step without turns (a break) nobody gets the floor.
        """
        if not spec(self.step.kind).takes_turns:
            return
        waiting = {m.id for m in self.not_yet_spoken()}
        for seat in self._seats_after(after):
            if seat[0].id in waiting:
                self._start_turn(seat[0].id, now)
                return
        if next_question and self.live.question + 1 < len(self.questions):
            self.live.question += 1
            self.live.round = self._latest_round(self.live.step, self.live.question)
            self._start_next_in_round(now, after=None)

    def go_to_step(self, index: int, record: str | Draft | None = None) -> None:
        """Move to any step; nothing recorded is lost, and undo brings you back.

        ``record``: what was typed before the key, recorded first for whoever
        had the floor on the step being left (one change, one undo).
        """
        self._require_started()
        if not 0 <= index < len(self.steps):
            raise DomainError("no_step", number=index + 1, count=len(self.steps))
        pending = self._pending(record)
        label = self._labelled("step", pending, title=self._step_title(index))
        with self._change(**label) as now:
            self._record_pending(pending, now)
            self._leave_step(now)
            self.live.ended = False
            self._enter_step(index, now)

    def next_step(self, record: str | Draft | None = None) -> None:
        """The next step; after the last one, the session ends (the summary)."""
        self._require_started()
        if self.live.ended:
            raise DomainError("last_step")
        if self.live.step + 1 >= len(self.steps):
            self.finish(record)
        else:
            self.go_to_step(self.live.step + 1, record)

    def previous_step(self, record: str | Draft | None = None) -> None:
        self._require_started()
        if self.live.ended:
            # Back from the summary reopens the last step.
            self.go_to_step(self.live.step, record)
        elif self.live.step == 0:
            raise DomainError("first_step")
        else:
            self.go_to_step(self.live.step - 1, record)

    def finish(self, record: str | Draft | None = None) -> None:
        """End the meeting: turns closed, timers stopped."""
        self._require_running()
        pending = self._pending(record)
        with self._change(**self._labelled("finish", pending)) as now:
            self._record_pending(pending, now)
            self._end_turn(now, Outcome.SPOKE)  # the meeting is over: their turn too
            self._leave_step(now)
            self.live.ended = True

    @staticmethod
    def _labelled(what: str, pending: Draft | None, **context: str) -> dict[str, str]:
        """The undo label of a change, with the card typed before it, if any."""
        if pending is None:
            return {"what": what, **context}
        return {"what": f"record_and_{what}", "text": _short(pending.text), **context}

    # -- speakers -----------------------------------------------------------

    def advance_speaker(self, record: str | Draft | None = None) -> None:
        """The current speaker has spoken; the next one in seat order takes the floor.

        In a free step the floor is simply open again. When nobody is speaking
        in a round step, this starts the round, or a new round if all have spoken.
        ``record``: what was typed while they had the floor, recorded for them
        first (one change, one undo).
        """
        self._require_running()
        self.require_turns()
        pending = self._pending(record)
        if self.live.speaker is None and self.step.turns is not TurnMode.ROUND:
            raise DomainError("no_speaker")  # the floor is open already
        new_round = (
            self.step.turns is TurnMode.ROUND
            and self.live.speaker is None
            and not self.not_yet_spoken()
        )
        if new_round and self.live.round >= MAX_ROUND:
            raise DomainError("too_many_rounds", max=MAX_ROUND)
        with self._change(**self._labelled("speaker", pending)) as now:
            self._record_pending(pending, now)
            current = self.live.speaker
            self._end_turn(now, Outcome.SPOKE)
            if self.step.turns is TurnMode.ROUND:
                if new_round:
                    self.live.round += 1
                self._start_next_in_round(now, after=current)

    def pass_turn(self, record: str | Draft | None = None) -> None:
        """The current speaker passes (パス); the turn moves on as with next.

        ``record``: text typed while they had the floor, recorded for them first.
        """
        self._require_running()
        self.require_turns()
        if self.live.speaker is None:
            raise DomainError("no_speaker")
        pending = self._pending(record)
        with self._change(**self._labelled("speaker", pending)) as now:
            self._record_pending(pending, now)
            current = self.live.speaker
            self._end_turn(now, Outcome.PASSED)
            if self.step.turns is TurnMode.ROUND:
                self._start_next_in_round(now, after=current)

    def choose_speaker(self, member_id: str, record: str | Draft | None = None) -> None:
        """Give the floor to someone out of turn (a raised hand).

        On a free step the floor returns to everyone after their next card;
        choosing the one who has the floor again keeps it with them for
        several cards (until F2 or another choice). ``record``: text typed
        while the previous holder had the floor, recorded for them first.
        """
        self._require_running()
        self.require_turns()
        self.member(member_id)
        pending = self._pending(record)
        again = member_id == self.live.speaker
        if again and pending is None and self.live.hold == (self.step.turns is not TurnMode.ROUND):
            return  # nothing would change: no empty step for Ctrl+Z to take back
        with self._change(**self._labelled("speaker", pending)) as now:
            self._record_pending(pending, now)
            if again:
                self.live.hold = self.step.turns is not TurnMode.ROUND
                return
            self._end_turn(now, Outcome.SPOKE)
            self._start_turn(member_id, now)

    def _pending(self, record: str | Draft | None) -> Draft | None:
        """What was typed before a speaker key, checked before anything changes."""
        draft = Draft(record) if isinstance(record, str) else record
        if draft is None or not draft.text.strip():
            return None
        self._require_started()
        self._require_cards()
        return draft

    def _record_pending(self, draft: Draft | None, now: datetime) -> None:
        if draft is not None:
            self._add_card(
                now,
                draft.text.strip(),
                self.live.speaker,
                self._current_target(),
                runs_by=draft.runs_by,
                place=draft.place,
            )

    def set_question(self, index: int) -> None:
        """Jump to another question of this step; it continues its own round.

        The question chosen stays chosen: when everyone has answered it, nobody
        gets the floor until F2 starts a new round.
        """
        self._require_running()
        if not 0 <= index < len(self.questions):
            raise DomainError("no_question", number=index + 1, count=len(self.questions))
        with self._change("question") as now:
            self._end_turn(now, Outcome.SPOKE)
            self.live.question = index
            self.live.round = self._latest_round(self.live.step, index)
            if self.step.turns is TurnMode.ROUND:
                self._start_next_in_round(now, after=None, next_question=False)

    # -- cards --------------------------------------------------------------

    def _next_id(self, prefix: str, items: list[Any]) -> str:
        """One more than the highest ``<prefix><number>`` id among ``items``.

        Items are only ever appended (or the list replaced, or shortened by
        undo), so the count is carried on from the last call when the list is
        the same and still holds the item that was last then.
        """
        start, highest = 0, 0
        known = self._ids.get(prefix)
        if known is not None:
            seen, length, last, number = known
            if seen is items and len(items) >= length > 0 and items[length - 1] is last:
                start, highest = length, number
        for item in items[start:]:
            digits = item.id[len(prefix) :]
            if digits.isdigit():
                highest = max(highest, int(digits))
        if items:
            self._ids[prefix] = (items, len(items), items[-1], highest)
        return f"{prefix}{highest + 1}"

    def record_card(
        self,
        text: str,
        *,
        speaker: str | None = CURRENT,
        answers: str | None = CURRENT,
        runs_by: str = "",
        place: str = "",
    ) -> Card:
        """Record what was said as a card: by default for the current speaker.

        ``speaker=None`` records an unsigned card (全体). On an exchange step
        the card answers the current question and the trouble being discussed.
        """
        self._require_started()
        self._require_cards()
        text = text.strip()
        if not text:
            raise DomainError("empty_text")
        who = self.live.speaker if speaker is CURRENT else speaker
        if who is not None:
            self.member(who)
        target = self._current_target() if answers is CURRENT else answers
        if target is not None:
            self._trouble_exists(target)
        with self._change("record", text=_short(text)) as now:
            card = self._add_card(now, text, who, target, runs_by=runs_by, place=place)
            if (
                speaker is CURRENT
                and who is not None
                and self.step.turns is not TurnMode.ROUND
                and not self.live.hold
                and self.live.started
                and not self.live.ended
            ):
                # A raised hand is for one contribution: the next card is
                # everyone's unless the floor is kept (F4 on them again).
                self._end_turn(now, Outcome.SPOKE)
            return card

    def _current_target(self) -> str | None:
        # Only an exchange answer goes with the trouble being discussed;
        # a share card recorded later must not turn into an answer.
        return self.live.target if spec(self.step.kind).takes_target else None

    def _add_card(
        self,
        now: datetime,
        text: str,
        who: str | None,
        target: str | None,
        *,
        runs_by: str = "",
        place: str = "",
    ) -> Card:
        card = Card(
            id=self._next_id("c", self.session.cards),
            step=self.live.step,
            kind=self.step.kind,
            text=text,
            speaker=who,
            question=self._question_key(),
            answers=target,
            runs_by=runs_by.strip(),
            place=place.strip(),
            table=self._table_of(who) if spec(self.step.kind).by_table else None,
            created_at=now,
        )
        journal.append(self.session.cards, card)
        return card

    def _table_of(self, member_id: str | None) -> str | None:
        """The table a member sits at now (None: unsigned, or no table)."""
        member = self.session.member(member_id)
        return member.table.strip() if member is not None and member.table.strip() else None

    def edit_card(
        self,
        card_id: str,
        text: str | None = None,
        *,
        speaker: str | None = CURRENT,
        runs_by: str | None = None,
        place: str | None = None,
    ) -> None:
        """Change a card's text (and optionally speaker, example details)."""
        card = self.card(card_id)
        if text is not None and not text.strip():
            raise DomainError("empty_text")
        if speaker is not CURRENT and speaker is not None:
            self.member(speaker)
        with self._change("edit", text=_short(card.text)) as now:
            card = self.card(card_id)
            # Models do not validate on assignment: clean as a new card would be.
            if text is not None:
                card.text = visible_controls(text.strip())
            if speaker is not CURRENT:
                card.speaker = speaker
                # A corrected speaker's words were presented for their table;
                # corrected to everyone (全体), they stay with the table they were.
                table = self._table_of(speaker)
                if spec(card.kind).by_table and table is not None:
                    card.table = table
            if runs_by is not None:
                card.runs_by = visible_controls(runs_by.strip())
            if place is not None:
                card.place = visible_controls(place.strip())
            card.edited_at = now

    def delete_card(self, card_id: str) -> None:
        """Remove a card; groups and answers that pointed at it let go of it."""
        gone = self.card(card_id)
        with self._change("delete", text=_short(gone.text)):
            s = self.session
            at = next(i for i in range(len(s.cards) - 1, -1, -1) if s.cards[i] is gone)
            s.cards = s.cards[:at] + s.cards[at + 1 :]  # a new list: undo puts the old one back
            self._cards_by_id.taken_out(s.cards, gone)
            for group in s.groups:
                group.cards = [c for c in group.cards if c != card_id]
            if self._cards_by_id.answered(s.cards, card_id):
                for card in s.cards:
                    if card.answers == card_id:
                        card.answers = None
            if self.live.target == card_id:
                self.live.target = None

    def mark_resource(
        self, card_id: str, resource: Resource | None, *, runs_by: str | None = None
    ) -> None:
        """Attach (or with None, remove) resource details to a card.

        ``runs_by``: who runs it, kept on the card (the form shows it beside the
        details); one change, so one Ctrl+Z takes back the whole form.
        """
        self.card(card_id)
        with self._change("resource", text=_short(self.card(card_id).text)):
            card = self.card(card_id)
            card.resource = resource
            if runs_by is not None:
                card.runs_by = visible_controls(runs_by.strip())

    # -- pick: groups, votes, picked ----------------------------------------

    def troubles(self) -> list[Trouble]:
        """Everything that can be voted on: groups, then ungrouped share and pick cards.

        Sorted by votes (most first), stable in recorded order otherwise
        (the rule is :func:`chie_kokan.facts.troubles`, shared with the minutes).
        """
        return facts.troubles(self.session)

    def picked_troubles(self) -> list[Trouble]:
        return [trouble for trouble in self.troubles() if trouble.picked]

    def _trouble_exists(self, target: str) -> Card | Group:
        group = self.group(target)
        if group is not None:
            return group
        for card in self.session.cards:
            if card.id == target:
                return card
        raise DomainError("unknown_target", target=target)

    def _votable(self, target: str) -> Card | Group:
        """What a vote or a ★ on ``target`` counts for: a grouped card's group.

        Once cards are grouped the room votes on the group; the card's own
        count would be shown nowhere and counted by nobody.
        """
        item = self._trouble_exists(target)
        if isinstance(item, Card):
            for group in self.session.groups:
                if item.id in group.cards:
                    return group
        return item

    def _require_pick(self) -> None:
        self._require_started()
        if not spec(self.step.kind).takes_votes:
            raise DomainError("not_pick")

    def group_cards(self, title: str, card_ids: list[str]) -> Group:
        """Gather cards under a title; a card leaves any group it was in."""
        self._require_pick()
        if not card_ids:
            raise DomainError("empty_group")
        if not title.strip():
            raise DomainError("empty_text")
        for card_id in card_ids:
            self.card(card_id)
        with self._change("group", title=_short(title)):
            for group in self.session.groups:
                group.cards = [c for c in group.cards if c not in card_ids]
            group = Group(
                id=self._next_id("g", self.session.groups),
                step=self.live.step,
                title=title.strip(),
                cards=list(dict.fromkeys(card_ids)),
            )
            journal.append(self.session.groups, group)
            return group

    def ungroup(self, group_id: str) -> None:
        """Dissolve a group; its cards stand on their own again."""
        if self.group(group_id) is None:
            raise DomainError("unknown_target", target=group_id)
        with self._change("ungroup", title=_short(self._title_of(group_id))):
            self.session.groups = [g for g in self.session.groups if g.id != group_id]
            for card in self.session.cards:
                if card.answers == group_id:
                    card.answers = None
            if self.live.target == group_id:
                self.live.target = None

    def _title_of(self, target: str) -> str:
        item = self._trouble_exists(target)
        return item.title if isinstance(item, Group) else item.text

    def _step_title(self, index: int) -> str:
        step = self.steps[index]
        return _short(step.title or t(f"step.{step.kind.value}.title"))

    def set_votes(self, target: str, count: int) -> int:
        """Set the votes from a count of raised hands (typed: ``6``)."""
        self._require_pick()
        item = self._votable(target)
        if count < 0:
            raise DomainError("negative_votes")
        if count > MAX_VOTES:
            raise DomainError("too_many_votes", max=MAX_VOTES)
        with self._change("vote", title=_short(self._title_of(target))):
            item = self._votable(target)
            item.votes = count
            return item.votes

    def vote(self, target: str, delta: int = 1) -> int:
        """Add (or with a negative delta, remove) votes from a show of hands."""
        self._require_pick()
        item = self._votable(target)
        if item.votes + delta < 0:
            raise DomainError("negative_votes")
        if item.votes + delta > MAX_VOTES:
            raise DomainError("too_many_votes", max=MAX_VOTES)
        with self._change("vote", title=_short(self._title_of(target))):
            item = self._votable(target)
            item.votes += delta
            return item.votes

    def set_picked(self, target: str, picked: bool | None = None) -> bool:
        """Mark a trouble picked (★) or not; None toggles. Returns the new state."""
        self._require_pick()
        item = self._votable(target)
        with self._change("pick", title=_short(self._title_of(target))):
            item = self._votable(target)
            item.picked = (not item.picked) if picked is None else picked
            return item.picked

    def set_target(self, target: str | None) -> None:
        """Which picked trouble the exchange is answering now."""
        if target is not None:
            self._trouble_exists(target)
        with self._change("target"):
            self.live.target = target

    # -- actions and setup --------------------------------------------------

    def add_action(self, what: str, who: str = "", due: str = "") -> ActionItem:
        """Record an action item: who does what by when."""
        self._require_started()
        if not what.strip():
            raise DomainError("empty_action")
        with self._change("action", text=_short(what)) as now:
            item = ActionItem(
                id=self._next_id("a", self.session.actions),
                what=what.strip(),
                who=who.strip(),
                due=due.strip(),
                step=self.live.step,
                created_at=now,
            )
            journal.append(self.session.actions, item)
            return item

    def delete_action(self, action_id: str) -> None:
        if not any(a.id == action_id for a in self.session.actions):
            raise DomainError("unknown_target", target=action_id)
        with self._change("delete_action"):
            self.session.actions = [a for a in self.session.actions if a.id != action_id]

    def report_on(
        self, item: ReportItem, status: ReportStatus | None, note: str = ""
    ) -> ReportItem:
        """前回からの報告: mark an earlier session's action 済 / 継続 / 中止, with a note.

        Kept in this session (the earlier file is never touched). Status None
        with no note takes the mark away: the item is again not discussed.
        """
        same = (item.from_session, item.id)
        with self._change("report", text=_short(item.what)):
            reported = item.model_copy(update={"status": status, "note": note.strip()})
            kept = [i for i in self.session.report_back if (i.from_session, i.id) != same]
            if status is not None or reported.note:
                kept.append(reported)
            self.session.report_back = kept
            return reported

    def tables(self) -> list[str]:
        """The tables members sit at, in the seat order of their first member."""
        if not any(table_key(m.table) for m in self.members):
            return []
        return [seat[0].table.strip() for seat in round_seats(self.members, by_table=True)]

    def add_walk_in(self, name: str, organization: str = "", table: str = "") -> Member:
        """Someone not on the roster joins; they take the last seat (at ``table``, if any)."""
        if not name.strip():
            raise DomainError("empty_text")
        with self._change("walk_in", name=_short(name)):
            member = Member(
                id=self._next_id("p", self.members),
                name=name.strip(),
                organization=organization.strip(),
                walk_in=True,
                table=table.strip(),
            )
            journal.append(self.session.members, member)
            return member

    def update_details(self, **fields: Any) -> None:
        """Set session-level details: place, table, roles, observers, status, public."""
        allowed = {"place", "table", "roles", "secretariat", "observers", "public", "status"}
        allowed |= {"author", "next_meeting"}  # the minutes fields (issue 9)
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"not session details: {sorted(unknown)}")
        # Validated like a file: a value the file could not hold is refused now,
        # not discovered when the session is next opened.
        try:
            updated = Session.model_validate({**self.session.model_dump(), **fields})
        except ValidationError as error:
            field = ".".join(str(part) for part in error.errors()[0]["loc"])
            raise DomainError("bad_detail", field=field) from None
        with self._change("details"):
            self.session = updated

    def approve(self, by: str) -> bool:
        """Approve the minutes (案 → 確定) by ``by``, now; undoable like any change.

        Returns False when they were approved already (nothing changes, as
        ``chie-kokan approve`` does). Approving is not a change that returns
        approved minutes to 案: they were a 案 until now.
        """
        name = by.strip()
        if not name:
            raise DomainError("empty_approver")
        if self.session.status is Status.APPROVED and self.session.approval is not None:
            return False
        with self._change("approve", name=_short(name)) as now:
            self.session.status = Status.APPROVED
            self.session.approval = Approval(by=name, at=now)
        return True
