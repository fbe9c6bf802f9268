"""No symbol of ours has an ambiguous width on screen.

A terminal set up for Japanese may draw an "ambiguous" character (Unicode
East Asian Width ``A``: ★ ① → ▶ — … █) two cells wide while Textual counts
one; everything after it on the row then moves one cell right. Neither Rich
nor Textual can render "as a Japanese terminal would", so we check the
characters themselves: the glyphs module, every string literal in the TUI's
code, the catalog strings the screens show, and the text the running
screen's own widgets actually render.
"""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.app import App

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.i18n import LANGUAGES, Language, catalog
from chie_kokan.models import Scenario
from chie_kokan.storage import create_session_file
from chie_kokan.tui import glyphs
from chie_kokan.tui.app import make_app
from chie_kokan.tui.glyphs import ambiguous, numbered
from screen_helpers import screen_lines

TUI = Path(__file__).resolve().parent.parent / "src" / "chie_kokan" / "tui"

KEYCAPS = "←↑→↓"
"""The arrow keys' own names (↑ ↓ on the keycaps): allowed, and only these."""

ON_SCREEN = (
    "keys.",
    "help.",
    "tui.",
    "launcher.",
    "setup.",
    "report_back.",
    "minutes_fields.",
    "undo.",
    "lock.",
    "polish.",
    "display.",
    "layout.",
)
"""Catalog tables whose strings the screens show.

Exports, the command line and validation messages are not terminal columns."""

NOT_DRAWN = {
    # Line-breaking rules: which characters may start or end a line; never drawn by us.
    ("line_breaking.py", "‥…"),
    # What an undecodable byte becomes (driver.py): the recorder sees it to delete it.
    ("widgets/entry_line.py", "\ufffd"),
}


NOT_YET: set[str] = set()
"""Files not yet converted to glyphs.py (none: the display took them too)."""


def test_every_glyph_is_one_width_everywhere() -> None:
    names = [name for name in vars(glyphs) if name.isupper()]
    assert {"PICKED", "MARKED", "CURRENT", "ARROW", "NUMBERED"} <= set(names)
    for name in names:
        value = getattr(glyphs, name)
        assert isinstance(value, str)
        assert ambiguous(value) == "", f"glyphs.{name} = {value!r}"
    for number in range(1, 31):
        assert ambiguous(numbered(number)) == "", number
    assert numbered(1) != numbered(2) and numbered(11) == "(11)"


def test_ambiguous_finds_what_a_japanese_terminal_widens() -> None:
    # The check itself must see the glyphs that broke alignment before.
    assert set(ambiguous("★①→▶—…█·")) == set("★①→▶—…█·")
    assert ambiguous("✔☑✓►➜／➊▰▱-...") == ""


def string_literals(path: Path) -> list[tuple[int, str]]:
    """Every string constant in the file but docstrings (comments are not strings)."""
    tree = ast.parse(path.read_text("utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    # Attribute docstrings (a string right after an assignment) are docs too.
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for before, after in itertools.pairwise(body):
                if isinstance(before, ast.Assign | ast.AnnAssign) and isinstance(after, ast.Expr):
                    docstrings.add(id(after.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_ambiguous_character_in_the_screens_code() -> None:
    found = []
    for path in sorted(TUI.rglob("*.py")):
        where = path.relative_to(TUI).as_posix()
        if where in NOT_YET:
            continue
        for line, text in string_literals(path):
            wide = "".join(c for c in ambiguous(text) if c not in KEYCAPS)
            if wide and (where, wide) not in NOT_DRAWN:
                found.append(f"{where}:{line}: {wide} in {text[:40]!r}")
    assert found == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_ambiguous_character_in_what_the_screens_say(language: Language) -> None:
    found = []
    for key, value in catalog(language).items():
        if not key.startswith(ON_SCREEN):
            continue
        for text in value if isinstance(value, list) else [value]:
            wide = "".join(c for c in ambiguous(text) if c not in KEYCAPS)
            if wide:
                found.append(f"{key}: {wide} in {text[:40]!r}")
    assert found == []


def drawn_by_us(text: str) -> str:
    """Ambiguous characters left once Textual's own borders and bars are set aside."""
    return "".join(
        c
        for c in ambiguous(text)
        if c not in KEYCAPS and not ("\u2500" <= c <= "\u259f")  # box drawing, block elements
    )


SHARE, PICK = 1, 2


@pytest.mark.parametrize("upto", [0, 2, 3, 6], ids=["opening", "pick", "exchange", "summary"])
async def test_the_running_screen_draws_no_ambiguous_symbol(
    upto: int, shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    # The scenario's own words are the council's (its title has "—"): leave them out.
    engine = SessionEngine(new_session(shimizu, session_id="glyphs", clock=clock), clock)
    engine.begin()
    for step in range(upto + 1):
        if step == SHARE:
            engine.record_card("買い物の足がない")
            engine.record_card("ゴミ出しがつらい")
        if step == PICK:
            picked = engine.troubles()[0]
            engine.vote(picked.id, 3)
            engine.set_picked(picked.id)
        if step < upto:
            engine.next_step()
    path = create_session_file(engine.session, tmp_path / "sessions")
    app = make_app(session_path=path, sessions_dir=path.parent, clock=clock)
    user_words = ambiguous(
        " ".join([shimizu.title, shimizu.theme, *shimizu.rules])
        + " ".join(step.title or "" for step in shimizu.steps)
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        for line in screen_text(app).splitlines():
            ours = "".join(c for c in drawn_by_us(line) if c not in user_words)
            assert ours == "", f"{ours!r} in {line!r}"
        if upto == PICK:
            # Picked or not, every trouble's votes stand in one column.
            board = app.screen.query_one("#cards").region
            lines = screen_lines(app)[board.y : board.bottom]
            rows = [cropped(line, board.right) for line in lines]
            rows = [line for line in rows if "票" in line]
            picked_rows = [line for line in rows if glyphs.PICKED in line]
            assert picked_rows and len(rows) > len(picked_rows), rows
            assert len({cell_len(line[: line.index("票")]) for line in rows}) == 1, rows
        await pilot.press("f1")  # the help: step numbers in a column of its table
        await pilot.pause()
        for line in screen_text(app).splitlines():
            ours = "".join(c for c in drawn_by_us(line) if c not in user_words)
            assert ours == "", f"{ours!r} in {line!r}"


def cropped(line: str, right: int) -> str:
    """The part of a screen row left of column ``right``."""
    while cell_len(line) > right:
        line = line[:-1]
    return line


def screen_text(app: App[int]) -> str:
    return "\n".join(screen_lines(app))
