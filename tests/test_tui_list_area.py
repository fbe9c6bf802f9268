"""The editor's text areas survive a frame drawn without their styles (textual#6528).

Found by CI: F3 in the scenario editor rebuilds the steps and their text
areas, and a frame drawn at that moment ended the test with KeyError
"No 'text-area--gutter' key in COMPONENT_CLASSES".
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip

from chie_kokan.tui.widgets.list_area import ListArea


class AreaApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ListArea("見守り\n買い物")


async def test_a_text_area_drawn_after_it_was_removed_is_blank_not_a_crash() -> None:
    app = AreaApp()
    async with app.run_test(size=(40, 10)) as pilot:
        area = app.query_one(ListArea)
        assert "見守り" in "".join(strip.text for strip in area.render_lines(Region(0, 0, 20, 2)))
        await area.remove()  # removal clears its styles; the compositor may still draw it
        await pilot.pause()
        assert area.render_lines(Region(0, 0, 20, 3)) == [Strip.blank(20)] * 3
