"""Whose turn it is: the speaker large, who is next, who has spoken."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from chie_kokan.engine import TableTurn
from chie_kokan.i18n import at_table, t, table_label
from chie_kokan.models import Member, Outcome, StepKind
from chie_kokan.tui.glyphs import ARROW, CURRENT, DONE
from chie_kokan.tui.widgets.timebox import clock_face


def short_name(member: Member) -> str:
    """The family name (山田 花子 → 山田), as people call each other in the room."""
    return member.name.split()[0] if member.name.split() else member.name


class SpeakerPanel(Vertical):
    """The speaker panel of the running screen."""

    DEFAULT_CSS = """
    SpeakerPanel {
        height: auto;
        padding: 0 1;
        border: round $secondary;
        border-title-color: $foreground;
    }
    SpeakerPanel #speaker-name { text-style: bold; color: $foreground; }
    SpeakerPanel #speaker-org { text-style: bold; color: $secondary; }
    SpeakerPanel #turn-timer.-over { color: $warning; text-style: bold; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: dict[str, Text | str] = {}
        self.border_title = t("tui.speaking_now")

    def compose(self) -> ComposeResult:
        # Names and organisations are shown as written: "[" is not markup.
        for part in ("speaker-name", "speaker-org", "turn-timer", "speaker-next", "round-status"):
            yield Static(id=part, markup=False)

    def show(
        self,
        speaker: Member | None,
        upcoming: list[Member],
        members: list[Member],
        status: dict[str, Outcome | None],
        turn_elapsed: float | None,
        turn_limit: int | None,
        round_number: int = 1,
        tables: Sequence[TableTurn] = (),
    ) -> None:
        """``tables``: a round by table (a report): the speaker and who is next
        are named with their table, and the round lists the tables."""
        # From the second round on, the room sees which round it is.
        self.border_title = (
            t("tui.speaking_round", number=round_number)
            if round_number > 1
            else t("tui.speaking_now")
        )
        name = speaker.name if speaker else t("tui.floor_open")
        if tables and speaker is not None:
            name = at_table(name, speaker.table)
        self._put("#speaker-name", Text(name, style="bold"))
        self._put("#speaker-org", speaker.organization if speaker else "")
        self.show_turn_timer(turn_elapsed, turn_limit)
        nexts = f" {ARROW} ".join(
            t("tables.next", table=table_label(m.table), name=short_name(m))
            if tables and m.table.strip()
            else short_name(m)
            for m in upcoming
        )
        self._put("#speaker-next", t("tui.next_speakers", names=nexts) if nexts else "")
        # ``members`` empty: no room (or no order) for the round; by table too.
        if not members:
            seats = []
        elif tables:
            seats = [(tt.current, tt.outcome, table_label(tt.table)) for tt in tables]
        else:
            seats = [
                (bool(speaker and m.id == speaker.id), status.get(m.id), short_name(m))
                for m in members
            ]
        marks = Text()
        for current, outcome, label in seats:
            if current:
                mark, style = CURRENT, "bold reverse"
            elif outcome is Outcome.SPOKE:
                mark, style = DONE, ""
            elif outcome is Outcome.PASSED:
                mark, style = t("tui.pass_mark"), "italic"
            else:
                mark, style = "・", "dim"
            if marks:
                marks.append("  ")
            marks.append(f"{mark}{label}", style=style)
        self._put("#round-status", marks)

    def show_no_turns(self, kind: StepKind) -> None:
        """A step where nobody has the floor (a break): its own words instead of a speaker."""
        self.border_title = t(f"step.{kind.value}.short")
        self._put("#speaker-name", Text(t(f"step.{kind.value}.panel"), style="bold"))
        self._put("#speaker-org", t(f"step.{kind.value}.panel_note"))
        self._put("#turn-timer", "")
        self._put("#speaker-next", "")
        self._put("#round-status", "")

    def _put(self, selector: str, content: Text | str) -> None:
        # A free step has no order and maybe no speaker: no empty lines for them.
        if self._shown.get(selector) == content:
            return  # unchanged: no layout pass
        self._shown[selector] = content
        widget = self.query_one(selector, Static)
        widget.update(content)
        widget.display = bool(str(content).strip())

    def show_turn_timer(self, elapsed: float | None, limit: int | None) -> None:
        timer = self.query_one("#turn-timer", Static)
        if elapsed is None:
            self._put("#turn-timer", "")
            timer.remove_class("-over")
            return
        # A word, not ⏱: emoji widths differ between terminals and shift the panel.
        text = t("tui.turn_time", time=clock_face(elapsed))
        if limit:
            text += t("tui.turn_limit", limit=clock_face(limit))
        over = bool(limit) and elapsed > (limit or 0)
        if over:
            text += t("tui.turn_over")
        timer.set_class(over, "-over")
        self._put("#turn-timer", text)
