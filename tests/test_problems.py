"""Problems people can act on: the file, the line, the field, in their language."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.i18n import set_language
from chie_kokan.models import Scenario, Session
from chie_kokan.problems import (
    FileError,
    Problem,
    field_path,
    locate,
    position,
    shown,
    toml_problem,
    validation_problems,
)
from chie_kokan.storage import load_scenario, load_session, session_text

SCENARIO = """\
schema = 1
title = "t"
theme = "x"

[case]
name = "清水さん"

[[participants]]
name = "A"

[[participants]]
name = "B"
role = "会長"

[[steps]]
kind = "opening"

[[steps]]
kind = "share"
minutes = 20
questions = [
    "①",
    "②",
]
"""


def line_of(text: str, fragment: str, after: int = 0) -> int:
    """1-based number of the first line at or after ``after`` containing ``fragment``."""
    lines = text.splitlines()
    return next(i for i in range(after, len(lines)) if fragment in lines[i]) + 1


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        (("steps", 2, "minutes"), "steps[2].minutes"),
        (("title",), "title"),
        (("steps", 1, "questions", 0), "steps[1].questions[0]"),
        (("scenario", "case", "name"), "scenario.case.name"),
        (("live", "timers", 3, "elapsed"), "live.timers[3].elapsed"),
        ((), ""),
    ],
)
def test_field_paths_read_like_the_file(loc: tuple[int | str, ...], expected: str) -> None:
    assert field_path(loc) == expected


@pytest.mark.parametrize(
    ("loc", "ja", "en"),
    [
        (("steps", 1, "minutes"), "2番目の手順", "step 2"),
        (("steps", 1, "questions", 0), "2番目の手順の1番目の問い", "step 2, question 1"),
        (("participants", 2, "name"), "名簿の3人目", "participant 3"),
        (("groups", 0, "cards", 1), "1番目のグループの2枚目のカード", "group 1, card 2"),
        (("scenario", "steps", 0, "minutes"), "1番目の手順", "step 1"),
        (("live", "timers", 5, "elapsed"), "6番目のタイマー", "timer 6"),
        (("mystery", 9), "mystery の10番目", "mystery item 10"),
        (("case", "name"), None, None),
        ((), None, None),
    ],
)
def test_positions_count_from_one_as_people_do(
    loc: tuple[int | str, ...], ja: str | None, en: str | None
) -> None:
    set_language("ja")
    assert position(loc) == ja
    set_language("en")
    assert position(loc) == en


def test_a_problem_says_the_position_and_keeps_the_field_path() -> None:
    loc = ("steps", 1, "minutes")
    problem = Problem(Path("s.toml"), "…", line=20, field=field_path(loc), loc=loc)
    set_language("ja")
    assert str(problem) == "s.toml 20行目: 2番目の手順（steps[1].minutes）: …"
    set_language("en")
    assert str(problem) == "s.toml line 20: step 2 (steps[1].minutes): …"
    unlisted = Problem(Path("s.toml"), "…", field="case.name", loc=("case", "name"))
    assert str(unlisted) == "s.toml: case.name: …"


@pytest.mark.parametrize(
    ("loc", "fragment", "after"),
    [
        (("title",), 'title = "t"', 0),
        (("case", "name"), 'name = "清水さん"', 0),
        (("participants", 1, "role"), 'role = "会長"', 0),
        (("participants", 1, "name"), 'name = "B"', 0),
        (("steps", 1, "minutes"), "minutes = 20", 0),
        (("steps", 1, "questions", 1), "questions = [", 0),
        (("steps", 1), "[[steps]]", 16),
        # A key that is missing points at the header of its table.
        (("steps", 0, "minutes"), "[[steps]]", 0),
        (("participants", 0, "organization"), "[[participants]]", 0),
        (("case", "summary"), "[case]", 0),
    ],
)
def test_locate_finds_the_line_people_wrote(
    loc: tuple[int | str, ...], fragment: str, after: int
) -> None:
    assert locate(SCENARIO, loc) == line_of(SCENARIO, fragment, after)


@pytest.mark.parametrize(
    "loc",
    [("language",), ("steps", 5, "minutes"), ("ground_rules", 0), ()],
)
def test_locate_says_nothing_rather_than_a_wrong_line(loc: tuple[int | str, ...]) -> None:
    assert locate(SCENARIO, loc) is None


def test_locate_in_a_nested_table_of_a_session() -> None:
    text = (
        '[scenario]\ntitle = "t"\n\n'
        '[[scenario.steps]]\nkind = "share"\n\n'
        "[[scenario.steps]]\nminutes = 0\n"
    )
    assert locate(text, ("scenario", "steps", 1, "minutes")) == 8
    assert locate(text, ("scenario", "title")) == 2


@pytest.fixture
def saved(clock: ManualClock, shimizu: Scenario) -> str:
    """An app-written session: long lists as [[tables]], short ones inline."""
    engine = SessionEngine(new_session(shimizu, session_id="s", clock=clock), clock)
    engine.begin()
    engine.next_step()
    engine.record_card("一")
    engine.record_card("二")
    return session_text(engine.session)


def nth_entry_line(text: str, array: str, index: int) -> int:
    start = line_of(text, f"{array} = [")
    lines = text.splitlines()
    entries = [i + 1 for i in range(start, len(lines)) if lines[i].lstrip().startswith("{")]
    return entries[index]


def test_locate_in_arrays_of_inline_tables_as_the_app_writes_them(saved: str) -> None:
    assert "step_log = [" in saved and "timers = [" in saved and "[[cards]]" in saved
    assert locate(saved, ("step_log", 1, "step")) == nth_entry_line(saved, "step_log", 1)
    assert locate(saved, ("step_log", 0, "ended_at")) == nth_entry_line(saved, "step_log", 0)
    assert locate(saved, ("live", "timers", 1, "elapsed")) == nth_entry_line(saved, "timers", 1)
    assert locate(saved, ("live", "timers", 5, "running_since")) == nth_entry_line(
        saved, "timers", 5
    )
    assert locate(saved, ("step_log", 2, "step")) is None  # there are two visits
    # Arrays of [[tables]] in the same file still work.
    assert locate(saved, ("cards", 1, "text")) == line_of(saved, 'text = "二"')


def load_problem(text: str, tmp_path: Path) -> Problem:
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FileError) as caught:
        load_session(path)
    (problem,) = caught.value.problems
    return problem


def test_a_dangling_reference_in_an_app_written_session_points_at_its_line(
    saved: str, tmp_path: Path
) -> None:
    second_card = line_of(saved, "[[cards]]", line_of(saved, "[[cards]]"))
    lines = saved.splitlines()
    speaker = line_of(saved, "speaker = ", second_card) - 1
    lines[speaker] = 'speaker = "p99"'
    problem = load_problem("\n".join(lines), tmp_path)
    assert (problem.field, problem.line) == ("cards[1].speaker", speaker + 1)
    assert "p99" in problem.message


def test_an_index_out_of_range_in_an_inline_entry_points_at_its_line(
    saved: str, tmp_path: Path
) -> None:
    entry = nth_entry_line(saved, "step_log", 1)
    lines = saved.splitlines()
    assert "step = 1," in lines[entry - 1]
    lines[entry - 1] = lines[entry - 1].replace("step = 1,", "step = 8,")
    problem = load_problem("\n".join(lines), tmp_path)
    assert (problem.field, problem.line) == ("step_log[1].step", entry)


def test_a_toml_error_keeps_its_line_and_column() -> None:
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads('a = 1\nb = "x\n')
    problem = toml_problem(Path("f.toml"), caught.value, 'a = 1\nb = "x\n')
    assert (problem.line, problem.column) == (2, 7)  # as tomllib counts
    assert "line 2" not in problem.message  # the position is given once, in the prefix


def test_problems_carry_the_path_below_the_validator() -> None:
    data = tomllib.loads(SCENARIO.replace('name = "B"', 'name = "A"'))
    with pytest.raises(ValidationError) as caught:
        Scenario.model_validate(data)
    text = SCENARIO.replace('name = "B"', 'name = "A"')
    (problem,) = validation_problems(Path("s.toml"), caught.value, Scenario, text)
    assert problem.field == "participants[1].name"
    assert problem.line == line_of(text, 'name = "A"', line_of(text, "[[participants]]") + 1)
    assert "A" in problem.message


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ja", "s.toml 3行目 7文字目: steps[0].minutes: 何か"),
        ("en", "s.toml line 3, column 7: steps[0].minutes: 何か"),
    ],
)
def test_a_problem_reads_as_file_line_field_message(language: str, expected: str) -> None:
    set_language(language)
    assert str(Problem(Path("s.toml"), "何か", 3, 7, "steps[0].minutes")) == expected


def test_a_problem_without_line_or_field_still_names_the_file() -> None:
    set_language("en")
    assert str(Problem(Path("dir/s.toml"), "Empty.")) == "dir/s.toml: Empty."
    assert str(Problem(Path("s.toml"), "Bad.", line=4)) == "s.toml line 4: Bad."


def test_a_file_error_lists_every_problem() -> None:
    error = FileError([Problem(Path("a"), "one"), Problem(Path("a"), "two", 2)])
    assert str(error).splitlines() == [str(p) for p in error.problems]


def test_every_kind_of_validation_message_reads_without_placeholders(
    clock: ManualClock,
) -> None:
    # One of each pydantic error kind the files can produce, in both languages.
    bad = [
        {"schema": 1, "title": "t"},  # missing
        {"schema": 1, "title": "t", "theme": "x", "extra": 1},  # extra_forbidden
        {"schema": 1, "title": "t", "theme": "x", "language": "fr"},  # literal
        {"schema": 1, "title": "t", "theme": "x", "steps": [{"kind": "x"}]},  # enum
        {"schema": 1, "title": "t", "theme": "x", "steps": [{"kind": "share", "minutes": 0}]},
        {
            "schema": 1,
            "title": "t",
            "theme": "x",
            "steps": [{"kind": "pick", "votes_per_person": -1}],
        },
        {"schema": 1, "title": "t", "theme": "x", "steps": [{"kind": "share", "minutes": "5"}]},
        {"schema": 1, "title": "", "theme": "x"},  # string_too_short
        {"schema": 1, "title": 5, "theme": "x"},  # string_type
        {"schema": 1, "title": "t", "theme": "x", "ground_rules": "r"},  # list_type
        {"schema": 1, "title": "t", "theme": "x", "case": "c"},  # model_type
        {"schema": 1, "title": "t", "theme": "x", "steps": []},  # ours
    ]
    for language in ("ja", "en"):
        set_language(language)
        for data in bad:
            with pytest.raises(ValidationError) as caught:
                Scenario.model_validate(data)
            for problem in validation_problems(Path("s.toml"), caught.value, Scenario, ""):
                assert problem.message.strip()
                assert "{" not in problem.message.replace("{ … }", "")
    session = {"schema": 1, "id": "s", "scenario": {"schema": 1, "title": "t", "theme": "x"}}
    for stamp in ("2026-11-27T14:00:00", "not a date"):
        with pytest.raises(ValidationError) as caught:
            Session.model_validate({**session, "created_at": stamp, "updated_at": clock.now})
        (problem,) = validation_problems(Path("s.toml"), caught.value, Session, "")
        assert problem.field == "created_at"
        assert "2026-11-27T14:00:00+09:00" in problem.message  # shows how to write it


def test_a_long_or_deep_value_is_quoted_short(tmp_path: Path) -> None:
    huge = "x" * 100_000
    deep: list[object] = []
    for _ in range(400):
        deep = [deep]
    for value, written in [(huge, f'"{huge}"'), (deep, "[" * 400 + "]" * 400)]:
        path = tmp_path / "s.toml"
        path.write_text(f'schema = 1\ntitle = "t"\ntheme = "t"\nlanguage = {written}\n', "utf-8")
        with pytest.raises(FileError) as caught:
            load_scenario(path)
        (problem,) = caught.value.problems
        assert (problem.field, problem.line) == ("language", 4)
        assert len(problem.message) < 200
        assert shown(value) in problem.message
    assert shown(huge) == "x" * 79 + "…"
    assert shown(deep) == "[[[[...]]]]"
