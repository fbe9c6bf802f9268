"""Shared pydantic base: strict keys, so a typo in a file never passes silently."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict
from pydantic_core import PydanticCustomError

from chie_kokan.models.journal import note_field

# Control characters in text would reach the projector's terminal (ESC starts
# sequences that retitle or wipe it) and the minutes. Each is shown instead as
# a visible stand-in: Control Pictures (U+2400 + code) for C0, ␡ for DEL,
# U+FFFD for C1. Newline and tab are text; CR only ends a line.
_STAND_INS = {code: 0x2400 + code for code in range(0x20) if chr(code) not in "\n\t"}
_STAND_INS[0x7F] = 0x2421
_STAND_INS.update(dict.fromkeys(range(0x80, 0xA0), 0xFFFD))


def visible_controls(text: str) -> str:
    """``text`` with every control character but newline and tab made visible.

    ``\\r\\n`` and a lone ``\\r`` become ``\\n``. Idempotent: the stand-ins are
    ordinary characters, so cleaning clean text changes nothing.
    """
    if text.isprintable():
        return text  # no control character at all: the common case, ~50x faster
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_STAND_INS)


CLEANED = AfterValidator(visible_controls)
"""Put last in an ``Annotated`` with constraints, so they see the text as written."""
Text = Annotated[str, CLEANED]
"""Free text from a person (a name, a card, a title): never carries control characters."""


class Strict(BaseModel):
    """Every model of a file we read or write: unknown keys are errors."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=False,
        populate_by_name=True,
        serialize_by_alias=True,
        validate_by_alias=True,
        validate_by_name=True,
    )

    def __setattr__(self, name: str, value: object) -> None:
        # Undo is built from what changes (see journal.py), not from snapshots.
        if name in type(self).__pydantic_fields__:
            note_field(self, name)
        super().__setattr__(name, value)


def domain_error(
    key: str, *, at: tuple[int | str, ...] = (), **context: object
) -> PydanticCustomError:
    """A validation error whose text lives in the catalog under ``validation.<key>``.

    The message is rendered later, in the reader's language, by ``chie_kokan.problems``.
    ``at`` is the path below the validated value that the error is about (a
    model validator only knows its own place), e.g. ``("cards", 3, "speaker")``:
    the message then names that field and its line.
    """
    return PydanticCustomError("chie", key, {"key": key, "at": tuple(at), **context})
