"""Undo, after any sequence of changes, gives back exactly the earlier session.

Undo is built from what each change touched (``chie_kokan.models.journal``),
not from snapshots; so here random meetings are run through the engine's
public API, with undos in between, and after each undo the whole session
must be what it was before the change it took back, with the same words for
Ctrl+Z. A refused operation must leave no trace at all.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from chie_kokan.clock import ManualClock
from chie_kokan.engine import DomainError, Draft, SessionEngine, new_session
from chie_kokan.models import (
    ReportItem,
    ReportStatus,
    Resource,
    Roles,
    Scenario,
    Session,
    Status,
)
from chie_kokan.storage import session_text
from conftest import JST
from test_engine import FOUR

TEXTS = st.sampled_from(
    ["駅前のスーパーが閉店", "重い物", " 全角　スペース ", "a\x1bb", "", "x" * 80]
)


def state(engine: SessionEngine) -> dict[str, Any]:
    """The whole session but its last-write time (an undo is a write: it moves it)."""
    dump = engine.session.model_dump()
    dump.pop("updated_at")
    return dump


def reads(engine: SessionEngine) -> tuple[Any, ...]:
    """What the screen shows of the floor: who spoke, who is waiting, the clock."""
    if not engine.started:
        return ()
    return (
        engine.round_status(),
        [m.id for m in engine.not_yet_spoken()],
        [m.id for m in engine.upcoming(9)],
        engine.turn_elapsed(),
    )


def card_id(data: st.DataObject, engine: SessionEngine) -> str:
    ids = [c.id for c in engine.session.cards] + ["c999"]
    return data.draw(st.sampled_from(ids))


def target_id(data: st.DataObject, engine: SessionEngine) -> str:
    ids = [c.id for c in engine.session.cards] + [g.id for g in engine.session.groups] + ["g9"]
    return data.draw(st.sampled_from(ids))


def member_id(data: st.DataObject, engine: SessionEngine) -> str:
    return data.draw(st.sampled_from([m.id for m in engine.members] + ["p99"]))


def record(data: st.DataObject) -> str | Draft | None:
    return data.draw(
        st.one_of(st.none(), TEXTS, st.builds(Draft, TEXTS, TEXTS, st.sampled_from(["", "集会所"])))
    )


def operation(data: st.DataObject, engine: SessionEngine) -> tuple[str, Any]:
    """One change a person could make now, with its arguments drawn at random."""
    name = data.draw(
        st.sampled_from(
            [
                "begin",
                "next",
                "previous",
                "go",
                "finish",
                "advance",
                "pass",
                "choose",
                "question",
                "timer",
                "card",
                "card_unsigned",
                "edit",
                "delete",
                "resource",
                "group",
                "ungroup",
                "votes",
                "vote",
                "pick",
                "target",
                "action",
                "delete_action",
                "walk_in",
                "details",
                "approve",
                "report",
                "group",
                "group",
                "ungroup",
                "vote",
                "votes",
                "pick",
                "edit",
                "delete",
                "card",
                "advance",
                "next",
                "previous",
            ]
        )
    )
    e = engine
    calls: dict[str, Any] = {
        "begin": lambda: e.begin(),
        "next": lambda: e.next_step(record(data)),
        "previous": lambda: e.previous_step(record(data)),
        "go": lambda: e.go_to_step(data.draw(st.integers(0, 6)), record(data)),
        "finish": lambda: e.finish(record(data)),
        "advance": lambda: e.advance_speaker(record(data)),
        "pass": lambda: e.pass_turn(record(data)),
        "choose": lambda: e.choose_speaker(member_id(data, e), record(data)),
        "question": lambda: e.set_question(data.draw(st.integers(0, 2))),
        "timer": lambda: e.toggle_timer(),
        "card": lambda: e.record_card(data.draw(TEXTS)),
        "card_unsigned": lambda: e.record_card(data.draw(TEXTS), speaker=None),
        "edit": lambda: e.edit_card(
            card_id(data, e),
            data.draw(st.one_of(st.none(), TEXTS)),
            speaker=data.draw(st.sampled_from(["p1", None])),
            place=data.draw(st.one_of(st.none(), TEXTS)),
        ),
        "delete": lambda: e.delete_card(card_id(data, e)),
        "resource": lambda: e.mark_resource(
            card_id(data, e), data.draw(st.sampled_from([None, Resource(name="ふれあいサロン")]))
        ),
        "group": lambda: e.group_cards(
            data.draw(st.sampled_from(["買い物", "移動", " "])),
            data.draw(
                st.lists(st.sampled_from([c.id for c in e.session.cards] or ["c1"]), max_size=3)
            ),
        ),
        "ungroup": lambda: e.ungroup(target_id(data, e)),
        "votes": lambda: e.set_votes(target_id(data, e), data.draw(st.integers(-1, 12))),
        "vote": lambda: e.vote(target_id(data, e), data.draw(st.integers(-2, 2))),
        "pick": lambda: e.set_picked(
            target_id(data, e), data.draw(st.sampled_from([None, True, False]))
        ),
        "target": lambda: e.set_target(data.draw(st.sampled_from([None, target_id(data, e)]))),
        "action": lambda: e.add_action(data.draw(TEXTS), "佐藤", "来月"),
        "delete_action": lambda: e.delete_action(
            data.draw(st.sampled_from([a.id for a in e.session.actions] + ["a9"]))
        ),
        "walk_in": lambda: e.add_walk_in(data.draw(TEXTS)),
        "details": lambda: e.update_details(
            place=data.draw(TEXTS),
            roles=Roles(facilitator="山田"),
            status=data.draw(st.sampled_from([Status.DRAFT, Status.APPROVED])),
        ),
        "approve": lambda: e.approve(data.draw(TEXTS)),
        "report": lambda: e.report_on(
            ReportItem(
                from_session="2026-10-30-shimizu",
                id="a1",
                what="回覧板",
                from_date=datetime(2026, 10, 30, 14, 0, tzinfo=JST),
            ),
            data.draw(st.sampled_from([None, ReportStatus.DONE])),
            data.draw(TEXTS),
        ),
    }
    return name, calls[name]


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_undo_after_any_sequence_gives_back_exactly_the_earlier_session(
    data: st.DataObject,
) -> None:
    clock = ManualClock(datetime(2026, 11, 27, 14, 0, tzinfo=JST))
    scenario = Scenario.model_validate(FOUR)
    engine = SessionEngine(new_session(scenario, session_id="four", clock=clock), clock)
    # (the session before the change, what Ctrl+Z says for it), newest last.
    history: list[tuple[dict[str, Any], str]] = []
    ever: set[str] = set()  # every card id seen so far
    if data.draw(st.booleans()):
        # Most changes need a meeting under way, cards, and the pick step.
        prelude = [engine.begin, lambda: engine.go_to_step(data.draw(st.sampled_from([1, 2])))]
        prelude += [lambda: engine.record_card(data.draw(TEXTS).strip() or "カード")] * 3
        for change in prelude:
            before = state(engine)
            change()
            history.append((before, engine.undo_label or ""))
    for _ in range(data.draw(st.integers(1, 60))):
        if data.draw(st.booleans()):
            # What the saver writes, re-dumping only what changed: the same file.
            assert engine.file_text()[1] == session_text(engine.session)
            # What the engine carries on from call to call (its index of turns)
            # reads as an engine that has just opened the session reads it.
            assert reads(engine) == reads(
                SessionEngine(engine.session.model_copy(deep=True), clock)
            )
            # Its index of cards finds each card there is, and none that has gone.
            ever |= {card.id for card in engine.session.cards}
            for card in engine.session.cards:
                assert engine.card(card.id) is card
            for gone in ever - {card.id for card in engine.session.cards}:
                with pytest.raises(DomainError):
                    engine.card(gone)
            # Every reference still holds (a delete let go of the answers to it).
            Session.model_validate(engine.session.model_dump())
        clock.advance(data.draw(st.sampled_from([0, 1, 7, 65])))
        choice = data.draw(st.sampled_from(["change"] * 6 + ["undo", "undo", "close"]))
        if choice == "undo":
            if not history:
                assert not engine.can_undo and engine.undo_label is None
                continue
            before, label = history.pop()
            assert engine.undo_label == label
            revision = engine.revision
            assert engine.undo() == label
            assert state(engine) == before
            assert engine.session.updated_at == clock()
            assert engine.revision == revision + 1
            assert engine.undo_label == (history[-1][1] if history else None)
            continue
        if choice == "close":
            # Quitting stops the clocks: no step of its own, so an undo after
            # it goes back to before the last change, as a snapshot would.
            engine.pause_all_timers(at=clock() - timedelta(seconds=3))
            continue
        name, call = operation(data, engine)
        before, exact, revision = state(engine), engine.session.model_dump(), engine.revision
        try:
            call()
        except DomainError:
            assert engine.session.model_dump() == exact, name  # no trace at all
            assert engine.revision == revision
            event(f"refused: {name}")
            continue
        event(f"changed: {name}")
        if engine.revision == revision:
            continue  # nothing to change (choosing the one who has the floor again)
        assert engine.undo_label is not None
        history.append((before, engine.undo_label))
    # And all the way back to the start.
    while history:
        before, label = history.pop()
        assert engine.undo() == label
        assert state(engine) == before
        assert engine.file_text()[1] == session_text(engine.session)
    assert not engine.can_undo


def test_a_change_that_fails_half_way_leaves_no_trace(
    clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The step was left (turn ended, clock stopped, cards recorded) when entering failed."""
    scenario = Scenario.model_validate(FOUR)
    engine = SessionEngine(new_session(scenario, session_id="four", clock=clock), clock)
    engine.begin()
    engine.go_to_step(1)
    engine.record_card("バス停が遠い")
    clock.advance(30)
    exact, revision, label = engine.session.model_dump(), engine.revision, engine.undo_label

    def broken(index: int, now: datetime) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine, "_enter_step", broken)
    with pytest.raises(RuntimeError):
        engine.next_step(record="途中まで")
    assert engine.session.model_dump() == exact
    assert (engine.revision, engine.undo_label) == (revision, label)
    monkeypatch.undo()
    engine.next_step(record="途中まで")  # and the engine goes on as before
    assert [c.text for c in engine.session.cards] == ["バス停が遠い", "途中まで"]
