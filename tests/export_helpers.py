"""Helpers shared by the export tests: fixture sessions and reading a .docx back."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from hypothesis import strategies as st

from chie_kokan.models import Session
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
    roles = session.roles
    names += [roles.facilitator, roles.timekeeper, roles.board_writer, roles.minute_taker]
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
