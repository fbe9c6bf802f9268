"""The approval line in the minutes: who approved them and when, in every format."""

from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone

from chie_kokan.export import render_minutes
from chie_kokan.models import Approval, Session, Status
from export_helpers import docx_text, fixture

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=timezone(timedelta(hours=9)))


def approved(name: str, by: str, at: datetime = NOON) -> Session:
    session = fixture(name)
    return session.model_copy(
        update={"status": Status.APPROVED, "approval": Approval(by=by, at=at)}
    )


def texts(sessions: list[Session], *, redact: bool = False) -> dict[str, str]:
    """Each format as a reader sees it."""
    out = {}
    for fmt in ("md", "html", "docx"):
        data = render_minutes(sessions, fmt, redact=redact)  # type: ignore[arg-type]
        out[fmt] = docx_text(data) if fmt == "docx" else html.unescape(data.decode("utf-8"))
    return out


def test_english_minutes_name_an_approver_from_outside_the_roster_only_internally() -> None:
    session = approved("riverside", "Pat Quinn")
    for fmt, text in texts([session]).items():
        assert "Approved by Pat Quinn on Tuesday 1 December 2026" in text, fmt
        assert "(draft)" not in text, fmt
    for fmt, text in texts([session], redact=True).items():
        assert "Approved on Tuesday 1 December 2026" in text, fmt
        assert "Pat Quinn" not in text, fmt


def test_a_member_approving_is_shown_by_organisation_in_public() -> None:
    session = approved("shimizu", "山田 花子")
    for fmt, text in texts([session]).items():
        assert "令和8年12月1日（火） 山田 花子 確定" in text, fmt
        assert "（案）" not in text, fmt
    for fmt, text in texts([session], redact=True).items():
        assert "令和8年12月1日（火） 第三団地自治会 確定" in text, fmt
        assert "山田" not in text, fmt


def test_an_older_file_approved_without_an_approver_shows_no_line() -> None:
    session = fixture("riverside")
    assert session.status is Status.APPROVED and session.approval is None
    for fmt, text in texts([session]).items():
        assert "Approved by" not in text and "Approved on" not in text, fmt
        assert "(draft)" not in text, fmt


def test_merged_minutes_are_approved_when_every_table_is() -> None:
    tables = [fixture("shimizu"), fixture("shimizu").model_copy(update={"table": "テーブル2"})]
    tables[0] = approved("shimizu", "山田 花子")
    md = render_minutes(tables, "md").decode("utf-8")
    assert "議事録（案）" in md and "確定" not in md
    later = approved("shimizu", "鈴木 美和", NOON + timedelta(days=7))
    tables[1] = later.model_copy(update={"table": "テーブル2"})
    md = render_minutes(tables, "md").decode("utf-8")
    assert "議事録（案）" not in md
    assert "令和8年12月8日（火） 山田 花子、鈴木 美和 確定" in md
