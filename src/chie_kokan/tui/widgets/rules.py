"""The ground rules, always on screen."""

from __future__ import annotations

from rich.text import Text

from chie_kokan.i18n import t
from chie_kokan.tui.widgets.japanese_text import WrappedText
from chie_kokan.tui.widgets.step_track import circled


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
        self.rules_text = "\n".join(f"{circled(i)}{rule}" for i, rule in enumerate(rules, 1))
        super().__init__(self.rules_text, **kwargs)  # type: ignore[arg-type]

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
