"""Nothing lost in a real terminal: two windows on a session, kill -9, fast keys, bad bytes, bugs.

The installed program runs in tmux as in ``test_tui_tmux``: keys travel as
bytes through a pty; we read the pane and the session file.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from chie_kokan.clock import system_clock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.lock import LockInfo, lock_path
from chie_kokan.models import Card, Scenario, StepKind
from chie_kokan.storage import create_session_file, load_session, save_session
from chie_kokan.tui.glyphs import numbered
from test_tui_tmux import PROGRAM, Tmux, wait_for, wait_on_disk
from test_tui_tmux import tmux as tmux  # the fixture

pytestmark = pytest.mark.skipif(not PROGRAM.exists(), reason=f"{PROGRAM} is not installed")


@pytest.fixture
def session_file(shimizu: Scenario, tmp_path: Path) -> Path:
    """A Shimizu-san session, begun and on the share step (山田 has the floor)."""
    engine = SessionEngine(new_session(shimizu, session_id="shimizu", clock=system_clock))
    engine.begin()
    engine.next_step()
    return create_session_file(engine.session, tmp_path / "sessions")


def relative(tmux: Tmux, path: Path) -> str:
    return str(path.relative_to(tmux.workdir))


def printed(tmux: Tmux, *texts: str) -> str:
    """What a program that has ended printed (scrollback included), once all ``texts`` show."""
    seen = ""

    def showing() -> bool:
        nonlocal seen
        seen = tmux.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", tmux.window, check=False)
        flat = "".join(seen.split())
        return all("".join(text.split()) in flat for text in texts)

    wait_for(showing, f"{texts} printed")
    return seen


def test_a_second_window_is_refused_and_a_killed_windows_lock_is_taken_over(
    tmux: Tmux, session_file: Path
) -> None:
    tmux.start("resume", relative(tmux, session_file))
    tmux.wait_screen("山田 花子 さんの発言を記録")
    first_window, first_pid = tmux.window, tmux.program_pid()
    holder = LockInfo.parse(lock_path(session_file).read_bytes())
    assert holder is not None and holder.pid == first_pid

    # A second terminal on the same session: refused, with who and what to do.
    tmux.start("resume", relative(tmux, session_file))
    assert tmux.exit_status() == 2
    refusal = printed(tmux, "別の画面で開かれています", str(first_pid), "--take-over")
    assert "Traceback" not in refusal

    # The first window goes on recording, undisturbed.
    tmux.window = first_window
    tmux.type("最初の画面のカード")
    tmux.keys("Enter")
    wait_on_disk(session_file, lambda s: len(s.cards) == 1, "the first window's card")

    # The laptop dies: its lock stays behind, naming a dead process.
    os.kill(first_pid, signal.SIGKILL)
    wait_for(lambda: not Path(f"/proc/{first_pid}").exists(), "the first program to die")
    assert lock_path(session_file).exists()

    tmux.start("resume", relative(tmux, session_file))
    # The notice names the process whose lock was stale. (Its Japanese is
    # checked through Pilot: tmux shows Textual dropping wide characters
    # where a toast overlaps a border, textual#6357.)
    tmux.wait_screen("山田 花子 さんの発言を記録", str(first_pid))
    holder = LockInfo.parse(lock_path(session_file).read_bytes())
    assert holder is not None and holder.pid == tmux.program_pid()
    tmux.type("引き継いだ画面のカード")
    tmux.keys("Enter")
    wait_on_disk(session_file, lambda s: len(s.cards) == 2, "the new window's card")
    tmux.keys("C-q")
    assert tmux.exit_status() == 0
    assert not lock_path(session_file).exists()
    assert [c.text for c in load_session(session_file).cards] == [
        "最初の画面のカード",
        "引き継いだ画面のカード",
    ]


def test_keys_10_ms_apart_make_one_card_per_line_with_1000_cards_on_the_board(
    tmux: Tmux, session_file: Path
) -> None:
    session = load_session(session_file)
    now = system_clock()
    session.cards = [
        Card(id=f"c{n}", step=1, kind=StepKind.SHARE, text=f"earlier card {n}", created_at=now)
        for n in range(1, 1001)
    ]
    save_session(session, session_file)
    lines = [f"quick line {n} done" for n in range(1, 31)]
    tmux.start("resume", relative(tmux, session_file))
    tmux.wait_screen("山田 花子 さんの発言を記録")
    for line in lines:
        for key in [*line, "Enter"]:
            tmux.keys("Enter") if key == "Enter" else tmux.type(key)
            time.sleep(0.01)
    recorded = wait_on_disk(session_file, lambda s: len(s.cards) >= 1030, "thirty new cards")
    time.sleep(0.5)  # anything split off would arrive now
    recorded = load_session(session_file)
    assert [c.text for c in recorded.cards[1000:]] == lines
    tmux.keys("C-q")
    assert tmux.exit_status() == 0


def test_a_byte_that_is_not_utf8_does_not_end_the_meeting(tmux: Tmux, session_file: Path) -> None:
    tmux.start("resume", relative(tmux, session_file))
    tmux.wait_screen("山田 花子 さんの発言を記録")
    tmux.tmux("send-keys", "-t", tmux.window, "-H", "ff")
    tmux.type("壊れたバイトのあとも記録できる")
    tmux.keys("Enter")
    wait_on_disk(
        session_file,
        lambda s: [c.text for c in s.cards] == ["壊れたバイトのあとも記録できる"],
        "the card after the bad byte",
    )
    tmux.keys("C-q")
    assert tmux.exit_status() == 0


CRASHING = (
    "import sys\n"
    "from chie_kokan.engine import SessionEngine\n"
    "from chie_kokan.cli import main\n"
    "def broken(self):\n"
    "    raise RuntimeError('injected bug')\n"
    "SessionEngine.toggle_timer = broken\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def test_a_crash_exits_non_zero_and_says_where_the_session_is(
    tmux: Tmux, session_file: Path
) -> None:
    """A bug (injected here: F5 raises) must not lose the meeting or look like success."""
    path = relative(tmux, session_file)
    tmux.start("resume", path, program=(sys.executable, "-c", CRASHING))
    tmux.wait_screen("山田 花子 さんの発言を記録")
    tmux.type("落ちる直前のカード")
    tmux.keys("Enter")
    wait_on_disk(session_file, lambda s: len(s.cards) == 1, "the card on disk")
    tmux.keys("F5")
    assert tmux.exit_status() == 3
    resume = f"chie-kokan resume {path}"
    screen = printed(tmux, "予期しないエラー", "記録は保存してあります", resume)
    assert "Traceback" not in screen
    assert "injected bug" not in screen  # details go to the log, not the projector
    [log] = session_file.parent.glob("chie-kokan-crash-*.log")
    assert "RuntimeError: injected bug" in log.read_text(encoding="utf-8")
    assert [c.text for c in load_session(session_file).cards] == ["落ちる直前のカード"]
    assert not lock_path(session_file).exists()


def test_escape_sequences_in_a_file_never_reach_the_terminal(
    tmux: Tmux, session_file: Path
) -> None:
    """A hostile session file: a name that retitles the terminal, a card that wipes it."""
    session = load_session(session_file)
    session.cards = [
        Card(
            id="c1",
            step=1,
            kind=StepKind.SHARE,
            text="消えるCARD",
            speaker="p1",
            created_at=system_clock(),
        )
    ]
    save_session(session, session_file)
    # Written into the file itself, as a hostile file would have them.
    text = session_file.read_text(encoding="utf-8")
    text = text.replace('name = "山田 花子"', 'name = "山田 花子\\u001b]0;HACKED\\u0007"', 1)
    text = text.replace("消えるCARD", "消える\\u001b[2J\\u001b[H?", 1)
    assert "\\u001b[2J" in text and "HACKED" in text
    session_file.write_text(text, encoding="utf-8")
    tmux.start("resume", relative(tmux, session_file))
    title = tmux.pane("#{pane_title}")
    screen = tmux.wait_screen("消える", "お約束", "山田 花子")
    assert "HACKED" not in tmux.pane("#{pane_title}")
    assert tmux.pane("#{pane_title}") == title
    assert f"{numbered(1)}地域の困りごと" in screen  # the screen was not wiped
    tmux.keys("C-q")
    assert tmux.exit_status() == 0


def test_a_session_the_models_refuse_gets_one_message_in_a_real_terminal(
    tmux: Tmux, session_file: Path
) -> None:
    """At a terminal the file is validated behind the first frame (issue 12): a refusal
    closes the app and prints the same one message, exit status 2, with no lock left."""
    text = session_file.read_text(encoding="utf-8")
    session_file.write_text(text.replace("\nminutes = 10\n", "\nminutes = 0\n", 1), "utf-8")
    before = session_file.read_bytes()
    path = relative(tmux, session_file)
    tmux.start("resume", path)
    assert tmux.exit_status() == 2
    screen = printed(tmux, path, "minutes", "1 から 1440 までの数")
    assert "Traceback" not in screen
    assert session_file.read_bytes() == before
    assert sorted(p.name for p in session_file.parent.iterdir()) == [session_file.name]
