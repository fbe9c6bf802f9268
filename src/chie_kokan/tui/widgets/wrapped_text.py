"""Text wrapped the Japanese way (``tui/line_breaking.py``), as a widget."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from chie_kokan.tui.line_breaking import wrap


def _as_content(content: Content | Text | str) -> Content:
    if isinstance(content, Text):
        return Content.from_rich_text(content)
    return Content(content) if isinstance(content, str) else content


class WrappedText(Widget):
    """Text wrapped the Japanese way; clipped to ``max_lines`` with an ellipsis."""

    DEFAULT_CSS = """
    WrappedText { height: auto; }
    """

    def __init__(
        self,
        content: Content | Text | str = "",
        *,
        max_lines: int | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.content = _as_content(content)
        self.max_lines = max_lines

    def update(self, content: Content | Text | str) -> None:
        self.content = _as_content(content)
        self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((cell_len(line) for line in self.content.plain.split("\n")), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap(self.content, width, self.max_lines))

    def render(self) -> Content:
        return Content("\n").join(wrap(self.content, self.content_region.width, self.max_lines))
