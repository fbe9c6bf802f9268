"""The running screen: the meeting itself, on the projector.

A thin view over :class:`~chie_kokan.engine.SessionEngine`. Every key calls
one engine method; the engine tells us it changed, and we redraw from its
state and hand a snapshot to the saver thread. Nothing here decides a rule
of the meeting.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from chie_kokan.autosave import AutoSaver, SaveReport
from chie_kokan.engine import (
    CURRENT,
    EVERYTHING,
    Changes,
    DomainError,
    Draft,
    SessionEngine,
    Trouble,
)
from chie_kokan.examples import example_fields
from chie_kokan.facts import question_number
from chie_kokan.i18n import at_table, t, table_label
from chie_kokan.lock import LockLost, SessionLock, lock_session
from chie_kokan.models import (
    ActionItem,
    Card,
    Member,
    Outcome,
    ReportItem,
    ReportStatus,
    Resource,
    TurnMode,
    spec,
)
from chie_kokan.problems import FileError, visible
from chie_kokan.report_back import report_back, with_status
from chie_kokan.resources import CardResource, card_resource, details_of
from chie_kokan.session_plan import FormError, read_next_meeting
from chie_kokan.storage import create_new_file, free_path, save_session
from chie_kokan.tui.glyphs import ARROW, MARKED, PICKED, SEPARATOR, numbered
from chie_kokan.tui.keys import Key, KeyPalette, localized
from chie_kokan.tui.minutes_fields import form_fields, next_meeting_values
from chie_kokan.tui.screens.dialogs import ChooseDialog, ConfirmDialog, Field, FormDialog
from chie_kokan.tui.widgets.card_list import CardList, Row
from chie_kokan.tui.widgets.entry_line import EntryLine
from chie_kokan.tui.widgets.entry_row import EntryRow
from chie_kokan.tui.widgets.key_footer import KeyFooter
from chie_kokan.tui.widgets.pick_board import PickBoard, with_note
from chie_kokan.tui.widgets.report_back import ReportBackList
from chie_kokan.tui.widgets.rules import GroundRules
from chie_kokan.tui.widgets.speaker_panel import SpeakerPanel
from chie_kokan.tui.widgets.step_track import StepTrack
from chie_kokan.tui.widgets.timebox import ClockDigits, TimeBox
from chie_kokan.tui.widgets.wrapped_text import WrappedText

# A space between two non-Latin characters (the gap in 山田 花子).
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])")
_NOT_IN_PALETTE = {"focus_board", "focus_entry"}
_SUMMARY_ONLY = {"next_meeting", "approve"}
"""What the summary offers, once the meeting has ended (issue 9)."""
Typed = tuple[str, ...]
"""What was typed for a card: the entry line, and on a spread step who and where."""

# Speaker and step keys take what was typed so far: the words of whoever had the floor.
_TAKE_THE_LINE = ("next_speaker", "pass_turn", "choose_speaker", "previous_step", "next_step")
# The keys that mark an item reported back (前回からの報告).
_REPORT_STATUS = {"report_done", "report_continues", "report_dropped"}
# The choice of 全体 (no name) among the speakers of a card.
_EVERYONE = "__everyone__"

MIN_SIZE = (80, 24)
"""Below this the screen asks for a larger window (a projector font can shrink it)."""


@dataclass(frozen=True)
class Rescue:
    """Where the session is after the screen closed, and whether its last state is there."""

    path: Path
    saved: bool
    detail: str
    """Why the last state could not be saved (empty when it was)."""


def _detail(error: BaseException) -> str:
    """A failure in words a person can pass on: the OS's reason, else the error itself."""
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def _resource_label(name: str) -> str:
    """The form's label for a field of a card's resource: the details', or who runs it."""
    return t(f"resource.{name}") if name in Resource.model_fields else t(f"models.{name}")


def plain(action: str) -> str:
    """``screen.vote`` → ``vote``: board keys act on the screen."""
    return action.removeprefix("screen.")


class BoardList(PickBoard):
    """The card list of the running screen, with keys that act on its cards."""

    KEYS: tuple[Key, ...] = (
        Key("e", "screen.edit_card", "edit", show=False),
        Key("w", "screen.correct_speaker", "correct_speaker", show=False),  # who said it
        Key("delete", "screen.delete_card", "delete", show=False),
        Key("plus,equals_sign", "screen.vote", "vote", show=False),
        Key("minus", "screen.unvote", "unvote", show=False),
        Key("asterisk", "screen.toggle_pick", "pick", show=False),
        # Digits are taken by the board itself (PickBoard); this names them.
        Key("0,1,2,3,4,5,6,7,8,9", "screen.type_votes", "type_votes", show=False, shown_as="0-9"),
        Key("s", "screen.sort_troubles", "sort_troubles", show=False),
        Key("space", "screen.mark", "mark", show=False),
        Key("u", "screen.ungroup", "ungroup", show=False),
        Key("q", "screen.choose_question", "models.question", show=False),
        Key("x", "screen.delete_action", "models.delete_action", show=False),
    )


class RunningScreen(KeyPalette, Screen[None]):
    """Step track, prompt, cards, speaker, time box, rules, entry line."""

    CSS_PATH = "running.tcss"

    KEYS: tuple[Key, ...] = (
        # 前回からの報告: first in the footer, on the opening step with items to report.
        Key("ctrl+y", "report_done", "report_done"),
        Key("ctrl+f", "report_continues", "report_continues"),
        Key("ctrl+b", "report_dropped", "report_dropped"),
        Key("f1", "help", "help"),
        Key("f2", "next_speaker", "next_speaker"),
        Key("f3", "pass_turn", "pass_turn"),
        Key("f4", "choose_speaker", "choose_speaker"),
        Key("f5", "toggle_timer", "timer"),
        Key("f6", "previous_step", "previous_step"),
        Key("f7", "next_step", "next_step"),
        Key("f8", "presentation", "presentation"),
        Key("f9", "vote", "vote"),
        Key("f10", "export", "export"),
        Key("ctrl+z", "undo", "undo"),
        # Bound once, by the app (its Ctrl+Q calls this screen's save_quit);
        # listed here for the help, the palette and the button.
        Key("ctrl+q", "save_quit", "save_quit", show=False, bound=False),
        # Ctrl keys the entry line does not use for editing.
        Key("ctrl+n", "record_unsigned", "unsigned", show=False),
        Key("ctrl+o", "edit_card", "edit", show=False),
        Key("ctrl+g", "group", "group", show=False),
        Key("ctrl+t", "switch_target", "target", show=False),
        Key("ctrl+l", "add_action", "action_item", show=False),
        Key("ctrl+r", "resource", "resource", show=False),
        # The summary's minutes fields (issue 9): shown in the footer once the meeting ended.
        Key("ctrl+y", "next_meeting", "next_meeting"),
        Key("ctrl+f", "approve", "approve"),
        # Priority: decided as each key is read, so the keys typed after ↑ or
        # Esc go to where the recorder moved, however fast they come.
        Key("up", "focus_board", "focus_board", show=False, priority=True),
        Key("escape", "focus_entry", "focus_entry", show=False, priority=True),
    )

    # Buttons on the side panel, in this order.
    BUTTONS = (
        "report_done", "report_continues", "report_dropped",
        "next_speaker", "pass_turn", "choose_speaker", "toggle_timer",
        "previous_step", "next_step", "vote", "unvote", "type_votes", "sort_troubles",
        "toggle_pick", "group",
        "switch_target", "add_action", "resource", "edit_card", "correct_speaker",
        "delete_card", "undo", "export", "presentation", "help", "save_quit",
    )  # fmt: skip
    BUTTONS += ("next_meeting", "approve")  # the summary's minutes fields (issue 9)

    QUIT_WAIT = 5.0
    """Seconds Ctrl+Q waits for the disk before asking whether to quit anyway."""

    def __init__(
        self,
        engine: SessionEngine,
        path: Path,
        *,
        resumed: bool = False,
        lock: SessionLock | None = None,
        exports_dir: Path = Path("exports"),
    ) -> None:
        super().__init__()
        self.engine = engine
        self.path = path
        self.exports_dir = exports_dir
        """Where F10 writes the minutes (the app's choice)."""
        self.resumed = resumed
        self.lock = lock
        """Our hold on the session file (None where none could be written)."""
        self.marked: set[str] = set()
        """Cards marked (space) to be grouped together on a pick step."""
        self.report_back: list[ReportItem] = []
        """Earlier sessions' items due at the opening, as found (marks are the engine's)."""
        self.saver: AutoSaver | None = None
        self._save_error: str | None = None
        self._lost = False
        """The session was taken over elsewhere: nothing more is written to its file."""
        self._rescued: Rescue | None = None
        self._quitting = False
        """Ctrl+Q was pressed and the last change is on its way to the disk."""
        self._board_step: int | None = None
        self._applicable: frozenset[str] = frozenset()
        self._buttons_mounted = False
        self._shown: dict[str, Text | str] = {}
        self._where: tuple[int, int, int] | None = None
        """Step, question and round last shown: a new round or question is announced."""
        self._announcing = True
        self._focus_before: Widget | None = None
        """Where the keys went before the window became too small."""

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="save-banner"):
            yield Static(id="save-error")
            # Its button comes with the first failure (_show_saved): Button's
            # styles are the largest Textual parses, and the first frame needs none.
        yield StepTrack(id="track")
        with Horizontal(id="main"):
            with Vertical(id="centre"):
                yield WrappedText(id="prompt")
                yield WrappedText(id="question")
                yield WrappedText(id="context")
                yield ReportBackList(id="report-back")
                yield localized(BoardList)(id="cards")
                with VerticalScroll(id="summary"):
                    yield Static(id="summary-text")
            side = VerticalScroll(id="side")
            side.can_focus = False  # clicks there must leave the entry focused
            with side:
                yield SpeakerPanel(id="speaker")
                yield TimeBox(id="timebox")
                # Below 30 lines the action items sit here, under the clock, so the
                # board keeps its rows (the side panel has room there).
                yield WrappedText(id="side-actions")
                # The buttons come after the first frame (see on_mount): the
                # room sees the meeting sooner, and the keys work from the start.
                yield Grid(id="buttons")
        yield GroundRules(self.engine.session.scenario.rules, id="rules")
        with EntryRow(id="entry-row"):
            yield Static(id="entry-holder", markup=False)
            carries = {key.key: key.action for key in self.KEYS if key.action in _TAKE_THE_LINE}
            yield EntryLine(id="entry", carries=carries)
            yield EntryLine(
                id="runs-by", placeholder=t("tui.runs_by_placeholder"), classes="example-field"
            )
            yield EntryLine(
                id="place", placeholder=t("tui.place_placeholder"), classes="example-field"
            )
            yield Static(id="saved")
        yield KeyFooter(compact=True, show_command_palette=False)
        # Below 80×24: a calm word instead of a broken layout (see on_resize).
        with Vertical(id="too-small"):
            yield WrappedText(id="too-small-title")
            yield WrappedText(id="too-small-text")

    @classmethod
    def all_keys(cls) -> tuple[Key, ...]:
        """The screen's keys and the board's, for help, palette and buttons."""
        return cls.KEYS + BoardList.KEYS

    def _key(self, action: str) -> Key:
        return next(key for key in self.all_keys() if plain(key.action) == action)

    def _buttons(self) -> list[Button]:
        buttons = []
        for action in self.BUTTONS:
            key = self._key(action)
            label = f"{key.display()} {t(f'keys.{key.label}')}"
            button = Button(label, id=f"btn-{action}", classes="action", compact=True)
            # A click must not take the focus from the entry line:
            # typing goes on where it was, and Enter records a card.
            button.can_focus = False
            buttons.append(button)
        return buttons

    def on_mount(self) -> None:
        lock = self.lock
        self.saver = AutoSaver(self.path, self._report_from_thread, lock.check if lock else None)
        self.engine.subscribe(self._engine_changed)
        self.refresh_view()
        self._where = self._progress()
        self._save_now()
        self.set_interval(1.0, self._tick)
        self.query_one("#entry", EntryLine).focus()
        self.call_after_refresh(self._after_first_frame)
        if self.resumed:
            self.notify(t("tui.resumed_paused"), timeout=8)
        if lock is not None and (earlier := lock.taken_from) is not None:
            key = "lock.took_stale" if earlier.is_stale() else "lock.took_over"
            message = t(key, host=earlier.shown_host, pid=earlier.pid, since=earlier.since_text)
            self.notify(message, severity="warning", timeout=15)

    async def _after_first_frame(self) -> None:
        """What the room does not need in the first frame."""
        buttons = self._buttons()
        await self.query_one("#buttons", Grid).mount_all(buttons)
        if not all(button.is_attached for button in buttons):
            return  # Ctrl+Q at once: the screen closed while they were being mounted
        self._buttons_mounted = True
        self._applicable = frozenset()  # show the right buttons for this step
        self._refresh_buttons()
        self._load_report_back()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        """Lay the screen out for ``width`` × ``height`` (classes the .tcss reads)."""
        small = width < MIN_SIZE[0] or height < MIN_SIZE[1]
        if small != self.has_class("-too-small"):
            self._too_small(small)
        if small:
            self._show_too_small(width, height)
        # Below 110 columns the side panel gives the board some room back, below 100 more.
        self.set_class(width < 110, "-narrow")
        self.set_class(width < 100, "-tight")
        # A large terminal (a wall, a small font): a wider side panel, a larger clock.
        self.set_class(width >= 160, "-wide")
        self.set_class(height >= 45, "-tall")
        # The buttons only where the side panel has room for all of them.
        self.set_class(width < 110 or height < 34, "-no-buttons")
        # Below 30 lines the opening's report back takes the case's place,
        # the step's title is left to the track and the pick help to F1.
        short = height < 30
        if short != self.has_class("-short"):
            self.set_class(short, "-short")
            self.query_one(GroundRules).show_inline(short)
            if self.saver is not None:  # before on_mount, its own first draw will do
                self.refresh_view()
        self._fit_clock(width, height)

    def _fit_clock(self, width: int, height: int) -> None:
        """The step clock as large as the side panel allows (F8: larger still)."""
        clock = self.query_one("#time-digits", ClockDigits)
        if self.has_class("-presentation"):
            clock.set_limits(max_scale=6, max_rows=height // 3)
        elif width >= 160:
            clock.set_limits(max_scale=2, max_rows=height // 5)
        else:
            clock.set_limits(max_scale=0, max_rows=3)  # Textual's three-line Digits

    def _too_small(self, small: bool) -> None:
        """Hide the meeting (nothing of it is lost) or bring it back, focus and all."""
        self.set_class(small, "-too-small")
        # Keys must not change what nobody can see: the board and the entry line
        # take none (a typed count, Enter), the screen's bindings neither (check_action).
        for part in ("#save-banner", "#main", "#entry-row"):
            self.query_one(part).disabled = small
        if small:
            self._focus_before = self.focused
            self.set_focus(None)
            return
        before = self._focus_before
        parts = (self.query_one("#main"), self.query_one("#entry-row"))
        if before is not None and before.is_attached and any(p in before.ancestors for p in parts):
            self.set_focus(before)  # the board or a field of the entry row, as it was
        else:
            self.action_focus_entry()  # started too small: where typing begins
        self._focus_before = None
        self.refresh_bindings()

    def _show_too_small(self, width: int, height: int) -> None:
        self.query_one("#too-small-title", WrappedText).update(
            Text(t("layout.too_small_title"), style="bold")
        )
        need_width, need_height = MIN_SIZE
        words = t(
            "layout.too_small", need_width=need_width, need_height=need_height,
            width=width, height=height,
        )  # fmt: skip
        self.query_one("#too-small-text", WrappedText).update(
            f"{words}\n\n{t('layout.too_small_kept')}"
        )

    def on_unmount(self) -> None:
        self.rescue()

    def rescue(self) -> Rescue:
        """Make sure the last state is on disk, then let go of the session.

        Runs when the screen closes and, after a crash, from the command line
        once the app has stopped (a crashing app may not close its screens).
        The first call does the work; later ones return its result.
        """
        if self._rescued is not None:
            return self._rescued
        saver = self.saver
        if saver is None:
            return Rescue(self.path, saved=False, detail="")
        saved = saver.close()
        detail = ""
        if not saved and saver.written_revision < self.engine.revision and not self._lost:
            # The thread could not (a crash mid-way, a slow stick): one last try here.
            try:
                if self.lock is not None:
                    self.lock.check()
                save_session(self.engine.session, saver.path)
                saved = True
            except Exception as error:  # reported below: the last chance must not raise
                detail = _detail(error)
        if self.lock is not None:
            self.lock.release()
        self._rescued = Rescue(saver.path, saved=saved, detail=detail)
        return self._rescued

    # -- engine → screen -----------------------------------------------------

    def _engine_changed(self, engine: SessionEngine) -> None:
        self._save_now()
        self.refresh_view(engine.changes)
        self._announce_progress()
        if engine.approval_reset:
            engine.approval_reset = False
            self.notify(t("tui.approval_reset"), severity="warning", timeout=10)

    def _progress(self) -> tuple[int, int, int]:
        live = self.engine.live
        return (live.step, live.question, live.round)

    def _announce_progress(self) -> None:
        """A new round, or the next question of the step: the room hears it."""
        engine = self.engine
        before, self._where = self._where, self._progress()
        now = self._where
        if before is None or not self._announcing or engine.ended or before[0] != now[0]:
            return  # a step change shows itself; an undo says what it took back
        if now[1] > before[1] and engine.question is not None:
            number = numbered(self._question_number())
            self.notify(t("tui.next_question", number=number, question=engine.question))
        elif now[1] == before[1] and now[2] > before[2]:
            self.notify(t("tui.new_round", number=now[2]))

    def _save_now(self) -> None:
        """Tell the saver thread a new state exists; it takes and writes it there.

        ``engine.file_text`` runs on the saver's thread, under the engine's lock.
        """
        assert self.saver is not None
        self.saver.submit_latest(self.engine.revision, self.engine.file_text)
        self._show_saved()

    @dataclass
    class SaveReported(Message):
        """The saver thread wrote (or failed to write) the file."""

        report: SaveReport

    def _report_from_thread(self, report: SaveReport) -> None:
        # post_message is thread-safe and does not wait for the screen, so the
        # saver never blocks on the UI (nor the UI on the saver while closing).
        self.post_message(self.SaveReported(report))

    @on(SaveReported)
    def _save_reported_message(self, message: SaveReported) -> None:
        self._save_reported(message.report)

    def _save_reported(self, report: SaveReport) -> None:
        if self.saver is None or report.path != self.saver.path:
            return  # about a file we have moved away from
        if report.ok:
            if self._save_error is not None:
                self.notify(t("tui.save_recovered", file=visible(report.path)))
            self._save_error = None
        elif isinstance(report.error, LockLost):
            self._lost = True
            holder = report.error.holder
            self._save_error = (
                t("lock.lost", host=holder.shown_host, pid=holder.pid)
                if holder is not None
                else t("lock.lost_unknown")
            )
        else:
            detail = _detail(report.error) if report.error else ""
            self._save_error = t("tui.save_failed", file=visible(report.path), detail=detail)
        self._show_saved()

    def _show_saved(self) -> None:
        banner = self.query_one("#save-banner")
        banner.display = self._save_error is not None
        if banner.display and not banner.query("#save-elsewhere"):
            banner.mount(Button(t("tui.save_elsewhere"), id="save-elsewhere", variant="error"))
        saved = self.query_one("#saved", Static)
        if self._save_error is not None:
            self.query_one("#save-error", Static).update(self._save_error)
            saved.update(Text(t("tui.save_state_failed"), style="bold"), layout=False)
        elif self.saver and self.saver.written_revision >= self.engine.revision:
            saved.update(
                t("tui.save_state_saved", time=self.engine.clock().strftime("%H:%M:%S")),
                layout=False,  # a fixed-size box: no layout pass on every save
            )
        else:
            saved.update(t("tui.save_state_saving"), layout=False)

    def _tick(self) -> None:
        """Once a second: only the clocks move."""
        engine = self.engine
        if engine.ended:
            return
        self.query_one(TimeBox).show(
            engine.step_remaining(), (engine.step.minutes or 0) * 60, engine.timer_running
        )
        self.query_one(SpeakerPanel).show_turn_timer(
            engine.turn_elapsed(), engine.step.seconds_per_turn
        )

    def refresh_view(self, changes: Changes = EVERYTHING) -> None:
        """Redraw from the engine's state; on the board only the cards in ``changes``."""
        engine = self.engine
        self.query_one(StepTrack).show(
            [t(f"step.{s.kind.value}.short") for s in engine.steps], engine.step_index, engine.ended
        )
        self.set_class(engine.ended, "-ended")
        self._refresh_buttons()
        if engine.ended:
            from chie_kokan.tui.summary import summary_text  # once the meeting has ended

            self.query_one("#summary-text", Static).update(summary_text(engine))
            self._set("#prompt", Text(t("tui.summary_title"), style="bold"))
            self._set("#question", "")
            self._set("#context", "")
            self._set("#side-actions", "")
            self.set_class(False, "-no-board")
            self.query_one("#entry", EntryLine).placeholder = t("tui.entry_ended")
            self._show_holder("")
            self.query_one(BoardList).voting = False
            self._show_example_fields(False)
            self._show_report_list()
            self._show_saved()
            return
        step = engine.step
        self.set_class(not spec(step.kind).takes_cards, "-no-board")
        heading = Text()
        if not self.has_class("-short") or not step.prompt:
            # On a short screen the track above already names the step.
            title = f"{numbered(engine.step_index + 1)} {step.title}"
            heading.append(title, style="bold underline")
            heading.append("\n")
        heading.append(step.prompt or "", style="bold")
        self._set("#prompt", heading)
        if engine.question is not None:
            self._set("#question", f"{numbered(self._question_number())}{engine.question}")
        else:
            self._set("#question", "")
        self._set("#context", self._context_text())
        self._set("#side-actions", self._side_actions_text())
        board = self.query_one(BoardList)
        if self._board_step != engine.step_index:
            board.reset()  # on a pick board: sorted by votes again
            self._board_step = engine.step_index
        kind = spec(step.kind)
        board.voting = kind.takes_votes
        # The newest card on a share board; the most-voted trouble on a pick board.
        if not self._board_changed(board, changes):
            board.show(self._rows(), follow=not kind.takes_votes)
        self._show_example_fields(kind.takes_examples)
        self._show_report_list()
        if not kind.takes_turns:
            self.query_one(SpeakerPanel).show_no_turns(step.kind)
        else:
            self.query_one(SpeakerPanel).show(
                engine.current_speaker,
                engine.upcoming(),
                engine.members if step.turns is TurnMode.ROUND else [],
                engine.round_status(),
                engine.turn_elapsed(),
                step.seconds_per_turn,
                engine.live.round,
                engine.table_round(),
            )
        self._tick()
        self.query_one("#entry", EntryLine).placeholder = self._placeholder()
        self._show_holder(self._holder_line())
        self._show_saved()

    def _set(self, selector: str, content: Text | str) -> None:
        if self._shown.get(selector) == content:
            return  # unchanged: spare the layout pass
        self._shown[selector] = content
        widget = self.query_one(selector, WrappedText)
        widget.update(content)
        widget.display = bool(str(content).strip())

    def _holder(self) -> str:
        """Whose words the entry line holds: the floor holder, or everyone (全体)."""
        who = self.engine.current_speaker
        return who.name if who is not None else t("tui.holder_everyone")

    def _holder_line(self) -> str:
        """The holder as the entry line shows it: also that they keep the floor."""
        if not spec(self.engine.step.kind).takes_cards:
            return ""  # nothing is recorded here (a break): nobody's words
        if self.engine.live.hold and self.engine.current_speaker is not None:
            return t("tui.holder_keeps", name=self._holder())
        return self._holder()

    def _show_holder(self, holder: str) -> None:
        if self._shown.get("#entry-holder") == holder:
            return  # unchanged: spare the layout pass
        self._shown["#entry-holder"] = holder
        label = self.query_one("#entry-holder", Static)
        label.update(holder)
        label.display = bool(holder)

    def _question_number(self) -> int:
        """Questions are numbered across the session: ① ② on exchange, ③ on reflect."""
        engine = self.engine
        return question_number(engine.steps, engine.step_index, engine.live.question)

    def _placeholder(self) -> str:
        engine = self.engine
        who = engine.current_speaker
        kind = engine.step.kind
        if not spec(kind).takes_cards:
            return t(f"step.{kind.value}.entry")
        if spec(kind).takes_examples:
            return t("tui.entry_spread")
        if who is None:
            return t("tui.entry_unsigned")
        return t("tui.entry_for", name=who.name)

    def _speaker_label(self, card: Card, *, compact: bool = False) -> str:
        member = self.engine.session.member(card.speaker)
        if member is None:
            return t("defaults.unsigned")
        return self._member_label(member, compact=compact)

    @staticmethod
    def _member_label(member: Member, *, compact: bool = False) -> str:
        name = member.name
        if compact:
            # 山田 花子 → 山田花子 on the board: Textual wraps at any space, and a
            # name split over two lines is hard to read from the back of a room.
            name = _CJK_SPACE.sub("", name)
        if not member.organization:
            return name
        return t("tui.speaker_org", name=name, org=member.organization)

    def _card_text(self, card: Card, prefix: str = "") -> Text:
        text = Text(prefix)
        text.append(card.text, style="bold")
        if card.runs_by or card.place:
            details = " / ".join(part for part in (card.runs_by, card.place) if part)
            text.append(f"  〔{details}〕")
        # No space after the mark: a wrapped line never ends in "／" with the name below.
        # A report's words are the table's: say which.
        who = at_table(self._speaker_label(card, compact=True), card.table, compact=True)
        text.append(f"  {SEPARATOR}{who}", style="italic")
        if card.resource is not None:
            text.append(f"  {t('tui.resource_mark')}", style="bold")
        return text

    @staticmethod
    def _card_signature(card: Card, prefix: str) -> tuple[object, ...]:
        """Everything a card's row shows: equal signatures, same row."""
        return (
            prefix,
            card.text,
            card.speaker,
            card.runs_by,
            card.place,
            card.resource is None,
            card.table,
        )

    def _card_row(self, card: Card, prefix: str = "") -> Row:
        # The Text is built only when the board needs a new row (a thousand
        # cards must not be re-rendered on every keystroke).
        return (card.id, self._card_signature(card, prefix), lambda: self._card_text(card, prefix))

    def _card_prefix(self) -> Callable[[Card], str]:
        """What a card's row shows before it on this step: its question, the trouble it answers."""
        engine = self.engine
        kind = spec(engine.step.kind)
        first_number = self._question_number() - engine.live.question
        titles: dict[str, str] | None = None

        def prefix(card: Card) -> str:
            nonlocal titles
            text = ""
            if card.question is not None:
                text = f"{numbered(first_number + card.question)} "
            if card.answers is not None and kind.takes_target:
                if titles is None:  # only for a card that answers one: the troubles are many
                    titles = {}
                    if len(engine.picked_troubles()) > 1:
                        titles = {trouble.id: trouble.title for trouble in engine.troubles()}
                if card.answers in titles:
                    text += f"[{ARROW}{titles[card.answers][:12]}] "
            return text

        return prefix

    def _rows(self) -> list[Row]:
        engine = self.engine
        if spec(engine.step.kind).takes_votes:
            return self._trouble_rows()
        prefix = self._card_prefix()
        return [self._card_row(card, prefix(card)) for card in engine.cards_of_step()]

    def _board_changed(self, board: BoardList, changes: Changes) -> bool:
        """Redraw only the cards ``changes`` names, at the cost of the change, not of
        the board. False when the board must be compared whole (:meth:`_rows`)."""
        engine = self.engine
        kind = spec(engine.step.kind)
        if changes.whole or kind.takes_votes or board.typed_digits is not None:
            return False  # a pick board's rows are troubles: votes move them
        step = engine.step_index
        cards = [*changes.edited, *changes.added]
        if kind.takes_target and any(card.step != step for card in cards):
            return False  # a trouble's title, which answers show, may have changed
        prefix = self._card_prefix()
        for card in changes.edited:
            if card.step == step and not board.update_row(self._card_row(card, prefix(card))):
                return False
        board.remove_rows(changes.removed)
        board.add_rows(
            [self._card_row(card, prefix(card)) for card in changes.added if card.step == step]
        )
        return True

    def _trouble_rows(self) -> list[Row]:
        rows: list[Row] = []
        # In the board's order, not by votes: rows do not move while votes are typed.
        troubles = {trouble.id: trouble for trouble in self.engine.troubles()}
        for trouble_id in self.query_one(BoardList).in_shown_order(list(troubles)):
            trouble = troubles[trouble_id]
            marked = trouble.id in self.marked
            signature = (
                trouble.title,
                trouble.votes,
                trouble.picked,
                marked,
                trouble.is_group,
                len(trouble.cards),
                self._card_signature(trouble.cards[0], ""),
            )
            rows.append((trouble.id, signature, partial(self._trouble_text, trouble)))
            if trouble.is_group:
                # A vote on a grouped card counts for the group: say so on its row.
                votes = t("tui.votes", count=trouble.votes)
                counts_for = t("tui.counts_for_group", title=trouble.title, votes=votes)
                for card in trouble.cards:
                    mark = MARKED if card.id in self.marked else " "
                    rows.append(with_note(self._card_row(card, f"    {mark} "), counts_for))
        return rows

    def _trouble_text(self, trouble: Trouble) -> Text:
        text = Text()
        text.append(f"{PICKED} " if trouble.picked else "  ", style="bold")
        votes = t("tui.votes", count=trouble.votes)
        text.append(f"{votes:>4} ", style="bold")
        if trouble.is_group:
            text.append(f"【{trouble.title}】", style="bold")
            text.append(t("tui.group_size", count=len(trouble.cards)), style="italic")
        else:
            mark = f"{MARKED} " if trouble.id in self.marked else ""
            text.append(self._card_text(trouble.cards[0], mark))
        return text

    def _show_example_fields(self, examples: bool) -> None:
        labels = (t("tui.field_what"), t("tui.field_runs_by"), t("tui.field_place"))
        self.query_one(EntryRow).show_examples(examples, labels)

    def _context_text(self) -> Text:
        engine = self.engine
        session = engine.session
        scenario = session.scenario
        text = Text()
        kind = spec(engine.step.kind)
        if kind.shows_case:
            text.append(f"{t('tui.theme')}: ", style="bold")
            text.append(f"{scenario.theme}\n")
            if scenario.case:
                case = scenario.case
                text.append(f"{t('tui.case')}: ", style="bold")
                text.append(f"{case.name}　{case.summary}\n")
                for detail in case.details:
                    text.append(f"  ・{detail}\n")
        elif kind.takes_votes:
            if engine.step.votes_per_person:
                votes = t("tui.votes_per_person", count=engine.step.votes_per_person)
                text.append(f"{votes}\n", style="bold")
            if not self.has_class("-short"):  # 80×24: the board's rows first; F1 explains
                text.append(t("tui.pick_help"), style="italic")
        elif kind.takes_target:
            target = next((tr for tr in engine.troubles() if tr.id == engine.live.target), None)
            text.append(f"{t('tui.target')}: ", style="bold")
            text.append(f"{PICKED} {target.title}" if target else t("tui.no_target"))
            if len(engine.picked_troubles()) > 1:
                text.append(f"  {t('tui.target_switch')}", style="italic")
        elif self._shows_actions() and not self.has_class("-short"):
            text.append_text(self._actions_text())
        return text.rstrip() or text

    def _shows_actions(self) -> bool:
        return spec(self.engine.step.kind).shows_actions and bool(self.engine.session.actions)

    def _actions_text(self) -> Text:
        text = Text(f"{t('tui.actions')}\n", style="bold")
        for item in self.engine.session.actions:
            text.append(f"・{self._action_line(item)}\n", style="not bold")
        text.rstrip()
        return text

    def _side_actions_text(self) -> Text:
        """The action items under the clock on a short screen (80×24), else nothing."""
        if self.has_class("-short") and self._shows_actions():
            return self._actions_text()
        return Text()

    @staticmethod
    def _action_line(item: ActionItem) -> str:
        parts = [item.what]
        if item.who:
            parts.append(t("tui.action_who", who=item.who))
        if item.due:
            parts.append(t("tui.action_due", due=item.due))
        return "　".join(parts)

    # -- which actions apply where -------------------------------------------

    def _applies(self, action: str) -> bool:
        engine = self.engine
        kind = spec(engine.step.kind)
        if action in _SUMMARY_ONLY:  # issue 9
            return engine.ended
        if engine.ended:
            if action == "delete_action":
                return bool(engine.session.actions)
            return action in {
                "previous_step", "export", "undo", "help", "save_quit", "presentation",
                "add_action",
            }  # fmt: skip
        if action in {
            "vote", "unvote", "type_votes", "sort_troubles", "toggle_pick", "group", "ungroup",
            "mark",
        }:  # fmt: skip
            return kind.takes_votes
        if action == "switch_target":
            return kind.takes_target
        if action == "resource":
            return kind.resources
        if action == "pass_turn":
            # On a break F3 still answers: it says there are no turns now.
            return engine.current_speaker is not None or not kind.takes_turns
        if action == "choose_question":
            return len(engine.questions) > 1
        if action == "delete_action":
            return bool(engine.session.actions)
        if action in _REPORT_STATUS:
            return self._reporting()
        return True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.has_class("-too-small") and action != "save_quit":
            return False  # nothing changes that nobody can see
        if action == "focus_board":  # ↑ from the entry line; elsewhere ↑ moves the cursor
            return isinstance(self.focused, EntryLine)
        if action == "focus_entry":  # Esc from the board, unless it drops a typed count
            focused = self.focused
            if isinstance(focused, ReportBackList):
                return True
            return isinstance(focused, BoardList) and focused.typed_digits is None
        if any(plain(key.action) == action for key in self.all_keys()):
            return self._applies(action)
        return True

    def _refresh_buttons(self) -> None:
        if not self._buttons_mounted:
            return  # not mounted yet
        # Only when what applies has changed: the footer rebuilds itself on
        # refresh_bindings, too slow for every keystroke.
        applicable = frozenset(
            key.action for key in self.all_keys() if self._applies(plain(key.action))
        )
        if applicable == self._applicable:
            return
        self._applicable = applicable
        for action in self.BUTTONS:
            self.query_one(f"#btn-{action}", Button).display = self._applies(action)
        self.refresh_bindings()

    @on(Button.Pressed, ".action")
    async def _button(self, event: Button.Pressed) -> None:
        action = (event.button.id or "").removeprefix("btn-")
        await self.run_action(action)

    def palette_keys(self) -> Iterable[Key]:
        return (key for key in self.all_keys() if key.action not in _NOT_IN_PALETTE)

    def palette_title(self, key: Key, keys: Sequence[Key] = ()) -> str:
        shown = " / ".join(same.display() for same in keys or (key,))
        return f"{t(f'keys.{key.label}')} ({shown})"

    # -- doing things --------------------------------------------------------

    def _do(self, operation: Callable[[], Any]) -> Any:
        """Run an engine operation; a rule it breaks becomes a calm notice."""
        try:
            return operation()
        except DomainError as error:
            self.notify(str(error), severity="warning")
            return None

    def _accepted(self, operation: Callable[[], object]) -> bool:
        """Like ``_do``, for an operation that returns nothing: did the engine take it?"""
        return self._do(lambda: operation() or True) is not None

    @on(EntryLine.Recorded, "#entry")
    def _record(self, event: EntryLine.Recorded) -> None:
        # The line as it was when Enter was pressed: the entry may already
        # hold the start of the next card.
        if self._record_typed((event.text,), unsigned=event.unsigned) is None:
            event.entry.give_back(event.text)

    @on(EntryRow.ExampleRecorded, "#entry-row")
    def _record_example(self, event: EntryRow.ExampleRecorded) -> None:
        if self._record_typed(event.texts, unsigned=event.unsigned) is None:
            event.row.give_back(event.texts)

    def _record_typed(self, typed: Typed, *, unsigned: bool) -> Card | None:
        """Record what was typed (on a spread step, an example) as a card."""
        draft = self._draft(typed)
        fields: dict[str, Any] = {"runs_by": draft.runs_by, "place": draft.place}
        if unsigned:
            fields["speaker"] = None
        card: Card | None = self._do(lambda: self.engine.record_card(draft.text, **fields))
        return card

    def action_record_unsigned(self) -> None:
        """Ctrl+N from the palette or a button (the key itself goes to the entry line)."""
        self.query_one(EntryRow).record(unsigned=True)

    @on(EntryLine.Taken, "#entry")
    def _taken(self, event: EntryLine.Taken) -> None:
        # F2/F3/F4 pressed in the entry line, with the words typed up to them.
        if self.app.screen is not self or not self._applies(event.action):
            event.entry.give_back(event.text)  # a key that does nothing here now
            return
        getattr(self, f"action_{event.action}")(event.text)

    def _take_line(self, words: str | None) -> Typed:
        """What was typed for the floor holder: the line as taken with the key (else
        as it is now), and on a spread step the example's other fields with it."""
        if not spec(self.engine.step.kind).takes_cards:
            # Nothing is recorded here (a break): what was typed stays for the next step.
            if words is not None:
                self._give_line_back((words,))
            return ("",)
        line = self.query_one("#entry", EntryLine).take() if words is None else words
        row = self.query_one(EntryRow)
        if not (row.examples and line.strip()):
            return (line,)
        return (line, *(field.take() for field in row.fields[1:]))

    def _give_line_back(self, typed: Typed) -> None:
        self.query_one(EntryRow).give_back(typed)

    def _draft(self, typed: Typed) -> Draft:
        # On a spread step an example: three fields, or one split at "/" and "／".
        if spec(self.engine.step.kind).takes_examples:
            return Draft(*example_fields(*typed))
        return Draft(typed[0])

    def _change_speaker(self, change: Callable[[Draft], object], typed: Typed) -> None:
        """Record what was typed for the floor holder and change the speaker, in one change.

        Refused, the words go back where they were typed.
        """
        if not self._accepted(lambda: change(self._draft(typed))):
            self._give_line_back(typed)

    def action_next_speaker(self, words: str | None = None) -> None:
        self._change_speaker(
            lambda text: self.engine.advance_speaker(record=text), self._take_line(words)
        )

    def action_pass_turn(self, words: str | None = None) -> None:
        self._change_speaker(
            lambda text: self.engine.pass_turn(record=text), self._take_line(words)
        )

    def action_choose_speaker(self, words: str | None = None) -> None:
        if not self._accepted(self.engine.require_turns):  # a break: nobody to choose
            if words is not None:
                self._give_line_back((words,))
            return
        # The words are taken now: they were said before the hand went up.
        typed = self._take_line(words)
        text = typed[0]
        engine = self.engine
        status = engine.round_status()
        marks = {Outcome.SPOKE: "✓", Outcome.PASSED: t("tui.pass_mark")}
        by_table = engine.by_table  # a report: who sits at which table, to find its recorder
        options = [
            (
                member.id,
                f"{marks.get(status.get(member.id), '・')} "
                + at_table(self._member_label(member), member.table if by_table else None),
            )
            for member in engine.members
        ]
        options.append(("__walk_in__", t("tui.add_walk_in")))
        waiting = engine.not_yet_spoken()

        def chosen(member_id: str | None) -> None:
            if member_id == "__walk_in__":
                self.action_walk_in(then_choose=True, typed=typed)
            elif member_id:
                self._change_speaker(lambda w: engine.choose_speaker(member_id, record=w), typed)
            else:
                self._give_line_back(typed)  # cancelled: the words are still being typed

        title = t("tui.choose_speaker")
        if text:
            title += "\n" + t("tui.words_go_to", words=text.strip(), name=self._holder())
        self.app.push_screen(
            ChooseDialog(title, options, waiting[0].id if waiting else None), chosen
        )

    def action_walk_in(self, then_choose: bool = False, typed: Typed = ("",)) -> None:
        def added(values: dict[str, Any] | None) -> None:
            if not values or not str(values["name"]).strip():
                self._give_line_back(typed)
                return
            member = self._do(
                lambda: self.engine.add_walk_in(
                    values["name"], values["organization"], values.get("table", "")
                )
            )
            if member is None:
                self._give_line_back(typed)
            elif then_choose:
                self._change_speaker(
                    lambda w: self.engine.choose_speaker(member.id, record=w), typed
                )

        fields = [
            Field("name", t("tui.field_name")),
            Field("organization", t("tui.field_organization")),
        ]
        tables = self.engine.tables()
        if tables:  # members sit at tables: the walk-in joins one (a report goes by table)
            choices = [("", t("tables.no_table")), *((n, table_label(n)) for n in tables)]
            fields.append(Field("table", t("tables.field"), choices=tuple(choices)))
        self.app.push_screen(FormDialog(t("tui.add_walk_in"), fields), added)

    def action_toggle_timer(self) -> None:
        self._do(self.engine.toggle_timer)

    def action_previous_step(self, words: str | None = None) -> None:
        self._change_step(self.engine.previous_step, words)

    def action_next_step(self, words: str | None = None) -> None:
        self._change_step(self.engine.next_step, words)

    def _change_step(self, move: Callable[[Draft], None], words: str | None) -> None:
        # Words typed before F6/F7 were said on this step, by whoever had the floor.
        typed = self._take_line(words)
        if self._accepted(lambda: move(self._draft(typed))):
            self.marked.clear()
        else:
            self._give_line_back(typed)
        # A new step starts with typing what people say.
        self.action_focus_entry()

    def action_presentation(self) -> None:
        self.toggle_class("-presentation")
        self._fit_clock(*self.size)
        if self.has_class("-presentation"):
            self.notify(t("tui.presentation_on"), timeout=3)

    def action_undo(self) -> None:
        self._announcing = False  # the notice says what was taken back, nothing more
        try:
            what = self._do(self.engine.undo)
        finally:
            self._announcing = True
        if what:
            self.notify(t("undo.took_back", what=what))

    def action_help(self) -> None:
        from chie_kokan.tui.screens.help import HelpScreen  # built when first asked for

        self.app.push_screen(HelpScreen(self.all_keys(), self.engine.steps))

    # Focus moves now, not after a refresh (what Widget.focus does): the next
    # key read goes to the new place even when the recorder types fast.
    def action_focus_board(self) -> None:
        if self._reporting():  # on the opening step, ↑ goes to what is reported back
            self.set_focus(self.query_one(ReportBackList))
            return
        self.set_focus(self.query_one(CardList))

    def action_focus_entry(self) -> None:
        self.set_focus(self.query_one("#entry", EntryLine))  # on a spread step, "what"

    # -- cards ---------------------------------------------------------------

    def _highlighted(self) -> str | None:
        return self.query_one(CardList).highlighted_id

    def _highlighted_card(self) -> Card | None:
        row = self._highlighted()
        if row is None or self.engine.group(row) is not None:
            return None
        try:
            return self.engine.card(row)
        except DomainError:
            return None

    def _need_card(self) -> Card | None:
        card = self._highlighted_card()
        if card is None:
            self.notify(t("tui.choose_card_first"), severity="warning")
        return card

    @on(CardList.OptionSelected, "#cards")
    def _card_selected(self) -> None:
        self.action_edit_card()

    def _speaker_choices(self) -> list[tuple[str, str]]:
        """Who a card can be under: the members present, in seat order, and 全体."""
        members = [(member.id, self._member_label(member)) for member in self.engine.members]
        return [*members, (_EVERYONE, t("tui.speaker_everyone"))]

    @staticmethod
    def _speaker_of(choice: str | None) -> Any:
        """A speaker choice as the engine takes it (None: 全体; nothing chosen: unchanged)."""
        if choice is None:
            return CURRENT
        return None if choice == _EVERYONE else choice

    def action_edit_card(self) -> None:
        card = self._need_card()
        if card is None:
            return
        fields = [Field("text", t("tui.field_text"), card.text)]
        if spec(card.kind).takes_examples:
            fields += [
                Field("runs_by", t("tui.field_runs_by"), card.runs_by),
                Field("place", t("tui.field_place"), card.place),
            ]
        choices = tuple(self._speaker_choices())
        fields.append(
            Field("speaker", t("tui.field_speaker"), card.speaker or _EVERYONE, choices=choices)
        )

        def edited(values: dict[str, Any] | None) -> None:
            if values:
                speaker = self._speaker_of(values.pop("speaker"))
                self._do(lambda: self.engine.edit_card(card.id, speaker=speaker, **values))

        self.app.push_screen(FormDialog(t("tui.edit_card"), fields), edited)

    def action_correct_speaker(self) -> None:
        """Only the speaker of the highlighted card (else of the step's last card)."""
        if self._highlighted() is None and (cards := self.engine.cards_of_step()):
            card: Card | None = cards[-1]
        else:
            card = self._need_card()
        if card is None:
            return

        def chosen(choice: str | None) -> None:
            speaker = self._speaker_of(choice)
            if speaker is not CURRENT and speaker != card.speaker:  # else nothing to undo
                self._do(lambda: self.engine.edit_card(card.id, speaker=speaker))

        title = t("tui.correct_speaker", text=card.text)
        dialog = ChooseDialog(title, self._speaker_choices(), card.speaker or _EVERYONE)
        self.app.push_screen(dialog, chosen)

    def action_delete_card(self) -> None:
        card = self._need_card()
        if card is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.marked.discard(card.id)
                self._do(lambda: self.engine.delete_card(card.id))

        message = t("tui.confirm_delete", text=card.text)
        self.app.push_screen(ConfirmDialog(message, t("tui.delete")), confirmed)

    def action_resource(self) -> None:
        card = self._need_card()
        if card is None:
            return
        # The same record the resource file lists (chie_kokan.resources).
        record = card_resource(card)
        fields = [
            Field(name, _resource_label(name), getattr(record, name))
            for name in CardResource.model_fields
        ]

        def saved(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            if not str(values["name"]).strip():
                self._do(lambda: self.engine.mark_resource(card.id, None))
                return
            entered = CardResource(
                **{k: v.strip() if isinstance(v, str) else v for k, v in values.items()}
            )
            self._do(
                lambda: self.engine.mark_resource(
                    card.id, details_of(entered), runs_by=entered.runs_by
                )
            )

        self.app.push_screen(FormDialog(t("tui.resource_title"), fields), saved)

    # -- pick ----------------------------------------------------------------

    def _need_trouble(self) -> str | None:
        """The highlighted row (the engine counts a grouped card for its group)."""
        row = self._highlighted()
        if row is None:
            self.notify(t("tui.choose_card_first"), severity="warning")
        return row

    def action_vote(self) -> None:
        target = self._need_trouble()
        if target:
            self._do(lambda: self.engine.vote(target, +1))
            # F9 from the entry line: the board takes the next keys (a count, +, −, ↑↓).
            self.action_focus_board()

    def action_type_votes(self) -> None:
        """The palette's and the button's way to a typed count (digits do it on the board)."""
        board = self.query_one(BoardList)
        self.set_focus(board)
        board.start_typing()

    @on(PickBoard.VotesTyped, "#cards")
    def _votes_typed(self, event: PickBoard.VotesTyped) -> None:
        if self._do(lambda: self.engine.set_votes(event.target, event.count)) is None:
            event.board.give_back(event.target, event.digits)

    def action_sort_troubles(self) -> None:
        """Most votes first; the highlight stays on the trouble it was on."""
        board = self.query_one(BoardList)
        board.sort()
        board.show(self._rows(), follow=False)

    def action_unvote(self) -> None:
        target = self._need_trouble()
        if target:
            self._do(lambda: self.engine.vote(target, -1))

    def action_toggle_pick(self) -> None:
        target = self._need_trouble()
        if target:
            self._do(lambda: self.engine.set_picked(target))

    def action_mark(self) -> None:
        card = self._highlighted_card()
        if card is None or not spec(self.engine.step.kind).takes_votes:
            return
        self.marked ^= {card.id}
        self.query_one(CardList).show(self._rows(), follow=False)

    def action_group(self) -> None:
        cards = sorted(self.marked) or (
            [c.id] if (c := self._highlighted_card()) is not None else []
        )
        if not cards:
            self.notify(t("tui.mark_first"), severity="warning")
            return

        def titled(values: dict[str, Any] | None) -> None:
            if values and str(values["title"]).strip():
                group = self._do(lambda: self.engine.group_cards(values["title"], cards))
                if group is not None:
                    self.marked.clear()
                    self.refresh_view()
                    self.query_one(CardList).highlight_id(group.id)

        field = Field("title", t("tui.group_title"), placeholder=t("tui.group_placeholder"))
        self.app.push_screen(FormDialog(t("tui.group_cards", count=len(cards)), [field]), titled)

    def action_ungroup(self) -> None:
        row = self._highlighted()
        if row is not None and self.engine.group(row) is not None:
            self._do(lambda: self.engine.ungroup(row))

    def action_switch_target(self) -> None:
        picked = self.engine.picked_troubles()
        if not picked:
            self.notify(t("tui.no_target"), severity="warning")
            return
        options = [(trouble.id, f"{PICKED} {trouble.title}") for trouble in picked]
        self.app.push_screen(
            ChooseDialog(t("tui.target"), options, self.engine.live.target),
            lambda target: target and self._do(lambda: self.engine.set_target(target)),
        )

    # -- actions, export, quit -------------------------------------------------

    def action_add_action(self) -> None:
        fields = [
            Field("what", t("tui.field_what")),
            Field("who", t("tui.field_who")),
            Field("due", t("tui.field_due"), placeholder=t("tui.due_placeholder")),
        ]

        def added(values: dict[str, Any] | None) -> None:
            if values and str(values["what"]).strip():
                self._do(lambda: self.engine.add_action(**values))

        self.app.push_screen(FormDialog(t("tui.add_action"), fields), added)

    def action_delete_action(self) -> None:
        """Remove an action item recorded by mistake: choose it, then confirm."""
        items = self.engine.session.actions
        if not items:
            return
        choices = [(item.id, self._action_line(item)) for item in items]

        def chosen(action_id: str | None) -> None:
            item = next((a for a in self.engine.session.actions if a.id == action_id), None)
            if item is None:
                return

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._do(lambda: self.engine.delete_action(item.id))

            message = t("models.confirm_delete_action", text=item.what)
            self.app.push_screen(ConfirmDialog(message, t("tui.delete")), confirmed)

        self.app.push_screen(ChooseDialog(t("models.delete_action_title"), choices), chosen)

    # -- questions ------------------------------------------------------------

    def action_choose_question(self) -> None:
        """Move to another question of this step (numbered as on screen)."""
        engine = self.engine
        if len(engine.questions) < 2:
            return
        current = engine.live.question or 0
        first = self._question_number() - current
        choices = [
            (str(index), f"{numbered(first + index)}{question}")
            for index, question in enumerate(engine.questions)
        ]

        def chosen(choice: str | None) -> None:
            if choice is not None and int(choice) != engine.live.question:
                self._do(lambda: engine.set_question(int(choice)))

        dialog = ChooseDialog(t("models.choose_question"), choices, str(current))
        self.app.push_screen(dialog, chosen)

    # -- the summary's minutes fields (issue 9) ------------------------------

    def action_next_meeting(self) -> None:
        """次回開催予定: date, time and place, in a form."""

        def entered(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                meeting = read_next_meeting(values)
            except FormError as error:
                self.notify(str(error), severity="warning")
                return
            if self._accepted(lambda: self.engine.update_details(next_meeting=meeting)):
                self.notify(t("minutes_fields.next_set"), timeout=4)

        values = next_meeting_values(self.engine.session.next_meeting)
        form = FormDialog(t("minutes_fields.next_title"), form_fields(values))
        self.app.push_screen(form, entered)

    def action_approve(self) -> None:
        """議事録を確定する: asks for the approver's name (as ``chie-kokan approve --by``)."""

        def entered(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            approved = self._do(lambda: self.engine.approve(str(values["by"])))
            approval = self.engine.session.approval
            if approved is None or approval is None:
                return  # refused: the engine's notice is shown
            key = "approved" if approved else "already_approved"
            self.notify(t(f"minutes_fields.{key}", by=approval.by), timeout=6)

        fields = [Field("by", t("minutes_fields.approver"))]
        ok = t("minutes_fields.approve_ok")
        self.app.push_screen(FormDialog(t("minutes_fields.approve_title"), fields, ok), entered)

    def action_export(self) -> None:
        self.notify(t("tui.exporting"), timeout=3)
        self._export(self.engine.session.model_copy(deep=True))

    @work(thread=True, exclusive=True, group="export")
    def _export(self, session: Any) -> None:
        from chie_kokan.export import export_now

        try:
            paths = export_now(session, self.exports_dir)
        except OSError as error:
            message = t("tui.export_failed", detail=error.strerror or str(error))
            self.app.call_from_thread(self.notify, message, severity="error", timeout=15)
            return
        names = "\n".join(str(path) for path in paths)
        self.app.call_from_thread(self.notify, t("tui.exported", files=names), timeout=12)

    def action_save_quit(self) -> None:
        """Ctrl+Q: stop the clocks, then quit once the last change is on disk.

        The wait runs off the screen's thread: the meeting stays on screen,
        says it is saving, and keys still work (what they change is saved too).
        """
        assert self.saver is not None
        if self._quitting:
            return  # already on its way out
        self._quitting = True
        # The clocks stop now, so the minutes they ran are in the file.
        self.engine.pause_all_timers(at=self.engine.clock())
        self.notify(t("quit.saving"), timeout=self.QUIT_WAIT)
        self._save_then_quit()

    @work(exclusive=True, group="quit")
    async def _save_then_quit(self) -> None:
        saver = self.saver
        assert saver is not None
        # A change made while waiting (a key still works) is waited for too.
        while await asyncio.to_thread(saver.flush, self.QUIT_WAIT):
            if saver.written_revision >= self.engine.revision:
                self.app.exit(0)
                return

        # Not on disk: the banner says why; the meeting stays open unless asked.
        # (Ctrl+Q again meanwhile does not stack a second question.)
        def decided(quit_anyway: bool | None) -> None:
            self._quitting = False
            if quit_anyway:
                self.app.exit(1)

        self.app.push_screen(ConfirmDialog(t("tui.quit_unsaved"), t("tui.quit_anyway")), decided)

    @on(Button.Pressed, "#save-elsewhere")
    def _save_elsewhere(self) -> None:
        def chosen(values: dict[str, Any] | None) -> None:
            if not values or not str(values["folder"]).strip():
                return
            folder = Path(str(values["folder"]).strip()).expanduser()
            self._move_to(folder)

        field = Field("folder", t("tui.field_folder"), str(Path.home()))
        self.app.push_screen(FormDialog(t("tui.save_elsewhere"), [field]), chosen)

    @work(thread=True, exclusive=True, group="save-elsewhere")
    def _move_to(self, folder: Path) -> None:
        """Save the session as a new file in ``folder`` and record there from now on.

        Never over another file: tables of one meeting share file names, and a
        shared stick is exactly where they meet. The first free name is taken
        (``-2``, ``-3``…) and locked; the old file's lock is let go.
        """
        assert self.saver is not None
        try:
            path = create_new_file(
                folder,
                lambda: free_path(folder, self.path.stem),
                # The file as the saver writes it (one serialisation, storage.session_text).
                lambda _: self.engine.file_text()[1].encode("utf-8"),
            )
            lock = lock_session(path, clock=self.engine.clock)
        except (OSError, FileError) as error:
            message = t("tui.save_failed", file=visible(folder), detail=_detail(error))
            self.app.call_from_thread(self.notify, message, severity="error", timeout=15)
            return
        old = self.lock
        self.saver.retarget(path, lock.check if lock else None)
        if old is not None:
            old.release()
        self.app.call_from_thread(self._moved, path, lock)

    def _moved(self, path: Path, lock: SessionLock | None) -> None:
        self.path, self.lock, self._lost = path, lock, False
        self.notify(t("tui.saved_elsewhere", file=visible(path)), timeout=15)
        self._save_now()  # what changed while the new file was being made

    # -- report back (前回からの報告) -----------------------------------------

    @work(thread=True, exclusive=True, group="report-back")
    def _load_report_back(self) -> None:
        """What earlier sessions of the scenario promised and carried forward."""
        items = report_back(self.engine.session.model_copy(deep=True), self.path)
        self.app.call_from_thread(self._show_report_back, items)

    def _show_report_back(self, items: list[ReportItem]) -> None:
        self.report_back = items
        # The thread may finish while the screen is torn down (the window closed,
        # the app exiting): nothing to show then, and no crash on the way out.
        if not self.is_attached or not self.query(StepTrack):
            return
        self.refresh_view()

    def _report_items(self) -> list[ReportItem]:
        """The items due, each as this session has marked it."""
        return with_status(self.report_back, self.engine.session)

    def _reporting(self) -> bool:
        """On the opening step, with something to report on."""
        engine = self.engine
        opening = not engine.ended and spec(engine.step.kind).shows_case
        return opening and bool(self.report_back or engine.session.report_back)

    def _step_has_cards(self) -> bool:
        board = self.query_one(BoardList)
        if (
            not self.engine.ended
            and not board.voting
            and self._board_step == self.engine.step_index
        ):
            return board.option_count > 0  # a card board: a row for each card of the step
        return bool(self.engine.cards_of_step())

    def _show_report_list(self) -> None:
        report_list = self.query_one(ReportBackList)
        shown = self._reporting()
        report_list.display = shown
        self.set_class(shown, "-reporting")
        self.set_class(not self._step_has_cards(), "-no-cards")
        if shown and self.has_class("-short"):
            self.query_one("#context").display = False
            self._shown.pop("#context", None)  # shown again when next set
        if shown:
            report_list.show(self._report_items())
        elif self.focused is report_list:
            self.action_focus_entry()

    def _mark_report(self, status: ReportStatus) -> None:
        """Mark the highlighted item, with a short note typed in a small form."""
        report_list = self.query_one(ReportBackList)
        item = report_list.highlighted_item
        if item is None:
            return
        label = t(f"report_back.{status.value}")
        field = Field(
            "note", t("report_back.note"), item.note, placeholder=t("report_back.note_placeholder")
        )

        def noted(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            if self._do(lambda: self.engine.report_on(item, status, values["note"])):
                report_list.next_open()

        title = t("report_back.note_title", what=item.what, status=label)
        self.app.push_screen(FormDialog(title, [field]), noted)

    def action_report_done(self) -> None:
        self._mark_report(ReportStatus.DONE)

    def action_report_continues(self) -> None:
        self._mark_report(ReportStatus.CONTINUES)

    def action_report_dropped(self) -> None:
        self._mark_report(ReportStatus.DROPPED)
