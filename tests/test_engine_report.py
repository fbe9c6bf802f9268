"""A report (グループ発表) after sharing: each presenter's words are recorded as cards."""

from __future__ import annotations

import tomllib
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, members_from_roster, new_session, round_seats
from chie_kokan.models import Outcome, Scenario, Session, StepKind, TurnMode
from chie_kokan.scenario_template import template_text
from chie_kokan.storage import create_session_file, load_scenario, load_session, session_text
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


# -- the round by table ---------------------------------------------------------

# Seat order 山田(A) 佐藤(B) 鈴木(A) 高橋(no table: the facilitator) 伊藤(Ｃ, full width)
# 田中(B): tables come in the seat order of their first member, A, B, C.
SIX: list[dict[str, str]] = [
    {"name": "山田 花子", "organization": "自治会", "table": "A"},
    {"name": "佐藤 一郎", "organization": "老人クラブ", "table": "B"},
    {"name": "鈴木 美和", "organization": "社会福祉協議会", "table": "A "},
    {"name": "高橋 健", "organization": "地域包括支援センター"},
    {"name": "伊藤 誠", "organization": "NPO", "table": "Ｃ"},
    {"name": "田中 光", "organization": "民生委員", "table": "B"},
]
AT_TABLES: dict[str, Any] = {**WITH_REPORT, "participants": SIX}


def test_round_seats_are_one_per_table_in_the_seat_order_of_their_first_member() -> None:
    members = members_from_roster(Scenario.model_validate(AT_TABLES).participants)
    seats = round_seats(members, by_table=True)
    assert [[m.name.split()[0] for m in seat] for seat in seats] == [
        ["山田", "鈴木"],  # "A" and "A " are one table
        ["佐藤", "田中"],
        ["伊藤"],  # 高橋 has no table: out of the round by table
    ]
    # A round that does not go by table: everyone, one by one, as ever.
    assert [seat for seat in round_seats(members, by_table=False)] == [[m] for m in members]


def test_with_nobody_at_a_table_a_report_goes_round_everyone(clock: ManualClock) -> None:
    engine = through_to_the_report(clock, WITH_REPORT)
    assert not engine.by_table and engine.table_round() == []
    assert [m.id for m in engine.upcoming(5)] == ["p2", "p3", "p4"]


def test_a_report_goes_round_by_table_one_presenter_each(clock: ManualClock) -> None:
    engine = through_to_the_report(clock, AT_TABLES)
    assert engine.by_table
    speaker = engine.current_speaker
    assert speaker is not None and speaker.name == "山田 花子"  # table A's first
    assert [m.name for m in engine.upcoming()] == ["佐藤 一郎", "伊藤 誠"]
    assert [(tt.table, tt.presenter.id, tt.current) for tt in engine.table_round()] == [
        ("A", "p1", True),
        ("B", "p2", False),
        ("Ｃ", "p5", False),
    ]
    engine.advance_speaker()
    assert engine.live.speaker == "p2"  # table B, not 鈴木 of table A
    engine.pass_turn()
    assert engine.live.speaker == "p5"  # table C; 高橋 (no table) is not in the round
    engine.advance_speaker()
    assert engine.live.speaker is None and engine.not_yet_spoken() == []
    assert [tt.outcome for tt in engine.table_round()] == [
        Outcome.SPOKE,
        Outcome.PASSED,
        Outcome.SPOKE,
    ]
    engine.advance_speaker()  # a second round, by table again
    assert (engine.live.round, engine.live.speaker) == (2, "p1")


def test_f4_gives_a_tables_turn_to_its_recorder_and_the_round_goes_on(
    clock: ManualClock,
) -> None:
    engine = through_to_the_report(clock, AT_TABLES)
    engine.choose_speaker("p3")  # 鈴木 is table A's recorder: A presents through her
    engine.advance_speaker()
    assert engine.live.speaker == "p2"  # table B next, and A is not asked again
    engine.choose_speaker("p4")  # the facilitator (no table) adds a word
    assert [m.id for m in engine.upcoming()] == ["p5"]  # after 高橋's seat: table C
    engine.advance_speaker()
    assert engine.live.speaker == "p5"
    engine.advance_speaker()
    assert engine.live.speaker is None  # A, B and C have each had their turn


def test_report_cards_keep_the_table_they_were_presented_for(
    clock: ManualClock, tmp_path: Path
) -> None:
    engine = through_to_the_report(clock, AT_TABLES)
    first = engine.record_card("Aの発表")
    engine.advance_speaker()
    second = engine.record_card("Bの発表")
    nobody = engine.record_card("全体から一言", speaker=None)
    assert (first.table, second.table, nobody.table) == ("A", "B", None)
    # The share card was not a report: it carries no table.
    assert all(c.table is None for c in engine.session.cards if c.step == SHARE)
    # A member's table changed later (a hand edit) does not move words already said.
    engine.session.members[0].table = "Z"
    engine.edit_card(first.id, "Aの発表（直し）")
    assert engine.card(first.id).table == "A"
    # Correcting the speaker says whose words they were: they go to that table.
    engine.edit_card(second.id, speaker="p5")
    assert engine.card(second.id).table == "Ｃ"
    engine.edit_card(second.id, speaker=None)
    assert engine.card(second.id).table == "Ｃ"
    again = load_session(create_session_file(engine.session, tmp_path))
    assert [(c.text, c.table) for c in again.cards if c.step == REPORT] == [
        ("Aの発表（直し）", "A"),
        ("Bの発表", "Ｃ"),
        ("全体から一言", None),
    ]
    assert [m.table for m in again.members] == ["Z", "B", "A ", "", "Ｃ", "B"]  # as written


def test_undo_takes_a_report_card_back_with_its_table(clock: ManualClock) -> None:
    engine = through_to_the_report(clock, AT_TABLES)
    before = state(engine)
    engine.advance_speaker(record="Aの発表")
    assert [c.table for c in engine.session.cards if c.step == REPORT] == ["A"]
    engine.undo()
    assert state(engine) == before


def test_an_older_session_file_without_tables_still_loads(clock: ManualClock) -> None:
    engine = through_to_the_report(clock, WITH_REPORT)
    engine.record_card("回覧で知らせている")
    data = tomllib.loads(session_text(engine.session))
    # A card without a table leaves no trace in the file: older cards stay as they were.
    assert all("table" not in card for card in data["cards"])
    for member in data["members"]:
        member.pop("table", None)
    for person in data["scenario"]["participants"]:
        person.pop("table", None)
    loaded = Session.model_validate(data)
    assert [m.table for m in loaded.members] == [""] * 4
    assert all(card.table is None for card in loaded.cards)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_template_shows_a_table_that_validates_once_uncommented(language: str) -> None:
    text = template_text(language)
    line = next(line for line in text.splitlines() if line.startswith('# table = "A"'))
    scenario = Scenario.model_validate(tomllib.loads(text.replace(line, line[2:], 1)))
    assert scenario.participants[0].table == "A"
    assert Scenario.model_validate(tomllib.loads(text)).participants[0].table == ""


def test_a_walk_in_may_sit_at_a_table_and_then_presents_for_it(clock: ManualClock) -> None:
    engine = through_to_the_report(clock, AT_TABLES)
    assert engine.tables() == ["A", "B", "Ｃ"]
    newcomer = engine.add_walk_in("木村 洋平", "民生委員", " D ")
    assert newcomer.table == "D" and engine.tables() == ["A", "B", "Ｃ", "D"]
    assert [m.id for m in engine.upcoming(5)] == ["p2", "p5", newcomer.id]
    # Without any table, there are none to offer.
    assert through_to_the_report(clock, WITH_REPORT).tables() == []


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tables=st.lists(
        st.sampled_from(["", "A", "Ａ", "B", " B", "東", "東 1", "東　1"]), min_size=4, max_size=4
    )
)
def test_any_seating_gives_one_turn_a_table_in_the_order_of_its_first_seat(
    clock: ManualClock, tables: list[str]
) -> None:
    people = [
        {**person, "table": table}
        for person, table in zip(FOUR["participants"], tables, strict=True)
    ]
    engine = through_to_the_report(clock, {**WITH_REPORT, "participants": people})
    keys = [" ".join(unicodedata.normalize("NFKC", table).split()) for table in tables]
    if any(keys):
        firsts = [i for i, key in enumerate(keys) if key and key not in keys[:i]]
    else:
        firsts = list(range(4))  # nobody at a table: everyone, in seat order
    expected = [f"p{i + 1}" for i in firsts]
    heard = []
    while engine.live.speaker is not None:
        heard.append(engine.live.speaker)
        engine.advance_speaker()
    assert heard == expected
