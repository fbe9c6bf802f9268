"""The setup screen: who is here, where they sit, who does what; F7 starts.

Shown by ``chie-kokan run SCENARIO``. Everyone on the roster is present
until marked absent; walk-ins join at the end of the seat order. Nothing is
written until F7: then the app creates the session file in a worker and
replaces this screen with the running screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from chie_kokan.clock import Clock
from chie_kokan.i18n import at_table, t
from chie_kokan.models import ROLES, Scenario, Session
from chie_kokan.session_plan import FormError, SessionForm, plan_session, read_next_meeting
from chie_kokan.tui.glyphs import ABSENT
from chie_kokan.tui.keys import Key, KeyPalette, localized
from chie_kokan.tui.minutes_fields import form_fields, next_meeting_values
from chie_kokan.tui.screens.dialogs import FormDialog
from chie_kokan.tui.widgets.key_footer import KeyFooter
from chie_kokan.tui.widgets.ticks import TickList
from chie_kokan.tui.widgets.wrapped_text import WrappedText


@dataclass
class Attendee:
    """One line of the roster while it is being set up."""

    key: str
    """Stable while the list is reordered (``r1``… roster, ``w1``… walk-ins)."""
    name: str
    organization: str = ""
    role: str = ""
    walk_in: bool = False
    present: bool = True
    table: str = ""
    """From the roster (``table = "A"``): a report step goes round by table."""


class PresentNames(Suggester):
    """Suggests the names of those present, as a role is typed."""

    def __init__(self, names: Callable[[], list[str]]) -> None:
        # No cache: presence changes while the screen is open.
        super().__init__(use_cache=False, case_sensitive=False)
        self._names = names

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        # ``value`` arrives casefolded: "amira" finds "Amira Hassan".
        return next((name for name in self._names() if name.casefold().startswith(value)), None)


class RoleInput(Input):
    """A role: typed freely, or ↑/↓ to step through the people present."""

    KEYS: tuple[Key, ...] = (
        Key("down", "next_name", "setup.role_next"),
        Key("up", "previous_name", "setup.role_previous"),
    )

    def __init__(self, names: Callable[[], list[str]], **kwargs: object) -> None:
        super().__init__(suggester=PresentNames(names), **kwargs)  # type: ignore[arg-type]
        self._names = names

    def _step(self, delta: int) -> None:
        names = self._names()
        if not names:
            return
        if self.value in names:
            index = (names.index(self.value) + delta) % len(names)
        else:
            index = 0 if delta > 0 else len(names) - 1
        self.value = names[index]
        self.cursor_position = len(self.value)

    def action_next_name(self) -> None:
        self._step(1)

    def action_previous_name(self) -> None:
        self._step(-1)


class SetupScreen(KeyPalette, Screen[None]):
    """Attendance, seat order, roles, place and time; then F7 starts the session."""

    CSS_PATH = "setup.tcss"
    AUTO_FOCUS = "#setup-roster"

    KEYS: tuple[Key, ...] = (
        Key("f2", "toggle_present", "setup.toggle"),
        Key("f3", "move_up", "setup.up"),
        Key("f4", "move_down", "setup.down"),
        Key("f5", "walk_in", "setup.walk_in"),
        Key("f6", "minutes_fields", "setup.minutes_fields"),  # issue 9
        Key("f7", "start", "setup.start"),
        Key("escape", "back", "setup.back"),
        Key("ctrl+q", "app.quit", "setup.quit", bound=False),  # the app binds it
    )

    # The screen only shows; the app writes the file (Start bubbles up to it).
    class Start(Message):
        """F7: create this session's file and begin the meeting."""

        def __init__(self, setup: SetupScreen, session: Session) -> None:
            super().__init__()
            self.setup = setup
            self.session = session

        @property
        def control(self) -> SetupScreen:
            return self.setup

    class NotStarted(Message):
        """From the app: the file could not be written; F7 may try again."""

    def __init__(self, scenario: Scenario, scenario_stem: str, *, clock: Clock) -> None:
        super().__init__()
        self.starting = False
        """F7 was pressed and the app has not answered: no second file from a second F7."""
        self.scenario = scenario
        self.scenario_stem = scenario_stem
        self.clock = clock
        self.attendees = [
            Attendee(f"r{i}", p.name, p.organization, p.role, table=p.table)
            for i, p in enumerate(scenario.participants, start=1)
        ]
        self._walk_ins = 0
        self.opened = clock()
        """When the form opened: its date and time start as this."""
        # The minutes fields (issue 9), as last typed in their form (F6).
        self.minutes_values: dict[str, Any] = {
            "secretariat": "",
            "author": "",
            "public": True,
            **next_meeting_values(None),
        }

    # -- layout -------------------------------------------------------------

    def _key(self, action: str) -> Key:
        return next(key for key in self.KEYS if key.action == action)

    def _button_label(self, action: str) -> str:
        # The button says the same as the footer, with its key: one vocabulary.
        key = self._key(action)
        return t("setup.button", label=t(f"keys.{key.label}"), key=key.display())

    def compose(self) -> ComposeResult:
        scenario = self.scenario
        with Vertical(id="setup-heading"):
            yield WrappedText(scenario.title, id="setup-title")
            # Label and text side by side: long Japanese text wraps under itself.
            with Horizontal(classes="setup-heading-row"):
                yield Label(t("setup.theme"), classes="setup-heading-label")
                yield WrappedText(scenario.theme, id="setup-theme")
            if scenario.case is not None:
                case = scenario.case
                with Horizontal(classes="setup-heading-row"):
                    yield Label(t("setup.case"), classes="setup-heading-label")
                    yield WrappedText(
                        Content.assemble(
                            (case.name, "bold"),
                            t("setup.case_separator") if case.summary else "",
                            case.summary,
                        ),
                        max_lines=2,
                        id="setup-case",
                    )
        with Horizontal(id="setup-body"):
            with Vertical(id="setup-roster-column"):
                yield Static(id="setup-roster-heading", classes="setup-section")
                yield TickList(id="setup-roster")
                with Horizontal(classes="setup-button-row"):
                    yield Button(
                        self._button_label("toggle_present"), id="setup-toggle", compact=True
                    )
                    yield Button(self._button_label("move_up"), id="setup-up", compact=True)
                    yield Button(self._button_label("move_down"), id="setup-down", compact=True)
                yield Static(t("setup.walk_in"), classes="setup-section")
                with Horizontal(id="setup-walk-in", classes="setup-button-row"):
                    yield Input(
                        placeholder=t("setup.walk_in_name"), id="setup-walk-in-name", compact=True
                    )
                    yield Input(
                        placeholder=t("setup.walk_in_organization"),
                        id="setup-walk-in-organization",
                        compact=True,
                    )
                    if self.scenario.uses_tables:  # a report goes round by table
                        yield Input(
                            placeholder=t("setup.walk_in_table"),
                            id="setup-walk-in-table",
                            compact=True,
                        )
                    yield Button(self._button_label("walk_in"), id="setup-add", compact=True)
            with Vertical(id="setup-details"):
                yield Static(t("setup.meeting"), classes="setup-section")
                with Grid(classes="setup-form"):
                    yield Label(t("setup.date"), classes="setup-label")
                    yield Input(self.opened.date().isoformat(), id="setup-date", compact=True)
                    yield Label(t("setup.time"), classes="setup-label")
                    yield Input(f"{self.opened:%H:%M}", id="setup-time", compact=True)
                    yield Label(t("setup.place"), classes="setup-label")
                    yield Input(
                        placeholder=t("setup.place_placeholder"), id="setup-place", compact=True
                    )
                    yield Label(t("setup.table"), classes="setup-label")
                    yield Input(placeholder=t("setup.optional"), id="setup-table", compact=True)
                    yield Label(t("setup.observers"), classes="setup-label")
                    yield Input(
                        placeholder=t("setup.observers_placeholder"),
                        id="setup-observers",
                        compact=True,
                    )
                    # issue 9: the rest of the minutes' fields, in a form (F6)
                    yield Label(t("minutes_fields.setup_label"), classes="setup-label")
                    minutes = Button(
                        self._button_label("minutes_fields"), id="setup-minutes", compact=True
                    )
                    minutes.can_focus = False  # Tab goes on from the form to the roles; F6 opens it
                    yield minutes
                yield Static(t("setup.roles"), classes="setup-section")
                with Grid(classes="setup-form"):
                    role_input = localized(RoleInput)
                    for field in ROLES:
                        yield Label(t(f"role.{field}"), classes="setup-label")
                        yield role_input(
                            self.present_names,
                            placeholder=t("setup.role_placeholder"),
                            id=f"setup-role-{field}",
                            compact=True,
                        )
                yield Static(classes="setup-spacer")
                yield WrappedText("", id="setup-message")
                yield Button(self._button_label("start"), id="setup-start", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_roster(highlight=0)

    # -- the roster ---------------------------------------------------------

    def present(self) -> list[Attendee]:
        """Those present, in seat order."""
        return [a for a in self.attendees if a.present]

    def present_names(self) -> list[str]:
        return [a.name for a in self.present()]

    @staticmethod
    def _tag(attendee: Attendee) -> tuple[str, str]:
        """The word that marks a line, and its style: the word is the signal, colour the echo."""
        if not attendee.present:
            return t("setup.absent"), "bold $text-warning"
        if attendee.walk_in:
            return t("setup.walk_in_tag"), "bold $text-accent"
        return "", ""

    def _prompt(
        self, attendee: Attendee, seat: int | None, name_width: int, tag_width: int
    ) -> Content:
        name = attendee.name + " " * (name_width - cell_len(attendee.name))
        tag, tag_style = self._tag(attendee)
        # Its own column right after the name, so a long organisation never hides it.
        tag_column = tag + " " * (tag_width - cell_len(tag)) + "  " if tag_width else ""
        organization = attendee.organization
        if attendee.role:
            organization = (
                t("setup.organization_role", organization=organization, role=attendee.role)
                if organization
                else attendee.role
            )
        organization = at_table(organization, attendee.table).strip()
        if seat is None:
            return Content.assemble(
                (f"  {ABSENT} ", "$text-muted"),
                (name, "$text-muted strike"),
                "  ",
                (tag_column, tag_style),
                (organization, "$text-muted"),
            )
        return Content.assemble(
            (f"{seat:>3} ", "bold"),
            (name, "bold"),
            "  ",
            (tag_column, tag_style),
            (organization, "$text-secondary"),
        )

    def _show_roster(self, *, highlight: int | None = None) -> None:
        """Redraw the roster from ``self.attendees`` (seat numbers follow presence)."""
        roster = self.query_one("#setup-roster", SelectionList)
        if highlight is None:
            highlight = roster.highlighted
        name_width = max((cell_len(a.name) for a in self.attendees), default=0)
        tag_width = max((cell_len(self._tag(a)[0]) for a in self.attendees), default=0)
        selections: list[Selection[str]] = []
        seat = 0
        for attendee in self.attendees:
            if attendee.present:
                seat += 1
            prompt = self._prompt(
                attendee, seat if attendee.present else None, name_width, tag_width
            )
            selections.append(Selection(prompt, attendee.key, attendee.present))
        # Rebuilding posts SelectedChanged; only SelectionToggled (a person's
        # gesture) is handled, so there is no loop.
        roster.clear_options()
        roster.add_options(selections)
        if selections:
            roster.highlighted = max(0, min(highlight or 0, len(selections) - 1))
        present = len(self.present())
        self.query_one("#setup-roster-heading", Static).update(
            t("setup.roster", present=present, total=len(self.attendees))
        )

    def _highlighted(self) -> int | None:
        return self.query_one("#setup-roster", SelectionList).highlighted

    @on(SelectionList.SelectionToggled, "#setup-roster")
    def _toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        # A click, Space or Enter on the list: the list has already flipped it.
        key = event.selection.value
        index = next(i for i, a in enumerate(self.attendees) if a.key == key)
        self.attendees[index].present = key in event.selection_list.selected
        self._show_roster(highlight=index)
        self._clear_message()

    def action_toggle_present(self) -> None:
        """Mark the highlighted person absent, or present again."""
        index = self._highlighted()
        if index is None:
            return
        attendee = self.attendees[index]
        attendee.present = not attendee.present
        self._show_roster(highlight=index)
        self._clear_message()

    def _move(self, delta: int) -> None:
        index = self._highlighted()
        if index is None:
            return
        target = index + delta
        if not 0 <= target < len(self.attendees):
            return
        people = self.attendees
        people[index], people[target] = people[target], people[index]
        self._show_roster(highlight=target)
        self._clear_message()

    def action_move_up(self) -> None:
        """The highlighted person sits one place earlier (speaks earlier)."""
        self._move(-1)

    def action_move_down(self) -> None:
        """The highlighted person sits one place later."""
        self._move(1)

    def action_walk_in(self) -> None:
        """Add the walk-in typed below the roster; with nothing typed, go type it."""
        name_input = self.query_one("#setup-walk-in-name", Input)
        organization_input = self.query_one("#setup-walk-in-organization", Input)
        name = name_input.value.strip()
        if not name:
            if self.focused is name_input:
                self._problem(t("setup.walk_in_no_name"))
            name_input.focus()
            return
        if any(a.name == name for a in self.attendees):
            self._problem(t("setup.walk_in_duplicate", name=name))
            return
        tables = self.query("#setup-walk-in-table").results(Input)
        table_input = next(tables, None)
        self._walk_ins += 1
        self.attendees.append(
            Attendee(
                f"w{self._walk_ins}",
                name,
                organization_input.value.strip(),
                walk_in=True,
                table=table_input.value.strip() if table_input else "",
            )
        )
        name_input.value = ""
        organization_input.value = ""
        if table_input:
            table_input.value = ""
        self._show_roster(highlight=len(self.attendees) - 1)
        self._say(t("setup.walk_in_added", name=name))
        name_input.focus()

    @on(Input.Submitted, "#setup-walk-in-name")
    def _walk_in_name_done(self) -> None:
        if self.query_one("#setup-walk-in-name", Input).value.strip():
            self.query_one("#setup-walk-in-organization", Input).focus()

    @on(Input.Submitted, "#setup-walk-in-organization")
    def _walk_in_organization_done(self) -> None:
        tables = self.query("#setup-walk-in-table")
        if tables:
            tables.first().focus()
        else:
            self.action_walk_in()

    @on(Input.Submitted, "#setup-walk-in-table")
    def _walk_in_done(self) -> None:
        self.action_walk_in()

    # -- messages -----------------------------------------------------------

    def _say(self, text: str) -> None:
        message = self.query_one("#setup-message", WrappedText)
        message.remove_class("-problem")
        message.update(text)

    def _problem(self, text: str) -> None:
        message = self.query_one("#setup-message", WrappedText)
        message.add_class("-problem")
        message.update(text)

    def _clear_message(self) -> None:
        self._say("")

    # -- starting -----------------------------------------------------------

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def build_session(self) -> Session | None:
        """The session as set up on screen, or None (with a message saying why)."""
        form = SessionForm(
            present=self.present(),
            opened=self.opened,
            day=self._value("setup-date"),
            time=self._value("setup-time"),
            place=self._value("setup-place"),
            table=self._value("setup-table"),
            observers=self._value("setup-observers"),
            roles={field: self._value(f"setup-role-{field}") for field in ROLES},
            minutes=self.minutes_values,
        )
        try:
            return plan_session(self.scenario, self.scenario_stem, form, clock=self.clock)
        except FormError as error:
            self._problem(str(error))
            for widget in self.query(f"Input#setup-{error.field}"):
                widget.focus()  # the date, the time or the observers
            return None

    # -- the minutes fields (issue 9) ---------------------------------------

    def action_minutes_fields(self) -> None:
        """The secretariat, the author, open or closed, the next meeting: a form."""

        def entered(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            self.minutes_values = values
            try:
                read_next_meeting(values)
            except FormError as error:
                self._problem(str(error))
                return
            self._say(t("minutes_fields.set"))

        form = FormDialog(t("minutes_fields.title"), form_fields(self.minutes_values))
        self.app.push_screen(form, entered)

    def action_start(self) -> None:
        """Create the session file and begin the meeting."""
        if self.starting:
            return
        session = self.build_session()
        if session is None:
            return
        self._say(t("setup.starting"))
        self.starting = True
        self.post_message(self.Start(self, session))

    def on_setup_screen_not_started(self, message: NotStarted) -> None:
        message.stop()
        self.starting = False  # the app has said why; the roster is still here to try again

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            # Only when the launcher is underneath; `run` has nowhere to go back to.
            # (Counted below this screen: the palette may be open above it.)
            stack = self.app.screen_stack
            return self in stack and stack.index(self) > 1
        return True

    def action_back(self) -> None:
        """Back to the launcher, nothing written."""
        self.dismiss()

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        actions = {
            "setup-toggle": "toggle_present",
            "setup-up": "move_up",
            "setup-down": "move_down",
            "setup-add": "walk_in",
            "setup-minutes": "minutes_fields",
            "setup-start": "start",
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            event.stop()
            await self.run_action(action)

    def palette_help(self, key: Key) -> str:
        name = key.label.rpartition(".")[2]
        return t(f"setup.help.{name}", key=key.display())
