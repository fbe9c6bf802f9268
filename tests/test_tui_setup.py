"""The setup screen, driven through the real app, and what F7 writes to disk."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static

from chie_kokan.clock import ManualClock
from chie_kokan.models import Roles, Session
from chie_kokan.storage import load_session
from chie_kokan.tui.app import ChieKokanApp, make_app
from chie_kokan.tui.glyphs import DONE
from chie_kokan.tui.screens.running import RunningScreen
from chie_kokan.tui.screens.setup import SetupScreen
from chie_kokan.tui.widgets.wrapped_text import WrappedText

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
SIZES = [(120, 36), (100, 30)]
JST = timezone(timedelta(hours=9))

ROSTER = [
    "山田 花子",
    "佐藤 一郎",
    "鈴木 美和",
    "高橋 健",
    "田中 和子",
    "伊藤 誠",
    "渡辺 幸子",
    "中村 里美",
    "小林 直子",
]


def setup_app(clock: ManualClock, tmp_path: Path, scenario: str = "shimizu") -> ChieKokanApp:
    return make_app(
        scenario_path=SCENARIOS / f"{scenario}.toml",
        sessions_dir=tmp_path / "sessions",
        clock=clock,
    )


def session_files(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "sessions"
    return sorted(folder.glob("*.toml")) if folder.exists() else []


def only_session(tmp_path: Path) -> Session:
    (path,) = session_files(tmp_path)
    return load_session(path)


def screen(app: ChieKokanApp) -> SetupScreen:
    assert isinstance(app.screen, SetupScreen)
    return app.screen


def message(app: ChieKokanApp) -> str:
    return app.screen.query_one("#setup-message", WrappedText).content.plain


async def settle(app: ChieKokanApp, pilot: Pilot[int]) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def type_text(pilot: Pilot[int], text: str) -> None:
    await pilot.press(*text)


@pytest.mark.parametrize("size", SIZES)
async def test_set_up_by_keys_only(
    size: tuple[int, int], clock: ManualClock, tmp_path: Path
) -> None:
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=size) as pilot:
        setup = screen(app)
        assert app.focused is setup.query_one("#setup-roster")
        assert setup.present_names() == ROSTER  # everyone present by default

        # 佐藤 is absent today.
        await pilot.press("down", "f2")
        assert "佐藤 一郎" not in setup.present_names()

        # A walk-in: F5 goes to the name, Tab to the organisation, Enter adds.
        await pilot.press("f5")
        assert app.focused is setup.query_one("#setup-walk-in-name")
        await type_text(pilot, "木村 陽子")
        await pilot.press("tab")
        await type_text(pilot, "民生委員")
        await pilot.press("enter")
        assert setup.present_names()[-1] == "木村 陽子"
        assert "木村 陽子" in message(app)

        # She sits between 中村 and 小林: two seats up (F3 moves the highlighted person).
        await pilot.press("f3", "f3")
        assert setup.present_names()[-3:] == ["木村 陽子", "中村 里美", "小林 直子"]
        # 山田 moves one seat down, after 鈴木 (佐藤 is absent, so past him too).
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab")
        assert app.focused is setup.query_one("#setup-roster")
        await pilot.press("home", "f4", "f4")
        assert setup.present_names()[:2] == ["鈴木 美和", "山田 花子"]

        # Place and observers: Tab through the buttons and the walk-in fields to the form.
        await pilot.press(*["tab"] * 9)
        assert app.focused is setup.query_one("#setup-place")
        await type_text(pilot, "市民センター 第1会議室")
        await pilot.press("tab", "tab")
        assert app.focused is setup.query_one("#setup-observers")
        await type_text(pilot, "2")
        # Roles: ↓ picks the first person present, typing completes with →, or free text.
        await pilot.press("tab", "down")
        await pilot.press("tab", *"高橋", "right")
        await pilot.press("tab", *"事務局 佐々木")
        await pilot.press("tab", "down", "down")

        await pilot.press("f7")
        await settle(app, pilot)
        assert isinstance(app.screen, RunningScreen)

    session = only_session(tmp_path)
    assert [m.name for m in session.members] == [
        "鈴木 美和",
        "山田 花子",
        "高橋 健",
        "田中 和子",
        "伊藤 誠",
        "渡辺 幸子",
        "木村 陽子",
        "中村 里美",
        "小林 直子",
    ]
    assert [m.id for m in session.members] == [f"p{i}" for i in range(1, 10)]
    walk_in = session.members[6]
    assert (walk_in.organization, walk_in.walk_in) == ("民生委員", True)
    assert not any(m.walk_in for m in session.members if m is not walk_in)
    assert session.members[0].organization == "社会福祉協議会"
    assert session.members[0].role == "地域福祉係"
    assert session.roles == Roles(
        facilitator="鈴木 美和",
        timekeeper="高橋 健",
        board_writer="事務局 佐々木",
        minute_taker="山田 花子",
    )
    assert session.place == "市民センター 第1会議室"
    assert session.observers == 2
    assert session.table == ""
    assert session.created_at == clock()  # date and time untouched: now
    assert session.id == "2026-11-27-shimizu"


async def test_tab_order_reaches_the_form(clock: ManualClock, tmp_path: Path) -> None:
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        setup = screen(app)
        order = []
        for _ in range(13):
            await pilot.press("tab")
            order.append(app.focused.id if app.focused else None)
        assert order == [
            "setup-toggle",
            "setup-up",
            "setup-down",
            "setup-walk-in-name",
            "setup-walk-in-organization",
            "setup-add",
            "setup-date",
            "setup-time",
            "setup-place",
            "setup-table",
            "setup-observers",
            "setup-role-facilitator",
            "setup-role-timekeeper",
        ]
        assert setup.query_one("#setup-date", Input).value == "2026-11-27"
        assert setup.query_one("#setup-time", Input).value == "14:00"


async def test_start_by_clicking(clock: ManualClock, tmp_path: Path) -> None:
    app = setup_app(clock, tmp_path, "riverside")
    async with app.run_test(size=(100, 30)) as pilot:
        setup = screen(app)
        # Click a person to highlight, click the toggle button; click the list again to toggle back.
        roster = setup.query_one("#setup-roster", SelectionList)
        assert await pilot.click("#setup-roster", offset=(8, 2))  # second line: George Reed
        assert roster.highlighted == 1
        assert "George Reed" not in setup.present_names()  # a click toggles
        assert await pilot.click("#setup-roster", offset=(8, 2))
        assert "George Reed" in setup.present_names()
        assert await pilot.click("#setup-toggle")
        assert "George Reed" not in setup.present_names()
        assert await pilot.click("#setup-down")
        assert roster.highlighted == 2
        assert await pilot.click("#setup-walk-in-name")
        await type_text(pilot, "Sam Lee")
        assert await pilot.click("#setup-add")
        assert await pilot.click("#setup-up")
        assert await pilot.click("#setup-place")
        await type_text(pilot, "Riverside hall")
        assert await pilot.click("#setup-start")
        await settle(app, pilot)
        assert isinstance(app.screen, RunningScreen)
    session = only_session(tmp_path)
    assert [m.name for m in session.members] == [
        "Amira Hassan",
        "Priya Shah",
        "Tom Clarke",
        "Helen Ward",
        "Sam Lee",
        "Daniel Okafor",
    ]
    assert session.members[4].walk_in
    assert session.place == "Riverside hall"


async def test_space_and_enter_toggle_on_the_roster(clock: ManualClock, tmp_path: Path) -> None:
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        setup = screen(app)
        await pilot.press("space")
        assert "山田 花子" not in setup.present_names()
        await pilot.press("enter")
        assert "山田 花子" in setup.present_names()
        heading = str(setup.query_one("#setup-roster-heading", Static).render())
        assert "出席 9人" in heading


async def test_nobody_present_does_not_start(clock: ManualClock, tmp_path: Path) -> None:
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        setup = screen(app)
        for _ in ROSTER:
            await pilot.press("f2", "down")
        assert setup.present_names() == []
        await pilot.press("f7")
        await settle(app, pilot)
        assert app.screen is setup
        assert "出席者が一人もいません" in message(app)
        assert setup.query_one("#setup-message").has_class("-problem")
    assert session_files(tmp_path) == []


async def test_bad_date_time_and_observers_are_explained(
    clock: ManualClock, tmp_path: Path
) -> None:
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        setup = screen(app)
        setup.query_one("#setup-date", Input).value = "11月27日"
        await pilot.press("f7")
        await settle(app, pilot)
        assert "日付が読めません" in message(app)
        assert app.focused is setup.query_one("#setup-date")
        setup.query_one("#setup-date", Input).value = "2026-11-27"
        setup.query_one("#setup-time", Input).value = "25:00"
        await pilot.press("f7")
        await settle(app, pilot)
        assert "開始時刻が読めません" in message(app)
        setup.query_one("#setup-time", Input).value = "14:00"
        setup.query_one("#setup-observers", Input).value = "数人"
        await pilot.press("f7")
        await settle(app, pilot)
        assert "傍聴者" in message(app)
        assert app.screen is setup
    assert session_files(tmp_path) == []


async def test_edited_date_and_time_are_the_sessions(clock: ManualClock, tmp_path: Path) -> None:
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        setup = screen(app)
        # Typed with the IME still on: full-width digits are fine.
        setup.query_one("#setup-date", Input).value = "２０２６／１２／０３"
        setup.query_one("#setup-time", Input).value = "13:30"
        setup.query_one("#setup-table", Input).value = "A"
        await pilot.press("f7")
        await settle(app, pilot)
    (path,) = session_files(tmp_path)
    assert path.name == "2026-12-03-shimizu.toml"  # the chosen day names the file
    session = load_session(path)
    assert session.created_at == datetime(2026, 12, 3, 13, 30, tzinfo=JST)
    assert session.created_at.utcoffset() == timedelta(hours=9)
    assert session.table == "A"


async def test_walk_in_needs_a_name_and_a_new_one(clock: ManualClock, tmp_path: Path) -> None:
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        setup = screen(app)
        await pilot.press("f5", "f5")  # to the name field; again with nothing typed
        assert "名前を書いてください" in message(app)
        await type_text(pilot, "山田 花子")
        await pilot.press("f5")
        assert "もう名簿にいます" in message(app)
        assert len(setup.attendees) == len(ROSTER)


async def test_second_f7_makes_no_second_file(clock: ManualClock, tmp_path: Path) -> None:
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f7", "f7")
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
    assert len(session_files(tmp_path)) == 1


async def test_keys_footer_palette_and_no_way_back(clock: ManualClock, tmp_path: Path) -> None:
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        setup = screen(app)
        shown = {b.binding.key for b in setup.active_bindings.values() if b.binding.show}
        assert {"f2", "f3", "f4", "f5", "f6", "f7", "ctrl+q"} <= shown
        # Started by `run`: there is no launcher to go back to.
        assert "escape" not in setup.active_bindings
        titles = [command.title for command in setup.palette_commands()]
        assert titles == [
            "出席/欠席",
            "席を前へ",
            "席を後ろへ",
            "飛び入り追加",
            "議事録の項目",
            "開始",
            "終了",
        ]
        # A role field shows its own keys.
        setup.query_one("#setup-role-facilitator").focus()
        await pilot.pause()
        assert {"up", "down"} <= set(setup.active_bindings)
        # The palette starts the meeting too.
        await pilot.press("ctrl+p", *"開始", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RunningScreen)
    assert len(session_files(tmp_path)) == 1


async def test_english_scenario_speaks_english(clock: ManualClock, tmp_path: Path) -> None:
    app = setup_app(clock, tmp_path, "riverside")
    async with app.run_test(size=(120, 36)) as pilot:
        setup = screen(app)
        titles = [command.title for command in setup.palette_commands()]
        assert "Start" in titles
        assert "Present and seat order (6 of 6 present)" in str(
            setup.query_one("#setup-roster-heading", Static).render()
        )
        await pilot.press("f7")
        await settle(app, pilot)
    assert len(only_session(tmp_path).members) == 6


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("setup-observers", "10000", "0 から 9999 人まで"),
        ("setup-observers", "9" * 5000, "0 から 9999 人まで"),
        ("setup-date", "0001-01-01", "1970 年から 2199 年まで"),
        ("setup-date", "9999-12-31", "1970 年から 2199 年まで"),
    ],
    ids=["observers", "observers-5000-digits", "year-1", "year-9999"],
)
async def test_numbers_and_dates_a_session_file_cannot_hold_are_explained(
    clock: ManualClock, tmp_path: Path, field: str, value: str, expected: str
) -> None:
    # Written as typed, the session would be refused the next time it is opened.
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        setup = screen(app)
        setup.query_one(f"#{field}", Input).value = value
        await pilot.press("f7")
        await settle(app, pilot)
        assert expected in message(app)
        assert app.focused is setup.query_one(f"#{field}")
        assert app.screen is setup
    assert session_files(tmp_path) == []


async def test_the_roster_ticks_who_is_present_instead_of_crossing_them_out(
    clock: ManualClock, tmp_path: Path
) -> None:
    """Textual's "X" reads as バツ (absent) in Japan: present people get a tick."""
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        roster = screen(app).query_one("#setup-roster", SelectionList)
        await pilot.pause()
        first = roster.render_line(0).text
        assert "山田 花子" in first and DONE in first and "X" not in first
        await pilot.press("space")  # absent now: the mark stays a tick, dimmed, name struck
        assert "山田 花子" not in screen(app).present_names()
        assert "X" not in roster.render_line(0).text


async def test_a_file_that_cannot_be_written_leaves_the_setup_to_try_again(
    clock: ManualClock, tmp_path: Path
) -> None:
    # A file where the sessions folder should be: the app cannot write, says so, and
    # answers the setup screen so that F7 works again once the way is clear.
    (tmp_path / "sessions").write_text("not a folder", encoding="utf-8")
    app = setup_app(clock, tmp_path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f7")
        await settle(app, pilot)
        setup = screen(app)
        assert not setup.starting
        assert any("sessions" in str(notice.message) for notice in app._notifications)
        (tmp_path / "sessions").unlink()
        await pilot.press("f7")
        await settle(app, pilot)
        assert isinstance(app.screen, RunningScreen)
    assert len(session_files(tmp_path)) == 1


@pytest.mark.parametrize("where", ["launcher", "setup"])
async def test_ctrl_q_is_the_apps_one_binding_on_the_launcher_and_setup_too(
    clock: ManualClock, tmp_path: Path, where: str
) -> None:
    """Listed by the screen (footer, palette with its own words), bound by the app alone."""
    scenarios = Path(__file__).resolve().parent.parent / "scenarios"
    if where == "setup":
        app = setup_app(clock, tmp_path)
    else:
        app = make_app(sessions_dir=tmp_path / "sessions", scenarios_dir=scenarios, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "ctrl+q" not in app.screen._bindings.key_to_bindings
        assert [b.action for b in app._bindings.key_to_bindings["ctrl+q"]] == ["quit"]
        shown = [str(key.key_display) for key in app.screen.query("FooterKey")]
        assert "^Q" in shown  # still in the footer
        await pilot.press("ctrl+q")
    assert app.return_code == 0
