"""Word minutes read back with python-docx: every card, real tables, A4, Japanese set up."""

from __future__ import annotations

import io

import docx
import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import render_minutes
from chie_kokan.models import Scenario
from export_helpers import fixture


def _document(name: str, *, redact: bool = False) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_minutes([fixture(name)], "docx", redact=redact)))


@pytest.mark.parametrize("name", ["shimizu", "riverside"])
def test_every_card_is_in_the_document(name: str) -> None:
    session = fixture(name)
    document = _document(name)
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    for card in session.cards:
        assert card.text in paragraphs, card.text
    for action in session.actions:
        assert any(action.what in cell.text for t in document.tables for cell in t.columns[0].cells)


def test_attendee_and_action_tables_are_real_tables() -> None:
    document = _document("shimizu")
    tables = {tuple(c.text for c in t.rows[0].cells): t for t in document.tables}
    attendees = tables[("所属", "役職", "氏名")]
    assert [c.text for c in attendees.rows[1].cells] == ["第三団地自治会", "会長", "山田 花子"]
    assert len(attendees.rows) == 1 + len(fixture("shimizu").members)
    actions = tables[("何を", "誰が", "いつまでに", "状況")]
    assert [c.text for c in actions.rows[1].cells] == [
        "移動販売の曜日と場所を回覧板に載せる",
        "山田 花子",
        "12月15日",
        "未",
    ]
    speaking = tables[("氏名", "所属", "発言時間", "発言回数", "パス")]
    assert speaking.rows[1].cells[2].text == "4分15秒"
    assert ("項目", "内容") in tables  # 開催概要
    assert ("No.", "議題", "予定", "実績", "時刻") in tables


def test_headings_follow_the_minutes() -> None:
    document = _document("shimizu")
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name != "Normal"]
    names = [text for style, text in headings if style.startswith(("Title", "Heading"))]
    assert names[0] == "知恵交換会 — 清水さんの困りごと（架空の事例） 議事録（案）"
    for heading in ("開催概要", "出席者", "欠席者", "役割", "議題と時間", "内容", "1. はじめに"):
        assert heading in names
    assert names[-4:] == ["決定事項（取り組む困りごと）", "今後の取り組み", "地域資源", "発言時間"]
    assert ("List Bullet 2", "運営: NPO法人 たすけあいの会と地元スーパー") in headings


def test_page_is_a4_and_japanese_is_declared() -> None:
    document = _document("shimizu")
    section = document.sections[0]
    # Word stores twentieths of a point: A4 comes back to within a fraction of a mm.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.title.endswith("議事録（案）")
    assert document.core_properties.language == "ja-JP"
    xml = document.styles["Normal"].element.xml
    assert 'w:eastAsia="ja-JP"' in xml and 'w:eastAsia="Yu Gothic"' in xml


def test_public_word_metadata_holds_only_the_redacted_title() -> None:
    # The secretariat is free text: a clerk's name typed there is nobody the
    # redactor knows, and Word's properties are where nobody proofreads.
    session = fixture("shimizu").model_copy(update={"secretariat": "高齢支援課 担当 木下"})
    document = docx.Document(io.BytesIO(render_minutes([session], "docx", redact=True)))
    props = document.core_properties
    # Every text property python-docx knows of, not a list that could miss one.
    texts = {
        name: getattr(props, name)
        for name in dir(props)
        if not name.startswith("_") and isinstance(getattr(props, name), str)
    }
    assert texts.pop("title") == "知恵交換会 — Aさんの困りごと（架空の事例） 議事録（案）"
    assert texts.pop("language") == "ja-JP"
    assert "author" in texts and "keywords" in texts
    assert texts == dict.fromkeys(texts, "")


def test_internal_word_file_names_the_office_as_author() -> None:
    props = _document("shimizu").core_properties
    assert props.author == "高齢支援課 地域包括ケア推進係"
    assert props.title == "知恵交換会 — 清水さんの困りごと（架空の事例） 議事録（案）"
    assert props.comments == "" and props.last_modified_by == ""


def test_control_characters_in_a_card_do_not_break_the_file(
    clock: ManualClock, shimizu: Scenario
) -> None:
    engine = SessionEngine(new_session(shimizu, session_id="c", clock=clock), clock)
    engine.begin()
    engine.record_card("ベル\x07と\x00ヌル")
    document = docx.Document(io.BytesIO(render_minutes([engine.session], "docx")))
    # The card keeps them as visible stand-ins (models/base.py), which Word can hold.
    assert "ベル␇と␀ヌル" in "\n".join(p.text for p in document.paragraphs)


def test_merged_tables_each_get_a_section() -> None:
    data = render_minutes([fixture("shimizu"), fixture("riverside")], "docx")
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings.count("欠席者") == 1  # the meeting's, not one per table
    assert headings.index("全体のまとめ") < headings.index("テーブル1") < headings.index("Table B")
    assert headings.count("発言時間") == 2


# -- page layout (issue 9) -----------------------------------------------------


@pytest.mark.parametrize("redact", [False, True])
def test_every_page_carries_the_title_and_its_number(redact: bool) -> None:
    document = _document("shimizu", redact=redact)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert all(
        15 <= round(getattr(section, side).mm) <= 30
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin")
    )
    header = section.header
    assert not header.is_linked_to_previous
    assert header.paragraphs[0].text.startswith(document.core_properties.title)
    xml = header._element.xml
    assert 'w:instr=" PAGE "' in xml and 'w:instr=" NUMPAGES "' in xml


def test_headings_are_words_own_heading_styles() -> None:
    # The navigation pane lists Heading 1–3 paragraphs, not bold text.
    document = _document("shimizu")
    styles = {p.style.name for p in document.paragraphs if p.text in ("開催概要", "内容")}
    assert styles == {"Heading 1"}
    assert any(
        p.style.name == "Heading 2" and p.text.startswith("1. ") for p in document.paragraphs
    )
