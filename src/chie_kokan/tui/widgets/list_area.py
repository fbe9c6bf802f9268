"""A TextArea that never ends the app for being drawn a moment too early or too late.

Textual 8.2 can render a TextArea whose component styles are not there: one
just mounted before its styles were applied, or one just removed (removal
clears them) that the compositor still has on screen. Its theme then asks
for ``text-area--gutter`` and raises KeyError (textual#6528, #6208): in the
scenario editor, F3 rebuilds the steps and their text areas, and the next
frame could end the app. That frame draws this area blank instead; the next
one, with its styles in place, draws it as usual.
"""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea


class ListArea(TextArea):
    """The editor's text areas (one entry a line), drawn blank for a frame without styles."""

    def render_lines(self, crop: Region) -> list[Strip]:
        try:
            return super().render_lines(crop)
        except KeyError as error:
            if "COMPONENT_CLASSES" not in str(error):
                raise
            return [Strip.blank(crop.width)] * crop.height
