"""The facts of a meeting (``chie_kokan.facts``), and that the screen, the summary
and the minutes take them from there and so say the same thing."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from chie_kokan import facts
from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import build_minutes, default_minutes_path, render_minutes
from chie_kokan.export.minutes import Minutes, StepMinutes
from chie_kokan.export.resources import resource_records
from chie_kokan.models import Card, Outcome, Scenario, Session, StepKind, Turn
from chie_kokan.tui.glyphs import BAR_EMPTY, BAR_FULL
from chie_kokan.tui.summary import speaking_bars, summary_text
from conftest import JST

OPENING, SHARE, PICK, EXCHANGE, SPREAD, REFLECT = range(6)
START = datetime(2026, 11, 27, 14, 0, tzinfo=JST)


@pytest.fixture
def engine(shimizu: Scenario, clock: ManualClock) -> SessionEngine:
    return SessionEngine(new_session(shimizu, session_id="facts", clock=clock), clock)


def pick_step(minutes: Minutes) -> StepMinutes:
    (step,) = [s for s in minutes.tables[0].steps if s.kind == "pick"]
    return step


def rendered(renderable: Any) -> str:
    console = Console(file=io.StringIO(), width=120, record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def clock_seconds(face: str) -> int:
    """``1:05`` or ``1:02:03`` back to seconds."""
    seconds = 0
    for part in face.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def summary_seconds(engine: SessionEngine) -> dict[str, int]:
    """Member id → the time the summary's speaking bars show for them."""
    text = rendered(speaking_bars(engine))
    out = {}
    for member in engine.members:
        (line,) = [row for row in text.splitlines() if row.strip().startswith(member.name)]
        found = re.search(rf"[{BAR_FULL}{BAR_EMPTY}]+\s+(\d+(?::\d\d)+)", line)
        assert found, line
        out[member.id] = clock_seconds(found.group(1))
    return out


# -- troubles -----------------------------------------------------------------


def test_troubles_are_groups_then_ungrouped_share_and_pick_cards_by_votes(
    engine: SessionEngine,
) -> None:
    engine.begin()
    engine.go_to_step(SHARE)
    c1 = engine.record_card("駅前のスーパーが閉店した").id
    c2 = engine.record_card("重い物を運べない").id
    c3 = engine.record_card("バス停が遠い").id
    engine.go_to_step(PICK)
    c4 = engine.record_card("夜道が暗い", speaker=None).id
    group = engine.group_cards("買い物", [c1, c2]).id
    engine.go_to_step(EXCHANGE)
    engine.record_card("配達を手伝える")  # an idea is not a trouble
    found = facts.troubles(engine.session)
    assert [(t.id, t.is_group, t.card_ids) for t in found] == [
        (group, True, (c1, c2)),
        (c3, False, (c3,)),
        (c4, False, (c4,)),
    ]
    engine.go_to_step(PICK)
    engine.vote(c4, 3)
    engine.vote(c3, 1)
    engine.set_picked(c4, True)
    found = facts.troubles(engine.session)
    assert [(t.id, t.title, t.votes, t.picked) for t in found] == [
        (c4, "夜道が暗い", 3, True),
        (c3, "バス停が遠い", 1, False),
        (group, "買い物", 0, False),
    ]
    # The engine's troubles are the same, with the cards themselves.
    assert [(t.id, t.votes, t.picked, t.is_group) for t in engine.troubles()] == [
        (t.id, t.votes, t.picked, t.is_group) for t in found
    ]
    assert [c.id for c in engine.troubles()[2].cards] == [c1, c2]


def test_a_trouble_recorded_on_the_pick_step_is_picked_in_the_minutes(
    engine: SessionEngine,
) -> None:
    engine.begin()
    engine.go_to_step(SHARE)
    shared = engine.record_card("駅前のスーパーが閉店した").id
    engine.go_to_step(PICK)
    late = engine.record_card("夜道が暗くて出かけられない", speaker=None).id
    engine.vote(late, 4)
    engine.set_picked(late, True)
    engine.finish()
    assert [t.id for t in engine.picked_troubles()] == [late]  # on screen

    minutes = build_minutes([engine.session])
    pick = pick_step(minutes)
    assert [(t.id, t.votes, t.picked) for t in pick.results] == [
        (late, 4, True),
        (shared, 0, False),
    ]
    assert [t.title for t in pick.picked] == ["夜道が暗くて出かけられない"]
    assert [t.id for t in minutes.tables[0].picked] == [late]
    assert [t.id for t in minutes.picked] == [late]
    assert (minutes.counts.troubles, minutes.counts.picked) == (2, 1)
    md = render_minutes([engine.session], "md").decode("utf-8")
    assert "決定事項（取り組む困りごと）\n\n- ★ 夜道が暗くて出かけられない（4票）" in md


# A small meeting for the property tests: three people, share then pick.
SMALL = Scenario.model_validate(
    {
        "schema": 1,
        "title": "t",
        "theme": "t",
        "participants": [{"name": "A"}, {"name": "B"}, {"name": "C"}],
        "steps": [{"kind": "share", "turns": "free"}, {"kind": "pick", "turns": "free"}],
    }
)


@st.composite
def voted_sessions(draw: st.DrawFn) -> SessionEngine:
    """A session with trouble cards on both steps, some grouped, voted and picked."""
    clock = ManualClock(START)
    engine = SessionEngine(new_session(SMALL, session_id="p", clock=clock), clock)
    engine.begin()
    ids = []
    for step in (0, 1):
        engine.go_to_step(step)
        for _ in range(draw(st.integers(0, 4))):
            ids.append(engine.record_card(f"card {len(ids)}", speaker=None).id)
    if ids:
        for _ in range(draw(st.integers(0, 2))):
            members = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3))
            engine.group_cards("group", members)
    for trouble in facts.troubles(engine.session):
        votes = draw(st.integers(0, 3))
        if votes:
            engine.vote(trouble.id, votes)
        if draw(st.booleans()):
            engine.set_picked(trouble.id, True)
    engine.finish()
    return engine


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(voted_sessions())
def test_troubles_are_ranked_by_votes_and_otherwise_in_recorded_order(
    engine: SessionEngine,
) -> None:
    session = engine.session
    found = facts.troubles(session)
    grouped = {c for g in session.groups for c in g.cards}
    recorded = [g.id for g in session.groups] + [c.id for c in session.cards if c.id not in grouped]
    assert sorted(t.id for t in found) == sorted(recorded)  # each exactly once
    assert found == sorted(found, key=lambda t: (-t.votes, recorded.index(t.id)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(voted_sessions())
def test_the_minutes_show_the_troubles_the_screen_shows(engine: SessionEngine) -> None:
    minutes = build_minutes([engine.session])

    def seen(troubles: Any) -> list[tuple[str, str, int, bool, bool]]:
        return [(t.id, t.title, t.votes, t.picked, t.is_group) for t in troubles]

    # One pick step: its results are every trouble (groups made on it, every card).
    assert seen(pick_step(minutes).results) == seen(engine.troubles())
    assert seen(minutes.picked) == seen(engine.picked_troubles())
    assert [[c.id for c in t.cards] for t in minutes.picked] == [
        [c.id for c in t.cards] for t in engine.picked_troubles()
    ]
    assert minutes.counts.troubles == len(engine.troubles())
    assert minutes.counts.picked == len(engine.picked_troubles())


# -- speaking time ------------------------------------------------------------


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def with_turns(engine: SessionEngine, *turns: Turn) -> Session:
    """The engine's session with these turns instead of its own, checked like a file."""
    session = engine.session.model_copy(update={"turns": list(turns)})
    engine.session = Session.model_validate(session.model_dump())
    return engine.session


def test_a_suspended_turn_and_its_continuation_are_one_turn(engine: SessionEngine) -> None:
    engine.begin()
    session = with_turns(
        engine,
        # p1 speaks 40 s, the clock is paused (suspended), then p1 carries on for 20 s.
        Turn(speaker="p1", step=SHARE, started_at=at(0), ended_at=at(40)),
        Turn(
            speaker="p1",
            step=SHARE,
            started_at=at(100),
            ended_at=at(120),
            outcome=Outcome.SPOKE,
            continues=True,
        ),
        Turn(
            speaker="p2", step=SHARE, started_at=at(120), ended_at=at(125), outcome=Outcome.PASSED
        ),
        Turn(speaker="p3", step=SHARE, started_at=at(125), ended_at=at(155), outcome=Outcome.SPOKE),
        Turn(speaker="p3", step=EXCHANGE, question=0, started_at=at(200)),  # still talking
    )
    spoken = facts.speaking(session, until=at(215))
    assert list(spoken) == [m.id for m in session.members]  # everyone, in seat order
    assert spoken["p1"] == facts.Speaking(seconds=60, turns=1, passes=0)
    assert spoken["p2"] == facts.Speaking(seconds=0, turns=0, passes=1)
    assert spoken["p3"] == facts.Speaking(seconds=45, turns=2, passes=0)
    assert spoken["p4"] == facts.Speaking()
    # A clock wrongly behind a turn's start counts nothing, never less than nothing.
    assert facts.speaking(session, until=at(100))["p3"].seconds == 30


def test_a_turn_ends_as_the_room_saw_it_end(engine: SessionEngine) -> None:
    """A pass after a pause is a pass; the floor handed on by a step change is no turn."""
    engine.begin()
    session = with_turns(
        engine,
        # p1 talks 30 s, a pause, then passes: a pass, with no speaking time.
        Turn(speaker="p1", step=SHARE, started_at=at(0), ended_at=at(30)),
        Turn(
            speaker="p1",
            step=SHARE,
            started_at=at(60),
            ended_at=at(61),
            outcome=Outcome.PASSED,
            continues=True,
        ),
        # p2 gets the floor as the room moves to the next step: never spoke.
        Turn(speaker="p2", step=SHARE, started_at=at(61), ended_at=at(61)),
        # p3 had the floor 10 s when the step was left: that counts, unfinished.
        Turn(speaker="p3", step=EXCHANGE, question=0, started_at=at(70), ended_at=at(80)),
        # p4 was just given the floor and the clock runs: a turn under way.
        Turn(speaker="p4", step=EXCHANGE, question=0, started_at=at(80)),
    )
    spoken = facts.speaking(session, until=at(80))
    assert spoken["p1"] == facts.Speaking(seconds=0, turns=0, passes=1)
    assert spoken["p2"] == facts.Speaking()
    assert spoken["p3"] == facts.Speaking(seconds=10, turns=1, passes=0)
    assert spoken["p4"] == facts.Speaking(seconds=0, turns=1, passes=0)


def test_speaking_time_is_counted_to_the_second(engine: SessionEngine) -> None:
    engine.begin()
    session = with_turns(
        engine,
        Turn(speaker="p1", step=SHARE, started_at=at(0), ended_at=at(20.3), outcome=Outcome.SPOKE),
        Turn(speaker="p1", step=SHARE, started_at=at(30), ended_at=at(40.3), outcome=Outcome.SPOKE),
    )
    assert facts.speaking(session, until=at(50))["p1"].seconds == 31


def test_engine_summary_and_minutes_give_the_same_speaking_time(
    engine: SessionEngine, clock: ManualClock
) -> None:
    engine.begin()
    engine.go_to_step(SHARE)  # a round: p1 has the floor
    clock.advance(30.4)
    engine.advance_speaker()
    clock.advance(3)
    engine.pass_turn()
    clock.advance(61.7)
    engine.advance_speaker()
    clock.advance(12.45)
    engine.finish()
    # p4's turn was suspended by a pause and carried on afterwards.
    turns = engine.session.turns
    last = turns[-1]
    assert last.speaker == "p4"
    suspended = last.model_copy(update={"ended_at": at(100), "outcome": None})
    continued = last.model_copy(update={"started_at": at(102), "continues": True})
    session = with_turns(engine, *turns[:-1], suspended, continued)

    screen = engine.speaking_time()
    summary = summary_seconds(engine)
    minutes = {
        member.id: (row.seconds, row.turns, row.passes)
        for member, row in zip(
            session.members, build_minutes([session]).tables[0].speaking, strict=True
        )
    }
    assert screen["p1"] == 30 and screen["p3"] == 62
    assert engine.pass_counts()["p2"] == 1
    for member in session.members:
        assert screen[member.id] == summary[member.id] == minutes[member.id][0], member.id
    assert minutes["p4"][1:] == (1, 0)  # one turn, not two
    assert minutes["p2"] == (0, 0, 1)


# -- question numbering -------------------------------------------------------


def test_questions_are_numbered_across_the_session() -> None:
    scenario = Scenario.model_validate(
        {
            "schema": 1,
            "title": "t",
            "theme": "t",
            "participants": [{"name": "A"}],
            "steps": [
                {"kind": "exchange", "questions": ["Q1", "Q2"]},
                {"kind": "spread"},
                {"kind": "exchange", "questions": ["Q3"]},
                {"kind": "reflect", "questions": ["Q4", "Q5"]},
            ],
        }
    )
    steps = scenario.flow
    numbers = [
        facts.question_number(steps, index, question)
        for index, step in enumerate(steps)
        for question in range(len(step.questions or []))
    ]
    assert numbers == [1, 2, 3, 4, 5]
    # The minutes mark the second exchange's question ③, not ①.
    clock = ManualClock(START)
    engine = SessionEngine(new_session(scenario, session_id="q", clock=clock), clock)
    engine.begin()
    engine.go_to_step(2)
    engine.record_card("idea")
    table = build_minutes([engine.session]).tables[0]
    assert [q.mark for q in table.steps[0].questions] == ["①", "②"]
    assert [q.mark for q in table.steps[2].questions] == ["③"]


def test_the_standard_flow_numbers_exchange_one_two_and_reflect_three(
    shimizu: Scenario,
) -> None:
    steps = shimizu.flow
    assert facts.question_number(steps, EXCHANGE, 0) == 1
    assert facts.question_number(steps, EXCHANGE, 1) == 2
    assert facts.question_number(steps, REFLECT, 0) == 3


# -- counts -------------------------------------------------------------------


def test_counts_per_step_and_in_all(engine: SessionEngine) -> None:
    engine.begin()
    engine.go_to_step(SHARE)
    c1 = engine.record_card("駅前のスーパーが閉店した").id
    c2 = engine.record_card("重い物を運べない").id
    engine.go_to_step(PICK)
    late = engine.record_card("夜道が暗い", speaker=None).id
    engine.group_cards("買い物", [c1, c2])
    engine.set_picked(late, True)
    engine.go_to_step(EXCHANGE)
    engine.record_card("配達を手伝える")
    engine.record_card("見守りを兼ねる")
    engine.go_to_step(SPREAD)
    engine.record_card("移動販売")
    engine.add_action("回覧板に載せる")
    counted = facts.counts(engine.session)
    assert counted == facts.Counts(
        per_step=(0, 2, 1, 2, 1, 0),
        cards=6,
        troubles=2,  # the group and the card noticed while picking
        picked=1,
        ideas=2,
        examples=1,
        actions=1,
    )
    engine.finish()
    minutes = build_minutes([engine.session]).counts
    assert (minutes.cards, minutes.troubles, minutes.picked) == (6, 2, 1)
    assert (minutes.ideas, minutes.examples, minutes.actions) == (2, 1, 1)
    # The summary's cards per step are the same counts.
    shown = rendered(summary_text(engine))
    for step, count in zip(engine.steps, counted.per_step, strict=True):
        assert re.search(rf"{re.escape(step.title or '')}\s+{count}枚", shown), step.title


# -- the meeting's date and time ----------------------------------------------


def recorded(scenario: Scenario, set_up: datetime, begun: datetime, minutes: float = 50) -> Session:
    """A meeting set up for ``set_up`` (as the setup screen stores it), F7 at ``begun``."""
    clock = ManualClock(begun)
    session = new_session(scenario, session_id="day", clock=clock)
    session.created_at = set_up
    engine = SessionEngine(session, clock)
    engine.begin()
    clock.advance(minutes * 60)
    engine.finish()
    return engine.session


def test_the_meeting_starts_as_set_up_not_when_f7_was_pressed(shimizu: Scenario) -> None:
    session = recorded(shimizu, START, START + timedelta(minutes=3))
    assert facts.meeting_start(session) == START
    assert facts.meeting_end(session) == START + timedelta(minutes=53)
    assert facts.meeting_day(session) == START.date()
    table = build_minutes([session]).tables[0]
    assert (table.date, table.date_iso, table.time) == (
        "令和8年11月27日（金）",
        "2026-11-27",
        "14:00〜14:53",
    )
    assert (table.start, table.end) == (START, START + timedelta(minutes=53))


def test_a_meeting_recorded_another_day_keeps_its_own_date(shimizu: Scenario) -> None:
    # Held on the 20th at 14:00; typed in a week later, from 10:00 to 10:50.
    held = START - timedelta(days=7)
    session = recorded(shimizu, held, START.replace(hour=10))
    assert facts.meeting_end(session) is None  # that end is not the meeting's
    minutes = build_minutes([session])
    assert (minutes.date, minutes.time) == ("令和8年11月20日（金）", "14:00〜")
    md = render_minutes([session], "md").decode("utf-8")
    assert "| 開催日時 | 令和8年11月20日（金） 14:00〜 |" in md
    assert default_minutes_path([session], "md", redact=True).name == "2026-11-20-public.md"


def test_a_meeting_recorded_the_same_day_before_its_set_time_shows_the_start_only(
    shimizu: Scenario,
) -> None:
    # Set up for 14:00, but typed in from 9:00 to 9:50 that morning.
    session = recorded(shimizu, START, START.replace(hour=9))
    assert facts.meeting_end(session) is None
    assert build_minutes([session]).tables[0].time == "14:00〜"


def test_a_meeting_still_running_has_an_open_end(engine: SessionEngine) -> None:
    engine.begin()
    assert (facts.meeting_start(engine.session), facts.meeting_end(engine.session)) == (
        START,
        None,
    )


def test_several_tables_span_the_first_start_to_the_last_end(shimizu: Scenario) -> None:
    a = recorded(shimizu, START, START, minutes=50)
    b = recorded(shimizu, START + timedelta(minutes=5), START + timedelta(minutes=5), minutes=70)
    assert facts.meeting_span([a, b]) == (START, START + timedelta(minutes=75))
    assert build_minutes([a, b]).time == "14:00〜15:15"
    late = recorded(shimizu, START - timedelta(days=1), START)  # recorded the next day
    assert facts.meeting_span([late, a]) == (START - timedelta(days=1), None)


def test_the_resource_file_dates_a_source_by_the_meeting_day(shimizu: Scenario) -> None:
    session = recorded(shimizu, START - timedelta(days=7), START)
    session.cards.append(
        Card(id="c1", step=SPREAD, kind=StepKind.SPREAD, text="移動販売", created_at=START)
    )
    (record,) = resource_records([session], "ja")
    assert [s.date for s in record.sources] == ["2026-11-20"]
