"""A break (休憩) between share and pick: a time box, no cards, no turns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import DomainError, SessionEngine, new_session
from chie_kokan.i18n import set_language
from chie_kokan.models import Scenario, StepKind
from chie_kokan.storage import create_session_file, load_session, save_session
from test_engine import FOUR, refused, state
from test_models import chie_key

WITH_BREAK: dict[str, Any] = {
    **FOUR,
    "steps": [*FOUR["steps"][:2], {"kind": "break", "minutes": 10}, *FOUR["steps"][2:]],
}
OPENING, SHARE, BREAK, PICK = range(4)


@pytest.fixture
def engine(clock: ManualClock) -> SessionEngine:
    scenario = Scenario.model_validate(WITH_BREAK)
    e = SessionEngine(new_session(scenario, session_id="break", clock=clock), clock)
    e.begin()
    e.next_step()  # share: p1 has the floor
    e.record_card("バスが減った")
    e.advance_speaker()  # p2 has the floor when the break comes
    return e


def test_the_break_takes_the_defaults_of_its_kind() -> None:
    step = Scenario.model_validate(WITH_BREAK).flow[BREAK]
    assert step.kind is StepKind.BREAK
    assert (step.title, step.minutes, step.votes_per_person) == ("休憩", 10, None)
    assert step.questions == []


def test_going_through_a_break_records_no_cards_and_no_turns(
    engine: SessionEngine, clock: ManualClock
) -> None:
    cards, turns = len(engine.session.cards), len(engine.session.turns)
    engine.next_step()
    assert engine.step.kind is StepKind.BREAK
    assert engine.current_speaker is None
    clock.advance(600)
    engine.next_step()
    assert engine.step_index == PICK
    assert len(engine.session.cards) == cards
    # Only the share step's turns: the break gave nobody the floor.
    assert {turn.step for turn in engine.session.turns[turns:]} <= {SHARE}
    assert all(turn.step != BREAK for turn in engine.session.turns)
    # Leaving share for the break did not count as p2 having spoken.
    assert engine.session.turns[-1].speaker == "p2"
    assert engine.session.turns[-1].outcome is None


def test_during_a_break_nothing_is_recorded_and_nobody_gets_the_floor(
    engine: SessionEngine,
) -> None:
    engine.next_step()
    with refused(engine, "no_cards"):
        engine.record_card("休憩中のひとこと")
    with refused(engine, "no_cards"):
        engine.record_card("名前なし", speaker=None)
    with refused(engine, "no_turns"):
        engine.advance_speaker()
    with refused(engine, "no_turns"):
        engine.pass_turn()
    with refused(engine, "no_turns"):
        engine.choose_speaker("p3")
    with refused(engine, "no_cards"):
        engine.next_step(record="入力したまま次へ")


def test_the_refusals_speak_of_the_break_in_both_languages(engine: SessionEngine) -> None:
    engine.next_step()
    with pytest.raises(DomainError) as no_turns:
        engine.advance_speaker()
    with pytest.raises(DomainError) as no_cards:
        engine.record_card("休憩中のひとこと")
    set_language("ja")
    assert "休憩中は発言の順番がありません" in str(no_turns.value)
    assert "休憩中は記録しません" in str(no_cards.value)
    set_language("en")
    assert "no turns during the break" in str(no_turns.value)
    assert "Nothing is recorded during the break" in str(no_cards.value)


def test_the_break_has_a_time_box_that_pauses_and_runs_over(
    engine: SessionEngine, clock: ManualClock
) -> None:
    engine.next_step()
    assert engine.timer_running
    clock.advance(120)
    assert engine.step_remaining() == 480
    engine.toggle_timer()  # paused: the room waits for someone
    clock.advance(300)
    assert engine.step_elapsed() == 120
    engine.toggle_timer()
    clock.advance(500)
    assert engine.step_remaining() == -20
    assert engine.is_over_time


def test_coming_back_from_the_break_gives_the_floor_back(
    engine: SessionEngine, clock: ManualClock
) -> None:
    engine.next_step()
    clock.advance(600)
    engine.previous_step()  # back to share: p2 had the floor and still has it
    assert engine.step_index == SHARE
    assert engine.live.speaker == "p2"


def test_undo_takes_back_the_break_and_what_came_after(
    engine: SessionEngine, clock: ManualClock
) -> None:
    before_break = state(engine)
    clock.advance(5)
    engine.next_step()
    on_break = state(engine)
    clock.advance(600)
    engine.next_step()
    engine.record_card("買い物の足がない")
    clock.advance(5)
    engine.undo()
    engine.undo()
    assert state(engine) == on_break
    engine.undo()
    assert state(engine) == before_break
    assert engine.live.speaker == "p2"


def test_a_session_with_a_break_round_trips(
    engine: SessionEngine, clock: ManualClock, tmp_path: Path
) -> None:
    engine.next_step()
    clock.advance(90)
    path = create_session_file(engine.session, tmp_path)
    save_session(engine.session, path)
    loaded = load_session(path)
    assert loaded.model_dump() == engine.session.model_dump()
    assert 'kind = "break"' in path.read_text("utf-8")
    resumed = SessionEngine(loaded, clock)
    assert resumed.step.kind is StepKind.BREAK
    assert resumed.step_elapsed() == engine.step_elapsed()


def test_the_summary_counts_cards_only_for_steps_that_take_them(engine: SessionEngine) -> None:
    """No "③ 休憩 0枚": a break takes no cards, so the summary does not count them."""
    from chie_kokan.tui.summary import cards_per_step
    from test_facts import rendered

    engine.finish()
    lines = rendered(cards_per_step(engine)).splitlines()
    titles = [step.title for step in engine.steps]
    assert any(titles[SHARE] in line for line in lines)
    assert not any(titles[BREAK] in line for line in lines), lines
    assert any(titles[PICK] in line for line in lines)


@pytest.mark.parametrize(
    ("extra", "key", "field"),
    [
        ({"turns": "round"}, "no_turns_here", "turns"),
        ({"seconds_per_turn": 60}, "no_turns_here", "seconds_per_turn"),
        ({"questions": ["お茶はいかが"]}, "no_cards_here", "questions"),
    ],
)
def test_a_break_refuses_what_it_would_silently_ignore(
    extra: dict[str, Any], key: str, field: str
) -> None:
    steps = [*WITH_BREAK["steps"]]
    steps[BREAK] = {**steps[BREAK], **extra}
    assert chie_key({**WITH_BREAK, "steps": steps}) == (key, ("steps", BREAK, field))


def test_a_break_saying_free_is_harmless_and_a_saved_break_loads(
    engine: SessionEngine, tmp_path: Path
) -> None:
    # What a session's copy of the scenario holds for a break.
    steps = [*WITH_BREAK["steps"]]
    steps[BREAK] = {**steps[BREAK], "turns": "free", "questions": []}
    assert Scenario.model_validate({**WITH_BREAK, "steps": steps}).flow[BREAK].turns == "free"
    again = load_session(create_session_file(engine.session, tmp_path))
    assert again.scenario.flow[BREAK].kind is StepKind.BREAK
