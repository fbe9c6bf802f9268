"""The session engine, through its public API, with a clock that moves only when told."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import DomainError, SessionEngine, new_session
from chie_kokan.i18n import set_language
from chie_kokan.models import (
    STANDARD_FLOW,
    Outcome,
    Resource,
    Roles,
    Scenario,
    Session,
    Status,
    StepKind,
)
from chie_kokan.storage import create_session_file, load_session

# Four people and the six steps, with time boxes and turn rules of our own,
# so every expectation below follows from this scenario and not from defaults.
FOUR: dict[str, Any] = {
    "schema": 1,
    "title": "知恵交換会",
    "theme": "買い物と移動",
    "case": {"name": "清水さん"},
    "participants": [
        {"name": "山田 花子", "organization": "自治会"},
        {"name": "佐藤 一郎", "organization": "老人クラブ"},
        {"name": "鈴木 美和", "organization": "社会福祉協議会"},
        {"name": "高橋 健", "organization": "地域包括支援センター"},
    ],
    "steps": [
        {"kind": "opening", "minutes": 5, "turns": "free"},
        {"kind": "share", "minutes": 20, "turns": "round", "seconds_per_turn": 60},
        {"kind": "pick", "minutes": 15, "turns": "free", "votes_per_person": 3},
        {"kind": "exchange", "minutes": 25, "turns": "round", "questions": ["Q1", "Q2"]},
        {"kind": "spread", "minutes": 15, "turns": "free"},
        {"kind": "reflect", "minutes": 10, "turns": "round", "questions": ["Q3"]},
    ],
}
OPENING, SHARE, PICK, EXCHANGE, SPREAD, REFLECT = range(6)
PEOPLE = ["p1", "p2", "p3", "p4"]


@pytest.fixture
def engine(clock: ManualClock) -> SessionEngine:
    scenario = Scenario.model_validate(FOUR)
    return SessionEngine(new_session(scenario, session_id="four", clock=clock), clock)


@pytest.fixture
def started(engine: SessionEngine) -> SessionEngine:
    engine.begin()
    return engine


def at(engine: SessionEngine, step: int) -> SessionEngine:
    engine.go_to_step(step)
    return engine


def state(engine: SessionEngine) -> dict[str, Any]:
    """The whole session but its last-write time (which an undo, being a write, moves)."""
    dump = engine.session.model_dump()
    dump.pop("updated_at")
    return dump


@contextmanager
def refused(engine: SessionEngine, key: str) -> Iterator[None]:
    """The operation raises DomainError(key) and leaves no trace at all."""
    before = engine.session.model_dump()
    revision = engine.revision
    with pytest.raises(DomainError) as caught:
        yield
    assert caught.value.key == key
    assert engine.session.model_dump() == before
    assert engine.revision == revision
    for language in ("en", "ja"):
        set_language(language)
        message = str(caught.value)
        assert message.strip()
        assert "{" not in message  # every placeholder filled


def speakers(engine: SessionEngine) -> list[tuple[str, int | None, int, Outcome | None]]:
    return [(t.speaker, t.question, t.round, t.outcome) for t in engine.session.turns]


def ids(members: list[Any]) -> list[str]:
    return [m.id for m in members]


def share_four_troubles(engine: SessionEngine) -> list[str]:
    """On the share step: each person in turn records one trouble."""
    at(engine, SHARE)
    cards = []
    for text in [
        "駅前のスーパーが閉店",
        "重い物が買えない",
        "ゴミ出しの日を忘れる",
        "バス停が遠い",
    ]:
        cards.append(engine.record_card(text).id)
        engine.advance_speaker()
    return cards


# -- beginning, steps, the end ------------------------------------------------


def test_begin_opens_the_first_step_and_starts_its_clock(
    engine: SessionEngine, clock: ManualClock
) -> None:
    assert not engine.started
    engine.begin()
    assert engine.started and not engine.ended
    assert engine.step_index == OPENING
    assert engine.step.kind is StepKind.OPENING
    log = [(v.step, v.started_at, v.ended_at) for v in engine.session.step_log]
    assert log == [(OPENING, clock.now, None)]
    assert engine.timer_running
    clock.advance(42)
    assert engine.step_elapsed() == 42


def test_begin_twice_is_refused(started: SessionEngine) -> None:
    with refused(started, "already_started"):
        started.begin()


def test_begin_with_nobody_present_is_refused(clock: ManualClock) -> None:
    session = new_session(Scenario.model_validate(FOUR), session_id="x", members=[], clock=clock)
    engine = SessionEngine(session, clock)
    with refused(engine, "no_members"):
        engine.begin()


@pytest.mark.parametrize(
    "operation",
    [
        lambda e: e.next_step(),
        lambda e: e.previous_step(),
        lambda e: e.go_to_step(SHARE),
        lambda e: e.finish(),
        lambda e: e.advance_speaker(),
        lambda e: e.pass_turn(),
        lambda e: e.choose_speaker("p1"),
        lambda e: e.set_question(0),
        lambda e: e.toggle_timer(),
        lambda e: e.record_card("まだ始まっていない"),
        lambda e: e.add_action("まだ"),
    ],
    ids=[
        "next",
        "previous",
        "go_to",
        "finish",
        "advance",
        "pass",
        "choose",
        "question",
        "timer",
        "card",
        "action",
    ],
)
def test_the_meeting_must_begin_first(
    engine: SessionEngine, operation: Callable[[SessionEngine], object]
) -> None:
    with refused(engine, "not_started"):
        operation(engine)


def test_walk_in_and_details_are_allowed_before_the_start(engine: SessionEngine) -> None:
    engine.add_walk_in("来た 人")
    engine.update_details(place="公民館")
    assert engine.members[-1].name == "来た 人"
    assert engine.session.place == "公民館"


def test_next_and_previous_step_walk_the_flow_and_log_each_visit(
    started: SessionEngine, clock: ManualClock
) -> None:
    e = started
    visited = [e.step_index]
    for _ in range(5):
        clock.advance(60)
        e.next_step()
        visited.append(e.step_index)
    assert visited == list(range(6))
    clock.advance(60)
    e.previous_step()
    assert e.step_index == SPREAD
    log = e.session.step_log
    assert [v.step for v in log] == [*range(6), SPREAD]
    # Each visit ends the moment the next begins; only the last is open.
    for visit, following in itertools.pairwise(log):
        assert visit.ended_at == following.started_at
    assert log[-1].ended_at is None
    assert log[-1].started_at == clock.now


def test_next_after_the_last_step_finishes_and_previous_reopens(
    started: SessionEngine, clock: ManualClock
) -> None:
    e = at(started, REFLECT)
    assert e.live.speaker == "p1"  # reflect is a round step
    clock.advance(30)
    e.next_step()
    assert e.ended
    assert e.step_index == REFLECT  # the summary belongs to the last step
    assert e.live.speaker is None
    assert not any(t.running_since for t in e.live.timers)
    last_turn = e.session.turns[-1]
    assert (last_turn.ended_at, last_turn.outcome) == (clock.now, Outcome.SPOKE)
    assert all(v.ended_at is not None for v in e.session.step_log)
    assert e.session.ended_at == clock.now
    with refused(e, "last_step"):
        e.next_step()
    clock.advance(5)
    e.previous_step()
    assert not e.ended
    assert e.step_index == REFLECT
    assert e.timer_running
    assert e.session.ended_at is None


def test_previous_on_the_first_step_is_refused(started: SessionEngine) -> None:
    with refused(started, "first_step"):
        started.previous_step()


def test_go_to_any_step_and_not_beyond(started: SessionEngine) -> None:
    started.go_to_step(EXCHANGE)
    assert started.step_index == EXCHANGE
    assert started.question == "Q1"
    started.go_to_step(OPENING)
    assert started.step_index == OPENING
    for wrong in (-1, 6, 99):
        with refused(started, "no_step"):
            started.go_to_step(wrong)
    with pytest.raises(DomainError) as caught:
        started.go_to_step(6)
    set_language("ja")
    assert str(caught.value) == "7番目の手順はありません（手順は 6 個）。"  # counted from one
    set_language("en")
    assert str(caught.value) == "There is no step 7 (there are 6)."


# -- speakers ----------------------------------------------------------------


def test_a_round_goes_in_seat_order_and_completes(started: SessionEngine) -> None:
    e = at(started, SHARE)
    assert e.live.speaker == "p1"
    assert ids(e.upcoming()) == ["p2", "p3", "p4"]
    assert ids(e.not_yet_spoken()) == ["p2", "p3", "p4"]
    for expected in ["p2", "p3", "p4"]:
        e.advance_speaker()
        assert e.live.speaker == expected
    assert ids(e.not_yet_spoken()) == []
    assert e.upcoming() == []
    e.advance_speaker()  # the last one has spoken: the round is complete
    assert e.live.speaker is None
    assert e.round_status() == dict.fromkeys(PEOPLE, Outcome.SPOKE)
    assert speakers(e) == [(p, None, 1, Outcome.SPOKE) for p in PEOPLE]


def test_f2_after_everyone_has_spoken_starts_a_new_round(started: SessionEngine) -> None:
    e = at(started, SHARE)
    for _ in PEOPLE:
        e.advance_speaker()
    assert e.live.speaker is None
    e.advance_speaker()
    assert e.live.round == 2
    assert e.live.speaker == "p1"
    assert ids(e.not_yet_spoken()) == ["p2", "p3", "p4"]
    assert e.round_status() == dict.fromkeys(PEOPLE, None)
    assert speakers(e)[-1] == ("p1", None, 2, None)


def test_pass_moves_on_and_is_counted(started: SessionEngine) -> None:
    e = at(started, SHARE)
    e.advance_speaker()
    e.pass_turn()  # p2 passes
    assert e.live.speaker == "p3"
    status = e.round_status()
    assert (status["p1"], status["p2"], status["p3"]) == (Outcome.SPOKE, Outcome.PASSED, None)
    assert e.pass_counts() == {"p1": 0, "p2": 1, "p3": 0, "p4": 0}
    e.pass_turn()
    e.pass_turn()
    assert e.live.speaker is None
    assert e.pass_counts() == {"p1": 0, "p2": 1, "p3": 1, "p4": 1}
    with refused(e, "no_speaker"):
        e.pass_turn()


def test_choosing_a_raised_hand_out_of_turn(started: SessionEngine) -> None:
    e = at(started, SHARE)
    e.choose_speaker("p3")
    assert e.live.speaker == "p3"
    assert ids(e.not_yet_spoken()) == ["p2", "p4"]
    assert ids(e.upcoming()) == ["p4", "p2"]  # seat order after the current speaker
    e.advance_speaker()
    assert e.live.speaker == "p4"
    e.advance_speaker()
    assert e.live.speaker == "p2"  # round the table to whoever is left
    e.advance_speaker()
    assert e.live.speaker is None
    assert [t.speaker for t in e.session.turns] == ["p1", "p3", "p4", "p2"]
    assert {t.outcome for t in e.session.turns} == {Outcome.SPOKE}
    with refused(e, "unknown_member"):
        e.choose_speaker("p9")


def test_each_question_of_an_exchange_step_has_its_own_round(started: SessionEngine) -> None:
    e = at(started, EXCHANGE)
    assert (e.live.question, e.question, e.live.speaker) == (0, "Q1", "p1")
    for _ in PEOPLE:
        e.advance_speaker()
    # Everyone answered Q1: Q2 starts its own round from the first seat.
    assert (e.live.question, e.question, e.live.round, e.live.speaker) == (1, "Q2", 1, "p1")
    assert ids(e.not_yet_spoken()) == ["p2", "p3", "p4"]
    for _ in PEOPLE:
        e.advance_speaker()
    assert e.live.speaker is None
    assert e.live.question == 1  # there is no Q3
    assert speakers(e) == [(p, q, 1, Outcome.SPOKE) for q in (0, 1) for p in PEOPLE]


def test_going_back_to_an_answered_question_stays_there(started: SessionEngine) -> None:
    e = at(started, EXCHANGE)
    for _ in PEOPLE:
        e.advance_speaker()
    assert e.live.question == 1
    e.set_question(0)
    assert e.live.question == 0
    assert e.question == "Q1"
    assert e.live.speaker is None  # all answered Q1 already
    e.advance_speaker()  # F2: a second round on Q1
    assert (e.live.question, e.live.round, e.live.speaker) == (0, 2, "p1")
    e.set_question(1)
    # Q2 continues where it was: p1 had answered, p2 is next.
    assert (e.live.question, e.live.round, e.live.speaker) == (1, 1, "p2")


def test_a_later_question_does_not_repeat_who_has_answered_it(started: SessionEngine) -> None:
    e = at(started, EXCHANGE)
    assert (e.live.question, e.live.speaker) == (0, "p1")
    e.set_question(1)  # p1 answered Q1 and goes on to Q2
    assert (e.live.question, e.live.speaker) == (1, "p1")
    e.advance_speaker()
    assert e.live.speaker == "p2"
    e.set_question(0)  # p2 has answered Q2 too; back to Q1
    assert (e.live.question, e.live.speaker) == (0, "p2")
    e.advance_speaker()
    e.advance_speaker()
    e.advance_speaker()
    # Q1 is done: Q2 resumes with the first person who has not answered it.
    assert (e.live.question, e.live.speaker) == (1, "p3")
    assert [t.speaker for t in e.session.turns if t.question == 1] == ["p1", "p2", "p3"]


def test_choosing_a_question_that_does_not_exist_is_refused(started: SessionEngine) -> None:
    e = at(started, EXCHANGE)
    for wrong in (-1, 2):
        with refused(e, "no_question"):
            e.set_question(wrong)
    e.go_to_step(SHARE)  # no questions at all
    with refused(e, "no_question"):
        e.set_question(0)


def test_a_free_step_has_no_order(started: SessionEngine) -> None:
    e = started  # opening is free
    assert e.live.speaker is None
    assert e.upcoming() == []
    with refused(e, "no_speaker"):
        e.advance_speaker()  # nobody has the floor: nothing to move on from
    e.choose_speaker("p2")
    assert e.live.speaker == "p2"
    assert e.upcoming() == []
    e.choose_speaker("p4")
    e.advance_speaker()
    assert e.live.speaker is None
    assert speakers(e) == [("p2", None, 1, Outcome.SPOKE), ("p4", None, 1, Outcome.SPOKE)]


def test_a_walk_in_takes_the_last_seat_and_a_turn(started: SessionEngine) -> None:
    e = at(started, SHARE)
    member = e.add_walk_in("  飛び入り 太郎 ", " 民生委員 ")
    assert (member.name, member.organization, member.walk_in) == ("飛び入り 太郎", "民生委員", True)
    assert member.id not in PEOPLE
    assert e.members[-1] == member
    assert [m.walk_in for m in e.members] == [False] * 4 + [True]
    for _ in PEOPLE:
        e.advance_speaker()
    assert e.live.speaker == member.id
    with refused(e, "empty_text"):
        e.add_walk_in("   ")


def test_operations_on_a_finished_session_are_refused(started: SessionEngine) -> None:
    e = at(started, REFLECT)
    e.next_step()
    assert e.ended
    for operation in (
        e.advance_speaker,
        lambda: e.choose_speaker("p1"),
        lambda: e.set_question(0),
        e.toggle_timer,
        e.finish,
    ):
        with refused(e, "ended"):
            operation()


# -- cards -------------------------------------------------------------------


def test_a_card_is_recorded_for_the_current_speaker(
    started: SessionEngine, clock: ManualClock
) -> None:
    e = at(started, SHARE)
    e.advance_speaker()
    clock.advance(12)
    card = e.record_card("  駅前のスーパーが閉店した \n")
    assert card.text == "駅前のスーパーが閉店した"
    assert (card.speaker, card.step, card.kind) == ("p2", SHARE, StepKind.SHARE)
    assert (card.question, card.answers, card.votes, card.picked) == (None, None, 0, False)
    assert card.created_at == clock.now
    assert e.session.cards == [card]
    assert e.cards_of_step() == [card]
    assert e.cards_of_step(OPENING) == []


def test_unsigned_and_named_cards(started: SessionEngine) -> None:
    e = at(started, SHARE)
    assert e.record_card("全体から", speaker=None).speaker is None
    assert e.record_card("高橋さんから", speaker="p4").speaker == "p4"
    e.go_to_step(OPENING)  # free step, nobody has the floor
    assert e.record_card("誰とも決めずに").speaker is None
    assert len({c.id for c in e.session.cards}) == 3


def test_recording_a_card_is_refused_when_it_makes_no_sense(started: SessionEngine) -> None:
    e = at(started, SHARE)
    with refused(e, "empty_text"):
        e.record_card(" \t\n ")
    with refused(e, "unknown_member"):
        e.record_card("誰？", speaker="p9")
    with refused(e, "unknown_target"):
        e.record_card("どれに？", answers="c99")


def test_editing_a_card(started: SessionEngine, clock: ManualClock) -> None:
    e = at(started, SHARE)
    card = e.record_card("スーパー閉店")
    clock.advance(30)
    e.edit_card(card.id, "  駅前のスーパーが閉店 ")
    edited = e.card(card.id)
    assert (edited.text, edited.speaker, edited.edited_at) == (
        "駅前のスーパーが閉店",
        "p1",
        clock.now,
    )
    assert edited.created_at == card.created_at
    e.edit_card(card.id, speaker="p3", runs_by=" 社協 ", place=" 集会所 ")
    edited = e.card(card.id)
    assert (edited.text, edited.speaker, edited.runs_by, edited.place) == (
        "駅前のスーパーが閉店",
        "p3",
        "社協",
        "集会所",
    )
    e.edit_card(card.id, speaker=None)
    assert e.card(card.id).speaker is None
    with refused(e, "unknown_card"):
        e.edit_card("c99", "x")
    with refused(e, "empty_text"):
        e.edit_card(card.id, "  ")
    with refused(e, "unknown_member"):
        e.edit_card(card.id, speaker="p9")


def test_deleting_a_card_lets_groups_answers_and_target_go(started: SessionEngine) -> None:
    e = started
    c1, c2, c3, _ = share_four_troubles(e)
    at(e, PICK)
    group = e.group_cards("買い物", [c1, c2])
    e.set_picked(c3)
    at(e, EXCHANGE)
    e.set_target(c3)
    answer = e.record_card("移動販売を呼ぶ")
    assert answer.answers == c3
    e.delete_card(c1)
    assert e.group(group.id).cards == [c2]
    e.delete_card(c3)
    assert c3 not in [c.id for c in e.session.cards]
    assert e.card(answer.id).answers is None
    assert e.live.target is None
    with refused(e, "unknown_card"):
        e.delete_card(c3)


def test_resource_details_on_a_card(started: SessionEngine) -> None:
    e = at(started, SPREAD)
    card = e.record_card("買い物バス", runs_by="商工会", place="駅前")
    assert (card.runs_by, card.place) == ("商工会", "駅前")
    resource = Resource(name="買い物バス", category="移動", fee="無料", publishable=True)
    e.mark_resource(card.id, resource)
    assert e.card(card.id).resource == resource
    e.mark_resource(card.id, None)
    assert e.card(card.id).resource is None
    with refused(e, "unknown_card"):
        e.mark_resource("c99", resource)


# -- pick: groups, votes, picked ------------------------------------------------


def test_grouping_cards_on_the_pick_step(started: SessionEngine) -> None:
    e = started
    c1, c2, c3, c4 = share_four_troubles(e)
    at(e, PICK)
    first = e.group_cards("  買い物 ", [c1, c2, c1])
    assert (first.title, first.cards, first.step) == ("買い物", [c1, c2], PICK)
    assert {t.id for t in e.troubles()} == {first.id, c3, c4}
    second = e.group_cards("移動", [c2, c4])  # c2 moves over
    assert e.group(first.id).cards == [c1]
    assert e.group(second.id).cards == [c2, c4]
    trouble = next(t for t in e.troubles() if t.id == second.id)
    assert trouble.is_group and [c.id for c in trouble.cards] == [c2, c4]
    e.ungroup(second.id)
    assert e.group(second.id) is None
    assert {t.id for t in e.troubles()} == {first.id, c2, c3, c4}
    with refused(e, "empty_group"):
        e.group_cards("空", [])
    with refused(e, "empty_text"):
        e.group_cards("  ", [c3])
    with refused(e, "unknown_card"):
        e.group_cards("無い", [c3, "c99"])
    with refused(e, "unknown_target"):
        e.ungroup("g99")


def test_a_trouble_noticed_during_the_pick_step_can_be_voted_on(started: SessionEngine) -> None:
    e = started
    (c1, *_) = share_four_troubles(e)
    at(e, PICK)
    late = e.record_card("夜道が暗い", speaker=None)
    shared_only = {t.id for t in e.troubles()} - {late.id}
    assert late.id in {t.id for t in e.troubles()} and c1 in shared_only
    e.vote(late.id, +2)
    assert e.troubles()[0].id == late.id


def test_a_vote_or_star_on_a_grouped_card_counts_for_its_group(started: SessionEngine) -> None:
    e = started
    c1, c2, c3, _ = share_four_troubles(e)
    at(e, PICK)
    group = e.group_cards("買い物", [c1, c2])
    assert e.vote(c2, +2) == 2
    assert e.set_picked(c1) is True
    assert (e.group(group.id).votes, e.group(group.id).picked) == (2, True)
    assert (e.card(c1).votes, e.card(c2).votes, e.card(c1).picked) == (0, 0, False)
    assert e.vote(c3) == 1 and e.card(c3).votes == 1  # ungrouped cards keep their own


def test_votes_go_up_and_down_but_never_below_zero(started: SessionEngine) -> None:
    e = started
    c1, c2, c3, c4 = share_four_troubles(e)
    at(e, PICK)
    group = e.group_cards("買い物", [c1, c2])
    assert e.vote(group.id) == 1
    assert e.vote(group.id, +2) == 3
    assert e.vote(c3) == 1
    assert e.vote(c4, 2) == 2
    assert e.vote(c4, -1) == 1
    assert [(t.id, t.votes) for t in e.troubles()] == [(group.id, 3), (c3, 1), (c4, 1)]
    with refused(e, "negative_votes"):
        e.vote(c3, -2)
    with refused(e, "negative_votes"):
        e.vote(group.id, -4)
    e.vote(c3, -1)
    with refused(e, "negative_votes"):
        e.vote(c3, -1)
    with refused(e, "unknown_target"):
        e.vote("c99")


def test_pick_and_unpick(started: SessionEngine) -> None:
    e = started
    c1, c2, c3, _ = share_four_troubles(e)
    at(e, PICK)
    group = e.group_cards("買い物", [c1, c2])
    assert e.set_picked(group.id) is True
    assert e.set_picked(c3, True) is True
    assert {t.id for t in e.picked_troubles()} == {group.id, c3}
    assert e.set_picked(group.id) is False
    assert e.set_picked(c3, False) is False
    assert e.picked_troubles() == []
    with refused(e, "unknown_target"):
        e.set_picked("g99")


@pytest.mark.parametrize(
    "operation",
    [
        lambda e, c: e.vote(c),
        lambda e, c: e.set_picked(c),
        lambda e, c: e.group_cards("x", [c]),
    ],
    ids=["vote", "pick", "group"],
)
def test_votes_picks_and_groups_happen_on_pick_steps_only(
    started: SessionEngine, operation: Callable[[SessionEngine, str], object]
) -> None:
    e = started
    card = share_four_troubles(e)[0]
    for step in (SHARE, EXCHANGE, REFLECT):
        at(e, step)
        with refused(e, "not_pick"):
            operation(e, card)


# -- exchange: answers keep their question and trouble ---------------------------


def test_exchange_answers_keep_question_and_trouble(started: SessionEngine) -> None:
    e = started
    c1, c2, c3, _ = share_four_troubles(e)
    at(e, PICK)
    e.vote(c1)
    e.vote(c2, 3)
    e.vote(c3, 2)
    e.set_picked(c1)
    e.set_picked(c2)
    at(e, EXCHANGE)
    assert e.live.target == c2  # the picked trouble with the most votes
    first = e.record_card("自治会で見守る")
    assert (first.step, first.kind, first.question, first.answers) == (
        EXCHANGE,
        StepKind.EXCHANGE,
        0,
        c2,
    )
    assert first.speaker == "p1"
    e.set_target(c1)
    assert e.record_card("買い物代行").answers == c1
    for _ in PEOPLE:
        e.advance_speaker()
    second = e.record_card("送迎ボランティア")
    assert (second.question, second.answers, second.speaker) == (1, c1, "p1")
    e.set_target(None)
    assert e.record_card("一般的な知恵").answers is None
    assert e.record_card("直接指定", answers=c2).answers == c2
    with refused(e, "unknown_target"):
        e.set_target("c99")


def test_cards_outside_the_exchange_step_answer_no_trouble(started: SessionEngine) -> None:
    e = started
    c1 = share_four_troubles(e)[0]
    at(e, PICK)
    e.set_picked(c1)
    at(e, EXCHANGE)
    assert e.live.target == c1
    at(e, SPREAD)
    assert e.record_card("成功例: 買い物バス").answers is None
    at(e, SHARE)
    assert e.record_card("もう一つの困りごと").answers is None


# -- action items ------------------------------------------------------------------


def test_action_items(started: SessionEngine, clock: ManualClock) -> None:
    e = at(started, SPREAD)
    first = e.add_action("  買い物バスの試乗会を企画 ", " 山田 ", " 12月 ")
    assert (first.what, first.who, first.due, first.step) == (
        "買い物バスの試乗会を企画",
        "山田",
        "12月",
        SPREAD,
    )
    assert (first.done, first.created_at) == (False, clock.now)
    second = e.add_action("サロンで周知")
    assert second.id != first.id
    assert (second.who, second.due) == ("", "")
    e.delete_action(first.id)
    assert e.session.actions == [second]
    with refused(e, "unknown_target"):
        e.delete_action(first.id)
    with refused(e, "empty_action"):
        e.add_action("   ", "誰か")


# -- session details -------------------------------------------------------------


def test_session_details(engine: SessionEngine) -> None:
    roles = Roles(facilitator="鈴木", timekeeper="高橋", board_writer="佐藤", minute_taker="田中")
    engine.update_details(
        place="第三団地集会所", roles=roles, observers=3, public=False, status="approved"
    )
    s = engine.session
    assert (s.place, s.roles, s.observers, s.public, s.status) == (
        "第三団地集会所",
        roles,
        3,
        False,
        Status.APPROVED,
    )


@pytest.mark.parametrize(
    "fields",
    [{"observers": -1}, {"status": "final"}, {"public": "yes"}, {"roles": {"chair": "x"}}],
    ids=["negative-observers", "bad-status", "public-not-bool", "unknown-role"],
)
def test_invalid_session_details_are_refused(engine: SessionEngine, fields: dict[str, Any]) -> None:
    with refused(engine, "bad_detail"):
        engine.update_details(**fields)


def test_unknown_session_details_are_a_programming_error(engine: SessionEngine) -> None:
    with pytest.raises(ValueError, match="cards"):
        engine.update_details(cards=[])


# -- timers ------------------------------------------------------------------------


def test_step_timer_counts_from_timestamps_with_pause_and_resume(
    started: SessionEngine, clock: ManualClock
) -> None:
    e = started  # opening: 5 minutes
    clock.advance(100)
    assert (e.step_elapsed(), e.step_remaining(), e.is_over_time()) == (100, 200, False)
    assert e.toggle_timer() is False  # paused
    assert not e.timer_running
    clock.advance(1000)
    assert e.step_elapsed() == 100
    assert e.toggle_timer() is True
    clock.advance(250)
    assert (e.step_elapsed(), e.step_remaining(), e.is_over_time()) == (350, -50, True)


def test_each_step_keeps_its_own_timer(started: SessionEngine, clock: ManualClock) -> None:
    e = started
    clock.advance(60)
    e.next_step()
    clock.advance(30)
    assert e.step_elapsed(OPENING) == 60
    assert e.step_elapsed() == 30
    clock.advance(100)
    assert e.step_elapsed(OPENING) == 60  # left behind, not counting
    e.previous_step()
    clock.advance(10)
    assert e.step_elapsed() == 70  # resumed where it was
    assert e.step_elapsed(SHARE) == 130
    assert e.step_remaining(SHARE) == 20 * 60 - 130


def test_the_timer_can_be_paused_and_survives_leaving(
    started: SessionEngine, clock: ManualClock
) -> None:
    e = started
    clock.advance(20)
    e.toggle_timer()
    clock.advance(500)
    e.next_step()
    e.previous_step()  # coming back starts it again from what it had counted
    clock.advance(5)
    assert e.step_elapsed() == 25


def test_turn_timer_against_seconds_per_turn(started: SessionEngine, clock: ManualClock) -> None:
    e = started
    assert (e.turn_elapsed(), e.turn_remaining()) == (None, None)  # nobody speaking
    at(e, SHARE)  # 60 seconds each
    assert (e.turn_elapsed(), e.turn_remaining()) == (0, 60)
    clock.advance(75)
    assert (e.turn_elapsed(), e.turn_remaining()) == (75, -15)
    e.advance_speaker()
    clock.advance(10)
    assert (e.turn_elapsed(), e.turn_remaining()) == (10, 50)
    at(e, EXCHANGE)  # no per-turn limit
    clock.advance(7)
    assert (e.turn_elapsed(), e.turn_remaining()) == (7, None)


def test_resume_after_a_break_counts_neither_clock_nor_speaking_time_for_it(
    started: SessionEngine, clock: ManualClock
) -> None:
    e = started
    at(e, SHARE)
    speaker = e.live.speaker
    clock.advance(40)
    e.record_card("last words before the laptop died")  # the last change on disk
    clock.advance(20)  # spoken, but never saved
    saved = Session.model_validate_json(e.session.model_dump_json())
    clock.advance(3600)  # the app was down for an hour
    back = SessionEngine(saved, clock)
    back.resume()
    assert not back.timer_running
    assert back.step_elapsed() == 40  # up to the last change on disk
    assert back.live.speaker == speaker  # still has the floor
    assert not back.can_undo  # nothing to undo back into the break
    clock.advance(30)  # settling down: no clock counts until F5
    assert (back.step_elapsed(), back.turn_elapsed(), back.speaking_time()[speaker]) == (40, 40, 40)
    assert back.toggle_timer() is True  # F5: the room goes on
    clock.advance(5)
    assert (back.step_elapsed(), back.turn_elapsed(), back.speaking_time()[speaker]) == (45, 45, 45)
    assert back.live.speaker == speaker


def test_quitting_keeps_the_time_the_clocks_ran(started: SessionEngine, clock: ManualClock) -> None:
    e = started
    at(e, SHARE)
    clock.advance(300)  # five minutes of talk, nothing typed
    e.pause_all_timers(at=clock())
    clock.advance(60)
    assert (e.step_elapsed(), e.turn_elapsed()) == (300, 300)
    assert e.live.speaker is not None  # still has the floor when the meeting goes on
    e.resume()
    e.toggle_timer()
    clock.advance(10)
    assert (e.step_elapsed(), e.turn_elapsed()) == (310, 310)


def test_speaking_time_and_passes_per_person(started: SessionEngine, clock: ManualClock) -> None:
    e = at(started, SHARE)
    clock.advance(30)
    e.advance_speaker()
    clock.advance(5)
    e.pass_turn()
    clock.advance(45)
    e.advance_speaker()
    clock.advance(10)  # p4 still speaking
    assert e.speaking_time() == {"p1": 30, "p2": 0, "p3": 45, "p4": 10}
    assert e.pass_counts() == {"p1": 0, "p2": 1, "p3": 0, "p4": 0}
    at(e, EXCHANGE)
    clock.advance(20)
    assert e.speaking_time()["p1"] == 50  # across steps


# -- undo -----------------------------------------------------------------------------


@pytest.fixture
def busy(started: SessionEngine, clock: ManualClock) -> SessionEngine:
    """A meeting with cards, a group, votes, a pick, an answer and an action."""
    e = started
    c1, c2, c3, _ = share_four_troubles(e)
    at(e, PICK)
    e.group_cards("買い物", [c1, c2])
    e.vote(c3, 2)
    e.set_picked(c3)
    at(e, EXCHANGE)
    e.record_card("見守り")
    at(e, SPREAD)
    e.add_action("試乗会", "山田", "12月")
    clock.advance(30)
    return e


def finished(e: SessionEngine) -> None:
    at(e, REFLECT)
    e.next_step()


Operation = Callable[[SessionEngine], object]


def step(index: int) -> Operation:
    return lambda e: at(e, index)


# name → (how to get there, the change to take back)
UNDOABLE: dict[str, tuple[Operation, Operation]] = {
    "next-step": (step(SHARE), lambda e: e.next_step()),
    "previous-step": (step(EXCHANGE), lambda e: e.previous_step()),
    "go-to-step": (step(SHARE), lambda e: e.go_to_step(REFLECT)),
    "finish": (step(REFLECT), lambda e: e.next_step()),
    "reopen": (finished, lambda e: e.previous_step()),
    "advance-speaker": (step(SHARE), lambda e: e.advance_speaker()),
    "pass": (lambda e: (at(e, SHARE), e.choose_speaker("p2")), lambda e: e.pass_turn()),
    "choose-speaker": (step(SHARE), lambda e: e.choose_speaker("p3")),
    "set-question": (step(EXCHANGE), lambda e: e.set_question(1)),
    "toggle-timer": (step(SHARE), lambda e: e.toggle_timer()),
    "record-card": (step(SHARE), lambda e: e.record_card("新しい困りごと")),
    "edit-card": (step(SHARE), lambda e: e.edit_card("c1", "書き直し", speaker="p4")),
    "delete-card": (step(PICK), lambda e: e.delete_card("c1")),
    "mark-resource": (step(SPREAD), lambda e: e.mark_resource("c1", Resource(name="サロン"))),
    "group": (step(PICK), lambda e: e.group_cards("移動", ["c2", "c4"])),
    "ungroup": (step(PICK), lambda e: e.ungroup("g1")),
    "vote-up": (step(PICK), lambda e: e.vote("g1")),
    "vote-down": (step(PICK), lambda e: e.vote("c3", -1)),
    "pick": (step(PICK), lambda e: e.set_picked("g1")),
    "unpick": (step(PICK), lambda e: e.set_picked("c3")),
    "set-target": (step(EXCHANGE), lambda e: e.set_target("g1")),
    "add-action": (step(SPREAD), lambda e: e.add_action("周知")),
    "delete-action": (step(SPREAD), lambda e: e.delete_action("a1")),
    "walk-in": (step(SHARE), lambda e: e.add_walk_in("飛び入り")),
    "details": (
        step(SHARE),
        lambda e: e.update_details(place="集会所", observers=2, status="approved"),
    ),
}


@pytest.mark.parametrize("name", list(UNDOABLE))
def test_undo_takes_back_every_kind_of_change(
    busy: SessionEngine, clock: ManualClock, name: str
) -> None:
    setup, operation = UNDOABLE[name]
    e = busy
    setup(e)
    clock.advance(15)
    before = state(e)
    operation(e)
    assert state(e) != before  # the operation did something
    clock.advance(20)
    e.undo()
    assert state(e) == before
    assert e.session.updated_at == clock.now  # the undo itself reached the file


def test_undo_an_accidental_step_change_keeps_the_clock_running(
    busy: SessionEngine, clock: ManualClock
) -> None:
    e = at(busy, SHARE)
    elapsed = e.step_elapsed()
    speaker = e.live.speaker
    e.next_step()  # pressed F7 by mistake
    clock.advance(20)
    e.undo()
    assert (e.step_index, e.live.speaker) == (SHARE, speaker)
    # The room went on talking in the share step meanwhile.
    assert e.step_elapsed() == elapsed + 20


def test_undo_walks_back_in_order_to_before_the_start(
    engine: SessionEngine, clock: ManualClock
) -> None:
    e = engine
    states = [state(e)]
    e.begin()
    states.append(state(e))
    e.next_step()
    states.append(state(e))
    e.record_card("一枚目")
    for expected in reversed(states):
        clock.advance(1)
        e.undo()
        assert state(e) == expected
    assert not e.started
    with refused(e, "nothing_to_undo"):
        e.undo()


def test_listeners_hear_every_change_and_undo(started: SessionEngine) -> None:
    heard: list[int] = []
    started.subscribe(lambda e: heard.append(e.revision))
    started.next_step()
    started.record_card("x")
    started.undo()
    assert heard == [heard[0], heard[0] + 1, heard[0] + 2]
    with pytest.raises(DomainError):
        started.vote("c1")
    assert len(heard) == 3  # a refused operation is not a change


# -- a whole meeting ------------------------------------------------------------------


def test_a_whole_meeting_on_the_shipped_scenario_saves_and_loads_back(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    roles = Roles(facilitator="鈴木 美和", timekeeper="高橋 健", minute_taker="田中 和子")
    session = new_session(
        shimizu, session_id="shimizu", place="第三団地集会所", roles=roles, clock=clock
    )
    e = SessionEngine(session, clock)
    people = ids(e.members)
    kinds = [step.kind for step in e.steps]
    assert kinds == [kind for kind, _, _ in STANDARD_FLOW]  # the standard six

    e.begin()
    clock.advance(240)
    e.next_step()  # share: everyone in seat order, one passes
    assert e.step.kind is StepKind.SHARE
    troubles = []
    for index, person in enumerate(people):
        assert e.live.speaker == person
        clock.advance(50)
        if index == 4:
            e.pass_turn()
            continue
        troubles.append(e.record_card(f"困りごと{index}: 坂がきつい").id)
        e.advance_speaker()
    assert e.live.speaker is None
    e.record_card("全体: バスの本数が少ない", speaker=None)

    clock.advance(60)
    e.next_step()  # pick
    group = e.group_cards("買い物の足", troubles[:3])
    e.vote(group.id, 6)
    e.vote(troubles[3], 4)
    e.set_picked(group.id)
    e.set_picked(troubles[3])

    clock.advance(60)
    e.next_step()  # exchange: two questions, each a round, answering the top trouble
    assert e.live.target == group.id
    for question in (0, 1):
        for person in people:
            assert (e.live.question, e.live.speaker) == (question, person)
            clock.advance(30)
            e.record_card(f"{person} の知恵 {question}")
            e.advance_speaker()
    e.set_target(troubles[3])
    e.record_card("追加の知恵", speaker=people[0])

    clock.advance(60)
    e.next_step()  # spread: a success example and a next action
    e.choose_speaker(people[5])
    example = e.record_card("商工会の買い物バス", runs_by="商工会", place="駅前")
    e.mark_resource(example.id, Resource(name="買い物バス", category="移動", publishable=True))
    e.add_action("買い物バスの試乗会", "伊藤 誠", "来年1月")
    e.add_walk_in("飛び入り 次郎", "民生委員")

    clock.advance(60)
    e.next_step()  # reflect: everyone, the walk-in too
    for _ in e.members:
        clock.advance(20)
        e.record_card("大切にしたいこと")
        e.advance_speaker()
    clock.advance(60)
    e.next_step()
    assert e.ended
    e.update_details(observers=2, status="approved")

    answers = [c for c in e.session.cards if c.kind is StepKind.EXCHANGE]
    assert [c.question for c in answers] == [0] * 9 + [1] * 9 + [1]
    assert {c.answers for c in answers[:-1]} == {group.id}
    assert answers[-1].answers == troubles[3]
    assert [v.step for v in e.session.step_log] == list(range(6))
    assert all(t.ended_at is not None for t in e.session.turns)

    path = create_session_file(e.session, tmp_path / "sessions")
    assert path.name == "2026-11-27-shimizu.toml"
    loaded = load_session(path)
    assert loaded.model_dump() == e.session.model_dump()
    assert loaded == e.session
