"""Paint first, validate behind the first frame (issue 12), and lose nothing doing it.

At a terminal the command line opens a scenario or a session with
``make_app(..., paint_first=True)``: the file is read, parsed and (a session)
locked before the app starts, the first frame says which file opens, and
the models are imported and the file validated in a worker. These tests
drive that path through Pilot; ``test_tui_tmux_safety`` runs it in a real
terminal, where the command line takes it.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

import chie_kokan.storage as storage
from chie_kokan.clock import ManualClock
from chie_kokan.engine import new_session
from chie_kokan.i18n import t
from chie_kokan.lock import SessionLocked, lock_path
from chie_kokan.models import Scenario
from chie_kokan.problems import FileError
from chie_kokan.storage import create_session_file
from chie_kokan.tui.app import ChieKokanApp, make_app
from chie_kokan.tui.screens.opening import OpeningScreen
from chie_kokan.tui.screens.running import RunningScreen
from chie_kokan.tui.screens.setup import SetupScreen
from screen_helpers import screen_lines
from test_tui_running import SIZE, save_and_quit, wait_until

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def session_file(shimizu: Scenario, clock: ManualClock, tmp_path: Path) -> Path:
    session = new_session(shimizu, session_id="shimizu", clock=clock)
    return create_session_file(session, tmp_path / "sessions")


def broken_copy(session_file: Path) -> Path:
    """The session with a step of 0 minutes: good TOML, refused only by the models."""
    text = session_file.read_text(encoding="utf-8")
    assert "\nminutes = 10\n" in text
    session_file.write_text(text.replace("\nminutes = 10\n", "\nminutes = 0\n", 1), "utf-8")
    return session_file


def opening_app(clock: ManualClock, tmp_path: Path, **target: Path) -> ChieKokanApp:
    return make_app(clock=clock, sessions_dir=tmp_path / "sessions", paint_first=True, **target)


def hold_validation(monkeypatch: pytest.MonkeyPatch, loader: str) -> threading.Event:
    """Validation (``storage.<loader>``) waits in its worker until the event is set."""
    go_on = threading.Event()
    validate = getattr(storage, loader)

    def held(*args: object) -> object:
        assert go_on.wait(10), "the test never let validation go on"
        return validate(*args)

    monkeypatch.setattr(storage, loader, held)
    return go_on


def test_the_start_path_imports_no_pydantic(session_file: Path) -> None:
    """Everything up to the first frame: the command, the app, the opening screen, the lock."""
    program = f"""
import sys
from pathlib import Path
from chie_kokan.cli import build_parser
from chie_kokan.tui.app import make_app
from chie_kokan.tui.screens.opening import OpeningScreen
app = make_app(session_path=Path({str(session_file)!r}), paint_first=True)
app.release_opening_lock()
loaded = sorted(name for name in sys.modules if name.split(".")[0] == "pydantic")
print(loaded or "none")
"""
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "none", result.stdout
    assert not lock_path(session_file).exists()


async def test_a_session_opens_on_its_file_name_then_the_meeting(
    session_file: Path, clock: ManualClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = hold_validation(monkeypatch, "session_from_document")
    app = opening_app(clock, tmp_path, session_path=session_file)
    assert lock_path(session_file).exists()  # locked before anything is drawn
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        assert any(
            t("opening.reading", file=session_file.name) in line for line in screen_lines(app)
        )
        checked.set()
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, RunningScreen) and app.screen.focused is not None,
            "the meeting, ready to record",
        )
        assert len(app.screen_stack) == 2  # the opening frame is gone, not underneath
        assert app.screen.focused is not None and app.screen.focused.id == "entry"
        assert lock_path(session_file).exists()
        await save_and_quit(pilot)
    assert app.opening_error is None
    assert not lock_path(session_file).exists()


async def test_a_session_the_models_refuse_closes_the_app_with_one_message_and_no_lock(
    session_file: Path, clock: ManualClock, tmp_path: Path
) -> None:
    path = broken_copy(session_file)
    before = path.read_bytes()
    app = opening_app(clock, tmp_path, session_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.opening_error is not None, "the refusal")
        await pilot.pause()
    assert app.return_value == 2
    assert app.running is None
    error = str(app.opening_error)
    assert str(path) in error and "minutes" in error and "0" in error
    assert not lock_path(path).exists()
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


async def test_closing_before_the_file_is_checked_lets_the_lock_go(
    session_file: Path, clock: ManualClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+Q on the opening frame: no meeting was open, nothing is saved, the lock goes."""
    checked = hold_validation(monkeypatch, "session_from_document")
    before = session_file.read_bytes()
    app = opening_app(clock, tmp_path, session_path=session_file)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        checked.set()  # the check ends after the app has begun to close
    assert app.rescue() is None
    assert app.return_code == 0 and app.opening_error is None
    assert not lock_path(session_file).exists()
    assert session_file.read_bytes() == before


async def test_a_scenario_opens_on_the_setup_screen(clock: ManualClock, tmp_path: Path) -> None:
    app = opening_app(clock, tmp_path, scenario_path=ROOT / "scenarios" / "shimizu.toml")
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, SetupScreen), "the setup screen")
        assert len(app.screen_stack) == 2
    assert app.opening_error is None


def test_a_file_that_is_not_toml_or_is_locked_is_refused_before_the_app_starts(
    session_file: Path, clock: ManualClock, tmp_path: Path
) -> None:
    """Only what needs the models waits for the first frame: the rest is said at once."""
    holder = make_app(session_path=session_file, clock=clock, paint_first=True)
    try:
        with pytest.raises(SessionLocked):
            opening_app(clock, tmp_path, session_path=session_file)
    finally:
        holder.release_opening_lock()
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "清水さん\n', encoding="utf-8")
    with pytest.raises(FileError) as refused:
        opening_app(clock, tmp_path, scenario_path=broken)
    assert str(broken) in str(refused.value)
    assert not lock_path(session_file).exists()


@pytest.mark.parametrize(("name", "lang"), [("shimizu", "ja"), ("riverside", "en")])
def test_the_opening_frame(
    name: str,
    lang: str,
    snap_compare: Callable[..., bool],
    clock: ManualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the projector shows while the file is checked: which file, calm, centred."""
    checked = hold_validation(monkeypatch, "scenario_from_document")
    app = opening_app(clock, tmp_path, scenario_path=ROOT / "scenarios" / f"{name}.toml")
    assert app.language == lang  # the file's own language, before it is validated
    try:
        assert snap_compare(app, terminal_size=(80, 24))
    finally:
        checked.set()


@pytest.mark.parametrize("paint_first", [True, False])
async def test_ctrl_q_the_moment_the_meeting_shows_saves_and_quits(
    paint_first: bool, session_file: Path, clock: ManualClock, tmp_path: Path
) -> None:
    """Found by the tmux suite: Ctrl+Q right after the first frame closed the screen
    while its buttons were still being mounted, and finding them then crashed the app
    (exit status 3) instead of quitting."""
    for _ in range(3):  # the moment varies: a few tries
        app = make_app(
            session_path=session_file,
            sessions_dir=tmp_path / "sessions",
            clock=clock,
            paint_first=paint_first,
        )
        async with app.run_test(size=SIZE) as pilot:
            while not isinstance(app.screen, RunningScreen):
                await asyncio.sleep(0.001)
            await save_and_quit(pilot)
        assert app.return_code == 0
        assert not lock_path(session_file).exists()
