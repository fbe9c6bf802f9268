"""Helpers shared by the export tests: fixture sessions and reading a .docx back."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import docx
from hypothesis import strategies as st

from chie_kokan.models import ROLES, Session
from chie_kokan.storage import load_session

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "export"

# Any text a card may hold: every printable character, line breaks and tabs.
CARD_TEXT = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc", "Cn"), include_characters="\n\t"),
    min_size=1,
    max_size=40,
).filter(lambda text: text.strip())


def fixture(name: str) -> Session:
    """``shimizu`` or ``riverside``: a finished meeting recorded through the engine."""
    return load_session(FIXTURES / f"{name}-session.toml")


def docx_text(data: bytes) -> str:
    """Everything a reader of the Word file can see: paragraphs, tables, properties."""
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    props = document.core_properties
    parts += [props.title or "", props.author or "", props.last_modified_by or ""]
    return "\n".join(parts)


def personal_names(session: Session) -> list[str]:
    """Every name the public minutes must not show: in full and each part of two or more
    characters (a one-kanji given name such as 健 is also part of ordinary words)."""
    scenario = session.scenario
    names = [m.name for m in session.members] + [p.name for p in scenario.participants]
    names += list(scenario.private_names)
    if scenario.case:
        names.append(scenario.case.name)
    names += [getattr(session.roles, role) for role in ROLES]
    out: set[str] = set()
    for name in filter(None, names):
        parts = name.split()
        out.add(name)
        out.add("".join(parts))
        out.update(part for part in parts if len(part) >= 2)
    return sorted(out)


def contains_name(text: str, name: str) -> bool:
    """Latin names as whole words ("Tom" is not in "Tomorrow"); others anywhere."""
    if re.fullmatch(r"[A-Za-z .'-]+", name):
        return re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text) is not None
    return name in text


# -- names as people write them (for the privacy properties) ----------------------

SURNAMES = ["山田", "佐藤", "清水", "高橋", "林", "森", "長谷川"]
GIVEN = ["花子", "健", "誠", "一郎", "トメ", "さくら", "ミドリ"]
LATIN_SURNAMES = ["Tanaka", "Baker", "Okafor", "Lee"]
LATIN_GIVEN = ["Ken", "Mary", "Jo"]
HONORIFICS = ["さん", "様", "くん", "ちゃん", "氏", "委員", "さん"]
SEPARATORS = ["、", "。", " ", "と", "\n", "（", "）"]
# Half-width katakana for each full-width one (ｶﾞ for ガ): how NFKC reads them.
_HALF = {
    unicodedata.normalize("NFKC", c + mark): c + mark
    for c in map(chr, range(0xFF66, 0xFF9E))
    for mark in ("", "\uff9e", "\uff9f")
    if len(unicodedata.normalize("NFKC", c + mark)) == 1
}


@st.composite
def written(draw: st.DrawFn, text: str) -> str:
    """``text`` as someone may type it: full- or half-width, any case."""
    out = []
    for char in text:
        if char.isascii() and char.isalpha():
            char = draw(st.sampled_from([char, char.upper(), char.lower()]))
            if draw(st.booleans()):
                char = chr(ord(char) + 0xFEE0)  # Ａ
        elif char in _HALF and draw(st.booleans()):
            char = _HALF[char]  # ｼ
        out.append(char)
    return "".join(out)


@st.composite
def person(draw: st.DrawFn) -> tuple[str, str, str, bool]:
    """(roster name, surname, given name, Latin?)."""
    if draw(st.booleans()):
        surname, given_name = (
            draw(st.sampled_from(LATIN_SURNAMES)),
            draw(st.sampled_from(LATIN_GIVEN)),
        )
        return f"{given_name} {surname}", surname, given_name, True
    surname, given_name = draw(st.sampled_from(SURNAMES)), draw(st.sampled_from(GIVEN))
    space = draw(st.sampled_from([" ", "\u3000", ""]))  # the roster may have no space at all
    return f"{surname}{space}{given_name}", surname, given_name, False


@st.composite
def mentions(draw: st.DrawFn, people: list[tuple[str, str, str, bool]]) -> list[str]:
    """How the meeting spoke of these people: full names and parts, each as typed.

    A person known by surname only (the case person as 清水さん) is spoken of by it.
    """
    out = []
    for _, surname, given_name, latin in people:
        space = draw(st.sampled_from(["", " ", "\u3000"]))
        full = f"{given_name} {surname}" if latin else f"{surname}{space}{given_name}"
        if given_name:
            out.append(draw(written(full)))
        for part in filter(None, (surname, given_name)):
            # Latin parts and Japanese ones of two or more characters with a kanji
            # (or three kana) are names anywhere; shorter ones with an honorific.
            bare_ok = latin or len(part) >= 3 or (len(part) == 2 and not part.isalpha())
            bare_ok = bare_ok or (len(part) == 2 and any("\u4e00" <= c <= "\u9fff" for c in part))
            honorific = "" if bare_ok and draw(st.booleans()) else draw(st.sampled_from(HONORIFICS))
            if latin and honorific:
                honorific = "さん"
            out.append(draw(written(part)) + honorific)
    return out


def folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def shows(text: str, mention: str) -> bool:
    """Whether the folded ``text`` holds the folded ``mention`` (Latin: as a word)."""
    needle = re.escape(folded(mention))
    if re.match(r"[a-z]", folded(mention)):
        needle = rf"(?<![a-z]){needle}(?![a-z])"
    return re.search(needle, folded(text)) is not None


@st.composite
def people_spoken_of(draw: st.DrawFn) -> tuple[dict[str, object], list[str], str]:
    """A roster, a case person and a private name, and how a meeting spoke of them.

    Returns the scenario's keys for these people (``participants``, ``case``,
    ``private_names``), every mention as typed, and the mentions as one text.
    """
    roster = draw(st.lists(person(), min_size=1, max_size=3, unique_by=lambda p: p[0]))
    case = draw(person())
    if draw(st.booleans()):  # 清水さん, Mr Baker: the given name is not known
        case = (case[1], case[1], "", case[3])
    private = draw(person())
    # Different people may share a surname: each name part is withheld for someone.
    said = draw(mentions([*roster, case, private]))
    text = draw(st.sampled_from(SEPARATORS)).join(said)
    people = {
        "participants": [
            {"name": name, "organization": "自治会" if i else "Residents' association"}
            for i, (name, *_) in enumerate(roster)
        ],
        "case": {"name": f"Mr {case[0]}" if case[3] else f"{case[0]}さん", "summary": case[0]},
        "private_names": [private[0]],
    }
    return people, said, text
