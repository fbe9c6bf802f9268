"""F10's "export now": it replaces its own earlier minutes of the session, nothing else."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from docx import Document

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import export_now
from chie_kokan.models import Scenario, Session

FORMATS = ("md", "html", "docx")


def meeting(scenario: Scenario, clock: ManualClock, card: str) -> Session:
    engine = SessionEngine(
        new_session(scenario, session_id="2026-11-27-shimizu", clock=clock), clock
    )
    engine.begin()
    engine.record_card(card, speaker=None)
    return engine.session


def names(paths: list[Path]) -> list[str]:
    return [path.name for path in paths]


def test_a_second_export_replaces_the_first(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    session = meeting(shimizu, clock, "最初のカード")
    first = export_now(session, tmp_path)
    assert names(first) == [f"2026-11-27-shimizu.{fmt}" for fmt in FORMATS]
    session.cards[0].text = "直したカード"
    again = export_now(session, tmp_path)
    assert again == first
    assert "直したカード" in (tmp_path / "2026-11-27-shimizu.md").read_text("utf-8")
    assert "直したカード" in (tmp_path / "2026-11-27-shimizu.html").read_text("utf-8")
    doc = Document(str(tmp_path / "2026-11-27-shimizu.docx"))
    assert any("直したカード" in p.text for p in doc.paragraphs)


def test_another_tables_minutes_with_the_same_name_are_never_replaced(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    """Two tables of one meeting: same scenario, same day, so the same id."""
    table_a = meeting(shimizu, clock, "Aテーブルのカード")
    clock.advance(60)
    table_b = meeting(shimizu, clock, "Bテーブルのカード")
    export_now(table_a, tmp_path)
    before = {fmt: (tmp_path / f"2026-11-27-shimizu.{fmt}").read_bytes() for fmt in FORMATS}
    written = export_now(table_b, tmp_path)
    assert names(written) == [f"2026-11-27-shimizu-2.{fmt}" for fmt in FORMATS]
    for fmt in FORMATS:
        assert (tmp_path / f"2026-11-27-shimizu.{fmt}").read_bytes() == before[fmt]
    assert "Bテーブルのカード" in written[0].read_text("utf-8")
    # And each keeps replacing its own.
    assert export_now(table_b, tmp_path) == written
    assert names(export_now(table_a, tmp_path))[0] == "2026-11-27-shimizu.md"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_that_is_not_our_export_is_left_alone(
    fmt: str, shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    """Someone's own notes under the name, or the minutes an office finished by hand."""
    theirs = tmp_path / f"2026-11-27-shimizu.{fmt}"
    theirs.write_bytes(b"office's own file")
    written = export_now(meeting(shimizu, clock, "カード"), tmp_path)
    assert theirs.read_bytes() == b"office's own file"
    assert names(written) == [f"2026-11-27-shimizu-2.{f}" for f in FORMATS]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
def test_a_link_under_the_name_is_never_followed_or_replaced(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious", encoding="utf-8")
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "2026-11-27-shimizu.md").symlink_to(target)
    written = export_now(meeting(shimizu, clock, "カード"), tmp_path / "exports")
    assert target.read_text(encoding="utf-8") == "precious"
    assert (tmp_path / "exports" / "2026-11-27-shimizu.md").is_symlink()
    assert names(written)[0] == "2026-11-27-shimizu-2.md"


def test_the_mark_survives_a_session_edited_later(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    """Resumed tomorrow: still the same session, so still its own export."""
    session = meeting(shimizu, clock, "カード")
    export_now(session, tmp_path)
    session.updated_at += timedelta(days=1)
    assert names(export_now(session, tmp_path))[0] == "2026-11-27-shimizu.md"
