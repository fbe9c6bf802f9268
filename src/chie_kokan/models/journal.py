"""What a change did, written down as it happens, so it can be taken back.

While a journal is open (on this thread), every field set on a model and
every item appended with :func:`append` notes how to put it back: the
field's old value, the list's old length. Taking a change back replays those
notes in reverse. The cost is that of the change, not of the session: a card
recorded at 5,000 cards keeps a handful of notes, where a snapshot of the
whole session was about 1 MB.

Only what goes through ``__setattr__`` or :func:`append` is noted: code that
changes a model inside a journal must not mutate a list in place otherwise
(``del``, ``insert``, item assignment); it assigns a new list instead.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

Note = tuple[Any, str | None, Any]
"""``(model, field, old value)``, or ``(list, None, old length)``."""

_local = threading.local()


def open_journal() -> list[Note] | None:
    """The journal changes on this thread are noted in, if any."""
    return getattr(_local, "notes", None)


@contextmanager
def recording(notes: list[Note] | None) -> Iterator[list[Note] | None]:
    """Note every change made on this thread in ``notes`` (None: note nothing)."""
    previous = getattr(_local, "notes", None)
    _local.notes = notes
    try:
        yield notes
    finally:
        _local.notes = previous


def note_field(owner: Any, field: str) -> None:
    """``owner.field`` is about to change: note its value now (any object with a ``__dict__``)."""
    notes = getattr(_local, "notes", None)
    if notes is not None:
        notes.append((owner, field, owner.__dict__.get(field)))


def append(items: list[Any], item: Any) -> None:
    """``items.append(item)``, noted: taking it back shortens the list again."""
    notes = getattr(_local, "notes", None)
    if notes is not None:
        notes.append((items, None, len(items)))
    items.append(item)


def revert(notes: list[Note]) -> None:
    """Put back everything ``notes`` wrote down, newest first. Notes nothing itself."""
    for owner, field, old in reversed(notes):
        if field is None:
            del owner[old:]
        else:
            # Straight into __dict__: no validation, and no new note.
            owner.__dict__[field] = old
