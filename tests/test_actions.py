"""``chie-kokan actions``: open action items across a folder of sessions, overdue first."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

from chie_kokan.cli import main
from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export.actions import actions_markdown, open_actions, parse_due
from chie_kokan.i18n import t
from chie_kokan.models import Scenario, Session
from chie_kokan.storage import read_sessions, save_session
from export_helpers import FIXTURES

MEETING = date(2026, 11, 27)
JST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("2026-12-20", date(2026, 12, 20)),
        ("2027/1/5", date(2027, 1, 5)),
        ("2026年12月20日", date(2026, 12, 20)),
        ("12/20", date(2026, 12, 20)),
        ("１２／２０", date(2026, 12, 20)),  # full-width, as an IME types it
        ("12月20日", date(2026, 12, 20)),
        ("12月20日（日）まで", date(2026, 12, 20)),
        ("12/20までに", date(2026, 12, 20)),
        ("1/15", date(2027, 1, 15)),  # the next January after the meeting
        ("11/27", MEETING),  # the meeting's own day is not a year away
        ("12月末", date(2026, 12, 31)),
        ("2月末", date(2027, 2, 28)),
        ("12月中", date(2026, 12, 31)),
        ("12月中に", date(2026, 12, 31)),
        ("1月上旬", date(2027, 1, 10)),
        ("1月中旬", date(2027, 1, 20)),
        ("1月下旬", date(2027, 1, 31)),
        ("今月中", date(2026, 11, 30)),
        ("来月", date(2026, 12, 31)),
        ("来月末", date(2026, 12, 31)),
        ("年度末", date(2027, 3, 31)),
        ("15 December", date(2026, 12, 15)),
        ("Dec 15th", date(2026, 12, 15)),
        ("by end of January", date(2027, 1, 31)),
        ("次回まで", None),
        ("春ごろ", None),
        ("来年", None),
        ("", None),
        ("12月", None),  # which day of it: not guessed
        ("2/30", None),
        ("2026-02-30", None),
        ("2/29", None),  # neither 2026 nor 2027 has one
        ("13/1", None),
        ("12/20 頃", None),
        ("12/20/2026", None),
    ],
)
def test_due_dates_read_as_people_write_them(due: str, expected: date | None) -> None:
    assert parse_due(due, MEETING) == expected


def _session(
    clock: ManualClock, shimizu: Scenario, session_id: str, items: list[tuple[str, str, str, bool]]
) -> Session:
    """A meeting on the clock's day with these action items (what, who, due, done)."""
    engine = SessionEngine(new_session(shimizu, session_id=session_id, clock=clock), clock)
    engine.begin()
    for what, who, due, done in items:
        item = engine.add_action(what, who=who, due=due)
        item.done = done
    return engine.session


@pytest.fixture
def folder(clock: ManualClock, shimizu: Scenario) -> Path:
    """Three meetings a month apart, a broken file, and things that are not sessions."""
    directory = Path("sessions")
    directory.mkdir()
    meetings = [
        (
            "2026-09-25-shimizu",
            [
                ("回覧板に載せる", "山田 花子", "10月末", False),  # long overdue
                ("チラシを配る", "佐藤 一郎", "10/10", True),  # done: not listed
                ("商店街に相談する", "伊藤 誠", "次回まで", False),  # no date, oldest meeting
            ],
        ),
        (
            "2026-10-23-shimizu",
            [
                ("見守りマップを作る", "鈴木 美和", "2026-11-20", False),  # overdue, later
                ("サロンの日程を決める", "小林 直子", "2027-01-15", False),  # not yet due
            ],
        ),
        (
            "2026-11-27-shimizu",
            [
                ("バス会社に聞く", "", "", False),  # nothing given
                ("報告書をまとめる", "高橋 健", "12月20日", False),  # not yet due
            ],
        ),
    ]
    for name, items in meetings:
        clock.now = datetime.combine(date.fromisoformat(name[:10]), time(14), tzinfo=JST)
        save_session(_session(clock, shimizu, name, items), directory / f"{name}.toml")
    (directory / "broken.toml").write_text("schema = 1\n[scenario\n", encoding="utf-8")
    (directory / "notes.txt").write_text("not a session", encoding="utf-8")
    (directory / "2026-11-27-shimizu.toml.lock").write_text("host = 'x'", encoding="utf-8")
    return directory


TODAY = date(2026, 12, 1)
ORDER = [
    "回覧板に載せる",  # overdue since 2026-10-31
    "見守りマップを作る",  # overdue since 2026-11-20
    "報告書をまとめる",  # due 2026-12-20
    "サロンの日程を決める",  # due 2027-01-15
    "商店街に相談する",  # no date: the oldest meeting first
    "バス会社に聞く",
]


def test_open_items_overdue_first_then_by_date_then_undated(folder: Path) -> None:
    files = read_sessions(folder)
    sessions = [file.session for file in files if file.session is not None]
    skipped = [file.error for file in files if file.error is not None]
    assert len(sessions) == 3 and [e.problems[0].file.name for e in skipped] == ["broken.toml"]
    items = open_actions(sessions, TODAY)
    assert [item.what for item in items] == ORDER
    assert [item.overdue for item in items] == [True, True, False, False, False, False]
    first = items[0]
    assert (first.due, first.due_date, first.meeting_date) == (
        "10月末",
        date(2026, 10, 31),
        date(2026, 9, 25),
    )
    text = actions_markdown(items, "ja", TODAY)
    assert "令和8年12月1日（火）現在、6件（うち期限切れ2件）" in text
    assert (
        "| **期限切れ** | 10月末（2026-10-31） | 山田 花子 | 回覧板に載せる | 2026-09-25 " in text
    )
    assert "| 期限日不明 | — | — | バス会社に聞く |" in text


def test_the_command_lists_every_folder_and_reports_a_bad_file(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Dates far from today, so the order does not depend on when the test runs.
    assert main(["actions", str(folder), "--out", "actions.csv", "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert "actions.csv" in out
    assert "broken.toml" in err and "notes.txt" not in err and ".lock" not in err
    assert err.count("broken.toml") == 2  # the file, then its problem with its line
    data = Path("actions.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [
        t(f"actions.col_{name}")
        for name in (
            "state", "due", "due_date", "who", "what", "meeting_date", "meeting", "table",
            "session",
        )
    ]  # fmt: skip
    assert len(rows) == 1 + 6
    whats = [row[4] for row in rows[1:]]
    assert "チラシを配る" not in whats  # done
    assert whats[:2] == ["回覧板に載せる", "見守りマップを作る"]  # in the past, whenever run
    assert rows[1][:3] == ["期限切れ", "10月末", "2026-10-31"]
    assert rows[1][5:] == [
        "2026-09-25",
        "知恵交換会 — 清水さんの困りごと（架空の事例）",
        "",
        "2026-09-25-shimizu",
    ]


def test_markdown_goes_to_the_screen_by_default(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.move(folder / "broken.toml", "broken.toml")
    assert main(["actions"]) == 0  # ./sessions
    out, err = capsys.readouterr()
    assert out.startswith("# 未完了の取り組み\n")
    assert err == ""
    assert out.index("回覧板に載せる") < out.index("商店街に相談する") < out.index("バス会社に聞く")
    assert not Path("exports").exists()


def test_english(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["actions", str(folder), "--lang", "en"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("# Open action items\n") and "| **overdue** |" in out
    assert "Left out of the list, it cannot be read" in err


def test_an_empty_folder_lists_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    Path("empty").mkdir()
    assert main(["actions", "empty"]) == 0
    assert "未完了の取り組みはありません" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["missing", "a-file.toml"])
def test_a_folder_that_cannot_be_read_is_an_error(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("a-file.toml").write_text("x = 1\n", encoding="utf-8")
    assert main(["actions", name]) == 2
    err = capsys.readouterr().err
    assert name in err and "Traceback" not in err


def test_out_never_replaces_a_session_and_needs_force_for_anything_else(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    session = folder / "2026-11-27-shimizu.toml"
    before = session.read_bytes()
    for extra in ([], ["--force"]):
        assert main(["actions", str(folder), "--out", str(session), *extra]) == 2
    assert session.read_bytes() == before
    assert t("export.refuse_session") in capsys.readouterr().err
    assert main(["actions", str(folder), "--out", "list.md"]) == 0
    assert main(["actions", str(folder), "--out", "list.md"]) == 2
    assert main(["actions", str(folder), "--out", "list.md", "--force"]) == 0
    Path("out").mkdir()
    assert main(["actions", str(folder), "--out", "out", "--format", "csv"]) == 0
    assert Path("out/actions.csv").is_file()


def test_actions_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "actions" in capsys.readouterr().out


def test_a_fixture_folder_of_real_meetings(capsys: pytest.CaptureFixture[str]) -> None:
    folder = Path("fixtures")
    folder.mkdir()
    for name in ("shimizu", "riverside"):
        shutil.copy(FIXTURES / f"{name}-session.toml", folder)
    assert main(["actions", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "12月15日（2026-12-15）" in out and "15 December（2026-12-15）" in out
