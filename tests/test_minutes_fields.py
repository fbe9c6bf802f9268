"""The minutes fields (issue 9) in every format: table, author, next meeting, open or closed."""

from __future__ import annotations

import io
from datetime import date, time

import docx
import pytest

from chie_kokan.export import render_minutes
from chie_kokan.models import NextMeeting, Session
from export_helpers import docx_text, fixture

NEXT = NextMeeting(date=date(2027, 1, 15), time=time(14), place="清瀬市役所 第1会議室")


def shimizu(**fields: object) -> Session:
    return fixture("shimizu").model_copy(update=fields)


def texts(sessions: list[Session], *, redact: bool = False) -> dict[str, str]:
    """The minutes as each format reads: md, html, docx."""
    out = {
        fmt: render_minutes(sessions, fmt, redact=redact).decode("utf-8")  # type: ignore[arg-type]
        for fmt in ("md", "html")
    }
    out["docx"] = docx_text(render_minutes(sessions, "docx", redact=redact))
    return out


def test_every_format_shows_table_author_and_next_meeting() -> None:
    session = shimizu(table="Aテーブル", author="木下 恵子", next_meeting=NEXT)
    for fmt, text in texts([session]).items():
        assert "Aテーブル" in text, fmt
        assert "作成者" in text and "木下 恵子" in text, fmt
        assert "次回開催予定" in text, fmt
        assert "令和9年1月15日（金） 14:00〜 清瀬市役所 第1会議室" in text, fmt


def test_english_minutes_show_them_too() -> None:
    session = fixture("riverside").model_copy(
        update={"author": "Mary Lee", "next_meeting": NextMeeting(date=date(2027, 3, 2))}
    )
    for fmt, text in texts([session]).items():
        assert "Table B" in text and "Minutes by" in text and "Mary Lee" in text, fmt
        assert "Next meeting" in text and "Tuesday 2 March 2027" in text, fmt


def test_a_closed_meeting_says_so_and_the_internal_minutes_warn_before_publishing() -> None:
    session = shimizu(public=False)
    for fmt, text in texts([session]).items():
        assert "非公開" in text and "公開版を公表してよいかは事務局で確認" in text, fmt
    for fmt, text in texts([session], redact=True).items():
        assert "非公開" in text and "事務局で確認" not in text, fmt


def test_public_minutes_name_the_author_as_roles_are_named() -> None:
    # A member by organisation; anyone else is withheld, as a role holder is.
    member = texts([shimizu(author="山田 花子")], redact=True)
    outsider = texts([shimizu(author="事務局 木村 一")], redact=True)
    for fmt in ("md", "html", "docx"):
        assert "山田" not in member[fmt] and "第三団地自治会" in member[fmt], fmt
        assert "木村" not in outsider[fmt] and "○○" in outsider[fmt], fmt


def test_word_author_is_the_minutes_author_in_the_internal_version_only() -> None:
    session = shimizu(author="木下 恵子")
    internal = docx.Document(io.BytesIO(render_minutes([session], "docx")))
    assert internal.core_properties.author == "木下 恵子"
    public = docx.Document(io.BytesIO(render_minutes([session], "docx", redact=True)))
    assert public.core_properties.author == ""


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_merged_minutes_join_authors_and_take_the_first_next_meeting(fmt: str) -> None:
    first = shimizu(table="Aテーブル", author="木下 恵子", secretariat="高齢支援課")
    second = shimizu(
        id="second",
        table="Bテーブル",
        author="中村 里美",
        secretariat="社会福祉協議会",
        next_meeting=NEXT,
    )
    text = texts([first, second])[fmt]
    assert "木下 恵子、中村 里美" in text
    assert "高齢支援課、社会福祉協議会" in text
    assert "Aテーブル" in text and "Bテーブル" in text
    assert "令和9年1月15日（金） 14:00〜" in text
