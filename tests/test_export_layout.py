"""Issue 9: how the exported minutes are laid out (HTML tables)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chie_kokan.export import export_now, render_minutes
from export_helpers import docx_text, fixture

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def _th_declarations(page: str) -> dict[str, str]:
    """The declarations every ``th`` gets from the page's own stylesheet, later rules winning."""
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    style = re.sub(r"/\*.*?\*/", "", style, flags=re.S)
    style = re.sub(r"@media[^{]*\{((?:[^{}]*\{[^{}]*\})*)[^{}]*\}", "", style)
    found: dict[str, str] = {}
    for selectors, body in _RULE.findall(style):
        if "th" not in {s.strip() for s in selectors.split(",")}:
            continue
        for declaration in body.split(";"):
            name, _, value = declaration.partition(":")
            if value:
                found[name.strip()] = value.strip()
    return found


@pytest.mark.parametrize("redact", [False, True])
def test_table_headers_never_break_inside_a_word(redact: bool) -> None:
    page = render_minutes([fixture("shimizu")], "html", redact=redact).decode("utf-8")
    declarations = _th_declarations(page)
    assert declarations["white-space"] == "nowrap"
    assert declarations["min-width"].endswith("em")
    # The action table's 状況 is one of those headers.
    assert "<th>状況</th>" in page


def test_f10_export_keeps_the_speaking_time(tmp_path: Path) -> None:
    # The screen's export is the internal minutes, table included.
    paths = export_now(fixture("shimizu"), tmp_path)
    assert "発言時間" in paths[0].read_text(encoding="utf-8")
    assert "発言時間" in docx_text(paths[2].read_bytes())
