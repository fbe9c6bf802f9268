"""The summary after the last step: what the room produced, who was heard."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from chie_kokan import facts
from chie_kokan.engine import SessionEngine
from chie_kokan.i18n import t
from chie_kokan.models import spec
from chie_kokan.tui.glyphs import BAR_EMPTY, BAR_FULL, PICKED, numbered
from chie_kokan.tui.widgets.timebox import clock_face

BAR_WIDTH = 20


def speaking_bars(engine: SessionEngine) -> Table:
    """Who spoke how long, as bars, with passes: has every voice been heard?"""
    # The same figures as the minutes: one rule (facts.speaking), one instant.
    spoken = facts.speaking(engine.session, until=engine.clock())
    longest = max((times.seconds for times in spoken.values()), default=0.0) or 1.0
    table = Table(show_header=False, box=None, padding=(0, 1))
    # Names, bars and times never shrink; only the note may wrap.
    widest = max((len(m.name) * 2 for m in engine.members), default=0)
    table.add_column(no_wrap=True, min_width=widest)
    table.add_column(no_wrap=True, min_width=BAR_WIDTH)
    table.add_column(no_wrap=True, min_width=5, justify="right")
    table.add_column(ratio=1)
    for member in engine.members:
        times = spoken[member.id]
        seconds = times.seconds
        filled = round(BAR_WIDTH * seconds / longest)
        bar = BAR_FULL * filled + BAR_EMPTY * (BAR_WIDTH - filled)
        note = t("tui.summary_passes", count=times.passes) if times.passes else ""
        if seconds == 0:
            note = (note + " " + t("tui.summary_silent")).strip()
        table.add_row(member.name, bar, clock_face(seconds), note)
    return table


def cards_per_step(engine: SessionEngine) -> Table:
    """How many cards each step gave; steps that take none (a break) are left out."""
    counts = Table(show_header=False, box=None, padding=(0, 2))
    counts.add_column(no_wrap=True)
    counts.add_column(justify="right", no_wrap=True)
    per_step = facts.counts(engine.session).per_step
    for index, (step, cards) in enumerate(zip(engine.steps, per_step, strict=True)):
        if spec(step.kind).takes_cards:
            counts.add_row(
                f"{numbered(index + 1)} {step.title}", t("tui.summary_cards", count=cards)
            )
    return counts


def summary_text(engine: SessionEngine) -> Group:
    """Counts per step, picked troubles with votes, action items, speaking time."""
    session = engine.session
    parts: list[Text | Table] = [Text(t("tui.summary_counts"), style="bold")]
    parts.append(cards_per_step(engine))
    parts.append(Text("\n" + t("tui.summary_picked"), style="bold"))
    picked = engine.picked_troubles()
    if picked:
        for trouble in picked:
            votes = t("tui.votes", count=trouble.votes)
            parts.append(Text(f"  {PICKED} {trouble.title}  {votes}"))
    else:
        parts.append(Text("  " + t("tui.summary_none")))
    parts.append(Text("\n" + t("tui.actions"), style="bold"))
    if session.actions:
        for item in session.actions:
            who = t("tui.action_who", who=item.who) if item.who else ""
            due = t("tui.action_due", due=item.due) if item.due else ""
            parts.append(Text(f"  ・{item.what}　{who}　{due}".rstrip()))
    else:
        parts.append(Text("  " + t("tui.summary_none")))
    parts.append(Text("\n" + t("tui.summary_speaking"), style="bold"))
    parts.append(speaking_bars(engine))
    parts.append(Text("\n" + t("tui.summary_next"), style="italic"))
    return Group(*parts)
