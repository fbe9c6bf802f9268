"""Issue 9: how the exported minutes are laid out (HTML tables)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chie_kokan.export import export_now, render_minutes
from chie_kokan.models import Resource, Session
from export_helpers import contains_name, docx_text, fixture, personal_names
from test_export import all_formats

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


# -- local resources recorded in the meeting (issue 9) ----------------------------


def _with_resources() -> Session:
    """Shimizu plus two resources: one that may be published naming a member, one that may not."""
    session = fixture("shimizu")
    member = session.members[0]
    example = next(card for card in session.cards if card.resource is not None)
    shown = Resource(
        name="買い物同行ボランティア",
        category="買い物支援",
        contact=f"{member.name} 090-0000-0000",
        offers=f"{member.name}さんが付き添います",
        publishable=True,
    )
    hidden = Resource(name="裏山の畑（非公開）", contact="042-999-9999", publishable=False)
    cards = [
        *session.cards,
        example.model_copy(update={"id": "r1", "resource": shown}),
        example.model_copy(update={"id": "r2", "resource": hidden}),
    ]
    return session.model_copy(update={"cards": cards})


def test_internal_minutes_list_every_resource_in_full() -> None:
    session = _with_resources()
    member = session.members[0].name
    for fmt, text in all_formats([session], redact=False).items():
        assert "地域資源" in text, fmt
        for expected in (
            "移動販売（第三団地）",
            "毎週木曜 10:00〜11:30",
            "たすけあいの会 042-000-0000",
            "買い物同行ボランティア",
            f"{member} 090-0000-0000",
            "裏山の畑（非公開）",
            "042-999-9999",
            "公開不可",
        ):
            assert expected in text, (fmt, expected)


def test_public_minutes_list_only_publishable_resources_without_names() -> None:
    session = _with_resources()
    names = personal_names(session)
    for fmt, text in all_formats([session], redact=True).items():
        assert "移動販売（第三団地）" in text and "買い物同行ボランティア" in text, fmt
        assert "090-0000-0000" in text, fmt  # the contact stays, the name goes
        assert "裏山の畑" not in text and "042-999-9999" not in text, fmt
        assert "公開不可" not in text and "公開可" not in text, fmt
        leaked = [n for n in names if contains_name(text, n)]
        assert not leaked, (fmt, leaked)


def test_no_resources_no_section() -> None:
    for text in all_formats([fixture("riverside")]).values():
        assert "Local resources" not in text
