"""The session: what happened in one meeting (``sessions/*.toml``), written by the app.

Self-contained: it embeds the scenario it ran, so minutes can be made from
this file alone, years later, even if the scenario file changed or is gone.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field, model_validator

from chie_kokan.models.base import Strict, domain_error
from chie_kokan.models.scenario import Scenario, StepKind

SESSION_SCHEMA = 1

Stamp = AwareDatetime
"""Every instant carries its time zone: minutes state local time unambiguously."""


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"


class Outcome(StrEnum):
    SPOKE = "spoke"
    PASSED = "passed"


class Roles(Strict):
    """Who does what in the room. Names, free text (a member or someone else)."""

    facilitator: str = ""
    """司会"""
    timekeeper: str = ""
    board_writer: str = ""
    """板書"""
    minute_taker: str = ""
    """記録"""


class Member(Strict):
    """A person present, in seat order (the list order is the seat order)."""

    id: str
    """Stable id used by cards and turns (``p1``, ``p2``…)."""
    name: str
    organization: str = ""
    role: str = ""
    walk_in: bool = False
    """Came without being on the scenario's roster."""


class Resource(Strict):
    """A local resource (地域資源) learned about in the meeting."""

    name: str
    category: str = ""
    serves: str = ""
    """Who it serves."""
    when: str = ""
    where: str = ""
    fee: str = ""
    contact: str = ""
    offers: str = ""
    """What it offers."""
    publishable: bool = False
    """Permission to publish given."""
    checked: str = ""
    """When the details were last checked (free text or a date)."""


class Card(Strict):
    """One thing said, one card (the sticky note)."""

    id: str
    step: int
    """Index into the scenario's steps."""
    kind: StepKind
    text: str
    speaker: str | None = None
    """Member id; none for an unsigned card (全体)."""
    question: int | None = None
    """Index into the step's questions, for answers to ①②③."""
    answers: str | None = None
    """Id of the picked trouble (card or group) this card answers."""
    votes: Annotated[int, Field(ge=0)] = 0
    picked: bool = False
    runs_by: str = ""
    """Success examples: who runs it."""
    place: str = ""
    """Success examples: where."""
    resource: Resource | None = None
    created_at: Stamp
    edited_at: Stamp | None = None


class Group(Strict):
    """Cards gathered under a title (KJ method), on a pick step."""

    id: str
    step: int
    title: str
    cards: list[str] = []
    votes: Annotated[int, Field(ge=0)] = 0
    picked: bool = False


class Turn(Strict):
    """One speaker's turn."""

    speaker: str
    step: int
    question: int | None = None
    round: int = 1
    started_at: Stamp
    ended_at: Stamp | None = None
    outcome: Outcome | None = None
    """None while the turn is running."""


class ActionItem(Strict):
    """Who does what by when; reported back at the next session's opening."""

    id: str
    what: str
    who: str = ""
    due: str = ""
    step: int
    done: bool = False
    created_at: Stamp


class StepVisit(Strict):
    """The step log: each time a step was entered and left."""

    step: int
    started_at: Stamp
    ended_at: Stamp | None = None


class StepTimer(Strict):
    """A step's time box, kept as instants so it survives restarts exactly."""

    elapsed: float = 0.0
    """Seconds counted before ``running_since``."""
    running_since: Stamp | None = None
    """Set while the timer runs."""


class Live(Strict):
    """The state a second screen needs to follow the room."""

    started: bool = False
    ended: bool = False
    step: int = 0
    question: int = 0
    round: int = 1
    speaker: str | None = None
    target: str | None = None
    """On exchange steps: the picked trouble (card or group id) being answered."""
    timers: list[StepTimer] = []
    """One per step, in step order."""


class Session(Strict):
    """One meeting (or one table of it)."""

    schema_version: int = Field(SESSION_SCHEMA, alias="schema")
    id: str
    scenario: Scenario
    created_at: Stamp
    updated_at: Stamp
    place: str = ""
    table: str = ""
    """Table name when several tables run at once."""
    roles: Roles = Roles()
    secretariat: str = ""
    """事務局"""
    observers: Annotated[int, Field(ge=0)] = 0
    """傍聴者の人数"""
    public: bool = True
    """公開 / 非公開"""
    status: Status = Status.DRAFT
    members: list[Member] = []
    step_log: list[StepVisit] = []
    cards: list[Card] = []
    groups: list[Group] = []
    turns: list[Turn] = []
    actions: list[ActionItem] = []
    live: Live = Live()

    @model_validator(mode="after")
    def _references_hold(self) -> Session:
        # A hand-edited file must not smuggle in dangling ids: every screen and
        # export relies on them.
        members = {m.id for m in self.members}
        last = len(self.scenario.flow) - 1
        cards = {c.id for c in self.cards}
        groups = {g.id for g in self.groups}

        def step_ok(index: int) -> None:
            if not 0 <= index <= last:
                raise domain_error("step_out_of_range", index=index, last=last)

        for card in self.cards:
            step_ok(card.step)
            if card.speaker is not None and card.speaker not in members:
                raise domain_error("bad_reference", ref=card.speaker, what="member")
            if card.answers is not None and card.answers not in cards | groups:
                raise domain_error("bad_reference", ref=card.answers, what="card")
        for group in self.groups:
            step_ok(group.step)
            for card_id in group.cards:
                if card_id not in cards:
                    raise domain_error("bad_reference", ref=card_id, what="card")
        for turn in self.turns:
            step_ok(turn.step)
            if turn.speaker not in members:
                raise domain_error("bad_reference", ref=turn.speaker, what="member")
        for visit in self.step_log:
            step_ok(visit.step)
        step_ok(self.live.step)
        if self.live.speaker is not None and self.live.speaker not in members:
            raise domain_error("bad_reference", ref=self.live.speaker, what="member")
        return self

    def member(self, member_id: str | None) -> Member | None:
        """The member with this id, or None (unsigned)."""
        return next((m for m in self.members if m.id == member_id), None)

    @property
    def started_at(self) -> datetime | None:
        return self.step_log[0].started_at if self.step_log else None

    @property
    def ended_at(self) -> datetime | None:
        ends = [v.ended_at for v in self.step_log if v.ended_at]
        return max(ends) if self.live.ended and ends else None
