"""Saving off the screen's thread: the newest state reaches the disk at once.

The screen hands over a snapshot (a plain dict), or better a way to take one
(:meth:`AutoSaver.submit_latest`), after every change; one writer thread takes
it as TOML and writes it atomically, so nothing of the kind happens on the
screen's thread. Snapshots that arrive while a write is
running are coalesced: only the newest is written next, and an older one can
never overwrite a newer one. A failed write
(permission, full disk, text that cannot be written, anything) is reported
and retried; the thread never dies, nothing is dropped from memory, and the
target folder can be changed while it fails.

Before each write a ``guard`` (the session's lock) may say the file is no
longer ours: then nothing more is written there until the saver is pointed
at another file, so a screen whose session was taken over never overwrites
the new holder's work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from chie_kokan.files import atomic_write
from chie_kokan.lock import LockLost

Take = Callable[[], tuple[int, str]]
"""Returns the newest revision and its file's text (``SessionEngine.file_text``)."""

Guard = Callable[[], None]
"""Called before each write; raises :class:`LockLost` when the file is not ours."""


@dataclass(frozen=True)
class SaveReport:
    """What happened to the newest write."""

    revision: int
    path: Path
    error: Exception | None = None

    @property
    def lost(self) -> bool:
        """The session was taken over: this file is no longer ours to write."""
        return isinstance(self.error, LockLost)

    @property
    def ok(self) -> bool:
        return self.error is None


class AutoSaver:
    """A single writer thread for one session file."""

    RETRY_SECONDS = 2.0

    def __init__(
        self, path: Path, on_report: Callable[[SaveReport], None], guard: Guard | None = None
    ) -> None:
        self._path = path
        self._guard = guard
        self._lost = False
        self._on_report = on_report
        self._pending: tuple[int, Take] | None = None
        self._written = -1
        self._failing = False
        self._closed = False
        self._wake = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="chie-kokan-autosave", daemon=True)
        self._thread.start()

    @property
    def path(self) -> Path:
        return self._path

    @property
    def written_revision(self) -> int:
        """The newest revision known to be on disk."""
        return self._written

    def submit(self, revision: int, document: dict[str, Any]) -> None:
        """Queue ``document`` (a JSON-mode model dump) for writing; returns at once."""
        self.submit_latest(revision, lambda: (revision, tomli_w.dumps(document)))

    def submit_latest(self, revision: int, take: Take) -> None:
        """Revision ``revision`` exists: write what ``take()`` gives; returns at once.

        ``take`` is called on the writer thread, once per write however many
        submissions came meanwhile; it returns the newest state, whose
        revision (at least ``revision``) is what the write reports.
        """
        with self._wake:
            if self._pending is None or revision > self._pending[0]:
                self._pending = (revision, take)
            self._wake.notify()

    def retarget(self, path: Path, guard: Guard | None = None) -> None:
        """Write to another file from now on (the user chose another folder)."""
        with self._wake:
            self._path = path
            self._guard = guard
            self._lost = False
            self._failing = False
            self._wake.notify()

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until everything submitted is on disk. False if it could not be."""
        with self._wake:
            return (
                self._wake.wait_for(lambda: self._pending is None or self._failing, timeout=timeout)
                and self._pending is None
            )

    def close(self, timeout: float = 10.0) -> bool:
        """Flush, then stop the thread. True when the last state reached the disk."""
        done = self.flush(timeout)
        with self._wake:
            self._closed = True
            self._wake.notify_all()
        self._thread.join(timeout=1.0)
        return done

    def _run(self) -> None:
        while True:
            with self._wake:
                while (self._pending is None or self._lost) and not self._closed:
                    self._wake.wait()
                if self._pending is None or self._lost:
                    return
                revision, take = self._pending
                path, guard = self._path, self._guard
            error: Exception | None = None
            try:
                if revision > self._written:
                    revision, text = take()
                    if guard is not None:
                        guard()
                    atomic_write(path, text.encode("utf-8"))
            except Exception as failure:
                # Whatever it is (a full disk, a value TOML cannot hold, a bug),
                # the thread lives on: report, keep the state, try again.
                error = failure
            with self._wake:
                if error is None:
                    self._written = max(self._written, revision)
                    self._failing = False
                    if self._pending is not None and self._pending[0] <= revision:
                        self._pending = None
                else:
                    self._failing = True
                    # Taken over: wait for another file, never write this one again.
                    self._lost = isinstance(error, LockLost) and path == self._path
                self._wake.notify_all()
            self._on_report(SaveReport(revision, path, error))
            if error is not None:
                with self._wake:
                    # Retry later, sooner if a newer state or a new folder arrives.
                    self._wake.wait(self.RETRY_SECONDS)
                    if self._closed:
                        return
