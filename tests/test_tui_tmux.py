"""The installed program in a real terminal: tmux types, we read the screen and the file.

Pilot cannot type through a real terminal's input parser; here the keys
travel as bytes (UTF-8 Japanese included) through a pty, exactly as they
would from a projector laptop's keyboard. Everything waits by polling
``capture-pane`` or the file, with a bound; nothing sleeps a fixed time.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from chie_kokan.clock import system_clock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.i18n import t
from chie_kokan.models import Outcome, Scenario, Session
from chie_kokan.storage import create_session_file, load_session
from chie_kokan.tui.glyphs import SEPARATOR, numbered

TMUX = Path("/usr/bin/tmux")
PROGRAM = Path(sys.executable).parent / "chie-kokan"
ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 120, 36
TIMEOUT = 20.0
"""Generous: a cold start of Python and Textual on a busy 2-core CI machine."""
ANSI = re.compile(r"\x1b\[[0-9;]*m")

pytestmark = [
    pytest.mark.skipif(not TMUX.exists(), reason="tmux is not installed"),
    pytest.mark.skipif(not PROGRAM.exists(), reason=f"{PROGRAM} is not installed"),
]


def wait_for(condition: Callable[[], bool], what: str, timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Tmux:
    """A private tmux server (its own socket) running the program in one window."""

    def __init__(self, workdir: Path) -> None:
        self.socket = f"chie-kokan-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.workdir = workdir
        self.config = workdir / "tmux.conf"
        self.config.write_text(
            "set -g default-terminal xterm-256color\n"
            "set -g remain-on-exit on\n"  # keep the pane to read the exit status
            "set -sg escape-time 0\n",
            encoding="utf-8",
        )
        home = workdir / "home"
        home.mkdir(exist_ok=True)
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
            "TERM": "xterm-256color",
        }
        self.window = ""
        self.status_file = workdir / "none.status"

    def tmux(self, *args: str, check: bool = True) -> str:
        result = subprocess.run(
            [str(TMUX), "-L", self.socket, "-f", str(self.config), *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=TIMEOUT,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"tmux {args} failed: {result.stderr}")
        return result.stdout

    def start(self, *argv: str, program: tuple[str, ...] = (str(PROGRAM),)) -> None:
        """Run ``chie-kokan argv…`` (or ``program argv…``) in a new 120×36 session.

        A small shell around it writes the exit status to a file: tmux's own
        ``pane_dead_status`` is not always filled in for a process that dies
        fast, and we want to read the status exactly.
        """
        self.window = f"run{uuid.uuid4().hex[:6]}"
        self.status_file = self.workdir / f"{self.window}.status"
        script = '"$@"; echo $? > "$CHIE_KOKAN_TEST_STATUS"'
        self.tmux(
            "new-session", "-d", "-s", self.window, "-x", str(WIDTH), "-y", str(HEIGHT),
            "-c", str(self.workdir), "-e", "LANG=C.UTF-8", "-e", "TERM=xterm-256color",
            "-e", f"CHIE_KOKAN_TEST_STATUS={self.status_file}",
            "/bin/sh", "-c", script, "sh", *program, *argv,
        )  # fmt: skip

    def keys(self, *keys: str) -> None:
        """Named keys: F7, Enter, Up, C-q…"""
        self.tmux("send-keys", "-t", self.window, *keys)

    def type(self, text: str) -> None:
        """Literal text, as UTF-8 bytes (what an IME commits)."""
        self.tmux("send-keys", "-t", self.window, "-l", text)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.window, check=False)

    def wait_screen(self, *texts: str) -> str:
        """Poll the screen until all of ``texts`` show (wrapping removed)."""
        seen = ""

        def showing() -> bool:
            nonlocal seen
            seen = self.screen()
            flat = "".join(seen.split())
            return all("".join(text.split()) in flat for text in texts)

        try:
            wait_for(showing, f"{texts} on screen")
        except AssertionError as error:
            raise AssertionError(f"{error}\n--- screen ---\n{seen}") from None
        return seen

    def board_frame(self) -> str:
        """The card list's top border, colours included (it lights up with focus)."""
        screen = self.tmux("capture-pane", "-p", "-e", "-t", self.window, check=False)
        for line in screen.splitlines():
            if ANSI.sub("", line).startswith(" ╭─") and "╮" in line:
                return line[: line.index("╮") + 1]
        return ""

    def focus_board(self) -> None:
        """Up, then wait until the board has the focus before typing on.

        Textual moves the focus a moment after the key; keys already in the
        same burst from the terminal would still reach the entry line.
        """
        before = self.board_frame()
        assert before, "no card list on screen"
        self.keys("Up")
        wait_for(lambda: self.board_frame() != before, "the card list to take the focus")

    def pane(self, fmt: str) -> str:
        return self.tmux("display-message", "-p", "-t", self.window, fmt).strip()

    def program_pid(self) -> int:
        """The chie-kokan process (the child of the pane's shell)."""
        shell = int(self.tmux("list-panes", "-t", self.window, "-F", "#{pane_pid}").strip())
        children = Path(f"/proc/{shell}/task/{shell}/children").read_text().split()
        assert len(children) == 1, f"expected one program under the shell, got {children}"
        pid = int(children[0])
        assert "chie-kokan" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
        return pid

    def exit_status(self) -> int:
        """The program's exit status, once it has ended (128 + n when killed by signal n)."""
        wait_for(
            lambda: self.status_file.exists() and self.status_file.read_text().strip() != "",
            "the program to exit",
        )
        return int(self.status_file.read_text())

    def kill_server(self) -> None:
        socket = self.tmux("display-message", "-p", "#{socket_path}", check=False).strip()
        self.tmux("kill-server", check=False)
        if socket:
            Path(socket).unlink(missing_ok=True)  # tmux leaves it behind when killed


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    server = Tmux(tmp_path)
    yield server
    server.kill_server()


@pytest.fixture
def session_file(shimizu: Scenario, tmp_path: Path) -> Path:
    """A Shimizu-san session set up but not started; the program begins it."""
    session = new_session(shimizu, session_id="shimizu", clock=system_clock)
    return create_session_file(session, tmp_path / "sessions")


def wait_on_disk(path: Path, condition: Callable[[Session], bool], what: str) -> Session:
    found: list[Session] = []

    def check() -> bool:
        try:
            session = load_session(path)
        except Exception:  # mid-replace on some filesystems: read again
            return False
        found[:] = [session]
        return condition(session)

    wait_for(check, what, timeout=5.0)
    return found[0]


JAPANESE = "坂道がつらくて、重い物（お米）が買えない。"
ENGLISH = "No bus on Sundays"


def test_resume_type_pass_vote_quit_then_kill(tmux: Tmux, session_file: Path) -> None:
    relative = session_file.relative_to(tmux.workdir)
    tmux.start("resume", str(relative))
    tmux.wait_screen("はじめに", "お約束", "清水さん")

    tmux.keys("F7")  # share: 山田 speaks first
    tmux.wait_screen("山田 花子 さんの発言を記録")
    tmux.type(JAPANESE)
    tmux.keys("Enter")
    # Recorded: on the board, and the entry line is empty again (its placeholder shows).
    tmux.wait_screen(JAPANESE, "山田 花子 さんの発言を記録")
    tmux.keys("F2")
    tmux.wait_screen("佐藤 一郎 さんの発言を記録")
    tmux.type(ENGLISH)
    tmux.keys("Enter")
    tmux.wait_screen(ENGLISH, "佐藤 一郎 さんの発言を記録")
    tmux.keys("F2")
    tmux.wait_screen("鈴木 美和 さんの発言を記録")
    tmux.keys("F3")  # 鈴木 passes
    tmux.wait_screen("高橋 健 さんの発言を記録")

    tmux.keys("F7")  # pick: vote on the troubles
    tmux.wait_screen("解決が必要な困りごとを見つける", "0票")
    tmux.focus_board()
    tmux.keys("Home")
    tmux.type("+")
    tmux.wait_screen("1票")
    # A show of hands, counted and typed: the count shows on the row until Enter.
    tmux.type("6")
    tmux.wait_screen("6_票", "挙手の数: 6")
    tmux.keys("Enter")
    wait_on_disk(session_file, lambda s: s.cards[0].votes == 6, "6 votes on disk")
    # An IME's full-width digits count too; the rows stay where they were.
    tmux.keys("Down")
    tmux.type("１２")
    tmux.keys("Enter")
    wait_on_disk(session_file, lambda s: s.cards[1].votes == 12, "12 votes on disk")
    tmux.wait_screen("12票")
    tmux.keys("C-q")
    assert tmux.exit_status() == 0

    session = load_session(session_file)
    assert [(c.text, c.speaker) for c in session.cards] == [(JAPANESE, "p1"), (ENGLISH, "p2")]
    assert [c.votes for c in session.cards] == [6, 12]
    share = [(turn.speaker, turn.outcome) for turn in session.turns if turn.step == 1]
    # Leaving the step is not speaking: 高橋's turn waits, unfinished.
    assert share == [
        ("p1", Outcome.SPOKE),
        ("p2", Outcome.SPOKE),
        ("p3", Outcome.PASSED),
        ("p4", None),  # leaving the step is not speaking: 高橋 keeps the floor there
    ]
    assert session.live.started and session.live.step == 2
    # The file is for people too: the Japanese is written as itself, not escaped.
    assert JAPANESE in session_file.read_text(encoding="utf-8")

    # Again, and this time the laptop dies: kill -9 once the card is on disk.
    tmux.start("resume", str(relative))
    tmux.wait_screen("解決が必要な困りごとを見つける")
    tmux.keys("F6")  # back to share: 高橋, whose turn was left unfinished, goes on
    tmux.wait_screen("高橋 健 さんの発言を記録")
    card = "ゴミ出しの日を間違えて落ち込んでいる"
    tmux.type(card)
    tmux.keys("Enter")
    wait_on_disk(session_file, lambda s: any(c.text == card for c in s.cards), "the card on disk")
    os.kill(tmux.program_pid(), signal.SIGKILL)
    assert tmux.exit_status() == 128 + signal.SIGKILL
    survived = load_session(session_file)
    assert (survived.cards[-1].text, survived.cards[-1].speaker) == (card, "p4")
    assert [c.text for c in survived.cards] == [JAPANESE, ENGLISH, card]


def test_a_speaker_corrected_in_the_edit_dialog_is_saved(tmux: Tmux, session_file: Path) -> None:
    tmux.start("resume", str(session_file.relative_to(tmux.workdir)))
    tmux.wait_screen("はじめに", "お約束")
    tmux.keys("F7")
    tmux.wait_screen("山田 花子 さんの発言を記録")
    # 鈴木 spoke up, but the words went down under 山田, whose turn it was.
    tmux.type(JAPANESE)
    tmux.keys("Enter")
    tmux.wait_screen(f"{JAPANESE} {SEPARATOR} 山田花子（第三団地自治会）")
    tmux.focus_board()
    tmux.keys("e")
    tmux.wait_screen("カードを直す", "発言者", "佐藤 一郎（老人クラブ連合会）")
    tmux.keys("Tab", "Down", "Down", "Enter")  # 山田 → 佐藤 → 鈴木, and saved
    tmux.wait_screen(f"{JAPANESE} {SEPARATOR} 鈴木美和（社会福祉協議会）")
    wait_on_disk(
        session_file,
        lambda s: [(c.text, c.speaker) for c in s.cards] == [(JAPANESE, "p3")],
        "the corrected speaker on disk",
    )
    tmux.keys("C-q")
    assert tmux.exit_status() == 0
    session = load_session(session_file)
    assert [(c.text, c.speaker) for c in session.cards] == [(JAPANESE, "p3")]
    assert session.live.speaker == "p1"  # the floor did not move


def test_run_a_scenario_from_the_setup_screen(tmux: Tmux, tmp_path: Path) -> None:
    if not (ROOT / "src/chie_kokan/tui/screens/setup.py").exists():
        pytest.skip("no setup screen yet")
    tmux.start("run", str(ROOT / "scenarios" / "shimizu.toml"))
    tmux.wait_screen("出席者と席順", "山田 花子")
    tmux.keys("F7")  # start the meeting with everyone on the roster
    tmux.wait_screen("お約束", "名前なし（全体）のカードとして記録")
    tmux.type("本日の進め方を説明")
    tmux.keys("Enter")
    tmux.wait_screen("本日の進め方を説明", "名前なし（全体）のカードとして記録")
    tmux.keys("C-q")
    assert tmux.exit_status() == 0
    [path] = (tmp_path / "sessions").glob("*.toml")
    assert path.name.endswith("-shimizu.toml")
    session = load_session(path)
    assert session.id == path.stem
    assert session.live.started
    assert [(c.text, c.speaker, c.step) for c in session.cards] == [("本日の進め方を説明", None, 0)]
    assert len(session.members) == 9


def test_an_example_typed_fast_in_three_fields(
    tmux: Tmux, shimizu: Scenario, tmp_path: Path
) -> None:
    engine = SessionEngine(new_session(shimizu, session_id="spread", clock=system_clock))
    engine.begin()
    engine.go_to_step(4)  # spread
    path = create_session_file(engine.session, tmp_path / "sessions")
    tmux.start("resume", str(path.relative_to(tmux.workdir)))
    tmux.wait_screen("成功例を拡げる", "何を", "誰が（運営）", "どこで")
    # One burst of bytes, tabs and Enter included, as a fast typist (or IME) sends it.
    tmux.type("移動販売車の巡回\t商工会\t第三団地の広場\r見守り・配食\t\t公民館\r次の")
    wait_on_disk(path, lambda s: len(s.cards) == 2, "two examples on disk")
    tmux.wait_screen("次の")
    tmux.keys("C-q")
    assert tmux.exit_status() == 0
    examples = [(c.text, c.runs_by, c.place) for c in load_session(path).cards]
    assert examples == [
        ("移動販売車の巡回", "商工会", "第三団地の広場"),
        ("見守り・配食", "", "公民館"),
    ]


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_a_japanese_notice_is_whole_and_the_rules_stay_in_view(
    tmux: Tmux, shimizu: Scenario, tmp_path: Path, size: tuple[int, int]
) -> None:
    # A session begun earlier: resuming it says so, in a notice (textual#6357
    # dropped 「り」 of this very text where it crossed a widget's edge).
    session = new_session(shimizu, session_id="shimizu", clock=system_clock)
    engine = SessionEngine(session, system_clock)
    engine.begin()
    path = create_session_file(engine.session, tmp_path / "sessions")
    tmux.start("resume", str(path.relative_to(tmux.workdir)))
    width, height = size
    tmux.tmux("resize-window", "-t", tmux.window, "-x", str(width), "-y", str(height))
    notice = t("tui.resumed_paused")
    rules = [f"{numbered(i)}{rule}" for i, rule in enumerate(shimizu.rules, 1)]
    # Whitespace aside, every character: 止めてあ  ます would not match.
    tmux.wait_screen(notice, *rules)
