"""Success examples typed on one line or in three fields: what, who runs it, where."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chie_kokan.examples import example_fields, split_example

# People's text: any characters (Japanese, emoji, punctuation, ・) but the two separators.
without_separators = st.text().filter(lambda text: "/" not in text and "／" not in text)
# A part as it comes back: stripped, so a round trip can be exact.
part = without_separators.map(str.strip)


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("移動販売／商工会／第三団地の広場", ("移動販売", "商工会", "第三団地の広場")),
        (
            "Snow wardens / Residents' association / River Street",
            ("Snow wardens", "Residents' association", "River Street"),
        ),
        ("移動販売", ("移動販売", "", "")),
        ("見守り・配食サービス・社協", ("見守り・配食サービス・社協", "", "")),
        ("サロン／／公民館", ("サロン", "", "公民館")),
        ("Lunch club/Salon", ("Lunch club", "Salon", "")),
        ("Shop/NPO/A棟/B棟", ("Shop", "NPO", "A棟 / B棟")),
        ("  spaced  /  out  ", ("spaced", "out", "")),
        ("", ("", "", "")),
    ],
)
def test_split_example(typed: str, parts: tuple[str, str, str]) -> None:
    assert split_example(typed) == parts


@given(without_separators)
def test_text_without_a_separator_is_all_what(text: str) -> None:
    assert split_example(text) == (text.strip(), "", "")


@given(part, part, part, st.sampled_from(["/", "／", " / ", "　／　"]))
def test_three_parts_joined_by_a_separator_come_back(
    what: str, runs_by: str, place: str, separator: str
) -> None:
    typed = separator.join([what, runs_by, place])
    assert split_example(typed) == (what, runs_by, place)


@given(st.text(), st.text(), st.text())
def test_nothing_typed_is_lost(what: str, runs_by: str, place: str) -> None:
    """Every non-space character typed comes back, in order (separators aside)."""

    def letters(fields: tuple[str, ...]) -> str:
        text = "".join("".join(field.split()) for field in fields)
        return text.replace("／", "").replace("/", "")

    assert letters(example_fields(what, runs_by, place)) == letters((what, runs_by, place))


def test_fields_typed_separately_are_kept_as_typed() -> None:
    assert example_fields(" 24/7 phone line ", " NPO ", "") == ("24/7 phone line", "NPO", "")
    assert example_fields("移動販売", "", "広場") == ("移動販売", "", "広場")
    assert example_fields("移動販売／商工会", "", "") == ("移動販売", "商工会", "")
