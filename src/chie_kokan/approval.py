"""Approving the minutes (案 → 確定): ``chie-kokan approve SESSION --by NAME``.

Two fields of one session file change, nothing else: ``status`` and
``approval``. Not even ``updated_at``: the minutes end whatever was still
running at the session's last change, so approving must not move it.

The session is locked while it is read, changed and written, as a screen
recording it would lock it: a session open on a screen is refused with
:class:`SessionLocked`, and no screen can open it half way through. Any later
change on a screen returns the minutes to 案 (see the engine's
``approval_reset``). No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chie_kokan.clock import Clock, system_clock
from chie_kokan.files import recording_path
from chie_kokan.i18n import t
from chie_kokan.lock import SessionLock
from chie_kokan.models import Approval, Session, Status
from chie_kokan.problems import FileError, Problem
from chie_kokan.storage import load_session, save_session


@dataclass(frozen=True)
class Approved:
    """What ``approve`` did: the session as it now is, and whether it already was."""

    session: Session
    approval: Approval
    already: bool
    """Approved before: nothing was written."""


def approve_session(path: Path, by: str, *, clock: Clock = system_clock) -> Approved:
    """Mark the minutes of the session at ``path`` approved by ``by``, now.

    Raises :class:`ValueError` for a blank name, :class:`FileError` for a file
    that cannot be read or written, :class:`SessionLocked` (a FileError) while
    a screen has the session open. A session approved already is left as it
    is, whoever is named now.
    """
    name = by.strip()
    if not name:
        raise ValueError("the approver's name is blank")
    target = recording_path(path)  # through links: a save must not replace the link
    load_session(target)  # a missing or broken file is named as such, before any lock
    try:
        lock = SessionLock.acquire(target, clock=clock)
    except OSError as error:  # not even a lock can be written there: nor the session
        raise _write_failed(path, error) from None
    try:
        session = load_session(target)  # as it is now that nobody else can write it
        if session.status is Status.APPROVED and session.approval is not None:
            return Approved(session, session.approval, already=True)
        approval = Approval(by=name, at=clock())
        session.status = Status.APPROVED
        session.approval = approval
        try:
            save_session(session, target)
        except OSError as error:
            raise _write_failed(path, error) from None
        return Approved(session, session.approval, already=False)
    finally:
        lock.release()


def _write_failed(path: Path, error: OSError) -> FileError:
    detail = error.strerror or str(error)
    return FileError([Problem(path, t("export.write_failed", detail=detail))])
