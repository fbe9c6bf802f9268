"""Reading fast without reading differently: the compiled parser and its fallbacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chie_kokan.files import parse_toml
from chie_kokan.i18n import t
from chie_kokan.models.base import _STAND_INS, visible_controls
from chie_kokan.problems import FileError


@pytest.mark.parametrize(
    "text",
    [
        "a = {b = 1,\n c = 2}\n",  # TOML 1.1: a newline in an inline table
        'a = "\\e"\n',  # TOML 1.1: the escape character
        "a = 2026-11-27T14:00\n",  # TOML 1.1: a time without seconds
    ],
)
def test_what_tomllib_refuses_is_refused_whichever_parser_reads_it(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "x.toml"
    with pytest.raises(FileError) as caught:
        parse_toml(path, text)
    (problem,) = caught.value.problems
    assert problem.line == 1


def test_deep_nesting_the_fast_parser_reads_is_still_refused_as_too_deep(
    tmp_path: Path,
) -> None:
    # Compiled, the parser reads 100 levels; tomllib cannot: same refusal as before.
    text = "a = 1\nx = " + "[" * 600 + "1" + "]" * 600 + "\n"
    with pytest.raises(FileError) as caught:
        parse_toml(tmp_path / "x.toml", text)
    (problem,) = caught.value.problems
    assert (problem.message, problem.line) == (t("validation.too_deep"), 2)


def test_ordinary_nesting_is_read() -> None:
    text = "x = " + "[" * 40 + "1" + "]" * 40 + '\n[t]\nu = {v = {w = "深い"}}\n'
    data = parse_toml(Path("x.toml"), text)
    assert data["t"] == {"u": {"v": {"w": "深い"}}}
    inner = data["x"]
    for _ in range(40):
        inner = inner[0]
    assert inner == 1


@given(st.text())
def test_the_quick_path_for_clean_text_makes_the_same_text_visible(text: str) -> None:
    # The whole rule, without the shortcut for text with nothing to show.
    slow = text.replace("\r\n", "\n").replace("\r", "\n").translate(_STAND_INS)
    assert visible_controls(text) == slow
