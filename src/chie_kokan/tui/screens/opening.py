"""The first frame while the file is checked (issue 12: paint first, then validate).

The app opens on this at once: the terminal shows that chie-kokan is there
and which file it opens, while the models are imported and the file is
validated in a worker. It takes no keys of its own (Ctrl+Q still closes the
app) and imports nothing but Textual.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from chie_kokan.i18n import t
from chie_kokan.problems import visible


class OpeningScreen(Screen[None]):
    """「shimizu.toml を開いています…」, centred, until the meeting's screen replaces it."""

    DEFAULT_CSS = """
    OpeningScreen {
        align: center middle;
    }
    OpeningScreen > Static {
        width: auto;
        color: $text-muted;
    }
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        # The name only: the folder can be long, and the file's content is not checked yet.
        yield Static(t("opening.reading", file=visible(self.path.name)), markup=False)
