"""Turn what goes wrong with a file into messages people can act on.

A problem names the file, the line (and column) where we can find it, the
field path (``steps[2].minutes``) and what to write instead, in the reader's
language. Never a traceback.
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args, get_origin

from chie_kokan.i18n import catalog, get_language, t
from chie_kokan.widths import WidthMistake

if TYPE_CHECKING:
    # Only pydantic's errors are read here: importing it at start would cost
    # the first frame half an empty app's start-up (see tui.app).
    from pydantic import BaseModel, ValidationError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file."""

    file: Path
    message: str
    line: int | None = None
    column: int | None = None
    field: str | None = None
    """The field path as the file spells it: ``steps[1].minutes`` (lists count from 0)."""
    loc: tuple[int | str, ...] = ()
    """The same path as parts, to say the positions as people count them."""
    fixable: bool = False
    """A width mistake that ``validate --fix`` can repair."""

    def __str__(self) -> str:
        file = visible(self.file)
        if self.line is not None and self.column is not None:
            where = t("validation.at_line_col", file=file, line=self.line, col=self.column)
        elif self.line is not None:
            where = t("validation.at_line", file=file, line=self.line)
        else:
            where = t("validation.file_label", file=file)
        field = f" {self.named_field()}:" if self.field else ""
        return f"{where}:{field} {self.message}"

    def named_field(self) -> str:
        """The field as people count (2番目の手順（steps[1].minutes）), or "" for none."""
        if not self.field:
            return ""
        place = position(self.loc)
        return t("position.field", place=place, path=self.field) if place else self.field


class FileError(Exception):
    """A file that cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def field_path(loc: tuple[int | str, ...]) -> str:
    """``('steps', 2, 'minutes')`` → ``steps[2].minutes`` (a key as written, made visible)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{shown(part)}" if out else shown(part)
    return out


def position(loc: tuple[int | str, ...]) -> str | None:
    """The list positions in ``loc`` counted from one, as people count them.

    ``('steps', 1, 'questions', 0)`` → 2番目の手順の1番目の問い / step 2, question 1;
    None when the path goes through no list.
    """
    words = catalog(get_language())
    parts: list[str] = []
    name = ""
    for part in loc:
        if not isinstance(part, int):
            name = str(part)
        elif f"position.{name}" in words:
            parts.append(t(f"position.{name}", n=part + 1))
        else:
            parts.append(t("position.item", name=shown(name), n=part + 1))
    return t("position.join").join(parts) or None


# Every control character as a Python-style escape, so a message quoting a
# value or a path prints it visibly (and on one line), never raw to a terminal.
_ESCAPES = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]}
_ESCAPES.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
_QUOTE_LIMIT = 80
_reprs = reprlib.Repr()
_reprs.maxlevel = 3  # a deeply nested value is quoted as [[[...]]], never recursively


def visible(value: object) -> str:
    """Text (a file path, a value from a file) safe to print: control characters escaped.

    Lone surrogates (a Linux file name that is not UTF-8) are escaped too, so
    printing never fails.
    """
    text = str(value).translate(_ESCAPES)
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def shown(value: object) -> str:
    """A value from a file quoted in a message: visible, and shortened if long."""
    text = visible(_reprs.repr(value) if isinstance(value, list | tuple | dict) else value)
    return text if len(text) <= _QUOTE_LIMIT else text[: _QUOTE_LIMIT - 1] + "…"


_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = " (at end of document)"


def toml_problem(file: Path, error: Exception, text: str) -> Problem:
    """A ``tomllib.TOMLDecodeError`` as a problem with line and column.

    At the end of the document (a truncated file) there is no column, but
    the line is the last one with something on it, which is where it stops.
    """
    message = str(error)
    match = _TOML_POS.search(message)
    detail = visible(_TOML_POS.sub("", message).replace(_AT_END, ""))
    line = int(match.group(1)) if match else None
    col = int(match.group(2)) if match else None
    if line is None and message.endswith(_AT_END):
        line = last_line(text)
    return Problem(file, t("validation.toml_syntax", detail=detail), line, col)


def width_problems(file: Path, mistakes: list[WidthMistake]) -> list[Problem]:
    """Each full-width twin of TOML syntax: what was typed, where, and what to type."""
    problems = [
        Problem(
            file,
            t(f"width.{m.kind}", wide=m.wide, narrow=m.narrow),
            line=m.line,
            column=m.column,
            fixable=True,
        )
        for m in mistakes[:MAX_PROBLEMS]
    ]
    return _capped(file, problems, len(mistakes))


def last_line(text: str) -> int | None:
    """The number of the last line with anything on it."""
    return len(text.rstrip().splitlines()) or None


# What TOML puts between brackets that are not nesting: strings and comments.
_NOT_NESTING = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*'
    r"|[\[{]|[\]}]|\n",
    re.DOTALL,
)


def deepest_line(text: str) -> int | None:
    """The line where lists and tables are nested deepest (first reached).

    For a file too deeply nested to parse: tomllib only says its stack ran out.
    """
    depth = deepest = 0
    line, found = 1, None
    for token in _NOT_NESTING.finditer(text):
        piece = token.group()
        if piece in ("[", "{"):
            depth += 1
            if depth > deepest:
                deepest, found = depth, line
        elif piece in ("]", "}"):
            depth = max(depth - 1, 0)
        else:
            line += piece.count("\n")
    return found


MAX_KEY_PARTS = 100
"""A dotted key or table name (``a.b.c``) of more parts than this is refused
before parsing: tomllib keeps every prefix of it, so memory grows with the
square of its length. Real files use two or three."""
_KEY_BOMB = re.compile(
    rf"""(?:(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')[ \t]*\.[ \t]*){{{MAX_KEY_PARTS}}}"""
)


def dotted_key_bomb_line(text: str) -> int | None:
    """The line of the first dotted key with more than MAX_KEY_PARTS parts, if any."""
    if text.count(".") < MAX_KEY_PARTS:
        return None  # nearly every file: nothing to look at
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count(".") >= MAX_KEY_PARTS and _KEY_BOMB.search(line):
            return number
    return None


_LONG_NUMBER = re.compile(r"[0-9][0-9_]{4299,}")


def long_number_line(text: str) -> int | None:
    """The line of the first number with more digits than Python converts (4,300)."""
    match = _LONG_NUMBER.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _model_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class whose field set applies at ``loc`` (for listing allowed keys)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not _is_model(current):
            return None
        info = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None
        )
        if info is None:
            return None
        current = _unwrap(info.annotation)
    return current if _is_model(current) else None


def _is_model(value: Any) -> bool:
    from pydantic import BaseModel  # imported by then: a model was validated

    return isinstance(value, type) and issubclass(value, BaseModel)


def _unwrap(annotation: Any) -> Any:
    """list[X] | None → X, so we can walk into nested models."""
    while True:
        args = [a for a in get_args(annotation) if a is not type(None)]
        if get_origin(annotation) is None or not args:
            return annotation
        models = [a for a in args if _is_model(a)]
        annotation = models[0] if models else args[0]


def _keys(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _message(error: dict[str, Any], root: type[BaseModel]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = shown(error.get("input"))
    loc = tuple(error["loc"])
    name = shown(loc[-1]) if loc else ""
    if kind == "chie":
        key = ctx["key"]
        values = {k: shown(v) for k, v in ctx.items() if k not in {"key", "at"}}
        return t(f"validation.{key}", **values)
    if kind == "missing":
        return t("validation.missing", field=name)
    if kind == "extra_forbidden":
        parent = _model_at(root, loc[:-1])
        allowed = ", ".join(_keys(parent)) if parent else "-"
        return t("validation.extra", field=name, allowed=allowed)
    if kind in {"literal_error", "enum"}:
        allowed = str(ctx.get("expected", "")).replace(" or ", ", ")
        return t("validation.choice", value=value, allowed=allowed)
    if kind == "greater_than":
        return t("validation.gt", value=value, limit=ctx.get("gt"))
    if kind == "greater_than_equal":
        return t("validation.ge", value=value, limit=ctx.get("ge"))
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return t("validation.int", value=value)
    if kind in {"string_too_short", "string_pattern_mismatch"}:
        return t("validation.blank")
    if kind == "string_type":
        return t("validation.str")
    if kind == "list_type":
        return t("validation.list")
    if kind in {"bool_type", "bool_parsing"}:
        return t("validation.bool")
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return t("validation.table", example="{ … }")
    if kind.startswith("datetime") or kind == "timezone_aware":
        return t("validation.datetime")
    if kind == "too_short":
        return t("validation.too_short", min=ctx.get("min_length", 1))
    return t("validation.other", detail=error.get("msg", kind))


MAX_PROBLEMS = 20
"""Problems listed per file; more are counted. Nobody reads thousands, and
locating each one reads the file again (thousands of them took minutes)."""


def validation_problems(
    file: Path, error: ValidationError, root: type[BaseModel], text: str
) -> list[Problem]:
    """The first MAX_PROBLEMS errors pydantic found, as problems with field paths and lines."""
    items = error.errors()
    problems = []
    for item in items[:MAX_PROBLEMS]:
        loc = tuple(item["loc"])
        if item["type"] == "chie":
            # A model validator reports where below itself the fault lies.
            loc += tuple((item.get("ctx") or {}).get("at", ()))
        problems.append(
            Problem(
                file,
                _message(dict(item), root),
                line=locate(text, loc),
                field=field_path(loc) or None,
                loc=loc,
            )
        )
    return _capped(file, problems, len(items))


def _capped(file: Path, problems: list[Problem], total: int) -> list[Problem]:
    """The first MAX_PROBLEMS of ``total`` problems, and how many more there are."""
    if total > MAX_PROBLEMS:
        more = t("validation.more_problems", count=total - MAX_PROBLEMS, shown=MAX_PROBLEMS)
        return [*problems, Problem(file, more)]
    return problems


_TABLE = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\-]+)\s*\]\]|^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")
_OPEN_ARRAY = re.compile(r"=\s*\[\s*(#.*)?$")


def locate(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best-effort line number (1-based) of ``loc`` in a TOML text.

    Follows ``[table]`` and ``[[array]]`` headers and counts array entries,
    which covers how people write scenarios, and arrays of inline tables with
    one ``{ … }`` entry a line, which is how the app writes short lists in
    sessions. A key that is missing points at the header (or entry) of the
    table it belongs in. None when unsure, rather than a wrong line.
    """
    keys = [str(p) for p in loc if not isinstance(p, int)]
    indexes = [p for p in loc if isinstance(p, int)]
    if not keys:
        return None
    parents, leaf = keys[:-1], keys[-1]
    counts: dict[str, int] = {}
    table: tuple[str, int | None] = ("", None)
    header_line: int | None = None
    entry: int | None = None  # inside ``parent = [``: the index of the next entry
    for number, line in enumerate(text.splitlines(), start=1):
        if entry is not None:
            stripped = line.strip()
            if stripped.startswith("{"):
                if entry == indexes[0]:
                    return number  # the entry's line, whether or not it has the key
                entry += 1
            elif stripped.startswith("]"):
                entry = None
            continue
        header = _TABLE.match(line)
        if header:
            name = header.group(1) or header.group(2)
            if header.group(1):
                counts[name] = counts.get(name, -1) + 1
                table = (name, counts[name])
            else:
                table = (name, None)
            if parents and _matches(table, parents, indexes):
                header_line = number
            elif _matches(table, [*parents, leaf], indexes):
                return number
            continue
        key = _KEY.match(line)
        if key and key.group(1) == leaf and _matches(table, parents, indexes):
            return number
        if (
            key
            and parents
            and indexes
            and key.group(1) == parents[-1]
            and _OPEN_ARRAY.search(line)
            and _matches(table, parents[:-1], [])
        ):
            entry = 0
    return header_line


def _matches(table: tuple[str, int | None], path: list[str], indexes: list[int]) -> bool:
    """Is the table we are in the one at ``path`` (and array entry ``indexes[0]``)?"""
    name, index = table
    if ".".join(path) != name:
        return False
    return index is None or (bool(indexes) and indexes[0] == index)
