"""Every shipped scenario runs a whole meeting and gives minutes in every format.

The second example, 田中さんのゴミ出し, was written in the scenario editor with the
roster taken from a spreadsheet (issue 13); it must stay a scenario a council can
run as shipped: every step, a break, and public minutes without a personal name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from markupsafe import escape

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import render_minutes
from chie_kokan.export.formatting import format_minutes
from chie_kokan.i18n import t
from chie_kokan.models import StepKind, spec
from chie_kokan.storage import load_scenario
from export_helpers import contains_name, docx_text, personal_names

SCENARIOS = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.toml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_a_whole_meeting_and_its_minutes(path: Path, clock: ManualClock) -> None:
    scenario = load_scenario(path)
    engine = SessionEngine(new_session(scenario, session_id=path.stem, clock=clock), clock)
    engine.begin()
    said: list[str] = []
    for index, step in enumerate(scenario.flow):
        if index:
            engine.next_step()
        assert engine.step_index == index
        if spec(step.kind).takes_cards:
            words = f"{step.title}で出た声 {index}"
            engine.record_card(words)
            said.append(words)
        clock.advance(60)
    engine.finish()
    session = engine.session
    assert [card.text for card in session.cards] == said
    markdown = render_minutes([session], "md").decode("utf-8")
    for words in said:
        assert words in markdown
    for step in scenario.flow:
        if spec(step.kind).minutes_shows == "line":  # a break: one line with its time box
            minutes = format_minutes(step.minutes, scenario.language)
            key = f"step.{step.kind.value}.minutes_line"
            line = t(key, scenario.language, title=step.title, minutes=minutes)
            assert line in markdown
    assert str(escape(scenario.title)) in render_minutes([session], "html").decode("utf-8")
    assert said[0] in docx_text(render_minutes([session], "docx"))
    public = render_minutes([session], "md", redact=True).decode("utf-8")
    leaked = [name for name in personal_names(session) if contains_name(public, name)]
    assert leaked == []


def test_the_gomidashi_example_is_the_editors_kind_of_file() -> None:
    """Written in the editor: a break after the pick step, the roster from the office."""
    scenario = load_scenario(SCENARIOS[0].parent / "gomidashi.toml")
    kinds = [step.kind for step in scenario.flow]
    assert kinds[kinds.index(StepKind.PICK) + 1] is StepKind.BREAK
    assert len(scenario.participants) == 8
    assert scenario.case is not None and scenario.case.name == "田中さん"
    exchange = next(step for step in scenario.flow if step.kind is StepKind.EXCHANGE)
    assert all("○○" not in question for question in exchange.questions)
