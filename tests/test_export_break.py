"""A break in the minutes: one line with its time box, in every format."""

from __future__ import annotations

import html
import re

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import render_minutes
from chie_kokan.models import Scenario, Session
from export_helpers import docx_text
from test_engine_break import WITH_BREAK


def with_a_break(clock: ManualClock, language: str) -> Session:
    scenario = Scenario.model_validate({**WITH_BREAK, "language": language})
    engine = SessionEngine(new_session(scenario, session_id="break", clock=clock), clock)
    engine.begin()
    engine.next_step()
    engine.record_card("バスが減った")
    clock.advance(60)
    engine.next_step()  # the break: twelve minutes, two more than planned
    clock.advance(720)
    engine.next_step()
    engine.record_card("買い物の足がない")
    engine.finish()
    return engine.session


LINES = {"ja": "3. 休憩（10分）", "en": "3. Break (10 min)"}
NOTHING = {"ja": "（記録なし）", "en": "(nothing recorded)"}


@pytest.mark.parametrize("language", ["ja", "en"])
def test_markdown_notes_the_break_in_one_line(clock: ManualClock, language: str) -> None:
    md = render_minutes([with_a_break(clock, language)], "md").decode()
    lines = md.splitlines()
    heading = [line for line in lines if line.endswith(LINES[language])]
    assert heading == [f"### {LINES[language]}"]
    after = lines[lines.index(heading[0]) + 1 :]
    following = next(line for line in after if line.strip())
    assert following.startswith("### 4. ")  # nothing under it, not even "nothing recorded"
    # The agenda keeps its planned and actual time.
    assert re.search(r"\| 3 \| (休憩|Break) \| 10 ?(分|min) \| 12 ?(分|min) \|", md)


@pytest.mark.parametrize("language", ["ja", "en"])
def test_html_notes_the_break_in_one_line(clock: ManualClock, language: str) -> None:
    page = render_minutes([with_a_break(clock, language)], "html").decode()
    match = re.search(r"<h(\d)>" + re.escape(html.escape(LINES[language])) + r"</h\1>\n(.*)", page)
    assert match is not None
    assert match.group(2).startswith("<h")  # the next step's heading follows at once


@pytest.mark.parametrize("language", ["ja", "en"])
def test_word_notes_the_break_in_one_line(clock: ManualClock, language: str) -> None:
    text = docx_text(render_minutes([with_a_break(clock, language)], "docx"))
    lines = text.splitlines()
    assert LINES[language] in lines
    following = lines[lines.index(LINES[language]) + 1]
    assert following.startswith("4. ")
    assert NOTHING[language] not in following
