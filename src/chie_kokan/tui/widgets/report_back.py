"""前回からの報告: every item promised earlier, with how it stands, on the opening step."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from chie_kokan.i18n import t
from chie_kokan.models import ReportItem
from chie_kokan.report_back import key
from chie_kokan.tui.glyphs import SEPARATOR


def item_id(item: ReportItem) -> str:
    """One option id per item: the session that promised it and the action's id."""
    return "/".join(key(item))


def status_label(item: ReportItem) -> str:
    """済 / 継続 / 中止, or 未報告 while not discussed."""
    return t(f"report_back.{item.status or 'open'}")


def item_text(item: ReportItem) -> Text:
    """One item as the room reads it: status, what, who, by when, the note."""
    text = Text()
    text.append(f"【{status_label(item)}】", style="bold" if item.status else "dim")
    text.append(item.what, style="bold")
    if item.who:
        text.append(f"  {t('tui.action_who', who=item.who)}")
    if item.due:
        text.append(f"  {t('tui.action_due', due=item.due)}")
    if item.note:
        text.append(f"  {SEPARATOR}{item.note}", style="italic")
    return text


class ReportBackList(OptionList):
    """The items to report on; the highlighted one is the one the keys mark."""

    DEFAULT_CSS = """
    ReportBackList {
        height: auto;
        max-height: 1fr;
        min-height: 3;
        border: round $panel;
        padding: 0 1;
        border-title-color: $foreground;
        border-title-style: bold;
    }
    ReportBackList:focus { border: round $accent; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.items: list[ReportItem] = []

    def show(self, items: list[ReportItem]) -> None:
        """Show ``items``; the highlight stays on the item it was on."""
        if items == self.items:
            return
        current = self.highlighted_item
        self.items = list(items)
        self.clear_options()
        self.add_options(Option(item_text(item), id=item_id(item)) for item in items)
        self.border_title = t("report_back.title")
        self.border_subtitle = t("report_back.hint")
        if items:
            ids = [item_id(item) for item in items]
            self.highlighted = (
                ids.index(item_id(current)) if current and item_id(current) in ids else 0
            )

    @property
    def highlighted_item(self) -> ReportItem | None:
        if self.highlighted is None or not 0 <= self.highlighted < len(self.items):
            return None
        return self.items[self.highlighted]

    def next_open(self) -> None:
        """Move to the next item not discussed yet (after marking one)."""
        start = self.highlighted or 0
        order = self.items[start + 1 :] + self.items[: start + 1]
        for item in order:
            if item.status is None:
                self.highlighted = self.items.index(item)
                return
