"""The step track across the top: every step, the current one marked."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from chie_kokan.i18n import t
from chie_kokan.tui.glyphs import ARROW, CURRENT, DONE, numbered

circled = numbered  # the screens' step, question and rule numbers (glyphs.py)


class StepTrack(Static):
    """はじめに → 共有 → 選ぶ → … with the current step reversed and marked ▶."""

    DEFAULT_CSS = """
    StepTrack {
        height: auto;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    _last: tuple[tuple[str, ...], int, bool] | None = None

    def show(self, titles: list[str], current: int, ended: bool) -> None:
        if self._last == (tuple(titles), current, ended):
            return
        self._last = (tuple(titles), current, ended)
        text = Text(no_wrap=False, justify="center")
        for index, title in enumerate(titles):
            if index:
                text.append(f"  {ARROW}  ", style="dim")
            label = f"{circled(index + 1)} {title}"
            if index == current and not ended:
                # Reverse video and a mark: the current step never depends on colour.
                text.append(f"{CURRENT} {label} ", style="bold reverse")
            elif index < current or ended:
                text.append(f"{DONE} {label}", style="")
            else:
                text.append(label, style="dim")
        if ended:
            text.append(f"  {ARROW}  ", style="dim")
            text.append(f"{CURRENT} {t('tui.summary_title')} ", style="bold reverse")
        self.update(text)
