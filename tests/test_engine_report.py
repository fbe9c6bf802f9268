"""A report (グループ発表) after sharing: each presenter's words are recorded as cards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.models import Scenario, StepKind, TurnMode
from chie_kokan.storage import create_session_file, load_scenario, load_session
from test_cli import run
from test_engine import FOUR, state

WITH_REPORT: dict[str, Any] = {**FOUR, "steps": [*FOUR["steps"][:2], {"kind": "report"}]}
OPENING, SHARE, REPORT = range(3)


def through_to_the_report(clock: ManualClock, scenario: dict[str, Any]) -> SessionEngine:
    engine = SessionEngine(
        new_session(Scenario.model_validate(scenario), session_id="report", clock=clock), clock
    )
    engine.begin()
    engine.next_step()
    engine.record_card("バスが減った")
    clock.advance(60)
    engine.next_step()
    return engine


def test_the_report_takes_the_defaults_of_its_kind() -> None:
    step = Scenario.model_validate(WITH_REPORT).flow[REPORT]
    assert step.kind is StepKind.REPORT
    assert (step.title, step.minutes, step.turns) == ("グループ発表", 10, TurnMode.ROUND)
    assert step.votes_per_person is None


def test_a_report_goes_round_and_records_each_presenters_cards(clock: ManualClock) -> None:
    engine = through_to_the_report(clock, WITH_REPORT)
    assert engine.step.kind is StepKind.REPORT
    first = engine.current_speaker
    assert first is not None and first.id == "p1"  # a round: seat order from the first
    engine.record_card("移動販売の車が来る日を回覧で知らせている")
    engine.advance_speaker()
    second = engine.current_speaker
    assert second is not None and second.id == "p2"
    engine.record_card("買い物の付き添いボランティアを募集中")
    reported = [card for card in engine.session.cards if card.step == REPORT]
    assert [(card.speaker, card.text) for card in reported] == [
        ("p1", "移動販売の車が来る日を回覧で知らせている"),
        ("p2", "買い物の付き添いボランティアを募集中"),
    ]
    # The share step's card stays where it was recorded.
    assert [card.text for card in engine.session.cards if card.step == SHARE] == ["バスが減った"]


def test_undo_takes_back_a_report_card_and_nothing_else(clock: ManualClock) -> None:
    engine = through_to_the_report(clock, WITH_REPORT)
    before = state(engine)
    engine.record_card("回覧で知らせている")
    assert state(engine) != before
    assert "回覧で知らせている" in engine.undo()
    assert state(engine) == before
    # And undo once more leaves the report for share, as any step change.
    engine.undo()
    assert engine.step_index == SHARE


def test_a_report_survives_the_session_file(clock: ManualClock, tmp_path: Path) -> None:
    engine = through_to_the_report(clock, WITH_REPORT)
    engine.record_card("回覧で知らせている")
    path = create_session_file(engine.session, tmp_path)
    again = load_session(path)
    assert again.scenario.flow[REPORT].kind is StepKind.REPORT
    assert [card.text for card in again.cards if card.step == REPORT] == ["回覧で知らせている"]


REPORT_SCENARIO = """\
schema = 1
title = "合同の会"
theme = "買い物と移動"

[[steps]]
kind = "share"

[[steps]]
kind = "report"
minutes = 15
"""


def test_validate_accepts_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "report.toml"
    path.write_text(REPORT_SCENARIO, "utf-8")
    assert run(["validate", str(path)], capsys)[:2] == (0, f"OK  {path}\n")
    step = load_scenario(path).flow[1]
    assert (step.kind, step.title, step.minutes) == (StepKind.REPORT, "グループ発表", 15)


def test_validate_refuses_a_misspelt_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "report.toml"
    path.write_text(REPORT_SCENARIO.replace('"report"', '"reports"'), "utf-8")
    code, out, err = run(["validate", str(path)], capsys)
    assert code == 2
    assert "kind" in out and "Traceback" not in out + err
