"""The minutes as plain data: what every format (Markdown, HTML, Word) renders.

Built from one or more sessions (the tables of one meeting), read-only: the
sessions are never modified, no engine is constructed, and nothing here reads
the clock, so the same files always give the same minutes. Every text that
can carry a name passes through the :class:`Redactor`, so the public version
is decided in one place and the renderers cannot forget it.

The dataclasses below are the template variables; their docstrings are what
the default templates' header comments document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from chie_kokan import facts
from chie_kokan.export.formatting import (
    circled,
    format_date,
    format_duration,
    format_minutes,
    format_span,
)
from chie_kokan.export.redact import PublicHolders, Redactor, case_placeholder
from chie_kokan.i18n import Language, t, table_label
from chie_kokan.models import ROLES, Card, Member, Participant, Resource, Session, spec
from chie_kokan.models.session import NextMeeting  # minutes fields (issue 9)


@dataclass(frozen=True)
class Person:
    """An attendee or absentee. In the public version ``name`` and ``role`` are empty."""

    name: str
    organization: str
    role: str
    label: str
    """How the minutes name them: the name (internal) or the organisation (public)."""
    walk_in: bool = False


@dataclass(frozen=True)
class OrgCount:
    organization: str
    count: int


@dataclass(frozen=True)
class RoleEntry:
    label: str
    """司会, タイムキーパー, 板書, 記録."""
    holder: str


@dataclass(frozen=True)
class ResourceView:
    """A card's resource details as the minutes show them: the fields of ``Resource``.

    A dataclass, not the model, so that Markdown escaping reaches every text
    (render._escaped); built from the model's dump, so a field added to
    ``Resource`` and not here fails at once rather than going missing.
    """

    name: str
    category: str
    serves: str
    when: str
    where: str
    fee: str
    contact: str
    offers: str
    publishable: bool
    checked: str


@dataclass(frozen=True)
class CardView:
    id: str
    text: str
    speaker: str
    """Name (internal), organisation (public), or 全体 for an unsigned card."""
    organization: str
    votes: int
    picked: bool
    answers: str
    """Title of the picked trouble this card answers ("" if none)."""
    runs_by: str
    place: str
    resource: ResourceView | None


@dataclass(frozen=True)
class TroubleView:
    """Something voted on: a group (KJ method) or a single trouble card (share or pick)."""

    id: str
    title: str
    votes: int
    picked: bool
    is_group: bool
    cards: list[CardView]
    table: str
    """The table it came from (for the merged summary)."""


@dataclass(frozen=True)
class OrgIdeas:
    organization: str
    ideas: list[CardView]


@dataclass(frozen=True)
class QuestionIdeas:
    mark: str
    """①, ②… numbered across the whole session, as in the council's material."""
    text: str
    """The question ("" for answers recorded without one)."""
    organizations: list[OrgIdeas]


@dataclass(frozen=True)
class Closing:
    speaker: str
    organization: str
    texts: list[str]


@dataclass(frozen=True)
class ActionView:
    what: str
    who: str
    due: str
    done: bool
    step: str
    """Title of the step it was recorded in."""
    table: str


@dataclass(frozen=True)
class Speaking:
    label: str
    organization: str
    seconds: float
    duration: str
    turns: int
    """Turns in which the person spoke."""
    passes: int


@dataclass(frozen=True)
class TableCards:
    """A report step's cards presented for one table."""

    name: str
    """How the table is called (テーブルA, 東テーブル); "" when no table was given,
    or when every card is the session's own table (its section names it)."""
    cards: list[CardView]


@dataclass(frozen=True)
class StepMinutes:
    number: int
    kind: str
    """The step kind (``StepKind``): opening, share, pick, …"""
    shows: str
    """How its cards appear (``KindSpec.minutes_shows``): cards, troubles, results,
    questions, examples, closings, or line (one line, no heading)."""
    line: str
    """When ``shows`` is line: the step in one line, e.g. 休憩（10分）; else ""."""
    title: str
    prompt: str
    planned: str
    """The time box, formatted (15分 / 15 min)."""
    planned_minutes: int
    actual: str
    actual_minutes: int | None
    """None when the step was never reached."""
    time: str
    """When it ran, e.g. 14:05〜14:25 ("" when never reached)."""
    cards: list[CardView]
    """Every card recorded on this step, in order."""
    troubles: list[CardView]
    """share: the troubles shared."""
    results: list[TroubleView]
    """pick: the groups of this step and the ungrouped troubles, most votes first."""
    picked: list[TroubleView]
    """pick: the troubles picked to work on."""
    questions: list[QuestionIdeas]
    """exchange: ideas per question, grouped by organisation."""
    examples: list[CardView]
    """spread: the success examples."""
    closings: list[Closing]
    """reflect: each person's closing words, in seat order."""
    actions: list[ActionView]
    """Action items recorded during this step."""
    tables: list[TableCards] = field(default_factory=list)
    """report: the cards under each table they were presented for (a card
    without a table: the session's table), in order of each table's first card."""


@dataclass(frozen=True)
class CaseView:
    name: str
    summary: str
    details: list[str]
    redacted: bool


@dataclass(frozen=True)
class Counts:
    attendees: int = 0
    absentees: int = 0
    cards: int = 0
    troubles: int = 0
    picked: int = 0
    ideas: int = 0
    examples: int = 0
    actions: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            *(getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__)
        )


# -- minutes fields (issue 9) ------------------------------------------------


@dataclass(frozen=True)
class NextMeetingView:
    """次回開催予定. Every part may be ""."""

    date: str
    """令和9年1月15日（金） / Friday 15 January 2027."""
    date_iso: str
    time: str
    """14:00〜 / 14:00."""
    place: str
    text: str
    """All of it on one line, for a table cell."""


def _next_meeting(
    meeting: NextMeeting | None, redact: Redactor, lang: Language
) -> NextMeetingView | None:
    if meeting is None or meeting.empty:
        return None
    day = format_date(meeting.date, lang) if meeting.date else ""
    clock = ""
    if meeting.time is not None:
        clock = f"{meeting.time:%H:%M}" + ("〜" if lang == "ja" else "")
    place = redact(meeting.place.strip())
    text = " ".join(part for part in (day, clock, place) if part)
    iso = meeting.date.isoformat() if meeting.date else ""
    return NextMeetingView(day, iso, clock, place, text)


# -- end of minutes fields -----------------------------------------------------


@dataclass(frozen=True)
class TableMinutes:
    """One session: one table of the meeting."""

    name: str
    session_id: str
    """The session's id; empty in the public version."""
    title: str
    theme: str
    date: str
    date_iso: str
    time: str
    start: datetime
    """When the meeting started: the date and time set up (not when it was begun)."""
    end: datetime | None
    """When its last step ended; None while it runs, or if recorded on another day."""
    place: str
    public: bool
    status: str
    status_label: str
    observers: int
    secretariat: str
    roles: list[RoleEntry]
    attendees: list[Person]
    attendee_orgs: list[OrgCount]
    absentees: list[Person]
    """On the roster but at no table of the meeting (merged: the same on every table)."""
    case: CaseView | None
    steps: list[StepMinutes]
    picked: list[TroubleView]
    actions: list[ActionView]
    speaking: list[Speaking]
    counts: Counts
    approved_on: str = ""
    """When the minutes were approved (令和8年12月1日（火）); "" while a 案."""
    approved_on_iso: str = ""
    approved_by: str = ""
    """Who approved them (public version: their organisation, or "")."""
    # -- issue 9 ---------------------------------------------------------------
    resources: list[ResourceView] = field(default_factory=list)
    """Local resources recorded in the meeting (Ctrl+R); public: the publishable ones."""
    # minutes fields (issue 9)
    table: str = ""
    """The table's name as set up ("" when none was given; ``name`` then says テーブル1)."""
    author: str = ""
    """作成者 (public version: as the roles are shown)."""
    next_meeting: NextMeetingView | None = None
    """次回開催予定, or None."""
    report_back: list[ReportView] = field(default_factory=list)
    """前回からの報告: earlier sessions' actions and how they stand (report back)."""


@dataclass(frozen=True)
class Minutes:
    """The whole document. ``tables`` has one entry per session."""

    lang: Language
    internal: bool
    redacted: bool
    merged: bool
    title: str
    theme: str
    date: str
    date_iso: str
    time: str
    place: str
    public: bool
    status: str
    status_label: str
    observers: int
    secretariat: str
    absentees: list[Person]
    """On the roster but at no table."""
    case: CaseView | None
    tables: list[TableMinutes]
    picked: list[TroubleView]
    actions: list[ActionView]
    counts: Counts
    agenda: list[StepMinutes] = field(default_factory=list)
    """The first table's steps: the meeting's agenda."""
    approved_on: str = ""
    """When the minutes were approved (the latest table's date); "" while a 案."""
    approved_on_iso: str = ""
    approved_by: str = ""
    """Who approved them, every table's approver (public: by organisation, or "")."""
    # -- issue 9 ---------------------------------------------------------------
    speaking_time: bool = True
    """Whether the speaking-time table is shown (internal by default; see build_minutes)."""
    # minutes fields (issue 9)
    table: str = ""
    """Every table's name as set up, joined ("" when none was given)."""
    author: str = ""
    """作成者, every table's, joined."""
    next_meeting: NextMeetingView | None = None
    """次回開催予定: the first table's that has one."""


def build_minutes(
    sessions: Sequence[Session],
    *,
    redact: bool = False,
    language: Language | None = None,
    speaking_time: bool | None = None,
) -> Minutes:
    """The minutes of one meeting from its sessions (one per table), in order.

    ``speaking_time`` None: the speaking-time table in the internal minutes
    only; False drops it from either version (True keeps it in the public
    one, by organisation).
    """
    if not sessions:
        raise ValueError("build_minutes needs at least one session")
    lang: Language = language or sessions[0].scenario.language
    redactor = Redactor.for_sessions(sessions, lang) if redact else None
    # Someone at table A is not absent from table B: absence is the meeting's.
    present = {_name_key(m.name) for session in sessions for m in session.members}
    builders = [
        _Table(session, index, present, redactor, lang)
        for index, session in enumerate(sessions, start=1)
    ]
    tables = [builder.build() for builder in builders]
    # issue 9: who spoke how long is for the committee, not the website.
    speaking_time = not redact if speaking_time is None else speaking_time
    if not speaking_time:
        tables = [replace(table, speaking=[]) for table in tables]
    # end issue 9
    first = tables[0]
    roster: dict[str, Participant] = {}
    for session in sessions:
        for person in session.scenario.participants:
            roster.setdefault(_name_key(person.name), person)
    absentees = [
        builders[0].person(p.name, p.organization, p.role)
        for key, p in roster.items()
        if key not in present
    ]
    counts = Counts()
    for table in tables:
        counts = counts + table.counts
    counts = replace(counts, absentees=len(absentees))
    statuses = {table.status for table in tables}
    status = "approved" if statuses == {"approved"} else "draft"
    return Minutes(
        lang=lang,
        internal=not redact,
        redacted=redact,
        merged=len(tables) > 1,
        title=first.title,
        theme=first.theme,
        date=first.date,
        date_iso=first.date_iso,
        time=format_span(*facts.meeting_span(sessions), lang),
        place=_joined([table.place for table in tables], lang),
        public=all(table.public for table in tables),
        status=status,
        status_label=t(f"status.{status}", lang),
        # Observers sit in the room, not at a table: a count is entered on one
        # table's session (or split between them), so the tables add up.
        observers=sum(table.observers for table in tables),
        secretariat=_joined([table.secretariat for table in tables], lang),
        absentees=absentees,
        case=first.case,
        tables=tables,
        picked=[trouble for table in tables for trouble in table.picked],
        actions=[action for table in tables for action in table.actions],
        counts=counts,
        agenda=first.steps,
        **_approval(tables, status, lang),
        speaking_time=speaking_time,  # issue 9
        **_minutes_fields(tables, lang),
    )


def _minutes_fields(tables: list[TableMinutes], lang: Language) -> dict[str, object]:
    """The meeting's table names, authors and next meeting (issue 9)."""
    return {
        "table": _joined([table.table for table in tables], lang),
        "author": _joined([table.author for table in tables], lang),
        "next_meeting": next((tb.next_meeting for tb in tables if tb.next_meeting), None),
    }


def _approval(tables: list[TableMinutes], status: str, lang: Language) -> dict[str, str]:
    """The meeting's approval: when every table is approved, the latest date, every approver."""
    approved = [table for table in tables if table.approved_on]
    if status != "approved" or not approved:
        return {}
    last = max(approved, key=lambda table: table.approved_on_iso)
    return {
        "approved_on": last.approved_on,
        "approved_on_iso": last.approved_on_iso,
        "approved_by": _joined([table.approved_by for table in approved], lang),
    }


def _name_key(name: str) -> str:
    return " ".join(name.split())


def _joined(values: list[str], lang: Language) -> str:
    unique = list(dict.fromkeys(v for v in values if v))
    return ("、" if lang == "ja" else ", ").join(unique)


class _Table:
    """Builds the minutes of one session; holds the lookups the parts share."""

    def __init__(
        self,
        session: Session,
        index: int,
        present: set[str],
        redactor: Redactor | None,
        lang: Language,
    ) -> None:
        """``redactor`` None: the internal version, every name shown."""
        self.session = session
        self.present = present
        self.internal = redactor is None
        self.redact = redactor or Redactor.identity()
        self.lang = lang
        self.name = self.redact(session.table) or t("export.table_fallback", lang, number=index)
        self.unsigned = t("defaults.unsigned", lang)
        self.no_org = t("export.no_organization", lang)
        self.withheld = t("export.name_withheld", lang)
        self.holders = PublicHolders(session.members, self.redact, self.no_org)
        self.steps = session.scenario.flow
        self.members = {m.id: m for m in session.members}
        self.cards_by_id = {c.id: c for c in session.cards}
        self.groups_by_id = {g.id: g for g in session.groups}
        # The end of anything still running: the last moment the file knows of,
        # not the clock, so exporting twice gives the same minutes.
        self.until = session.updated_at
        self.card_views = {c.id: self._card(c) for c in session.cards}

    # -- people -------------------------------------------------------------

    def _org(self, organization: str) -> str:
        return self.redact(organization) or self.no_org

    def _label(self, member: Member | None) -> str:
        if member is None:
            return self.unsigned
        return member.name if self.internal else self._org(member.organization)

    def person(self, name: str, organization: str, role: str, walk_in: bool = False) -> Person:
        if self.internal:
            return Person(name, organization, role, name, walk_in)
        org = self._org(organization)
        return Person("", org, "", org, walk_in)

    def _holder(self, value: str) -> str:
        """Who runs or does something: in public, by organisation (see PublicHolders)."""
        return value if self.internal else self.holders(value)

    def _role_holder(self, value: str) -> str:
        return value if self.internal else self.holders.role(value, self.withheld)

    # -- cards --------------------------------------------------------------

    def _title_of(self, target: str | None) -> str:
        if target is None:
            return ""
        group = self.groups_by_id.get(target)
        if group is not None:
            return self.redact(group.title)
        card = self.cards_by_id.get(target)
        return self.redact(card.text) if card else ""

    def _card(self, card: Card) -> CardView:
        member = self.members.get(card.speaker) if card.speaker else None
        return CardView(
            id=card.id,
            text=self.redact(card.text),
            speaker=self._label(member),
            organization=self._org(member.organization) if member else self.unsigned,
            votes=card.votes,
            picked=card.picked,
            answers=self._title_of(card.answers),
            runs_by=self._holder(card.runs_by),
            place=self.redact(card.place),
            resource=self._resource(card.resource) if self._shown(card.resource) else None,
        )

    def _shown(self, resource: Resource | None) -> bool:
        """Issue 9: the public minutes show a resource only with permission to publish."""
        return resource is not None and (self.internal or resource.publishable)

    def _resource(self, resource: Resource) -> ResourceView:
        """Every text through the redactor (shown at all: internal, or publishable)."""
        values = resource.model_dump()
        return ResourceView(
            **{name: self.redact(v) if isinstance(v, str) else v for name, v in values.items()}
        )

    def _troubles(self) -> list[TroubleView]:
        """Everything voted on, ranked as on the screen (see :func:`facts.troubles`)."""
        return [
            TroubleView(
                id=trouble.id,
                title=self.redact(trouble.title),
                votes=trouble.votes,
                picked=trouble.picked,
                is_group=trouble.is_group,
                cards=[self.card_views[card_id] for card_id in trouble.card_ids],
                table=self.name,
            )
            for trouble in facts.troubles(self.session)
        ]

    # -- steps --------------------------------------------------------------

    def _visits(self, index: int) -> tuple[datetime | None, datetime | None, float | None]:
        visits = [v for v in self.session.step_log if v.step == index]
        if not visits:
            return None, None, None
        seconds = sum(
            max(((v.ended_at or self.until) - v.started_at).total_seconds(), 0.0) for v in visits
        )
        return visits[0].started_at, visits[-1].ended_at, seconds

    def _step(
        self, index: int, troubles: list[TroubleView], actions: list[ActionView]
    ) -> StepMinutes:
        step = self.steps[index]
        kind = spec(step.kind)
        shows = kind.minutes_shows
        cards = [self.card_views[c.id] for c in self.session.cards if c.step == index]
        start, end, seconds = self._visits(index)
        actual = None if seconds is None else round(seconds / 60)
        results = (
            [tr for tr in troubles if not tr.is_group or self.groups_by_id[tr.id].step == index]
            if shows == "results"
            else []
        )
        return StepMinutes(
            number=index + 1,
            kind=step.kind.value,
            shows=shows,
            line=(
                t(
                    f"step.{step.kind.value}.minutes_line",
                    self.lang,
                    title=self.redact(step.title or ""),
                    minutes=format_minutes(step.minutes, self.lang),
                )
                if shows == "line"
                else ""
            ),
            title=self.redact(step.title or ""),
            prompt=self.redact(step.prompt or ""),
            planned=format_minutes(step.minutes, self.lang),
            planned_minutes=step.minutes or 0,
            actual=format_minutes(actual, self.lang),
            actual_minutes=actual,
            time=format_span(start, end, self.lang),
            cards=cards,
            troubles=cards if shows == "troubles" else [],
            results=results,
            picked=[tr for tr in results if tr.picked],
            questions=self._questions(index) if shows == "questions" else [],
            examples=cards if shows == "examples" else [],
            closings=self._closings(index) if shows == "closings" else [],
            tables=self._tables(index) if shows == "tables" else [],
            actions=[
                a
                for a, item in zip(actions, self.session.actions, strict=True)
                if item.step == index
            ],
        )

    def _questions(self, index: int) -> list[QuestionIdeas]:
        questions = self.steps[index].questions or []
        cards = [c for c in self.session.cards if c.step == index]
        keys: list[int | None] = list(range(len(questions)))
        if any(c.question is None or c.question >= len(questions) for c in cards):
            keys.append(None)
        out = []
        for key in keys:
            answers = [c for c in cards if c.question == key]
            if key is None:
                answers = [c for c in cards if c.question is None or c.question >= len(questions)]
            by_org: dict[str, list[CardView]] = {}
            for card in answers:
                view = self.card_views[card.id]
                by_org.setdefault(view.organization, []).append(view)
            mark = circled(facts.question_number(self.steps, index, key)) if key is not None else ""
            text = self.redact(questions[key]) if key is not None else ""
            out.append(QuestionIdeas(mark, text, [OrgIdeas(o, i) for o, i in by_org.items()]))
        return out

    def _tables(self, index: int) -> list[TableCards]:
        """Table names are not personal: shown in both versions (a private name
        in one is replaced, as in any text). Only the session's own table (or
        none): no name, the section it is in says it already."""
        grouped = facts.cards_by_table(self.session, index)
        own = facts.table_key(self.session.table)
        if len(grouped) == 1 and facts.table_key(grouped[0][0]) == own:
            grouped = [("", grouped[0][1])]
        return [
            TableCards(
                self.redact(table_label(name, self.lang)) if name else "",
                [self.card_views[card.id] for card in cards],
            )
            for name, cards in grouped
        ]

    def _closings(self, index: int) -> list[Closing]:
        cards = [c for c in self.session.cards if c.step == index]
        order = [m.id for m in self.session.members]
        speakers = sorted(
            {c.speaker for c in cards},
            key=lambda s: order.index(s) if s in order else len(order),
        )
        closings = []
        for speaker in speakers:
            member = self.members.get(speaker) if speaker else None
            texts = [self.card_views[c.id].text for c in cards if c.speaker == speaker]
            org = self._org(member.organization) if member else self.unsigned
            closings.append(Closing(self._label(member), org, texts))
        return closings

    def _speaking(self) -> list[Speaking]:
        spoken = facts.speaking(self.session, until=self.until)
        rows: dict[str, list[float]] = {}
        orgs: dict[str, str] = {}
        for member in self.session.members:
            # The public version adds up per organisation: no one is singled out.
            key = member.id if self.internal else self._org(member.organization)
            row = rows.setdefault(key, [0.0, 0, 0])
            times = spoken[member.id]
            row[0] += times.seconds
            row[1] += times.turns
            row[2] += times.passes
            orgs[key] = self._org(member.organization)
        return [
            Speaking(
                label=self._label(self.members[key]) if self.internal else key,
                organization=orgs[key],
                seconds=total,
                duration=format_duration(total, self.lang),
                turns=int(spoke),
                passes=int(passed),
            )
            for key, (total, spoke, passed) in rows.items()
        ]

    def _case(self) -> CaseView | None:
        case = self.session.scenario.case
        if case is None:
            return None
        if self.internal:
            return CaseView(case.name, case.summary, list(case.details), False)
        # Public minutes keep only who the case is called: the summary and the
        # details describe a (possibly real) resident and could identify them.
        return CaseView(case_placeholder(case.name, self.lang), "", [], True)

    def _roles(self) -> list[RoleEntry]:
        roles = self.session.roles
        return [
            RoleEntry(t(f"role.{name}", self.lang), self._role_holder(getattr(roles, name)))
            for name in ROLES
        ]

    def build(self) -> TableMinutes:
        session = self.session
        lang = self.lang
        # As set up; a meeting still running (exported mid-way) has an open end: 14:00〜.
        start, end = facts.meeting_start(session), facts.meeting_end(session)
        day = facts.meeting_day(session)
        attendees = [
            self.person(m.name, m.organization, m.role, m.walk_in) for m in session.members
        ]
        absentees = [
            self.person(p.name, p.organization, p.role)
            for p in session.scenario.participants
            if _name_key(p.name) not in self.present
        ]
        orgs: dict[str, int] = {}
        for person in attendees:
            orgs[person.organization or self.no_org] = (
                orgs.get(person.organization or self.no_org, 0) + 1
            )
        titles = [self.redact(step.title or "") for step in self.steps]
        actions = [
            ActionView(
                what=self.redact(a.what),
                who=self._holder(a.who),
                due=self.redact(a.due),
                done=a.done,
                step=titles[a.step] if 0 <= a.step < len(titles) else "",
                table=self.name,
            )
            for a in session.actions
        ]
        troubles = self._troubles()
        steps = [self._step(i, troubles, actions) for i in range(len(self.steps))]
        produced = facts.counts(session)
        counts = Counts(
            attendees=len(attendees),
            absentees=len(absentees),
            cards=produced.cards,
            troubles=produced.troubles,
            picked=produced.picked,
            ideas=produced.ideas,
            examples=produced.examples,
            actions=produced.actions,
        )
        return TableMinutes(
            name=self.name,
            # The id comes from the scenario's file name, often the case person's.
            session_id=session.id if self.internal else "",
            title=self.redact(session.scenario.title),
            theme=self.redact(session.scenario.theme),
            date=format_date(day, lang),
            date_iso=day.isoformat(),
            time=format_span(start, end, lang),
            start=start,
            end=end,
            place=self.redact(session.place),
            public=session.public,
            status=session.status.value,
            status_label=t(f"status.{session.status.value}", lang),
            observers=session.observers,
            secretariat=self.redact(session.secretariat),
            roles=self._roles(),
            attendees=attendees,
            attendee_orgs=[OrgCount(org, n) for org, n in orgs.items()],
            absentees=absentees,
            case=self._case(),
            steps=steps,
            picked=[tr for tr in troubles if tr.picked],
            actions=actions,
            speaking=self._speaking(),
            counts=counts,
            report_back=self._report_back(),
            **self._approval(),
            resources=self._listed_resources(),  # issue 9
            # minutes fields (issue 9)
            table=self.redact(session.table),
            author=self._role_holder(session.author),
            next_meeting=_next_meeting(session.next_meeting, self.redact, lang),
        )

    # -- issue 9: local resources ---------------------------------------------

    def _listed_resources(self) -> list[ResourceView]:
        """The resources recorded on cards, in card order; public: only those that may be published.

        Each field already went through the redactor and :meth:`_shown`.
        """
        return [view.resource for view in self.card_views.values() if view.resource is not None]

    def _approval(self) -> dict[str, str]:
        approval = self.session.approval
        if self.session.status.value != "approved" or approval is None:
            return {}
        day = approval.at.date()
        return {
            "approved_on": format_date(day, self.lang),
            "approved_on_iso": day.isoformat(),
            # Public: a member by organisation, anyone else not at all.
            "approved_by": approval.by if self.internal else self.holders.role(approval.by, ""),
        }

    # -- report back (前回からの報告, issue 9) -----------------------------------

    def _report_back(self) -> list[ReportView]:
        """The earlier sessions' actions reported on here; in public, holders by organisation."""
        return [
            ReportView(
                what=self.redact(item.what),
                who=self._holder(item.who),
                due=self.redact(item.due),
                from_date=format_date(item.from_date.date(), self.lang),
                status=item.status.value if item.status else "",
                status_label=t(f"report_back.{item.status or 'open'}", self.lang),
                note=self.redact(item.note),
                table=self.name,
            )
            for item in self.session.report_back
        ]


@dataclass(frozen=True)
class ReportView:
    """An earlier session's action as reported on at this one (前回からの報告)."""

    what: str
    who: str
    due: str
    from_date: str
    """The day of the session that promised it."""
    status: str
    """done | continues | dropped, or "" when not discussed."""
    status_label: str
    """済 / 継続 / 中止 / 未報告."""
    note: str
    table: str


__all__ = [
    "ActionView",
    "CardView",
    "CaseView",
    "Closing",
    "Counts",
    "Minutes",
    "NextMeetingView",
    "OrgCount",
    "OrgIdeas",
    "Person",
    "QuestionIdeas",
    "ReportView",
    "ResourceView",
    "RoleEntry",
    "Speaking",
    "StepMinutes",
    "TableCards",
    "TableMinutes",
    "TroubleView",
    "build_minutes",
]
