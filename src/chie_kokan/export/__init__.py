"""Minutes (議事録) and the resource file (地域資源ファイル) from saved sessions.

No Textual here: the CLI and the screen both call these functions, the
screen from a worker thread. Nothing reads or sets the global UI language:
every string is looked up in the language of the document being written.
"""

from __future__ import annotations

import html
import io
import os
import re
import stat
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from chie_kokan.export.actions import OpenAction, actions_csv, actions_markdown, open_actions
from chie_kokan.export.article import article_markdown, build_article
from chie_kokan.export.minutes import Minutes, build_minutes
from chie_kokan.export.render import render_text
from chie_kokan.export.resources import (
    ResourceRecord,
    resource_records,
    resources_csv,
    resources_html,
    resources_markdown,
)
from chie_kokan.facts import meeting_day
from chie_kokan.files import atomic_write, file_mode
from chie_kokan.i18n import Language, t
from chie_kokan.models import Session
from chie_kokan.problems import FileError, Problem
from chie_kokan.storage import (
    free_stem,
    load_any,
    load_session,
    read_sessions,
)
from chie_kokan.storage import taken as _taken

MinutesFormat = Literal["md", "html", "docx"]
ResourcesFormat = Literal["md", "csv", "html"]
MINUTES_FORMATS: tuple[MinutesFormat, ...] = ("md", "html", "docx")
RESOURCES_FORMATS: tuple[ResourcesFormat, ...] = ("md", "csv", "html")
EXPORTS_DIR = Path("exports")
# issue 9: the newsletter article, always from the public minutes.
ArticleFormat = Literal["article", "article-docx"]
ARTICLE_FORMATS: tuple[ArticleFormat, ...] = ("article", "article-docx")
ExportFormat = MinutesFormat | ArticleFormat


def render_minutes(
    sessions: Sequence[Session],
    fmt: MinutesFormat,
    *,
    redact: bool = False,
    language: Language | None = None,
    template: Path | None = None,
    speaking_time: bool | None = None,
) -> bytes:
    """The minutes of these sessions (the tables of one meeting) as file content.

    ``speaking_time``: see :func:`build_minutes` (None: internal minutes only).
    """
    minutes = build_minutes(sessions, redact=redact, language=language, speaking_time=speaking_time)
    return _minutes_bytes(minutes, fmt, template)


def render_article(
    sessions: Sequence[Session], fmt: ArticleFormat = "article", language: Language | None = None
) -> bytes:
    """The newsletter article of these sessions: Markdown, or Word (``article-docx``).

    Built from the public minutes only (see :mod:`chie_kokan.export.article`).
    """
    article = build_article(sessions, language)
    if fmt == "article-docx":
        from chie_kokan.export.word import render_article_docx  # python-docx: 70 ms to import

        return render_article_docx(article)
    return article_markdown(article).encode("utf-8")


def _minutes_bytes(minutes: Minutes, fmt: MinutesFormat, template: Path | None = None) -> bytes:
    if fmt == "docx":
        from chie_kokan.export.word import render_docx  # python-docx: 70 ms to import

        return render_docx(minutes)
    return render_text(minutes, fmt, template).encode("utf-8")


def export_now(session: Session, directory: Path) -> list[Path]:
    """Write the internal minutes of ``session`` as Markdown, HTML and Word.

    For the screen's "export now" (F10): files are ``<session id>.md``,
    ``.html`` and ``.docx`` in ``directory`` (created if needed), written
    atomically. Each carries a mark of the session it was made from
    (:func:`export_mark`), and only a file with this session's mark is ever
    replaced: where another session's minutes (or anything else) already
    have the name, the three go to the first free ``<id>-2``, ``-3``…
    Returns the paths in that order. Safe in a worker thread: it works on
    its own deep copy of the session, never changes it, and uses no Textual
    and no global state. Raises ``OSError`` if the files cannot be written.
    """
    snapshot = session.model_copy(deep=True)
    minutes = build_minutes([snapshot])
    mark = export_mark(snapshot)
    directory.mkdir(parents=True, exist_ok=True)
    stem = _own_stem(directory, snapshot.id, mark)
    paths = []
    for fmt in MINUTES_FORMATS:
        path = directory / f"{stem}.{fmt}"
        atomic_write(path, _marked(_minutes_bytes(minutes, fmt), fmt, mark))
        paths.append(path)
    return paths


def export_mark(session: Session) -> str:
    """What tells one session's minutes from another's with the same id (two tables, say)."""
    return f"{session.id}@{session.created_at.isoformat()}"


_MARK_MD = "<!-- chie-kokan-session: {} -->"
_MARK_HTML = '<meta name="chie-kokan-session" content="{}">'
_FIND_MARK = {
    "md": re.compile(rb"<!-- chie-kokan-session: (\S+) -->"),
    "html": re.compile(rb'<meta name="chie-kokan-session" content="([^"]+)">'),
    "docx": re.compile(rb"<dc:identifier>([^<]+)</dc:identifier>"),
}
_MARK_SCAN_BYTES = 1 << 12
"""The mark sits near a file's start (HTML), at its end (Markdown) or in a zip member (Word)."""


def _marked(data: bytes, fmt: MinutesFormat, mark: str) -> bytes:
    if fmt == "md":
        return data + b"\n" + _MARK_MD.format(mark).encode("utf-8") + b"\n"
    if fmt == "html":
        meta = _MARK_HTML.format(html.escape(mark, quote=True)).encode("utf-8")
        return data.replace(b"<head>", b"<head>\n" + meta, 1)
    from docx import Document

    document = Document(io.BytesIO(data))
    document.core_properties.identifier = mark
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _mark_of(path: Path) -> str | None:
    """The session mark in an earlier export, or None (not ours, or not a regular file)."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None  # a link or a device is never ours to replace
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as archive:
                data = archive.read("docProps/core.xml")
        else:
            with path.open("rb") as handle:
                if path.suffix == ".md":  # the mark is the last line
                    handle.seek(max(path.stat().st_size - _MARK_SCAN_BYTES, 0))
                data = handle.read(_MARK_SCAN_BYTES)
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    found = _FIND_MARK[path.suffix.lstrip(".")].search(data)
    return html.unescape(found.group(1).decode("utf-8", "replace")) if found else None


def _own_stem(directory: Path, base: str, mark: str) -> str:
    """The first of ``base``, ``base-2``… under which every format is free or ours."""

    def free_or_ours(stem: str) -> bool:
        paths = [directory / f"{stem}.{fmt}" for fmt in MINUTES_FORMATS]
        return all(not _taken(path) or _mark_of(path) == mark for path in paths)

    return free_stem(base, free_or_ours)


def load_sessions(paths: Sequence[Path]) -> list[Session]:
    """Every session, or one FileError listing the problems of all bad files."""
    sessions: list[Session] = []
    problems: list[Problem] = []
    for path in dict.fromkeys(paths):  # the same file twice is one table, not two
        try:
            sessions.append(load_session(path))
        except FileError as error:
            problems += error.problems
    if problems:
        raise FileError(problems)
    return sessions


def default_minutes_path(sessions: Sequence[Session], fmt: str, *, redact: bool) -> Path:
    """``exports/<session id>.<ext>``, ``-merged`` for several tables.

    The public version is named by the meeting's date alone
    (``<date>-public``, ``<date>-merged-public``): the session id comes from
    the scenario's file name, which is often the case person's name.
    """
    merged = "-merged" if len(sessions) > 1 else ""
    if redact:
        return EXPORTS_DIR / f"{meeting_day(sessions[0]).isoformat()}{merged}-public.{fmt}"
    return EXPORTS_DIR / f"{sessions[0].id}{merged}.{fmt}"


def _target(out: Path | None, default: Path) -> Path:
    """``--out``, or the default name; ``--out`` a folder: the default name in it."""
    if out is None:
        return default
    # os.path.isdir never raises (Path.is_dir does, for a name too long).
    return out / default.name if os.path.isdir(out) else out


def write_export(path: Path, data: bytes, *, force: bool) -> None:
    """Write an export, never over a session or scenario, never over anything without force.

    Only to a regular file or a new name: never a FIFO or a device (or a link
    to one), which a rename would replace, or a read would wait on.
    """
    mode = file_mode(path)
    if mode is not None and stat.S_ISDIR(mode):
        raise FileError([Problem(path, t("validation.is_directory"))])
    if mode is not None and not stat.S_ISREG(mode):
        raise FileError([Problem(path, t("export.not_a_file"))])
    if path.exists() or path.is_symlink():
        if path.suffix.lower() == ".toml" or _loads_as_ours(path):
            raise FileError([Problem(path, t("export.refuse_session"))])
        if not force:
            raise FileError([Problem(path, t("export.exists"))])
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data, overwrite=force)
    except FileExistsError:
        # Appeared between the look and the write: still never overwritten.
        raise FileError([Problem(path, t("export.exists"))]) from None
    except OSError as error:
        detail = error.strerror or str(error)
        raise FileError([Problem(path, t("export.write_failed", detail=detail))]) from None


def _loads_as_ours(path: Path) -> bool:
    try:
        load_any(path)
    except FileError:
        return False
    return True


def export_minutes(
    paths: Sequence[Path],
    *,
    fmt: ExportFormat = "md",
    out: Path | None = None,
    redact: bool = False,
    template: Path | None = None,
    language: Language | None = None,
    force: bool = False,
    speaking_time: bool | None = None,
) -> Path:
    """``chie-kokan export``: load, render, write. Returns the file written."""
    if template is not None and fmt == "docx":
        raise FileError([Problem(template, t("export.template_docx"))])
    # issue 9: the article (always public: --redact changes nothing).
    if fmt == "article" or fmt == "article-docx":
        if template is not None:
            raise FileError([Problem(template, t("export.template_article"))])
        sessions = load_sessions(paths)
        ext = "docx" if fmt == "article-docx" else "md"
        name = default_minutes_path(sessions, ext, redact=True).name.replace(
            "-public.", "-article."
        )
        target = _target(out, EXPORTS_DIR / name)
        write_export(target, render_article(sessions, fmt, language), force=force)
        return target
    # end issue 9
    sessions = load_sessions(paths)
    data = render_minutes(
        sessions,
        fmt,
        redact=redact,
        language=language,
        template=template,
        speaking_time=speaking_time,
    )
    target = _target(out, default_minutes_path(sessions, fmt, redact=redact))
    write_export(target, data, force=force)
    return target


def render_resources(
    sessions: Sequence[Session],
    fmt: ResourcesFormat,
    language: Language | None = None,
    *,
    public: bool = False,
) -> bytes:
    """The resource file of these sessions as file content; ``public``: the public one.

    The web page (``html``) is always the public one: it is made for the
    council's website.
    """
    lang: Language = language or sessions[0].scenario.language
    public = public or fmt == "html"
    records = resource_records(sessions, lang, public=public)
    if fmt == "csv":
        return resources_csv(records, lang, public=public)
    if fmt == "html":
        return resources_html(records, lang).encode("utf-8")
    return resources_markdown(records, lang, public=public).encode("utf-8")


def export_resources(
    paths: Sequence[Path],
    *,
    fmt: ResourcesFormat = "md",
    out: Path | None = None,
    language: Language | None = None,
    public: bool = False,
    force: bool = False,
) -> Path:
    """``chie-kokan resources``: load, collect, write. Returns the file written."""
    sessions = load_sessions(paths)
    public = public or fmt == "html"
    name = f"resources{'-public' if public else ''}.{fmt}"
    target = _target(out, EXPORTS_DIR / name)
    write_export(target, render_resources(sessions, fmt, language, public=public), force=force)
    return target


ActionsFormat = Literal["md", "csv"]
ACTIONS_FORMATS: tuple[ActionsFormat, ...] = ("md", "csv")


@dataclass(frozen=True)
class ActionsListing:
    """What ``chie-kokan actions`` made: the listing, where it went, what was left out."""

    data: bytes
    written: Path | None
    """The file written (``--out``); None: the caller shows ``data``."""
    skipped: list[FileError]
    """Files in the folder that could not be read, each with its problems."""


def export_actions(
    directory: Path,
    *,
    today: date,
    fmt: ActionsFormat = "md",
    out: Path | None = None,
    language: Language,
    force: bool = False,
) -> ActionsListing:
    """``chie-kokan actions``: the open action items of every session in ``directory``.

    Written to ``out`` (a folder: ``actions.<fmt>`` in it) as exports are,
    never over a session; without ``out`` the caller prints ``data``.
    """
    files = read_sessions(directory)  # a folder that cannot be read: FileError
    sessions = [file.session for file in files if file.session is not None]
    skipped = [file.error for file in files if file.error is not None]
    items = open_actions(sessions, today)
    if fmt == "csv":
        data = actions_csv(items, language)
    else:
        data = actions_markdown(items, language, today).encode("utf-8")
    target = None
    if out is not None:
        target = _target(out, Path(f"actions.{fmt}"))
        write_export(target, data, force=force)
    return ActionsListing(data, target, skipped)


__all__ = [
    "ACTIONS_FORMATS",
    "ARTICLE_FORMATS",
    "MINUTES_FORMATS",
    "RESOURCES_FORMATS",
    "ActionsListing",
    "Minutes",
    "OpenAction",
    "ResourceRecord",
    "build_minutes",
    "default_minutes_path",
    "export_actions",
    "export_minutes",
    "export_now",
    "export_resources",
    "load_sessions",
    "render_article",
    "render_minutes",
    "render_resources",
    "resource_records",
    "write_export",
]
