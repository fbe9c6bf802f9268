"""The footer of the running screen: every key shown, in rows where one row is too short.

Textual's ``Footer`` is one line that cuts off what does not fit: at 80
columns (a projector with a large font) half the keys were gone. Here the
keys wrap into an even grid of as many rows as they need.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.events import Resize
from textual.widgets import Footer


class KeyFooter(Footer):
    """A ``Footer`` whose keys wrap into rows on a narrow screen."""

    def on_resize(self, event: Resize) -> None:
        self.fit()

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self.fit)

    _shown: Hashable = None
    """What the footer was last composed from (see :meth:`recompose`)."""

    async def recompose(self) -> None:
        # Textual recomposes the footer on every change of bindings, and a screen
        # changes them a dozen times while it opens (each focus, each refresh of
        # what applies), mostly to the same keys: each recompose mounts and styles
        # every key again (a tenth of the running screen's start-up). The footer
        # is rebuilt only when what it shows changed.
        if not self.is_attached:
            return  # its screen is gone (Textual's own recompose does the same)
        shown = self._what_it_shows()
        if shown == self._shown:
            return
        self._shown = shown
        await super().recompose()
        self.fit()

    def _what_it_shows(self) -> Hashable:
        """Everything :meth:`Footer.compose` reads: the keys shown, how, and whether enabled."""
        keys = tuple(
            (binding.key, self.app.get_key_display(binding), binding.description,
             binding.action, binding.group, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )  # fmt: skip
        return (self.compact, self.show_command_palette, self.combine_groups, keys)

    def fit(self) -> None:
        """One row where the keys fit in one, else an even grid of whole keys."""
        keys = list(self.query_children("FooterKey"))  # the keys Footer composes
        width = self.size.width or self.app.size.width
        if not keys or not width:
            return
        sizes = [key.render().cell_len + key.styles.margin.right for key in keys]
        if sum(sizes) <= width:
            self.styles.layout = "horizontal"
            self.styles.height = 1
            return
        columns = max(1, min(len(keys), width // max(sizes)))
        self.styles.layout = "grid"
        self.styles.grid_size_columns = columns
        self.styles.height = -(-len(keys) // columns)
