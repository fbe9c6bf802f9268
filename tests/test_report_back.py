"""前回からの報告: the pure helper, the engine's mark, and three sessions in a row."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import render_minutes
from chie_kokan.export.actions import open_actions
from chie_kokan.models import ReportItem, ReportStatus, Scenario, Session
from chie_kokan.report_back import items_due, report_back, with_status
from chie_kokan.storage import create_session_file, load_session, save_session
from export_helpers import contains_name, docx_text, fixture

WEEK = 7 * 24 * 3600


def meeting(scenario: Scenario, clock: ManualClock, session_id: str) -> SessionEngine:
    engine = SessionEngine(new_session(scenario, session_id=session_id, clock=clock), clock)
    engine.begin()
    return engine


def whats(items: list) -> list[str]:
    return [item.what for item in items]


@pytest.fixture
def first(shimizu: Scenario, clock: ManualClock) -> SessionEngine:
    engine = meeting(shimizu, clock, "first")
    engine.add_action("買い物バスの時刻表を配る", who="山田", due="12月")
    engine.add_action("サロンに声をかける", who="佐藤")
    engine.add_action("済んだこと")
    engine.session.actions[2].done = True
    return engine


def a_week_later(
    first: SessionEngine, scenario: Scenario, clock: ManualClock
) -> tuple[SessionEngine, ReportItem]:
    """The next session, and the first item it hears about from ``first``."""
    clock.advance(WEEK)
    second = meeting(scenario, clock, "second")
    return second, items_due(second.session, [first.session])[0]


def test_a_first_session_has_nothing_to_report(shimizu: Scenario, clock: ManualClock) -> None:
    assert items_due(meeting(shimizu, clock, "only").session, []) == []


def test_the_previous_sessions_open_actions(
    first: SessionEngine, shimizu: Scenario, clock: ManualClock
) -> None:
    clock.advance(WEEK)
    second = meeting(shimizu, clock, "second").session
    items = items_due(second, [first.session])
    assert whats(items) == ["買い物バスの時刻表を配る", "サロンに声をかける"]
    assert items[0].who == "山田" and items[0].due == "12月"
    assert items[0].from_session == "first"
    assert items[0].from_date == first.session.created_at
    assert items[0].status is None


def test_later_sessions_other_scenarios_and_itself_are_not_previous(
    first: SessionEngine, shimizu: Scenario, clock: ManualClock
) -> None:
    other = shimizu.model_copy(update={"title": "別の会"})
    stranger = meeting(other, clock, "stranger")
    stranger.add_action("別の会の約束")
    clock.advance(WEEK)
    second = meeting(shimizu, clock, "second")
    second.add_action("今日の約束")
    clock.advance(WEEK)
    later = meeting(shimizu, clock, "later")
    later.add_action("未来の約束")
    others = [stranger.session, later.session, second.session, first.session]
    assert whats(items_due(second.session, others)) == [
        "買い物バスの時刻表を配る",
        "サロンに声をかける",
    ]


def test_by_meeting_date_not_by_file_order(
    first: SessionEngine, shimizu: Scenario, clock: ManualClock
) -> None:
    clock.advance(-WEEK)
    earlier = meeting(shimizu, clock, "zz-earlier")  # sorts last by name, met first
    earlier.add_action("古い約束")
    clock.advance(2 * WEEK)
    now = meeting(shimizu, clock, "now").session
    # The earlier one's promise was not discussed at "first": it carries on too.
    assert whats(items_due(now, [first.session, earlier.session])) == [
        "古い約束",
        "買い物バスの時刻表を配る",
        "サロンに声をかける",
    ]


def test_the_engine_keeps_the_mark_and_undoes_it(
    first: SessionEngine, shimizu: Scenario, clock: ManualClock
) -> None:
    second, item = a_week_later(first, shimizu, clock)
    marked = second.report_on(item, ReportStatus.DONE, "  配りました ")
    assert (marked.status, marked.note) == (ReportStatus.DONE, "配りました")
    assert second.session.report_back == [marked]
    again = second.report_on(item, ReportStatus.CONTINUES, "")
    assert second.session.report_back == [again]  # one mark per item
    shown = with_status(items_due(second.session, [first.session]), second.session)
    assert [i.status for i in shown] == [ReportStatus.CONTINUES, None]
    assert second.undo_label is not None and "買い物バス" in second.undo_label
    second.undo()
    assert second.session.report_back == [marked]
    second.report_on(item, None)
    assert second.session.report_back == []


def test_three_sessions_nothing_promised_disappears(
    shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "broken.toml").write_text("this is = = not toml", encoding="utf-8")
    one = meeting(shimizu, clock, "one")
    one.add_action("A: 時刻表を配る", who="山田")
    one.add_action("B: サロンに声をかける", who="佐藤")
    one.add_action("C: 話さなかったこと")
    one_path = create_session_file(one.session, folder)
    one_bytes = one_path.read_bytes()

    def next_week(name: str) -> tuple[SessionEngine, Path, list[ReportItem]]:
        """The next session, on file, and what it hears reported back."""
        clock.advance(WEEK)
        engine = meeting(shimizu, clock, name)
        path = create_session_file(engine.session, folder)
        return engine, path, report_back(engine.session, path)

    two, two_path, (a, b, _c) = next_week("two")
    two.report_on(a, ReportStatus.CONTINUES, "来月まで")
    two.report_on(b, ReportStatus.DONE)
    two.add_action("D: 新しい約束")
    save_session(two.session, two_path)
    assert one_path.read_bytes() == one_bytes  # the earlier file is never changed

    three, three_path, due = next_week("three")
    assert whats(due) == ["A: 時刻表を配る", "C: 話さなかったこと", "D: 新しい約束"]
    assert [i.from_session for i in due] == [one.session.id, one.session.id, two.session.id]
    assert all(i.status is None and i.note == "" for i in due)
    three.report_on(due[0], ReportStatus.DROPPED, "担当が変わった")
    save_session(three.session, three_path)
    assert load_session(three_path).report_back[0].status is ReportStatus.DROPPED
    assert one_path.read_bytes() == one_bytes

    # A fourth hears C and D still (not discussed), and not A (中止).
    assert whats(next_week("four")[2]) == ["C: 話さなかったこと", "D: 新しい約束"]


def test_the_report_back_reads_the_folder_as_the_launcher_lists_it(
    first: SessionEngine, shimizu: Scenario, clock: ManualClock, tmp_path: Path
) -> None:
    """Only session files count: a Mac's ``._`` copy of the first session is not
    a second source of the same promises, and a missing folder reports nothing."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    first_path = create_session_file(first.session, folder)
    (folder / f"._{first_path.name}").write_bytes(first_path.read_bytes())
    second, _ = a_week_later(first, shimizu, clock)
    second_path = create_session_file(second.session, folder)
    due = report_back(second.session, second_path)
    assert whats(due) == ["買い物バスの時刻表を配る", "サロンに声をかける"]
    assert report_back(second.session, tmp_path / "gone" / "second.toml") == []


def test_a_continued_item_whose_file_is_gone_still_carries(
    first: SessionEngine, shimizu: Scenario, clock: ManualClock
) -> None:
    second, item = a_week_later(first, shimizu, clock)
    second.report_on(item, ReportStatus.CONTINUES)
    clock.advance(WEEK)
    third = meeting(shimizu, clock, "third").session
    assert whats(items_due(third, [second.session])) == ["買い物バスの時刻表を配る"]


def test_old_files_without_report_back_still_load(first: SessionEngine) -> None:
    document = first.session.model_dump(mode="json", exclude_none=True, by_alias=True)
    document.pop("report_back", None)
    assert Session.model_validate(document).report_back == []


# -- the minutes: 前回からの報告 in md, html and docx -------------------------------


def reported(session: Session) -> Session:
    """The fixture session with two items reported back, one held by a member."""
    member = session.members[0]
    items = [
        ReportItem(
            id="a1",
            what="時刻表を配る",
            who=member.name,
            due="12月",
            from_session="earlier",
            from_date=session.created_at - timedelta(days=28),
            status=ReportStatus.CONTINUES,
            note="来月まで",
        ),
        ReportItem(
            id="a2",
            what="サロンに声をかける",
            from_session="earlier",
            from_date=session.created_at - timedelta(days=28),
            status=ReportStatus.DONE,
        ),
    ]
    return session.model_copy(update={"report_back": items})


def minutes_text(session: Session, fmt: str, *, redact: bool = False, lang: str = "ja") -> str:
    data = render_minutes([session], fmt, redact=redact, language=lang)  # type: ignore[arg-type]
    return docx_text(data) if fmt == "docx" else data.decode("utf-8")


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_the_minutes_report_from_the_last_meeting(fmt: str) -> None:
    session = reported(fixture("shimizu"))
    name, org = session.members[0].name, session.members[0].organization
    text = minutes_text(session, fmt)
    assert "前回からの報告" in text and "前回の会" in text
    for words in ("時刻表を配る", "継続", "来月まで", "サロンに声をかける", "済", name):
        assert words in text, words
    assert text.index("前回からの報告") < text.index("時刻表を配る")
    english = minutes_text(session, fmt, lang="en")
    assert "Report from the last meeting" in english and "continues" in english
    public = minutes_text(session, fmt, redact=True)
    assert "時刻表を配る" in public and "継続" in public
    assert not contains_name(public, name)
    assert org in public


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_no_section_without_anything_reported(fmt: str) -> None:
    # The column only the section has (the fixture's cards speak of 前回からの報告).
    assert "前回の会" not in minutes_text(fixture("shimizu"), fmt)


def test_the_actions_list_leaves_out_what_was_reported_done_or_dropped(
    first: SessionEngine, shimizu: Scenario, clock: ManualClock
) -> None:
    second, item = a_week_later(first, shimizu, clock)
    due = items_due(second.session, [first.session])
    second.report_on(item, ReportStatus.DONE)
    sessions = [first.session, second.session]
    today = clock().date()
    assert [a.what for a in open_actions(sessions, today)] == [due[1].what]
    second.report_on(due[1], ReportStatus.DROPPED)
    assert open_actions(sessions, today) == []
    second.report_on(item, ReportStatus.CONTINUES)
    assert [a.what for a in open_actions(sessions, today)] == [item.what]
