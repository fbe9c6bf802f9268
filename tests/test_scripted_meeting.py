"""A whole meeting driven through the engine by a script, then every fact checked in the minutes.

The script keeps its own account of what happened (who said what, who spoke
how long, the votes, the picks, the date and time) as a recorder's notes
would; the minutes in Markdown, HTML and Word are read back as a reader sees
them and each fact is looked up there. Nothing here asks the engine what the
answer should be.
"""

from __future__ import annotations

import html.parser
import io
import re
from dataclasses import dataclass, field
from datetime import datetime

import docx
import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, members_from_roster, new_session
from chie_kokan.export import render_minutes
from chie_kokan.models import Scenario, Session
from chie_kokan.storage import load_scenario
from conftest import JST, SCENARIOS

OPENING, SHARE, PICK, EXCHANGE, SPREAD, REFLECT = range(6)


# -- the minutes as a reader sees them: one line a paragraph, item or table row ---------


class _Lines(html.parser.HTMLParser):
    BREAKS = {"p", "li", "tr", "h1", "h2", "h3", "h4", "div", "dt", "dd"}

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"style", "script", "head"}:
            self.skip += 1
        if tag in self.BREAKS:
            self._flush()
        if tag in {"td", "th"} and self.current:
            self.current.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "script", "head"}:
            self.skip -= 1
        if tag in self.BREAKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.current.append(data)

    def _flush(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []


def reader_lines(fmt: str, data: bytes) -> list[str]:
    if fmt == "docx":
        document = docx.Document(io.BytesIO(data))
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
        return [" ".join(line.split()) for line in lines if line.strip()]
    if fmt == "html":
        parser = _Lines()
        parser.feed(data.decode("utf-8"))
        parser._flush()
        return parser.lines
    lines = []
    for line in data.decode("utf-8").splitlines():
        line = line.strip()
        if line.startswith("|"):
            line = " | ".join(cell.strip() for cell in line.strip("|").split("|"))
        lines.append(" ".join(line.replace("**", "").split()))
    return [line for line in lines if line]


# -- the script ---------------------------------------------------------------------


@dataclass
class Notes:
    """What the recorder knows happened, kept independently of the engine."""

    cards: dict[str, str | None] = field(default_factory=dict)
    """Card text → the name it belongs under (None: 全体)."""
    spoke: dict[str, float] = field(default_factory=dict)
    turns: dict[str, int] = field(default_factory=dict)
    passes: dict[str, int] = field(default_factory=dict)
    votes: dict[str, int] = field(default_factory=dict)
    picked: set[str] = field(default_factory=set)


@dataclass
class Meeting:
    engine: SessionEngine
    clock: ManualClock
    notes: Notes
    names: dict[str, str]

    def talk(self, seconds: float) -> None:
        """The floor holder talks while the clock runs."""
        self.clock.advance(seconds)
        speaker = self.engine.live.speaker
        if speaker is not None and self.engine.timer_running:
            name = self.names[speaker]
            self.notes.spoke[name] = self.notes.spoke.get(name, 0) + seconds

    def wait(self, seconds: float) -> None:
        """Time passes that is nobody's speaking time (a pause, a step away, a crash)."""
        self.clock.advance(seconds)

    def card(self, text: str, who: str | None, **fields: str) -> str:
        card = self.engine.record_card(text, **fields)
        self.notes.cards[text] = who
        return card.id

    def turn(self, name: str) -> None:
        self.notes.turns[name] = self.notes.turns.get(name, 0) + 1


def run_meeting(scenario: Scenario, clock: ManualClock) -> tuple[Session, Notes, datetime]:
    members = members_from_roster(scenario.participants[:4])
    session = new_session(scenario, session_id="script", members=members, clock=clock)
    # The setup screen's date and time: the meeting was called for 14:00.
    session.created_at = clock()
    names = {m.id: m.name for m in members}
    yamada, sato, suzuki, takahashi = (m.name for m in members)
    m = Meeting(SessionEngine(session, clock), clock, Notes(), names)
    e = m.engine

    m.wait(7 * 60)  # people arrive; F7 on the setup screen at 14:07
    e.begin()
    m.card("前回の報告: 見守りマップを回覧した", None)  # opening: nobody has the floor
    m.wait(60)

    e.next_step()  # share, a round: 山田 first
    m.talk(30)
    m.card("バスが減った", yamada)
    m.talk(10)
    e.advance_speaker(record="坂がつらい")  # typed while 山田 spoke, F2 before Enter
    m.notes.cards["坂がつらい"] = yamada
    m.turn(yamada)
    m.talk(20)  # 佐藤
    e.toggle_timer()  # F5: the phone rang
    m.wait(300)
    e.toggle_timer()
    m.talk(10)
    e.previous_step()  # F6 by mistake, mid-round
    m.wait(40)
    e.next_step()  # back: 佐藤 still has the floor
    assert e.live.speaker == "p2"
    m.talk(15)
    wrong = m.card("ゴミの日がわからない", sato)
    e.edit_card(wrong, speaker="p3")  # it was 鈴木 who said it
    m.notes.cards["ゴミの日がわからない"] = suzuki
    m.card("重い物が買えない", sato)
    e.advance_speaker()
    m.turn(sato)
    m.clock.advance(25)  # 鈴木 thinks, then passes: a pass is not speaking time
    e.pass_turn()
    m.notes.passes[suzuki] = 1
    m.talk(35)  # 高橋
    m.card("エレベーターがない", takahashi)

    # The laptop dies: the file holds everything up to the last change.
    on_disk = Session.model_validate_json(e.session.model_dump_json())
    m.wait(20)  # said but never saved: lost with the crash, and not counted
    m.wait(600)
    e = m.engine = SessionEngine(on_disk, clock)
    e.resume()
    m.wait(45)  # settling down: nothing counts until F5
    e.toggle_timer()
    m.talk(5)
    e.advance_speaker()
    m.turn(takahashi)

    e.next_step()  # pick, free: raised hands
    e.choose_speaker("p1")
    m.card("通院がたいへん", yamada)  # a trouble raised on the pick step itself
    m.turn(yamada)
    assert e.live.speaker is None  # the floor is everyone's again
    troubles = {t.title: t.id for t in e.troubles()}
    group = e.group_cards("移動がたいへん", [troubles["バスが減った"], troubles["坂がつらい"]])
    e.set_votes(group.id, 5)
    e.set_votes(troubles["通院がたいへん"], 3)
    e.vote(troubles["重い物が買えない"])
    e.set_picked(group.id, True)
    e.set_picked(troubles["通院がたいへん"], True)
    m.notes.votes = {"移動がたいへん": 5, "通院がたいへん": 3, "重い物が買えない": 1}
    m.notes.picked = {"移動がたいへん", "通院がたいへん"}

    e.next_step()  # exchange, a round per question; the top pick is discussed first
    assert e.live.target == group.id
    m.talk(20)
    m.card("送迎ボランティアを募る", yamada)
    e.advance_speaker()
    m.turn(yamada)
    e.set_target(troubles["通院がたいへん"])
    m.talk(25)
    m.card("通院の付き添いを紹介できる", sato)
    e.advance_speaker()
    m.turn(sato)
    e.pass_turn()
    m.notes.passes[suzuki] += 1
    e.pass_turn()
    m.notes.passes[takahashi] = 1
    assert e.live.question == 1  # everyone answered ①: on to ②
    m.talk(12)
    m.card("移動販売を呼ぶ", yamada)
    e.advance_speaker()
    m.turn(yamada)  # 佐藤 has the floor for ② when the room moves on: not a turn spoken

    e.next_step()  # spread
    e.choose_speaker("p3")
    m.card("木曜の移動販売", suzuki, runs_by="NPO法人 たすけあいの会", place="集会所前")
    m.turn(suzuki)
    e.add_action("移動販売の日程を回覧する", who=yamada, due="12月末")
    e.next_step()  # reflect, a round: 山田 first, then the meeting ends
    m.talk(60)
    end = clock()
    e.finish()
    m.turn(yamada)
    assert e.session.cards[0].speaker is None
    return e.session, m.notes, end


# -- the facts, read back ------------------------------------------------------------


@pytest.fixture(scope="module")
def meeting() -> tuple[Session, Notes, datetime]:
    clock = ManualClock(datetime(2026, 11, 27, 14, 0, tzinfo=JST))
    return run_meeting(load_scenario(SCENARIOS / "shimizu.toml"), clock)


FORMATS = ["md", "html", "docx"]


def minutes_lines(session: Session, fmt: str) -> list[str]:
    data = render_minutes([session], fmt)  # type: ignore[arg-type]
    return reader_lines(fmt, data)


def ja_duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return (f"{minutes}分" if minutes else "") + (f"{secs}秒" if secs or not minutes else "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_word_is_under_the_right_name(
    meeting: tuple[Session, Notes, datetime], fmt: str
) -> None:
    session, notes, _ = meeting
    lines = minutes_lines(session, fmt)
    everyone = [m.name for m in session.members]
    for text, who in notes.cards.items():
        # "〔対象: …〕" quotes the trouble an answer is for: not the trouble's own line.
        found = [line for line in lines if text in re.sub(r"〔[^〕]*〕", "", line)]
        assert found, f"{fmt}: {text!r} is missing"
        for line in found:  # a vote result may quote it without a name, never another's
            named = [name for name in everyone if name in line]
            assert set(named) <= {who}, f"{fmt}: {line!r} should be {who}'s"
        if who is not None:
            assert any(who in line for line in found), f"{fmt}: {text!r} never under {who}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_votes_and_picks_are_those_of_the_room(
    meeting: tuple[Session, Notes, datetime], fmt: str
) -> None:
    session, notes, _ = meeting
    lines = minutes_lines(session, fmt)
    for title, votes in notes.votes.items():
        results = [line for line in lines if title in line and "票" in line]
        assert results, f"{fmt}: no result line for {title!r}"
        star = "★" if title in notes.picked else ""
        assert any(re.search(rf"{star}.*{title}.*（{votes}票）", line) for line in results), results
        if title not in notes.picked:
            assert not any("★" in line for line in results)
    decided = [line for line in lines if "決定事項" in line]
    assert decided and not any("なし" in line for line in decided), decided
    for title in notes.picked:
        assert sum(title in line for line in lines) >= 2  # in the results and the decisions


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_date_and_time_are_those_set_up_and_the_last_step_ended(
    meeting: tuple[Session, Notes, datetime], fmt: str
) -> None:
    session, _, end = meeting
    lines = minutes_lines(session, fmt)
    (held,) = [line for line in lines if line.startswith("開催日時")]
    expected_end = end.strftime("%H:%M")
    assert held.endswith(f"令和8年11月27日（金） 14:00〜{expected_end}"), held


@pytest.mark.parametrize("fmt", FORMATS)
def test_speaking_time_counts_only_what_was_spoken(
    meeting: tuple[Session, Notes, datetime], fmt: str
) -> None:
    session, notes, _ = meeting
    lines = minutes_lines(session, fmt)
    for member in session.members:
        name = member.name
        row = f"{name} | {member.organization} | {ja_duration(notes.spoke.get(name, 0))}"
        expected = f"{row} | {notes.turns.get(name, 0)} | {notes.passes.get(name, 0)}"
        assert expected in lines, (expected, [line for line in lines if name in line])
