"""Notices (toasts) keep every character and leave the ground rules in view.

A toast floating over the screen shares its rows with the widgets beneath it;
Textual cuts each row at those widgets' edges and drops a double-width
character that straddles one (textual#6357: ``止めてあ  ます``). We read
what the terminal would show, through ``export_screenshot``, at the sizes the
operator uses.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.geometry import Region

from chie_kokan.clock import ManualClock
from chie_kokan.engine import new_session
from chie_kokan.i18n import t
from chie_kokan.models import Scenario
from chie_kokan.storage import create_session_file
from chie_kokan.tui.app import make_app
from chie_kokan.tui.screens.running import RunningScreen
from screen_helpers import screen_lines

SIZES = [(120, 36), (80, 24)]


def shown_whole(app: App[object], message: str) -> bool:
    """Is ``message`` on screen, every character, on one row or wrapped over several?"""
    lines = [line.strip(" ▌▎▊│\n") for line in screen_lines(app)]
    return any(message in "".join(lines[y : y + 3]) for y in range(len(lines)))


@pytest.fixture
def session_file(shimizu: Scenario, clock: ManualClock, tmp_path: Path) -> Path:
    session = new_session(shimizu, session_id="shimizu", clock=clock)
    return create_session_file(session, tmp_path / "sessions")


def toast_regions(app: App[object]) -> list[Region]:
    return [toast.region for toast in app.screen.query("Toast")]


@pytest.mark.parametrize("size", SIZES)
async def test_japanese_notices_keep_every_character(
    session_file: Path, clock: ManualClock, size: tuple[int, int]
) -> None:
    app = make_app(session_path=session_file, sessions_dir=session_file.parent, clock=clock)
    messages = [t("tui.exporting"), t("tui.resumed_paused"), t("tui.choose_card_first")]
    async with app.run_test(size=size, notifications=True) as pilot:
        assert isinstance(app.screen, RunningScreen)
        await pilot.pause()
        for message in messages:
            app.screen.notify(message, timeout=30)
        await pilot.pause(0.3)
        assert len(toast_regions(app)) == len(messages)
        for message in messages:
            assert shown_whole(app, message), (message, screen_lines(app))


@pytest.mark.parametrize("size", SIZES)
async def test_notices_never_cover_the_ground_rules(
    session_file: Path, clock: ManualClock, shimizu: Scenario, size: tuple[int, int]
) -> None:
    app = make_app(session_path=session_file, sessions_dir=session_file.parent, clock=clock)
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        app.screen.notify(t("tui.resumed_paused"), severity="warning", timeout=30)
        app.screen.notify(t("tui.exporting"), severity="error", timeout=30)
        await pilot.pause(0.3)
        rules = app.screen.query_one("#rules").region
        assert rules.height > 0
        for toast in toast_regions(app):
            assert toast.height > 0
            assert not toast.overlaps(rules), (toast, rules)
        # And the rules read in full, as without a notice.
        for rule in shimizu.ground_rules:
            assert shown_whole(app, rule), (rule, screen_lines(app))


async def test_many_notices_show_the_newest(session_file: Path, clock: ManualClock) -> None:
    app = make_app(session_path=session_file, sessions_dir=session_file.parent, clock=clock)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        for number in range(1, 9):
            app.screen.notify(t("tui.new_round", number=number), timeout=30)
        await pilot.pause(0.3)
        assert shown_whole(app, t("tui.new_round", number=8))
        rules = app.screen.query_one("#rules").region
        assert all(not region.overlaps(rules) for region in toast_regions(app))
