"""Small modal dialogs: fill a form, confirm, choose from a list.

Enter moves to the next text field and submits from the last; on a choice
(a list in a form), Enter takes the highlighted entry the same way. Escape
cancels. Every dialog also has buttons, for the mouse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList
from textual.widgets.option_list import Option

from chie_kokan.i18n import t
from chie_kokan.tui.keys import Key, LocalizedKeys, key_name
from chie_kokan.tui.widgets.key_footer import KeyFooter
from chie_kokan.tui.widgets.ticks import TickBox

R = TypeVar("R")

DIALOG_CSS = """
FormDialog, ConfirmDialog, ChooseDialog {
    align: center middle;
    background: $background 70%;
}
.dialog {
    width: 80%;
    max-width: 110;
    height: auto;
    max-height: 90%;
    border: thick $primary;
    background: $surface;
    padding: 1 2;
}
.dialog .title { text-style: bold; width: 100%; }
.dialog .buttons { height: auto; align-horizontal: right; padding: 1 0 0 0; }
.dialog .buttons Button { margin: 0 0 0 2; }
.dialog .field-label { padding: 1 0 0 0; color: $text-muted; }
.dialog OptionList { height: auto; max-height: 20; }
.dialog .fields ChoiceList { max-height: 10; }
.dialog .fields { height: auto; max-height: 60vh; }
"""


class _Dialog(LocalizedKeys, ModalScreen[R], Generic[R]):
    DEFAULT_CSS = DIALOG_CSS
    KEYS: tuple[Key, ...] = (Key("escape", "cancel", "polish.cancel"),)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def palette_commands(self) -> Iterable[SystemCommand]:
        """What the buttons do, for the command palette."""
        yield SystemCommand(
            t("tui.cancel"), t("polish.cancel_help", key=key_name("escape")), self.action_cancel
        )
        yield SystemCommand(self.ok_label, t("polish.ok_help"), self.action_ok)

    ok_label: str = ""

    def action_ok(self) -> None:
        """From the palette: as if the OK button were pressed."""
        self.query_one("#ok", Button).press()

    def _buttons(self, ok_label: str) -> Horizontal:
        return Horizontal(
            Button(t("tui.cancel"), id="cancel"),
            Button(ok_label, id="ok", variant="primary"),
            classes="buttons",
        )

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)


class ChoiceList(OptionList):
    """A list to choose one entry from, by its key; the highlighted entry is the choice."""

    def __init__(
        self, choices: Sequence[tuple[str, str]], highlight: str | None = None, **kwargs: Any
    ) -> None:
        # Names and card text are shown as typed: "[" is not markup here.
        options = (Option(label, id=key) for key, label in choices)
        super().__init__(*options, markup=False, **kwargs)
        self._initial = highlight

    def on_mount(self) -> None:
        keys = [option.id for option in self.options]
        if self._initial in keys:
            self.highlighted = keys.index(self._initial)

    @property
    def value(self) -> str | None:
        """The key of the highlighted entry (None when nothing is highlighted)."""
        option = self.highlighted_option
        return option.id if option is not None else None


@dataclass(frozen=True)
class Field:
    """One field of a form: a line of text, a yes/no box, or a choice.

    A choice (``choices``: key and label of each entry) starts on the entry
    whose key is ``value``; the form returns the key chosen.
    """

    key: str
    label: str
    value: str | bool = ""
    placeholder: str = ""
    choices: tuple[tuple[str, str], ...] = ()


class FormDialog(_Dialog[dict[str, Any]]):
    """A few labelled fields; returns {key: value} or None when cancelled."""

    def __init__(self, title: str, fields: list[Field], ok_label: str | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.ok_label = ok_label or t("tui.ok")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="title", markup=False)
            # A long form (the ten resource fields) scrolls; the buttons stay put.
            fields = VerticalScroll(classes="fields")
            fields.can_focus = False  # typing starts in the first field
            with fields:
                for field in self.fields:
                    if isinstance(field.value, bool):
                        yield TickBox(field.label, field.value, id=f"field-{field.key}")
                    elif field.choices:
                        yield Label(field.label, classes="field-label")
                        yield ChoiceList(field.choices, field.value, id=f"field-{field.key}")
                    else:
                        yield Label(field.label, classes="field-label")
                        yield Input(
                            field.value, placeholder=field.placeholder, id=f"field-{field.key}"
                        )
            yield self._buttons(self.ok_label)
        yield KeyFooter()

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for field in self.fields:
            widget = self.query_one(f"#field-{field.key}")
            result[field.key] = widget.value  # type: ignore[attr-defined]
        return result

    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    def _next_or_submit(self, event: Input.Submitted | OptionList.OptionSelected) -> None:
        # Enter in a field: on to the next line of text, or done after the last.
        fields = [self.query_one(f"#field-{field.key}") for field in self.fields]
        later = fields[fields.index(event.control) + 1 :]
        following = next((field for field in later if isinstance(field, Input)), None)
        if following is None:
            self.dismiss(self.values())
        else:
            following.focus()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(self.values())


class ConfirmDialog(_Dialog[bool]):
    """Yes or no; Enter says yes to the focused button."""

    KEYS: tuple[Key, ...] = (*_Dialog.KEYS, Key("y", "yes", "polish.yes"))

    def __init__(
        self, message: str, ok_label: str | None = None, *, default_no: bool = False
    ) -> None:
        super().__init__()
        self.message = message
        self.ok_label = ok_label or t("tui.ok")
        self.default_no = default_no
        """Enter says no: for what must not happen by a stray key."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.message, classes="title", markup=False)
            yield self._buttons(self.ok_label)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#cancel" if self.default_no else "#ok", Button).focus()

    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(True)


class ChooseDialog(_Dialog[str]):
    """Choose one from a list (a speaker, a trouble); returns its id."""

    def __init__(self, title: str, options: list[tuple[str, str]], highlight: str | None = None):
        super().__init__()
        self.title_text = title
        self.choices = options
        self.highlight = highlight
        self.ok_label = t("tui.ok")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="title", markup=False)
            yield ChoiceList(self.choices, self.highlight)
            yield self._buttons(self.ok_label)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one(ChoiceList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        chosen = self.query_one(ChoiceList).value
        if chosen is not None:
            self.dismiss(chosen)
