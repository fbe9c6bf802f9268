"""The roster import dialog: typed path, preview, import or cancel; Pilot and snapshots."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from chie_kokan.i18n import set_language, t
from chie_kokan.models import Participant
from chie_kokan.tui.screens.roster_import import RosterImportScreen, complete_path

Snap = Callable[..., bool]

MEMBERS = """支え合うきよせ委員会 名簿

氏名,所属,役職
山田 花子,第三団地自治会,会長
佐藤 一郎,老人クラブ連合会,副会長
,社会福祉協議会,
鈴木　ミドリ,地域包括支援センター,
佐藤一郎,自治会,
"""
ON_ROSTER = [Participant(name="山田　花子", organization="自治会")]

NOT_YET = object()


class Host(App[None]):
    """Opens the dialog as the scenario editor would, and keeps what it returns."""

    def __init__(self, start_dir: Path, roster: list[Participant]) -> None:
        super().__init__()
        self.start_dir = start_dir
        self.roster = roster
        self.result: object = NOT_YET

    def on_mount(self) -> None:
        self.push_screen(RosterImportScreen(self.start_dir, self.roster), self._returned)

    def _returned(self, result: list[Participant] | None) -> None:
        self.result = result


@pytest.fixture
def members(tmp_path: Path) -> Path:
    path = tmp_path / "members.csv"
    path.write_bytes(MEMBERS.encode("cp932"))  # as Excel on a Japanese Windows saves it
    return path


async def read(pilot: Pilot[None], path: str) -> None:
    pilot.app.screen.query_one(Input).value = path
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def table(pilot: Pilot[None], table_id: str) -> list[list[str]]:
    widget = pilot.app.screen.query_one(table_id, DataTable)
    return [[str(cell) for cell in widget.get_row_at(i)] for i in range(widget.row_count)]


async def test_enter_shows_the_preview_and_f2_imports_who_is_not_on_the_roster(
    tmp_path: Path, members: Path
) -> None:
    app = Host(tmp_path, ON_ROSTER)
    async with app.run_test(size=(100, 30)) as pilot:
        await read(pilot, "members.csv")
        assert table(pilot, "#roster-added") == [
            ["5", "佐藤 一郎", "老人クラブ連合会", "副会長"],
            ["7", "鈴木　ミドリ", "地域包括支援センター", ""],
        ]
        assert table(pilot, "#roster-skipped") == [
            ["4", "山田 花子", "すでに名簿にいます"],
            ["6", "", "氏名が空欄です"],
            ["8", "佐藤一郎", "5行目と同じ名前です"],
        ]
        assert app.result is NOT_YET
        await pilot.press("f2")
        await pilot.pause()
    assert app.result == [
        Participant(name="佐藤 一郎", organization="老人クラブ連合会", role="副会長"),
        Participant(name="鈴木　ミドリ", organization="地域包括支援センター"),
    ]


async def test_after_the_preview_enter_on_the_focused_button_imports(
    tmp_path: Path, members: Path
) -> None:
    app = Host(tmp_path, [])
    async with app.run_test(size=(100, 30)) as pilot:
        await read(pilot, str(members))  # an absolute path works as well
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(app.result, list)
    assert [person.name for person in app.result] == ["山田 花子", "佐藤 一郎", "鈴木　ミドリ"]


async def test_escape_returns_nothing(tmp_path: Path, members: Path) -> None:
    app = Host(tmp_path, [])
    async with app.run_test(size=(100, 30)) as pilot:
        await read(pilot, "members.csv")
        await pilot.press("escape")
        await pilot.pause()
    assert app.result is None


async def test_a_bad_file_says_why_and_f2_imports_nothing(tmp_path: Path) -> None:
    (tmp_path / "住所録.csv").write_text("番号,住所\n1,清瀬市\n", encoding="utf-8")
    app = Host(tmp_path, [])
    async with app.run_test(size=(100, 30)) as pilot:
        await read(pilot, "住所録.csv")
        status = pilot.app.screen.query_one("#roster-status", Static)
        assert t("roster_import.no_name_column", rows=10) in str(status.render())
        assert status.has_class("error")
        await pilot.press("f2")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.result is NOT_YET
        await read(pilot, "ない.xlsx")
        assert t("validation.not_found") in str(status.render())
        await pilot.press("f2")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.result is NOT_YET


async def test_a_path_changed_after_the_preview_is_read_before_anything_is_imported(
    tmp_path: Path, members: Path
) -> None:
    (tmp_path / "other.csv").write_text("name\nAnn Lee\n", encoding="utf-8")
    app = Host(tmp_path, [])
    async with app.run_test(size=(100, 30)) as pilot:
        await read(pilot, "members.csv")
        pilot.app.screen.query_one(Input).value = "other.csv"
        await pilot.press("f2")  # shows other.csv first: what is imported is what was seen
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert app.result is NOT_YET
        assert table(pilot, "#roster-added") == [["2", "Ann Lee", "", ""]]
        await pilot.press("f2")
        await pilot.pause()
    assert app.result == [Participant(name="Ann Lee")]


async def test_tab_completes_the_file_name(tmp_path: Path, members: Path) -> None:
    (tmp_path / "名簿").mkdir()
    (tmp_path / "名簿" / "2026年度.xlsx").write_bytes(b"")
    app = Host(tmp_path, [])
    async with app.run_test(size=(100, 30)) as pilot:
        field = pilot.app.screen.query_one(Input)
        await pilot.press("m", "e", "tab")
        assert field.value == "members.csv"
        assert field.has_focus
        await pilot.press("tab")  # nothing more to add: on to the next control
        assert not field.has_focus


def test_complete_path(tmp_path: Path) -> None:
    (tmp_path / "名簿").mkdir()
    (tmp_path / "名簿" / "2026年度.xlsx").write_bytes(b"")
    (tmp_path / "名簿" / "2026年度.csv").write_bytes(b"")
    assert complete_path("名", tmp_path) == "名簿/"
    assert complete_path("名簿/", tmp_path) == "名簿/2026年度."
    assert complete_path("名簿/2026年度.c", tmp_path) == "名簿/2026年度.csv"
    assert complete_path("名簿/2026年度.csv", tmp_path) is None
    assert complete_path("x", tmp_path) is None
    assert complete_path("ない/x", tmp_path) is None
    assert complete_path(f"{tmp_path}/名", Path("/nonexistent")) == f"{tmp_path}/名簿/"


@pytest.mark.parametrize(
    ("language", "size"),
    [("ja", (100, 30)), ("en", (100, 30)), ("ja", (80, 24))],
    ids=["ja-100x30", "en-100x30", "ja-80x24"],
)
def test_snapshot_of_the_preview(
    snap_compare: Snap, tmp_path: Path, members: Path, language: str, size: tuple[int, int]
) -> None:
    set_language(language)  # the dialog's words and keys, as --lang would choose

    async def preview(pilot: Pilot[None]) -> None:
        await read(pilot, "members.csv")

    assert snap_compare(Host(tmp_path, ON_ROSTER), terminal_size=size, run_before=preview)
