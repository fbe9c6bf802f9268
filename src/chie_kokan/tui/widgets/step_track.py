"""The step track across the top: every step, the current one marked."""

from __future__ import annotations

from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

from chie_kokan.i18n import t
from chie_kokan.tui.glyphs import ARROW, CURRENT, DONE, numbered


def track_text(
    titles: list[str],
    current: int,
    ended: bool,
    *,
    arrow: str = f"  {ARROW}  ",
    titled: bool = True,
) -> Text:
    """The track in one of its forms: roomy arrows or tight ones; every title or the current's."""
    text = Text(no_wrap=False, justify="center")
    for index, title in enumerate(titles):
        if index:
            text.append(arrow, style="dim")
        here = index == current and not ended
        label = f"{numbered(index + 1)} {title}" if titled or here else numbered(index + 1)
        if here:
            # Reverse video and a mark: the current step never depends on colour.
            text.append(f"{CURRENT} {label} ", style="bold reverse")
        elif index < current or ended:
            text.append(f"{DONE} {label}", style="")
        else:
            text.append(label, style="dim")
    if ended:
        text.append(arrow, style="dim")
        text.append(f"{CURRENT} {t('tui.summary_title')} ", style="bold reverse")
    return text


class StepTrack(Static):
    """はじめに → 共有 → 選ぶ → … with the current step reversed and marked ▶.

    One line at any width from 80 columns: where the titles do not fit, the
    arrows tighten, then only the current step keeps its title.
    """

    DEFAULT_CSS = """
    StepTrack {
        height: auto;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    _last: tuple[tuple[str, ...], int, bool] | None = None
    _drawn: tuple[tuple[tuple[str, ...], int, bool], int] | None = None

    def show(self, titles: list[str], current: int, ended: bool) -> None:
        self._last = (tuple(titles), current, ended)
        self._draw()

    def on_resize(self, event: Resize) -> None:
        self._draw()

    def _draw(self) -> None:
        if self._last is None:
            return
        width = self.content_region.width or self.app.size.width - 2
        if self._drawn == (self._last, width):
            return
        self._drawn = (self._last, width)
        titles, current, ended = self._last
        forms = [
            track_text(list(titles), current, ended),
            track_text(list(titles), current, ended, arrow=f" {ARROW} "),
            track_text(list(titles), current, ended, arrow=f" {ARROW} ", titled=False),
            track_text(list(titles), current, ended, arrow=" ", titled=False),
        ]
        # The roomiest form that fits on one line (the last wraps if nothing does).
        self.update(next((form for form in forms if form.cell_len <= width), forms[-1]))
