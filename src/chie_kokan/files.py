"""Files on disk without the models: reading, parsing TOML, writing atomically.

Everything here runs before the session's models are needed, so opening a
file costs no import of pydantic: the app can paint its first frame while
the models are imported and the file validated (see ``tui.app``). Reads turn
every failure into :class:`FileError` with problems people can act on.
Writes are atomic: a temp file in the same folder, fsync, rename, fsync the
folder; so a crash or power loss leaves either the old file or the new one,
never half of each.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

from chie_kokan.i18n import t
from chie_kokan.problems import (
    FileError,
    Problem,
    deepest_line,
    dotted_key_bomb_line,
    long_number_line,
    toml_problem,
    width_problems,
)
from chie_kokan.widths import width_mistakes

try:
    import tomli as _tomli  # see fast_loads
except ImportError:  # pragma: no cover - installed with the package
    _tomli = None


MAX_FILE_BYTES = 32 * 2**20
"""The largest scenario or session we read (32 MB). A real meeting's session is
about 0.1 MB and a 10 MB one (some 50,000 cards) still loads; anything larger
is the wrong file (a disk image, a log) and is refused before it fills memory."""

# Open without blocking: a FIFO would otherwise wait for a writer forever.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def read_bytes(path: Path) -> bytes:
    """The content of a regular file of at most :data:`MAX_FILE_BYTES`, or a FileError.

    A FIFO, a device (or a symlink to one), a folder or a name the system
    cannot open is refused with one clear problem, never a hang: the file is
    opened without blocking and checked before a byte is read, and no more
    than the limit (plus one byte, to notice) is ever read.
    """
    try:
        fd = os.open(path, _READ_FLAGS)
    except (OSError, ValueError) as error:
        raise FileError([_open_problem(path, error)]) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise FileError([Problem(path, t("validation.is_directory"))])
        if not stat.S_ISREG(mode):
            raise FileError([Problem(path, t("validation.not_regular"))])
        limit = MAX_FILE_BYTES
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, 2**20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileError([Problem(path, t("validation.too_large", limit=limit // 2**20))])
        return b"".join(chunks)
    except OSError as error:
        raise FileError([_open_problem(path, error)]) from None
    finally:
        os.close(fd)


def file_mode(path: Path) -> int | None:
    """The ``st_mode`` of what ``path`` names, through symlinks; None when nothing is there.

    For a place about to be written: it looks without opening (opening a FIFO
    or a device can block or have effects). A name the system cannot look up
    (too long) is a FileError.
    """
    try:
        return os.stat(path).st_mode
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise FileError([_open_problem(path, error)]) from None


def _open_problem(path: Path, error: OSError | ValueError) -> Problem:
    """Why a file could not be opened or read, in words."""
    if isinstance(error, FileNotFoundError):
        return Problem(path, t("validation.not_found"))
    if isinstance(error, OSError) and error.errno == errno.ENAMETOOLONG:
        return Problem(path, t("validation.name_too_long"))
    # Windows refuses to open a folder (EACCES) rather than saying what it is;
    # os.path.isdir never raises, whatever the name.
    if isinstance(error, IsADirectoryError) or os.path.isdir(path):
        return Problem(path, t("validation.is_directory"))
    detail = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return Problem(path, t("validation.unreadable", detail=detail))


def read_text(path: Path) -> str:
    """The file's text, or a FileError saying plainly why not."""
    return decode_text(path, read_bytes(path))


def decode_text(path: Path, raw: bytes) -> str:
    """The text of a file's bytes (UTF-8, a BOM dropped), or a FileError naming ``path``."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problem = Problem(path, t("validation.not_utf8", offset=error.start), line=line)
        raise FileError([problem]) from None
    if text.startswith("\ufeff"):
        text = text[1:]  # Notepad's BOM is harmless
    if not text.strip():
        raise FileError([Problem(path, t("validation.empty"))])
    return text


def fast_loads(text: str) -> dict[str, Any] | None:
    """``tomllib.loads(text)`` by the compiled tomli where installed, else None.

    tomli 2.1-2.2 is the parser tomllib was made from (TOML 1.0, the same
    results), built with mypyc: about twice as fast on a large session. On
    any error the caller parses again with tomllib, so every problem is
    reported exactly as before.
    """
    if _tomli is None:
        return None
    try:
        data = _tomli.loads(text)
    except Exception:
        return None
    # Compiled, it reads nesting that tomllib's recursion cannot (a bomb):
    # such a file goes to tomllib too, to be refused the same way.
    return None if _deeper_than(data, _FAST_DEPTH) else data


_FAST_DEPTH = 64
"""Deeper nesting than this (a session has 4 levels) is left to tomllib."""


def _deeper_than(data: dict[str, Any], limit: int) -> bool:
    """Whether tables and arrays in ``data`` nest more than ``limit`` levels."""
    level: list[Any] = [data]
    for _ in range(limit):
        deeper: list[Any] = []
        for value in level:
            for child in value.values() if type(value) is dict else value:
                if type(child) is dict or type(child) is list:
                    deeper.append(child)
        if not deeper:
            return False
        level = deeper
    return True


def parse_toml(path: Path, text: str) -> dict[str, Any]:
    """The TOML in ``text``, or a FileError whose problems say where and what to write."""
    bomb = dotted_key_bomb_line(text)
    if bomb is not None:
        raise FileError([Problem(path, t("validation.too_deep"), line=bomb)])
    try:
        data = fast_loads(text)
        if data is None:
            data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise FileError(_syntax_problems(path, error, text)) from None
    except RecursionError:
        # tomllib recurses once per level of nesting: a bomb, or a broken file.
        problem = Problem(path, t("validation.too_deep"), line=deepest_line(text))
        raise FileError([problem]) from None
    except ValueError:
        # The only other ValueError: an integer over Python's 4,300-digit limit.
        problem = Problem(path, t("validation.number_too_long"), line=long_number_line(text))
        raise FileError([problem]) from None
    if not data:
        raise FileError([Problem(path, t("validation.empty"))])  # comments only
    return data


def _syntax_problems(path: Path, error: tomllib.TOMLDecodeError, text: str) -> list[Problem]:
    """Full-width twins of TOML syntax, each named (else the parser's own complaint).

    Any such twin is an error TOML stops at, so a file that parses has none:
    they are looked for only here. The parser's complaint is kept as well
    when it is about an earlier line, a mistake of another sort.
    """
    general = toml_problem(path, error, text)
    mistakes = width_mistakes(text)
    if not mistakes:
        return [general]
    widths = width_problems(path, mistakes)
    if general.line is not None and general.line < mistakes[0].line:
        return [general, *widths]
    return widths


def is_session_document(data: dict[str, Any]) -> bool:
    """Sessions embed their scenario as a table; scenarios never have one."""
    return isinstance(data.get("scenario"), dict)


def read_document(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and its TOML: the one place every loader reads a file."""
    text = read_text(path)
    return text, parse_toml(path, text)


def looks_like_scenario(data: dict[str, Any]) -> bool:
    return any(key in data for key in ("title", "theme", "steps"))


def atomic_write(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old or the new file.

    With ``overwrite=False`` the file must not exist yet (checked atomically:
    we never replace another session that appeared in the meantime).
    """
    directory = path.parent
    fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        # mkstemp makes 0600 files; a session or minutes file should be as
        # readable as any file the user saves (or keep the mode it had).
        # Windows has no such modes (and no os.fchmod before Python 3.13).
        if not _WINDOWS:
            os.fchmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            replace(tmp, path)
        else:
            _create_from(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_directory(directory)


def _create_from(tmp: Path, path: Path) -> None:
    """Move ``tmp`` to ``path``, which must not exist (never overwrite)."""
    try:
        os.link(tmp, path)  # atomic, and fails if path exists
    except FileExistsError:
        raise
    except OSError:
        # No hard links on this file system (FAT/exFAT sticks, some network
        # shares): claim the name exclusively, then move the content over it.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        try:
            replace(tmp, path)
        except BaseException:
            path.unlink(missing_ok=True)  # ours: we just created it empty
            raise
    else:
        tmp.unlink()


_WINDOWS = sys.platform == "win32"
_REPLACE_TRIES = 10
_REPLACE_PAUSE = 0.05
"""Up to half a second in all: saves run in a worker, never on the screen's thread."""


def _read_umask() -> int:
    # Read once at import: os.umask is process-wide and not thread-safe.
    umask = os.umask(0)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o666 & ~_UMASK


def replace(source: Path, target: Path) -> None:
    """``os.replace``, patient on Windows while another program has ``target`` open.

    Windows refuses to rename over a file that someone is reading (the
    projector's ``display`` reading the session, an antivirus scan, an
    editor): a moment later it works. Elsewhere, and after the last try,
    the error is the caller's to report.
    """
    for attempt in range(_REPLACE_TRIES):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if not _WINDOWS or attempt == _REPLACE_TRIES - 1:
                raise
            time.sleep(_REPLACE_PAUSE)


def _fsync_directory(directory: Path) -> None:
    # The rename itself must reach the disk, or power loss can undo it.
    # Windows cannot open a folder as a file; NTFS journals the rename itself.
    if _WINDOWS:
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not possible on every platform (Windows)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# A session's own tables: a scenario has none of them (seen in a file that may not parse).


def recording_path(path: Path) -> Path:
    """The file a session is really recorded to: ``path``, or what its links name.

    Saves replace the file by renaming over it, which would replace a link
    with a file and leave the linked session behind; and two links to one
    session would get two locks. A path without links is kept as given, so
    messages show it as the person typed it.
    """
    real = os.path.realpath(path)
    return path if real == os.path.abspath(path) else Path(real)


def require_kind(path: Path, data: dict[str, Any], *, session: bool) -> None:
    """A FileError unless ``data`` is a session (``session``) or a scenario, saying which it is."""
    if session and not is_session_document(data):
        key = "scenario_not_session" if looks_like_scenario(data) else "kind_unknown"
        raise FileError([Problem(path, t(f"validation.{key}"))])
    if not session and is_session_document(data):
        # A session given where a scenario belongs: say which it is and what to do.
        raise FileError([Problem(path, t("validation.session_not_scenario"))])


def document_language(data: dict[str, Any]) -> str | None:
    """The language a parsed scenario or session asks for, before it is validated.

    Only to choose the UI's language for the first frame; the models check it.
    """
    scenario = data["scenario"] if is_session_document(data) else data
    language = scenario.get("language")
    return language if isinstance(language, str) else None
