"""A card's resource (地域資源): one rule for the screen's form and the resource file.

A card with resource details says what they say; a card without (a success
example, or an idea about to be described) starts from its text: named by it,
offering it, where the card says it happens. Who runs it is the card's own
field (``runs_by``), never folded into the contact, so the form shows what
the resource file will list. No Textual here: the screen and the export both
call :func:`card_resource`.
"""

from __future__ import annotations

from chie_kokan.models import Card, Resource
from chie_kokan.models.base import Text


class CardResource(Resource):
    """A resource as one card records it: the details, and who runs it."""

    runs_by: Text = ""
    """Who runs it: the card's ``runs_by`` (a success example's second field)."""


def card_resource(card: Card) -> CardResource:
    """The resource ``card`` describes, as the form shows it and the file lists it.

    Entered details win; an empty ``where`` falls back to the card's place.
    """
    # Built without validating again: every value comes from a card that was
    # validated when it was recorded or read (8,000 records over a city's year
    # of sessions took 0.4 s to check twice).
    if card.resource is not None:
        details = dict(card.resource)
        details["where"] = details["where"] or card.place
        return CardResource.model_construct(**details, runs_by=card.runs_by)
    return CardResource.model_construct(
        name=card.text, where=card.place, offers=card.text, runs_by=card.runs_by
    )


def details_of(record: CardResource) -> Resource:
    """The part of ``record`` kept as the card's resource details (all but who runs it)."""
    return Resource(**{name: getattr(record, name) for name in Resource.model_fields})
