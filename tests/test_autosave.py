"""The saver thread: the newest state reaches the disk, in order, whatever happens.

No Textual here. Waits are on ``threading.Event``s and conditions with a
bounded timeout, never a fixed sleep: a failing test fails in seconds, a
passing one takes milliseconds.
"""

from __future__ import annotations

import errno
import threading
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import chie_kokan.autosave as autosave
from chie_kokan.autosave import AutoSaver, SaveReport
from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.files import atomic_write as real_atomic_write
from chie_kokan.models import Scenario
from chie_kokan.storage import load_session, session_text

WAIT = 5.0
"""Upper bound for anything the saver thread should do 'at once'."""


def doc(revision: int, **extra: Any) -> dict[str, Any]:
    """A small document standing in for a session dump."""
    return {"revision": revision, "text": f"状態 {revision}", **extra}


def on_disk(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


class Reports:
    """Collects the saver's reports and lets a test wait for one it expects."""

    def __init__(self) -> None:
        self.items: list[SaveReport] = []
        self.threads: list[str] = []
        self._changed = threading.Condition()

    def __call__(self, report: SaveReport) -> None:
        with self._changed:
            self.items.append(report)
            self.threads.append(threading.current_thread().name)
            self._changed.notify_all()

    def wait_for(self, predicate: Callable[[list[SaveReport]], bool]) -> list[SaveReport]:
        with self._changed:
            ok = self._changed.wait_for(lambda: predicate(self.items), timeout=WAIT)
            assert ok, f"saver did not report as expected: {self.items}"
            return list(self.items)


class Writes:
    """Stands in for ``atomic_write``: records each call, can fail or block.

    ``fail_times`` calls raise ENOSPC (a full disk); ``fail_paths`` always
    fail for those paths; ``gate`` (when set) makes the first write wait
    until the test opens it, so submissions can pile up meanwhile.
    """

    def __init__(self) -> None:
        self.calls: list[tuple[Path, int]] = []
        self.fail_times = 0
        self.fail_paths: set[Path] = set()
        self.first_started = threading.Event()
        self.gate: threading.Event | None = None

    def __call__(self, path: Path, data: bytes, *, overwrite: bool = True) -> None:
        revision = tomllib.loads(data.decode("utf-8"))["revision"]
        self.calls.append((path, revision))
        if len(self.calls) == 1:
            self.first_started.set()
            if self.gate is not None:
                assert self.gate.wait(WAIT), "the test never opened the gate"
        if path in self.fail_paths:
            raise OSError(errno.EACCES, "Permission denied", str(path))
        if self.fail_times > 0:
            self.fail_times -= 1
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        real_atomic_write(path, data, overwrite=overwrite)


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> Writes:
    fake = Writes()
    monkeypatch.setattr(autosave, "atomic_write", fake)
    # Retry quickly: the real two seconds would only slow the suite down.
    monkeypatch.setattr(AutoSaver, "RETRY_SECONDS", 0.02)
    return fake


@pytest.fixture
def reports() -> Reports:
    return Reports()


@pytest.fixture
def target(tmp_path: Path) -> Path:
    return tmp_path / "sessions" / "2026-11-27-shimizu.toml"


@pytest.fixture
def saver(target: Path, reports: Reports, writes: Writes) -> Iterator[AutoSaver]:
    target.parent.mkdir()
    saver = AutoSaver(target, reports)
    yield saver
    saver.close(timeout=WAIT)


def test_submitted_revisions_reach_the_disk_in_order(
    saver: AutoSaver, target: Path, writes: Writes, reports: Reports
) -> None:
    for revision in range(1, 6):
        saver.submit(revision, doc(revision))
        assert saver.flush(timeout=WAIT)
        assert saver.written_revision == revision
        assert on_disk(target) == doc(revision)
    assert [revision for _, revision in writes.calls] == [1, 2, 3, 4, 5]
    assert [r.revision for r in reports.items] == [1, 2, 3, 4, 5]
    assert all(r.ok and r.path == target for r in reports.items)
    # Reports come from the saver's own thread, never the caller's.
    assert set(reports.threads) == {"chie-kokan-autosave"}
    # Atomic writes leave no temp files behind.
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_submit_returns_at_once_while_a_write_is_slow(
    saver: AutoSaver, target: Path, writes: Writes
) -> None:
    writes.gate = threading.Event()
    saver.submit(1, doc(1))
    assert writes.first_started.wait(WAIT)
    # The write is stuck; submitting must still not block the caller.
    done = threading.Event()

    def submit_more() -> None:
        for revision in range(2, 50):
            saver.submit(revision, doc(revision))
        done.set()

    threading.Thread(target=submit_more).start()
    assert done.wait(1.0), "submit() blocked behind a slow write"
    assert saver.written_revision == -1
    writes.gate.set()
    assert saver.flush(timeout=WAIT)
    assert on_disk(target) == doc(49)


def test_coalescing_writes_only_the_newest(saver: AutoSaver, target: Path, writes: Writes) -> None:
    writes.gate = threading.Event()
    saver.submit(1, doc(1))
    assert writes.first_started.wait(WAIT)
    for revision in range(2, 11):
        saver.submit(revision, doc(revision))
    writes.gate.set()
    assert saver.flush(timeout=WAIT)
    assert [revision for _, revision in writes.calls] == [1, 10]
    assert saver.written_revision == 10
    assert on_disk(target) == doc(10)


def test_an_older_submission_never_replaces_a_newer_pending_one(
    saver: AutoSaver, target: Path, writes: Writes
) -> None:
    writes.gate = threading.Event()
    saver.submit(1, doc(1))
    assert writes.first_started.wait(WAIT)
    saver.submit(7, doc(7))
    saver.submit(3, doc(3))  # arrives late, e.g. from a stale caller
    writes.gate.set()
    assert saver.flush(timeout=WAIT)
    assert [revision for _, revision in writes.calls] == [1, 7]
    assert on_disk(target) == doc(7)


def test_an_older_revision_never_overwrites_a_newer_file(
    saver: AutoSaver, target: Path, writes: Writes
) -> None:
    saver.submit(5, doc(5))
    assert saver.flush(timeout=WAIT)
    saver.submit(4, doc(4))
    assert saver.flush(timeout=WAIT)
    assert on_disk(target) == doc(5)
    assert saver.written_revision == 5
    assert [revision for _, revision in writes.calls] == [5]


def test_a_failing_write_is_reported_and_retried_until_it_succeeds(
    saver: AutoSaver, target: Path, writes: Writes, reports: Reports
) -> None:
    writes.fail_times = 3
    saver.submit(1, doc(1))
    # Every failure is reported, with the error, then the retry succeeds.
    items = reports.wait_for(lambda items: any(r.ok for r in items))
    failures = [r for r in items if not r.ok]
    assert len(failures) == 3
    for failure in failures:
        assert failure.error is not None
        assert failure.error.errno == errno.ENOSPC
        assert failure.revision == 1
        assert failure.path == target
    assert items[-1].ok
    assert items[-1].revision == 1
    assert on_disk(target) == doc(1)
    assert saver.written_revision == 1


def test_while_failing_nothing_is_dropped_and_the_newest_is_written(
    saver: AutoSaver, target: Path, writes: Writes, reports: Reports
) -> None:
    saver.submit(1, doc(1))
    assert saver.flush(timeout=WAIT)
    writes.fail_paths.add(target)  # e.g. the folder became read-only
    saver.submit(2, doc(2))
    reports.wait_for(lambda items: any(not r.ok for r in items))
    # flush() does not hang while the disk refuses: it says "not saved".
    assert saver.flush(timeout=WAIT) is False
    assert saver.written_revision == 1
    assert on_disk(target) == doc(1)  # the last good state is intact
    saver.submit(3, doc(3))
    saver.submit(4, doc(4))
    writes.fail_paths.clear()  # the disk works again
    reports.wait_for(lambda items: bool(items) and items[-1].ok and items[-1].revision == 4)
    assert saver.flush(timeout=WAIT)
    assert on_disk(target) == doc(4)
    assert saver.written_revision == 4


def test_retarget_writes_to_the_new_folder(
    saver: AutoSaver, target: Path, writes: Writes, reports: Reports, tmp_path: Path
) -> None:
    writes.fail_paths.add(target)
    saver.submit(1, doc(1))
    reports.wait_for(lambda items: any(not r.ok for r in items))
    elsewhere = tmp_path / "usb" / target.name
    elsewhere.parent.mkdir()
    saver.retarget(elsewhere)
    assert saver.path == elsewhere
    items = reports.wait_for(lambda items: any(r.ok for r in items))
    assert items[-1].path == elsewhere
    assert saver.flush(timeout=WAIT)
    assert on_disk(elsewhere) == doc(1)
    assert not target.exists()
    # Later changes go to the new place too.
    saver.submit(2, doc(2))
    assert saver.flush(timeout=WAIT)
    assert on_disk(elsewhere) == doc(2)


def test_retarget_after_success_moves_later_writes(
    saver: AutoSaver, target: Path, tmp_path: Path
) -> None:
    saver.submit(1, doc(1))
    assert saver.flush(timeout=WAIT)
    elsewhere = tmp_path / "copy.toml"
    saver.retarget(elsewhere)
    saver.submit(2, doc(2))
    assert saver.flush(timeout=WAIT)
    assert on_disk(target) == doc(1)
    assert on_disk(elsewhere) == doc(2)


def test_flush_with_nothing_submitted_is_immediately_true(saver: AutoSaver) -> None:
    assert saver.flush(timeout=WAIT)
    assert saver.written_revision == -1


def test_flush_waits_for_a_write_in_progress(
    saver: AutoSaver, target: Path, writes: Writes
) -> None:
    writes.gate = threading.Event()
    saver.submit(1, doc(1))
    assert writes.first_started.wait(WAIT)
    # Still writing: a short flush gives up and says so...
    assert saver.flush(timeout=0.05) is False
    # ...and a flush that outlasts the write sees it on disk.
    threading.Timer(0.05, writes.gate.set).start()
    assert saver.flush(timeout=WAIT)
    assert on_disk(target) == doc(1)


def test_close_writes_the_last_state_and_stops_the_thread(
    target: Path, reports: Reports, writes: Writes
) -> None:
    target.parent.mkdir()
    saver = AutoSaver(target, reports)
    thread = saver._thread
    for revision in range(1, 20):
        saver.submit(revision, doc(revision))
    assert saver.close(timeout=WAIT)
    assert not thread.is_alive()
    assert on_disk(target) == doc(19)
    assert saver.written_revision == 19


def test_close_while_failing_says_not_saved_and_stops(
    target: Path, reports: Reports, writes: Writes
) -> None:
    target.parent.mkdir()
    writes.fail_paths.add(target)
    saver = AutoSaver(target, reports)
    thread = saver._thread
    saver.submit(1, doc(1))
    reports.wait_for(lambda items: any(not r.ok for r in items))
    assert saver.close(timeout=0.5) is False
    thread.join(WAIT)
    assert not thread.is_alive()
    assert not target.exists()


def test_the_real_atomic_write_produces_a_loadable_file(tmp_path: Path, reports: Reports) -> None:
    """Without the stand-in: real TOML with Japanese text, on the real disk."""
    path = tmp_path / "real.toml"
    saver = AutoSaver(path, reports)
    document = doc(1, cards=[{"text": "買い物に行けない「坂がつらい」"}])
    saver.submit(1, document)
    assert saver.close(timeout=WAIT)
    assert on_disk(path) == document
    assert reports.items[-1].ok


def test_any_failure_is_reported_and_the_thread_lives_on(
    tmp_path: Path, reports: Reports, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not only OSError: text TOML cannot hold, a bug — the saver keeps going."""
    monkeypatch.setattr(AutoSaver, "RETRY_SECONDS", 0.02)
    target = tmp_path / "s.toml"
    saver = AutoSaver(target, reports)
    try:
        saver.submit(1, {"revision": 1, "bad": object()})  # tomli_w: TypeError
        failed = reports.wait_for(lambda items: any(not r.ok for r in items))
        assert isinstance(failed[0].error, TypeError)
        assert not failed[0].lost
        assert saver.flush(timeout=WAIT) is False
        saver.submit(2, doc(2))  # the newest state is fine again
        reports.wait_for(lambda items: items[-1].ok and items[-1].revision == 2)
        assert on_disk(target) == doc(2)
    finally:
        assert saver.close(timeout=WAIT)


def test_a_bug_in_the_writer_is_reported_and_retried(
    saver: AutoSaver,
    target: Path,
    writes: Writes,
    reports: Reports,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = 0

    def flaky(path: Path, data: bytes, *, overwrite: bool = True) -> None:
        nonlocal calls
        calls += 1
        if calls <= 2:
            raise RuntimeError("unexpected")
        writes(path, data, overwrite=overwrite)

    monkeypatch.setattr(autosave, "atomic_write", flaky)
    saver.submit(1, doc(1))
    items = reports.wait_for(lambda items: any(r.ok for r in items))
    assert [type(r.error) for r in items] == [RuntimeError, RuntimeError, type(None)]
    assert on_disk(target) == doc(1)


def test_a_session_taken_over_is_never_written_again_until_moved(
    tmp_path: Path, reports: Reports, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chie_kokan.lock import LockInfo, LockLost

    monkeypatch.setattr(AutoSaver, "RETRY_SECONDS", 0.02)
    target = tmp_path / "s.toml"
    holder = LockInfo("kominkan-pc", 4242, datetime_now(), "theirs")
    lost = threading.Event()

    def guard() -> None:
        if lost.is_set():
            raise LockLost(holder)

    saver = AutoSaver(target, reports, guard)
    try:
        saver.submit(1, doc(1))
        assert saver.flush(timeout=WAIT)
        lost.set()
        target.write_text("theirs = true\n", encoding="utf-8")  # the new holder's work
        saver.submit(2, doc(2))
        items = reports.wait_for(lambda items: any(r.lost for r in items))
        assert [r.error.holder for r in items if r.lost] == [holder]  # type: ignore[union-attr]
        saver.submit(3, doc(3))
        assert saver.flush(timeout=0.3) is False
        assert on_disk(target) == {"theirs": True}  # never overwritten
        assert len(reports.items) == 2  # no retries against a file that is not ours
        elsewhere = tmp_path / "usb" / "s.toml"
        elsewhere.parent.mkdir()
        saver.retarget(elsewhere)
        reports.wait_for(lambda items: items[-1].ok and items[-1].path == elsewhere)
        assert on_disk(elsewhere) == doc(3)
    finally:
        saver.close(timeout=WAIT)


def datetime_now() -> Any:
    from datetime import datetime

    return datetime.now().astimezone()


def test_an_engine_hands_over_its_changes_and_the_saver_thread_takes_the_dump(
    target: Path, reports: Reports, shimizu: Scenario, clock: ManualClock
) -> None:
    """``submit_latest``: nothing is dumped on the caller's thread; each write takes
    the newest state once, however many changes came meanwhile, and the file is
    the session exactly."""
    target.parent.mkdir()
    engine = SessionEngine(new_session(shimizu, session_id="shimizu", clock=clock), clock)
    taken: list[tuple[str, int]] = []
    gate = threading.Event()

    def take() -> tuple[int, str]:
        assert gate.wait(WAIT)
        revision, text = engine.file_text()
        taken.append((threading.current_thread().name, revision))
        return revision, text

    saver = AutoSaver(target, reports)
    try:
        engine.subscribe(lambda e: saver.submit_latest(e.revision, take))
        engine.begin()
        engine.next_step()
        for number in range(20):
            clock.advance(7)
            engine.record_card(f"困りごと{number}")
        gate.set()
        assert saver.flush(timeout=WAIT)
        assert saver.written_revision == engine.revision
        assert target.read_text(encoding="utf-8") == session_text(engine.session)
        assert len(taken) <= 2  # the first change's write, then the newest state once
        assert {name for name, _ in taken} == {"chie-kokan-autosave"}
        engine.undo()
        engine.edit_card("c3", "バス停が遠い")
        assert saver.flush(timeout=WAIT)
        assert load_session(target) == engine.session
        assert target.read_text(encoding="utf-8") == session_text(engine.session)
    finally:
        saver.close(timeout=WAIT)
