"""The session: what happened in one meeting (``sessions/*.toml``), written by the app.

Self-contained: it embeds the scenario it ran, so minutes can be made from
this file alone, years later, even if the scenario file changed or is gone.
"""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import Field, StrictBool, StrictInt, model_validator

from chie_kokan.models.base import Strict, Text, domain_error
from chie_kokan.models.bounds import Elapsed, Observers, RoundNumber, Stamp, Votes
from chie_kokan.models.ids import SessionId
from chie_kokan.models.scenario import NonBlank, Scenario, StepKind

SESSION_SCHEMA = 1

# Strict: a hand-edited ``votes = "3"`` or ``public = "yes"`` is reported, not
# silently converted (pydantic's lax mode would accept both). Indexes are
# checked against the scenario below; every other number has its bounds.
Index = Annotated[StrictInt, Field(ge=0)]


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"


class Outcome(StrEnum):
    SPOKE = "spoke"
    PASSED = "passed"


class Roles(Strict):
    """Who does what in the room. Names, free text (a member or someone else)."""

    facilitator: Text = ""
    """司会"""
    timekeeper: Text = ""
    board_writer: Text = ""
    """板書"""
    minute_taker: Text = ""
    """記録"""


ROLES: tuple[str, ...] = tuple(Roles.model_fields)
"""The roles by field name, in the order setup asks for them and the minutes list them."""


class Member(Strict):
    """A person present, in seat order (the list order is the seat order)."""

    id: Text
    """Stable id used by cards and turns (``p1``, ``p2``…)."""
    name: Text
    organization: Text = ""
    role: Text = ""
    walk_in: StrictBool = False
    """Came without being on the scenario's roster."""
    table: Text = ""
    """The table they sit at ("" none; older files have none): a report step's
    round goes by table (see ``engine.round_seats``)."""


class Resource(Strict):
    """A local resource (地域資源) learned about in the meeting."""

    name: Text
    category: Text = ""
    serves: Text = ""
    """Who it serves."""
    when: Text = ""
    where: Text = ""
    fee: Text = ""
    contact: Text = ""
    offers: Text = ""
    """What it offers."""
    publishable: StrictBool = False
    """Permission to publish given."""
    checked: Text = ""
    """When the details were last checked (free text or a date)."""


class Card(Strict):
    """One thing said, one card (the sticky note)."""

    id: Text
    step: Index
    """Index into the scenario's steps."""
    kind: StepKind
    text: Text
    speaker: Text | None = None
    """Member id; none for an unsigned card (全体)."""
    question: Index | None = None
    """Index into the step's questions, for answers to ①②③."""
    answers: Text | None = None
    """Id of the picked trouble (card or group) this card answers."""
    votes: Votes = 0
    picked: StrictBool = False
    runs_by: Text = ""
    """Success examples: who runs it."""
    place: Text = ""
    """Success examples: where."""
    resource: Resource | None = None
    table: Text | None = None
    """Report steps: the table the words were presented for (the speaker's
    table when recorded, kept here so a later change of the member's table does
    not move them). None: no table (the minutes then take the session's);
    left out of the file then, so cards of other steps stay as they were."""
    created_at: Stamp
    edited_at: Stamp | None = None


class Group(Strict):
    """Cards gathered under a title (KJ method), on a pick step."""

    id: Text
    step: Index
    title: Text
    cards: list[Text] = []
    votes: Votes = 0
    picked: StrictBool = False


class Turn(Strict):
    """One speaker's turn."""

    speaker: Text
    step: Index
    question: Index | None = None
    round: RoundNumber = 1
    started_at: Stamp
    ended_at: Stamp | None = None
    """None while the speaker is talking and the step's clock runs."""
    outcome: Outcome | None = None
    """None while the turn is running, and while it is suspended (``ended_at``
    set): the clock was paused, the step left or the app closed with the
    speaker still holding the floor."""
    continues: StrictBool = False
    """This turn carries on the speaker's suspended one: the same turn in the
    round and in the counts, with the time in between left out."""


class ActionItem(Strict):
    """Who does what by when; reported back at the next session's opening."""

    id: Text
    what: Text
    who: Text = ""
    due: Text = ""
    step: Index
    done: StrictBool = False
    created_at: Stamp


class ReportStatus(StrEnum):
    """How a promised action stands when it is reported back (前回からの報告)."""

    DONE = "done"
    """済"""
    CONTINUES = "continues"
    """継続: carried forward to the next session."""
    DROPPED = "dropped"
    """中止"""


class ReportItem(Strict):
    """An action promised in an earlier session, as reported on in this one.

    A copy, not a reference: the earlier file is never changed, and this one
    reads alone years later.
    """

    id: Text
    """The action's id in the session that promised it."""
    what: Text
    who: Text = ""
    due: Text = ""
    from_session: Text
    """Id of the session where it was promised."""
    from_date: Stamp
    """When that session met (its meeting start)."""
    status: ReportStatus | None = None
    """None: not discussed yet (it carries forward, like 継続)."""
    note: Text = ""


class StepVisit(Strict):
    """The step log: each time a step was entered and left."""

    step: Index
    started_at: Stamp
    ended_at: Stamp | None = None


class StepTimer(Strict):
    """A step's time box, kept as instants so it survives restarts exactly."""

    elapsed: Elapsed = 0.0
    """Seconds counted before ``running_since``."""
    running_since: Stamp | None = None
    """Set while the timer runs."""


class Approval(Strict):
    """Who approved the minutes (案 → 確定), and when: ``chie-kokan approve``."""

    by: NonBlank
    """The name of whoever approved them (the chair, the secretariat), as typed."""
    at: Stamp
    """When they were approved; the minutes show its date."""


class NextMeeting(Strict):
    """次回開催予定: when and where the council meets next; every part optional."""

    date: dt.date | None = None
    time: dt.time | None = None
    """Start time (wall clock)."""
    place: Text = ""

    @property
    def empty(self) -> bool:
        return self.date is None and self.time is None and not self.place.strip()


class Live(Strict):
    """The state a second screen needs to follow the room."""

    started: StrictBool = False
    ended: StrictBool = False
    step: Index = 0
    question: Index = 0
    round: RoundNumber = 1
    speaker: Text | None = None
    target: Text | None = None
    """On exchange steps: the picked trouble (card or group id) being answered."""
    hold: StrictBool = False
    """Free steps: the speaker keeps the floor after each card (F4 on them again);
    otherwise the floor returns to everyone (全体) once their card is recorded."""
    timers: list[StepTimer] = []
    """One per step, in step order."""


class Session(Strict):
    """One meeting (or one table of it)."""

    schema_version: StrictInt = Field(SESSION_SCHEMA, alias="schema")
    id: SessionId
    """A safe file-name stem: the session file and its exports are named after it."""
    scenario: Scenario
    created_at: Stamp
    updated_at: Stamp
    place: Text = ""
    table: Text = ""
    """Table name when several tables run at once."""
    roles: Roles = Roles()
    secretariat: Text = ""
    """事務局"""
    observers: Observers = 0
    """傍聴者の人数"""
    public: StrictBool = True
    """公開 / 非公開"""
    status: Status = Status.DRAFT
    """draft: the minutes are a 案; approved: 確定 (see ``approval``)."""
    approval: Approval | None = None
    """Who approved the minutes and when; set with ``status`` by ``approve`` and
    cleared with it by any later change (older files have none)."""
    members: list[Member] = []
    step_log: list[StepVisit] = []
    cards: list[Card] = []
    groups: list[Group] = []
    turns: list[Turn] = []
    actions: list[ActionItem] = []
    live: Live = Live()
    # -- minutes fields (issue 9) --
    author: Text = ""
    """作成者: who wrote the minutes (Word's author in the internal version only)."""
    next_meeting: NextMeeting | None = None
    """次回開催予定 (older files have none)."""
    report_back: list[ReportItem] = []
    """Earlier sessions' actions reported on at this one's opening (older files: none)."""

    @model_validator(mode="after")
    def _references_hold(self) -> Session:
        # A hand-edited file must not smuggle in dangling ids or indexes: every
        # screen and export relies on them. Each error names the field it is
        # about (``cards[3].speaker``), so the message can point at its line.
        flow = self.scenario.flow
        last = len(flow) - 1

        def unique(items: list[Any], name: str) -> set[str]:
            seen: set[str] = set()
            for index, item in enumerate(items):
                if item.id in seen:
                    raise domain_error("duplicate_id", ref=item.id, at=(name, index, "id"))
                seen.add(item.id)
            return seen

        members = unique(self.members, "members")
        cards = unique(self.cards, "cards")
        groups = unique(self.groups, "groups")
        unique(self.actions, "actions")

        def step_ok(index: int, *at: int | str) -> None:
            if not 0 <= index <= last:
                raise domain_error(
                    "step_out_of_range", index=index, last=last, count=last + 1, at=at
                )

        def question_ok(step: int, question: int | None, *at: int | str) -> None:
            count = len(flow[step].questions or [])
            if question is not None and question >= count:
                raise domain_error("question_out_of_range", index=question, count=count, at=at)

        def member_ok(ref: str | None, *at: int | str) -> None:
            if ref is not None and ref not in members:
                raise domain_error("unknown_member", ref=ref, at=at)

        troubles = cards | groups

        def trouble_ok(ref: str | None, *at: int | str) -> None:
            if ref is not None and ref not in troubles:
                raise domain_error("unknown_trouble", ref=ref, at=at)

        for i, card in enumerate(self.cards):
            step_ok(card.step, "cards", i, "step")
            question_ok(card.step, card.question, "cards", i, "question")
            member_ok(card.speaker, "cards", i, "speaker")
            trouble_ok(card.answers, "cards", i, "answers")
        for i, group in enumerate(self.groups):
            step_ok(group.step, "groups", i, "step")
            for j, card_id in enumerate(group.cards):
                if card_id not in cards:
                    raise domain_error("unknown_card", ref=card_id, at=("groups", i, "cards", j))
        for i, turn in enumerate(self.turns):
            step_ok(turn.step, "turns", i, "step")
            question_ok(turn.step, turn.question, "turns", i, "question")
            member_ok(turn.speaker, "turns", i, "speaker")
        for i, action in enumerate(self.actions):
            step_ok(action.step, "actions", i, "step")
        for i, visit in enumerate(self.step_log):
            step_ok(visit.step, "step_log", i, "step")
        live = self.live
        step_ok(live.step, "live", "step")
        # Steps without questions keep question 0 in the live state.
        question_ok(live.step, live.question if live.question else None, "live", "question")
        member_ok(live.speaker, "live", "speaker")
        trouble_ok(live.target, "live", "target")
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
