"""Golden files for the minutes' issue-9 sections, in Japanese and English.

The fixture sessions (``tests/fixtures/export/*-session.toml``) are taken as
they are and given, through the engine on a manual clock, what a municipal
office adds: the author, the next meeting, the report on last meeting's
promises (済 / 継続 / 中止 with notes), and for the English one an approval.
Regenerate on purpose and read the diff:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_export_golden_sections.py

The overview of the Japanese golden is also checked line by line against the
layout of minutes a municipal office publishes: 狛江市「令和6年度 第1回
狛江市子ども・若者・子育て会議」会議録
(https://origin.city.komae.tokyo.jp/index.cfm/51,133104,464,html), whose
header lists 開催日時, 開催場所, 出席者 (委員 and 事務局), 欠席者, 傍聴者,
then 議事内容 and 会議の結果. Ours keeps that order and adds what a 協議体's
minutes carry (会議名, テーマ, 会議の公開, 議事録 案/確定, 作成者, 次回開催予定).
"""

from __future__ import annotations

import os
from datetime import date, datetime, time
from pathlib import Path

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine
from chie_kokan.export import render_minutes
from chie_kokan.models import ReportItem, ReportStatus, Session
from chie_kokan.models.session import NextMeeting
from chie_kokan.storage import load_session
from export_helpers import docx_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "export"
GOLDEN = FIXTURES / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

REPORTS = {
    "shimizu": [
        ("a1", "見守りマップの試作版を自治会で回覧する", "山田 花子", "11月末", "done", "回覧済み"),
        (
            "a2",
            "ゴミ出し当番の案を自治会に出す",
            "鈴木 美和",
            "次回まで",
            "continues",
            "案を作成中",
        ),
        ("a3", "商店街に配達の案内を頼む", "伊藤 誠", "", "dropped", "商工会で別に実施"),
    ],
    "riverside": [
        ("a1", "Ask the library about a warm room", "Dana Brooks", "", "done", "Open Tuesdays"),
        ("a2", "Map the icy paths", "Sam Patel", "January", "continues", ""),
    ],
}
DETAILS = {
    "shimizu": (
        "木下 恵子",
        NextMeeting(date=date(2027, 1, 22), time=time(14, 0), place="本庁舎 第2会議室"),
    ),
    "riverside": ("Alex Kim", NextMeeting(date=date(2027, 1, 14), place="Riverside Library")),
}


def with_sections(name: str) -> Session:
    """The fixture session with the author, the next meeting and a report back."""
    session = load_session(FIXTURES / f"{name}-session.toml")
    clock = ManualClock(session.updated_at)
    engine = SessionEngine(session, clock)
    author, next_meeting = DETAILS[name]
    before = session.model_copy(deep=True)
    engine.update_details(author=author, next_meeting=next_meeting)
    earlier = datetime(2026, 10, 23, 14, 0, tzinfo=session.created_at.tzinfo)
    for action_id, what, who, due, status, note in REPORTS[name]:
        item = ReportItem(
            id=action_id, what=what, who=who, due=due, from_session="earlier", from_date=earlier
        )
        engine.report_on(item, ReportStatus(status), note)
    if before.status.value == "approved":  # the English fixture was approved: keep it so
        engine.approve("Chair")
    return engine.session


CASES = [
    (name, fmt, redact) for name in REPORTS for fmt in ("md", "html") for redact in (False, True)
]


@pytest.mark.parametrize(("name", "fmt", "redact"), CASES)
def test_minutes_with_the_office_sections_match_golden(name: str, fmt: str, redact: bool) -> None:
    text = render_minutes([with_sections(name)], fmt, redact=redact).decode("utf-8")  # type: ignore[arg-type]
    golden = GOLDEN / f"{name}-sections{'-public' if redact else ''}.{fmt}"
    if UPDATE:
        golden.write_text(text, encoding="utf-8", newline="")
    assert golden.exists(), f"{golden} missing: run with UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8"), f"{golden.name} differs: read the diff"


def overview(markdown: str) -> list[str]:
    """The 開催概要 table's rows, as ``項目 | 内容``."""
    lines = markdown.splitlines()
    start = lines.index("## 開催概要") + 4  # heading, blank, header row, rule
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(" | ".join(cell.strip() for cell in line.strip("|").split("|")))
    return rows


def test_the_overview_follows_a_published_municipal_layout_line_by_line() -> None:
    text = (GOLDEN / "shimizu-sections.md").read_text(encoding="utf-8")
    assert overview(text) == [
        "会議名 | 知恵交換会 — 清水さんの困りごと（架空の事例）",
        "テーマ | 買い物と移動",
        "開催日時 | 令和8年11月27日（金） 14:00〜14:53",  # 狛江市: 1 開催日時
        "場所 | 清瀬市役所 本庁舎 第2会議室",  # 2 開催場所
        "出席者 | 8名",  # 3 出席者 (names follow in their own section)
        "欠席者 | 2名",  # 4 欠席者
        "傍聴者 | 2名",  # 5 傍聴者
        "事務局 | 高齢支援課 地域包括ケア推進係",  # 3 出席者 (事務局)
        "会議の公開 | 公開",
        "議事録 | 案",
        "作成者 | 木下 恵子",
        "次回開催予定 | 令和9年1月22日（金） 14:00〜 本庁舎 第2会議室",
    ]
    # 議事内容 and 会議の結果 follow: the agenda, then what was said step by step.
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings.index("## 開催概要") < headings.index("## 議題と時間")
    assert headings.index("## 議題と時間") < headings.index("## 内容")


@pytest.mark.parametrize("name", list(REPORTS))
def test_the_report_back_reads_the_same_in_word(name: str) -> None:
    text = docx_text(render_minutes([with_sections(name)], "docx"))
    for _, what, _, _, _, note in REPORTS[name]:
        assert what in text
        if note:
            assert note in text
    author, _ = DETAILS[name]
    assert author in text
