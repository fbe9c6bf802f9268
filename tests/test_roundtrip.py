"""Whatever people type survives a save and a load (hypothesis).

Text without control characters comes back exactly; control characters come
back as their visible stand-ins (models/base.py), never raw, and a second
save and load changes nothing more.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.models import (
    ActionItem,
    Approval,
    Card,
    Group,
    Member,
    Resource,
    Roles,
    Scenario,
    Session,
    Turn,
)
from chie_kokan.models.base import visible_controls
from chie_kokan.storage import load_scenario, load_session, save_session
from text_helpers import CONTROL, all_strings

JST = timezone(timedelta(hours=9))
T0 = datetime(2026, 11, 27, 14, 0, 0, 123456, tzinfo=JST)

# Characters people type, paste or smuggle in: quotes, backslashes, line
# breaks of every kind, tabs, emoji (with joiners), full-width and combining
# characters, control characters, the BOM and TOML's own punctuation.
SPECIALS = list(
    "\"'\\\n\r\t\x00\x01\x08\x0b\x0c\x1b\x1f\x7f\x80\x85\x9f\u00a0\u200b\u200d\u2028\u2029"
    "\ufeff\ufffd\U0010ffff😀🙇🏻\u3000ＡＢ１全角ｶﾀｶﾅ\u0301\u3099\u309aか\u0308#=[]{},."
)
PIECES = [
    *SPECIALS,
    "👨‍👩‍👧",
    "が",
    "清水さん",
    "{case}",
    "{}",
    "[[cards]]",
    'a = "b"',
    "'''",
    '"""',
    "\\u0041",
    "\r\n",
    " ",
]

typed = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
    st.text(st.sampled_from(SPECIALS), max_size=12),
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
)
# Names, titles and questions must have something besides spaces in them.
non_blank = typed.filter(lambda text: bool(text) and not text.isspace())
# What people type on a keyboard: no control characters but newline and tab.
clean_typed = typed.map(lambda text: CONTROL.sub("", text))
clean_non_blank = clean_typed.filter(lambda text: bool(text) and not text.isspace())

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    # The autouse working-folder fixture is shared by all examples, which is fine:
    # each example writes and reads its own file name.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def drop_none(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value is not None}


def without_controls(session_or_scenario: Session | Scenario) -> bool:
    return not any(CONTROL.search(text) for text in all_strings(session_or_scenario.model_dump()))


@st.composite
def scenario_data(
    draw: st.DrawFn,
    typed: st.SearchStrategy[str] = typed,
    non_blank: st.SearchStrategy[str] = non_blank,
) -> dict[str, Any]:
    # Distinct after cleaning: two names differing only in a control character
    # become one name twice, which the roster refuses (as it should).
    names = draw(st.lists(non_blank, min_size=1, max_size=4, unique_by=visible_controls))
    case = st.fixed_dictionaries(
        {"name": non_blank, "summary": typed, "details": st.lists(typed, max_size=3)}
    )
    return drop_none(
        {
            "schema": 1,
            "title": draw(non_blank),
            "theme": draw(non_blank),
            "language": draw(st.sampled_from(["ja", "en"])),
            "ground_rules": draw(st.none() | st.lists(non_blank, max_size=3)),
            "private_names": draw(st.lists(non_blank, max_size=2)),
            "case": draw(st.none() | case),
            "participants": [
                {
                    "name": name,
                    "organization": draw(typed),
                    "role": draw(typed),
                    "table": draw(typed),
                }
                for name in names
            ],
            "steps": [
                {
                    "kind": "share",
                    "title": draw(typed),
                    "prompt": draw(typed),
                    "questions": draw(st.lists(non_blank, max_size=2)),
                    "minutes": draw(st.integers(1, 600)),
                    "turns": "round",
                    "seconds_per_turn": draw(st.integers(1, 3600)),
                },
                {"kind": "pick", "minutes": 5, "votes_per_person": draw(st.integers(0, 99))},
                {
                    "kind": "exchange",
                    "questions": draw(st.lists(non_blank, min_size=1, max_size=2)),
                },
                {"kind": "spread", "prompt": draw(typed)},
            ],
        }
    )


SHARE, PICK, EXCHANGE, SPREAD = range(4)


@st.composite
def sessions(draw: st.DrawFn) -> Session:
    scenario = Scenario.model_validate(draw(scenario_data()))
    members = [
        Member(id=f"p{i}", name=p.name, organization=p.organization, role=p.role, table=p.table)
        for i, p in enumerate(scenario.participants, start=1)
    ]
    walk_in = Member(
        id="walk-in", name=draw(typed), organization=draw(typed), walk_in=True, table=draw(typed)
    )
    members.append(walk_in)
    ids = [m.id for m in members]
    later = T0 + timedelta(seconds=draw(st.integers(0, 10_000)), microseconds=7)
    cards = [
        Card(
            id=f"c{i}",
            step=SHARE,
            kind="share",
            text=text,
            speaker=draw(st.none() | st.sampled_from(ids)),
            runs_by=draw(typed),
            place=draw(typed),
            votes=draw(st.integers(0, 50)),
            picked=draw(st.booleans()),
            created_at=T0,
            edited_at=draw(st.none() | st.just(later)),
            table=draw(st.none() | typed),
        )
        for i, text in enumerate(draw(st.lists(typed, min_size=1, max_size=4)), start=1)
    ]
    resource = Resource(
        name=draw(typed),
        category=draw(typed),
        serves=draw(typed),
        when=draw(typed),
        where=draw(typed),
        fee=draw(typed),
        contact=draw(typed),
        offers=draw(typed),
        publishable=draw(st.booleans()),
        checked=draw(typed),
    )
    cards.append(
        Card(
            id="answer",
            step=EXCHANGE,
            kind="exchange",
            text=draw(typed),
            speaker=ids[-1],
            question=0,
            answers="g1",
            resource=resource,
            created_at=later,
        )
    )
    session = Session(
        id="s",
        scenario=scenario,
        created_at=T0,
        updated_at=later,
        place=draw(typed),
        table=draw(typed),
        roles=Roles(
            facilitator=draw(typed),
            timekeeper=draw(typed),
            board_writer=draw(typed),
            minute_taker=draw(typed),
        ),
        secretariat=draw(typed),
        observers=draw(st.integers(0, 500)),
        public=draw(st.booleans()),
        status=draw(st.sampled_from(["draft", "approved"])),
        approval=draw(st.none() | st.builds(Approval, by=non_blank, at=st.just(later))),
        members=members,
        cards=cards,
        groups=[Group(id="g1", step=PICK, title=draw(typed), cards=["c1"], votes=2)],
        turns=[Turn(speaker=ids[0], step=SHARE, started_at=T0, ended_at=later, outcome="spoke")],
        actions=[
            ActionItem(
                id="a1",
                what=draw(typed),
                who=draw(typed),
                due=draw(typed),
                step=SPREAD,
                created_at=later,
            )
        ],
    )
    # What the app could hold is what a file could hold.
    return Session.model_validate(session.model_dump())


@EXAMPLES
@given(session=sessions())
def test_a_session_with_any_typed_text_saves_and_loads_identically(session: Session) -> None:
    path = Path("roundtrip.toml")
    save_session(session, path)
    assert load_session(path).model_dump() == session.model_dump()
    assert without_controls(session)


@EXAMPLES
@given(data=scenario_data(clean_typed, clean_non_blank))
def test_a_scenario_as_typed_on_a_keyboard_reads_exactly_as_written(data: dict[str, Any]) -> None:
    path = Path("scenario.toml")
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    loaded = load_scenario(path)
    assert loaded.model_dump() == Scenario.model_validate(data).model_dump()
    assert loaded.title == data["title"]
    assert [p.name for p in loaded.participants] == [p["name"] for p in data["participants"]]
    if "case" in data:
        assert loaded.case is not None and loaded.case.details == data["case"]["details"]


@EXAMPLES
@given(data=scenario_data())
def test_a_scenario_with_any_text_reads_with_control_characters_made_visible(
    data: dict[str, Any],
) -> None:
    path = Path("scenario.toml")
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    loaded = load_scenario(path)
    assert loaded.model_dump() == Scenario.model_validate(data).model_dump()
    assert loaded.title == visible_controls(data["title"])
    assert [p.name for p in loaded.participants] == [
        visible_controls(p["name"]) for p in data["participants"]
    ]
    assert without_controls(loaded)
    # Cleaning is done once: saving what was loaded and reading it again changes nothing.
    again = loaded.model_dump(mode="json", by_alias=True, exclude_none=True)
    path.write_text(tomli_w.dumps(again), encoding="utf-8")
    assert load_scenario(path).model_dump() == loaded.model_dump()


@EXAMPLES
@given(
    data=scenario_data(),
    texts=st.lists(typed, min_size=1, max_size=5),
    walk_in=typed,
    place=typed,
    action=st.tuples(typed, typed, typed),
)
def test_what_is_typed_into_a_running_meeting_survives_a_save(
    data: dict[str, Any],
    texts: list[str],
    walk_in: str,
    place: str,
    action: tuple[str, str, str],
) -> None:
    clock = ManualClock(T0)
    engine = SessionEngine(
        new_session(Scenario.model_validate(data), session_id="s", clock=clock), clock
    )
    engine.update_details(place=place, secretariat=walk_in)
    if walk_in.strip():
        engine.add_walk_in(walk_in, place)
    engine.begin()  # the share step: a round
    for text in texts:
        if text.strip():
            card = engine.record_card(text)
            engine.edit_card(card.id, text + text, runs_by=place, place=walk_in)
        clock.advance(1.5)
        engine.advance_speaker()
    if action[0].strip():
        engine.add_action(*action)
    path = Path("meeting.toml")
    save_session(engine.session, path)
    assert load_session(path).model_dump() == engine.session.model_dump()
    assert without_controls(engine.session)


NASTY = "".join(PIECES) + "".join(SPECIALS)


def test_every_awkward_character_at_once() -> None:
    data = {
        "schema": 1,
        "title": NASTY,
        "theme": NASTY,
        "ground_rules": [NASTY],
        "private_names": [NASTY],
        "case": {"name": NASTY, "summary": NASTY, "details": [NASTY]},
        "participants": [{"name": NASTY, "organization": NASTY, "role": NASTY}],
        "steps": [{"kind": "share", "title": NASTY, "prompt": NASTY, "questions": [NASTY]}],
    }
    path = Path("nasty-scenario.toml")
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    scenario = load_scenario(path)
    shown = visible_controls(NASTY)
    assert scenario.title == shown and scenario.flow[0].questions == [shown]
    clock = ManualClock(T0)
    engine = SessionEngine(new_session(scenario, session_id="s", clock=clock), clock)
    engine.update_details(
        place=NASTY, table=NASTY, secretariat=NASTY, roles=Roles(facilitator=NASTY)
    )
    walk_in = engine.add_walk_in(NASTY, NASTY)
    engine.begin()
    card = engine.record_card(NASTY, runs_by=NASTY, place=NASTY)
    engine.record_card(NASTY, speaker=walk_in.id)
    engine.mark_resource(card.id, Resource(name=NASTY, contact=NASTY, offers=NASTY))
    engine.add_action(NASTY, NASTY, NASTY)
    path = Path("nasty-session.toml")
    save_session(engine.session, path)
    loaded = load_session(path)
    assert loaded.model_dump() == engine.session.model_dump()
    assert loaded.cards[0].text == visible_controls(NASTY.strip())
    assert loaded.members[-1].name == visible_controls(NASTY.strip())
    assert without_controls(loaded)
