"""What a Windows user's session goes through, simulated where it can be.

The Windows branches are chosen by ``_WINDOWS`` flags (``sys.platform`` at
import); here they are switched on, and what Windows would answer is played
by small fakes: ``os.fchmod`` missing (before Python 3.13), a rename refused
while another program reads the file, ``OpenProcess`` for a lock's process.
``os.kill`` is made to fail the test: on Windows it terminates the process
instead of asking about it.
"""

from __future__ import annotations

import ctypes
import io
import os
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

import chie_kokan.cli as cli
import chie_kokan.files as files
import chie_kokan.lock as lock
from chie_kokan.files import atomic_write
from chie_kokan.lock import LockInfo, SessionLock, SessionLocked, lock_path

JST = timezone(timedelta(hours=9))
OTHER_PID = 4242


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "_WINDOWS", True)
    monkeypatch.setattr(lock, "_WINDOWS", True)
    monkeypatch.setattr(files, "_REPLACE_PAUSE", 0)
    monkeypatch.delattr(os, "fchmod", raising=False)

    def kill(pid: int, sig: int) -> None:
        raise AssertionError(f"os.kill({pid}, {sig}) on Windows would end that process")

    monkeypatch.setattr(os, "kill", kill)


# -- writing files ---------------------------------------------------------------


def test_atomic_write_without_fchmod_or_folder_fsync(
    windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    real_open = os.open

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    def open_(path: Any, flags: int, *args: Any) -> int:
        # Windows cannot open a folder as a file: we must not try.
        assert not Path(path).is_dir(), f"opened the folder {path}"
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "open", open_)
    target = tmp_path / "2026-11-27-shimizu.toml"
    atomic_write(target, b"schema = 1\n")
    atomic_write(target, b"schema = 2\n")
    assert target.read_text() == "schema = 2\n"
    assert len(synced) == 2  # the file's data each time, no folder
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp file left


def test_posix_still_syncs_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The guard is Windows' alone: elsewhere the rename reaches the disk too.
    synced: list[int] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    atomic_write(tmp_path / "x.toml", b"a = 1\n")
    assert len(synced) == 2


class Busy:
    """``os.replace`` refused ``times`` times, as Windows does while a reader has the file."""

    def __init__(self, times: int) -> None:
        self.times = times
        self.calls = 0
        self.real = os.replace

    def __call__(self, source: Any, target: Any) -> None:
        self.calls += 1
        if self.calls <= self.times:
            raise PermissionError(13, "The process cannot access the file", str(target))
        self.real(source, target)


def test_a_save_waits_for_a_reader_to_let_go(
    windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy = Busy(3)
    monkeypatch.setattr(os, "replace", busy)
    target = tmp_path / "s.toml"
    target.write_text("old\n")
    atomic_write(target, b"new\n")
    assert target.read_text() == "new\n"
    assert busy.calls == 4


def test_a_reader_that_never_lets_go_is_reported_and_nothing_lost(
    windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "replace", Busy(1000))
    target = tmp_path / "s.toml"
    target.write_text("old\n")
    with pytest.raises(PermissionError):
        atomic_write(target, b"new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["s.toml"]  # the temp file cleaned up


def test_elsewhere_a_refused_rename_is_not_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy = Busy(1)
    monkeypatch.setattr(os, "replace", busy)
    with pytest.raises(PermissionError):
        atomic_write(tmp_path / "s.toml", b"new\n")
    assert busy.calls == 1


# -- is the lock's holder still there? -------------------------------------------------


class Kernel32:
    """What Windows answers about one process id."""

    def __init__(self, *, opens: bool, last_error: int = 0, exit_code: int = 259) -> None:
        self.opens = opens
        self.last_error = last_error
        self.exit_code = exit_code
        self.closed = 0
        self.asked: list[int] = []
        # Plain functions: lock.py sets restype and argtypes on them, as on ctypes'.

        def open_process(access: int, inherit: bool, pid: int) -> int | None:
            self.asked.append(pid)
            return 1234 if self.opens else None

        def get_exit_code_process(handle: int, code: Any) -> bool:
            code._obj.value = self.exit_code  # ctypes.byref(DWORD)
            return True

        def close_handle(handle: int) -> bool:
            self.closed += 1
            return True

        self.OpenProcess = open_process
        self.GetExitCodeProcess = get_exit_code_process
        self.CloseHandle = close_handle


def fake_windows_api(monkeypatch: pytest.MonkeyPatch, kernel32: Kernel32) -> None:
    def win_dll(name: str, use_last_error: bool = False) -> Kernel32:
        assert name == "kernel32" and use_last_error
        return kernel32

    monkeypatch.setattr(ctypes, "WinDLL", win_dll, raising=False)
    monkeypatch.setattr(ctypes, "get_last_error", lambda: kernel32.last_error, raising=False)


def plant(session: Path, pid: int = OTHER_PID) -> LockInfo:
    info = LockInfo(
        host=socket.gethostname(),
        pid=pid,
        since=datetime(2026, 11, 27, 13, 55, tzinfo=JST),
        token="someone-else",
    )
    lock_path(session).write_bytes(info.text())
    return info


@pytest.fixture
def session(tmp_path: Path) -> Path:
    path = tmp_path / "2026-11-27-shimizu.toml"
    path.write_text("schema = 1\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("kernel32", "alive"),
    [
        (Kernel32(opens=True, exit_code=259), True),  # STILL_ACTIVE
        (Kernel32(opens=True, exit_code=0), False),  # ended, handle still around
        (Kernel32(opens=False, last_error=87), False),  # no such process
        (Kernel32(opens=False, last_error=5), True),  # access denied: someone's, alive
    ],
    ids=["running", "exited", "no-such-process", "access-denied"],
)
def test_a_windows_process_is_asked_about_never_signalled(
    windows: None, monkeypatch: pytest.MonkeyPatch, session: Path, kernel32: Kernel32, alive: bool
) -> None:
    fake_windows_api(monkeypatch, kernel32)
    plant(session)
    if alive:
        with pytest.raises(SessionLocked):
            SessionLock.acquire(session)
        assert lock_path(session).exists()  # the holder's lock is left alone
    else:
        taken = SessionLock.acquire(session)
        assert taken.taken_from is not None and taken.taken_from.pid == OTHER_PID
        taken.release()
    assert OTHER_PID in kernel32.asked
    assert kernel32.closed == (1 if kernel32.opens else 0)


def test_a_process_id_windows_cannot_have_is_no_holder(
    windows: None, monkeypatch: pytest.MonkeyPatch, session: Path
) -> None:
    kernel32 = Kernel32(opens=True)
    fake_windows_api(monkeypatch, kernel32)
    plant(session, pid=2**40)  # a lock file from another system, or made up
    taken = SessionLock.acquire(session)
    assert taken.taken_from is not None
    assert kernel32.asked == []  # never passed to OpenProcess, which takes a DWORD
    taken.release()


# -- the command line's output ---------------------------------------------------


def test_redirected_output_is_utf8_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    title = "知恵交換会 — 清水さんの困りごと①"
    redirected = io.TextIOWrapper(io.BytesIO(), encoding="cp932")
    with pytest.raises(UnicodeEncodeError):  # what Python does there by default
        redirected.write(title)
        redirected.flush()
    redirected = io.TextIOWrapper(io.BytesIO(), encoding="cp932")
    monkeypatch.setattr(cli, "_WINDOWS", True)
    cli.utf8_when_redirected(redirected)
    redirected.write(title)
    redirected.flush()
    assert redirected.buffer.getvalue().decode("utf-8") == title  # type: ignore[attr-defined]


def test_output_elsewhere_is_left_as_it_is() -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    cli.utf8_when_redirected(stream)
    assert stream.encoding == "latin-1"
