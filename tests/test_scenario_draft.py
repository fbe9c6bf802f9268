"""The editor's core: the form as a scenario file, checked and saved in place."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chie_kokan.models.scenario import Scenario
from chie_kokan.problems import FileError
from chie_kokan.scenario_draft import (
    PersonDraft,
    ScenarioDraft,
    StepDraft,
    comments,
    file_text,
    lost_comments,
    number,
    open_scenario,
)
from chie_kokan.scenario_template import template_text
from chie_kokan.storage import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

# Text a person might type into a one-line field: quotes, backslashes, "#",
# brackets, full-width letters, emoji; no line breaks (an Input has none).
one_line = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=30
).filter(lambda text: text.strip() == text and text.strip())


def test_unchanged_files_are_written_back_byte_for_byte() -> None:
    for path in [*SCENARIOS.glob("*.toml")]:
        opened = open_scenario(path)
        assert file_text(opened.draft, opened.text) == opened.text


def test_the_template_is_written_back_byte_for_byte(tmp_path: Path) -> None:
    for language in ("ja", "en"):
        path = tmp_path / f"{language}.toml"
        path.write_text(template_text(language), encoding="utf-8")
        opened = open_scenario(path)
        assert file_text(opened.draft, opened.text) == opened.text


def test_a_new_key_goes_to_its_documented_place(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(template_text("ja"), encoding="utf-8")
    opened = open_scenario(path)
    opened.draft.steps[0].title = "開会"  # opening has kind and minutes only
    text = file_text(opened.draft, opened.text)
    assert 'kind = "opening"\ntitle = "開会"\nminutes = 5\n' in text
    assert lost_comments(opened.text, text) == []


def test_a_moved_step_takes_the_comments_above_it(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(template_text("ja"), encoding="utf-8")
    opened = open_scenario(path)
    steps = opened.draft.steps
    steps.append(steps.pop(2))  # pick (under the break comment) to the end
    text = file_text(opened.draft, opened.text)
    assert lost_comments(opened.text, text) == []
    # The commented-out break is above the pick step, now the last one.
    assert text.index("# minutes = 10") > text.index('kind = "reflect"')
    assert [s.kind.value for s in load_path(text, tmp_path).flow][-1] == "pick"


def test_removed_comments_are_listed(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text(template_text("ja"), encoding="utf-8")
    opened = open_scenario(path)
    opened.draft.participants.pop(0)
    opened.draft.private_names = ""
    text = file_text(opened.draft, opened.text)
    assert lost_comments(opened.text, text) == [
        "公開用の議事録（--redact）では消す名前",
        "役職（なくてもかまいません）",
        # The commented-out example under the first person goes with them.
        'table = "A"                       # テーブル名（任意）: '
        "グループ発表はテーブルごとに一人ずつ発表します",
    ]


def test_a_hash_inside_a_string_is_no_comment() -> None:
    assert comments('title = "#1 の会" # メモ\n') == {"メモ": 1}


def test_numbers_as_typed() -> None:
    assert number("") is None
    assert number(" ２０ ") == 20  # an IME left on
    assert number("-5") == -5
    assert number("二十") == "二十"
    assert number("9" * 5000) == "9" * 5000  # beyond what Python reads: kept as text


def test_problems_name_the_field() -> None:
    draft = ScenarioDraft.new("ja")
    draft.title, draft.theme = "会", "テーマ"
    draft.steps[1].minutes = "0"
    draft.participants = [PersonDraft(name="")]
    found = {loc: problem.message for loc, problem in draft.problems(Path("x.toml"))}
    assert set(found) == {("steps", 1, "minutes"), ("participants", 0, "name")}


def load_path(text: str, folder: Path) -> Scenario:
    path = folder / "written.toml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(path)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=one_line,
    theme=one_line,
    names=st.lists(one_line, min_size=1, max_size=4, unique=True),
    organization=one_line,
    question=one_line,
    edit_in_place=st.booleans(),
)
def test_what_is_typed_is_what_is_read(
    tmp_path: Path,
    title: str,
    theme: str,
    names: list[str],
    organization: str,
    question: str,
    edit_in_place: bool,
) -> None:
    """Any text typed into the form reads back the same from the saved file."""
    original = (SCENARIOS / "shimizu.toml").read_text("utf-8") if edit_in_place else None
    draft = ScenarioDraft.new("ja")
    if edit_in_place:
        path = tmp_path / "s.toml"
        path.write_text(original or "", encoding="utf-8")
        draft = open_scenario(path).draft
    draft.title, draft.theme = title, theme
    draft.participants = [PersonDraft(name=name, organization=organization) for name in names]
    draft.steps = [StepDraft(kind="exchange", questions=question, minutes="25")]
    expected = Scenario.model_validate(draft.data())
    assert load_path(file_text(draft, original), tmp_path) == expected


def test_what_the_form_cannot_show_is_refused_as_validate_says(tmp_path: Path) -> None:
    """Opened, it would be changed unasked on saving: refused with validate's own message."""
    shimizu = (SCENARIOS / "shimizu.toml").read_text("utf-8")
    cases = {
        "schema": shimizu.replace("schema = 1", "schema = 2"),
        "language": shimizu.replace('language = "ja"', 'language = "fr"'),
        "unknown": shimizu.replace("theme =", "teme ="),
        "table": shimizu.replace("[case]", "[case.more]"),
    }
    for name, text in cases.items():
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(FileError) as refused:
            open_scenario(path)
        with pytest.raises(FileError) as validated:
            load_scenario(path)
        assert str(refused.value) == str(validated.value), name


def test_wrong_values_open_to_be_put_right(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    text = (SCENARIOS / "shimizu.toml").read_text("utf-8").replace("minutes = 20", "minutes = 0")
    path.write_text(text, encoding="utf-8")
    opened = open_scenario(path)
    assert opened.draft.steps[1].minutes == "0"
    assert [loc for loc, _ in opened.draft.problems(path)] == [("steps", 1, "minutes")]
