"""The command palette and the footer speak the UI's language, on every screen.

Each test opens the palette the way a person does (Ctrl+P), reads the
commands it lists, and checks: only ours (none of Textual's English system
commands), each once, named from the catalog of the UI's language. Footers
name keys as the UI writes them (↓, Esc, ^Q), never Textual's raw ``down``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.i18n import Language, catalog, t
from chie_kokan.models import Scenario
from chie_kokan.storage import create_session_file
from chie_kokan.tui.app import ChieKokanApp, make_app
from chie_kokan.tui.keys import Key, key_name
from chie_kokan.tui.screens.dialogs import ChooseDialog, ConfirmDialog
from chie_kokan.tui.screens.help import HelpScreen
from chie_kokan.tui.screens.launcher import LauncherScreen
from chie_kokan.tui.screens.running import RunningScreen
from chie_kokan.tui.screens.setup import SetupScreen

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SIZE = (120, 36)
TEXTUAL_COMMANDS = {"Keys", "Maximize", "Screenshot", "Theme", "Minimize"}
RAW_KEY = re.compile(r"^(ctrl|shift|alt)\+|^(up|down|left|right|escape|enter|delete|space)$")
PICK, SUMMARY = 2, 6


async def palette_titles(pilot: Pilot[int]) -> list[str]:
    """Open the palette with Ctrl+P, read every listed command's name, close it."""
    app = pilot.app
    below = app.screen
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    commands = palette.query_one(CommandList)
    for _ in range(100):
        await pilot.pause(0.02)
        if commands.option_count:
            break
    titles = [
        str(commands.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(commands.option_count)
    ]
    assert palette.query_one(CommandInput).placeholder == t("polish.palette_search")
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is below
    return titles


def footer_keys(app: ChieKokanApp) -> list[str]:
    return [str(key.key_display) for key in app.screen.query("FooterKey")]


def footer_pairs(app: ChieKokanApp) -> list[tuple[str, str]]:
    return [(str(key.key_display), str(key.description)) for key in app.screen.query("FooterKey")]


def names_in(language: Language) -> set[str]:
    """Every string of the catalog: a palette entry's name must be one of them."""
    return {value for value in catalog(language).values() if isinstance(value, str)}


def check(titles: list[str], language: Language) -> None:
    assert titles, "the palette lists nothing"
    assert len(titles) == len(set(titles)), f"listed twice: {titles}"
    names = [title.split(" (")[0] for title in titles]
    assert len(names) == len(set(names)), f"one action listed twice: {titles}"
    assert not TEXTUAL_COMMANDS & set(names), titles
    strings = names_in(language)
    for name in names:
        assert name in strings, f"{name!r} is not from the {language} catalog"
    if language == "ja":
        assert all(re.search(r"[^\x00-\x7f]", name) for name in names), titles
    assert t("tui.theme_toggle", language) in names


def check_footer(app: ChieKokanApp, language: Language) -> None:
    shown = footer_keys(app)
    assert shown, "no footer keys"
    for key in shown:
        assert not RAW_KEY.search(key), f"raw key name in the footer: {key!r}"
        assert key not in {"Down", "Up"}, key


@pytest.fixture
def scenarios_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, folder)
    return folder


def session_at(scenario: Scenario, clock: ManualClock, folder: Path, upto: int) -> Path:
    engine = SessionEngine(new_session(scenario, session_id="palette", clock=clock), clock)
    engine.begin()
    for _ in range(upto):
        engine.next_step()
    return create_session_file(engine.session, folder)


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_launcher_and_setup(
    language: Language, clock: ManualClock, tmp_path: Path, scenarios_dir: Path
) -> None:
    app = make_app(
        sessions_dir=tmp_path / "sessions",
        scenarios_dir=scenarios_dir,
        clock=clock,
        language=language,
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert isinstance(app.screen, LauncherScreen)
        titles = await palette_titles(pilot)
        check(titles, language)
        assert t("keys.launcher.open", language) in titles
        check_footer(app, language)

        await pilot.press("enter")  # the first scenario's setup
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, SetupScreen):
                break
        assert isinstance(app.screen, SetupScreen)
        titles = await palette_titles(pilot)
        check(titles, language)
        # Opened from the launcher, Esc goes back: listed, and in the footer.
        assert t("keys.setup.back", language) in titles
        assert key_name("escape", language) in footer_keys(app)
        check_footer(app, language)

        # The role line takes ↑/↓: the footer says so with arrows, not "Down".
        app.screen.query_one("RoleInput").focus()
        await pilot.pause()
        assert {"↑", "↓"} <= set(footer_keys(app))
        check_footer(app, language)
        check(await palette_titles(pilot), language)


async def test_setup_from_run_cannot_go_back(clock: ManualClock, tmp_path: Path) -> None:
    # `chie-kokan run`: nothing under the setup screen, so no "back" anywhere,
    # even while the palette (a screen of its own) is open above it.
    app = make_app(
        scenario_path=SCENARIOS / "shimizu.toml", sessions_dir=tmp_path / "s", clock=clock
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SetupScreen)
        titles = await palette_titles(pilot)
        check(titles, "ja")
        assert t("keys.setup.back") not in titles
        assert key_name("escape") not in footer_keys(app)


@pytest.mark.parametrize("language", ["ja", "en"])
@pytest.mark.parametrize("upto", [0, PICK, SUMMARY], ids=["opening", "pick", "summary"])
async def test_running_screen_and_its_dialogs(
    language: Language, upto: int, shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    path = session_at(shimizu, clock, tmp_path / "sessions", upto)
    app = make_app(session_path=path, sessions_dir=path.parent, clock=clock, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunningScreen)
        titles = await palette_titles(pilot)
        check(titles, language)
        check_footer(app, language)
        # Keys that do the same (E on the board, Ctrl+O) make one entry naming both.
        edit = [title for title in titles if title.startswith(t("keys.edit", language) + " (")]
        if upto != SUMMARY:
            assert edit == [f"{t('keys.edit', language)} (Ctrl+O / E)"]

        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        titles = await palette_titles(pilot)
        check(titles, language)
        assert t("polish.close", language) in titles
        assert footer_pairs(app) == [("Esc", t("keys.polish.close", language))]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen

        # The help's own button closes it too (for the mouse).
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        help_screen.query_one("Button").press()
        await pilot.pause()
        assert app.screen is screen


async def test_dialog_palette_runs_the_buttons(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    path = session_at(shimizu, clock, tmp_path / "sessions", 1)
    app = make_app(session_path=path, sessions_dir=path.parent, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RunningScreen)
        await pilot.press("f4")  # choose who speaks next
        await pilot.pause()
        assert isinstance(app.screen, ChooseDialog)
        titles = await palette_titles(pilot)
        check(titles, "ja")
        assert titles.count(t("tui.cancel")) == 1 and titles.count(t("tui.ok")) == 1
        assert footer_pairs(app) == [("Esc", t("keys.polish.cancel"))]
        # Cancel, chosen by name in the palette, closes the dialog.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*t("tui.cancel"))
        for _ in range(50):
            await pilot.pause(0.02)
            if app.screen.query_one(CommandList).option_count:
                break
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.screen is screen


async def test_confirm_dialog_ok_from_the_palette(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    results: list[bool | None] = []
    path = session_at(shimizu, clock, tmp_path / "sessions", 1)
    app = make_app(session_path=path, sessions_dir=path.parent, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(ConfirmDialog("?", t("tui.ok")), results.append)
        await pilot.pause()
        assert footer_pairs(app) == [
            ("Esc", t("keys.polish.cancel")),
            ("Y", t("keys.polish.yes")),
        ]
        commands = {command.title: command for command in app.get_system_commands(app.screen)}
        commands[t("tui.ok")].callback()
        await pilot.pause()
        assert results == [True]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_key_names(language: Language) -> None:
    assert key_name("down", language) == "↓"
    assert key_name("up", language) == "↑"
    assert key_name("escape", language) == "Esc"
    assert key_name("enter", language) == "Enter"
    assert key_name("ctrl+q", language) == "Ctrl+Q"
    assert key_name("shift+tab", language) == "Shift+Tab"
    assert key_name("f10", language) == "F10"
    assert key_name("equals_sign", language) == "="
    assert key_name("space", language) == t("polish.key.space", language)
    assert Key("ctrl+q", "quit", "save_quit").short_display(language) == "^Q"
    assert Key("down", "next_name", "setup.role_next").binding(language).key_display == "↓"


async def typed_in_palette(pilot: Pilot[int], words: str) -> list[str]:
    """Open the palette, type ``words``, wait for the list, return its lines."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await pilot.pause()
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    await pilot.press(*words)
    commands = palette.query_one(CommandList)
    for _ in range(100):
        await pilot.pause(0.02)
        if commands.option_count:
            break
    await pilot.pause(0.7)  # past Textual's own half-second wait for "No matches found"
    return [str(commands.get_option_at_index(i).prompt) for i in range(commands.option_count)]


@pytest.mark.parametrize("language", ["ja", "en"])
async def test_nothing_matches_is_said_in_the_uis_language_and_offers_help(
    language: Language, shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    path = session_at(shimizu, clock, tmp_path / "sessions", 1)
    app = make_app(session_path=path, sessions_dir=path.parent, clock=clock, language=language)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = await typed_in_palette(pilot, "qqqq")
        assert len(lines) == 1, lines
        assert t("palette.no_match", language, query="qqqq") in lines[0]
        assert "No matches found" not in lines[0]
        await pilot.press("enter")  # choosing it opens the list of keys
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_nothing_matches_on_the_launcher_says_what_to_do(
    scenarios_dir: Path, tmp_path: Path
) -> None:
    app = make_app(scenarios_dir=scenarios_dir, sessions_dir=tmp_path / "sessions")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        lines = await typed_in_palette(pilot, "qqqq")
        assert len(lines) == 1 and t("palette.no_match_other") in lines[0], lines
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen)
