"""Setting a session up without a screen: the setup form's words, read into a session."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, timezone

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import members_from_roster
from chie_kokan.i18n import t
from chie_kokan.models import NextMeeting, Participant, Roles, Scenario
from chie_kokan.session_plan import (
    FormError,
    SessionForm,
    at_local_time,
    parse_date,
    parse_time,
    plan_session,
    read_next_meeting,
)

JST = timezone(timedelta(hours=9))


@dataclass
class Line:
    """A line of the setup screen's roster, as it hands it over."""

    name: str
    organization: str = ""
    role: str = ""
    walk_in: bool = False
    table: str = ""


def form(clock: ManualClock, **changes: object) -> SessionForm:
    """The form as the setup screen opens it: date and time of now, two people."""
    now = clock()
    untouched = SessionForm(
        present=[
            Line("山田 花子", "自治会", "会長", table="A"),
            Line("飛び入り 太郎", walk_in=True),
        ],
        opened=now,
        day=now.date().isoformat(),
        time=f"{now:%H:%M}",
    )
    return replace(untouched, **changes)  # type: ignore[arg-type]


def test_parse_date_and_time() -> None:
    assert parse_date("2026-11-27") == date(2026, 11, 27)
    assert parse_date("2026/1/5") == date(2026, 1, 5)
    assert parse_date("2026年11月27日") == date(2026, 11, 27)
    assert parse_date("２０２６－１１－２７") == date(2026, 11, 27)
    assert parse_date("2026-02-30") is None
    assert parse_date("明日") is None
    assert parse_time("9:05") == time(9, 5)
    assert parse_time("１４：００") == time(14, 0)
    assert parse_time("14時30分") == time(14, 30)
    assert parse_time("24:00") is None
    assert parse_time("1400") is None


def test_chosen_time_keeps_a_foreign_clocks_zone() -> None:
    now = datetime(2026, 11, 27, 14, 0, tzinfo=JST)
    chosen = at_local_time(date(2026, 12, 1), time(9, 30), now)
    assert chosen.utcoffset() == timedelta(hours=9)
    assert (chosen.year, chosen.month, chosen.day, chosen.hour, chosen.minute) == (
        2026,
        12,
        1,
        9,
        30,
    )


def test_an_untouched_form_starts_the_session_when_it_is_planned(
    shimizu: Scenario, clock: ManualClock
) -> None:
    typed = form(clock)
    clock.advance(125)  # F7 two minutes after the form opened
    session = plan_session(shimizu, "清水さん", typed, clock=clock)
    assert session.created_at == clock()
    assert session.id == "清水さん"
    assert [
        (m.id, m.name, m.organization, m.role, m.walk_in, m.table) for m in session.members
    ] == [
        ("p1", "山田 花子", "自治会", "会長", False, "A"),
        ("p2", "飛び入り 太郎", "", "", True, ""),
    ]
    assert (session.observers, session.next_meeting, session.public) == (0, None, True)
    assert not session.live.started


def test_the_chosen_date_and_time_and_every_field_reach_the_session(
    shimizu: Scenario, clock: ManualClock
) -> None:
    typed = form(
        clock,
        day="２０２６年１２月１日",
        time="9時30分",
        place=" 公民館 ",
        table="A",
        observers="０３",
        roles={"facilitator": "山田 花子", "minute_taker": " 記録 係 "},
        minutes={
            "secretariat": "社協",
            "author": "記録係",
            "public": False,
            "next_date": "2027/1/15",
            "next_time": "14:00",
            "next_place": "市民センター",
        },
    )
    session = plan_session(shimizu, "s", typed, clock=clock)
    assert session.created_at == datetime(2026, 12, 1, 9, 30, tzinfo=JST)
    assert (session.place, session.table, session.observers) == ("公民館", "A", 3)
    assert session.roles == Roles(facilitator="山田 花子", minute_taker="記録 係")
    assert session.next_meeting == NextMeeting(
        date=date(2027, 1, 15), time=time(14, 0), place="市民センター"
    )
    assert (session.secretariat, session.author, session.public) == ("社協", "記録係", False)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"present": []}, "present", t("setup.nobody_present", "ja")),
        ({"day": "明日"}, "date", t("setup.bad_date", "ja")),
        ({"day": "0001-01-01"}, "date", "1970 年から 2199 年まで"),
        ({"day": "9999-12-31"}, "date", "1970 年から 2199 年まで"),
        ({"time": "25:00"}, "time", t("setup.bad_time", "ja")),
        ({"observers": "三人"}, "observers", t("setup.bad_observers", "ja")),
        ({"observers": "-1"}, "observers", t("setup.bad_observers", "ja")),
        ({"observers": "10000"}, "observers", "0 から 9999 人まで"),
        ({"observers": "9" * 5000}, "observers", "0 から 9999 人まで"),
        ({"minutes": {"next_date": "来月"}}, "next_date", t("minutes_fields.bad_date", "ja")),
        ({"minutes": {"next_time": "昼"}}, "next_time", t("minutes_fields.bad_time", "ja")),
    ],
    ids=[
        "nobody",
        "date",
        "year-1",
        "year-9999",
        "time",
        "observers-words",
        "observers-negative",
        "observers-range",
        "observers-5000-digits",
        "next-date",
        "next-time",
    ],
)
def test_a_field_that_cannot_be_used_is_named_with_what_to_write(
    shimizu: Scenario, clock: ManualClock, changes: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(FormError) as refused:
        plan_session(shimizu, "s", form(clock, **changes), clock=clock)
    assert refused.value.field == field
    assert message in str(refused.value)


def test_the_first_field_in_the_forms_order_is_the_one_named(
    shimizu: Scenario, clock: ManualClock
) -> None:
    with pytest.raises(FormError) as refused:
        plan_session(shimizu, "s", form(clock, time="x", observers="x"), clock=clock)
    assert refused.value.field == "time"


def test_an_empty_next_meeting_is_none_and_an_error_is_in_the_ui_language() -> None:
    assert read_next_meeting({"next_date": " ", "next_time": "", "next_place": ""}) is None
    with pytest.raises(FormError) as refused:
        read_next_meeting({"next_date": "2027-13-01"})
    assert str(refused.value) == t("minutes_fields.bad_date", "ja")


def test_members_keep_seat_order_and_roster_members_are_never_walk_ins() -> None:
    roster = [Participant(name="A", organization="X", role="R", table="1"), Participant(name="B")]
    assert [(m.id, m.name, m.walk_in, m.table) for m in members_from_roster(roster)] == [
        ("p1", "A", False, "1"),
        ("p2", "B", False, ""),
    ]
