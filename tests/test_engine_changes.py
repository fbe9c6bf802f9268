"""The engine tells its listeners which cards a change added, edited or removed.

The running screen's board redraws only those rows (issue 12); so here a
board kept up to date from ``engine.changes`` alone, after any sequence of
changes, undos and quits, must show what a board drawn from scratch shows:
the cards of the step, in order, each as it is now with its speaker.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chie_kokan.clock import ManualClock
from chie_kokan.engine import EVERYTHING, Changes, DomainError, SessionEngine, new_session
from chie_kokan.models import Card, Scenario
from conftest import JST
from test_engine import FOUR
from test_undo_property import operation

Row = tuple[str, Any]


def row(engine: SessionEngine, card: Card) -> Row:
    """What a board row of ``card`` depends on: the card and its speaker."""
    member = engine.session.member(card.speaker)
    return card.id, (card.model_dump(), member.model_dump() if member else None)


def drawn_whole(engine: SessionEngine) -> list[Row]:
    return [row(engine, card) for card in engine.cards_of_step()]


class Board:
    """Rows kept the way the running screen keeps them: only what ``changes`` names."""

    def __init__(self, engine: SessionEngine) -> None:
        self.engine = engine
        self.rows = drawn_whole(engine)
        self.redrawn = 0
        engine.subscribe(self.changed)

    def changed(self, engine: SessionEngine) -> None:
        changes = engine.changes
        if changes.whole:
            self.rows = drawn_whole(engine)
            self.redrawn += 1
            return
        step = engine.step_index
        ids = [row_id for row_id, _ in self.rows]
        for card in changes.edited:
            if card.step == step:
                assert card.id in ids, "an edited card of the step is already on the board"
                self.rows[ids.index(card.id)] = row(engine, card)
        self.rows = [(i, shown) for i, shown in self.rows if i not in set(changes.removed)]
        for card in changes.added:
            assert card.id not in ids, "an added card is new to the board"
            if card.step == step:
                self.rows.append(row(engine, card))


def a_meeting(clock: ManualClock) -> SessionEngine:
    scenario = Scenario.model_validate(FOUR)
    return SessionEngine(new_session(scenario, session_id="four", clock=clock), clock)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_a_board_kept_from_the_changes_shows_what_a_board_drawn_whole_shows(
    data: st.DataObject,
) -> None:
    clock = ManualClock(datetime(2026, 11, 27, 14, 0, tzinfo=JST))
    engine = a_meeting(clock)
    board = Board(engine)
    if data.draw(st.booleans()):
        engine.begin()
        engine.go_to_step(data.draw(st.sampled_from([1, 2])))
        for _ in range(3):
            engine.record_card("カード")
    for _ in range(data.draw(st.integers(1, 50))):
        clock.advance(data.draw(st.sampled_from([0, 1, 65])))
        choice = data.draw(st.sampled_from(["change"] * 6 + ["undo", "undo", "close"]))
        if choice == "undo":
            if engine.can_undo:
                engine.undo()
        elif choice == "close":
            engine.pause_all_timers(at=clock() - timedelta(seconds=3))
        else:
            _, call = operation(data, engine)
            with suppress(DomainError):  # a refused operation tells nobody anything
                call()
        assert board.rows == drawn_whole(engine)


def test_recording_editing_and_deleting_name_only_that_card(clock: ManualClock) -> None:
    engine = a_meeting(clock)
    engine.begin()
    engine.next_step()
    first = engine.record_card("一枚目")
    second = engine.record_card("二枚目")
    assert engine.changes == Changes(added=(second,))
    engine.edit_card(first.id, "直した")
    assert engine.changes == Changes(edited=(first,))
    engine.advance_speaker()
    assert engine.changes == Changes()  # the floor moved: no card
    engine.delete_card(second.id)
    assert engine.changes == Changes(removed=(second.id,))
    engine.undo()  # the card comes back between others: the board is drawn whole
    assert engine.changes == EVERYTHING
    engine.undo()  # the floor
    engine.undo()  # the edit: the card is as it was, named as edited
    assert engine.changes == Changes(edited=(first,)) and first.text == "一枚目"
    engine.undo()  # the second card
    assert engine.changes == Changes(removed=(second.id,))
    engine.next_step()
    assert engine.changes.whole  # another step's board


def test_a_card_is_found_by_id_after_any_way_the_list_of_cards_changed(
    clock: ManualClock,
) -> None:
    """The engine's index of cards (a lookup costs the change, not the board) never
    answers with a card that has gone, nor misses one that came."""
    engine = a_meeting(clock)
    engine.begin()
    engine.next_step()
    first = engine.record_card("一枚目")
    second = engine.record_card("二枚目")
    assert engine.card(second.id) is second
    engine.undo()  # the second card goes: the list is one shorter...
    third = engine.record_card("三枚目")  # ...and as long again, with another last card
    assert engine.card(third.id) is third  # (it may have the id the second one had)
    assert all(engine.card(card.id) is card for card in engine.session.cards)
    engine.delete_card(first.id)  # a delete replaces the list
    assert engine.card(third.id) is third
    assert [c.id for c in engine.session.cards] == [third.id]
    engine.undo()  # the old list comes back
    assert engine.card(first.id) is engine.session.cards[0]
    assert engine.card(third.id) is engine.session.cards[1]
