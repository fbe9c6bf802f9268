"""The operator and the audience view on one session, each in its own real terminal.

The installed program runs twice under tmux: ``chie-kokan resume`` where
the recorder types, ``chie-kokan display`` on the projector's window. What
the recorder types must reach the room within a second, and the display
must keep following when the operator quits and resumes. Every wait polls
with a bound; nothing sleeps a fixed time.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from chie_kokan.clock import system_clock
from chie_kokan.engine import new_session
from chie_kokan.lock import lock_path
from chie_kokan.models import Scenario
from chie_kokan.storage import create_session_file, load_session
from chie_kokan.tui.glyphs import ARROW
from test_tui_tmux import PROGRAM, TMUX, Tmux, wait_on_disk
from test_tui_tmux_safety import printed

pytestmark = [
    pytest.mark.skipif(not TMUX.exists(), reason="tmux is not installed"),
    pytest.mark.skipif(not PROGRAM.exists(), reason=f"{PROGRAM} is not installed"),
]

REACHES_THE_ROOM = 1.0
"""Seconds from the card on disk to the card on the projector."""


@pytest.fixture
def terminals(tmp_path: Path) -> Iterator[tuple[Tmux, Tmux]]:
    """Two tmux servers: the operator's laptop screen and the projector's window."""
    operator, audience = Tmux(tmp_path), Tmux(tmp_path)
    yield operator, audience
    operator.kill_server()
    audience.kill_server()


@pytest.fixture
def session_file(shimizu: Scenario, tmp_path: Path) -> Path:
    session = new_session(shimizu, session_id="shimizu", clock=system_clock)
    return create_session_file(session, tmp_path / "sessions")


def card_reaches_the_room(audience: Tmux, session_file: Path, card: str) -> None:
    """Once the operator has saved ``card``, the display shows it within a second."""
    wait_on_disk(session_file, lambda s: any(c.text == card for c in s.cards), f"{card} on disk")
    saved = time.monotonic()
    flat = "".join(card.split())
    while time.monotonic() - saved < REACHES_THE_ROOM:
        if flat in "".join(audience.screen().split()):
            return
        time.sleep(0.02)
    raise AssertionError(
        f"{card!r} not on the display {REACHES_THE_ROOM}s after the save:\n{audience.screen()}"
    )


def test_the_display_follows_the_operator_through_a_restart(
    terminals: tuple[Tmux, Tmux], session_file: Path
) -> None:
    operator, audience = terminals
    relative = str(session_file.relative_to(operator.workdir))
    operator.start("resume", relative)
    operator.wait_screen("はじめに", "お約束")
    audience.start("display", relative)
    audience.wait_screen("はじめに", "清水さん", "お約束", "残り時間")

    operator.keys("F7")  # share: 山田 speaks first
    operator.wait_screen("山田 花子 さんの発言を記録")
    audience.wait_screen("困りごとを共有する", "山田 花子", f"次: 佐藤 {ARROW} 鈴木 {ARROW} 高橋")
    first = "坂道がつらくて、重い物（お米）が買えない。"
    operator.type(first)
    operator.keys("Enter")
    card_reaches_the_room(audience, session_file, first)

    operator.keys("C-q")  # the operator saves and quits…
    assert operator.exit_status() == 0
    assert not lock_path(session_file).exists()
    audience.wait_screen(first, "山田 花子")  # …the room still sees the meeting

    operator.start("resume", relative)  # …and comes back
    operator.wait_screen("山田 花子 さんの発言を記録")
    operator.keys("F2")
    operator.wait_screen("佐藤 一郎 さんの発言を記録")
    audience.wait_screen("佐藤 一郎", "老人クラブ連合会")
    second = "バスが一日三本しかない"
    operator.type(second)
    operator.keys("Enter")
    card_reaches_the_room(audience, session_file, second)
    assert "見当たりません" not in audience.screen()

    operator.keys("C-q")
    assert operator.exit_status() == 0
    audience.keys("C-q")
    assert audience.exit_status() == 0
    # The display wrote nothing: the session and nothing else beside it.
    assert sorted(p.name for p in session_file.parent.iterdir()) == [session_file.name]
    assert [c.text for c in load_session(session_file).cards] == [first, second]


def test_a_missing_session_is_one_message_and_status_2(terminals: tuple[Tmux, Tmux]) -> None:
    _, audience = terminals
    audience.start("display", "sessions/nowhere.toml")
    assert audience.exit_status() == 2
    message = printed(audience, "nowhere.toml", "見つかりません", "指定してください")
    assert "Traceback" not in message
