"""The command line refuses a session in use, and a bug ends in a calm message, not exit 0."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest

import chie_kokan.export as export
from chie_kokan.cli import EXIT_CRASH, main
from chie_kokan.clock import ManualClock
from chie_kokan.engine import new_session
from chie_kokan.lock import LockInfo, SessionLock, lock_path
from chie_kokan.models import Scenario
from chie_kokan.storage import create_session_file


@pytest.fixture
def session_file(shimizu: Scenario, clock: ManualClock, tmp_path: Path) -> Path:
    session = new_session(shimizu, session_id="shimizu", clock=clock)
    return create_session_file(session, tmp_path / "sessions")


def test_resume_of_a_session_open_elsewhere_is_refused_and_touches_nothing(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    holder = SessionLock.acquire(session_file)
    before = session_file.read_bytes(), lock_path(session_file).read_bytes()
    assert main(["resume", str(session_file)]) == 2
    err = capsys.readouterr().err
    assert str(holder.info.pid) in err
    assert holder.info.since_text in err
    assert f"chie-kokan resume {session_file} --take-over" in err
    assert "Traceback" not in err
    assert (session_file.read_bytes(), lock_path(session_file).read_bytes()) == before
    holder.release()


def test_take_over_needs_a_yes_at_a_terminal(
    session_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = LockInfo("kominkan-pc", 4242, datetime.now().astimezone(), "theirs")
    lock_path(session_file).write_bytes(theirs.text())
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # piped: not a person answering
    assert main(["resume", str(session_file), "--take-over"]) == 2
    err = capsys.readouterr().err
    assert "kominkan-pc" in err and "端末から実行" in err
    assert LockInfo.parse(lock_path(session_file).read_bytes()) == theirs


def test_take_over_declined_changes_nothing(
    session_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    holder = SessionLock.acquire(session_file)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    assert main(["resume", str(session_file), "--take-over"]) == 2
    out, err = capsys.readouterr()
    assert "引き継ぎますか" in out
    assert "引き継ぎませんでした" in err
    assert LockInfo.parse(lock_path(session_file).read_bytes()) == holder.info
    holder.release()


def test_a_bug_in_a_command_exits_non_zero_with_a_log_not_a_traceback(
    session_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("a bug in the minutes")

    monkeypatch.setattr(export, "render_minutes", broken)
    assert main(["export", str(session_file)]) == EXIT_CRASH
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "予期しないエラー" in err
    log = Path(err.split("不具合の報告用の詳しい情報: ")[1].strip())
    details = log.read_text(encoding="utf-8")
    assert "RuntimeError: a bug in the minutes" in details
    log.unlink()


def test_a_hostile_lock_file_cannot_write_to_the_terminal(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The host name in a lock comes from a file anyone can write: it is shown escaped."""
    hostile = LockInfo(
        "pc\x1b]0;HACKED\x07\x1b[2J" + "x" * 300, 4242, datetime.now().astimezone(), "t"
    )
    lock_path(session_file).write_bytes(hostile.text())
    assert main(["resume", str(session_file)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err
    assert "pc\\x1b]0;HACKED" in err
    assert len(err) < 2000  # a host name of any length is quoted short
