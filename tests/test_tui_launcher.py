"""The launcher, driven through the real app: lists, opens, copes with bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.app import App
from textual.message import Message

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.i18n import t
from chie_kokan.models import Scenario, Session, Status
from chie_kokan.storage import create_session_file, save_session
from chie_kokan.tui.app import ChieKokanApp, make_app
from chie_kokan.tui.screens.launcher import EntryList, LauncherScreen, scan_sessions
from chie_kokan.tui.screens.running import RunningScreen
from chie_kokan.tui.screens.setup import SetupScreen
from chie_kokan.tui.widgets.wrapped_text import WrappedText

# The repository's shipped scenarios.
SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SIZES = [(120, 36), (100, 30)]


@pytest.fixture
def scenarios_dir(tmp_path: Path) -> Path:
    """Two shipped scenarios (one Japanese, one English), copied into the test's own folder.

    Named, not the whole folder: a scenario shipped later must not change what
    these tests see (each test says which row it opens).
    """
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name in ("shimizu.toml", "riverside.toml"):
        shutil.copy(SCENARIOS / name, folder / name)
    return folder


@pytest.fixture
def sessions_dir(tmp_path: Path) -> Path:
    return tmp_path / "sessions"


def saved_session(
    scenario: Scenario, sessions_dir: Path, clock: ManualClock, *, steps: int = 0
) -> tuple[Session, Path]:
    """A session as the app leaves it: begun, moved on ``steps`` steps, saved."""
    engine = SessionEngine(new_session(scenario, session_id="shimizu", clock=clock), clock=clock)
    engine.begin()
    for _ in range(steps):
        clock.advance(60)
        engine.next_step()
    path = create_session_file(engine.session, sessions_dir)
    return engine.session, path


def launcher_app(clock: ManualClock, sessions_dir: Path, scenarios_dir: Path) -> ChieKokanApp:
    return make_app(sessions_dir=sessions_dir, scenarios_dir=scenarios_dir, clock=clock)


def prompts(app: ChieKokanApp, list_id: str) -> list[str]:
    entry_list = app.screen.query_one(list_id, EntryList)
    return [
        # Wrapped for the list's width: join the lines back for the assertions.
        str(entry_list.get_option_at_index(i).prompt).replace("\n", "")
        for i in range(entry_list.option_count)
    ]


async def settle(app: ChieKokanApp, pilot: object) -> None:
    await app.workers.wait_for_complete()
    await pilot.pause()  # type: ignore[attr-defined]


@pytest.mark.parametrize("size", SIZES)
async def test_lists_scenarios_and_sessions(
    size: tuple[int, int],
    clock: ManualClock,
    shimizu: Scenario,
    scenarios_dir: Path,
    sessions_dir: Path,
) -> None:
    saved_session(shimizu, sessions_dir, clock, steps=2)
    app = launcher_app(clock, sessions_dir, scenarios_dir)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, LauncherScreen)
        scenarios = prompts(app, "#launcher-scenarios")
        assert len(scenarios) == 2
        assert any("Knowledge exchange — Mr Baker's troubles" in p for p in scenarios)
        assert any(
            "知恵交換会 — 清水さんの困りごと" in p and "買い物と移動" in p for p in scenarios
        )
        (session,) = prompts(app, "#launcher-sessions")
        assert "2026-11-27 14:00" in session
        assert "案" in session
        # The last step reached: the third, by its title.
        assert "3/6 解決が必要な困りごとを見つける" in session
        assert "2026-11-27-shimizu.toml" in session


def test_session_status_approved_and_ended(
    clock: ManualClock, shimizu: Scenario, scenarios_dir: Path, sessions_dir: Path
) -> None:
    session, path = saved_session(shimizu, sessions_dir, clock, steps=5)
    engine = SessionEngine(session, clock=clock)
    engine.finish()
    engine.session.status = Status.APPROVED
    save_session(engine.session, path)
    (entry,) = scan_sessions(sessions_dir)
    assert entry.status == t("status.approved") == "承認済み"
    assert entry.progress == "終了"
    assert entry.problem is None


def test_sessions_latest_first(
    clock: ManualClock, shimizu: Scenario, riverside: Scenario, sessions_dir: Path
) -> None:
    saved_session(shimizu, sessions_dir, clock)
    clock.advance(3600)
    saved_session(riverside, sessions_dir, clock)
    titles = [entry.title for entry in scan_sessions(sessions_dir)]
    assert titles == [riverside.title, shimizu.title]


async def test_enter_opens_the_highlighted_scenario(
    clock: ManualClock, scenarios_dir: Path, sessions_dir: Path
) -> None:
    app = launcher_app(clock, sessions_dir, scenarios_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        # Sorted by file name: riverside, then shimizu.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        assert app.screen.scenario_stem == "shimizu"
        # Escape goes back to the launcher, nothing written.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen)
        assert not sessions_dir.exists()


async def test_click_resumes_a_session(
    clock: ManualClock, shimizu: Scenario, scenarios_dir: Path, sessions_dir: Path
) -> None:
    _, path = saved_session(shimizu, sessions_dir, clock, steps=1)
    app = launcher_app(clock, sessions_dir, scenarios_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert await pilot.click("#launcher-sessions", offset=(4, 1))
        await settle(app, pilot)
        assert isinstance(app.screen, RunningScreen)
        assert app.screen.path == path
        assert app.screen.engine.step_index == 1


async def test_tab_moves_to_the_sessions_and_enter_resumes(
    clock: ManualClock, shimizu: Scenario, scenarios_dir: Path, sessions_dir: Path
) -> None:
    _, path = saved_session(shimizu, sessions_dir, clock)
    app = launcher_app(clock, sessions_dir, scenarios_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#launcher-sessions")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RunningScreen)
        assert app.screen.path == path


async def test_broken_files_are_listed_with_their_problem(
    clock: ManualClock, scenarios_dir: Path, sessions_dir: Path
) -> None:
    (scenarios_dir / "broken.toml").write_text('schema = 1\ntitle = "壊れた\n', "utf-8")
    sessions_dir.mkdir()
    (sessions_dir / "2026-11-27-typo.toml").write_text(
        (scenarios_dir / "shimizu.toml").read_text("utf-8"), "utf-8"
    )
    app = launcher_app(clock, sessions_dir, scenarios_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        scenarios = prompts(app, "#launcher-scenarios")
        assert len(scenarios) == 3
        (broken,) = [p for p in scenarios if "broken.toml" in p]
        assert "開けません" in broken
        assert "2行目" in broken
        (session,) = prompts(app, "#launcher-sessions")
        assert "2026-11-27-typo.toml" in session
        assert "開けません" in session
        # Choosing it says what is wrong (the app's message) and stays here.
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen)
        assert any("typo.toml" in n.message for n in app._notifications)


async def test_empty_folders_explain_how_to_begin(clock: ManualClock, tmp_path: Path) -> None:
    (tmp_path / "scenarios").mkdir()
    app = make_app(clock=clock)  # ./scenarios and ./sessions, relative as on the command line
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        help_text = app.screen.query_one("#launcher-no-scenarios", WrappedText)
        assert help_text.display
        assert "chie-kokan new scenarios/xxx.toml" in help_text.content.plain
        no_sessions = app.screen.query_one("#launcher-no-sessions", WrappedText)
        assert no_sessions.display
        assert "まだセッションはありません" in no_sessions.content.plain
        assert not app.screen.query_one("#launcher-scenarios").display
        # Enter has nothing to open: not offered, and harmless.
        assert "enter" not in app.screen.active_bindings
        await pilot.press("enter")
        assert isinstance(app.screen, LauncherScreen)


async def test_reload_finds_a_new_scenario(
    clock: ManualClock, tmp_path: Path, scenarios_dir: Path, sessions_dir: Path
) -> None:
    (scenarios_dir / "shimizu.toml").unlink()
    app = launcher_app(clock, sessions_dir, scenarios_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        assert len(prompts(app, "#launcher-scenarios")) == 1
        shutil.copy(SCENARIOS / "shimizu.toml", scenarios_dir / "shimizu.toml")
        await pilot.press("f5")
        await settle(app, pilot)
        assert len(prompts(app, "#launcher-scenarios")) == 2


async def test_english_and_palette(
    clock: ManualClock, scenarios_dir: Path, sessions_dir: Path
) -> None:
    app = make_app(
        sessions_dir=sessions_dir, scenarios_dir=scenarios_dir, clock=clock, language="en"
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LauncherScreen)
        assert any("Theme: Staying connected" in p for p in prompts(app, "#launcher-scenarios"))
        titles = [command.title for command in screen.palette_commands()]
        # One list only: no "Other list".
        assert titles == ["Open", "Reload", "New scenario", "Edit", "Quit"]
        # Through the command palette, by name: Open starts the highlighted scenario.
        await pilot.press("ctrl+p", *"Open", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, SetupScreen)


async def test_file_names_with_terminal_sequences_are_listed_visibly(
    clock: ManualClock, scenarios_dir: Path, sessions_dir: Path
) -> None:
    # A file name is not text from a file, but the launcher shows it all the same.
    hostile = "\x1b]0;pwned\x07\x1b[2J"
    shutil.copyfile(scenarios_dir / "shimizu.toml", scenarios_dir / f"{hostile}.toml")
    (scenarios_dir / f"{hostile}broken.toml").write_text("schema = 1\n", "utf-8")
    sessions_dir.mkdir()
    (sessions_dir / f"{hostile}.toml").write_text("[scenario]\n", "utf-8")
    app = launcher_app(clock, sessions_dir, scenarios_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        shown = prompts(app, "#launcher-scenarios") + prompts(app, "#launcher-sessions")
        assert len(shown) == 5
        assert not [p for p in shown if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in p)]
        assert sum("\\x1b]0;pwned\\x07\\x1b[2J" in p for p in shown) == 3


class Recorder(App[None]):
    """A bare Textual app around the launcher: it only hears the screen's messages."""

    def __init__(self, scenarios_dir: Path, sessions_dir: Path) -> None:
        super().__init__()
        self.dirs = (scenarios_dir, sessions_dir)
        self.heard: list[Message] = []

    def on_mount(self) -> None:
        self.push_screen(LauncherScreen(*self.dirs))

    def on_launcher_screen_open_scenario(self, message: LauncherScreen.OpenScenario) -> None:
        self.heard.append(message)

    def on_launcher_screen_resume_session(self, message: LauncherScreen.ResumeSession) -> None:
        self.heard.append(message)


async def test_the_launcher_asks_the_app_by_message_and_opens_nothing_itself(
    clock: ManualClock, shimizu: Scenario, scenarios_dir: Path, sessions_dir: Path
) -> None:
    # Any app that answers the messages can host the launcher: it calls no app method.
    _, path = saved_session(shimizu, sessions_dir, clock)
    app = Recorder(scenarios_dir, sessions_dir)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)  # type: ignore[arg-type]
        await pilot.press("down", "enter", "tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen)
    [scenario, session] = app.heard
    assert isinstance(scenario, LauncherScreen.OpenScenario)
    assert scenario.path == scenarios_dir / "shimizu.toml"
    assert isinstance(session, LauncherScreen.ResumeSession)
    assert session.path == path
