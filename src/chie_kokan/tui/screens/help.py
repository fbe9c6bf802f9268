"""F1: every key, and what each step is for."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from chie_kokan.i18n import t
from chie_kokan.models import Step
from chie_kokan.tui.glyphs import numbered
from chie_kokan.tui.keys import Key, LocalizedKeys, key_name
from chie_kokan.tui.widgets.key_footer import KeyFooter


class HelpScreen(LocalizedKeys, ModalScreen[None]):
    """Keys and step purposes; any of F1, Escape or q closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; background: $background 70%; }
    HelpScreen > VerticalScroll {
        width: 90%; max-width: 120; height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    """
    KEYS: tuple[Key, ...] = (Key("escape,f1,q", "dismiss", "polish.close"),)

    def __init__(self, keys: tuple[Key, ...], steps: list[Step]) -> None:
        super().__init__()
        self.keys = keys
        self.steps = steps

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Text(t("help.title"), style="bold"))
            keys = Table(show_header=False, box=None, padding=(0, 2))
            keys.add_column(style="bold", no_wrap=True)
            keys.add_column(overflow="fold")  # long Japanese lines wrap, never "…"
            # One row per action: F9 and + both vote, so they share a row.
            by_label: dict[str, list[Key]] = {}
            for key in self.keys:
                by_label.setdefault(key.label, []).append(key)
            for label, same in by_label.items():
                on_board = all(key.action.startswith("screen.") for key in same)
                where = t("help.on_board") if on_board else ""
                shown = " / ".join(key.display() for key in same)
                keys.add_row(shown, f"{t(f'help.{label}')}{where}")
            keys.add_row(key_name("enter"), t("help.enter"))
            keys.add_row(key_name("ctrl+p"), t("help.palette"))
            yield Static(keys)
            yield Static(Text("\n" + t("help.floor_title"), style="bold"))
            yield Static(Text(t("help.floor")))
            yield Static(Text("\n" + t("help.steps_title"), style="bold"))
            steps = Table(show_header=False, box=None, padding=(0, 2))
            steps.add_column(style="bold", no_wrap=True)
            steps.add_column(overflow="fold")
            for number, step in enumerate(self.steps, start=1):
                purpose = t(f"step.{step.kind.value}.purpose")
                steps.add_row(
                    f"{numbered(number)} {step.title}",
                    t("help.step_line", purpose=purpose, minutes=step.minutes),
                )
            yield Static(steps)
            yield Static(Text("\n" + t("help.close"), style="italic"))
            yield Button(t("setup.button", label=t("polish.close"), key=key_name("escape")))
        yield KeyFooter()

    @on(Button.Pressed)
    def _close_pressed(self) -> None:
        self.dismiss()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """Closing, for the command palette (the help itself is the list of keys)."""
        yield SystemCommand(
            t("polish.close"), t("polish.close_help", key=key_name("escape")), self.dismiss
        )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
