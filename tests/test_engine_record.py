"""A record the room can trust: the floor, the clocks and what Ctrl+Z takes back.

Each rule here is one a recorder relies on without reading a manual: words go
under whoever had the floor while they were typed, a raised hand is for one
contribution, time nobody spoke is not speaking time, and leaving a step is
not speaking.
"""

from __future__ import annotations

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import DomainError, SessionEngine, new_session
from chie_kokan.i18n import set_language, t
from chie_kokan.models import Outcome, Scenario
from test_engine import EXCHANGE, FOUR, OPENING, PICK, SHARE, SPREAD, at, refused, state


@pytest.fixture
def started(clock: ManualClock) -> SessionEngine:
    """The four-person meeting of ``test_engine``, begun."""
    session = new_session(Scenario.model_validate(FOUR), session_id="four", clock=clock)
    engine = SessionEngine(session, clock)
    engine.begin()
    return engine


def texts(e: SessionEngine) -> list[tuple[str, str | None]]:
    return [(c.text, c.speaker) for c in e.session.cards]


# -- words under the name of whoever had the floor --------------------------------------


@pytest.mark.parametrize("key", ["advance", "pass", "choose"])
def test_a_speaker_key_with_text_typed_records_it_for_the_one_who_had_the_floor(
    started: SessionEngine, key: str
) -> None:
    e = at(started, SHARE)
    assert e.live.speaker == "p1"
    before = state(e)
    if key == "advance":
        e.advance_speaker(record="バスが減った")
    elif key == "pass":
        e.pass_turn(record="バスが減った")
    else:
        e.choose_speaker("p3", record="バスが減った")
    assert texts(e) == [("バスが減った", "p1")]
    assert e.live.speaker != "p1"
    e.undo()  # one undo takes back both
    assert state(e) == before


def test_a_speaker_key_with_only_spaces_typed_records_nothing(started: SessionEngine) -> None:
    e = at(started, SHARE)
    e.advance_speaker(record="   ")
    assert texts(e) == [] and e.live.speaker == "p2"


def test_a_refused_speaker_key_records_nothing_either(started: SessionEngine) -> None:
    e = at(started, SPREAD)  # free step, the floor is open
    with refused(e, "no_speaker"):
        e.pass_turn(record="誰のでもない")


def test_text_typed_while_the_floor_was_open_is_everyones(started: SessionEngine) -> None:
    e = at(started, SPREAD)
    e.choose_speaker("p2", record="みんなの声")
    assert texts(e) == [("みんなの声", None)]
    assert e.live.speaker == "p2"


# -- a raised hand is for one contribution ---------------------------------------------


def test_on_a_free_step_the_floor_returns_to_everyone_after_a_card(
    started: SessionEngine,
) -> None:
    e = at(started, SPREAD)
    e.choose_speaker("p3")
    e.record_card("サロンの送迎")
    assert e.live.speaker is None  # the next card is not silently p3's
    e.record_card("だれかの一言")
    assert texts(e) == [("サロンの送迎", "p3"), ("だれかの一言", None)]
    spoken = [turn for turn in e.session.turns if turn.step == SPREAD]
    assert [(turn.speaker, turn.outcome) for turn in spoken] == [("p3", Outcome.SPOKE)]


def test_choosing_the_speaker_again_keeps_the_floor_for_several_cards(
    started: SessionEngine,
) -> None:
    e = at(started, SPREAD)
    e.choose_speaker("p3")
    e.choose_speaker("p3")  # F4 on them again: they keep the floor
    assert e.live.hold
    e.record_card("一つ目")
    e.record_card("二つ目")
    assert e.live.speaker == "p3"
    e.advance_speaker()  # F2: done
    assert e.live.speaker is None and not e.live.hold
    e.record_card("三つ目")
    assert texts(e) == [("一つ目", "p3"), ("二つ目", "p3"), ("三つ目", None)]


def test_on_a_round_step_the_speaker_keeps_the_floor_until_f2(started: SessionEngine) -> None:
    e = at(started, SHARE)
    e.record_card("一つ目")
    e.record_card("二つ目")
    assert e.live.speaker == "p1"
    e.choose_speaker("p1")  # no hold on a round step: nothing to keep
    assert not e.live.hold


# -- leaving a step is not speaking -----------------------------------------------------


@pytest.mark.parametrize("away", [OPENING, PICK, EXCHANGE])
def test_leaving_a_round_step_and_coming_back_keeps_the_speaker(
    started: SessionEngine, clock: ManualClock, away: int
) -> None:
    e = at(started, SHARE)
    e.advance_speaker()  # p1 spoke
    clock.advance(20)  # p2 has talked for 20 s
    e.go_to_step(away)
    clock.advance(300)
    e.go_to_step(SHARE)
    assert e.live.speaker == "p2"
    assert e.round_status() == {"p1": Outcome.SPOKE, "p2": None, "p3": None, "p4": None}
    assert e.turn_elapsed() == 20  # the time away is not theirs
    clock.advance(10)
    assert e.turn_elapsed() == 30
    e.advance_speaker()
    assert e.live.speaker == "p3"
    assert e.speaking_time()["p2"] == 30


def test_f6_then_f7_does_not_mark_anyone_as_spoken(started: SessionEngine) -> None:
    e = at(started, EXCHANGE)
    e.previous_step()
    e.next_step()
    assert e.live.speaker == "p1"
    assert e.round_status()["p1"] is None


# -- speaking time counts only when the clock runs -------------------------------------


def test_speaking_time_stops_with_the_step_timer(
    started: SessionEngine, clock: ManualClock
) -> None:
    e = at(started, SHARE)
    clock.advance(30)
    e.toggle_timer()  # F5: a pause (a phone rang)
    clock.advance(600)
    assert (e.step_elapsed(), e.turn_elapsed(), e.speaking_time()["p1"]) == (30, 30, 30)
    assert e.live.speaker == "p1"  # the floor is still theirs
    e.toggle_timer()
    clock.advance(15)
    assert (e.step_elapsed(), e.turn_elapsed(), e.speaking_time()["p1"]) == (45, 45, 45)
    e.advance_speaker()
    # One turn, however many pauses: the continuation is marked as such.
    p1 = [turn for turn in e.session.turns if turn.speaker == "p1"]
    assert [turn.continues for turn in p1] == [False, True]
    assert p1[-1].outcome is Outcome.SPOKE


def test_a_speaker_given_the_floor_during_a_pause_starts_with_f5(
    started: SessionEngine, clock: ManualClock
) -> None:
    e = at(started, SHARE)
    e.toggle_timer()
    e.advance_speaker()
    assert e.live.speaker == "p2"
    clock.advance(100)
    assert e.speaking_time()["p2"] == 0
    e.pass_turn()  # passes before the clock ran: still a pass of p2
    assert e.pass_counts()["p2"] == 1
    assert e.live.speaker == "p3"
    e.toggle_timer()
    clock.advance(7)
    assert e.speaking_time()["p3"] == 7


# -- typed votes ----------------------------------------------------------------------


def test_votes_are_set_from_a_typed_count(started: SessionEngine) -> None:
    e = at(started, SHARE)
    card = e.record_card("買い物に行けない")
    at(e, PICK)
    assert e.set_votes(card.id, 6) == 6
    assert e.set_votes(card.id, 4) == 4
    assert e.vote(card.id) == 5
    assert e.undo() == t("undo.vote", title="買い物に行けない")
    assert e.card(card.id).votes == 4
    with refused(e, "negative_votes"):
        e.set_votes(card.id, -1)
    with refused(e, "too_many_votes"):
        e.set_votes(card.id, 10_000)


def test_typed_votes_on_a_grouped_card_count_for_its_group(started: SessionEngine) -> None:
    e = at(started, SHARE)
    a, b = e.record_card("バス"), e.record_card("坂道")
    at(e, PICK)
    group = e.group_cards("移動", [a.id, b.id])
    e.set_votes(b.id, 3)
    assert e.group(group.id) is not None and e.group(group.id).votes == 3  # type: ignore[union-attr]
    assert e.card(b.id).votes == 0


def test_votes_are_refused_outside_the_pick_step(started: SessionEngine) -> None:
    e = at(started, SHARE)
    card = e.record_card("買い物")
    with refused(e, "not_pick"):
        e.set_votes(card.id, 2)


# -- Ctrl+Z says what it took back -----------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "en"])
def test_undo_says_what_it_took_back(started: SessionEngine, language: str) -> None:
    set_language(language)  # type: ignore[arg-type]
    e = at(started, SHARE)
    e.record_card("ゴミ出しが\nつらい　とても長い長い長い長い長い話です")
    assert e.undo_label == t("undo.record", text="ゴミ出しが つらい とても長い長い長い長い長い…")
    e.undo()
    assert e.undo_label == t("undo.step", title=e.steps[SHARE].title or "")
    assert e.undo() == t("undo.step", title=e.steps[SHARE].title or "")
    at(e, SHARE)
    e.advance_speaker(record="一言")
    assert e.undo() == t("undo.record_and_speaker", text="一言")


def test_undo_with_nothing_to_take_back_is_refused(started: SessionEngine) -> None:
    e = started
    e.undo()
    assert e.undo_label is None
    with pytest.raises(DomainError):
        e.undo()


def test_choosing_the_speaker_again_on_a_round_step_leaves_nothing_to_undo(
    started: SessionEngine,
) -> None:
    e = at(started, SHARE)
    label = e.undo_label
    e.choose_speaker("p1")
    assert e.undo_label == label
