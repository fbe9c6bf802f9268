"""The ground rules, always on screen."""

from __future__ import annotations

from rich.text import Text

from chie_kokan.i18n import t
from chie_kokan.tui.glyphs import numbered
from chie_kokan.tui.widgets.wrapped_text import WrappedText


def numbered_rules(rules: list[str]) -> str:
    """One rule a line, each with its number."""
    return "\n".join(f"{numbered(i)}{rule}" for i, rule in enumerate(rules, 1))


class GroundRules(WrappedText):
    """お約束: numbered, wrapped with Japanese line-breaking rules, calm.

    On a short screen (``inline``) the title leads the first rule instead of
    taking a line of its own in the border.
    """

    DEFAULT_CSS = """
    GroundRules {
        height: auto;
        padding: 0 1;
        background: $surface;
        border-top: solid $primary;
        border-title-style: bold;
        border-title-color: $foreground;
    }
    GroundRules.-inline { border-top: none; }
    """

    def __init__(self, rules: list[str], **kwargs: object) -> None:
        self.rules_text = numbered_rules(rules)
        super().__init__(self.rules_text, **kwargs)  # type: ignore[arg-type]

    def show_rules(self, rules: list[str]) -> None:
        """Other rules (another session put in the file's place), the title where it was."""
        self.rules_text = numbered_rules(rules)
        inline = self.has_class("-inline")
        self.set_class(not inline, "-inline")  # so show_inline draws it again
        self.show_inline(inline)

    def on_mount(self) -> None:
        self.border_title = t("tui.rules_title")

    def show_inline(self, inline: bool) -> None:
        """The title in the text (a short screen) or in the border line above."""
        if inline == self.has_class("-inline"):
            return
        self.set_class(inline, "-inline")
        if inline:
            text = Text()
            text.append(f"{t('tui.rules_title')} ", style="bold")
            text.append(self.rules_text)
            self.update(text)
        else:
            self.update(self.rules_text)
