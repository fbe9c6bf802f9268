"""The launcher: pick a scenario to start, or a session to resume.

Shown by ``chie-kokan`` with no arguments. The folders are read in a thread
worker, so a slow disk or a large ``sessions/`` never freezes the screen; a
file that cannot be read is listed with what is wrong, never a crash.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from chie_kokan.i18n import t
from chie_kokan.lock import holder_of
from chie_kokan.problems import FileError, visible
from chie_kokan.storage import load_scenario, read_sessions, toml_files
from chie_kokan.tui.keys import Key, KeyPalette
from chie_kokan.tui.line_breaking import wrapped
from chie_kokan.tui.screens.dialogs import Field, FormDialog
from chie_kokan.tui.widgets.key_footer import KeyFooter
from chie_kokan.tui.widgets.wrapped_text import WrappedText


@dataclass(frozen=True)
class ScenarioEntry:
    """One scenario file as the launcher lists it."""

    path: Path
    title: str
    theme: str = ""
    problem: str | None = None
    """Why the file cannot be used; None when it loaded."""


@dataclass(frozen=True)
class SessionEntry:
    """One session file as the launcher lists it."""

    path: Path
    title: str
    when: str = ""
    """Date and time the session was held."""
    status: str = ""
    """案 / 承認済み."""
    progress: str = ""
    """The step reached, or 終了."""
    table: str = ""
    problem: str | None = None
    order: float = 0.0
    """Most recently worked on first."""
    in_use: str = ""
    """Who has it open for recording now (empty: nobody)."""


def _files(folder: Path) -> list[Path]:
    try:
        return toml_files(folder)
    except FileError:
        return []  # no folder yet (or an unreadable one): nothing to list


def _problem_note(error: FileError) -> str:
    """The first problem, short: the file name is already on the line."""
    first = error.problems[0]
    note = first.message
    if first.field:
        note = f"{first.field}: {note}"
    if first.line is not None:
        note = t("launcher.problem_at_line", line=first.line, problem=note)
    more = len(error.problems) - 1
    if more:
        note = t("launcher.problem_more", problem=note, count=more)
    return note


def scan_scenarios(folder: Path) -> list[ScenarioEntry]:
    """Every ``*.toml`` in ``folder`` as a scenario, sorted by file name."""
    entries: list[ScenarioEntry] = []
    for path in _files(folder):
        try:
            scenario = load_scenario(path)
        except FileError as error:
            entries.append(ScenarioEntry(path, visible(path.name), problem=_problem_note(error)))
            continue
        entries.append(ScenarioEntry(path, scenario.title, scenario.theme))
    return entries


def scan_sessions(folder: Path) -> list[SessionEntry]:
    """Every ``*.toml`` in ``folder`` as a session, the latest worked on first."""
    entries: list[SessionEntry] = []
    try:
        files = read_sessions(folder)
    except FileError:
        files = []  # no folder yet (or an unreadable one): nothing to list
    for file in files:
        path, session = file.path, file.session
        if session is None:
            assert file.error is not None
            order = path.stat().st_mtime
            entries.append(
                SessionEntry(
                    path, visible(path.name), problem=_problem_note(file.error), order=order
                )
            )
            continue
        live = session.live
        steps = session.scenario.flow
        if live.ended:
            progress = t("launcher.progress_ended")
        elif not live.started:
            progress = t("launcher.progress_not_started")
        else:
            progress = t(
                "launcher.progress_step",
                number=live.step + 1,
                total=len(steps),
                title=steps[live.step].title,
            )
        holder = holder_of(path)
        entries.append(
            SessionEntry(
                path,
                session.scenario.title,
                when=session.created_at.strftime("%Y-%m-%d %H:%M"),
                status=t(f"status.{session.status.value}"),
                progress=progress,
                table=session.table,
                order=session.updated_at.timestamp(),
                in_use=t("launcher.in_use", host=holder.shown_host, since=holder.since_text)
                if holder
                else "",
            )
        )
    entries.sort(key=lambda entry: entry.order, reverse=True)
    return entries


def _scenario_prompt(entry: ScenarioEntry) -> Content:
    if entry.problem is not None:
        return Content.assemble(
            (entry.title, "bold"),
            "\n",
            (t("launcher.problem", problem=entry.problem), "$error"),
        )
    return Content.assemble(
        (entry.title, "bold"),
        "\n",
        (t("launcher.theme", theme=entry.theme), "$text-secondary"),
        "\n",
        (visible(entry.path.name), "$text-muted"),
    )


def _session_prompt(entry: SessionEntry) -> Content:
    if entry.problem is not None:
        return Content.assemble(
            (entry.title, "bold"),
            "\n",
            (t("launcher.problem", problem=entry.problem), "$error"),
        )
    title = entry.title
    if entry.table:
        title = t("launcher.with_table", title=title, table=entry.table)
    return Content.assemble(
        (title, "bold"),
        "\n",
        (
            t(
                "launcher.session_line",
                when=entry.when,
                status=entry.status,
                progress=entry.progress,
            ),
            "$text-secondary",
        ),
        "\n",
        (visible(entry.path.name), "$text-muted"),
        *(("\n", (entry.in_use, "$warning")) if entry.in_use else ()),
    )


class EntryList(OptionList):
    """A list of files whose entries are wrapped the Japanese way for its width."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id, classes="launcher-list")
        self._entries: list[tuple[str, Content]] = []
        self._wrapped_for = 0

    def show_entries(self, entries: list[tuple[str, Content]]) -> None:
        """Replace the list with these (option id, prompt) pairs."""
        self._entries = entries
        self._rebuild()

    def _prompt_width(self) -> int:
        padding = self.get_component_styles("option-list--option").padding.width
        return self.scrollable_content_region.width - padding

    def _rebuild(self) -> None:
        width = self._prompt_width()
        self._wrapped_for = width
        highlighted = self.highlighted
        self.clear_options()
        # A rule between entries: calmer to read from the back of the room.
        options: list[Option | None] = []
        for option_id, prompt in self._entries:
            if options:
                options.append(None)
            options.append(Option(wrapped(prompt, width) if width > 0 else prompt, id=option_id))
        self.add_options(options)
        if self._entries:
            self.highlighted = min(highlighted or 0, self.option_count - 1)

    def on_resize(self) -> None:
        if self._entries and self._prompt_width() != self._wrapped_for:
            self._rebuild()


class LauncherScreen(KeyPalette, Screen[None]):
    """Scenarios to start on the left, sessions to resume on the right."""

    CSS_PATH = "launcher.tcss"
    AUTO_FOCUS = "#launcher-scenarios"

    KEYS: tuple[Key, ...] = (
        # Priority: the lists would otherwise take Enter and the footer not show it.
        Key("enter", "open", "launcher.open", priority=True),
        Key("tab", "switch_list", "launcher.switch"),
        Key("f5", "reload", "launcher.reload"),
        Key("f2", "new_scenario", "editor.new_scenario"),
        Key("f3", "edit_scenario", "editor.edit_scenario"),
        Key("ctrl+q", "app.quit", "launcher.quit", bound=False),  # the app binds it
    )

    class Scanned(Message):
        """The worker has read both folders."""

        def __init__(self, scenarios: list[ScenarioEntry], sessions: list[SessionEntry]) -> None:
            super().__init__()
            self.scenarios = scenarios
            self.sessions = sessions

    # The screen only shows; the app opens files (these bubble up to it).
    class OpenScenario(Message):
        """A scenario was chosen: set up a new session of it."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class ResumeSession(Message):
        """A session was chosen: continue it."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class NewScenario(Message):
        """F2: write a new scenario in the editor, to be saved at ``path``."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class EditScenario(Message):
        """F3: change this scenario in the editor."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(self, scenarios_dir: Path, sessions_dir: Path) -> None:
        super().__init__()
        self.scenarios_dir = scenarios_dir
        self.sessions_dir = sessions_dir
        self._scenario_paths: dict[str, Path] = {}
        self._session_paths: dict[str, Path] = {}
        self._scanned = False
        """The folders have been read once (coming back, they are read again)."""

    @staticmethod
    def _label(key: str, folder: Path) -> Content:
        return Content.assemble((t(key), "bold"), "  ", (f"{folder.as_posix()}/", "$text-muted"))

    def compose(self) -> ComposeResult:
        with Vertical(id="launcher-heading"):
            yield Static(t("launcher.title"), id="launcher-title")
            yield Static(t("launcher.subtitle"), id="launcher-subtitle")
        with Horizontal(id="launcher-columns"):
            with Vertical(classes="launcher-column"):
                yield Static(
                    self._label("launcher.scenarios", self.scenarios_dir), classes="launcher-label"
                )
                yield EntryList(id="launcher-scenarios")
                yield WrappedText(
                    t("launcher.no_scenarios", folder=self.scenarios_dir.as_posix()),
                    id="launcher-no-scenarios",
                    classes="launcher-empty",
                )
                with Horizontal(id="launcher-scenario-buttons"):
                    yield self._button("new_scenario", "launcher-new")
                    yield self._button("edit_scenario", "launcher-edit")
            with Vertical(classes="launcher-column"):
                yield Static(
                    self._label("launcher.sessions", self.sessions_dir), classes="launcher-label"
                )
                yield EntryList(id="launcher-sessions")
                yield WrappedText(
                    t("launcher.no_sessions"), id="launcher-no-sessions", classes="launcher-empty"
                )
        yield KeyFooter()

    def _button(self, action: str, button_id: str) -> Button:
        key = next(key for key in self.KEYS if key.action == action)
        label = t("setup.button", label=t(f"keys.{key.label}"), key=key.display())
        button = Button(label, id=button_id, compact=True)
        button.can_focus = False  # the lists keep the cursor: 編集 is for the highlighted one
        return button

    def on_mount(self) -> None:
        self.query_one("#launcher-no-scenarios").display = False
        self.query_one("#launcher-no-sessions").display = False
        self.action_reload()

    # -- reading the folders -----------------------------------------------

    @work(thread=True, exclusive=True, group="launcher-scan")
    def _scan(self) -> None:
        scenarios = scan_scenarios(self.scenarios_dir)
        sessions = scan_sessions(self.sessions_dir)
        self.post_message(self.Scanned(scenarios, sessions))

    @on(Scanned)
    def _show(self, message: Scanned) -> None:
        self._scanned = True
        self._scenario_paths = {f"scenario-{i}": e.path for i, e in enumerate(message.scenarios)}
        self._session_paths = {f"session-{i}": e.path for i, e in enumerate(message.sessions)}
        self._fill(
            "#launcher-scenarios",
            "#launcher-no-scenarios",
            [(f"scenario-{i}", _scenario_prompt(e)) for i, e in enumerate(message.scenarios)],
        )
        self._fill(
            "#launcher-sessions",
            "#launcher-no-sessions",
            [(f"session-{i}", _session_prompt(e)) for i, e in enumerate(message.sessions)],
        )
        self.query_one("#launcher-edit", Button).disabled = not message.scenarios
        # Nothing to start but something to resume: the cursor goes where it can act.
        if not message.scenarios and message.sessions:
            self.query_one("#launcher-sessions").focus()
        self.refresh_bindings()

    def _fill(self, list_id: str, empty_id: str, entries: list[tuple[str, Content]]) -> None:
        entry_list = self.query_one(list_id, EntryList)
        entry_list.loading = False
        entry_list.display = bool(entries)
        self.query_one(empty_id).display = not entries
        entry_list.show_entries(entries)

    # -- actions ------------------------------------------------------------

    def _open(self, option_id: str | None) -> None:
        if option_id in self._scenario_paths:
            self.post_message(self.OpenScenario(self._scenario_paths[option_id]))
        elif option_id in self._session_paths:
            self.post_message(self.ResumeSession(self._session_paths[option_id]))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option.id)

    def action_open(self) -> None:
        """Start the highlighted scenario or resume the highlighted session."""
        focused = self.focused
        lists = [focused] if isinstance(focused, EntryList) else []
        for entry_list in lists + self._visible_lists():
            if entry_list.highlighted_option is not None:
                self._open(entry_list.highlighted_option.id)
                return

    def _highlighted_scenario(self) -> Path | None:
        scenarios = self.query_one("#launcher-scenarios", EntryList)
        option = scenarios.highlighted_option if scenarios.display else None
        return self._scenario_paths.get(option.id or "") if option is not None else None

    def action_new_scenario(self) -> None:
        """Ask for a file name, then write the scenario in the editor."""
        field = Field(
            "name",
            t("editor.new_name", folder=visible(self.scenarios_dir.as_posix())),
            placeholder=t("editor.new_name_placeholder"),
        )

        def named(values: dict[str, object] | None) -> None:
            name = str((values or {}).get("name", "")).strip()
            if not name:
                return
            if name.lower().endswith(".toml"):
                name = name[:-5]
            if (
                not name
                or "/" in name
                or "\\" in name
                or name.startswith(".")
                or not name.isprintable()
            ):
                self.notify(t("editor.new_name_bad"), severity="error")
                return
            path = self.scenarios_dir / f"{name}.toml"
            if os.path.lexists(path):
                self.notify(t("editor.new_exists", file=visible(path.name)), severity="error")
                return
            self.post_message(self.NewScenario(path))

        self.app.push_screen(FormDialog(t("editor.new_title"), [field]), named)

    def action_edit_scenario(self) -> None:
        """Open the highlighted scenario in the editor."""
        path = self._highlighted_scenario()
        if path is not None:
            self.post_message(self.EditScenario(path))

    @on(Button.Pressed, "#launcher-new")
    async def _new_pressed(self) -> None:
        await self.run_action("new_scenario")

    @on(Button.Pressed, "#launcher-edit")
    async def _edit_pressed(self) -> None:
        await self.run_action("edit_scenario")

    def on_screen_resume(self) -> None:
        # Back from the editor (or setup): a scenario may have been written meanwhile.
        if self._scanned:
            self.action_reload()

    def _visible_lists(self) -> list[EntryList]:
        return [el for el in self.query(EntryList) if el.display and el.option_count]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys that cannot do anything now stay out of the footer.
        if action == "open":
            return bool(self._visible_lists())
        if action == "switch_list":
            return len(self._visible_lists()) > 1
        if action == "edit_scenario":
            return self._highlighted_scenario() is not None
        return True

    def action_switch_list(self) -> None:
        """Move between the scenarios and the sessions."""
        visible = self._visible_lists()
        if not visible:
            return
        if self.focused in visible:
            index = visible.index(cast(EntryList, self.focused))
            visible[(index + 1) % len(visible)].focus()
        else:
            visible[0].focus()

    def action_reload(self) -> None:
        """Read both folders again (someone may have added a scenario meanwhile)."""
        for entry_list in self.query(EntryList):
            entry_list.loading = True
        self._scan()

    def palette_help(self, key: Key) -> str:
        table, _, name = key.label.rpartition(".")
        return t(f"{table}.help.{name}", key=key.display())
