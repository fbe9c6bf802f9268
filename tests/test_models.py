"""The scenario and session models: the file formats of DESIGN.md."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from chie_kokan.models import (
    ActionItem,
    Card,
    Group,
    Live,
    Member,
    Outcome,
    Participant,
    Roles,
    Scenario,
    Session,
    Status,
    Step,
    StepKind,
    StepTimer,
    StepVisit,
    Turn,
    TurnMode,
)
from chie_kokan.models.scenario import Case

JST = timezone(timedelta(hours=9))
T0 = datetime(2026, 11, 27, 14, 0, tzinfo=JST)

# The example of DESIGN.md ("The format, by example"), verbatim.
DESIGN_EXAMPLE = """
schema = 1
title = "知恵交換会 — 清水さんの困りごと"
theme = "買い物と移動"            # the session's theme
language = "ja"                  # ja | en: the UI language unless --lang says otherwise
ground_rules = ["…", "…"]        # optional: defaults to the three rules above
private_names = ["清水"]          # optional: never shown in public (redacted) minutes

[case]                           # optional: the person whose troubles are discussed
name = "清水さん"
summary = "82歳、一人暮らし。"
details = ["駅前のスーパーが閉店した", "ゴミ出しの日を忘れる"]

[[participants]]                 # the roster; who is present is chosen when a session starts
name = "山田 花子"
organization = "自治会"
role = "会長"                     # optional

[[steps]]
kind = "share"                   # opening | share | pick | exchange | spread | reflect
title = "困りごとを共有する"        # optional: a default per kind
prompt = "地域で起きている困りごとを共有しましょう"   # optional
questions = []                   # optional: asked in order, each its own round
minutes = 15                     # the time box
turns = "round"                  # round (seat order) | free
seconds_per_turn = 90            # optional: the gentle per-speaker limit
votes_per_person = 3             # pick steps only
"""

# The council's three ground rules, as DESIGN.md quotes them from its material.
DESIGN_RULES = [
    "地域の困りごとや課題解決に関する正解は１つではありません。否定や批判をしないようにしましょう。",
    "それぞれの分野で活躍をしている皆さんがこの場に参加しています。１人が話しているときには、その方の話を聞きましょう。",
    "理想を言葉にすることで、想いが具体化されます。曖昧でかまいませんので、リラックスしてお話ください。",
]

# The session flow table of DESIGN.md: kind and Japanese title, in order.
DESIGN_FLOW = [
    (StepKind.OPENING, "はじめに"),
    (StepKind.SHARE, "困りごとを共有する"),
    (StepKind.PICK, "解決が必要な困りごとを見つける"),
    (StepKind.EXCHANGE, "資源や知恵を情報交換する"),
    (StepKind.SPREAD, "成功例を拡げる"),
    (StepKind.REFLECT, "ふりかえり"),
]


def minimal(**extra: Any) -> dict[str, Any]:
    return {"schema": 1, "title": "知恵交換会", "theme": "買い物", **extra}


def errors(data: dict[str, Any], model: type = Scenario) -> list[tuple[tuple[Any, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    # Our own rules (domain_error) by their catalog key, pydantic's by their type.
    return [
        (tuple(e["loc"]), e["ctx"]["key"] if e["type"] == "chie" else e["type"])
        for e in caught.value.errors()
    ]


def chie_key(data: dict[str, Any], model: type = Scenario) -> tuple[str, tuple[Any, ...]]:
    """The catalog key and the path (below the model's own place) of a rule we wrote."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    (error,) = caught.value.errors()
    assert error["type"] == "chie"
    return error["ctx"]["key"], tuple(error["loc"]) + tuple(error["ctx"]["at"])


# -- the scenario's shape ---------------------------------------------------------


def test_the_design_example_loads_with_every_value_as_written() -> None:
    data = tomllib.loads(DESIGN_EXAMPLE.replace('kind = "share"', 'kind = "pick"'))
    scenario = Scenario.model_validate(data)
    assert scenario.schema_version == 1
    assert scenario.title == "知恵交換会 — 清水さんの困りごと"
    assert scenario.theme == "買い物と移動"
    assert scenario.language == "ja"
    assert scenario.rules == ["…", "…"]
    assert scenario.private_names == ["清水"]
    assert scenario.case == Case(
        name="清水さん",
        summary="82歳、一人暮らし。",
        details=["駅前のスーパーが閉店した", "ゴミ出しの日を忘れる"],
    )
    assert scenario.participants == [
        Participant(name="山田 花子", organization="自治会", role="会長")
    ]
    (step,) = scenario.flow
    assert (step.kind, step.title, step.prompt, step.questions) == (
        StepKind.PICK,
        "困りごとを共有する",
        "地域で起きている困りごとを共有しましょう",
        [],
    )
    assert (step.minutes, step.turns, step.seconds_per_turn, step.votes_per_person) == (
        15,
        TurnMode.ROUND,
        90,
        3,
    )


def test_the_design_example_as_printed_puts_votes_on_a_share_step() -> None:
    # DESIGN.md lists every key in one step; votes_per_person is "pick steps only".
    key, loc = chie_key(tomllib.loads(DESIGN_EXAMPLE))
    assert (key, loc) == ("votes_not_pick", ("steps", 0, "votes_per_person"))


def test_the_keys_are_exactly_those_of_the_design() -> None:
    def keys(model: type) -> set[str]:
        return {info.alias or name for name, info in model.model_fields.items()}

    assert keys(Scenario) == {
        "schema",
        "title",
        "theme",
        "language",
        "ground_rules",
        "private_names",
        "case",
        "participants",
        "steps",
    }
    assert keys(Case) == {"name", "summary", "details"}
    # table: issue 11 (a report goes round by table), optional, so the design's files still hold.
    assert keys(Participant) == {"name", "organization", "role", "table"}
    assert keys(Step) == {
        "kind",
        "title",
        "prompt",
        "questions",
        "minutes",
        "turns",
        "seconds_per_turn",
        "votes_per_person",
    }
    assert {kind.value for kind in StepKind} == {
        "opening",
        "share",
        "pick",
        "exchange",
        "spread",
        "reflect",
        "break",  # DESIGN's vocabulary: a time box, nothing recorded
        "report",  # DESIGN's vocabulary: several tables, each table's recorder presents
    }
    assert {mode.value for mode in TurnMode} == {"round", "free"}


@pytest.mark.parametrize("key", ["title", "theme"])
def test_title_and_theme_are_required(key: str) -> None:
    data = minimal()
    del data[key]
    assert errors(data) == [((key,), "missing")]
    assert errors({**minimal(), key: ""}) == [((key,), "string_too_short")]


def test_only_the_optional_keys_may_be_left_out() -> None:
    scenario = Scenario.model_validate(minimal())
    assert scenario.language == "ja"
    assert scenario.case is None
    assert scenario.participants == []
    assert scenario.private_names == []


@pytest.mark.parametrize("language", ["ja", "en"])
def test_language_is_ja_or_en(language: str) -> None:
    assert Scenario.model_validate(minimal(language=language)).language == language


@pytest.mark.parametrize("language", ["fr", "JA", "", "日本語"])
def test_other_languages_are_refused(language: str) -> None:
    assert errors(minimal(language=language)) == [(("language",), "literal_error")]


def test_unknown_keys_are_errors_everywhere() -> None:
    assert errors(minimal(thema="x")) == [(("thema",), "extra_forbidden")]
    assert errors(minimal(case={"name": "清水さん", "age": 84})) == [
        (("case", "age"), "extra_forbidden")
    ]
    assert errors(minimal(participants=[{"name": "A", "org": "x"}])) == [
        (("participants", 0, "org"), "extra_forbidden")
    ]
    assert errors(minimal(steps=[{"kind": "share", "minute": 5}])) == [
        (("steps", 0, "minute"), "extra_forbidden")
    ]


def test_default_ground_rules_are_the_councils_three_in_japanese() -> None:
    assert Scenario.model_validate(minimal()).rules == DESIGN_RULES


def test_default_ground_rules_in_english() -> None:
    rules = Scenario.model_validate(minimal(language="en")).rules
    assert len(rules) == len(DESIGN_RULES)
    assert len(set(rules)) == len(rules)
    for rule in rules:
        assert rule.isascii() and len(rule) > 20


def test_a_scenario_replaces_or_drops_the_ground_rules() -> None:
    assert Scenario.model_validate(minimal(ground_rules=["一つだけ"])).rules == ["一つだけ"]
    assert Scenario.model_validate(minimal(ground_rules=[])).rules == []
    assert errors(minimal(ground_rules="一つ")) == [(("ground_rules",), "list_type")]
    assert errors(minimal(ground_rules=["", "x"])) == [(("ground_rules", 0), "string_too_short")]


def test_case_needs_a_name() -> None:
    assert errors(minimal(case={"summary": "84歳"})) == [(("case", "name"), "missing")]
    case = Scenario.model_validate(minimal(case={"name": "清水さん"})).case
    assert case == Case(name="清水さん", summary="", details=[])


def test_participants_need_distinct_names() -> None:
    people = [{"name": "A"}, {"name": "B", "organization": "社協", "role": "係長"}]
    scenario = Scenario.model_validate(minimal(participants=people))
    assert [(p.name, p.organization, p.role) for p in scenario.participants] == [
        ("A", "", ""),
        ("B", "社協", "係長"),
    ]
    assert errors(minimal(participants=[{"organization": "x"}])) == [
        (("participants", 0, "name"), "missing")
    ]
    twice = minimal(participants=[{"name": "A"}, {"name": "B"}, {"name": "A"}])
    assert chie_key(twice) == ("duplicate_participant", ("participants", 2, "name"))


# -- steps ------------------------------------------------------------------------


def step_errors(**step: Any) -> list[tuple[tuple[Any, ...], str]]:
    return errors(minimal(steps=[{"kind": "opening"}, step]))


@pytest.mark.parametrize(
    ("step", "where", "kind"),
    [
        ({}, "kind", "missing"),
        ({"kind": "discuss"}, "kind", "enum"),
        ({"kind": "share", "minutes": 0}, "minutes", "range"),
        ({"kind": "share", "minutes": -5}, "minutes", "range"),
        ({"kind": "share", "minutes": "15"}, "minutes", "int_type"),
        ({"kind": "share", "minutes": 15.0}, "minutes", "int_type"),
        ({"kind": "share", "minutes": True}, "minutes", "int_type"),
        ({"kind": "share", "turns": "random"}, "turns", "enum"),
        ({"kind": "share", "seconds_per_turn": 0}, "seconds_per_turn", "range"),
        ({"kind": "share", "seconds_per_turn": -30}, "seconds_per_turn", "range"),
        ({"kind": "share", "seconds_per_turn": "90"}, "seconds_per_turn", "int_type"),
        ({"kind": "pick", "votes_per_person": -1}, "votes_per_person", "range"),
        ({"kind": "pick", "votes_per_person": "3"}, "votes_per_person", "int_type"),
        ({"kind": "share", "questions": "一つ"}, "questions", "list_type"),
        ({"kind": "share", "title": 5}, "title", "string_type"),
    ],
)
def test_step_fields_are_checked(step: dict[str, Any], where: str, kind: str) -> None:
    assert step_errors(**step) == [(("steps", 1, where), kind)]


def test_questions_may_not_be_blank() -> None:
    assert step_errors(kind="exchange", questions=["①", ""]) == [
        (("steps", 1, "questions", 1), "string_too_short")
    ]


@pytest.mark.parametrize("kind", [k for k in StepKind if k is not StepKind.PICK])
def test_votes_belong_on_pick_steps_only(kind: StepKind) -> None:
    data = minimal(steps=[{"kind": "opening"}, {"kind": kind.value, "votes_per_person": 2}])
    assert chie_key(data) == ("votes_not_pick", ("steps", 1, "votes_per_person"))


def test_zero_votes_is_a_pick_without_votes() -> None:
    scenario = Scenario.model_validate(minimal(steps=[{"kind": "pick", "votes_per_person": 0}]))
    assert scenario.flow[0].votes_per_person == 0


def test_an_empty_list_of_steps_is_an_error() -> None:
    assert chie_key(minimal(steps=[])) == ("steps_empty", ("steps",))


def test_a_step_written_with_kind_only_takes_that_kinds_defaults() -> None:
    standard = {step.kind: step for step in Scenario.model_validate(minimal()).flow}
    # The kinds of the standard flow (a break is not in it: see test_kinds.py).
    steps = [{"kind": k.value} for k in standard]
    written = Scenario.model_validate(minimal(steps=steps)).flow
    for step in written:
        assert step == standard[step.kind]
    only_minutes = Scenario.model_validate(minimal(steps=[{"kind": "share", "minutes": 7}]))
    step = only_minutes.flow[0]
    assert step.minutes == 7
    assert (step.title, step.turns) == (standard[StepKind.SHARE].title, TurnMode.ROUND)


def test_written_values_win_over_defaults() -> None:
    step = {
        "kind": "exchange",
        "title": "知恵を出し合う",
        "prompt": "",
        "questions": ["①だけ"],
        "turns": "free",
    }
    (resolved,) = Scenario.model_validate(minimal(steps=[step])).flow
    assert (resolved.title, resolved.prompt, resolved.questions, resolved.turns) == (
        "知恵を出し合う",
        "",
        ["①だけ"],
        TurnMode.FREE,
    )
    assert resolved.seconds_per_turn is None
    assert resolved.votes_per_person is None


# -- the standard flow when steps are omitted ----------------------------------------


def test_the_standard_flow_in_japanese() -> None:
    scenario = Scenario.model_validate(minimal(case={"name": "清水さん"}))
    flow = scenario.flow
    assert [(s.kind, s.title) for s in flow] == DESIGN_FLOW
    assert sum(s.minutes or 0 for s in flow) == 90
    assert all(s.prompt and s.minutes and s.minutes > 0 for s in flow)
    assert all(s.turns in (TurnMode.ROUND, TurnMode.FREE) for s in flow)
    questions = {s.kind: s.questions for s in flow}
    # ① and ② on exchange, the case's name in ①; ③ on reflect; none elsewhere.
    first, second = questions[StepKind.EXCHANGE]
    assert "清水さん" in first and "団体" in first
    assert "団体に関わらず" in second and "清水さん" not in second
    (third,) = questions[StepKind.REFLECT]
    assert "大切にしていること" in third and "取り組んでみたい" in third
    for kind in (StepKind.OPENING, StepKind.SHARE, StepKind.PICK, StepKind.SPREAD):
        assert questions[kind] == []
    (pick,) = [s for s in flow if s.kind is StepKind.PICK]
    assert pick.votes_per_person is not None and pick.votes_per_person >= 1
    assert all(s.votes_per_person is None for s in flow if s is not pick)
    assert flow[1].turns is TurnMode.ROUND  # share goes round the table


def test_the_standard_flow_in_english() -> None:
    scenario = Scenario.model_validate(minimal(language="en", case={"name": "Mr Baker"}))
    flow = scenario.flow
    assert [s.kind for s in flow] == [kind for kind, _ in DESIGN_FLOW]
    assert sum(s.minutes or 0 for s in flow) == 90
    for step in flow:
        assert step.title and step.title.isascii()
        assert step.prompt and step.prompt.isascii()
    japanese = Scenario.model_validate(minimal()).flow
    assert [s.minutes for s in flow] == [s.minutes for s in japanese]
    assert [s.turns for s in flow] == [s.turns for s in japanese]
    assert [len(s.questions or []) for s in flow] == [0, 0, 0, 2, 0, 1]
    first = flow[3].questions[0]  # type: ignore[index]
    assert "Mr Baker" in first and first.isascii()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_without_a_case_the_question_still_reads_well(language: str) -> None:
    scenario = Scenario.model_validate(minimal(language=language))
    for step in scenario.flow:
        for question in step.questions or []:
            assert "{" not in question and "}" not in question


def test_a_case_name_with_braces_is_taken_literally() -> None:
    scenario = Scenario.model_validate(minimal(case={"name": "{x}さん"}))
    assert "{x}さん" in scenario.flow[3].questions[0]  # type: ignore[index]


def test_resolving_is_stable_when_a_resolved_scenario_is_read_again() -> None:
    scenario = Scenario.model_validate(minimal(case={"name": "清水さん"}))
    again = Scenario.model_validate(scenario.model_dump(mode="json", exclude_none=True))
    assert again == scenario


# -- the session ------------------------------------------------------------------------


def session_data(**extra: Any) -> dict[str, Any]:
    return {
        "schema": 1,
        "id": "2026-11-27-shimizu",
        "scenario": minimal(case={"name": "清水さん"}),
        "created_at": T0,
        "updated_at": T0,
        "members": [
            {"id": "p1", "name": "山田 花子", "organization": "自治会"},
            {"id": "p2", "name": "佐藤 一郎"},
            {"id": "p3", "name": "飛び入り", "walk_in": True},
        ],
        **extra,
    }


def test_a_session_is_self_contained() -> None:
    session = Session.model_validate(session_data())
    assert isinstance(session.scenario, Scenario)
    assert [s.kind for s in session.scenario.flow] == [kind for kind, _ in DESIGN_FLOW]
    assert session.status is Status.DRAFT
    assert session.live == Live()
    assert (session.cards, session.groups, session.turns, session.actions) == ([], [], [], [])


def test_members_keep_seat_order_and_walk_ins() -> None:
    session = Session.model_validate(session_data())
    assert [(m.id, m.walk_in) for m in session.members] == [
        ("p1", False),
        ("p2", False),
        ("p3", True),
    ]
    assert session.member("p2") == Member(id="p2", name="佐藤 一郎")
    assert session.member(None) is None


def test_roles_of_the_room() -> None:
    roles = {
        "facilitator": "鈴木",
        "timekeeper": "高橋",
        "board_writer": "佐藤",
        "minute_taker": "田",
    }
    session = Session.model_validate(session_data(roles=roles))
    assert session.roles == Roles(**roles)
    assert errors(session_data(roles={"chair": "x"}), Session) == [
        (("roles", "chair"), "extra_forbidden")
    ]


@pytest.mark.parametrize("status", ["draft", "approved"])
def test_status_is_draft_or_approved(status: str) -> None:
    assert Session.model_validate(session_data(status=status)).status == status
    assert errors(session_data(status="final"), Session) == [(("status",), "enum")]


@pytest.mark.parametrize("field", ["created_at", "updated_at"])
def test_timestamps_must_carry_their_time_zone(field: str) -> None:
    naive = session_data(**{field: datetime(2026, 11, 27, 14, 0)})
    assert errors(naive, Session) == [((field,), "timezone_aware")]
    as_text = session_data(**{field: "2026-11-27T14:00:00"})
    assert errors(as_text, Session) == [((field,), "timezone_aware")]
    aware = Session.model_validate(session_data(**{field: "2026-11-27T05:00:00Z"}))
    assert getattr(aware, field) == T0


def test_every_record_of_a_meeting_has_a_place() -> None:
    later = T0 + timedelta(minutes=10)
    data = session_data(
        step_log=[
            {"step": 0, "started_at": T0, "ended_at": later},
            {"step": 1, "started_at": later},
        ],
        cards=[
            {
                "id": "c1",
                "step": 1,
                "kind": "share",
                "text": "坂",
                "speaker": "p1",
                "created_at": later,
            },
            {"id": "c2", "step": 1, "kind": "share", "text": "全体", "created_at": later},
            {
                "id": "c3",
                "step": 3,
                "kind": "exchange",
                "text": "見守り",
                "speaker": "p2",
                "question": 1,
                "answers": "g1",
                "created_at": later,
            },
        ],
        groups=[{"id": "g1", "step": 2, "title": "買い物", "cards": ["c1", "c2"], "votes": 4}],
        turns=[
            {"speaker": "p1", "step": 1, "started_at": T0, "ended_at": later, "outcome": "spoke"},
            {
                "speaker": "p2",
                "step": 1,
                "started_at": later,
                "outcome": "passed",
                "ended_at": later,
            },
            {"speaker": "p3", "step": 3, "question": 1, "round": 2, "started_at": later},
        ],
        actions=[
            {
                "id": "a1",
                "what": "試乗会",
                "who": "山田",
                "due": "12月",
                "step": 4,
                "created_at": later,
            }
        ],
        live={
            "started": True,
            "step": 3,
            "question": 1,
            "round": 2,
            "speaker": "p3",
            "target": "g1",
            "timers": [{"elapsed": 600.0}, {"running_since": later}],
        },
    )
    s = Session.model_validate(data)
    assert s.step_log == [
        StepVisit(step=0, started_at=T0, ended_at=later),
        StepVisit(step=1, started_at=later),
    ]
    assert [(c.speaker, c.question, c.answers) for c in s.cards] == [
        ("p1", None, None),
        (None, None, None),
        ("p2", 1, "g1"),
    ]
    assert s.groups == [Group(id="g1", step=2, title="買い物", cards=["c1", "c2"], votes=4)]
    assert [t.outcome for t in s.turns] == [Outcome.SPOKE, Outcome.PASSED, None]
    assert s.turns[2] == Turn(speaker="p3", step=3, question=1, round=2, started_at=later)
    assert s.actions == [
        ActionItem(id="a1", what="試乗会", who="山田", due="12月", step=4, created_at=later)
    ]
    assert s.live.timers == [StepTimer(elapsed=600.0), StepTimer(running_since=later)]
    assert (s.live.speaker, s.live.target) == ("p3", "g1")
    assert s.started_at == T0
    assert s.ended_at is None  # not ended yet


def card(**extra: Any) -> dict[str, Any]:
    return {"id": "c1", "step": 1, "kind": "share", "text": "x", "created_at": T0, **extra}


@pytest.mark.parametrize(
    ("extra", "key", "at"),
    [
        ({"cards": [card(speaker="p9")]}, "unknown_member", ("cards", 0, "speaker")),
        (
            {"cards": [card(), card(id="c2", answers="g9")]},
            "unknown_trouble",
            ("cards", 1, "answers"),
        ),
        ({"cards": [card(step=6)]}, "step_out_of_range", ("cards", 0, "step")),
        ({"cards": [card(question=0)]}, "question_out_of_range", ("cards", 0, "question")),
        ({"cards": [card(step=3, question=2)]}, "question_out_of_range", ("cards", 0, "question")),
        ({"cards": [card(), card()]}, "duplicate_id", ("cards", 1, "id")),
        (
            {"members": [{"id": "p1", "name": "A"}, {"id": "p1", "name": "B"}]},
            "duplicate_id",
            ("members", 1, "id"),
        ),
        (
            {"groups": [{"id": "g1", "step": 2, "title": "t", "cards": ["c9"]}]},
            "unknown_card",
            ("groups", 0, "cards", 0),
        ),
        (
            {"groups": [{"id": "g1", "step": 9, "title": "t"}]},
            "step_out_of_range",
            ("groups", 0, "step"),
        ),
        (
            {"turns": [{"speaker": "p9", "step": 1, "started_at": T0}]},
            "unknown_member",
            ("turns", 0, "speaker"),
        ),
        (
            {"turns": [{"speaker": "p1", "step": 7, "started_at": T0}]},
            "step_out_of_range",
            ("turns", 0, "step"),
        ),
        (
            {"actions": [{"id": "a1", "what": "x", "step": 6, "created_at": T0}]},
            "step_out_of_range",
            ("actions", 0, "step"),
        ),
        (
            {"step_log": [{"step": 6, "started_at": T0}]},
            "step_out_of_range",
            ("step_log", 0, "step"),
        ),
        ({"live": {"step": 6}}, "step_out_of_range", ("live", "step")),
        ({"live": {"step": 3, "question": 2}}, "question_out_of_range", ("live", "question")),
        ({"live": {"speaker": "p9"}}, "unknown_member", ("live", "speaker")),
        ({"live": {"target": "c9"}}, "unknown_trouble", ("live", "target")),
    ],
)
def test_references_in_a_session_must_hold(
    extra: dict[str, Any], key: str, at: tuple[Any, ...]
) -> None:
    assert chie_key(session_data(**extra), Session) == (key, at)


@pytest.mark.parametrize(
    ("extra", "loc", "kind"),
    [
        ({"observers": -1}, ("observers",), "range"),
        ({"observers": "3"}, ("observers",), "int_type"),
        ({"public": "yes"}, ("public",), "bool_type"),
        ({"public": 1}, ("public",), "bool_type"),
        ({"cards": [card(votes=-1)]}, ("cards", 0, "votes"), "range"),
        ({"cards": [card(votes="2")]}, ("cards", 0, "votes"), "int_type"),
        ({"cards": [card(picked="true")]}, ("cards", 0, "picked"), "bool_type"),
        ({"live": {"round": 0}}, ("live", "round"), "range"),
        (
            {"live": {"timers": [{"elapsed": -1.0}]}},
            ("live", "timers", 0, "elapsed"),
            "range",
        ),
        ({"live": {"timers": [{"elapsed": "60"}]}}, ("live", "timers", 0, "elapsed"), "float_type"),
        (
            {"members": [{"id": "p1", "name": "A", "walk_in": "no"}]},
            ("members", 0, "walk_in"),
            "bool_type",
        ),
    ],
)
def test_numbers_and_flags_in_a_session_are_not_guessed(
    extra: dict[str, Any], loc: tuple[Any, ...], kind: str
) -> None:
    assert errors(session_data(**extra), Session) == [(loc, kind)]


def test_a_finished_session_knows_when_it_ended() -> None:
    end = T0 + timedelta(minutes=90)
    data = session_data(
        step_log=[{"step": 0, "started_at": T0, "ended_at": end}],
        live={"started": True, "ended": True},
    )
    session = Session.model_validate(data)
    assert (session.started_at, session.ended_at) == (T0, end)


def test_card_without_a_speaker_is_unsigned() -> None:
    assert Card.model_validate(card()).speaker is None
