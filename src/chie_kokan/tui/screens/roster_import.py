"""The roster from a spreadsheet, in the scenario editor: choose a file, see who comes in, import.

The same preview as ``chie-kokan roster import``: who will be added, and
which rows are left out and why. The screen only reads the member list (in
a worker) and returns the people; whoever opened it writes the scenario.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Input, Label, Static

from chie_kokan.i18n import t
from chie_kokan.models import Participant
from chie_kokan.problems import FileError
from chie_kokan.roster_import import ADDED_COLUMNS, RosterImport, read_roster
from chie_kokan.tui.keys import Key, KeyPalette, LocalizedKeys, key_name, localized
from chie_kokan.tui.widgets.key_footer import KeyFooter

_COLUMNS_SKIPPED = ("col_row", "col_name", "col_why")


def complete_path(typed: str, start_dir: Path) -> str | None:
    """``typed`` completed as a shell does: as far as every matching entry agrees.

    A folder that is the only match gets its separator, so typing goes on inside
    it. None when nothing matches or there is nothing more to add.
    """
    head, separator, stem = typed.rpartition(os.sep)
    folder = head + separator  # "", "名簿/" or "/"
    directory = Path(folder).expanduser() if folder else Path()
    if not directory.is_absolute():
        directory = start_dir / directory
    try:
        entries = sorted(entry.name for entry in os.scandir(directory))
    except OSError:
        return None
    matches = [name for name in entries if name.startswith(stem)]
    if not matches:
        return None
    # Letter by letter, as a shell completes (commonpath would stop at whole names).
    common = os.path.commonprefix(matches)  # noqa: RUF071
    completed = folder + common
    if len(matches) == 1 and (directory / common).is_dir():
        completed += os.sep
    return completed if completed != typed else None


class PathInput(Input):
    """The member list's path; Tab completes it (and moves on when there is nothing to add)."""

    KEYS: tuple[Key, ...] = (Key("tab", "complete", "roster_import.complete"),)

    def __init__(self, start_dir: Path, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.start_dir = start_dir

    def action_complete(self) -> None:
        completed = complete_path(self.value, self.start_dir)
        if completed is None:
            self.screen.focus_next()
        else:
            self.value = completed
            self.cursor_position = len(completed)


class RosterImportScreen(LocalizedKeys, KeyPalette, ModalScreen[list[Participant] | None]):
    """Choose a member list (CSV, .xlsx); dismissed with the people to add, or None."""

    CSS_PATH = "roster_import.tcss"
    KEYS: tuple[Key, ...] = (
        Key("f5", "preview", "roster_import.preview"),
        Key("f2", "import_roster", "roster_import.import"),
        Key("escape", "cancel", "polish.cancel"),
    )

    class Read(Message):
        """From the worker: the file as read, or why it could not be."""

        def __init__(self, path: str, found: RosterImport | None, error: str = "") -> None:
            super().__init__()
            self.path = path
            self.found = found
            self.error = error

    def __init__(self, start_dir: Path, roster: Sequence[Participant] = ()) -> None:
        """``roster``: who is on the scenario already (shown as skipped, never added twice)."""
        super().__init__()
        self.start_dir = start_dir
        self.roster = list(roster)
        self.found: RosterImport | None = None
        self._read_path: str | None = None
        """The path typed when ``found`` was read: importing another needs a new preview."""

    def _button_label(self, action: str) -> str:
        key = next(key for key in self.KEYS if key.action == action)
        return t("setup.button", label=t(f"keys.{key.label}"), key=key.display())

    def compose(self) -> ComposeResult:
        with Vertical(id="roster-dialog"):
            yield Label(t("roster_import.title"), id="roster-title")
            yield Label(t("roster_import.path_label"), id="roster-path-label")
            # localized(): the footer names Tab in the UI's language (a subclass per language).
            yield localized(PathInput)(
                self.start_dir,
                placeholder=t("roster_import.path_placeholder"),
                id="roster-path",
                compact=True,
            )
            yield Static(t("roster_import.preview_hint"), id="roster-status", markup=False)
            yield Label("", id="roster-added-heading", classes="roster-label")
            yield DataTable(id="roster-added", cursor_type="row", zebra_stripes=True)
            yield Label("", id="roster-skipped-heading", classes="roster-label")
            yield DataTable(id="roster-skipped", cursor_type="row")
            with Horizontal(id="roster-buttons"):
                # Compact, as on the setup screen: the preview keeps the room from 100×30 up.
                yield Button(self._button_label("cancel"), id="roster-cancel", compact=True)
                yield Button(self._button_label("preview"), id="roster-preview", compact=True)
                yield Button(
                    self._button_label("import_roster"),
                    id="roster-import",
                    variant="primary",
                    compact=True,
                )
        yield KeyFooter()

    def on_mount(self) -> None:
        skipped = self.query_one("#roster-skipped", DataTable)
        skipped.add_columns(*(t(f"roster_import.{column}") for column in _COLUMNS_SKIPPED))
        self._show(None)
        self.query_one(PathInput).focus()

    # -- reading ----------------------------------------------------------------

    def action_preview(self) -> None:
        typed = self.query_one(PathInput).value.strip()
        if not typed:
            self._status(t("roster_import.preview_hint"))
            return
        path = Path(typed).expanduser()
        self._read(typed, path if path.is_absolute() else self.start_dir / path)

    @on(Input.Submitted, "#roster-path")
    def _submitted(self) -> None:
        self.action_preview()

    @work(thread=True, exclusive=True, group="roster-import")
    def _read(self, typed: str, path: Path) -> None:
        try:
            found = read_roster(path).against(self.roster)
        except FileError as error:
            self.post_message(self.Read(typed, None, str(error)))
        else:
            self.post_message(self.Read(typed, found))

    @on(Read)
    def _was_read(self, message: Read) -> None:
        self.found = message.found
        self._read_path = message.path
        if message.found is None:
            self._show(None)
            self._status(message.error, error=True)
            return
        self._show(message.found)
        if message.found.participants:
            self.query_one("#roster-import", Button).focus()

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#roster-status", Static)
        status.update(text)
        status.set_class(error, "error")

    def _show(self, found: RosterImport | None) -> None:
        added = self.query_one("#roster-added", DataTable)
        skipped = self.query_one("#roster-skipped", DataTable)
        # The table column shows only when someone in the file has a table.
        added.clear(columns=True)
        columns = found.added_columns() if found else ADDED_COLUMNS[:-1]
        added.add_columns(*(t(f"roster_import.col_{column}") for column in columns))
        skipped.clear()
        people = found.added_rows() if found else []
        left_out = found.skipped_rows() if found else []
        for row in people:
            added.add_row(*row)
        for row in left_out:
            skipped.add_row(*row)
        added_heading = self.query_one("#roster-added-heading", Label)
        skipped_heading = self.query_one("#roster-skipped-heading", Label)
        added_heading.update(t("roster_import.added_count", count=len(people)))
        skipped_heading.update(t("roster_import.skipped_heading", count=len(left_out)))
        for widget in (added_heading, added):
            widget.display = found is not None
        for widget in (skipped_heading, skipped):
            widget.display = bool(left_out)
        if found is not None:
            self._status(
                t("roster_import.import_hint") if people else t("roster_import.import_none")
            )

    # -- answering --------------------------------------------------------------

    def action_import_roster(self) -> None:
        typed = self.query_one(PathInput).value.strip()
        if self.found is None or typed != self._read_path:
            self.action_preview()  # what is imported is what was shown: read it first
            return
        if not self.found.participants:
            self.notify(t("roster_import.import_none"), severity="warning")
            return
        self.dismiss(list(self.found.participants))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#roster-import")
    def _import_pressed(self) -> None:
        self.action_import_roster()

    @on(Button.Pressed, "#roster-preview")
    def _preview_pressed(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#roster-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def palette_help(self, key: Key) -> str:
        if key.action == "cancel":
            return t("polish.cancel_help", key=key_name("escape"))
        return super().palette_help(key)
