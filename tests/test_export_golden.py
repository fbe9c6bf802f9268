"""Golden files: the Markdown and HTML minutes of the fixture sessions, byte for byte.

The fixtures are real sessions made through the engine on a manual clock by
``tests/fixtures/export/make_fixtures.py`` and committed as TOML, so a change
in the engine does not move the goldens; rebuild them on purpose. After an
intended change to the minutes, regenerate and read the diff before committing:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_export_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chie_kokan.export import render_minutes
from chie_kokan.storage import load_session

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "export"
GOLDEN = FIXTURES / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

CASES = [
    (session, fmt, redact)
    for session in ("shimizu", "riverside")
    for fmt in ("md", "html")
    for redact in (False, True)
]


def _golden_name(session: str, fmt: str, redact: bool) -> str:
    return f"{session}{'-public' if redact else ''}.{fmt}"


@pytest.mark.parametrize(("session", "fmt", "redact"), CASES)
def test_minutes_match_golden(session: str, fmt: str, redact: bool) -> None:
    loaded = load_session(FIXTURES / f"{session}-session.toml")
    text = render_minutes([loaded], fmt, redact=redact).decode("utf-8")  # type: ignore[arg-type]
    golden = GOLDEN / _golden_name(session, fmt, redact)
    if UPDATE:
        golden.write_text(text, encoding="utf-8", newline="")
    assert golden.exists(), f"{golden} missing: run with UPDATE_GOLDEN=1"
    expected = golden.read_text(encoding="utf-8")
    assert text == expected, f"{golden.name} differs: run with UPDATE_GOLDEN=1 and read the diff"


def test_golden_shows_what_municipal_minutes_need() -> None:
    # A reading of the golden itself, so a regenerated golden cannot quietly lose a field.
    text = (GOLDEN / "shimizu.md").read_text(encoding="utf-8")
    for field in (
        "内部資料",
        "議事録（案）",
        "開催日時 | 令和8年11月27日（金） 14:00〜14:53",
        "| 場所 | 清瀬市役所 本庁舎 第2会議室 |",
        "| 傍聴者 | 2名 |",
        "| 事務局 | 高齢支援課 地域包括ケア推進係 |",
        "| 会議の公開 | 公開 |",
        "## 欠席者",
        "- 商工会 理事 伊藤 誠",
        "| 民生委員・児童委員協議会 |  | 木村 洋平（当日参加） |",
        "- 司会: 鈴木 美和",
        "| 2 | 困りごとを共有する | 20分 | 14分 | 14:05〜14:18 |",
        "- ★ 買い物に行けない（6票）〔グループ〕",
        "**② 自身の団体に関わらず、困りごとを解決するいい知恵はありますか。**",
        "  - 運営: NPO法人 たすけあいの会と地元スーパー",
        "- **中村 里美**（NPO法人 たすけあいの会）",
        "| 移動販売の曜日と場所を回覧板に載せる | 山田 花子 | 12月15日 | 未 |",
        "| 田中 和子 | シルバー人材センター |",
    ):
        assert field in text, field
