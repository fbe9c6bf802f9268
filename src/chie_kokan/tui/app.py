"""The application: which screen comes first, and the session's life on disk.

``make_app`` builds the app the same way for the command line and the tests
(posting's ``make_posting``). A file is read, parsed and (a session) locked
*before* the app starts, so a file that is not TOML, or is locked, gets the
same clear message as ``validate`` and never a screen. With ``paint_first``
(the command line at a terminal) the models are imported and the file
validated behind a light first frame; a file that fails then closes the app
with that one message (:attr:`ChieKokanApp.opening_error`). Nothing on the
start path imports pydantic (tests/test_start_path.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, Hit, Hits, Provider
from textual.driver import Driver
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider

from chie_kokan.clock import Clock, system_clock
from chie_kokan.files import document_language, read_document, recording_path, require_kind
from chie_kokan.i18n import LANGUAGES, Language, get_language, set_language, t
from chie_kokan.lock import SessionLock, SessionLocked, lock_session
from chie_kokan.problems import FileError, visible
from chie_kokan.tui.keys import Key, key_name, localized
from chie_kokan.tui.themes import THEMES

if TYPE_CHECKING:
    from chie_kokan.models import Scenario, Session
    from chie_kokan.scenario_draft import OpenedScenario
    from chie_kokan.tui.screens.editor import EditorScreen
    from chie_kokan.tui.screens.launcher import LauncherScreen
    from chie_kokan.tui.screens.running import Rescue, RunningScreen
    from chie_kokan.tui.screens.setup import SetupScreen


_SCREEN_MODULE = {True: "chie_kokan.tui.screens.running", False: "chie_kokan.tui.screens.setup"}
"""The screen a session (True) or a scenario (False) opens on."""


class NoMatchProvider(Provider):
    """When nothing matches, say so in the UI's language (Textual's own line is
    English) and offer the list of keys, where that screen has one (F1)."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        commands = list(self.app.get_system_commands(self.screen))
        if any(matcher.match(name) > 0 for name, *_ in commands):
            return
        # The screen's F1 entry (KeyPalette runs it as ``run_action("help")``).
        helps = [call for _, _, call, *_ in commands if getattr(call, "args", ())[:1] == ("help",)]
        callback = helps[0] if helps else (lambda: None)
        hint = t("palette.no_match_help" if helps else "palette.no_match_other")
        yield Hit(1.0, t("palette.no_match", query=query), callback, help=hint)


@dataclass(frozen=True)
class Start:
    """What the app opens on: the launcher, a scenario's setup, or a session."""

    scenario: Scenario | None = None
    scenario_path: Path | None = None
    session: Session | None = None
    session_path: Path | None = None
    lock: SessionLock | None = None
    edit: OpenedScenario | None = None
    """A scenario to open in the editor (``chie-kokan edit``)."""
    opening: Opening | None = None
    """A file read but not yet validated: validated behind the first frame."""


@dataclass(frozen=True)
class Opening:
    """A scenario or session file read and parsed (and a session locked), not yet validated."""

    path: Path
    text: str
    data: dict[str, Any]
    session: bool
    """A session to resume; else a scenario to set up."""
    lock: SessionLock | None = None

    def checked(self) -> Scenario | Session:
        """The file validated (the models imported now); a FileError when it is refused."""
        from chie_kokan.storage import scenario_from_document, session_from_document

        load = session_from_document if self.session else scenario_from_document
        return load(self.path, self.text, self.data)


class ChieKokanApp(App[int]):
    """chie-kokan: run a council workshop on the projector."""

    CSS_PATH = "app.tcss"
    TITLE = "chie-kokan"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = {SystemCommandsProvider, NoMatchProvider}
    KEYS: tuple[Key, ...] = (
        Key("ctrl+q", "quit", "save_quit", priority=True),
        Key("ctrl+p", "command_palette", "palette", show=False, priority=True),
    )

    def __init__(
        self,
        start: Start,
        *,
        sessions_dir: Path,
        scenarios_dir: Path,
        clock: Clock = system_clock,
        exports_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.start = start
        self.sessions_dir = sessions_dir
        self.scenarios_dir = scenarios_dir
        self.exports_dir = exports_dir or Path("exports")
        self.clock = clock
        self.editing: EditorScreen | None = None
        """The scenario editor, if open: Ctrl+Q asks it first about unsaved changes."""
        self.running: RunningScreen | None = None
        """The meeting being recorded, if any: what :meth:`rescue` saves after a crash."""
        self.language: Language = get_language()
        self.opening_error: FileError | None = None
        """Why the file the app opened on could not be used (``paint_first``): the
        app has closed, and the command prints this, exit status 2."""
        self._opening_lock = start.opening.lock if start.opening is not None else None
        """Taken before the app started and not yet handed to the running screen."""
        self._leaving = False
        """Set by :meth:`exit`: the app is closing."""
        # Before the first styling pass: a theme set on mount restyles every
        # widget a second time (a visible part of start-up).
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = THEMES[0].name

    def on_mount(self) -> None:
        start = self.start
        if start.opening is not None:
            from chie_kokan.tui.screens.opening import OpeningScreen

            self.push_screen(OpeningScreen(start.opening.path))
            # Validation (and the import of the models) starts once the first frame is out.
            self.call_after_refresh(self._validate_opening, start.opening)
        elif start.session is not None and start.session_path is not None:
            self.show_session(start.session, start.session_path, resumed=True, lock=start.lock)
        elif start.scenario is not None and start.scenario_path is not None:
            self.show_setup(start.scenario, start.scenario_path)
        elif start.edit is not None:
            self.show_editor(start.edit)
        else:
            from chie_kokan.tui.screens.launcher import LauncherScreen

            self.push_screen(localized(LauncherScreen)(self.scenarios_dir, self.sessions_dir))

    @work(thread=True, exclusive=True, group="open")
    def _validate_opening(self, opening: Opening) -> None:
        try:
            loaded = opening.checked()
            # The next screen's module is imported here too, not on the screen's thread.
            importlib.import_module(_SCREEN_MODULE[opening.session])
        except FileError as error:
            self.call_from_thread(self._not_opened, error)
            return
        self.call_from_thread(self._opened, opening, loaded)

    def _opened(self, opening: Opening, loaded: Scenario | Session) -> None:
        from chie_kokan.models import Session

        if self._leaving:
            return  # closed on the opening frame: no meeting opens now (rescue() lets the lock go)
        if isinstance(loaded, Session):
            self._opening_lock = None  # the running screen has it now
            self.show_session(loaded, opening.path, resumed=True, lock=opening.lock)
        else:
            self.show_setup(loaded, opening.path, replace=True)

    def _not_opened(self, error: FileError) -> None:
        self.release_opening_lock()
        if not self._leaving:  # else closed already, as asked: no error to report
            self.opening_error = error
            self.exit(2)

    def exit(
        self, result: int | None = None, return_code: int = 0, message: RenderableType | None = None
    ) -> None:
        # A worker may still hand a file over while the app closes (asyncio runs
        # what threads send until the loop is shut): then nothing more opens.
        self._leaving = True
        super().exit(result, return_code, message)

    def release_opening_lock(self) -> None:
        """Let go of the lock taken for a file that never reached the running screen."""
        if self._opening_lock is not None:
            self._opening_lock.release()
            self._opening_lock = None

    # -- moving between screens --------------------------------------------

    def open_scenario(self, path: Path) -> None:
        """From the launcher: set up a new session of this scenario."""
        self._open(path, scenario=True)

    def resume_session(self, path: Path) -> None:
        """From the launcher: continue this session."""
        self._open(path, scenario=False)

    # The screens' messages, by handler name: the screens stay imported lazily.
    def on_launcher_screen_open_scenario(self, message: LauncherScreen.OpenScenario) -> None:
        self.open_scenario(message.path)

    def on_launcher_screen_resume_session(self, message: LauncherScreen.ResumeSession) -> None:
        self.resume_session(message.path)

    # -- the scenario editor (issue 13) ---------------------------------------

    def on_launcher_screen_new_scenario(self, message: LauncherScreen.NewScenario) -> None:
        from chie_kokan.scenario_draft import new_scenario

        self.show_editor(new_scenario(message.path, self.language))

    def on_launcher_screen_edit_scenario(self, message: LauncherScreen.EditScenario) -> None:
        self._open_for_editing(message.path)

    @work(thread=True, exclusive=True, group="open")
    def _open_for_editing(self, path: Path) -> None:
        from chie_kokan.scenario_draft import open_scenario

        try:
            opened = open_scenario(path)
        except FileError as error:
            self.call_from_thread(self.notify, str(error), severity="error", timeout=15)
            return
        self.call_from_thread(self.show_editor, opened)

    def show_editor(self, opened: OpenedScenario) -> None:
        from chie_kokan.tui.screens.editor import EditorScreen

        screen = localized(EditorScreen)(opened)
        self.editing = screen
        first = not self.screen_stack[1:]

        def closed(_: Path | None) -> None:
            self.editing = None
            if first:  # `chie-kokan edit`: nothing underneath to go back to
                self.exit(0)

        self.push_screen(screen, closed)

    @work(thread=True, exclusive=True, group="open")
    def _open(self, path: Path, *, scenario: bool, take_over: bool = False) -> None:
        # Reading and validating a file (a long session takes a while) stays
        # off the screen's thread; a broken file becomes a notice, no screen.
        from chie_kokan.storage import load_scenario, load_session

        if not scenario:
            path = recording_path(path)
        try:
            loaded = load_scenario(path) if scenario else load_session(path)
        except FileError as error:
            self.call_from_thread(self.notify, str(error), severity="error", timeout=15)
            return
        if scenario:
            self.call_from_thread(self.show_setup, loaded, path)
            return
        try:
            lock = lock_session(path, take_over=take_over, clock=self.clock)
        except SessionLocked as locked:
            self.call_from_thread(self._offer_take_over, locked)
            return
        self.call_from_thread(self.show_session, loaded, path, resumed=True, lock=lock)

    def _offer_take_over(self, locked: SessionLocked) -> None:
        """Someone has the session open: say who; take it over only if asked."""
        from chie_kokan.tui.screens.dialogs import ConfirmDialog

        message = f"{t('lock.taken_title')}\n\n{locked.who()}\n\n{t('lock.take_over_dialog')}"

        def decided(yes: bool | None) -> None:
            if yes:
                self._open(locked.session_path, scenario=False, take_over=True)

        dialog = ConfirmDialog(message, t("lock.take_over_button"), default_no=True)
        self.push_screen(dialog, decided)

    def show_setup(self, scenario: Scenario, path: Path, *, replace: bool = False) -> None:
        """The setup screen, on top (from the launcher) or ``replace``-ing the opening frame."""
        from chie_kokan.tui.screens.setup import SetupScreen

        screen = localized(SetupScreen)(scenario, path.stem, clock=self.clock)
        self._add_css_of(screen)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def on_setup_screen_start(self, message: SetupScreen.Start) -> None:
        """From the setup screen: create the file, then the meeting begins."""
        self._create_file(message.session, message.setup)

    @work(thread=True, exclusive=True, group="create")
    def _create_file(self, session: Session, setup: SetupScreen) -> None:
        from chie_kokan.storage import create_session_file

        try:
            path = create_session_file(session, self.sessions_dir)
            # A brand-new name: nobody else can hold it unless they race us.
            lock = lock_session(path, clock=self.clock)
        except (OSError, SessionLocked) as error:
            detail = getattr(error, "strerror", None) or str(error)
            message = t("cli.write_failed", file=visible(self.sessions_dir), detail=detail)
            self.call_from_thread(self.notify, message, severity="error", timeout=20)
            setup.post_message(setup.NotStarted())
            return
        self.call_from_thread(self.show_session, session, path, resumed=False, lock=lock)

    def show_session(
        self, session: Session, path: Path, *, resumed: bool, lock: SessionLock | None = None
    ) -> None:
        from chie_kokan.engine import SessionEngine
        from chie_kokan.tui.screens.running import RunningScreen

        engine = SessionEngine(session, clock=self.clock)
        if not engine.started:
            engine.begin()  # a session set up but never begun: nothing to resume
            resumed = False
        elif resumed:
            engine.resume()
        screen = localized(RunningScreen)(
            engine, path, resumed=resumed, lock=lock, exports_dir=self.exports_dir
        )
        self.running = screen
        self._add_css_of(screen)
        # The setup screen (or launcher) is done with; the meeting is the app now.
        if isinstance(self.screen, Screen) and self.screen is not self.screen_stack[0]:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _add_css_of(self, screen: Screen[Any]) -> None:
        """Add the screen's own ``.tcss`` to the stylesheet before it is shown.

        On a push Textual would add it by parsing every source again from an
        empty cache (``Stylesheet.reparse``): a tenth of the running screen's
        start-up. Added here, only the new file is parsed, and Textual finds it
        there. Its rules are the screen's own, so nothing shown now restyles.
        """
        for path in screen.css_path:
            if not self.stylesheet.has_source(str(path), ""):
                self.stylesheet.read(path)

    async def action_quit(self) -> None:
        """Ctrl+Q: on a running session, save first (the screen knows how) — also
        when a dialog or the help is open on top of it: the clocks stop and the
        last change is flushed before the app goes."""
        running = self.running
        editing = self.editing
        if running is not None and running.is_attached:
            running.action_save_quit()
        elif editing is not None and editing.is_attached:
            editing.action_leave(quit_app=True)
        else:
            self.exit(0)

    def rescue(self) -> Rescue | None:
        """After the app has stopped (normally or by a crash): the session on disk, lock let go.

        None when no meeting was open. Safe to call more than once.
        """
        self.release_opening_lock()  # closed before the session was checked
        return self.running.rescue() if self.running is not None else None

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        if driver.__name__ == "LinuxDriver":
            # One byte that is not UTF-8 must not end the meeting (textual#6456).
            from chie_kokan.tui.driver import TolerantLinuxDriver

            return TolerantLinuxDriver
        return driver

    def action_toggle_projector_theme(self) -> None:
        """Light for a bright room, dark for a dimmed one."""
        dark, light = (theme.name for theme in THEMES)
        self.theme = light if self.theme == dark else dark

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Only our own commands, in the UI's language: Textual's (Keys,
        # Maximize, Screenshot, Theme, Quit) are English and some are not ours
        # to offer (its Quit would skip saving).
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        yield SystemCommand(
            t("tui.theme_toggle"), t("tui.theme_toggle_help"), self.action_toggle_projector_theme
        )

    def action_command_palette(self) -> None:
        """Ctrl+P: the palette, its search line in the UI's language."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(placeholder=t("polish.palette_search"), id="--command-palette")
            )

    def get_key_display(self, binding: Binding) -> str:
        """Keys the footer shows, written as the UI writes them (↓, Esc, ^Q), never ``down``."""
        if binding.key_display:
            return binding.key_display
        return key_name(binding.key.split(",")[0]).replace("Ctrl+", "^")


def make_app(
    *,
    scenario_path: Path | None = None,
    session_path: Path | None = None,
    sessions_dir: Path = Path("sessions"),
    scenarios_dir: Path = Path("scenarios"),
    language: Language | None = None,
    clock: Clock = system_clock,
    take_over: bool = False,
    exports_dir: Path | None = None,
    edit_path: Path | None = None,
    paint_first: bool = False,
) -> ChieKokanApp:
    """Build the app. Raises :class:`FileError` for a file that cannot be used.

    A session is locked for recording here, before anything is drawn:
    :class:`SessionLocked` (a FileError) when another screen has it, unless
    ``take_over`` (which the user has confirmed). The UI language is
    ``language`` if given, else the scenario's own. ``edit_path`` opens a
    scenario in the editor (a FileError when it cannot be opened there).

    With ``paint_first`` a scenario or session is only read and parsed here
    (and a session locked): it is validated behind the app's first frame, and
    a file that fails closes the app with :attr:`ChieKokanApp.opening_error`.
    """
    start = Start()
    scenario_language: str | None = "ja"
    if session_path is not None or scenario_path is not None:
        is_session = session_path is not None
        path = recording_path(session_path) if session_path is not None else scenario_path
        assert path is not None
        text, data = read_document(path)
        require_kind(path, data, session=is_session)
        scenario_language = document_language(data)
        if language is None and scenario_language in LANGUAGES:
            set_language(scenario_language)  # type: ignore[arg-type]  # the lock's message reads in it
        lock = lock_session(path, take_over=take_over, clock=clock) if is_session else None
        opening = Opening(path, text, data, session=is_session, lock=lock)
        start = Start(opening=opening) if paint_first else _validated(opening)
    elif edit_path is not None:
        from chie_kokan.scenario_draft import open_scenario

        opened = open_scenario(edit_path)
        start = Start(edit=opened)
        scenario_language = opened.draft.language
    set_language(language or _known(scenario_language))
    return localized(ChieKokanApp)(
        start,
        sessions_dir=sessions_dir,
        scenarios_dir=scenarios_dir,
        clock=clock,
        exports_dir=exports_dir,
    )


def _known(language: str | None) -> Language:
    """The file's language where the UI has it; else Japanese (validation names the mistake)."""
    return language if language in LANGUAGES else "ja"  # type: ignore[return-value]


def _validated(opening: Opening) -> Start:
    """The file checked now, before the app starts; the lock let go if it fails."""
    from chie_kokan.models import Session

    try:
        loaded = opening.checked()
    except FileError:
        if opening.lock is not None:
            opening.lock.release()
        raise
    if isinstance(loaded, Session):
        return Start(session=loaded, session_path=opening.path, lock=opening.lock)
    return Start(scenario=loaded, scenario_path=opening.path)
