"""Any change to approved minutes returns them to 案: the engine's one hook."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine
from chie_kokan.export import render_minutes
from chie_kokan.models import Approval, Status
from export_helpers import fixture

APPROVAL = Approval(
    by="山田 花子", at=datetime(2026, 12, 1, 12, tzinfo=timezone(timedelta(hours=9)))
)


@pytest.fixture
def approved(clock: ManualClock) -> SessionEngine:
    """The finished meeting, approved, opened again on a screen."""
    session = fixture("shimizu")
    session.status = Status.APPROVED
    session.approval = APPROVAL
    engine = SessionEngine(session, clock)
    engine.resume()  # every clock stopped already: opening it changes nothing
    assert engine.session.status is Status.APPROVED and not engine.approval_reset
    return engine


def test_a_change_after_approval_returns_the_minutes_to_draft(approved: SessionEngine) -> None:
    revision = approved.revision
    approved.add_walk_in("飛び入り 参加者")
    session = approved.session
    assert session.status is Status.DRAFT and session.approval is None
    assert approved.approval_reset  # for the screen's notice
    assert approved.revision == revision + 1  # one change, saved as one
    md = render_minutes([session], "md").decode("utf-8")
    assert "議事録（案）" in md and "確定" not in md
    # Further changes keep it a draft, and do not raise the flag again once read.
    approved.approval_reset = False
    approved.update_details(place="集会所")
    assert approved.session.status is Status.DRAFT and not approved.approval_reset


def test_undo_brings_back_the_approved_session_with_its_approval(
    approved: SessionEngine,
) -> None:
    approved.add_walk_in("飛び入り 参加者")
    approved.undo()
    assert approved.session.status is Status.APPROVED
    assert approved.session.approval == APPROVAL
    approved.add_walk_in("飛び入り 参加者")  # and the next change resets it again
    assert approved.session.status is Status.DRAFT


def test_a_change_that_approves_stands(clock: ManualClock) -> None:
    engine = SessionEngine(fixture("shimizu"), clock)
    engine.update_details(status="approved")
    assert engine.session.status is Status.APPROVED and not engine.approval_reset
