"""The session lock: one controller per session, stale locks taken over, no hangs.

No Textual here: the lock is plain file work, tested through its API. A
"dead" process is a real child that has exited; "another computer" is a
lock file naming a host that is not this one.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from chie_kokan.i18n import set_language
from chie_kokan.lock import (
    LockInfo,
    LockLost,
    SessionLock,
    SessionLocked,
    lock_path,
    lock_session,
)

JST = timezone(timedelta(hours=9))
SINCE = datetime(2026, 11, 27, 13, 55, tzinfo=JST)


@pytest.fixture
def session(tmp_path: Path) -> Path:
    path = tmp_path / "2026-11-27-shimizu.toml"
    path.write_text("schema = 1\n", encoding="utf-8")
    return path


def dead_pid() -> int:
    """The id of a process that has certainly ended (ours reaped it)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def plant(session: Path, **fields: object) -> LockInfo:
    """A lock file as another process (or computer) would have written it."""
    info = LockInfo(
        host=str(fields.get("host", socket.gethostname())),
        pid=int(fields.get("pid", os.getpid())),  # type: ignore[call-overload]
        since=SINCE,
        token=str(fields.get("token", "someone-else")),
        process=str(fields.get("process", "")),
    )
    lock_path(session).write_bytes(info.text())
    return info


def test_the_lock_says_who_holds_the_session_and_goes_away_on_release(session: Path) -> None:
    lock = SessionLock.acquire(session)
    holder = LockInfo.parse(lock_path(session).read_bytes())
    assert holder is not None
    assert (holder.host, holder.pid) == (socket.gethostname(), os.getpid())
    assert holder.token == lock.info.token
    assert holder.since.tzinfo is not None
    assert lock_path(session).name == "2026-11-27-shimizu.toml.lock"  # never listed as a session
    lock.release()
    assert not lock_path(session).exists()
    lock.release()  # twice is harmless


def test_a_second_controller_is_refused_with_who_and_what_to_do(session: Path) -> None:
    first = SessionLock.acquire(session)
    before = lock_path(session).read_bytes()
    with pytest.raises(SessionLocked) as refused:
        SessionLock.acquire(session)
    message = str(refused.value)
    assert str(os.getpid()) in message
    assert "別の画面" in message  # this computer: close the other window
    assert "Ctrl+Q" in message
    assert f"chie-kokan resume {session} --take-over" in message
    assert first.info.since_text in message
    assert lock_path(session).read_bytes() == before  # refused: nothing touched
    set_language("en")
    try:
        with pytest.raises(SessionLocked) as refused:
            SessionLock.acquire(session)
        assert "another window on this computer" in str(refused.value)
    finally:
        set_language("ja")
    first.release()


def test_a_stale_lock_of_a_dead_process_is_taken_over(session: Path) -> None:
    planted = plant(session, pid=dead_pid())
    lock = SessionLock.acquire(session)
    assert lock.taken_from == planted
    assert lock.taken_from.is_stale()
    assert LockInfo.parse(lock_path(session).read_bytes()) == lock.info


def test_a_reused_process_id_is_not_mistaken_for_the_holder(session: Path) -> None:
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to tell processes apart")
    # Our parent is alive, but it is not the process that wrote this lock.
    plant(session, pid=os.getppid(), process="another-boot:12345")
    lock = SessionLock.acquire(session)
    assert lock.taken_from is not None and lock.taken_from.pid == os.getppid()


@pytest.mark.parametrize("pid", [0, -1])
def test_a_lock_naming_no_real_process_is_stale(session: Path, pid: int) -> None:
    # 0 and -1 name process groups: never signalled, never taken for alive.
    plant(session, pid=pid)
    assert SessionLock.acquire(session).taken_from is not None


def test_another_computers_lock_is_refused_unless_taken_over(session: Path) -> None:
    planted = plant(session, host="kominkan-pc", pid=dead_pid())
    with pytest.raises(SessionLocked) as refused:
        SessionLock.acquire(session)
    assert "kominkan-pc" in str(refused.value)
    assert refused.value.holder == planted
    lock = SessionLock.acquire(session, take_over=True)
    assert lock.taken_from == planted
    assert LockInfo.parse(lock_path(session).read_bytes()) == lock.info


def test_the_holder_notices_when_its_session_was_taken_over(session: Path) -> None:
    first = SessionLock.acquire(session)
    first.check()  # still ours
    second = SessionLock.acquire(session, take_over=True)
    with pytest.raises(LockLost) as lost:
        first.check()
    assert lost.value.holder == second.info
    first.release()  # not ours any more: the new holder's lock stays
    assert LockInfo.parse(lock_path(session).read_bytes()) == second.info


def test_a_deleted_lock_file_is_written_again_by_its_holder(session: Path) -> None:
    lock = SessionLock.acquire(session)
    lock_path(session).unlink()
    lock.check()
    assert LockInfo.parse(lock_path(session).read_bytes()) == lock.info


def test_a_released_lock_never_writes_itself_back(session: Path) -> None:
    lock = SessionLock.acquire(session)
    lock.release()
    with pytest.raises(LockLost):
        lock.check()
    assert not lock_path(session).exists()


def test_an_unreadable_lock_is_refused_and_can_be_taken_over(session: Path) -> None:
    lock_path(session).write_bytes(b"\xff\xfe not a lock")
    with pytest.raises(SessionLocked) as refused:
        SessionLock.acquire(session)
    assert refused.value.holder is None
    assert str(lock_path(session)) in str(refused.value)
    SessionLock.acquire(session, take_over=True)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_planted_as_the_lock_never_hangs(session: Path) -> None:
    os.mkfifo(lock_path(session))
    with pytest.raises(SessionLocked):
        SessionLock.acquire(session)
    lock = SessionLock.acquire(session, take_over=True)
    assert LockInfo.parse(lock_path(session).read_bytes()) == lock.info


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root writes")
def test_a_read_only_folder_gives_no_lock_and_no_error(session: Path) -> None:
    session.parent.chmod(0o555)
    try:
        assert lock_session(session) is None
    finally:
        session.parent.chmod(0o755)


def test_no_lock_where_the_folder_is_gone(tmp_path: Path) -> None:
    assert lock_session(tmp_path / "unplugged-stick" / "x.toml") is None
