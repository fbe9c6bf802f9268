"""Snapshots of the running screen: every step kind, presentation mode, help, summary.

Each picture is of a meeting built through the engine on a manual clock
(so every digit on screen is the same from run to run), saved as a fixed
session file and opened the way ``chie-kokan resume`` opens it. Japanese
(Shimizu-san) and English (Mr Baker) alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.i18n import t
from chie_kokan.models import Scenario
from chie_kokan.storage import create_session_file, load_scenario
from chie_kokan.tui.app import ChieKokanApp, make_app
from chie_kokan.tui.screens.running import RunningScreen

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SIZE = (120, 36)
OPENING, SHARE, PICK, EXCHANGE, SPREAD, REFLECT, SUMMARY = range(7)

Snap = Callable[..., bool]


@dataclass(frozen=True)
class Words:
    """What the room says, in the scenario's language."""

    scenario: str
    troubles: tuple[str, str, str, str]
    unsigned: str
    group: str
    answers: tuple[str, str, str]
    example: str
    actions: tuple[tuple[str, str, str], tuple[str, str, str]]
    reflection: str
    earlier_action: str


JA = Words(
    scenario="shimizu.toml",
    troubles=(
        "駅前のスーパーが閉店し、坂の上の団地から買い物に行けない",
        "重い物（お米・飲み物）が運べない",
        "ゴミ出しの日を間違えてしまう「分別が難しい」",
        "バス停まで歩くのがつらい",
    ),
    unsigned="全体: 団地の4階以上に一人暮らしの高齢者が多い",
    group="買い物の足がない",
    answers=(
        "自治会の回覧板で移動販売の日を知らせられる",
        "サロンの帰りに買い物の付き添いができる",
        "ご近所で声をかけ合う「ゴミ出し当番」をつくる",
    ),
    example="移動販売車の巡回／商工会／第三団地の広場",
    actions=(
        ("移動販売の曜日と場所を回覧板に載せる", "山田 花子", "12月15日"),
        ("ゴミ出し当番の案を自治会に出す", "鈴木 美和", "次回まで"),
    ),
    reflection="一人ひとりの声を聞くことを大切にしたい。ゴミ出し当番を試してみたい。",
    earlier_action="見守りマップの試作版を自治会で回覧する",
)
EN = Words(
    scenario="riverside.toml",
    troubles=(
        "Icy pavements keep people indoors for days",
        "Nobody notices when someone stops going out",
        "Cannot change a light bulb safely",
        "The lunch club minibus stopped running",
    ),
    unsigned="Several streets have no gritting at all",
    group="Cut off in winter",
    answers=(
        "Our drivers can add a winter round to the lunch club",
        "The residents' association can run a phone tree",
        "A handy-person list at the library",
    ),
    example="Snow wardens / Residents' association / River Street",
    actions=(
        ("Draft the phone tree", "Amira Hassan", "15 December"),
        ("Ask the council about gritting", "Priya Shah", "next meeting"),
    ),
    reflection="I value hearing from everyone; I would like to try the phone tree.",
    earlier_action="Print the neighbourhood contact cards",
)


def meeting(scenario: Scenario, words: Words, clock: ManualClock, upto: int) -> SessionEngine:
    """A meeting run through the engine up to ``upto`` (SUMMARY: finished)."""
    engine = SessionEngine(new_session(scenario, session_id="snap", clock=clock), clock)
    engine.begin()
    clock.advance(240)
    if upto == OPENING:
        return engine

    engine.next_step()  # share: p1 speaks, p2 passes, p3 speaks, p4 speaking now
    clock.advance(70)
    engine.record_card(words.troubles[0])
    engine.advance_speaker()
    clock.advance(10)
    engine.pass_turn()
    clock.advance(50)
    engine.record_card(words.troubles[1])
    engine.record_card(words.troubles[2])
    engine.advance_speaker()
    clock.advance(40)
    engine.record_card(words.troubles[3])
    engine.record_card(words.unsigned, speaker=None)
    clock.advance(25)
    if upto == SHARE:
        return engine

    engine.next_step()  # pick: a group, votes, two picked
    clock.advance(120)
    group = engine.group_cards(words.group, ["c1", "c2"])
    engine.vote(group.id, 6)
    engine.set_picked(group.id)
    engine.vote("c3", 4)
    engine.set_picked("c3")
    engine.vote("c4", 2)
    clock.advance(200)
    if upto == PICK:
        return engine

    engine.next_step()  # exchange: ① from everyone, then ② on the second trouble
    for index in range(len(engine.members)):
        clock.advance(30)
        if index == 0:
            engine.record_card(words.answers[0])
        if index == 2:
            engine.record_card(words.answers[1])
        engine.advance_speaker()
    engine.set_target("c3")
    clock.advance(45)
    engine.record_card(words.answers[2])
    engine.advance_speaker()
    clock.advance(20)
    if upto == EXCHANGE:
        return engine

    engine.next_step()  # spread: an example and two action items
    clock.advance(180)
    what, runs_by, place = (part.strip() for part in words.example.replace("／", "/").split("/"))
    engine.record_card(what, runs_by=runs_by, place=place)
    for action in words.actions:
        engine.add_action(*action)
    clock.advance(300)
    if upto == SPREAD:
        return engine

    engine.next_step()  # reflect: ③, a round
    clock.advance(50)
    engine.record_card(words.reflection)
    engine.advance_speaker()
    clock.advance(5)
    engine.pass_turn()
    clock.advance(35)
    if upto == REFLECT:
        return engine

    engine.next_step()  # after the last step: the summary
    return engine


def earlier_meeting(
    scenario: Scenario, words: Words, clock: ManualClock, folder: Path, *, all_actions: bool = False
) -> None:
    """Last month's session of the same scenario, with an open action item (or three)."""
    then = ManualClock(clock() - timedelta(days=28))
    engine = SessionEngine(new_session(scenario, session_id="snap", clock=then), then)
    engine.begin()
    engine.add_action(words.earlier_action, words.actions[0][1], words.actions[0][2])
    for action in words.actions if all_actions else ():
        engine.add_action(*action)
    create_session_file(engine.session, folder)


def opened(
    words: Words,
    clock: ManualClock,
    tmp_path: Path,
    upto: int,
    *,
    report_back: bool = False,
    all_actions: bool = False,
) -> ChieKokanApp:
    """The app on a fixed session file, as ``chie-kokan resume`` opens it."""
    scenario = load_scenario(SCENARIOS / words.scenario)
    sessions = tmp_path / "sessions"
    if report_back:
        earlier_meeting(scenario, words, clock, sessions, all_actions=all_actions)
    engine = meeting(scenario, words, clock, upto)
    path = create_session_file(engine.session, sessions)
    return make_app(session_path=path, sessions_dir=sessions, clock=clock)


async def settled(pilot: Pilot[Any]) -> None:
    """Workers done, the file saved, no toast, a steady cursor: a stable picture."""
    app = pilot.app
    screen = app.screen
    assert isinstance(screen, RunningScreen)
    await app.workers.wait_for_complete()
    saver = screen.saver
    assert saver is not None
    saving = t("tui.save_state_saving")
    for _ in range(100):
        shown = str(screen.query_one("#saved").render())
        if saver.written_revision >= screen.engine.revision and saving not in shown:
            break
        await pilot.pause(0.05)
    screen.query_one("#entry", Input).cursor_blink = False
    # Toasts (a notice may arrive a moment late) are cleared; the footer settles
    # its rows a few turns of the loop later: wait for equal frames, no toast.
    frame, steady = None, 0
    for _ in range(200):
        app.clear_notifications()
        await pilot.pause(0.02)
        before, frame = frame, app.export_screenshot()
        steady = steady + 1 if frame == before and not screen.query("Toast") else 0
        if steady >= 3:
            break


def then_press(*keys: str) -> Callable[[Pilot[Any]], Any]:
    """Settle, press ``keys``, settle again (a key may raise a toast)."""

    async def run(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        await pilot.press(*keys)
        await settled(pilot)

    return run


LANGUAGES = pytest.mark.parametrize("words", [JA, EN], ids=["ja", "en"])


@LANGUAGES
def test_opening_with_case_and_report_back(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, words: Words
) -> None:
    app = opened(words, clock, tmp_path, OPENING, report_back=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


@LANGUAGES
def test_opening_report_back_at_80_by_24(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, words: Words
) -> None:
    """Every item readable on a small screen; the first marked 済 with a note (^Y)."""
    app = opened(words, clock, tmp_path, OPENING, report_back=True, all_actions=True)

    async def mark_the_first(pilot: Pilot[Any]) -> None:
        await settled(pilot)
        await pilot.press("ctrl+y", *"OK", "enter")
        await settled(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=mark_the_first)


@LANGUAGES
def test_share_with_cards_and_speaker(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, words: Words
) -> None:
    app = opened(words, clock, tmp_path, SHARE)
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


def test_share_narrow_terminal(snap_compare: Snap, clock: ManualClock, tmp_path: Path) -> None:
    app = opened(JA, clock, tmp_path, SHARE)
    assert snap_compare(app, terminal_size=(100, 30), run_before=settled)


@LANGUAGES
def test_pick_with_groups_votes_and_picked(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, words: Words
) -> None:
    app = opened(words, clock, tmp_path, PICK)
    # Into the board, a card marked for grouping: what the operator sees.
    press = then_press("up", "end", "space")
    assert snap_compare(app, terminal_size=SIZE, run_before=press)


@LANGUAGES
def test_pick_with_a_count_being_typed(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, words: Words
) -> None:
    app = opened(words, clock, tmp_path, PICK)
    # Hands counted for the last trouble: 12 shows on its row until Enter.
    press = then_press("up", "end", "1", "2")
    assert snap_compare(app, terminal_size=SIZE, run_before=press)


@LANGUAGES
def test_exchange_with_question_and_target(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, words: Words
) -> None:
    app = opened(words, clock, tmp_path, EXCHANGE)
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


@LANGUAGES
def test_spread_with_examples_and_actions(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, words: Words
) -> None:
    app = opened(words, clock, tmp_path, SPREAD)
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


@LANGUAGES
def test_spread_example_in_three_fields(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, words: Words
) -> None:
    app = opened(words, clock, tmp_path, SPREAD)
    what, runs_by, _ = (part.strip() for part in words.example.replace("／", "/").split("/"))

    async def typing(pilot: Pilot[Any]) -> None:
        # What and who typed, the cursor in "where" (Pilot types no Japanese: set values).
        await settled(pilot)
        entries = [pilot.app.screen.query_one(f"#{name}", Input) for name in ("entry", "runs-by")]
        for entry, text in zip(entries, (what, runs_by), strict=True):
            entry.value = text
        await pilot.press("tab", "tab")
        await settled(pilot)
        pilot.app.screen.query_one("#place", Input).cursor_blink = False

    assert snap_compare(app, terminal_size=SIZE, run_before=typing)


@LANGUAGES
def test_reflect(snap_compare: Snap, clock: ManualClock, tmp_path: Path, words: Words) -> None:
    app = opened(words, clock, tmp_path, REFLECT)
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


@LANGUAGES
def test_presentation_mode(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path, words: Words
) -> None:
    app = opened(words, clock, tmp_path, SHARE)
    assert snap_compare(app, terminal_size=SIZE, run_before=then_press("f8"))


@LANGUAGES
def test_help(snap_compare: Snap, clock: ManualClock, tmp_path: Path, words: Words) -> None:
    app = opened(words, clock, tmp_path, PICK)
    assert snap_compare(app, terminal_size=SIZE, run_before=settled, press=["f1"])


@LANGUAGES
def test_summary(snap_compare: Snap, clock: ManualClock, tmp_path: Path, words: Words) -> None:
    app = opened(words, clock, tmp_path, SUMMARY)
    assert snap_compare(app, terminal_size=SIZE, run_before=settled)


def test_edit_dialog_with_speaker_choice(
    snap_compare: Snap, clock: ManualClock, tmp_path: Path
) -> None:
    app = opened(JA, clock, tmp_path, SHARE)

    async def edit_first_card(pilot: Pilot[Any]) -> None:
        # The first card (山田's): its text, and 山田 chosen among those present and 全体.
        await settled(pilot)
        await pilot.press("up", "home", "e")
        await pilot.pause()
        pilot.app.screen.query_one(Input).cursor_blink = False
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=edit_first_card)
