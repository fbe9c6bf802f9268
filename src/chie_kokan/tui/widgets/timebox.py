"""The step's time box: remaining minutes in large digits, as large as there is room for."""

from __future__ import annotations

from itertools import groupby

from rich.cells import cell_len
from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.widgets import Digits

from chie_kokan.i18n import t
from chie_kokan.tui.glyphs import SEPARATOR

# A 3×5 pixel font for the clock face ("#" lit). A pixel is a run of
# reverse-video spaces, two columns by one row per step of scale: square on a
# terminal, solid in every font (block glyphs such as █ vary by font and leave
# gaps), and the strokes thicken as the digits grow. The operator's screen and
# the audience display both draw their clock with it.
_FONT: dict[str, tuple[str, ...]] = {
    "0": ("###", "#.#", "#.#", "#.#", "###"),
    "1": (".#.", "##.", ".#.", ".#.", "###"),
    "2": ("###", "..#", "###", "#..", "###"),
    "3": ("###", "..#", ".##", "..#", "###"),
    "4": ("#.#", "#.#", "###", "..#", "..#"),
    "5": ("###", "#..", "###", "..#", "###"),
    "6": ("###", "#..", "###", "#.#", "###"),
    "7": ("###", "..#", ".#.", ".#.", ".#."),
    "8": ("###", "#.#", "###", "#.#", "###"),
    "9": ("###", "#.#", "###", "..#", "###"),
    ":": (".", "#", ".", "#", "."),
    "+": ("...", ".#.", "###", ".#.", "..."),
    "-": ("...", "...", "###", "...", "..."),
    " ": ("...",) * 5,
}


def clock_face(seconds: float) -> str:
    """Seconds as M:SS (or H:MM:SS), rounded so a fresh 15-minute box shows 15:00."""
    whole = int(abs(seconds) + 0.999) if seconds > 0 else int(abs(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def face_pixels(face: str) -> int:
    """How many pixels wide ``face`` is in the block font (one blank pixel between glyphs)."""
    glyphs = [_FONT.get(char, _FONT[" "]) for char in face]
    return sum(len(glyph[0]) for glyph in glyphs) + max(len(glyphs) - 1, 0)


def block_face(face: str, scale: int) -> Text:
    """``face`` in the block font, each pixel ``2 × scale`` columns by ``scale`` rows."""
    text = Text(no_wrap=True, overflow="crop")
    for row in range(5):
        pixels = ".".join(_FONT.get(char, _FONT[" "])[row] for char in face)
        line = Text()
        for lit, run in ((key == "#", len(list(group))) for key, group in groupby(pixels)):
            line.append(" " * (2 * scale * run), style="reverse" if lit else "")
        for _ in range(scale):
            if text:
                text.append("\n")
            text.append_text(line)
    return text


class ClockDigits(Digits):
    """``Digits`` that grow: where ``max_scale`` allows, a block font as large as fits.

    At scale 0 (or where the width is short) it is Textual's own three-line
    ``Digits``. The scale follows the width it is given and ``max_rows``.
    """

    DEFAULT_CSS = """
    ClockDigits { width: 1fr; text-align: center; }
    """

    def __init__(self, value: str = "", **kwargs: object) -> None:
        super().__init__(value, **kwargs)  # type: ignore[arg-type]
        self.max_scale = 0
        self.max_rows = 3

    def set_limits(self, max_scale: int, max_rows: int) -> None:
        """How large the clock may grow (set by the screen from its size)."""
        if (max_scale, max_rows) != (self.max_scale, self.max_rows):
            self.max_scale, self.max_rows = max_scale, max_rows
            self.refresh(layout=True)

    def scale(self, width: int) -> int:
        """The block font's scale at ``width`` columns (0: the three-line Digits)."""
        fits = width // (2 * max(face_pixels(self.value), 1))
        return max(0, min(self.max_scale, fits, self.max_rows // 5))

    def _fits_digits(self, width: int) -> bool:
        return len(self.value) * 3 <= width  # Digits draws every character 3 cells wide

    def get_content_width(self, container: Size, viewport: Size) -> int:
        scale = self.scale(container.width)
        if scale:
            return 2 * scale * face_pixels(self.value)
        if not self._fits_digits(container.width):
            return len(self.value)
        return super().get_content_width(container, viewport)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        scale = self.scale(width)
        if scale:
            return 5 * scale
        return 3 if self._fits_digits(width) else 1

    def update(self, value: str) -> None:
        changed = len(value) != len(self.value)
        super().update(value)
        if changed:
            self.refresh(layout=True)  # another width: maybe another scale

    def render(self) -> RenderableType:
        width = self.content_region.width
        scale = self.scale(width)
        if scale:
            text = block_face(self.value, scale)
        elif self._fits_digits(width):
            return super().render()
        else:
            # Too wide even for Digits (hours over time in a small window): words, not cut.
            text = Text(self.value, style="bold")
        text.justify = "center" if self.styles.text_align == "center" else "left"
        return text


class TimeBox(Vertical):
    """Remaining time; warns in the last 20 % and says so in words when over."""

    DEFAULT_CSS = """
    TimeBox {
        height: auto;
        padding: 0 1;
        border: round $primary;
    }
    TimeBox { border-title-style: bold; border-title-color: $foreground; }
    TimeBox Digits { width: 1fr; }
    TimeBox.-warning { border: heavy $warning; }
    TimeBox.-warning { border-title-color: $warning; }
    TimeBox.-over { border: heavy $error; }
    TimeBox.-over { border-title-color: $error; }
    TimeBox.-over Digits { color: $error; }
    TimeBox.-paused Digits { text-style: dim; }
    """

    def compose(self) -> ComposeResult:
        yield ClockDigits("0:00", id="time-digits")

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
            # Short: the title must fit a 30-column side panel (80×24); F5 is in the footer.
            paused = t("layout.time_paused_short")
            label = f"{label} {SEPARATOR} {paused}"
            # A narrower box (the display at 60×20) says only that the clock is stopped:
            # the digits already say it is the time left.
            if self.size.width and cell_len(label) + 6 > self.size.width:
                label = paused
        self.border_title = label
        face = clock_face(remaining)
        self.query_one("#time-digits", Digits).update(f"+{face}" if over else face)
