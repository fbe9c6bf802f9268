"""The scenario editor: a form for those who write scenarios in Word and Excel, not TOML.

Opened from the launcher (新しいシナリオ F2, 編集 F3) or by ``chie-kokan edit
SCENARIO`` / ``chie-kokan new SCENARIO --edit``. One scrolling form, in
sections; every field is checked as it is typed by the scenario model, with
the messages ``validate`` gives (``scenario_draft``). Saving writes through
the atomic writer, never over a file changed on disk since it was opened,
and keeps the comments a person wrote where TOML lets it (it says first
which ones cannot stay). Ctrl+Z takes back field edits and changes to the
roster and the steps; leaving with unsaved changes asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import DescendantFocus
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from chie_kokan.files import atomic_write
from chie_kokan.i18n import LANGUAGES, Language, t
from chie_kokan.models.kinds import KINDS, StepKind, spec
from chie_kokan.models.scenario import Participant
from chie_kokan.problems import Problem, visible
from chie_kokan.scenario_draft import (
    Loc,
    OpenedScenario,
    PersonDraft,
    ScenarioDraft,
    StepDraft,
    default_rules,
    file_text,
    lost_comments,
)
from chie_kokan.storage import free_path
from chie_kokan.tui.keys import Key, KeyPalette, LocalizedKeys
from chie_kokan.tui.screens.dialogs import ConfirmDialog
from chie_kokan.tui.widgets.key_footer import KeyFooter
from chie_kokan.tui.widgets.list_area import ListArea

_TOP_FIELDS = (
    "title",
    "theme",
    "language",
    "case_name",
    "case_summary",
    "case_details",
    "private_names",
    "ground_rules",
)
_LIST_FIELDS = {"case_details", "private_names", "ground_rules"}
"""Typed one entry a line (a TextArea)."""


def _field_id(loc: Loc) -> str | None:
    """The form field a problem at ``loc`` (a path in the scenario file) is about."""
    match loc:
        case ("case",):
            return "f-case_name"
        case ("case", str(key), *_):
            return f"f-case_{key}"
        case ("participants", int(index), str(key), *_):
            return f"p{index}-{key}"
        case ("participants", int(index), *_):
            return f"p{index}-name"
        case ("steps", int(index), str(key), *_):
            return f"s{index}-{key}"
        case ("steps", int(index), *_):
            return f"s{index}-kind"
        case (str(key), *_) if key in _TOP_FIELDS:
            return f"f-{key}"
    return None


def _parse_id(widget_id: str) -> tuple[str, int, str] | None:
    """``p3-name`` → ("p", 3, "name"); ``f-title`` → ("f", 0, "title")."""
    head, _, attr = widget_id.partition("-")
    if not attr:
        return None
    if head == "f":
        return ("f", 0, attr)
    if head[:1] in ("p", "s") and head[1:].isdigit():
        return (head[:1], int(head[1:]), attr)
    return None


class LeaveDialog(LocalizedKeys, ModalScreen[str]):
    """Unsaved changes: save, discard or stay. Returns "save", "discard" or "stay"."""

    DEFAULT_CSS = """
    LeaveDialog { align: center middle; background: $background 70%; }
    LeaveDialog > Vertical {
        width: 80%; max-width: 90; height: auto;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    LeaveDialog .buttons { height: auto; align-horizontal: right; padding: 1 0 0 0; }
    LeaveDialog Button { margin: 0 0 0 2; }
    """
    KEYS: tuple[Key, ...] = (Key("escape", "stay", "editor.stay"),)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(t("editor.leave_question"), markup=False)
            with Horizontal(classes="buttons"):
                yield Button(t("editor.leave_stay"), id="stay")
                yield Button(t("editor.leave_discard"), id="discard", variant="error")
                yield Button(t("editor.leave_save"), id="save", variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def action_stay(self) -> None:
        self.dismiss("stay")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "stay")


@dataclass
class _Undo:
    draft: ScenarioDraft
    focus: str | None
    """The field to return to."""


class EditorScreen(KeyPalette, Screen[Path | None]):
    """A scenario as a form. Dismisses with the path saved to (None: nothing saved)."""

    CSS_PATH = "editor.tcss"
    AUTO_FOCUS = "#f-title"

    KEYS: tuple[Key, ...] = (
        Key("ctrl+s", "save", "editor.save", priority=True),
        Key("ctrl+z", "undo", "editor.undo", priority=True),
        # Priority: a second key while the list is rebuilt (its focus gone) still counts.
        Key("f2", "add_person", "editor.add_person", priority=True),
        Key("f3", "add_step", "editor.add_step", priority=True),
        Key("f4", "move_up", "editor.move_up", priority=True),
        Key("f5", "move_down", "editor.move_down", priority=True),
        Key("f6", "remove", "editor.remove", priority=True),
        Key("f7", "import_roster", "editor.import_roster", priority=True),
        Key("escape", "leave", "editor.leave"),
        Key("ctrl+q", "app.quit", "editor.quit", bound=False),  # the app binds it
    )

    class Saved(Message):
        """The worker has written the file."""

        def __init__(self, path: Path, text: str, then_leave: bool) -> None:
            super().__init__()
            self.path = path
            self.text = text
            self.then_leave = then_leave

    class NotSaved(Message):
        def __init__(self, detail: str) -> None:
            super().__init__()
            self.detail = detail

    def __init__(self, opened: OpenedScenario) -> None:
        super().__init__()
        self.path = opened.path
        self.draft = opened.draft
        self._text = opened.text
        self._raw = opened.raw
        self._saved_data = self.draft.data()
        self._history: list[_Undo] = []
        self._last_field: str | None = None
        """The field the last undo step is for: typing on in it is one step."""
        self._current: tuple[str, int] = ("p", 0)
        """The roster entry or step that F4/F5/F6 act on (the last one focused)."""
        self._last = {"p": 0, "s": 0}
        """The last entry focused in each section, for that section's buttons."""
        self._problems: list[tuple[Loc, Problem]] = []
        self._saving = False
        self._quit_after = False
        self._shown: dict[str, str] = {}
        """What each status line shows now."""
        self._invalid: set[str] = set()
        """The fields marked invalid now."""
        self._could_undo = False

    # -- layout -------------------------------------------------------------

    def _key(self, action: str) -> Key:
        return next(key for key in self.KEYS if key.action == action)

    def _button(self, action: str, button_id: str, **kwargs: Any) -> Button:
        key = self._key(action)
        label = t("setup.button", label=t(f"keys.{key.label}"), key=key.display())
        button = Button(label, id=button_id, compact=True, **kwargs)
        button.can_focus = False  # the keys act on the field being typed in; so does a click
        return button

    @staticmethod
    def _heading(text: str, widget_id: str | None = None) -> Static:
        return Static(text, id=widget_id, classes="editor-heading", markup=False)

    @staticmethod
    def _label(text: str) -> Label:
        return Label(text, classes="editor-label", markup=False)

    def _input(self, widget_id: str, value: str, placeholder: str = "", **kwargs: Any) -> Input:
        return Input(value, placeholder=placeholder, id=widget_id, compact=True, **kwargs)

    def _area(self, widget_id: str, value: str, placeholder: str = "") -> TextArea:
        area = ListArea(
            value,
            id=widget_id,
            soft_wrap=True,
            compact=True,
            show_line_numbers=False,
            placeholder=placeholder,
        )
        area.tab_behavior = "focus"  # Tab goes on to the next field, as in every other
        return area

    def compose(self) -> ComposeResult:
        draft = self.draft
        with Horizontal(id="editor-top"):
            yield Static(id="editor-file", markup=False)
            yield self._button("undo", "editor-undo-button")
            yield self._button("save", "editor-save-button", variant="primary")
            yield self._button("leave", "editor-leave-button")
        with VerticalScroll(id="editor-form"):
            yield self._heading(t("editor.section_about"))
            with Vertical(classes="editor-grid"):
                yield self._row("title", self._input("f-title", draft.title))
                yield self._row("theme", self._input("f-theme", draft.theme))
                languages = [(t(f"editor.language_{code}"), code) for code in LANGUAGES]
                yield self._row(
                    "language",
                    Select(
                        languages,
                        value=draft.language,
                        allow_blank=False,
                        compact=True,
                        id="f-language",
                    ),
                )
            yield self._heading(t("editor.section_case"))
            yield Static(t("editor.case_note"), classes="editor-note", markup=False)
            with Vertical(classes="editor-grid"):
                yield self._row("case_name", self._input("f-case_name", draft.case_name))
                yield self._row("case_summary", self._input("f-case_summary", draft.case_summary))
                yield self._row("case_details", self._area("f-case_details", draft.case_details))
            yield self._heading(t("editor.section_private"))
            yield Static(t("editor.private_note"), classes="editor-note", markup=False)
            yield self._area("f-private_names", draft.private_names)
            yield self._heading(t("editor.section_rules"))
            yield Static(t("editor.rules_note"), classes="editor-note", markup=False)
            yield self._area("f-ground_rules", draft.ground_rules)
            yield self._heading("", "editor-roster-heading")
            with Horizontal(classes="editor-buttons"):
                yield self._button("add_person", "editor-add-person")
                yield self._button("move_up", "editor-person-up")
                yield self._button("move_down", "editor-person-down")
                yield self._button("remove", "editor-person-remove")
                yield self._button("import_roster", "editor-import")
            yield Horizontal(
                Label("", classes="editor-number"),
                *(
                    Label(t(f"editor.{key}"), classes="editor-column", markup=False)
                    for key in ("person_name", "person_org", "person_role")
                ),
                Label(t("editor.person_table"), classes="editor-column -table", markup=False),
                id="editor-roster-columns",
            )
            yield Vertical(id="editor-roster")
            yield self._heading("", "editor-steps-heading")
            with Horizontal(classes="editor-buttons"):
                yield self._button("add_step", "editor-add-step")
                yield self._button("move_up", "editor-step-up")
                yield self._button("move_down", "editor-step-down")
                yield self._button("remove", "editor-step-remove")
            yield Vertical(id="editor-steps")
        yield Static(id="editor-problems", markup=False)
        yield KeyFooter()

    def _row(self, name: str, widget: Widget) -> Horizontal:
        return Horizontal(self._label(t(f"editor.field_{name}")), widget, classes="editor-row")

    def _person_row(self, index: int, person: PersonDraft) -> Horizontal:
        return Horizontal(
            Label(t("editor.person_number", number=index + 1), classes="editor-number"),
            self._input(f"p{index}-name", person.name, t("editor.person_name")),
            self._input(f"p{index}-organization", person.organization, t("editor.person_org")),
            self._input(f"p{index}-role", person.role, t("editor.person_role")),
            self._input(
                f"p{index}-table", person.table, t("editor.person_table"), classes="-table"
            ),
            id=f"p{index}",
            classes="editor-person",
        )

    def _step_card(self, index: int, step: StepDraft) -> Vertical:
        kinds = [
            (t("editor.kind_option", short=t(f"step.{k.value}.short"), kind=k.value), k.value)
            for k in KINDS
        ]
        turns = [
            (t("editor.turns_default"), ""),
            (t("editor.turns_round"), "round"),
            (t("editor.turns_free"), "free"),
        ]
        title, prompt, minutes, votes = self._step_placeholders(step)
        return Vertical(
            Horizontal(
                Label(t("editor.step_number", number=index + 1), classes="editor-number"),
                Select(
                    kinds,
                    value=step.kind,
                    allow_blank=False,
                    compact=True,
                    id=f"s{index}-kind",
                    classes="editor-kind",
                ),
                self._input(f"s{index}-title", step.title, title),
                classes="editor-step-row",
            ),
            Horizontal(
                self._label(t("editor.field_prompt")),
                self._input(f"s{index}-prompt", step.prompt, prompt),
                classes="editor-step-row",
            ),
            Horizontal(
                self._label(t("editor.field_questions")),
                self._area(
                    f"s{index}-questions", step.questions, t("editor.questions_placeholder")
                ),
                classes="editor-step-row editor-questions",
            ),
            Horizontal(
                self._label(t("editor.field_minutes")),
                self._input(
                    f"s{index}-minutes", step.minutes, minutes, classes="editor-number-input"
                ),
                Label(t("editor.field_turns"), classes="editor-small-label"),
                Select(
                    turns,
                    value=step.turns if step.turns in ("round", "free") else "",
                    allow_blank=False,
                    compact=True,
                    id=f"s{index}-turns",
                    classes="editor-turns",
                ),
                Label(t("editor.field_seconds"), classes="editor-small-label"),
                self._input(
                    f"s{index}-seconds_per_turn",
                    step.seconds_per_turn,
                    "",
                    classes="editor-number-input",
                ),
                Label(t("editor.field_votes"), classes="editor-small-label"),
                self._input(
                    f"s{index}-votes_per_person",
                    step.votes_per_person,
                    votes,
                    classes="editor-number-input",
                ),
                classes="editor-step-row",
            ),
            id=f"s{index}",
            classes="editor-step",
        )

    def _step_placeholders(self, step: StepDraft) -> tuple[str, str, str, str]:
        """The kind's defaults, shown in its blank fields: blank means exactly these."""
        try:
            kind = StepKind(step.kind)
        except ValueError:
            return "", "", "", ""
        base = f"step.{kind.value}"
        language = self.draft.language
        votes = spec(kind).default_votes
        return (
            t(f"{base}.title", language),
            t(f"{base}.prompt", language),
            str(spec(kind).minutes),
            str(votes) if votes is not None else t("editor.votes_pick_only"),
        )

    async def on_mount(self) -> None:
        self.query_one("#editor-file", Static).update(t("editor.heading", file=self._shown_path()))
        await self._rebuild_lists()
        self._validate()

    async def _rebuild_lists(self, sections: str = "ps") -> None:
        """The roster rows or step cards again, from the draft (after a structural change)."""
        if "p" in sections:
            roster = self.query_one("#editor-roster", Vertical)
            await roster.remove_children()
            rows: list[Widget] = [
                self._person_row(i, p) for i, p in enumerate(self.draft.participants)
            ]
            if not rows:
                rows.append(Static(t("editor.roster_empty"), classes="editor-note", markup=False))
            await roster.mount_all(rows)
        if "s" in sections:
            steps = self.query_one("#editor-steps", Vertical)
            await steps.remove_children()
            await steps.mount_all([self._step_card(i, s) for i, s in enumerate(self.draft.steps)])
            for index in range(len(self.draft.steps)):
                self._refresh_step(index)
        # The new widgets carry no marks yet.
        self._invalid = {field for field in self._invalid if field[0] not in sections}
        self._mark_current()
        self._show_counts()

    def _shown_path(self) -> str:
        """The file as its folder and name: short, and the same on every machine."""
        return visible(Path(self.path.parent.name) / self.path.name)

    def _update(self, widget_id: str, text: str) -> None:
        # Only when it changes: every update lays out the whole form again.
        if self._shown.get(widget_id) != text:
            self._shown[widget_id] = text
            self.query_one(f"#{widget_id}", Static).update(text)

    def _show_counts(self) -> None:
        self._update(
            "editor-roster-heading", t("editor.section_roster", count=len(self.draft.participants))
        )
        steps = self.draft.steps
        minutes = self.draft.total_minutes()
        self._update(
            "editor-steps-heading", t("editor.section_steps", count=len(steps), minutes=minutes)
        )

    # -- typing ---------------------------------------------------------------

    def _remember(self, field: str | None) -> None:
        """Keep the form as it is for Ctrl+Z; typing on in one field is one step."""
        if field is not None and field == self._last_field:
            return
        focused = self.focused.id if self.focused is not None else None
        self._history.append(_Undo(self.draft.copy(), field or focused))
        self._last_field = field

    def _target(self, where: tuple[str, int, str]) -> object | None:
        section, index, _ = where
        if section == "f":
            return self.draft
        entries: list[Any] = self.draft.participants if section == "p" else self.draft.steps
        return entries[index] if 0 <= index < len(entries) else None

    def _field_changed(self, widget: Widget, value: str) -> None:
        where = _parse_id(widget.id or "")
        if where is None:
            return
        target = self._target(where)
        attr = where[2]
        if target is None or not hasattr(target, attr) or getattr(target, attr) == value:
            return  # a widget filled from the draft, not a change
        self._remember(widget.id)
        old_language = self.draft.language
        setattr(target, attr, value)
        if where == ("f", 0, "language"):
            self._language_changed(old_language)
        if where[0] == "s" and attr == "kind":
            self._refresh_step(where[1])
        self._after_change()

    def _language_changed(self, old: Language) -> None:
        # Rules left as the council's three follow the language.
        if self.draft.ground_rules.strip() == "\n".join(default_rules(old)):
            self.draft.ground_rules = "\n".join(default_rules(self.draft.language))
            area = self.query_one("#f-ground_rules", TextArea)
            with self.prevent(TextArea.Changed):
                area.text = self.draft.ground_rules
        for index in range(len(self.draft.steps)):
            self._refresh_step(index)

    def _refresh_step(self, index: int) -> None:
        title, prompt, minutes, votes = self._step_placeholders(self.draft.steps[index])
        for attr, text in (
            ("title", title),
            ("prompt", prompt),
            ("minutes", minutes),
            ("votes_per_person", votes),
        ):
            self.query_one(f"#s{index}-{attr}", Input).placeholder = text
        # What the kind does not take is greyed and skipped by Tab (a break has no
        # questions, turns or votes), unless something is written there: then it
        # stays open to be seen and removed, with validate's message beside it.
        step = self.draft.steps[index]
        try:
            kind = spec(StepKind(step.kind))
        except ValueError:
            return
        applies = {
            "questions": kind.takes_cards,
            "turns": kind.takes_turns,
            "seconds_per_turn": kind.takes_turns,
            "votes_per_person": kind.takes_votes,
        }
        for attr, taken in applies.items():
            written = bool(getattr(step, attr).strip())
            self.query_one(f"#s{index}-{attr}").disabled = not taken and not written

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        self._field_changed(event.input, event.value)

    @on(TextArea.Changed)
    def _area_changed(self, event: TextArea.Changed) -> None:
        self._field_changed(event.text_area, event.text_area.text)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._field_changed(event.select, event.value)

    def _after_change(self) -> None:
        self._show_counts()
        self._validate()
        if bool(self._history) != self._could_undo:
            self._could_undo = bool(self._history)
            self.refresh_bindings()  # Ctrl+Z comes or goes

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        where = _parse_id(event.widget.id or "")
        if where is not None and where[0] in ("p", "s"):
            self._set_current(where[0], where[1])
        self._show_problems()

    def _set_current(self, section: str, index: int) -> None:
        if section != self._current[0]:
            self.refresh_bindings()  # F4–F6 may come or go with the section
        self._current = (section, index)
        self._last[section] = index
        self._mark_current()

    def _mark_current(self) -> None:
        for widget in self.query(".editor-person, .editor-step"):
            widget.set_class(widget.id == f"{self._current[0]}{self._current[1]}", "-current")

    # -- problems -------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        """Something typed that is not on disk."""
        return self.draft.data() != self._saved_data

    def _validate(self) -> None:
        self._problems = self.draft.problems(self.path)
        bad = {field for loc, _ in self._problems if (field := _field_id(loc))}
        for field in self._invalid ^ bad:
            for widget in self.query(f"#{field}"):
                widget.set_class(field in bad, "-invalid")
        self._invalid = bad
        self._show_problems()

    @staticmethod
    def _say(problem: Problem) -> str:
        # Said as `validate` says it: positions counted from one, the path kept.
        return f"{problem.named_field()}: {problem.message}" if problem.field else problem.message

    def _show_problems(self) -> None:
        line = self.query_one("#editor-problems", Static)
        line.set_class(bool(self._problems), "-problems")
        if not self._problems:
            self._update("editor-problems", t("editor.no_problems"))
            return
        focused = self.focused.id if self.focused is not None else None
        here = [p for loc, p in self._problems if _field_id(loc) == focused and focused]
        first = here[0] if here else self._problems[0][1]
        text = self._say(first)
        if len(self._problems) > 1:
            text = t("editor.problems_more", problem=text, count=len(self._problems) - 1)
        self._update("editor-problems", text)

    def _focus_field(self, field_id: str | None) -> None:
        if field_id is None:
            return
        found = self.query(f"#{field_id}")
        if found:
            # At once, not as widget.focus() does (after the messages queued now):
            # keys typed while a list was rebuilt must reach this field, not the
            # one Textual chose when the focused row was removed.
            self.set_focus(found.first())
            found.first().scroll_visible()

    # -- roster and steps -----------------------------------------------------

    def _entries(self, section: str) -> list[Any]:
        return self.draft.participants if section == "p" else self.draft.steps

    async def _structure(self, section: str, index: int, focus_attr: str) -> None:
        self._set_current(section, index)
        await self._rebuild_lists(section)
        self._after_change()
        self._focus_field(f"{section}{index}-{focus_attr}")

    async def action_add_person(self) -> None:
        """A new line at the end of the roster."""
        self._remember(None)
        self.draft.participants.append(PersonDraft())
        index = len(self.draft.participants) - 1
        roster = self.query_one("#editor-roster", Vertical)
        if index == 0:
            await roster.remove_children()  # the "nobody yet" note
        # Only the new row: the others stand as they are.
        await roster.mount(self._person_row(index, self.draft.participants[-1]))
        self._set_current("p", index)
        self._after_change()
        self._focus_field(f"p{index}-name")

    async def action_add_step(self) -> None:
        """A new step after the current one (a share step: change its kind)."""
        self._follow_focus()
        self._remember(None)
        section, index = self._current
        at = index + 1 if section == "s" else len(self.draft.steps)
        at = min(at, len(self.draft.steps))
        self.draft.steps.insert(at, StepDraft())
        await self._structure("s", at, "kind")

    async def _move(self, section: str, delta: int) -> None:
        entries = self._entries(section)
        index = self._current[1] if self._current[0] == section else -1
        if not 0 <= index < len(entries) or not 0 <= index + delta < len(entries):
            return
        self._remember(None)
        entries.insert(index + delta, entries.pop(index))
        attr = "name" if section == "p" else "kind"
        await self._structure(section, index + delta, attr)

    async def _remove(self, section: str) -> None:
        entries = self._entries(section)
        index = self._current[1] if self._current[0] == section else -1
        if not 0 <= index < len(entries):
            return
        self._remember(None)
        entries.pop(index)
        attr = "name" if section == "p" else "kind"
        await self._structure(section, min(index, max(len(entries) - 1, 0)), attr)

    def _follow_focus(self) -> None:
        # The field being typed in, even before its focus event has arrived.
        where = _parse_id(self.focused.id or "") if self.focused is not None else None
        if where is not None and where[0] in ("p", "s"):
            self._set_current(where[0], where[1])

    async def action_move_up(self) -> None:
        """The current roster entry or step one place up."""
        self._follow_focus()
        await self._move(self._current[0], -1)

    async def action_move_down(self) -> None:
        """The current roster entry or step one place down."""
        self._follow_focus()
        await self._move(self._current[0], 1)

    async def action_remove(self) -> None:
        """Remove the current roster entry or step (Ctrl+Z brings it back)."""
        self._follow_focus()
        await self._remove(self._current[0])

    def action_import_roster(self) -> None:
        """Members from the office's spreadsheet (CSV or Excel), appended to the roster."""
        from chie_kokan.tui.screens.roster_import import RosterImportScreen

        # Who is on the form already shows as skipped in the preview, never added twice.
        roster = [Participant(name=p.name) for p in self.draft.participants if p.name.strip()]
        self.app.push_screen(RosterImportScreen(self.path.parent, roster), self._imported)

    async def _imported(self, people: list[Participant] | None) -> None:
        if not people:
            return
        names = {person.name.strip() for person in self.draft.participants}
        added = [p for p in people if p.name.strip() not in names]
        if added:
            self._remember(None)
            for person in added:
                self.draft.participants.append(
                    PersonDraft(person.name, person.organization, person.role, person.table)
                )
            await self._structure("p", len(self.draft.participants) - 1, "name")
        self.notify(t("editor.imported", added=len(added), skipped=len(people) - len(added)))

    async def action_undo(self) -> None:
        """Take back the last change to the form."""
        if not self._history:
            self.notify(t("editor.nothing_to_undo"))
            return
        step = self._history.pop()
        self._last_field = None
        before, self.draft = self.draft, step.draft
        # Fields take their old values; only a list whose length changed is built again.
        changed = {name: getattr(self.draft, name) for name in _TOP_FIELDS}
        rebuild = ""
        for section, old, new in (
            ("p", before.participants, self.draft.participants),
            ("s", before.steps, self.draft.steps),
        ):
            if len(old) != len(new):
                rebuild += section
                continue
            for index, (was, now) in enumerate(zip(old, new, strict=True)):
                for attr in vars(now):
                    if attr != "origin" and getattr(was, attr) != getattr(now, attr):
                        changed[f"{section}{index}-{attr}"] = getattr(now, attr)
        with self.prevent(Input.Changed, TextArea.Changed, Select.Changed):
            for field, value in changed.items():
                self._set_widget(field if "-" in field else f"f-{field}", value)
        if rebuild:
            await self._rebuild_lists(rebuild)
        for index in range(len(self.draft.steps)):
            self._refresh_step(index)
        self._after_change()
        self._focus_field(step.focus)

    def _set_widget(self, widget_id: str, value: str) -> None:
        for widget in self.query(f"#{widget_id}"):
            if isinstance(widget, TextArea):
                if widget.text != value:
                    widget.text = value
            elif isinstance(widget, Select | Input) and widget.value != value:
                widget.value = value

    # -- saving ---------------------------------------------------------------

    def action_save(self, then_leave: bool = False) -> None:
        """Check, then write the file (Ctrl+S)."""
        if self._saving:
            return
        if not then_leave:
            self._quit_after = False  # a plain save: leaving was not asked for
        if self._problems:
            self._quit_after = False  # not saved: the editor stays, and so does the app
            loc, problem = self._problems[0]
            self.notify(
                t(
                    "editor.not_saved_problems",
                    count=len(self._problems),
                    problem=self._say(problem),
                ),
                severity="error",
                timeout=10,
            )
            self._focus_field(_field_id(loc))
            return
        text = file_text(self.draft, self._text)
        if self._changed_on_disk():
            self._offer_new_name(text, then_leave)
            return
        self._confirm_lost_comments(self.path, text, then_leave)

    def _changed_on_disk(self) -> bool:
        try:
            now = self.path.read_bytes()
        except FileNotFoundError:
            now = None
        except OSError:
            return True
        return now != self._raw

    def _offer_new_name(self, text: str, then_leave: bool) -> None:
        other = free_path(self.path.parent, self.path.stem)
        message = t(
            "editor.changed_on_disk", file=visible(self.path.name), other=visible(other.name)
        )

        def decided(yes: bool | None) -> None:
            if yes:
                self._confirm_lost_comments(other, text, then_leave, new_file=True)
            else:
                self._quit_after = False

        self.app.push_screen(ConfirmDialog(message, t("editor.save_as_new")), decided)

    def _confirm_lost_comments(
        self, path: Path, text: str, then_leave: bool, *, new_file: bool = False
    ) -> None:
        lost = lost_comments(self._text, text)
        if not lost:
            self._write(path, text, then_leave, new_file or self._raw is None)
            return
        shown = "\n".join(f"  # {visible(line)}" for line in lost[:6])
        if len(lost) > 6:
            shown += "\n" + t("editor.comments_more", count=len(lost) - 6)
        message = t("editor.comments_lost", comments=shown)

        def decided(yes: bool | None) -> None:
            if yes:
                self._write(path, text, then_leave, new_file or self._raw is None)
            else:
                self._quit_after = False

        self.app.push_screen(ConfirmDialog(message, t("editor.save_anyway")), decided)

    def _write(self, path: Path, text: str, then_leave: bool, new_file: bool) -> None:
        self._saving = True
        self._save_worker(path, text, then_leave, new_file)

    @work(thread=True, exclusive=True, group="editor-save")
    def _save_worker(self, path: Path, text: str, then_leave: bool, new_file: bool) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, text.encode("utf-8"), overwrite=not new_file)
        except FileExistsError:
            self.post_message(self.NotSaved(t("editor.appeared", file=visible(path.name))))
            return
        except (OSError, ValueError) as error:  # ValueError: a NUL in the name
            strerror = getattr(error, "strerror", None)
            detail = t("cli.write_failed", file=visible(path), detail=strerror or str(error))
            self.post_message(self.NotSaved(detail))
            return
        self.post_message(self.Saved(path, text, then_leave))

    @on(Saved)
    def _saved(self, message: Saved) -> None:
        self._saving = False
        self.path = message.path
        self._text = message.text
        self._raw = message.text.encode("utf-8")
        data = self.draft.data()
        self._saved_data = data
        # The file now lists them in this order: that is where each comes from.
        for index, person in enumerate(self.draft.participants):
            person.origin = index
        for index, step in enumerate(self.draft.steps):
            step.origin = index
        self.draft.rules_written = "ground_rules" in data
        self.draft.steps_written = "steps" in data
        self._history.clear()  # earlier forms refer to the file before this save
        self._last_field = None
        self.query_one("#editor-file", Static).update(t("editor.heading", file=self._shown_path()))
        self.notify(t("editor.saved", file=visible(self.path)))
        if message.then_leave:
            self._leave()

    @on(NotSaved)
    def _not_saved(self, message: NotSaved) -> None:
        self._saving = False
        self._quit_after = False
        self.notify(message.detail, severity="error", timeout=15)

    # -- leaving --------------------------------------------------------------

    def action_leave(self, quit_app: bool = False) -> None:
        """Back (Esc); with unsaved changes, ask first: save, discard, or stay."""
        self._quit_after = quit_app
        if not self.dirty:
            self._leave()
            return

        def decided(choice: str | None) -> None:
            if choice == "save":
                self.action_save(then_leave=True)
            elif choice == "discard":
                self._leave()
            else:
                self._quit_after = False

        self.app.push_screen(LeaveDialog(), decided)

    def _leave(self) -> None:
        if self._quit_after:
            self.app.exit(0)
        else:
            self.dismiss(self.path if self._raw is not None else None)

    # -- keys -----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move_up", "move_down", "remove"):
            return bool(self._entries(self._current[0]))
        if action == "undo":
            return bool(self._history)
        return True

    @on(Button.Pressed)
    async def _pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        section_actions = {
            "editor-person-up": ("p", "move_up"),
            "editor-person-down": ("p", "move_down"),
            "editor-person-remove": ("p", "remove"),
            "editor-step-up": ("s", "move_up"),
            "editor-step-down": ("s", "move_down"),
            "editor-step-remove": ("s", "remove"),
        }
        actions = {
            "editor-undo-button": "undo",
            "editor-save-button": "save",
            "editor-leave-button": "leave",
            "editor-add-person": "add_person",
            "editor-add-step": "add_step",
            "editor-import": "import_roster",
        }
        if button in section_actions:
            event.stop()
            section, action = section_actions[button]
            # A section's button acts on that section's current entry.
            self._set_current(section, self._last[section])
            await self.run_action(action)
        elif button in actions:
            event.stop()
            await self.run_action(actions[button])

    def palette_help(self, key: Key) -> str:
        name = key.label.rpartition(".")[2]
        return t(f"editor.help.{name}", key=key.display())
