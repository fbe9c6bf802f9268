"""Shared pydantic base: strict keys, so a typo in a file never passes silently."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticCustomError


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
