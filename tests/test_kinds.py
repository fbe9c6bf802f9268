"""Step kinds as data: the table every reader asks, and the words each kind needs."""

from __future__ import annotations

import pytest

from chie_kokan.i18n import LANGUAGES, catalog
from chie_kokan.models import KINDS, STANDARD_FLOW, Scenario, StepKind, TurnMode, spec
from chie_kokan.models.kinds import catalog_words


def test_every_kind_has_a_row() -> None:
    assert set(KINDS) == set(StepKind)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(StepKind))
def test_every_kind_has_the_words_it_needs(kind: StepKind, language: str) -> None:
    words = catalog(language)
    # Questions may be an empty list; every other word says something.
    missing = [key for key in catalog_words(kind) if words.get(key) in (None, "")]
    assert missing == []


def test_the_standard_flow_is_the_councils_six_steps() -> None:
    # Unchanged by the table: a scenario without steps runs these, 90 minutes in all.
    assert STANDARD_FLOW == (
        (StepKind.OPENING, 5, TurnMode.FREE),
        (StepKind.SHARE, 20, TurnMode.ROUND),
        (StepKind.PICK, 15, TurnMode.FREE),
        (StepKind.EXCHANGE, 25, TurnMode.ROUND),
        (StepKind.SPREAD, 15, TurnMode.FREE),
        (StepKind.REFLECT, 10, TurnMode.ROUND),
    )


def test_a_step_takes_its_defaults_from_the_table() -> None:
    steps = [{"kind": kind.value} for kind in StepKind]
    scenario = Scenario.model_validate({"title": "t", "theme": "t", "steps": steps})
    for step in scenario.flow:
        row = spec(step.kind)
        assert (step.minutes, step.turns) == (row.minutes, row.turns)
        assert step.votes_per_person == row.default_votes
