"""The roster from the office's spreadsheet: reading member lists, and adding them to a scenario.

Every file here is made by the test as Excel would write it: the bytes of a
CSV in UTF-8, UTF-8 with a BOM and Shift_JIS (cp932), and a real ``.xlsx``.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chie_kokan import roster_import
from chie_kokan.cli import main
from chie_kokan.i18n import Language, t
from chie_kokan.models import Participant
from chie_kokan.problems import FileError
from chie_kokan.roster_import import (
    MAX_ROWS,
    SkipReason,
    name_key,
    open_scenario,
    read_roster,
    roster_text,
    save_roster,
)
from chie_kokan.scenario_template import template_text
from chie_kokan.storage import load_scenario

MEMBERS_JA = """協議体 名簿（令和8年度）

氏名,所属,役職
山田 花子,第三団地自治会,会長
佐藤 一郎,老人クラブ連合会,副会長
,社会福祉協議会,
鈴木　ミドリ,地域包括支援センター,
山田花子,自治会,
ＡＢＣ 太郎,商工会,
"""
"""A title above the headings, a blank line, an empty name, a duplicate in other spacing."""

SCENARIO = """schema = 1
title = "知恵交換会"   # 題名
theme = "買い物と移動"

# 名簿: 一人ずつ書きます。
[[participants]]
name = "山田 花子"
organization = "自治会"
role = "会長"                        # 役職（なくてもかまいません）

# 手順: 上から順に進みます。
[[steps]]
kind = "share"
minutes = 15
"""


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def names(imported: roster_import.RosterImport) -> list[str]:
    return [person.name for person in imported.participants]


def problem_of(path: Path) -> str:
    with pytest.raises(FileError) as caught:
        read_roster(path)
    (problem,) = caught.value.problems
    assert problem.file == path
    return problem.message


# --- reading ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "cp932", "utf-16"], ids=["utf8", "bom", "cp932", "utf16"]
)
def test_a_csv_as_excel_writes_it_is_read_whatever_its_encoding(
    tmp_path: Path, encoding: str
) -> None:
    text = MEMBERS_JA.replace(",", "\t") if encoding == "utf-16" else MEMBERS_JA
    suffix = ".txt" if encoding == "utf-16" else ".csv"
    path = write(tmp_path / f"名簿{suffix}", text.replace("\n", "\r\n").encode(encoding))
    imported = read_roster(path)
    assert names(imported) == ["山田 花子", "佐藤 一郎", "鈴木　ミドリ", "ＡＢＣ 太郎"]
    assert imported.rows == [4, 5, 7, 9]
    assert imported.participants[1] == Participant(
        name="佐藤 一郎", organization="老人クラブ連合会", role="副会長"
    )
    # Rows as Excel numbers them: the title is row 1, the headings row 3.
    assert [(s.row, s.reason, s.same_as) for s in imported.skipped] == [
        (6, SkipReason.EMPTY_NAME, None),
        (8, SkipReason.DUPLICATE, 4),
    ]
    assert imported.skipped_rows("ja")[1] == ("8", "山田花子", "4行目と同じ名前です")
    assert imported.skipped_rows("en")[0] == ("6", "", "The name is empty")


def test_english_headings_any_width_case_or_spacing_and_columns_in_any_order(
    tmp_path: Path,
) -> None:
    text = "Ｒｏｌｅ,Full Name , ORGANISATION,Note\nChair,Ann Lee,Salon,x\n,Bo Ng,,\n"
    imported = read_roster(write(tmp_path / "m.csv", text.encode()))
    assert imported.participants == [
        Participant(name="Ann Lee", organization="Salon", role="Chair"),
        Participant(name="Bo Ng"),
    ]


@pytest.mark.parametrize(
    "headings",
    ["お名前,所属団体,役割", "参加者,団体,役職", "氏　名,団 体名,役職", "名前;所属;役職"],
)
def test_the_japanese_headings_people_use(tmp_path: Path, headings: str) -> None:
    delimiter = ";" if ";" in headings else ","
    row = delimiter.join(["清水 一郎", "NPO", "理事"])
    imported = read_roster(write(tmp_path / "m.csv", f"{headings}\n{row}\n".encode()))
    assert imported.participants == [Participant(name="清水 一郎", organization="NPO", role="理事")]


def test_a_table_column_is_read_written_and_previewed_only_when_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Several tables meet: the office's list says who sits where (テーブル/卓/班).
    text = "氏名,所属,卓\n林 一郎,自治会,A\n森 花子,NPO,Ｂ\n"
    imported = read_roster(write(tmp_path / "m.csv", text.encode("cp932")))
    assert [(p.name, p.table) for p in imported.participants] == [
        ("林 一郎", "A"),
        ("森 花子", "Ｂ"),
    ]
    assert imported.added_columns()[-1] == "table"
    assert imported.added_rows()[0] == ("2", "林 一郎", "自治会", "", "A")
    without = read_roster(write(tmp_path / "n.csv", "氏名\n林\n".encode()))
    assert "table" not in without.added_columns()
    assert without.added_rows() == [("2", "林", "", "")]
    scenario = write(tmp_path / "s.toml", SCENARIO.encode())
    answer(monkeypatch, "y")
    assert main(["roster", "import", str(scenario), str(tmp_path / "m.csv")]) == 0
    assert "テーブル" in capsys.readouterr().out.splitlines()[1]
    assert [(p.name, p.table) for p in load_scenario(scenario).participants][-2:] == [
        ("林 一郎", "A"),
        ("森 花子", "Ｂ"),
    ]


def test_a_name_column_alone_is_enough_and_short_rows_are_read(tmp_path: Path) -> None:
    imported = read_roster(write(tmp_path / "m.csv", "氏名,所属\n田中\n".encode()))
    assert imported.participants == [Participant(name="田中")]


def test_quoted_cells_with_commas_line_breaks_and_control_characters(tmp_path: Path) -> None:
    text = '氏名,所属\n"山田\n花子","自治会, 第三団地"\n"\x1b[2Jx","a\x07"\n'
    imported = read_roster(write(tmp_path / "m.csv", text.encode()))
    assert imported.participants == [
        Participant(name="山田 花子", organization="自治会, 第三団地"),
        Participant(name="␛[2Jx", organization="a␇"),
    ]
    assert imported.rows == [2, 3]  # a record over two lines is one row, as in Excel


def test_an_xlsx_made_by_openpyxl_with_numbers_dates_and_a_title_row(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["清瀬市 支え合うきよせ委員会 名簿"])
    sheet.append([])
    sheet.append(["No.", "氏名", "所属", "役職"])
    sheet.append([1, "山田 花子", "自治会", "会長"])
    sheet.append([2, "佐藤 一郎", 3, datetime(2026, 4, 1)])
    sheet.append([3, None, "NPO", None])
    sheet.append([4, "  山田  花子 ", 2.5, date(2026, 4, 1)])
    sheet.append([5, 12345.0, None, datetime(2026, 4, 1, 9, 30)])
    other = book.create_sheet("別のシート")
    other.append(["氏名"])
    other.append(["読まれない人"])
    path = tmp_path / "名簿.xlsx"
    book.save(path)
    imported = read_roster(path)
    assert imported.participants == [
        Participant(name="山田 花子", organization="自治会", role="会長"),
        Participant(name="佐藤 一郎", organization="3", role="2026-04-01"),
        Participant(name="12345", role="2026-04-01 09:30"),
    ]
    assert [(s.row, s.reason) for s in imported.skipped] == [
        (6, SkipReason.EMPTY_NAME),
        (7, SkipReason.DUPLICATE),
    ]


def test_names_are_the_same_whatever_their_width_case_or_spaces() -> None:
    assert name_key("山田 花子") == name_key("山田　花子") == name_key("山田花子")
    assert name_key("ＡＢＣ") == name_key("abc")
    assert name_key("山田 花子") != name_key("山田 花")


def test_people_already_on_the_roster_are_skipped_when_adding(tmp_path: Path) -> None:
    path = write(tmp_path / "m.csv", "氏名\n山田　花子\n新井\n".encode())
    imported = read_roster(path).against([Participant(name="山田 花子")])
    assert names(imported) == ["新井"]
    assert imported.rows == [3]
    assert [(s.row, s.reason, s.name) for s in imported.skipped] == [
        (2, SkipReason.ON_ROSTER, "山田　花子")
    ]


# --- files that cannot be used: one clear problem -----------------------------------


def test_no_name_column_says_which_headings_to_write(tmp_path: Path) -> None:
    message = problem_of(write(tmp_path / "m.csv", "番号,住所\n1,清瀬市\n".encode()))
    assert message == t("roster_import.no_name_column", rows=10)
    assert "氏名" in message


def test_the_headings_must_be_in_the_first_ten_rows(tmp_path: Path) -> None:
    text = "\n".join(["メモ"] * 10 + ["氏名", "山田"]) + "\n"
    problem_of(write(tmp_path / "m.csv", text.encode()))
    text = "\n".join(["メモ"] * 9 + ["氏名", "山田"]) + "\n"
    assert names(read_roster(write(tmp_path / "m.csv", text.encode()))) == ["山田"]


def test_a_corrupt_xlsx_an_old_xls_and_a_missing_file(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["氏名"])
    buffer = io.BytesIO()
    book.save(buffer)
    broken = write(tmp_path / "壊れた.xlsx", buffer.getvalue()[:600])
    assert "Excel" in problem_of(broken)
    not_zip = write(tmp_path / "text.xlsx", "氏名\n山田\n".encode())
    assert problem_of(not_zip).startswith(t("roster_import.xlsx_broken", detail="")[:20])
    old = write(tmp_path / "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    assert problem_of(old) == t("roster_import.old_excel")
    assert problem_of(tmp_path / "ない.csv") == t("validation.not_found")
    assert problem_of(tmp_path) == t("validation.is_directory")


def test_empty_and_undecodable_files(tmp_path: Path) -> None:
    assert problem_of(write(tmp_path / "m.csv", b"  \r\n")) == t("roster_import.empty")
    assert problem_of(write(tmp_path / "m.csv", b"\xff\xff\x81\x00")) == t("roster_import.not_text")


def test_a_huge_list_is_refused_with_the_limit(tmp_path: Path) -> None:
    rows = "".join(f"人{n}\n" for n in range(MAX_ROWS + 1))
    message = problem_of(write(tmp_path / "m.csv", f"氏名\n{rows}".encode()))
    assert message == t("roster_import.too_many_rows", limit="2,000")
    rows = "".join(f"人{n}\n" for n in range(MAX_ROWS))
    assert len(read_roster(write(tmp_path / "m.csv", f"氏名\n{rows}".encode())).rows) == MAX_ROWS


def test_a_broken_csv_names_the_line(tmp_path: Path) -> None:
    big = "x" * 200_000  # beyond the csv module's field limit
    message = problem_of(write(tmp_path / "m.csv", f'氏名\n山田\n"{big}"\n'.encode()))
    assert "3" in message and "CSV" in message


# --- the hypothesis property: names come back as written ----------------------------

NAME = st.text(
    st.characters(categories=("L", "M", "N", "P", "S", "Zs"), exclude_characters="\ufeff"),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() == s and s.strip())


def _cp932_characters() -> list[str]:
    """Every character Shift_JIS as Windows writes it (cp932) has, that comes back the same."""
    found = {bytes([b]).decode("cp932", "ignore") for b in range(0x20, 0x7F)}
    found |= {bytes([b]).decode("cp932", "ignore") for b in range(0xA1, 0xE0)}  # ｱ half-width
    for lead in [*range(0x81, 0xA0), *range(0xE0, 0xFD)]:
        for trail in range(0x40, 0xFD):
            found.add(bytes([lead, trail]).decode("cp932", "ignore"))
    return sorted(
        c
        for c in found
        if len(c) == 1 and c.isprintable() and c.encode("cp932").decode("cp932") == c
    )


CP932_NAME = st.text(st.sampled_from(_cp932_characters()), min_size=1, max_size=12).filter(
    lambda s: s.strip() == s and s.strip()
)


def _csv_bytes(people: list[str], encoding: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)  # quotes what needs quoting, as Excel does
    writer.writerow(["氏名", "所属"])
    for person in people:
        writer.writerow([person, "自治会"])
    return buffer.getvalue().encode(encoding)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(NAME, min_size=1, max_size=5, unique_by=name_key))
def test_names_written_to_csv_come_back_identical(tmp_path: Path, people: list[str]) -> None:
    for encoding in ("utf-8", "utf-8-sig"):
        path = write(tmp_path / "m.csv", _csv_bytes(people, encoding))
        assert names(read_roster(path)) == people, encoding


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(CP932_NAME, min_size=1, max_size=5, unique_by=name_key))
def test_names_written_to_a_cp932_csv_come_back_identical(
    tmp_path: Path, people: list[str]
) -> None:
    for encoding in ("cp932", "utf-8"):
        path = write(tmp_path / "m.csv", _csv_bytes(people, encoding))
        assert names(read_roster(path)) == people, encoding


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(
        NAME.filter(lambda s: not s.startswith("=")),  # "=…" is a formula in a cell
        min_size=1,
        max_size=5,
        unique_by=name_key,
    )
)
def test_names_written_to_an_xlsx_come_back_identical(tmp_path: Path, people: list[str]) -> None:
    book = openpyxl.Workbook()
    book.active.append(["名簿"])
    book.active.append(["氏名", "所属"])
    for person in people:
        book.active.append([person, "自治会"])
    book.save(tmp_path / "m.xlsx")
    assert names(read_roster(tmp_path / "m.xlsx")) == people


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(NAME, min_size=1, max_size=5, unique_by=name_key))
def test_names_added_to_a_scenario_come_back_identical(tmp_path: Path, people: list[str]) -> None:
    path = write(tmp_path / "s.toml", SCENARIO.encode())
    added = [Participant(name=name, organization=name) for name in people]
    text = roster_text(SCENARIO, added)
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).participants[1:] == added


# --- writing the scenario -----------------------------------------------------------


def test_adding_keeps_every_comment_and_puts_the_new_people_before_what_follows(
    tmp_path: Path,
) -> None:
    text = roster_text(SCENARIO, [Participant(name="佐藤", role="会長"), Participant(name="林")])
    assert text == SCENARIO.replace(
        "\n# 手順",
        '\n[[participants]]\nname = "佐藤"\nrole = "会長"\n\n'
        '[[participants]]\nname = "林"\n\n# 手順',
    )


def test_replacing_keeps_the_comments_around_the_roster(tmp_path: Path) -> None:
    text = roster_text(SCENARIO, [Participant(name="佐藤", organization="NPO")], replace=True)
    assert "# 名簿: 一人ずつ書きます。" in text
    assert "# 手順: 上から順に進みます。" in text
    assert "山田" not in text
    path = write(tmp_path / "s.toml", text.encode())
    assert load_scenario(path).participants == [Participant(name="佐藤", organization="NPO")]


def test_a_scenario_without_a_roster_or_with_an_inline_one(tmp_path: Path) -> None:
    bare = 'schema = 1\ntitle = "T"  # c\ntheme = "x"\n'
    text = roster_text(bare, [Participant(name="林")])
    assert text.startswith(bare)
    inline = bare + 'participants = [ { name = "A" }, # 最初の人\n]\n'
    path = write(tmp_path / "s.toml", roster_text(inline, [Participant(name="林")]).encode())
    assert [p.name for p in load_scenario(path).participants] == ["A", "林"]


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_template_from_new_changes_only_by_the_people_added(
    tmp_path: Path, language: Language
) -> None:
    original = template_text(language)
    text = roster_text(original, [Participant(name="林", organization="NPO")])
    block = '[[participants]]\nname = "林"\norganization = "NPO"\n\n'
    assert text.count(block) == 1
    assert text.replace(block, "") == original
    path = write(tmp_path / "s.toml", text.encode())
    assert load_scenario(path).participants[-1] == Participant(name="林", organization="NPO")


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # The last line has no line end: the new table still starts on a line of its own.
        ('[[participants]]\nname = "A"', '[[participants]]\nname = "A"\n\n{new}'),
        # No roster yet, a comment at the end: the roster comes after it, a blank line between.
        ('[[steps]]\nkind = "share"\n# 以上\n', '[[steps]]\nkind = "share"\n# 以上\n\n{new}'),
    ],
    ids=["no-final-newline", "no-roster"],
)
def test_the_ends_of_files(before: str, after: str) -> None:
    head = 'schema = 1\ntitle = "T"\ntheme = "x"\n\n'
    new = '[[participants]]\nname = "林"\n'
    assert roster_text(head + before, [Participant(name="林")]) == head + after.format(new=new)


def test_save_keeps_a_bom_and_windows_line_ends(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", b"\xef\xbb\xbf" + SCENARIO.replace("\n", "\r\n").encode())
    save_roster(open_scenario(path), [Participant(name="林")], replace=False)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert [p.name for p in load_scenario(path).participants] == ["山田 花子", "林"]


def test_a_file_changed_after_it_was_read_is_not_overwritten(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", SCENARIO.encode())
    opened = open_scenario(path)
    edited = SCENARIO.replace("買い物と移動", "ゴミ出し")
    path.write_text(edited, encoding="utf-8")  # someone saved it in Notepad meanwhile
    with pytest.raises(FileError) as caught:
        save_roster(opened, [Participant(name="林")], replace=False)
    assert caught.value.problems[0].message == t("roster_import.changed_on_disk")
    assert path.read_text(encoding="utf-8") == edited


def test_a_result_that_would_not_validate_is_never_written(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", SCENARIO.encode())
    opened = open_scenario(path)
    # The caller forgot to leave out who is on the roster: the file would name 山田 twice.
    with pytest.raises(FileError) as caught:
        save_roster(opened, [Participant(name="山田 花子")], replace=False)
    assert caught.value.problems[0].field == "participants[1].name"
    assert path.read_text(encoding="utf-8") == SCENARIO
    assert [p.name for p in os.scandir(tmp_path)] == ["s.toml"]  # no temp file left


# --- the command line ---------------------------------------------------------------


@pytest.fixture
def files() -> tuple[Path, Path]:
    # Named as typed in the working folder (every test runs in tmp_path).
    scenario = write(Path("shimizu.toml"), SCENARIO.encode())
    members = write(Path("名簿.csv"), MEMBERS_JA.encode("cp932"))
    return scenario, members


def answer(monkeypatch: pytest.MonkeyPatch, text: str | None) -> list[str]:
    asked: list[str] = []

    def fake_input(prompt: str) -> str:
        asked.append(prompt)
        if text is None:
            raise EOFError
        return text

    monkeypatch.setattr("builtins.input", fake_input)
    return asked


def test_the_preview_then_no_leaves_the_file_byte_identical(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario, members = files
    before = scenario.read_bytes()
    asked = answer(monkeypatch, "n")
    assert main(["roster", "import", str(scenario), str(members)]) == 1
    assert scenario.read_bytes() == before
    assert asked == [t("roster_import.question")]
    out = capsys.readouterr().out
    assert out.splitlines()[:6] == [
        "shimizu.toml に加える人（3人）:",
        "  行  氏名          所属                  役職",
        "  5   佐藤 一郎     老人クラブ連合会      副会長",
        "  7   鈴木　ミドリ  地域包括支援センター",
        "  9   ＡＢＣ 太郎   商工会",
        "取り込まない行（3行）:",
    ]
    assert "  4   山田 花子  すでに名簿にいます" in out
    assert "  8   山田花子   4行目と同じ名前です" in out
    assert "やめました。shimizu.toml は変えていません。" in out


def test_no_answer_at_all_writes_nothing(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario, members = files
    before = scenario.read_bytes()
    answer(monkeypatch, None)
    assert main(["--lang", "en", "roster", "import", str(scenario), str(members)]) == 1
    assert scenario.read_bytes() == before
    assert "--yes" in capsys.readouterr().out


def test_yes_appends_keeps_comments_and_validates(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario, members = files
    answer(monkeypatch, "はい")
    assert main(["roster", "import", str(scenario), str(members)]) == 0
    text = scenario.read_text(encoding="utf-8")
    for comment in ["# 題名", "# 名簿: 一人ずつ書きます。", "# 役職（なくてもかまいません）"]:
        assert comment in text
    assert text.index("ＡＢＣ 太郎") < text.index("# 手順") < text.index("[[steps]]")
    assert [p.name for p in load_scenario(scenario).participants] == [
        "山田 花子",
        "佐藤 一郎",
        "鈴木　ミドリ",
        "ＡＢＣ 太郎",
    ]
    assert "shimizu.toml に3人を加えました。" in capsys.readouterr().out
    assert main(["validate", str(scenario)]) == 0


def test_replace_with_yes_asks_nothing(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario, members = files
    asked = answer(monkeypatch, "n")
    code = main(["roster", "import", str(scenario), str(members), "--replace", "--yes"])
    assert code == 0
    assert asked == []
    assert [p.name for p in load_scenario(scenario).participants] == [
        "山田 花子",
        "佐藤 一郎",
        "鈴木　ミドリ",
        "ＡＢＣ 太郎",
    ]
    assert load_scenario(scenario).participants[0].organization == "第三団地自治会"
    out = capsys.readouterr().out
    assert "今の1人は消えます" in out
    assert "shimizu.toml の参加者を4人にしました。" in out


def test_nobody_new_writes_nothing(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario, _ = files
    before = scenario.read_bytes()
    members = write(tmp_path / "m.csv", "氏名\n山田　花子\n".encode())
    assert main(["roster", "import", str(scenario), str(members), "--yes"]) == 0
    assert "加える人がいません" in capsys.readouterr().out
    empty = write(tmp_path / "e.csv", "氏名,所属\n,自治会\n".encode())
    assert main(["roster", "import", str(scenario), str(empty), "--yes"]) == 2
    assert scenario.read_bytes() == before


def test_bad_files_are_one_message_and_exit_2(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario, members = files
    before = scenario.read_bytes()
    no_name = write(tmp_path / "x.csv", b"a,b\n1,2\n")
    assert main(["--lang", "en", "roster", "import", str(scenario), str(no_name)]) == 2
    err = capsys.readouterr().err
    assert "x.csv" in err and "No name column" in err and "Traceback" not in err
    broken = write(tmp_path / "bad.toml", b'schema = 1\ntitle = "\n')
    assert main(["roster", "import", str(broken), str(members), "--yes"]) == 2
    assert "bad.toml" in capsys.readouterr().err
    assert main(["roster", "import", str(scenario), str(tmp_path / "ない.xlsx"), "--yes"]) == 2
    assert "ない.xlsx" in capsys.readouterr().err
    assert scenario.read_bytes() == before


def test_a_file_changed_while_the_question_waits_is_refused(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario, members = files
    edited = SCENARIO.replace("買い物と移動", "ゴミ出し")

    def edit_then_yes(prompt: str) -> str:
        scenario.write_text(edited, encoding="utf-8")
        return "y"

    monkeypatch.setattr("builtins.input", edit_then_yes)
    assert main(["roster", "import", str(scenario), str(members)]) == 2
    assert scenario.read_text(encoding="utf-8") == edited
    assert t("roster_import.changed_on_disk") in capsys.readouterr().err


def test_the_installed_program_reads_the_answer_from_its_input(files: tuple[Path, Path]) -> None:
    scenario, members = files
    program = Path(sys.executable).with_name("chie-kokan")
    for typed, code, count in (("n\n", 1, 1), ("", 1, 1), ("y\n", 0, 4)):
        result = subprocess.run(
            [str(program), "roster", "import", str(scenario), str(members)],
            input=typed,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
        assert result.returncode == code, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert len(load_scenario(scenario).participants) == count


def test_blank_rows_far_down_end_the_reading_and_a_name_there_is_too_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roster_import, "MAX_SCAN_ROWS", 30)
    tail = "\n" * 40 + "遠くの人\n"  # a sheet formatted far down: its blank tail is not read
    path = write(tmp_path / "m.csv", f"氏名\n山田\n{tail}".encode())
    assert names(read_roster(path)) == ["山田"]
    rows = "".join(f"人{n}\n" for n in range(40))  # names down past row 30: not a roster
    message = problem_of(write(tmp_path / "m.csv", f"氏名\n{rows}".encode()))
    assert message == t("roster_import.too_many_rows", limit="2,000")
