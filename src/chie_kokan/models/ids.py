"""The session id: a safe file-name stem, since exports are named ``<id>.md``.

One rule, checked when a session is read, and one helper that makes a valid
id of any string (a scenario's file name, whatever it is), so an id can never
name a path outside the folder it is written to, a hidden file, an option, or
a Windows device, on any system the minutes are copied to.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field

from chie_kokan.models.base import domain_error

MAX_ID_CHARS = 100
MAX_ID_BYTES = 200
"""In UTF-8: with ``-merged-public.docx`` and a temp-file prefix added, a file
name stays under the 255 bytes file systems allow (about 66 Japanese letters)."""

_FORBIDDEN = set('/\\:*?"<>|')
_LEADING = ".- "
_TRAILING = ". "
_DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {
    f"{port}{number}" for port in ("COM", "LPT") for number in "0123456789¹²³"
}


def _bad_char(char: str) -> bool:
    # Separators, what Windows forbids, and every control character or lone
    # surrogate (a non-UTF-8 file name) — none belongs in a file name.
    return char in _FORBIDDEN or unicodedata.category(char) in {"Cc", "Cs"}


def _is_device(text: str) -> bool:
    # Windows treats "NUL.2026.md" as the device too: the part before a dot counts.
    return text.split(".")[0].rstrip().upper() in _DEVICES


def _too_long(text: str) -> bool:
    return len(text) > MAX_ID_CHARS or len(text.encode("utf-8", "surrogatepass")) > MAX_ID_BYTES


def _check(text: str) -> str:
    bad = next((char for char in text if _bad_char(char)), None)
    if bad is not None:
        raise domain_error("id_char", char=bad)
    if text[0] in _LEADING or text[0].isspace() or text[-1] in _TRAILING or text[-1].isspace():
        raise domain_error("id_edge")
    if _is_device(text):
        raise domain_error("id_device")
    if _too_long(text):
        raise domain_error("id_length", chars=MAX_ID_CHARS, bytes=MAX_ID_BYTES)
    return text


SessionId = Annotated[str, Field(min_length=1), AfterValidator(_check)]
"""A safe file-name stem; Japanese and other letters are welcome."""


def _trimmed(text: str) -> str:
    """``text`` without the characters an id may not start or end with."""
    start, end = 0, len(text)
    while start < end and (text[start] in _LEADING or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _TRAILING or text[end - 1].isspace()):
        end -= 1
    return text[start:end]


def safe_session_id(text: str, *, suffix: str = "") -> str:
    """A valid session id made from any string, ending in ``suffix`` (e.g. ``-2``).

    Characters a file name cannot have become ``_``; dots, dashes and spaces
    at the ends go; a device name gets a ``_``; a long text is shortened to
    leave room for the suffix. A valid id (with no suffix) comes back as it is.
    """
    cleaned = "".join("_" if _bad_char(char) else char for char in text[: MAX_ID_CHARS * 2])
    stem = _trimmed(cleaned)[:MAX_ID_CHARS] or "session"
    while _too_long(stem + suffix) and len(stem) > 1:
        stem = _trimmed(stem[:-1]) or "s"
    if _is_device(stem):
        head, dot, tail = stem.partition(".")
        stem = f"{head.rstrip()}_{dot}{tail}"
    return stem + suffix
