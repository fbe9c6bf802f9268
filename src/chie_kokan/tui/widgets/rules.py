"""The ground rules, always on screen."""

from __future__ import annotations

from chie_kokan.i18n import t
from chie_kokan.tui.widgets.japanese_text import WrappedText
from chie_kokan.tui.widgets.step_track import circled


class GroundRules(WrappedText):
    """お約束: numbered, wrapped with Japanese line-breaking rules, calm."""

    DEFAULT_CSS = """
    GroundRules {
        height: auto;
        padding: 0 1;
        background: $surface;
        border-top: solid $primary;
        border-title-style: bold;
        border-title-color: $foreground;
    }
    """

    def __init__(self, rules: list[str], **kwargs: object) -> None:
        text = "\n".join(f"{circled(i)}{rule}" for i, rule in enumerate(rules, 1))
        super().__init__(text, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.border_title = t("tui.rules_title")
