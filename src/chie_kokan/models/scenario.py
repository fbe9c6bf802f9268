"""The scenario: what someone authors before the meeting (``scenarios/*.toml``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt, field_validator, model_validator

from chie_kokan.i18n import Language, t, t_list
from chie_kokan.models.base import CLEANED, Strict, Text, domain_error
from chie_kokan.models.bounds import Minutes, SecondsPerTurn, VotesPerPerson
from chie_kokan.models.kinds import STANDARD_FLOW, StepKind, TurnMode, spec

SCENARIO_SCHEMA = 1


NonBlank = Annotated[str, Field(min_length=1, pattern=r"\S"), CLEANED]
"""Text with something in it: a name of only spaces is as good as none."""

__all__ = ["STANDARD_FLOW", "StepKind", "TurnMode"]  # re-exported: their home is kinds.py


class Case(Strict):
    """The (model) resident whose troubles the meeting discusses."""

    name: NonBlank
    """How the person is called, e.g. 清水さん. Replaced in public minutes."""
    summary: Text = ""
    """One or two sentences: age, household, situation."""
    details: list[Text] = []
    """The troubles as bullet points. Dropped from public minutes."""


class Participant(Strict):
    """A member on the roster."""

    name: NonBlank
    organization: Text = ""
    """Organisation the person speaks for, e.g. 自治会."""
    role: Text = ""
    """Role in the organisation, e.g. 会長."""
    table: Text = ""
    """The table they sit at when several tables meet (e.g. A): a report step's
    round goes by table, and their report cards are that table's."""


class Step(Strict):
    """One step of the session. Omitted fields take a default for the kind."""

    kind: StepKind
    title: Text | None = None
    """Shown in the step track and the minutes."""
    prompt: Text | None = None
    """The large line the room reads."""
    questions: list[NonBlank] | None = None
    """Asked in order, each its own round (exchange ①②, reflect ③)."""
    minutes: Minutes | None = None
    """The time box."""
    turns: TurnMode | None = None
    """round (seat order) or free (raised hands)."""
    seconds_per_turn: SecondsPerTurn | None = None
    """The gentle per-speaker limit."""
    votes_per_person: VotesPerPerson | None = None
    """Pick steps only: how many votes each person has."""

    @model_validator(mode="after")
    def _votes_only_on_pick(self) -> Step:
        if self.votes_per_person is not None and not spec(self.kind).takes_votes:
            raise domain_error("votes_not_pick", at=("votes_per_person",))
        kind = spec(self.kind)
        # A break has nobody on the floor and nothing recorded: a round, a
        # per-speaker limit or questions there would be silently ignored.
        # (turns = "free" is what a session's copy of a break holds: harmless.)
        if not kind.takes_turns:
            if self.seconds_per_turn is not None:
                raise domain_error(
                    "no_turns_here",
                    at=("seconds_per_turn",),
                    field="seconds_per_turn",
                    kind=self.kind.value,
                )
            if self.turns is not None and self.turns is not kind.turns:
                raise domain_error(
                    "no_turns_here", at=("turns",), field="turns", kind=self.kind.value
                )
        if not kind.takes_cards and self.questions:
            raise domain_error(
                "no_cards_here", at=("questions",), field="questions", kind=self.kind.value
            )
        return self

    def resolved(self, language: Language, case_name: str) -> Step:
        """This step with every omitted field filled from the kind's defaults."""
        base = f"step.{self.kind.value}"
        kind = spec(self.kind)
        questions = self.questions
        if questions is None:
            questions = [q.format(case=case_name) for q in t_list(f"{base}.questions", language)]
        return self.model_copy(
            update={
                "title": self.title or t(f"{base}.title", language),
                "prompt": self.prompt if self.prompt is not None else t(f"{base}.prompt", language),
                "questions": questions,
                "minutes": self.minutes or kind.minutes,
                "turns": self.turns or kind.turns,
                "votes_per_person": (
                    self.votes_per_person
                    if self.votes_per_person is not None
                    else kind.default_votes
                ),
            }
        )


class Scenario(Strict):
    """What a meeting is about and how it runs. Loaded values are fully resolved."""

    schema_version: StrictInt = Field(SCENARIO_SCHEMA, alias="schema")
    """File format version; this program writes 1."""
    title: NonBlank
    theme: NonBlank
    language: Language = "ja"
    """The UI language unless --lang says otherwise."""
    ground_rules: list[NonBlank] | None = None
    """Shown at all times. Default: the council's three rules."""
    private_names: list[NonBlank] = []
    """Never shown in public (redacted) minutes."""
    case: Case | None = None
    participants: list[Participant] = []
    """The roster; who is present is chosen when a session starts."""
    steps: list[Step] | None = None
    """Omitted: the standard six-step flow."""

    @field_validator("steps")
    @classmethod
    def _steps_not_empty(cls, steps: list[Step] | None) -> list[Step] | None:
        if steps is not None and not steps:
            raise domain_error("steps_empty")
        return steps

    @field_validator("participants")
    @classmethod
    def _unique_names(cls, people: list[Participant]) -> list[Participant]:
        seen: set[str] = set()
        for index, person in enumerate(people):
            if person.name in seen:
                raise domain_error("duplicate_participant", name=person.name, at=(index, "name"))
            seen.add(person.name)
        return people

    @model_validator(mode="after")
    def _fill_defaults(self) -> Scenario:
        # Resolve once at load time, so a session's embedded copy is complete
        # and later changes to the defaults never change a past session.
        lang = self.language
        if self.ground_rules is None:
            self.ground_rules = t_list("defaults.ground_rules", lang)
        case_name = self.case.name if self.case else t("defaults.case_fallback", lang)
        steps = self.steps or [Step(kind=kind) for kind, _, _ in STANDARD_FLOW]
        self.steps = [step.resolved(lang, case_name) for step in steps]
        return self

    @property
    def flow(self) -> list[Step]:
        """The resolved steps (never None after validation)."""
        assert self.steps is not None
        return self.steps

    @property
    def uses_tables(self) -> bool:
        """Several tables meet: someone on the roster sits at one, or a step goes by table."""
        return any(p.table.strip() for p in self.participants) or any(
            spec(step.kind).by_table for step in self.flow
        )

    @property
    def rules(self) -> list[str]:
        assert self.ground_rules is not None
        return self.ground_rules
