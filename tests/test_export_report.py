"""Table reports in merged minutes: each table's report cards under that table."""

from __future__ import annotations

import io

import docx
import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import render_minutes
from chie_kokan.models import Scenario, Session
from export_helpers import docx_text
from test_engine_report import AT_TABLES, WITH_REPORT

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


# -- one room, members at tables: the report's cards under each table ----------


def room_at_tables(clock: ManualClock, language: str = "ja", table: str = "") -> Session:
    """One session file for the whole room: 山田 presents for A, 佐藤 for B, and one
    unsigned word; 高橋 (the facilitator) has no table."""
    scenario = Scenario.model_validate({**AT_TABLES, "language": language})
    session = new_session(scenario, session_id="room", table=table, clock=clock)
    engine = SessionEngine(session, clock)
    engine.begin()
    engine.next_step()
    engine.record_card("バスが減った")
    engine.next_step()
    engine.record_card("Aは移動販売の日を回覧で知らせる")
    engine.advance_speaker()
    engine.record_card("Bは付き添いボランティアを募る")
    engine.record_card("会場から一言", speaker=None)
    engine.finish()
    return engine.session


SUBHEADINGS = {
    "ja": ("#### テーブルA", "#### テーブルB", "#### テーブルの指定なし"),
    "en": ("#### Table A", "#### Table B", "#### No table given"),
}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_markdown_puts_each_tables_report_under_its_own_subheading(
    clock: ManualClock, language: str
) -> None:
    lines = render_minutes([room_at_tables(clock, language)], "md").decode().splitlines()
    report = next(line for line in lines if line.endswith(HEADINGS[language]))
    under_report = section(lines, report, ("## ", "### "))
    a, b, none = SUBHEADINGS[language]
    assert [line for line in under_report if line.startswith("#")] == [a, b, none]
    said = {heading: "".join(section(under_report, heading, ("#",))) for heading in (a, b, none)}
    assert "Aは移動販売の日を回覧で知らせる" in said[a] and "山田 花子" in said[a]
    assert "Bは付き添いボランティアを募る" in said[b] and "Aは" not in said[b]
    assert "会場から一言" in said[none] and "Bは" not in said[none]


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_html_and_word_put_each_tables_report_under_its_own_subheading(
    clock: ManualClock, fmt: str
) -> None:
    data = render_minutes([room_at_tables(clock)], fmt)
    if fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        found = [(p.style.name, p.text) for p in document.paragraphs]
        report = found.index(("Heading 2", HEADINGS["ja"]))
        a = found.index(("Heading 3", "テーブルA"), report)
        b = found.index(("Heading 3", "テーブルB"), a)
        none = found.index(("Heading 3", "テーブルの指定なし"), b)
        assert (
            a
            < [text for _, text in found].index("Aは移動販売の日を回覧で知らせる（山田 花子）")
            < b
        )
        assert (
            b
            < [text for _, text in found].index("Bは付き添いボランティアを募る（佐藤 一郎）")
            < none
        )
    else:
        text = data.decode()
        a = text.index("<h4>テーブルA</h4>", text.index(f"<h3>{HEADINGS['ja']}</h3>"))
        b = text.index("<h4>テーブルB</h4>", a)
        assert a < text.index("Aは移動販売の日を回覧で知らせる") < b
        assert (
            b
            < text.index("Bは付き添いボランティアを募る")
            < text.index("<h4>テーブルの指定なし</h4>")
        )


def test_public_minutes_keep_the_table_names(clock: ManualClock) -> None:
    text = render_minutes([room_at_tables(clock)], "md", redact=True).decode()
    assert "#### テーブルA" in text and "#### テーブルB" in text
    assert "山田" not in text  # the people are by organisation, as ever
    assert "- Aは移動販売の日を回覧で知らせる（自治会）" in text


def test_merged_tables_group_report_cards_by_card_or_else_by_session_table(
    clock: ManualClock,
) -> None:
    # The room's file (its own table 本部) heard A and B; the east table's own
    # file recorded its report without member tables: its cards are 東テーブル's.
    room = room_at_tables(clock, table="本部")
    east = table(clock, "ja", "東テーブル", "移動販売の日を回覧で知らせている")
    lines = render_minutes([room, east], "md").decode().splitlines()
    subheadings = [line for line in lines if line.startswith("##### ")]
    # Merged: tables are "##", steps "####", a report's tables "#####". The east
    # table's report is all its own: no subheading repeats its section's name.
    assert subheadings == ["##### テーブルA", "##### テーブルB", "##### 本部"]
    east_part = section(
        lines, next(x for x in lines if x.startswith("## ") and "東テーブル" in x), ("## ",)
    )
    report = next(line for line in east_part if line.endswith(HEADINGS["ja"]))
    assert any("移動販売の日を回覧で知らせている" in x for x in section(east_part, report, ("#",)))
