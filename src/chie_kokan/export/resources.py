"""The resource file (地域資源ファイル): what the meetings learned about local resources.

Every card with resource details, and every success example (a card on a
spread step), across many sessions, deduplicated by name. A success example
without details becomes a record named by its text, with where it happens,
what it offers and who runs it taken from the card. When two sessions
describe the same resource, the later session's non-empty fields win, except
that a bare success example never overwrites what someone entered as resource
details; every source is kept.

The public file (``--public``) holds only the resources marked publishable,
every field through the same redaction as the public minutes (a member
running a resource is shown by organisation), and no session ids: those come
from the scenario's file name, often the case person's name.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import Field

from chie_kokan.export.redact import PublicHolders, Redactor
from chie_kokan.export.render import md_cell, md_escape, render_page
from chie_kokan.facts import meeting_day, meeting_start
from chie_kokan.i18n import Language, t
from chie_kokan.models import Card, Session, spec
from chie_kokan.resources import CardResource, card_resource


@dataclass(frozen=True)
class Source:
    """Where a record was learned: which session, when, from which organisation."""

    session_id: str
    date: str
    table: str
    organization: str


class ResourceRecord(CardResource):
    """One resource of the file: a card's resource (the model), plus where it was learned."""

    sources: list[Source] = Field(default_factory=list)


def _key(name: str) -> str:
    """Names that differ only in width, case or spacing are the same resource."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def _values(card: Card) -> tuple[dict[str, str], bool]:
    """The card's text fields as a record (the form's rule), and whether they were entered."""
    values = card_resource(card).model_dump(exclude={"publishable"})
    return values, card.resource is not None


@dataclass
class _Merged:
    """A record while the sessions are read: plain values, built into a model once."""

    values: dict[str, object]
    sources: list[Source] = field(default_factory=list)
    entered: set[str] = field(default_factory=set)
    """Fields someone typed as resource details: a bare example does not overwrite them."""


def resource_records(
    sessions: Sequence[Session], language: Language, *, public: bool = False
) -> list[ResourceRecord]:
    """Every resource the sessions recorded, merged by name, in order of first mention.

    ``public``: only those marked publishable, names withheld, no session ids.
    """
    unsigned = t("defaults.unsigned", language)
    no_org = t("export.no_organization", language)
    redact = Redactor.for_sessions(sessions, language) if public else Redactor.identity()
    merged: dict[str, _Merged] = {}
    # Later meetings know better: apply sessions oldest first.
    ordered = sorted(sessions, key=meeting_start)
    for session in ordered:
        members = {m.id: m for m in session.members}
        holders = PublicHolders(session.members, redact, no_org) if public else None
        for card in session.cards:
            if card.resource is None and not spec(card.kind).takes_examples:
                continue
            values, entered = _values(card)
            if not values["name"].strip():
                continue
            # By the name as written: 山田さんの畑 and 佐藤さんの畑 stay two resources.
            key = _key(values["name"])
            if holders is not None:
                values = {name: redact(value) for name, value in values.items()}
                values["runs_by"] = holders(card.runs_by)
            record = merged.setdefault(key, _Merged({"name": values["name"]}))
            for name, value in values.items():
                if value and (entered or name not in record.entered):
                    record.values[name] = value
                    if entered:
                        record.entered.add(name)
            if entered and card.resource is not None:
                record.values["publishable"] = card.resource.publishable
            member = members.get(card.speaker) if card.speaker else None
            source = Source(
                session_id="" if public else session.id,
                date=meeting_day(session).isoformat(),
                table=redact(session.table),
                organization=(redact(member.organization) or no_org if member else unsigned),
            )
            if source not in record.sources:
                record.sources.append(source)
    # Built without validating again: every value comes from a validated card
    # (4,000 records were 0.4 s of validating and copying what was checked).
    records = [
        ResourceRecord.model_construct(**record.values, sources=record.sources)
        for record in merged.values()
    ]
    if public:
        return [record for record in records if record.publishable]
    return records


# Where each source column comes from: one cell lists every source's value.
_SOURCE_COLUMNS = {"sessions": "session_id", "dates": "date", "organizations": "organization"}

COLUMNS = (
    *(name for name in ResourceRecord.model_fields if name != "sources"),
    *_SOURCE_COLUMNS,
)
"""The spreadsheet's columns: the record's fields in the model's order, then its sources."""


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


# Not in the public file: every row there may be published, and session ids
# come from the scenario's file name.
PUBLIC_COLUMNS = tuple(name for name in COLUMNS if name not in ("publishable", "sessions"))

# Under each resource's heading (its name, within its category): the rest of
# the columns but the sources, which are listed together in words.
_LISTED_FIELDS = {
    public: tuple(
        name
        for name in (PUBLIC_COLUMNS if public else COLUMNS)
        if name not in ("name", "category") and name not in _SOURCE_COLUMNS
    )
    for public in (False, True)
}

# What each resource shows on the web page, in order; ``where`` is its area heading.
_PAGE_FIELDS = tuple(name for name in _LISTED_FIELDS[True] if name != "where")


def _cell(record: ResourceRecord, name: str, language: Language) -> str:
    if name == "publishable":
        return t("export.yes" if record.publishable else "export.no", language)
    if name in _SOURCE_COLUMNS:
        attribute = _SOURCE_COLUMNS[name]
        return "; ".join(_unique([getattr(source, attribute) for source in record.sources]))
    return getattr(record, name)


def spreadsheet_safe(value: str) -> str:
    # Excel runs a cell that starts like a formula (=, +, -, @): a card's text
    # must never become one.
    if value[:1] in ("=", "+", "@", "\t", "\r") or (value[:1] == "-" and value[1:2].strip()):
        return "'" + value
    return value


def resources_csv(
    records: Sequence[ResourceRecord], language: Language, *, public: bool = False
) -> bytes:
    """UTF-8 with BOM, so Excel opens Japanese correctly; one header row."""
    columns = PUBLIC_COLUMNS if public else COLUMNS
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([t(f"export.col_{name}", language) for name in columns])
    for record in records:
        writer.writerow([spreadsheet_safe(_cell(record, name, language)) for name in columns])
    return out.getvalue().encode("utf-8-sig")


def grouped(records: Sequence[ResourceRecord], by: str) -> list[tuple[str, list[ResourceRecord]]]:
    """``records`` by the value of one field, in order of first mention; the empty value last."""
    groups: dict[str, list[ResourceRecord]] = {}
    for record in records:
        groups.setdefault(getattr(record, by).strip(), []).append(record)
    return sorted(groups.items(), key=lambda group: not group[0])


def _intro(records: Sequence[ResourceRecord], language: Language) -> str:
    """How many resources, from the records of which meeting dates."""
    dates = sorted({s.date for r in records for s in r.sources})
    if not dates:
        return t("export.resources_empty", language)
    span = dates[0]
    if len(dates) > 1:
        span = t("export.date_range", language, first=dates[0], last=dates[-1])
    return t("export.resources_intro", language, count=len(records), dates=span)


def resources_markdown(
    records: Sequence[ResourceRecord], language: Language, *, public: bool = False
) -> str:
    """The resource file as Markdown, grouped by category (uncategorised last)."""

    def L(key: str, **values: object) -> str:
        return t(f"export.{key}", language, **values)

    lines = [f"# {L('resources_public_title' if public else 'resources_title')}", ""]
    if public:
        lines += [L("resources_public_note"), ""]
    lines += [_intro(records, language), ""]
    # Every text people typed is escaped for Markdown (see md_escape), as in the minutes.
    esc = md_escape
    for category, in_category in grouped(records, "category"):
        lines += [f"## {md_cell(esc(category)) or L('uncategorised')}", ""]
        for record in in_category:
            # A heading is one line: a line break in the name becomes a space.
            lines += [f"### {md_cell(esc(record.name))}", ""]
            for name in _LISTED_FIELDS[public]:
                value = _cell(record, name, language)
                if value:
                    lines.append(f"- {L('col_' + name)}: {esc(value)}")
            sources = [
                L("source_public", date=s.date, organization=esc(s.organization))
                if public
                else L(
                    "source",
                    date=s.date,
                    organization=esc(s.organization),
                    session=esc(s.session_id + (f" {s.table}" if s.table else "")),
                )
                for s in record.sources
            ]
            lines.append(f"- {L('col_sources')}: {L('list_separator').join(sources)}")
            lines.append("")
    return "\n".join(lines)


def resources_html(records: Sequence[ResourceRecord], language: Language) -> str:
    """The public resource file as one self-contained web page, with an offline search box.

    ``records`` must be the public ones (``resource_records(..., public=True)``):
    the page shows what it is given, grouped by category and then area.
    """

    def L(key: str, **values: object) -> str:
        return t(f"export.{key}", language, **values)

    def fields(record: ResourceRecord) -> list[tuple[str, str]]:
        shown = [(L(f"col_{name}"), getattr(record, name)) for name in _PAGE_FIELDS]
        sources = [
            L("source_public", date=s.date, organization=s.organization) for s in record.sources
        ]
        shown.append((L("col_sources"), L("list_separator").join(sources)))
        return [(label, value) for label, value in shown if value]

    categories = [
        {
            "name": category or L("uncategorised"),
            "areas": [
                {
                    "name": area or L("resources_page_no_area"),
                    "resources": [{"name": r.name, "fields": fields(r)} for r in in_area],
                }
                for area, in_area in grouped(in_category, "where")
            ],
        }
        for category, in_category in grouped(records, "category")
    ]
    return render_page(
        "resources.html.j2",
        lang=language,
        title=L("resources_public_title"),
        note=L("resources_public_note"),
        intro=_intro(records, language),
        categories=categories,
        labels={
            name: L(f"resources_page_{name}")
            for name in ("search", "placeholder", "shown", "no_match")
        },
    )
