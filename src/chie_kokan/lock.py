"""One controller per session: a lock file beside the session file.

Two screens recording one session would overwrite each other's cards, so
opening a session for recording creates ``<session>.toml.lock`` atomically
(it fails if the file is there) and writes who holds it: host, process id,
since when, and a random token. Closing the session removes it.

A lock whose process is gone on this host (``kill -9``, a power cut, a
crash) is *stale* and is taken over with a notice. A lock held by a live
process, or by another computer (we cannot see its processes), is refused
with a message that says who holds it and what to do; taking it over anyway
(``--take-over``) needs the user's confirmation. The holder checks the lock
before every save, so a screen whose session was taken over stops writing
to that file instead of overwriting the new holder's work.

No ``fcntl``: ``O_CREAT | O_EXCL`` (or an atomic hard link) works on Windows
and on the FAT sticks sessions travel on. No Textual here.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import stat
import sys
import time
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import tomli_w

from chie_kokan.clock import Clock, system_clock
from chie_kokan.files import atomic_write, recording_path, replace
from chie_kokan.i18n import t
from chie_kokan.problems import FileError, Problem, shown, visible

LOCK_SUFFIX = ".lock"
_MAX_LOCK_BYTES = 4096
"""A lock is a few lines; anything bigger is not ours and is never read whole."""


def lock_path(session_path: Path) -> Path:
    """``sessions/x.toml`` → ``sessions/x.toml.lock`` (not a ``*.toml``: never listed)."""
    return session_path.with_name(session_path.name + LOCK_SUFFIX)


@dataclass(frozen=True)
class LockInfo:
    """Who holds a session: what the lock file says."""

    host: str
    pid: int
    since: datetime
    token: str
    process: str = ""
    """What makes the process unique beyond its id (Linux: boot id and start
    time), so a process id reused after a crash is not mistaken for the holder."""

    def text(self) -> bytes:
        header = t("lock.file_comment").replace("\n", " ")
        body = tomli_w.dumps(
            {
                "host": self.host,
                "pid": self.pid,
                "since": self.since,
                "token": self.token,
                "process": self.process,
            }
        )
        return f"# {header}\n{body}".encode()

    @classmethod
    def parse(cls, data: bytes) -> LockInfo | None:
        """The holder, or None for a file that is not a lock we can read."""
        try:
            table = tomllib.loads(data.decode("utf-8"))
            info = cls(
                host=str(table["host"]),
                pid=int(table["pid"]),
                since=table["since"],
                token=str(table["token"]),
                process=str(table.get("process", "")),
            )
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError, ValueError):
            return None
        if not isinstance(info.since, datetime) or info.since.tzinfo is None:
            return None
        return info

    @property
    def here(self) -> bool:
        """Held by a process on this computer."""
        return self.host == _host()

    def is_stale(self) -> bool:
        """Held on this computer by a process that is gone (or is another program now)."""
        if not self.here:
            return False  # another computer's processes are beyond our sight
        if not _pid_alive(self.pid):
            return True
        current = _process_identity(self.pid)
        return bool(self.process and current and current != self.process)

    @property
    def shown_host(self) -> str:
        """The host name as a message may show it: it comes from a file anyone can write."""
        return shown(self.host)

    @property
    def since_text(self) -> str:
        return self.since.astimezone().strftime("%Y-%m-%d %H:%M")

    def describe(self) -> str:
        """Who has it and what to do, in the reader's language."""
        key = "lock.held_here" if self.here else "lock.held_elsewhere"
        return t(key, host=self.shown_host, pid=self.pid, since=self.since_text)


class SessionLocked(FileError):
    """Someone else has the session open for recording: refused, nothing touched."""

    def __init__(self, session_path: Path, holder: LockInfo | None) -> None:
        self.session_path = session_path
        self.holder = holder
        message = f"{self.who()}\n{t('lock.cli_hint', file=visible(session_path))}"
        super().__init__([Problem(session_path, message)])

    def who(self) -> str:
        """Who holds the session and what to do (without the command line's hint)."""
        if self.holder is None:
            return t("lock.unreadable", lock=visible(lock_path(self.session_path)))
        return self.holder.describe()


class LockLost(Exception):
    """Another screen took the session over: this one must stop writing to it."""

    def __init__(self, holder: LockInfo | None) -> None:
        super().__init__("session taken over")
        self.holder = holder


class SessionLock:
    """The lock this process holds on one session file."""

    def __init__(self, session_path: Path, info: LockInfo, taken_from: LockInfo | None) -> None:
        self.session_path = session_path
        self.path = lock_path(session_path)
        self.info = info
        self.taken_from = taken_from
        """The stale or overridden holder this lock replaced, for the notice."""
        self._released = False

    @classmethod
    def acquire(
        cls, session_path: Path, *, take_over: bool = False, clock: Clock = system_clock
    ) -> SessionLock:
        """Lock ``session_path`` for this process.

        Raises :class:`SessionLocked` when someone else holds it (unless
        ``take_over``, which the user has confirmed), and ``OSError`` when the
        lock cannot be written at all (a read-only folder: then nobody can
        write the session there either, and the screen's save banner says so).
        """
        ours = LockInfo(
            host=_host(),
            pid=os.getpid(),
            since=clock(),
            token=secrets.token_hex(8),
            process=_process_identity(os.getpid()) or "",
        )
        path = lock_path(session_path)
        taken_from: LockInfo | None = None
        holder: LockInfo | None = None
        for attempt in range(20):
            try:
                atomic_write(path, ours.text(), overwrite=False)
            except FileExistsError:
                pass
            else:
                return cls(session_path, ours, taken_from)
            try:
                raw = _read_lock(path)
            except OSError:
                raw = b""  # someone's lock we may not read is still a lock
            if raw is None:
                continue  # removed meanwhile: try again
            holder = LockInfo.parse(raw)
            if holder is None and attempt < 5:
                # Being written right now by someone without hard links
                # (claim the name, then fill it): give them a moment.
                time.sleep(0.05)
                continue
            if not take_over and (holder is None or not holder.is_stale()):
                raise SessionLocked(session_path, holder)
            if _remove_exactly(path, raw):
                taken_from = holder
        raise SessionLocked(session_path, holder)

    def check(self) -> None:
        """Before each save: still ours? Raises :class:`LockLost` if not.

        A lock file someone deleted is written again (nobody else holds the
        session, or their lock would be there); a lock naming someone else
        means the session was taken over.
        """
        if self._released:
            raise LockLost(None)  # let go of (the file moved elsewhere): never write here again
        raw = _read_lock(self.path)
        if raw is None:
            try:
                atomic_write(self.path, self.info.text(), overwrite=False)
                return
            except FileExistsError:
                raw = _read_lock(self.path)
        holder = LockInfo.parse(raw) if raw is not None else None
        if holder is None or holder.token != self.info.token:
            raise LockLost(holder)

    def release(self) -> None:
        """Remove the lock if it is still ours. Safe to call twice."""
        if self._released:
            return
        self._released = True
        with contextlib.suppress(OSError):  # a folder gone or read-only: nothing to undo
            raw = _read_lock(self.path)
            holder = LockInfo.parse(raw) if raw else None
            if raw and holder is not None and holder.token == self.info.token:
                _remove_exactly(self.path, raw)


def holder_of(session_path: Path) -> LockInfo | None:
    """Who has the session open for recording now (a stale lock is nobody)."""
    try:
        raw = _read_lock(lock_path(recording_path(session_path)))
    except OSError:
        return None
    holder = LockInfo.parse(raw) if raw else None
    return holder if holder is not None and not holder.is_stale() else None


def lock_session(
    path: Path, *, take_over: bool = False, clock: Clock = system_clock
) -> SessionLock | None:
    """Lock a session for recording; None where no lock can be written.

    A folder where not even the lock can be written (read-only, a stick
    pulled out) cannot receive the session either: the screen opens, its
    save banner says so and offers another folder, and nobody can overwrite
    anything there. Raises :class:`SessionLocked` when someone holds it.
    """
    try:
        return SessionLock.acquire(path, take_over=take_over, clock=clock)
    except OSError:
        return None


def _host() -> str:
    return socket.gethostname() or "localhost"


def _read_lock(path: Path) -> bytes | None:
    """The lock file's bytes; None when there is none. Never blocks, never reads much.

    A FIFO or device planted under the lock's name is not a lock we can read:
    ``b""``, never a hang. Raises ``OSError`` when the folder cannot be read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        return os.read(fd, _MAX_LOCK_BYTES + 1)
    finally:
        os.close(fd)


def _remove_exactly(path: Path, expected: bytes) -> bool:
    """Remove the lock at ``path`` only if it still holds ``expected``.

    Moved aside first (atomic), then compared: a fresh lock that another
    process wrote after we read the old one is put back, not deleted.
    """
    aside = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old")
    try:
        replace(path, aside)
    except FileNotFoundError:
        return False
    try:
        with contextlib.suppress(OSError):
            if _read_lock(aside) == expected:
                return True
        with contextlib.suppress(OSError):
            os.link(aside, path)  # fails if yet another lock is there: that one stays
        return False
    finally:
        aside.unlink(missing_ok=True)


_WINDOWS = sys.platform == "win32"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False  # 0 and negatives name process groups, never a holder
    if _WINDOWS:
        return _pid_alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    except (OverflowError, OSError):
        return False
    return True


_QUERY_LIMITED_INFORMATION = 0x1000
_STILL_ACTIVE = 259
_ERROR_INVALID_PARAMETER = 87
"""What OpenProcess says for a process id that names no process."""


def _pid_alive_windows(pid: int) -> bool:
    """Ask Windows about ``pid``; never signal it (``os.kill`` there terminates it).

    Only "no such process" counts as gone: a process we may not open (another
    user's, or one running as administrator) is alive, so its lock is refused
    and the user asked, never silently taken over.
    """
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenProcess.restype = wintypes.HANDLE  # 64-bit handles: not the default int
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    if pid > 0xFFFFFFFF:
        return False  # not a Windows process id (a DWORD)
    handle = kernel32.OpenProcess(_QUERY_LIMITED_INFORMATION, False, pid)
    if not handle:
        return ctypes.get_last_error() != _ERROR_INVALID_PARAMETER  # type: ignore[attr-defined]
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True  # there, but it would not say more: not ours to take
        return code.value == _STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _process_identity(pid: int) -> str | None:
    """Linux: boot id and start time of ``pid``; None where we cannot tell."""
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After "pid (comm)", the fields count from 3; the start time is field 22.
    return f"{boot}:{fields[19]}" if len(fields) > 19 else None
