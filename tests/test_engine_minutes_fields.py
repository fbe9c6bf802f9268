"""The minutes fields (issue 9): author and next meeting set undoably; approving on screen."""

from __future__ import annotations

from datetime import date, time

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine
from chie_kokan.models import NextMeeting, Session, Status
from export_helpers import fixture
from test_engine import refused


@pytest.fixture
def engine(clock: ManualClock) -> SessionEngine:
    return SessionEngine(fixture("shimizu"), clock)


def test_author_and_next_meeting_are_details_and_undo(engine: SessionEngine) -> None:
    meeting = NextMeeting(date=date(2027, 1, 15), time=time(14), place="中央公民館")
    engine.update_details(author="事務局 田中", next_meeting=meeting)
    assert engine.session.author == "事務局 田中"
    assert engine.session.next_meeting == meeting
    # What the file holds comes back the same.
    again = Session.model_validate(engine.session.model_dump(mode="json"))
    assert again.next_meeting == meeting
    engine.undo()
    assert engine.session.author == "" and engine.session.next_meeting is None


def test_a_next_meeting_the_file_could_not_hold_is_refused(engine: SessionEngine) -> None:
    with refused(engine, "bad_detail"):
        engine.update_details(next_meeting={"date": "2027-02-30"})


def test_older_files_without_the_fields_load() -> None:
    data = fixture("shimizu").model_dump(mode="json", exclude_none=True)
    data.pop("author", None)
    data.pop("next_meeting", None)
    session = Session.model_validate(data)
    assert session.author == "" and session.next_meeting is None


def test_approve_sets_status_and_approval_and_undoes(
    engine: SessionEngine, clock: ManualClock
) -> None:
    assert engine.approve("  山田 花子 ")
    session = engine.session
    assert session.status is Status.APPROVED
    assert session.approval is not None and session.approval.by == "山田 花子"
    assert session.approval.at == clock()
    assert not engine.approval_reset  # approving is not a change to approved minutes
    assert "山田 花子" in (engine.undo_label or "")
    # Approved already: nothing changes, whoever is named now.
    revision = engine.revision
    assert not engine.approve("別の人")
    assert engine.revision == revision and engine.session.approval.by == "山田 花子"
    engine.undo()
    assert engine.session.status is Status.DRAFT and engine.session.approval is None


def test_approve_needs_a_name(engine: SessionEngine) -> None:
    with refused(engine, "empty_approver"):
        engine.approve("  ")
