"""Reading and writing scenario and session files.

Reads turn every failure into :class:`FileError` with problems people can
act on. Writes are atomic: a temp file in the same folder, fsync, rename,
fsync the folder; so a crash or power loss leaves either the old file or the
new one, never half of each.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import tomli_w
from pydantic import BaseModel, ValidationError

from chie_kokan.files import (
    atomic_write,
    fast_loads,
    is_session_document,
    looks_like_scenario,
    parse_toml,
    read_bytes,
    read_document,
    require_kind,
)
from chie_kokan.i18n import t
from chie_kokan.models import SCENARIO_SCHEMA, SESSION_SCHEMA, Scenario, Session
from chie_kokan.models.ids import safe_session_id
from chie_kokan.problems import (
    FileError,
    Problem,
    dotted_key_bomb_line,
    locate,
    shown,
    validation_problems,
)
from chie_kokan.widths import fix_widths, width_mistakes

try:
    import tomli_w._writer as _toml  # the pieces dumps() is made of; see DocumentCache
except ImportError:  # pragma: no cover - another tomli_w: DocumentCache uses dumps()
    _toml = None

M = TypeVar("M", bound=BaseModel)
Migration = Callable[[dict[str, Any]], dict[str, Any]]


def _session_0_to_1(data: dict[str, Any]) -> dict[str, Any]:
    """Pre-release drafts called the people present ``attendees``."""
    data = dict(data)
    if "attendees" in data and "members" not in data:
        # With both, neither is guessed away: "attendees" is then reported.
        data["members"] = data.pop("attendees")
    data["schema"] = 1
    return data


# version n → a function that turns a version-n document into version n+1.
SESSION_MIGRATIONS: dict[int, Migration] = {0: _session_0_to_1}
SCENARIO_MIGRATIONS: dict[int, Migration] = {}


def _migrate(
    path: Path, text: str, data: dict[str, Any], current: int, migrations: dict[int, Migration]
) -> dict[str, Any]:
    def line() -> int | None:
        # Looked for only when there is a problem to point at (it splits the text).
        return locate(text, ("schema",))

    if "schema" not in data:
        raise FileError([Problem(path, t("validation.missing", field="schema"), field="schema")])
    found = data["schema"]
    if not isinstance(found, int) or isinstance(found, bool):
        problem = Problem(
            path, t("validation.int", value=shown(found)), line=line(), field="schema"
        )
        raise FileError([problem])
    if found > current:
        message = t("validation.schema_newer", found=shown(found), supported=current)
        raise FileError([Problem(path, message, line=line(), field="schema")])
    if found < min(migrations, default=current):
        message = t("validation.schema_unknown", found=shown(found), supported=current)
        raise FileError([Problem(path, message, line=line(), field="schema")])
    while data["schema"] < current:
        data = migrations[data["schema"]](data)
    return data


def _validate(path: Path, text: str, data: dict[str, Any], model: type[M]) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise FileError(validation_problems(path, error, model, text)) from None


def scenario_from_document(path: Path, text: str, data: dict[str, Any]) -> Scenario:
    """A scenario from a file already read (:func:`~chie_kokan.files.read_document`)."""
    require_kind(path, data, session=False)
    data = _migrate(path, text, data, SCENARIO_SCHEMA, SCENARIO_MIGRATIONS)
    return _validate(path, text, data, Scenario)


def session_from_document(path: Path, text: str, data: dict[str, Any]) -> Session:
    """A session from a file already read (:func:`~chie_kokan.files.read_document`)."""
    require_kind(path, data, session=True)
    data = _migrate(path, text, data, SESSION_SCHEMA, SESSION_MIGRATIONS)
    return _validate(path, text, data, Session)


def load_scenario(path: Path) -> Scenario:
    """A scenario file, validated and with every default filled in."""
    return scenario_from_document(path, *read_document(path))


def scenario_from_text(path: Path, text: str) -> Scenario:
    """A scenario from text read or about to be written, checked as :func:`load_scenario` does."""
    return scenario_from_document(path, text, parse_toml(path, text))


def load_session(path: Path) -> Session:
    """A session file written by the app (or a migrated older one)."""
    return session_from_document(path, *read_document(path))


def load_any(path: Path) -> Scenario | Session:
    """A scenario or a session, whichever the file holds (the file is read once)."""
    text, data = read_document(path)
    if is_session_document(data):
        return session_from_document(path, text, data)
    if not looks_like_scenario(data):
        raise FileError([Problem(path, t("validation.kind_unknown"))])
    return scenario_from_document(path, text, data)


def toml_files(directory: Path) -> list[Path]:
    """The ``*.toml`` files in ``directory``, by name.

    Not dot files (an editor's, or the ``._`` copies a Mac leaves on a stick)
    and not folders. Raises :class:`FileError` when the folder cannot be read.
    """
    try:
        with os.scandir(directory) as scan:
            names = sorted(
                entry.name
                for entry in scan
                if entry.name.endswith(".toml") and not entry.name.startswith(".")
                and entry.is_file()
            )  # fmt: skip
    except FileNotFoundError:
        raise FileError([Problem(directory, t("actions.folder_not_found"))]) from None
    except NotADirectoryError:
        raise FileError([Problem(directory, t("actions.not_a_folder"))]) from None
    except (OSError, ValueError) as error:
        detail = getattr(error, "strerror", None) or str(error)
        raise FileError(
            [Problem(directory, t("actions.folder_unreadable", detail=detail))]
        ) from None
    return [directory / name for name in names]


@dataclass(frozen=True)
class SessionFile:
    """One file of a sessions folder, read: its session, or why it cannot be used."""

    path: Path
    session: Session | None
    error: FileError | None = None


def read_sessions(directory: Path) -> list[SessionFile]:
    """Every session file in ``directory`` (see :func:`toml_files`), each read once.

    The one scan of a sessions folder: the launcher lists it, the report back
    finds the earlier sessions in it, ``actions`` gathers their items. A bad
    file does not stop the others; a folder that cannot be read is a
    :class:`FileError`.
    """
    files = []
    for path in toml_files(directory):
        try:
            files.append(SessionFile(path, load_session(path)))
        except FileError as error:
            files.append(SessionFile(path, None, error))
    return files


def session_document(session: Session) -> dict[str, Any]:
    """The session as the file holds it: a JSON-mode dump (TOML has no null: no None)."""
    return session.model_dump(mode="json", exclude_none=True)


def session_text(session: Session) -> str:
    """The session as TOML (TOML has no null, so None fields are left out)."""
    return tomli_w.dumps(session_document(session))


_TOML_PIECES = _toml is not None and all(
    hasattr(_toml, name)
    for name in (
        "Context",
        "gen_table_chunks",
        "format_key_part",
        "format_literal",
        "is_aot",
        "is_suitable_inline_table",
    )
)
"""tomli_w's inner pieces are as DocumentCache knows them (tomli-w 1.1-1.2)."""


class _Item:
    """One list item's dump, and (worked out when first needed) its TOML."""

    __slots__ = ("chunk", "dump", "inline", "item")

    def __init__(self, item: BaseModel) -> None:
        self.item = item  # held: its id() is the key, and must not be reused
        self.dump = item.model_dump(mode="json", exclude_none=True)
        self.inline: bool | None = None
        self.chunk: str | None = None


class DocumentCache:
    """:func:`session_text`, dumping again only the items that changed.

    A meeting's lists (cards, turns…) grow to thousands of items, of which a
    change touches one or two. Each item's dump and TOML are kept, keyed by
    the item, and used again until the item, or something it holds that can
    change on its own, is among the ``touched`` ids given. The rest of the
    session (scenario, live state, details) is small and dumped every time.
    The text is byte for byte what :func:`session_text` writes: the top level
    is laid out as tomli_w lays it out (literals, then tables and arrays of
    tables in order), with each item's chunk made by tomli_w itself.
    """

    LISTS = ("members", "step_log", "cards", "groups", "turns", "actions", "report_back")
    NESTED = {"cards": "resource", "groups": "cards"}
    """What an item of these lists holds that can change on its own: a card's
    resource, a group's list of cards."""

    def __init__(self) -> None:
        self._items: dict[int, _Item] = {}
        self._lists: dict[str, list[_Item]] = {}

    def document(self, session: Session, touched: set[int]) -> dict[str, Any]:
        """The same dict as ``session_document(session)``, key order included."""
        rest = session.model_dump(mode="json", exclude_none=True, exclude=set(self.LISTS))
        kept: dict[int, _Item] = {}
        self._lists = {}
        for name in self.LISTS:
            inner = self.NESTED.get(name)
            entries: list[_Item] = []
            for item in getattr(session, name):
                key = id(item)
                known = self._items.get(key)
                if (
                    known is None
                    or key in touched
                    or (inner is not None and id(getattr(item, inner)) in touched)
                ):
                    known = _Item(item)
                kept[key] = known
                entries.append(known)
            self._lists[name] = entries
        self._items = kept  # items no longer in the session are let go
        document: dict[str, Any] = {}
        for name, field in Session.model_fields.items():
            key = field.alias or name
            if name in self._lists:
                document[key] = [entry.dump for entry in self._lists[name]]
            elif key in rest:
                document[key] = rest[key]
        return document

    def text(self, session: Session, touched: set[int]) -> str:
        """The same text as ``session_text(session)``."""
        document = self.document(session, touched)
        if not _TOML_PIECES:
            return tomli_w.dumps(document)  # another tomli_w: whole, as before
        ctx = _toml.Context(allow_multiline=False, indent=4)  # tomli_w.dumps' defaults
        literals: list[tuple[str, Any]] = []
        tables: list[tuple[str, Any, bool]] = []  # (key, table or _Item, in an array)
        for key, value in document.items():
            entries = self._lists.get(key)
            if entries and not all(self._inline(entry) for entry in entries):
                tables.extend((key, entry, True) for entry in entries)
            elif entries:
                literals.append((key, value))  # tomli_w's inline array of tables
            elif isinstance(value, Mapping):
                tables.append((key, value, False))
            elif _toml.is_aot(value) and not all(
                _toml.is_suitable_inline_table(table, ctx) for table in value
            ):
                tables.extend((key, table, True) for table in value)
            else:
                literals.append((key, value))
        parts = [
            f"{_toml.format_key_part(k)} = {_toml.format_literal(v, ctx)}\n" for k, v in literals
        ]
        for key, table, in_array in tables:
            if parts:
                parts.append("\n")
            if isinstance(table, _Item):
                parts.append(self._chunk(table, key))
            else:
                name = _toml.format_key_part(key)
                parts.extend(_toml.gen_table_chunks(table, ctx, name=name, inside_aot=in_array))
        return "".join(parts)

    @staticmethod
    def _inline(entry: _Item) -> bool:
        if entry.inline is None:
            ctx = _toml.Context(allow_multiline=False, indent=4)
            entry.inline = _toml.is_suitable_inline_table(entry.dump, ctx)
        return entry.inline

    @staticmethod
    def _chunk(entry: _Item, key: str) -> str:
        if entry.chunk is None:
            # A fresh context each time: tomli_w caches inline tables by id().
            ctx = _toml.Context(allow_multiline=False, indent=4)
            name = _toml.format_key_part(key)
            entry.chunk = "".join(
                _toml.gen_table_chunks(entry.dump, ctx, name=name, inside_aot=True)
            )
        return entry.chunk


_SESSION_TABLE = re.compile(
    r"^[ \t]*\[{1,2}[ \t]*(?:scenario|live|members|cards|step_log|turns)[ \t]*[\].]", re.M
)


@dataclass(frozen=True)
class WidthFix:
    """What ``validate --fix`` would write: the file with its full-width slips made half-width."""

    path: Path
    before: bytes
    after: bytes
    count: int
    """How many places change (a run like ２０ is one)."""
    session: bool
    """A session, written by the app: never rewritten by hand tools."""

    def diff(self) -> list[str]:
        """The changed lines as a unified diff, without context."""
        before, after = (data.decode("utf-8").splitlines() for data in (self.before, self.after))
        name = str(self.path)
        fixed = t("width.fixed_label", file=name)
        return list(difflib.unified_diff(before, after, name, fixed, n=0, lineterm=""))


def plan_width_fix(path: Path) -> WidthFix:
    """The repair of ``path``'s full-width twins of TOML syntax; nothing written yet.

    Only a file that is not valid TOML can have any (see ``widths``). Quoted
    strings and comments are left as written. The BOM and line endings stay.
    A file that cannot be read is a FileError; one that is not UTF-8 has
    nothing this repair can do (``validate`` says what is wrong with it).
    """
    raw = read_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return WidthFix(path, raw, raw, 0, session=False)
    body = text.removeprefix("\ufeff")
    data = _parsed(body)
    if data is not None:
        return WidthFix(path, raw, raw, 0, session=is_session_document(data))
    fixed = fix_widths(body)
    data = _parsed(fixed)
    if data is not None:
        session = is_session_document(data)
    else:  # still broken in other ways: its tables say what it is
        session = _SESSION_TABLE.search(fixed) is not None
    after = (text[: len(text) - len(body)] + fixed).encode("utf-8")
    return WidthFix(path, raw, after, len(width_mistakes(body)), session)


def _parsed(text: str) -> dict[str, Any] | None:
    """The TOML in ``text`` if it is valid, else None (no problems worked out: not shown)."""
    if dotted_key_bomb_line(text) is not None:
        return None
    try:
        return fast_loads(text) or tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None


def apply_width_fix(fix: WidthFix) -> None:
    """Write the repaired file atomically, unless it changed since it was read.

    A link is followed: the file it points to is rewritten, the link stays.
    """
    if read_bytes(fix.path) != fix.before:
        raise FileError([Problem(fix.path, t("width.changed_meanwhile"))])
    atomic_write(Path(os.path.realpath(fix.path)), fix.after)


def save_session(session: Session, path: Path, *, create: bool = False) -> None:
    """Write the session atomically. ``create=True`` refuses an existing file."""
    atomic_write(path, session_text(session).encode("utf-8"), overwrite=not create)


def session_path(directory: Path, scenario_stem: str, day: date) -> Path:
    """A free name ``YYYY-MM-DD-<scenario>.toml``, then ``-2``, ``-3``…

    Its stem is a valid session id, whatever the scenario is called.
    """
    return free_path(directory, f"{day.isoformat()}-{scenario_stem}", stem_for=_id_stem)


def _id_stem(base: str, suffix: str) -> str:
    return safe_session_id(base, suffix=suffix)


def _joined(base: str, suffix: str) -> str:
    return f"{base}{suffix}"


StemFor = Callable[[str, str], str]
"""Makes a stem of a base and a numbering suffix (``""``, ``"-2"``…)."""


def free_path(
    directory: Path, base: str, suffix: str = ".toml", *, stem_for: StemFor = _joined
) -> Path:
    """``<base><suffix>`` in ``directory`` if free, else ``<base>-2<suffix>``, ``-3``…"""
    stem = free_stem(base, lambda stem: not taken(directory / f"{stem}{suffix}"), stem_for)
    return directory / f"{stem}{suffix}"


def free_stem(base: str, usable: Callable[[str], bool], stem_for: StemFor = _joined) -> str:
    """``base`` if ``usable``, else the first usable of ``base-2``, ``base-3``…"""
    stem, number = stem_for(base, ""), 2
    while not usable(stem):
        stem, number = stem_for(base, f"-{number}"), number + 1
    return stem


def taken(path: Path) -> bool:
    """Something is at ``path``: a file, a folder, or a link (even a broken one)."""
    return path.exists() or path.is_symlink()


def create_new_file(
    directory: Path, pick: Callable[[], Path], content: Callable[[Path], bytes]
) -> Path:
    """Write ``content(path)`` to the free name ``pick()`` gives (see :func:`free_path`).

    Never replaces a file, even one that appears between the look and the
    write (another laptop saving to the same stick): then it picks again.
    ``directory`` is created if needed. Returns the path written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    while True:
        path = pick()
        try:
            atomic_write(path, content(path), overwrite=False)
        except FileExistsError:
            continue  # another process took the name between look and write
        return path


def create_session_file(session: Session, directory: Path) -> Path:
    """Save a new session under a fresh name in ``directory`` (created if needed).

    The session's id becomes the file's stem, so minutes and file agree.
    """

    def content(path: Path) -> bytes:
        session.id = path.stem
        return session_text(session).encode("utf-8")

    stem, day = session.id, session.created_at.date()  # captured: content() changes the id
    return create_new_file(directory, lambda: session_path(directory, stem, day), content)
