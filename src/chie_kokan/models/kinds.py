"""Step kinds as data: one table says what each kind takes and how it shows.

The engine, the screens, the minutes and the scenario template ask this
table (``spec(kind).takes_votes``) instead of repeating ``kind == …`` checks,
so a new kind is a new row here plus its words in the two catalogs
(``[step.<kind>]``: short, title, prompt, questions, purpose, and for a kind
without cards or turns the lines that say so).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class StepKind(StrEnum):
    """The vocabulary of steps, from the council's own material."""

    OPENING = "opening"
    SHARE = "share"
    PICK = "pick"
    EXCHANGE = "exchange"
    SPREAD = "spread"
    REFLECT = "reflect"
    BREAK = "break"
    REPORT = "report"


class TurnMode(StrEnum):
    ROUND = "round"
    """Everyone in seat order."""
    FREE = "free"
    """Whoever raises a hand."""


MinutesBlock = Literal[
    "cards", "troubles", "results", "questions", "examples", "closings", "line", "tables"
]
"""How a step's cards appear in the minutes (the templates' ``s.shows``):
``cards`` is the generic list; ``line`` is one line with the time box, no
heading and no cards (a break); ``tables`` the cards under each table's name
(a report)."""


@dataclass(frozen=True)
class KindSpec:
    """What one kind of step takes, and how it appears."""

    minutes: int
    """The time box when the scenario gives none."""
    turns: TurnMode
    """round or free when the scenario gives none."""
    standard: bool = False
    """Part of the standard flow (a scenario without ``steps``), in table order."""
    takes_cards: bool = True
    """Enter records what is said as a card."""
    takes_turns: bool = True
    """People take the floor (F2/F3/F4, the speaker panel, speaking time)."""
    takes_votes: bool = False
    """Cards are grouped and voted on (F9), and troubles picked."""
    takes_target: bool = False
    """Each card answers a picked trouble (the one being discussed)."""
    takes_examples: bool = False
    """A card is a success example: what, who runs it, where."""
    shows_case: bool = False
    """The theme and the case are on screen (and what is reported back)."""
    shows_actions: bool = False
    """The action items so far are on screen."""
    resources: bool = False
    """A card may be marked as a local resource (Ctrl+R)."""
    troubles: bool = False
    """Its cards are troubles: they can be voted on and picked."""
    default_votes: int | None = None
    """Votes per person when the scenario gives none (kinds that take votes)."""
    minutes_shows: MinutesBlock = "cards"
    """How its cards appear in the minutes."""
    by_table: bool = False
    """Its round goes by table, one presenter a table, and each card keeps the
    table it reports for (when members carry tables; see ``engine.round_seats``)."""


KINDS: dict[StepKind, KindSpec] = {
    StepKind.OPENING: KindSpec(5, TurnMode.FREE, standard=True, shows_case=True),
    StepKind.SHARE: KindSpec(
        20, TurnMode.ROUND, standard=True, troubles=True, minutes_shows="troubles"
    ),
    StepKind.PICK: KindSpec(
        15,
        TurnMode.FREE,
        standard=True,
        takes_votes=True,
        troubles=True,
        default_votes=3,
        minutes_shows="results",
    ),
    StepKind.EXCHANGE: KindSpec(
        25,
        TurnMode.ROUND,
        standard=True,
        takes_target=True,
        resources=True,
        minutes_shows="questions",
    ),
    StepKind.SPREAD: KindSpec(
        15,
        TurnMode.FREE,
        standard=True,
        takes_examples=True,
        shows_actions=True,
        resources=True,
        minutes_shows="examples",
    ),
    StepKind.REFLECT: KindSpec(
        10, TurnMode.ROUND, standard=True, shows_actions=True, minutes_shows="closings"
    ),
    # A time box and nothing else: no cards, nobody has the floor, one line in the minutes.
    StepKind.BREAK: KindSpec(
        10, TurnMode.FREE, takes_cards=False, takes_turns=False, minutes_shows="line"
    ),
    # グループ発表: when tables meet, each table's recorder presents in turn: the
    # round goes by table, each card keeps its table, and the minutes group the
    # cards by table (also when each table ran its own session file).
    StepKind.REPORT: KindSpec(10, TurnMode.ROUND, by_table=True, minutes_shows="tables"),
}


def spec(kind: StepKind) -> KindSpec:
    """What ``kind`` takes and how it shows."""
    return KINDS[kind]


def catalog_words(kind: StepKind) -> list[str]:
    """The catalog keys a kind needs (``step.<kind>.…``), from what it takes."""
    s = spec(kind)
    words = ["short", "title", "prompt", "questions", "purpose"]
    if not s.takes_cards:
        words += ["entry", "no_cards"]  # the entry line's placeholder; Enter's notice
    if not s.takes_turns:
        words += ["no_turns", "panel", "panel_note"]  # F2/F3/F4's notice; the speaker panel
    if s.minutes_shows == "line":
        words.append("minutes_line")
    return [f"step.{kind.value}.{word}" for word in words]


STANDARD_FLOW: tuple[tuple[StepKind, int, TurnMode], ...] = tuple(
    (kind, s.minutes, s.turns) for kind, s in KINDS.items() if s.standard
)
"""The standard flow for a 90-minute meeting when a scenario omits ``steps``."""
