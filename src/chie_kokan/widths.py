"""Full-width twins of TOML's half-width syntax, typed with the IME still on.

A Japanese keyboard left in full-width mode types ２０ for 20, ＝ for =,
［ ］ for [ ], a full-width space, and ” for " (a word processor makes “ ”).
Outside quoted text TOML accepts none of them, so there each is a slip with
one obvious repair: this module finds them, to name each in a message, and
puts the half-width character in its place (``validate --fix``).

What is never touched:

- quoted strings: ``title = "２０人の会"`` is the author's text;
- comments: ``# 休憩は１０分`` is too, and TOML accepts anything there;
- words missing their quotes: in ``theme = 買い物と移動（２０分）`` the ２０
  belongs to text that needs quotes, not to the syntax, so it is left as
  written (the file is still reported as malformed, by the TOML parser).

A quote is unambiguous as well: a twin quote outside a string opens one
(``title = ”知恵交換会”``), and a string opened on a line that never closes
with a half-width quote ends at the one twin closing quote on that line, if
there is exactly one (with two or more it is not clear which one was meant,
and nothing on the line is changed).

Every decision is made as if each twin found were already its half-width
character, so the repaired text reads exactly as it was read: fixing twice
changes nothing more than fixing once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# The half-width characters TOML's syntax is made of (keys, numbers, dates,
# true/false, brackets, separators, comments), each with its full-width twin
# (U+FF01-U+FF5E are U+0021-U+007E shifted by 0xFEE0).
_SYNTAX = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=[]{},.+-_:#"
_QUOTES = {"“": '"', "”": '"', "＂": '"', "‘": "'", "’": "'", "＇": "'"}
_SPACE = "\u3000"

TWINS: dict[str, str] = {
    **{chr(ord(char) + 0xFEE0): char for char in _SYNTAX},
    **_QUOTES,
    _SPACE: " ",
}
"""Each full-width (or curly) character and the half-width one meant."""

_CLOSERS = {'"': "”＂", "'": "’＇"}
"""Twins that may close a string (“ and ‘ open; a closing quote is ” or ’)."""

_ANY_TWIN = re.compile("[" + re.escape("".join(TWINS)) + "]")
# Between tokens: separators and quotes, half-width or twin. A run of anything
# else is a key or a bare value (or words); ASCII # ends it, a twin ＃ inside
# it does not (買い物＃１ is words).
_SEPARATORS = " \t\r\n=[]{},"
_ENDS_RUN = _SEPARATORS + "\"'#" + "".join(c for c, p in TWINS.items() if p in _SEPARATORS + "\"'")
_RUN = re.compile(f"[^{re.escape(_ENDS_RUN)}]+")
_WORDS = re.compile("[^\x00-\x7f" + re.escape("".join(TWINS)) + "]")
"""A character that is neither half-width nor a twin: the run is words, not syntax."""
_MATTERS = re.compile("[" + re.escape("\"'#" + "".join(TWINS)) + "]")
_BASIC = re.compile(r'(?:[^"\\\n]|\\[^\n])*')
_LITERAL = re.compile(r"[^'\n]*")
_MULTI_BASIC_END = re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""', re.DOTALL)

Kind = Literal["char", "space", "quote"]


@dataclass(frozen=True)
class WidthMistake:
    """One or more twins in a row, of one kind, on one line."""

    offset: int
    """Where the first one is in the text (0-based)."""
    line: int
    """1-based, as people count."""
    column: int
    """1-based, in characters."""
    wide: str
    """As written: ``２０``."""
    kind: Kind

    @property
    def narrow(self) -> str:
        """As meant: ``20``."""
        return "".join(TWINS[char] for char in self.wide)


def _kind(char: str) -> Kind:
    if char == _SPACE:
        return "space"
    return "quote" if char in _QUOTES else "char"


def _twin_offsets(text: str) -> list[int]:
    """Where the twins that stand for TOML syntax are, in order.

    Jumps from one character that matters (a quote, a #, a twin) to the next:
    everything between them is half-width syntax, or words, and changes nothing.
    """
    if not _ANY_TWIN.search(text):
        return []  # nearly every file: nothing to read closely
    found: list[int] = []
    at = 0
    while (match := _MATTERS.search(text, at)) is not None:
        here = match.start()
        char = text[here]
        plain = TWINS.get(char, char)
        if char == "#":
            at = _line_end(text, here)
        elif plain in _SEPARATORS:  # a twin: half-width separators do not matter
            found.append(here)
            at = here + 1
        elif plain in "\"'":
            if char != plain:
                found.append(here)
            at = _string_end(text, here, plain, found)
        else:
            start = here  # the start of the run (key, bare value or words) it is in
            while start > at and text[start - 1] not in _ENDS_RUN:
                start -= 1
            if plain == "#" and start == here:  # ＃ where a comment can start
                found.append(here)
                at = _line_end(text, here)
            else:
                at = _run_end(text, start, found)
    return found


def _line_end(text: str, at: int) -> int:
    newline = text.find("\n", at)
    return len(text) if newline < 0 else newline


def _run_end(text: str, at: int, found: list[int]) -> int:
    """After a key or a bare value; its twins are found unless it is words."""
    match = _RUN.match(text, at)
    assert match is not None  # called on a character that starts a run
    if _WORDS.search(match.group()):
        return match.end()  # words without their quotes: text, not syntax
    for twin in _ANY_TWIN.finditer(text, at, match.end()):
        found.append(twin.start())
        if twin.group() == "＃":  # ２０＃… : the rest of the line is a comment
            return _line_end(text, twin.start())
    return match.end()


def _string_end(text: str, at: int, quote: str, found: list[int]) -> int:
    """After the string opened at ``at`` (its opening quote already judged)."""
    opening = text[at : at + 3]
    if len(opening) == 3 and all(TWINS.get(c, c) == quote for c in opening):
        found.extend(at + i for i in (1, 2) if opening[i] != quote)
        return _multiline_end(text, at + 3, quote)
    body = (_BASIC if quote == '"' else _LITERAL).match(text, at + 1)
    assert body is not None  # both patterns match the empty string
    stop = body.end()
    if text.startswith(quote, stop):
        return stop + 1
    # Not closed on its line: closed by its one twin closing quote, if one.
    candidates = [at + 1 + i for i, c in enumerate(body.group()) if c in _CLOSERS[quote]]
    if quote == '"':
        # A twin after a backslash is an escape gone wrong, not a closing quote.
        candidates = [i for i in candidates if not _escaped(text, at + 1, i)]
    if len(candidates) == 1:
        found.append(candidates[0])
        return candidates[0] + 1
    return stop


def _escaped(text: str, start: int, at: int) -> bool:
    """Is ``text[at]`` escaped by the backslashes before it (inside a basic string)?"""
    slashes = 0
    while at - slashes - 1 >= start and text[at - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _multiline_end(text: str, at: int, quote: str) -> int:
    """After a multi-line string whose body starts at ``at`` (its end may have 1-2 more quotes)."""
    if quote == '"':
        match = _MULTI_BASIC_END.match(text, at)
        if match is None:
            return len(text)
        end = match.end()
    else:
        close = text.find("'''", at)
        if close < 0:
            return len(text)
        end = close + 3
    extra = 0
    while extra < 2 and text.startswith(quote, end):
        end, extra = end + 1, extra + 1
    return end


def width_mistakes(text: str) -> list[WidthMistake]:
    """The twins of TOML syntax in ``text``, consecutive ones of a kind together."""
    mistakes: list[WidthMistake] = []
    offsets = _twin_offsets(text)
    line, line_start, counted = 1, 0, 0  # lines counted up to ``counted``, once over the text
    index = 0
    while index < len(offsets):
        first = offsets[index]
        kind = _kind(text[first])
        last = index
        while (
            last + 1 < len(offsets)
            and offsets[last + 1] == offsets[last] + 1
            and _kind(text[offsets[last + 1]]) == kind
        ):
            last += 1
        newlines = text.count("\n", counted, first)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", counted, first) + 1
        counted = first
        mistakes.append(
            WidthMistake(
                offset=first,
                line=line,
                column=first - line_start + 1,
                wide=text[first : offsets[last] + 1],
                kind=kind,
            )
        )
        index = last + 1
    return mistakes


def fix_widths(text: str) -> str:
    """``text`` with every twin of TOML syntax made half-width, and nothing else changed."""
    offsets = _twin_offsets(text)
    if not offsets:
        return text
    chars = list(text)
    for at in offsets:
        chars[at] = TWINS[chars[at]]
    return "".join(chars)
