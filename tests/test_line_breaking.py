"""Japanese line breaking (tui/line_breaking.py): kinsoku, Latin words whole, styles kept."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.content import Content

from chie_kokan.tui.glyphs import ELLIPSIS
from chie_kokan.tui.line_breaking import line_breaks, wrap


def test_line_breaks_follow_kinsoku() -> None:
    text = "ひざが痛み、階段と坂道がつらくなってきた。"
    lines = [text[a:b] for a, b in line_breaks(text, 10)]
    assert lines == ["ひざが痛", "み、階段と", "坂道がつら", "くなってき", "た。"]
    # A mixed title breaks in the Japanese, not at the only space.
    title = "知恵交換会 — 清水さんの困りごと（架空の事例）"
    first, *_ = [title[a:b] for a, b in line_breaks(title, 30)]
    assert first == "知恵交換会 — 清水さんの困りご"
    # English keeps words whole.
    english = "Knowledge exchange — Mr Baker's troubles"
    assert [english[a:b] for a, b in line_breaks(english, 20)] == [
        "Knowledge exchange —",
        "Mr Baker's troubles",
    ]


def test_wrap_keeps_styles_and_clips_with_an_ellipsis() -> None:
    content = Content.assemble(("清水さん", "bold"), "：84歳の女性。一人暮らし。")
    lines = wrap(content, 12, max_lines=2)
    assert len(lines) == 2
    assert lines[0].plain == "清水さん：84"
    assert lines[1].plain.endswith(ELLIPSIS)
    assert cell_len(lines[1].plain) <= 12
    assert lines[0].spans  # the name is still bold


_NO_START = "、。」）ー"
_text = st.text(
    alphabet=st.sampled_from(list("あいう漢字カナ、。「」（）ー abcXYZ12 ")), max_size=80
)


@given(text=_text, width=st.integers(min_value=2, max_value=40))
def test_line_breaks_fit_and_lose_nothing(text: str, width: int) -> None:
    spans = line_breaks(text, width)
    lines = [text[a:b] for a, b in spans]
    for line in lines:
        assert cell_len(line) <= width
    # Only spaces are ever dropped, and only at a break.
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert text[end:start].strip(" ") == ""
    # Kinsoku holds, except after a space or where a run of marks longer than
    # a line had to be cut (the line before is then full).
    for (start, _), before, line in zip(spans[1:], lines, lines[1:], strict=False):
        if line and line[0] in _NO_START and text[start - 1] != " ":
            assert cell_len(before) >= width - 1
