"""Table reports in merged minutes: each table's report cards under that table."""

from __future__ import annotations

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import render_minutes
from chie_kokan.models import Scenario, Session
from export_helpers import docx_text
from test_engine_report import WITH_REPORT

HEADINGS = {"ja": "3. グループ発表", "en": "3. Table reports"}


def table(clock: ManualClock, language: str, name: str, said: str) -> Session:
    scenario = Scenario.model_validate({**WITH_REPORT, "language": language})
    session = new_session(scenario, session_id=f"table-{name}", clock=clock)
    session.table = name
    engine = SessionEngine(session, clock)
    engine.begin()
    engine.next_step()
    engine.record_card(f"{name}: バスが減った")
    clock.advance(60)
    engine.next_step()
    engine.record_card(said)
    engine.finish()
    return engine.session


def section(lines: list[str], start: str, stops: tuple[str, ...]) -> list[str]:
    """The lines after ``start`` up to the next line starting with one of ``stops``."""
    rest = lines[lines.index(start) + 1 :]
    end = next((i for i, line in enumerate(rest) if line.startswith(stops)), len(rest))
    return rest[:end]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_merged_minutes_put_each_tables_report_under_that_table(
    clock: ManualClock, language: str
) -> None:
    east = table(clock, language, "東テーブル", "移動販売の日を回覧で知らせている")
    west = table(clock, language, "西テーブル", "付き添いボランティアを募集中")
    lines = render_minutes([east, west], "md").decode().splitlines()
    for name, said, other in [
        ("東テーブル", "移動販売の日を回覧で知らせている", "付き添いボランティアを募集中"),
        ("西テーブル", "付き添いボランティアを募集中", "移動販売の日を回覧で知らせている"),
    ]:
        heading = next(line for line in lines if line.startswith("## ") and name in line)
        under_table = section(lines, heading, ("## ",))
        report = next(line for line in under_table if line.endswith(HEADINGS[language]))
        under_report = section(under_table, report, ("#",))
        assert any(said in line for line in under_report), under_report
        assert not any(other in line for line in under_table)


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_html_and_word_put_each_tables_report_under_that_table(
    clock: ManualClock, fmt: str
) -> None:
    east = table(clock, "ja", "東テーブル", "移動販売の日を回覧で知らせている")
    west = table(clock, "ja", "西テーブル", "付き添いボランティアを募集中")
    data = render_minutes([east, west], fmt)
    text = docx_text(data) if fmt == "docx" else data.decode()
    # Each table's part runs from its heading's last mention to the next table's.
    east_at = text.rindex("東テーブル", 0, text.index("東テーブル: バスが減った"))
    west_at = text.rindex("西テーブル", 0, text.index("西テーブル: バスが減った"))
    assert east_at < west_at
    assert east_at < text.index(HEADINGS["ja"], east_at) < text.index("移動販売の日") < west_at
    assert west_at < text.index(HEADINGS["ja"], west_at) < text.index("付き添いボランティア")
