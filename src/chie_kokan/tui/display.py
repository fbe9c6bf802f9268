"""The audience view: a read-only window that follows the session file live.

``chie-kokan display SESSION`` opens on a second window (the projector on an
extended desktop, or a browser through ``chie-kokan serve``) while the
operator records in ``chie-kokan resume``. It takes no lock and writes
nothing: a thread polls the file's identity (inode, size, mtime) four times
a second and parses it only when that changed, so the screen's thread never
waits for a big file. The operator's saves are atomic renames; a file that
still fails to parse (a hand edit) is skipped and the last good state stays
on screen, as it does while the file is missing.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.driver import Driver
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from chie_kokan.clock import Clock, system_clock
from chie_kokan.engine import SessionEngine
from chie_kokan.facts import Trouble, question_number
from chie_kokan.files import recording_path
from chie_kokan.i18n import Language, at_table, set_language, t
from chie_kokan.models import Card, Member, ReportItem, Session, TurnMode, spec
from chie_kokan.problems import FileError, visible
from chie_kokan.report_back import report_back, with_status
from chie_kokan.storage import load_session
from chie_kokan.tui.glyphs import PICKED, SEPARATOR, numbered
from chie_kokan.tui.line_breaking import wrap
from chie_kokan.tui.summary import cards_per_step
from chie_kokan.tui.themes import THEMES
from chie_kokan.tui.widgets.report_back import item_text, status_label
from chie_kokan.tui.widgets.rules import GroundRules
from chie_kokan.tui.widgets.speaker_panel import SpeakerPanel
from chie_kokan.tui.widgets.step_track import StepTrack
from chie_kokan.tui.widgets.timebox import ClockDigits, TimeBox, clock_face
from chie_kokan.tui.widgets.wrapped_text import WrappedText

POLL_SECONDS = 0.25
"""How often the file is looked at: every save shows within half a second."""

MIN_SIZE = Size(60, 20)
"""Below this the display asks for a bigger window rather than cut the room's words."""

Signature = tuple[int, int, int, int]
"""(device, inode, size, mtime in ns): a save (a rename) always changes it."""


def file_signature(path: Path) -> Signature | None:
    """What identifies the file's current content without reading it; None when it is gone."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


# -- the board: the newest cards, or the troubles by votes ---------------------


Entry = tuple[Content, Content]
"""A card as the wall shows it: what was said, and who said it."""


def entry_lines(entry: Entry, width: int) -> list[Content]:
    """A card in lines of ``width`` cells; who said it is never broken over two lines:
    after the words when it fits there, else on a line of its own, to the right."""
    body, label = entry
    lines = wrap(body, width)
    if not label.plain:
        return lines
    size = cell_len(label.plain)
    if cell_len(lines[-1].plain) + 2 + size <= width:
        lines[-1] = lines[-1] + Content("  ") + label
    elif size <= width:
        lines.append(Content(" " * (width - size)) + label)
    else:
        lines += wrap(label, width)
    return lines


class CardWall(Widget):
    """Entries that fit, each wrapped the Japanese way: the newest at the bottom
    (a share board), or the first at the top (troubles, most votes first).

    Nothing scrolls on the projector: what does not fit is counted on one line.
    """

    DEFAULT_CSS = """
    CardWall { height: 1fr; border: round $panel; padding: 0 1; }
    """

    def __init__(self, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.entries: list[Entry] = []
        self.newest_last = True
        self.total = 0

    def show(self, entries: list[Entry], *, newest_last: bool, total: int | None = None) -> None:
        """Show ``entries``: the newest (or first) of ``total`` (the rest are only counted)."""
        total = len(entries) if total is None else total
        if (entries, newest_last, total) == (self.entries, self.newest_last, self.total):
            return
        self.entries = entries
        self.newest_last = newest_last
        self.total = total
        self.refresh()

    def render(self) -> Content:
        width, height = self.content_region.width, self.content_region.height
        if not self.entries or width < 2 or height < 1:
            return Content(t("display.no_cards") if not self.entries else "")
        order = list(reversed(self.entries)) if self.newest_last else list(self.entries)
        kept: list[list[Content]] = []
        used = 0
        for index, entry in enumerate(order):
            lines = entry_lines(entry, width)
            left = len(order) - index - 1
            room = height - used - (1 if left else 0)  # keep a line to count the rest
            if len(lines) > room:
                if not kept and room > 0:  # one long card: as much of it as fits
                    whole = entry[0] + Content("  ") + entry[1]
                    kept.append(wrap(whole, width, max_lines=room))
                break
            kept.append(lines)
            used += len(lines)
        hidden = self.total - len(kept)
        if self.newest_last:
            kept.reverse()
        lines = [line for entry_lines in kept for line in entry_lines]
        if hidden:
            more = Content.styled(t("display.more_cards", count=hidden), "italic")
            lines = [more, *lines] if self.newest_last else [*lines, more]
        return Content("\n").join(lines)


# -- following the file ------------------------------------------------------


@dataclass
class SessionRead(Message):
    """A new good state of the session file."""

    session: Session
    report_items: list[ReportItem]
    """Earlier sessions' items due at the opening (empty when none or not needed)."""


@dataclass
class FileTrouble(Message):
    """The file is gone (``missing``) or cannot be read now; the last state stays."""

    missing: bool


@dataclass
class FileBack(Message):
    """The file is readable again (the next SessionRead carries its state)."""


class TooSmall(Static):
    """Below 60×20: one calm line asking for a bigger window."""


class DisplayApp(App[int]):
    """The room's view of the meeting: step, question, speaker, time, cards, rules."""

    CSS_PATH = "display.tcss"
    TITLE = "chie-kokan"
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        session: Session,
        path: Path,
        *,
        signature: Signature | None,
        clock: Clock = system_clock,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        super().__init__()
        self.path = path
        self.clock = clock
        self.poll_seconds = poll_seconds
        self.engine = SessionEngine(session, clock)
        """Read only: the display calls none of its changes, and never saves."""
        self.report_items: list[ReportItem] = []
        self.file_state = "ok"
        """ok, missing (the file is gone) or unreadable (it fails to parse)."""
        self.reads = 0
        """Good states shown so far (tests wait on it)."""
        self._first = (signature, session)
        self._stop = threading.Event()
        self._shown: dict[str, object] = {}
        self.fit = ""
        """The window's size class: tiny, small, medium or large."""
        self.rows = 0
        """The window's height: no more cards are drawn than it has lines."""
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = THEMES[0].name

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TooSmall(t("display.too_small", width=MIN_SIZE.width, height=MIN_SIZE.height))
        with Vertical(id="body"):
            # The meeting's name, so the room (and a late arrival) knows what this is.
            yield Static(id="title", markup=False)
            yield StepTrack(id="track")
            yield Static(id="note", markup=False)
            with Horizontal(id="main"):
                with Vertical(id="centre"):
                    yield WrappedText(id="heading")
                    yield WrappedText(id="question")
                    yield WrappedText(id="context")
                    yield WrappedText(id="report-back")
                    yield CardWall(id="cards")
                    with Horizontal(id="summary"):
                        yield Static(id="summary-main")
                with Vertical(id="side"):
                    yield SpeakerPanel(id="speaker")
                    yield TimeBox(id="timebox")
            yield GroundRules(self.engine.session.scenario.rules, id="rules")

    def on_mount(self) -> None:
        self._fit(self.size)
        self.refresh_view()
        self.set_interval(POLL_SECONDS, self._tick)
        signature, session = self._first
        self._follow(signature, session)

    def on_unmount(self) -> None:
        self._stop.set()

    def on_resize(self, event: Resize) -> None:
        self._fit(event.size)
        self.refresh_view()  # a taller window has room for more cards

    def _fit(self, size: Size) -> None:
        """Sizes: a request below 60×20, tight up to 100×30, room to grow from 160×45."""
        width, height = size
        self.rows = height
        if width < MIN_SIZE.width or height < MIN_SIZE.height:
            fit = "tiny"
        elif width < 100 or height < 30:
            fit = "small"
        elif width >= 160 and height >= 45:
            fit = "large"
        else:
            fit = "medium"
        if fit == self.fit:
            return
        self.fit = fit
        for name in ("tiny", "small", "large"):
            self.screen.set_class(fit == name, f"-{name}")
        # Pixel size 2 on a wall, 1 in a medium window, Textual's Digits when small.
        self.query_one(ClockDigits).set_limits({"large": 2, "medium": 1}.get(fit, 0), 10)

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        if driver.__name__ == "LinuxDriver":
            # A stray byte that is not UTF-8 must not close the projector (textual#6456).
            from chie_kokan.tui.driver import TolerantLinuxDriver

            return TolerantLinuxDriver
        return driver

    # -- following the file ----------------------------------------------------

    @work(thread=True, exclusive=True, group="follow")
    def _follow(self, signature: Signature | None, session: Session) -> None:
        """Poll the file; parse it here, off the screen's thread, only when it changed."""
        worker = get_current_worker()
        last = signature
        due: list[ReportItem] | None = None
        due_for = session.id
        trouble = False

        def publish(current: Session) -> None:
            nonlocal due, due_for
            if current.id != due_for:  # another session in the file's place
                due, due_for = None, current.id
            # 前回からの報告 reads the other sessions in the folder: once, when it is needed.
            if due is None and current.live.step == 0 and not current.live.ended:
                due = report_back(current, self.path)
            self.post_message(SessionRead(current, list(due or [])))

        publish(session)
        while not self._stop.wait(self.poll_seconds) and not worker.is_cancelled:
            now = file_signature(self.path)
            if now is None:
                if last is not None or not trouble:
                    self.post_message(FileTrouble(missing=True))
                last, trouble = None, True
                continue
            if now == last:
                continue
            last = now
            try:
                current = load_session(self.path)
            except FileError:
                # A hand edit mid-way, a foreign file: keep the last good state.
                self.post_message(FileTrouble(missing=False))
                trouble = True
                continue
            if trouble:
                self.post_message(FileBack())
                trouble = False
            publish(current)

    @on(SessionRead)
    def _read(self, message: SessionRead) -> None:
        self.engine = SessionEngine(message.session, self.clock)
        self.report_items = message.report_items
        self.reads += 1
        self.refresh_view()

    @on(FileTrouble)
    def _trouble(self, message: FileTrouble) -> None:
        self.file_state = "missing" if message.missing else "unreadable"
        self._show_note()

    @on(FileBack)
    def _back(self) -> None:
        self.file_state = "ok"
        self._show_note()

    def _show_note(self) -> None:
        note = self.query_one("#note", Static)
        if self.file_state == "ok":
            note.display = False
            return
        key = "display.file_missing" if self.file_state == "missing" else "display.file_unreadable"
        note.update(t(key, file=visible(self.path.name)))
        note.display = True

    # -- drawing -----------------------------------------------------------------

    def _tick(self) -> None:
        """Four times a second: only the clocks move (computed from the file's timers)."""
        engine = self.engine
        if engine.ended or not self.is_mounted:
            return
        total = (engine.step.minutes or 0) * 60
        remaining = engine.step_remaining()
        running = engine.timer_running
        shown = (clock_face(remaining), remaining < 0, remaining <= total * 0.2, running)
        if self._shown.get("timer") != shown:
            self._shown["timer"] = shown
            self.query_one(TimeBox).show(remaining, total, running)
        # A small window keeps the room's clock and drops the speaker's.
        small = self.fit == "small"
        turn = (None if small else engine.turn_elapsed(), engine.step.seconds_per_turn)
        face = None if turn[0] is None else clock_face(turn[0])
        if self._shown.get("turn") != (face, turn[1]):
            self._shown["turn"] = (face, turn[1])
            self.query_one(SpeakerPanel).show_turn_timer(*turn)

    def refresh_view(self) -> None:
        """Redraw everything from the last good state."""
        engine = self.engine
        screen = self.screen
        rules = engine.session.scenario.rules
        if self._shown.get("rules") != rules:  # another session put in the file's place
            self._shown["rules"] = list(rules)
            self.query_one(GroundRules).show_rules(list(rules))
        title = engine.session.scenario.title
        if self._shown.get("title") != title:
            self._shown["title"] = title
            self.query_one("#title", Static).update(title)
        titles = [t(f"step.{step.kind.value}.short") for step in engine.steps]
        self.query_one(StepTrack).show(titles, engine.step_index, engine.ended)
        screen.set_class(engine.ended, "-ended")
        if engine.ended:
            # In a small window the track says it: まとめ.
            summary = "" if self.fit == "small" else t("tui.summary_title")
            self._set("#heading", Text(summary, style="bold"))
            self._set("#question", "")
            self._set("#context", "")
            self._set("#report-back", "")
            self._show_summary()
            return
        step = engine.step
        heading = Text()
        # A small window names the step in the track only: the prompt has the line.
        if self.fit != "small" or not step.prompt:
            title = f"{numbered(engine.step_index + 1)} {step.title}"
            heading.append(title, style="bold underline")
        if step.prompt:
            heading.append("\n" if heading else "")
            heading.append(step.prompt, style="bold")
        self._set("#heading", heading)
        if engine.question is not None:
            number = question_number(engine.steps, engine.step_index, engine.live.question)
            self._set("#question", f"{numbered(number)}{engine.question}")
        else:
            self._set("#question", "")
        items = self._report_items()
        small = self.fit == "small"
        # Long text ends in "…" where the room runs out, never cut off silently.
        # In a small window the promises take the case's place (the prompt names it).
        context = self.query_one("#context", WrappedText)
        context.max_lines = 4 if small else 10 if self.fit == "medium" else 14
        self._set("#context", Text() if small and items else self._context_text())
        self.query_one("#report-back", WrappedText).max_lines = 6 if small else 12
        self._set("#report-back", self._report_text(items, compact=small))
        pick = spec(step.kind).takes_votes
        # The opening is read aloud: until someone speaks, the case has the room.
        # A step that records nothing (a break) has no board at all.
        kind = spec(step.kind)
        quiet = (kind.shows_case or not kind.takes_cards) and not engine.cards_of_step()
        screen.set_class(quiet, "-no-cards")
        wall = self.query_one(CardWall)
        wall.border_title = self._board_title()
        # No more entries than the window has lines: a board of thousands stays quick.
        most = max(self.rows, 1)
        if pick:
            troubles = engine.troubles()
            entries = self._trouble_entries(troubles[:most])
            wall.show(entries, newest_last=False, total=len(troubles))
        else:
            cards = engine.cards_of_step()
            wall.show(self._card_entries(cards[-most:]), newest_last=True, total=len(cards))
        if not kind.takes_turns:
            self.query_one(SpeakerPanel).show_no_turns(step.kind)
        else:
            self.query_one(SpeakerPanel).show(
                engine.current_speaker,
                engine.upcoming(),
                # Who has spoken this round, where there is room for it.
                engine.members if step.turns is TurnMode.ROUND and self.fit != "small" else [],
                engine.round_status(),
                None if self.fit == "small" else engine.turn_elapsed(),
                step.seconds_per_turn,
                engine.live.round,
                engine.table_round(),
            )
        self._shown.pop("timer", None)
        self._shown.pop("turn", None)
        self._tick()

    def _set(self, selector: str, content: Text | str) -> None:
        if self._shown.get(selector) == content:
            return
        self._shown[selector] = content
        widget = self.query_one(selector, WrappedText)
        widget.update(content)
        widget.display = bool(str(content).strip())

    def _context_text(self) -> Text:
        """On the opening: the theme and the case; on a pick step: how to vote;
        on an exchange step: the trouble being answered; later: the actions."""
        engine = self.engine
        scenario = engine.session.scenario
        kind = spec(engine.step.kind)
        text = Text()
        if kind.shows_case:
            text.append(f"{t('tui.theme')}: ", style="bold")
            text.append(scenario.theme)
            if scenario.case:
                case = scenario.case
                text.append(f"\n{t('tui.case')}: ", style="bold")
                text.append(f"{case.name}　{case.summary}".rstrip())
                for detail in case.details:
                    text.append(f"\n  ・{detail}")
        elif kind.takes_votes and engine.step.votes_per_person and self.fit != "small":
            text.append(t("tui.votes_per_person", count=engine.step.votes_per_person), style="bold")
        elif kind.takes_target:
            target = next((tr for tr in engine.troubles() if tr.id == engine.live.target), None)
            text.append(f"{t('tui.target')}: ", style="bold")
            text.append(f"{PICKED} {target.title}" if target else t("tui.no_target"))
        elif kind.shows_actions and engine.session.actions:
            text.append(t("tui.actions"), style="bold")
            for item in engine.session.actions:
                text.append(f"\n  ・{_action_line(item.what, item.who, item.due)}")
        return text

    def _report_items(self) -> list[ReportItem]:
        engine = self.engine
        if engine.ended or not spec(engine.step.kind).shows_case:
            return []
        return with_status(self.report_items, engine.session)

    @staticmethod
    def _report_text(items: list[ReportItem], *, compact: bool = False) -> Text:
        """前回からの報告: each item with its status; ``compact``: what, on one line."""
        if not items:
            return Text()
        text = Text(t("report_back.title"), style="bold")
        for item in items:
            text.append("\n  ")
            if compact:
                text.append(f"【{status_label(item)}】", style="bold" if item.status else "dim")
                text.append(item.what, style="bold")
            else:
                text.append(item_text(item))
        return text

    def _board_title(self) -> str:
        engine = self.engine
        if spec(engine.step.kind).takes_votes:
            count = len(engine.troubles())
            if self.fit != "small":
                return t("display.troubles_title", count=count)
            # A small window: how many votes each has, on the board's frame.
            votes = engine.step.votes_per_person
            title = t("display.troubles_title_short", count=count)
            return f"{title} {t('tui.votes_per_person', count=votes)}" if votes else title
        return t("display.cards_title", count=len(engine.cards_of_step()))

    def _speaker_label(self, card: Card) -> str:
        member = self.engine.session.member(card.speaker)
        if member is None:
            return t("defaults.unsigned")
        if self.fit == "small":  # the name alone; the speaker panel has the organisation
            return member.name
        return _member_label(member)

    def _card_text(self, card: Card, prefix: Text | None = None) -> Entry:
        text = prefix.copy() if prefix is not None else Text()
        text.append(card.text, style="bold")
        if card.runs_by or card.place:
            details = " / ".join(part for part in (card.runs_by, card.place) if part)
            text.append(f"  〔{details}〕")
        # A report's words are the table's: say which.
        who = at_table(self._speaker_label(card), card.table)
        label = Content.styled(f"{SEPARATOR} {who}", "italic")
        return Content.from_rich_text(text), label

    def _card_entries(self, cards: list[Card]) -> list[Entry]:
        engine = self.engine
        first = question_number(engine.steps, engine.step_index, 0)
        entries = []
        for card in cards:
            prefix = "・"
            if card.question is not None:
                prefix = f"{numbered(first + card.question)} "
            entries.append(self._card_text(card, Text(prefix)))
        return entries

    def _trouble_entries(self, troubles: list[Trouble]) -> list[Entry]:
        entries = []
        for trouble in troubles:  # most votes first
            text = Text()
            text.append(f"{PICKED} " if trouble.picked else "  ", style="bold")
            text.append(f"{t('tui.votes', count=trouble.votes):>4} ", style="bold")
            if trouble.is_group:
                text.append(f"【{trouble.title}】", style="bold")
                size = Content.styled(t("tui.group_size", count=len(trouble.cards)), "italic")
                entries.append((Content.from_rich_text(text), size))
            else:
                entries.append(self._card_text(trouble.cards[0], text))
        return entries

    def _show_summary(self) -> None:
        engine = self.engine
        session = engine.session
        parts: list[RenderableType] = [Text(t("tui.summary_picked"), style="bold")]
        picked = engine.picked_troubles()
        for trouble in picked:
            votes = t("tui.votes", count=trouble.votes)
            parts.append(Text(f"  {PICKED} {trouble.title}  {votes}"))
        if not picked:
            parts.append(Text("  " + t("tui.summary_none")))
        parts.append(Text("\n" + t("tui.actions"), style="bold"))
        for item in session.actions:
            parts.append(Text(f"  ・{_action_line(item.what, item.who, item.due)}"))
        if not session.actions:
            parts.append(Text("  " + t("tui.summary_none")))
        if self.fit == "small":  # what the meeting decided has the room
            self.query_one("#summary-main", Static).update(Group(*parts))
            return
        parts.append(Text("\n" + t("tui.summary_counts"), style="bold"))
        parts.append(cards_per_step(engine))
        # Speaking time per person stays on the operator's screen: a league
        # table of who talked how long, in front of the room and any observers,
        # works against "vague is fine, relax" (and the minutes keep it internal).
        self.query_one("#summary-main", Static).update(Group(*parts))


def _member_label(member: Member) -> str:
    if not member.organization:
        return member.name
    return t("tui.speaker_org", name=member.name, org=member.organization)


def _action_line(what: str, who: str, due: str) -> str:
    parts: Iterable[str] = (
        what,
        t("tui.action_who", who=who) if who else "",
        t("tui.action_due", due=due) if due else "",
    )
    return "　".join(part for part in parts if part)


def make_display(
    path: Path,
    *,
    language: Language | None = None,
    clock: Clock = system_clock,
    poll_seconds: float = POLL_SECONDS,
) -> DisplayApp:
    """Build the audience view. Raises :class:`FileError` for a file that cannot be shown.

    No lock is taken: the operator keeps recording. A symlinked session is
    followed to the file the saves really replace. The language is
    ``language`` if given, else the scenario's own (Japanese by default).
    """
    path = recording_path(path)
    signature = file_signature(path)
    session = load_session(path)
    set_language(language or session.scenario.language)
    return DisplayApp(session, path, signature=signature, clock=clock, poll_seconds=poll_seconds)
