"""The roster from the office's spreadsheet: a CSV or ``.xlsx`` member list in, participants out.

Councils keep their members in Excel. :func:`read_roster` reads such a list
(the columns found by their headings, in Japanese or English, on any of the
first rows), and says for every row it leaves out which row it was (counted
from 1, as Excel numbers them) and why. :func:`save_roster` then adds the
people to a scenario file, keeping everything else in it as the person wrote
it, comments included, and never over a file that changed since it was read.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum
from itertools import chain, islice
from pathlib import Path
from typing import Any

from chie_kokan.files import atomic_write, decode_text, read_bytes
from chie_kokan.i18n import Language, t
from chie_kokan.models import Participant, Scenario
from chie_kokan.models.base import visible_controls
from chie_kokan.problems import FileError, Problem, shown
from chie_kokan.storage import scenario_from_text

MAX_ROWS = 2_000
"""Members read from one file. A council has 8-20, a whole town's list a few
hundred; more is the wrong file (a resident register, a log) and is refused."""
HEADER_ROWS = 10
"""The heading row is looked for in the first rows: a title above it is common."""
MAX_SCAN_ROWS = 20_000
"""Below this row, the first blank row ends the reading (a sheet formatted
down to row 1,048,576 has a million empty rows); a filled one is too many."""

HEADINGS: dict[str, tuple[str, ...]] = {
    "name": ("氏名", "名前", "お名前", "参加者", "参加者名", "name", "full name"),
    "organization": (
        "所属",
        "団体",
        "所属団体",
        "団体名",
        "所属団体名",
        "organization",
        "organisation",
    ),
    "role": ("役職", "役割", "role"),
    "table": ("テーブル", "テーブル名", "卓", "班", "グループ", "table", "group"),
}
"""The headings recognised for each column, compared by :func:`heading_key`."""


def heading_key(text: str) -> str:
    """How a heading is compared: full-width and half-width alike, no case, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split()).strip("\ufeff")


def name_key(name: str) -> str:
    """How names are compared for duplicates: width, case and spaces do not count.

    「山田 花子」, 「山田　花子」 and 「山田花子」 are one person on a roster.
    """
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


ADDED_COLUMNS = ("row", "name", "organization", "role", "table")
"""The columns of the preview of who is added."""

_KEYS = {heading_key(word): column for column, words in HEADINGS.items() for word in words}


class SkipReason(Enum):
    """Why a row of the file is not added (catalog key ``roster_import.skip_<value>``)."""

    EMPTY_NAME = "empty_name"
    DUPLICATE = "duplicate"
    ON_ROSTER = "on_roster"


@dataclass(frozen=True)
class SkippedRow:
    """A row left out, and why."""

    row: int
    """Counted from 1, as the spreadsheet numbers its rows."""
    reason: SkipReason
    name: str = ""
    same_as: int | None = None
    """For a duplicate: the row of the same name that is added."""

    def why(self, language: Language | None = None) -> str:
        return t(f"roster_import.skip_{self.reason.value}", language, row=self.same_as)


@dataclass(frozen=True)
class RosterImport:
    """What a member list holds: the people to add, and the rows left out."""

    source: Path
    participants: list[Participant]
    skipped: list[SkippedRow]
    rows: list[int]
    """The row of each participant in the file (same order)."""

    def against(self, roster: Sequence[Participant]) -> RosterImport:
        """This import with the people already on ``roster`` moved to the skipped rows."""
        present = {name_key(person.name) for person in roster}
        keep: list[tuple[int, Participant]] = []
        skipped = list(self.skipped)
        for row, person in zip(self.rows, self.participants, strict=True):
            if name_key(person.name) in present:
                skipped.append(SkippedRow(row, SkipReason.ON_ROSTER, person.name))
            else:
                keep.append((row, person))
        skipped.sort(key=lambda skip: skip.row)
        return RosterImport(self.source, [p for _, p in keep], skipped, [row for row, _ in keep])

    def added_columns(self) -> tuple[str, ...]:
        """The preview's columns (``roster_import.col_<name>``): the table only if used."""
        if any(person.table for person in self.participants):
            return ADDED_COLUMNS
        return ADDED_COLUMNS[:-1]

    def added_rows(self) -> list[tuple[str, ...]]:
        """The preview of who is added, one value per :meth:`added_columns`."""
        width = len(self.added_columns())
        return [
            (str(row), person.name, person.organization, person.role, person.table)[:width]
            for row, person in zip(self.rows, self.participants, strict=True)
        ]

    def skipped_rows(self, language: Language | None = None) -> list[tuple[str, str, str]]:
        """The preview of what is left out: row, name as written, why."""
        return [(str(skip.row), skip.name, skip.why(language)) for skip in self.skipped]


# --- reading the file ---------------------------------------------------------------


def read_roster(path: Path) -> RosterImport:
    """The members listed in a CSV (UTF-8, with or without BOM, or Shift_JIS) or ``.xlsx``.

    One :class:`FileError` naming the file and what to do for a file that is
    missing, unreadable, corrupt, too long, or has no name column.
    """
    raw = read_bytes(path)  # missing, a folder, too large: one clear problem
    if raw.startswith(b"PK\x03\x04") or path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _from_xlsx(path, raw)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refused(path, "old_excel")  # .xls (Excel 97-2003): a different format
    return _from_csv(path, _text(path, raw))


def _refused(path: Path, key: str, **values: object) -> FileError:
    return FileError([Problem(path, t(f"roster_import.{key}", **values))])


def _text(path: Path, raw: bytes) -> str:
    """CSV bytes as Excel writes them: UTF-8 with or without BOM, UTF-16 (Unicode text), cp932."""
    if raw.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"  # Excel's "Unicode テキスト": tab-separated UTF-16 with a BOM
    else:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp932"  # Excel's "CSV (コンマ区切り)" on a Japanese Windows
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        raise _refused(path, "not_text") from None


def _delimiters(path: Path, text: str) -> list[str]:
    """Separators to try, the likeliest first: tab for .txt/.tsv, comma for .csv."""
    order = ["\t", ",", ";"] if path.suffix.lower() in {".txt", ".tsv"} else [",", "\t", ";"]
    return [d for d in order if d in text[:65536]] or order[:1]


def _from_csv(path: Path, text: str) -> RosterImport:
    if not text.strip():
        raise _refused(path, "empty")
    for delimiter in _delimiters(path, text):
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            head = list(islice(reader, HEADER_ROWS))
        except csv.Error as error:
            raise _refused(path, "csv_broken", line=reader.line_num, detail=error) from None
        if _find_header(head) is None:
            continue
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return _collect(path, _checked_csv(path, reader))
    raise _no_name_column(path)


def _checked_csv(path: Path, reader: Any) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as error:
        raise _refused(path, "csv_broken", line=reader.line_num, detail=error) from None


def _from_xlsx(path: Path, raw: bytes) -> RosterImport:
    import openpyxl  # only when a workbook is read: it takes a moment to import

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:
        # openpyxl reports a broken file by whatever failed inside it (zip,
        # XML, a missing part, a bad value): all mean "not a workbook we can read".
        raise _refused(path, "xlsx_broken", detail=shown(error) or type(error).__name__) from None
    try:
        if not book.worksheets:
            raise _refused(path, "no_sheet")
        sheet = book.worksheets[0]
        rows = ([_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True))
        try:
            return _collect(path, rows)
        except FileError:
            raise
        except Exception as error:  # the sheet is parsed as it is read (read_only)
            detail = shown(error) or type(error).__name__
            raise _refused(path, "xlsx_broken", detail=detail) from None
    finally:
        book.close()


def _cell_text(value: object) -> str:
    """A cell as the spreadsheet shows it: 3 not 3.0, a date as 2026-04-01."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date | time):
        return value.isoformat() if isinstance(value, date) else value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _clean(text: str) -> str:
    """A cell's text for a roster: control characters made visible as the models do, one line."""
    return visible_controls(text).replace("\n", " ").replace("\t", " ").strip()


@dataclass(frozen=True)
class _Columns:
    name: int
    organization: int | None
    role: int | None
    table: int | None


def _find_header(rows: Sequence[Sequence[str]]) -> tuple[int, _Columns] | None:
    """The index of the first row with a name heading, and where each column is."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        found: dict[str, int] = {}
        for column, cell in enumerate(row):
            key = _KEYS.get(heading_key(cell))
            if key is not None:
                found.setdefault(key, column)
        if "name" in found:
            return index, _Columns(
                found["name"], found.get("organization"), found.get("role"), found.get("table")
            )
    return None


def _no_name_column(path: Path) -> FileError:
    return _refused(path, "no_name_column", rows=HEADER_ROWS)


def _collect(path: Path, rows: Iterable[list[str]]) -> RosterImport:
    """The people below the heading row; every other row that says something is accounted for."""
    rows = iter(rows)
    head = list(islice(rows, HEADER_ROWS))
    header = _find_header(head)
    if header is None:
        raise _no_name_column(path)
    start, columns = header
    participants: list[Participant] = []
    numbers: list[int] = []
    skipped: list[SkippedRow] = []
    first_row: dict[str, int] = {}
    listed = 0
    too_many = _refused(path, "too_many_rows", limit=f"{MAX_ROWS:,}")
    for number, row in enumerate(chain(head[start + 1 :], rows), start=start + 2):
        cells = [_clean(cell) for cell in row]
        if not any(cells):
            if number > MAX_SCAN_ROWS:
                break  # the sheet's empty tail, formatted far down: not read to its end
            continue  # a blank line between groups
        listed += 1
        if listed > MAX_ROWS or number > MAX_SCAN_ROWS:
            raise too_many
        name = _at(cells, columns.name)
        if not name:
            skipped.append(SkippedRow(number, SkipReason.EMPTY_NAME))
            continue
        key = name_key(name)
        if key in first_row:
            skipped.append(SkippedRow(number, SkipReason.DUPLICATE, name, first_row[key]))
            continue
        first_row[key] = number
        participants.append(
            Participant(
                name=name,
                organization=_at(cells, columns.organization),
                role=_at(cells, columns.role),
                table=_at(cells, columns.table),
            )
        )
        numbers.append(number)
    return RosterImport(path, participants, skipped, numbers)


def _at(cells: Sequence[str], column: int | None) -> str:
    return cells[column] if column is not None and column < len(cells) else ""


# --- writing the scenario ------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioFile:
    """A scenario as read: its bytes (to see whether it changed before writing) and content."""

    path: Path
    raw: bytes
    scenario: Scenario


def open_scenario(path: Path) -> ScenarioFile:
    """Read and check a scenario, keeping the bytes it was read from."""
    raw = read_bytes(path)
    return ScenarioFile(path, raw, scenario_from_text(path, decode_text(path, raw)))


def roster_text(text: str, people: Sequence[Participant], *, replace: bool = False) -> str:
    """The scenario ``text`` with ``people`` added to its roster (or made its roster).

    Everything else stays as written: comments, order, spacing. A comment
    that introduced what follows the roster (「# 手順: …」 before ``[[steps]]``)
    stays just before it, after the new people.
    """
    import tomlkit
    from tomlkit.items import AoT, Array, Comment, Table, Whitespace

    if text and not text.endswith("\n"):
        text += "\n"  # the last line ends before a table is added after it
    document = tomlkit.parse(text)
    current = document.get("participants")
    if isinstance(current, Array):
        # An inline list: written again whole, one person a line (comments inside it go).
        kept = [] if replace else [dict(entry) for entry in current]
        listing = tomlkit.array()
        listing.multiline(True)
        for entry in [*kept, *(_fields(person) for person in people)]:
            inline = tomlkit.inline_table()
            inline.update(entry)
            listing.append(inline)
        document["participants"] = listing
        return tomlkit.dumps(document)
    tables = [tomlkit.table() for _ in people]
    for table, person in zip(tables, people, strict=True):
        table.update(_fields(person))
    trailing: list[Any] = []
    if isinstance(current, AoT) and current.body:
        last: Table = current.body[-1]
        body = last.value.body
        while body and body[-1][0] is None and isinstance(body[-1][1], Whitespace | Comment):
            trailing.insert(0, body.pop()[1])
        if not replace:
            last.add(tomlkit.nl())  # a blank line between the last person and the first new one
    for table in tables[:-1]:
        table.add(tomlkit.nl())
    if tables:
        for item in trailing or [tomlkit.nl()]:
            tables[-1].add(item)
    if isinstance(current, AoT) and not replace:
        for table in tables:
            current.append(table)
    elif tables:
        if current is None and not text.endswith("\n\n"):
            document.add(tomlkit.nl())  # a blank line before the roster added at the end
        document["participants"] = tomlkit.aot()
        for table in tables:
            document["participants"].append(table)
    elif "participants" in document:
        del document["participants"]
    written = tomlkit.dumps(document)
    # The file ends as it did: no blank lines added at its end (none can be inside a string).
    return written if text.endswith("\n\n") else written.rstrip("\n") + "\n"


def _fields(person: Participant) -> dict[str, str]:
    """A person as the file writes one: the optional fields only when filled."""
    fields = {"name": person.name}
    if person.organization:
        fields["organization"] = person.organization
    if person.role:
        fields["role"] = person.role
    if person.table:
        fields["table"] = person.table
    return fields


_LONE_LF = re.compile(r"(?<!\r)\n")


def save_roster(file: ScenarioFile, people: Sequence[Participant], *, replace: bool) -> Scenario:
    """Add ``people`` to the scenario's roster (or replace it) and write the file atomically.

    The new file is checked as ``validate`` would before it replaces the old
    one, and it is not written at all when the file on disk is no longer the
    one that was read (someone saved it in an editor meanwhile).
    """
    path = file.path
    text = decode_text(path, file.raw)
    bom = "\ufeff" if file.raw.startswith(b"\xef\xbb\xbf") else ""
    try:
        new_text = roster_text(text, people, replace=replace)
    except Exception as error:  # tomlkit's parse errors; tomllib read the file already
        raise _refused(path, "not_kept", detail=shown(error)) from None
    if "\r\n" in text and not _LONE_LF.search(text):
        new_text = _LONE_LF.sub("\r\n", new_text)  # Notepad's line ends, for the new lines too
    scenario = scenario_from_text(path, new_text)
    expected = [*([] if replace else file.scenario.participants), *people]
    if scenario.participants != expected:
        raise _refused(path, "not_kept", detail="participants")
    if read_bytes(path) != file.raw:
        raise _refused(path, "changed_on_disk")
    try:
        atomic_write(path, (bom + new_text).encode("utf-8"))
    except OSError as error:
        raise _refused(path, "write_failed", detail=error.strerror or error) from None
    return scenario
