"""Step kinds as data: the table every reader asks, and the words each kind needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from chie_kokan.i18n import LANGUAGES, catalog
from chie_kokan.models import KINDS, STANDARD_FLOW, Scenario, StepKind, TurnMode, spec
from chie_kokan.models.kinds import catalog_words
from chie_kokan.storage import load_scenario
from test_cli import run


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


# -- a break, as an author writes it ------------------------------------------------------

BREAK_SCENARIO = """\
schema = 1
title = "休憩のある会"
theme = "買い物と移動"

[[steps]]
kind = "share"

[[steps]]
kind = "break"
minutes = 10

[[steps]]
kind = "pick"
"""


def test_validate_accepts_a_break(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "break.toml"
    path.write_text(BREAK_SCENARIO, "utf-8")
    assert run(["validate", str(path)], capsys)[:2] == (0, f"OK  {path}\n")
    step = load_scenario(path).flow[1]
    assert (step.kind, step.title, step.minutes) == (StepKind.BREAK, "休憩", 10)


def test_validate_refuses_votes_on_a_break(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "break.toml"
    path.write_text(BREAK_SCENARIO.replace("minutes = 10", "votes_per_person = 3"), "utf-8")
    code, out, err = run(["validate", str(path)], capsys)
    assert code == 2
    assert "votes_per_person" in out and "Traceback" not in out + err


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_new_template_names_every_kind_and_shows_how_to_add_a_break(
    language: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.toml"
    assert run(["--lang", language, "new", str(path)], capsys)[0] == 0
    text = path.read_text("utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    for kind in StepKind:
        assert kind.value in comments, kind
    # The commented example, uncommented, is a break between share and pick.
    uncommented = text.replace(
        '# [[steps]]\n# kind = "break"\n# minutes = 10', ('[[steps]]\nkind = "break"\nminutes = 10')
    )
    assert uncommented != text
    path.write_text(uncommented, "utf-8")
    kinds = [step.kind for step in load_scenario(path).flow]
    assert kinds[kinds.index(StepKind.BREAK) - 1 : kinds.index(StepKind.BREAK) + 2] == [
        StepKind.SHARE,
        StepKind.BREAK,
        StepKind.PICK,
    ]
