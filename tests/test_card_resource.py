"""A card's resource (chie_kokan.resources): the rule the form and the resource file share."""

from __future__ import annotations

from dataclasses import fields

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import build_minutes
from chie_kokan.export.resources import COLUMNS, resource_records
from chie_kokan.models import Resource, Scenario
from chie_kokan.resources import CardResource, card_resource, details_of

SPREAD = 4


def spread_engine(shimizu: Scenario, clock: ManualClock) -> SessionEngine:
    engine = SessionEngine(new_session(shimizu, session_id="s", clock=clock), clock=clock)
    engine.begin()
    engine.go_to_step(SPREAD)
    return engine


def test_a_bare_success_example_is_named_by_its_text(shimizu: Scenario, clock: ManualClock) -> None:
    engine = spread_engine(shimizu, clock)
    card = engine.record_card("移動販売車", runs_by="たすけあいの会", place="集会所前")
    record = card_resource(card)
    assert (record.name, record.offers, record.where, record.runs_by, record.contact) == (
        "移動販売車",
        "移動販売車",
        "集会所前",
        "たすけあいの会",
        "",
    )


def test_entered_details_win_and_an_empty_place_comes_from_the_card(
    shimizu: Scenario, clock: ManualClock
) -> None:
    engine = spread_engine(shimizu, clock)
    card = engine.record_card("移動販売車", runs_by="たすけあいの会", place="集会所前")
    engine.mark_resource(card.id, Resource(name="移動スーパー", contact="042-000-0000"))
    record = card_resource(engine.card(card.id))
    assert (record.name, record.contact, record.where, record.offers) == (
        "移動スーパー",
        "042-000-0000",
        "集会所前",
        "",
    )
    engine.mark_resource(card.id, Resource(name="移動スーパー", where="第三団地"))
    assert card_resource(engine.card(card.id)).where == "第三団地"


def test_the_resource_file_lists_each_card_as_card_resource_says(
    shimizu: Scenario, clock: ManualClock
) -> None:
    engine = spread_engine(shimizu, clock)
    bare = engine.record_card("見守り配食", runs_by="NPO 配食の会", place="公民館")
    described = engine.record_card("ふれあいサロン", runs_by="社協")
    engine.mark_resource(
        described.id, Resource(name="サロン桜", category="居場所", publishable=True)
    )
    records = resource_records([engine.session], "ja")
    for card, record in zip((bare, engine.card(described.id)), records, strict=True):
        expected = card_resource(card)
        assert {name: getattr(record, name) for name in CardResource.model_fields} == (
            expected.model_dump()
        )


def test_the_file_has_a_column_for_every_field_of_the_model() -> None:
    assert set(CardResource.model_fields) <= set(COLUMNS)
    assert "sources" not in COLUMNS  # listed as sessions, dates and organisations


def test_details_leave_who_runs_it_on_the_card() -> None:
    record = CardResource(name="サロン桜", contact="042", runs_by="社協", publishable=True)
    assert details_of(record) == Resource(name="サロン桜", contact="042", publishable=True)


def test_the_minutes_show_every_field_of_the_model(shimizu: Scenario, clock: ManualClock) -> None:
    """The minutes' view of a resource is built from the model's dump: nothing left out."""
    engine = spread_engine(shimizu, clock)
    card = engine.record_card("ふれあいサロン", runs_by="社協")
    values = {name: f"{name}の値" for name in Resource.model_fields}
    resource = Resource(**{**values, "publishable": True})
    engine.mark_resource(card.id, resource)
    for redact in (False, True):
        (table,) = build_minutes([engine.session], redact=redact, language="ja").tables
        (view,) = table.resources
        assert {f.name: getattr(view, f.name) for f in fields(view)} == resource.model_dump()
