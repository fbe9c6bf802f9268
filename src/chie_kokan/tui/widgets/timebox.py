"""The step's time box: remaining minutes in large digits."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Digits

from chie_kokan.i18n import t
from chie_kokan.tui.glyphs import SEPARATOR


def clock_face(seconds: float) -> str:
    """Seconds as M:SS (or H:MM:SS), rounded so a fresh 15-minute box shows 15:00."""
    whole = int(abs(seconds) + 0.999) if seconds > 0 else int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class TimeBox(Vertical):
    """Remaining time; warns in the last 20 % and says so in words when over."""

    DEFAULT_CSS = """
    TimeBox {
        height: auto;
        padding: 0 1;
        border: round $primary;
    }
    TimeBox { border-title-style: bold; border-title-color: $foreground; }
    TimeBox Digits { width: auto; }
    TimeBox.-warning { border: heavy $warning; }
    TimeBox.-warning { border-title-color: $warning; }
    TimeBox.-over { border: heavy $error; }
    TimeBox.-over { border-title-color: $error; }
    TimeBox.-over Digits { color: $error; }
    TimeBox.-paused Digits { text-style: dim; }
    """

    def compose(self) -> ComposeResult:
        yield Digits("0:00", id="time-digits")

    def show(self, remaining: float, total: float, running: bool) -> None:
        over = remaining < 0
        warning = not over and total > 0 and remaining <= total * 0.2
        self.set_class(over, "-over")
        self.set_class(warning, "-warning")
        self.set_class(not running, "-paused")
        if over:
            label = t("tui.time_over")
        elif warning:
            label = t("tui.time_near_end")
        else:
            label = t("tui.time_left")
        if not running:
            label = f"{label} {SEPARATOR} {t('tui.time_paused')}"
        self.border_title = label
        face = clock_face(remaining)
        self.query_one("#time-digits", Digits).update(f"+{face}" if over else face)
