"""A short plain-language article (newsletter, web page) from one or more sessions.

Built only from the public minutes (``build_minutes(..., redact=True)``), so
nothing the public minutes withhold can reach it: no member, case or private
name, no case details, people by organisation only. It tells what the
council discussed (the troubles picked), what already works where (the
success examples with who runs them and where), and how to get involved.

The text is the catalog's (``article.*``), as a city newsletter (市報) writes;
the article keeps catalog keys and the values to fill in, so Markdown can
escape what people typed and Word can take it as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from chie_kokan.export.minutes import Minutes, build_minutes
from chie_kokan.export.render import md_escape
from chie_kokan.i18n import Language, t
from chie_kokan.models import Session


@dataclass(frozen=True)
class Line:
    """One catalog text (``article.<key>``) and the values it takes."""

    key: str
    values: dict[str, str | int] = field(default_factory=dict)
    details: list[Line] = field(default_factory=list)
    """Lines under a list item (who runs an example, where)."""


@dataclass(frozen=True)
class Section:
    heading: Line
    paragraphs: list[Line]
    items: list[Line] = field(default_factory=list)
    closing: list[Line] = field(default_factory=list)
    """Paragraphs after the list."""


@dataclass(frozen=True)
class Article:
    lang: Language
    title: Line
    lead: Line
    sections: list[Section]
    minutes: Minutes
    """The public minutes it was written from (for the Word page set-up)."""


def build_article(sessions: Sequence[Session], language: Language | None = None) -> Article:
    """The article of these sessions, from their public minutes only."""
    m = build_minutes(sessions, redact=True, language=language, speaking_time=False)
    lang = m.lang
    no_org = t("export.no_organization", lang)
    separator = t("export.list_separator", lang)
    organizations = list(
        dict.fromkeys(
            o.organization
            for tb in m.tables
            for o in tb.attendee_orgs
            if o.organization and o.organization != no_org
        )
    )
    dates = separator.join(dict.fromkeys(tb.date for tb in m.tables))
    lead = Line(
        "lead",
        {
            "date": dates,
            "meeting": m.title,
            "theme": m.theme,
            "organizations": len(organizations),
            "attendees": m.counts.attendees,
        },
    )
    picked = list(dict.fromkeys(trouble.title for trouble in m.picked))
    discussed = [
        Line("troubles", {"troubles": m.counts.troubles, "picked": len(picked)})
        if picked
        else Line("troubles_none", {"troubles": m.counts.troubles})
    ]
    closing = []
    if m.counts.ideas:
        closing.append(Line("ideas", {"ideas": m.counts.ideas}))
    if organizations:
        closing.append(Line("organizations", {"names": separator.join(organizations)}))
    sections = [
        Section(
            Line("discussed"),
            discussed,
            [Line("trouble", {"title": title}) for title in picked],
            closing,
        )
    ]
    examples = [c for tb in m.tables for step in tb.steps for c in step.examples]
    if examples:
        items = []
        for card in examples:
            details = []
            if card.runs_by:
                details.append(Line("runs_by", {"value": card.runs_by}))
            if card.place:
                details.append(Line("place", {"value": card.place}))
            items.append(Line("example", {"text": card.text}, details))
        sections.append(Section(Line("working"), [Line("working_intro")], items))
    secretariat = m.secretariat or t("article.secretariat_fallback", lang)
    sections.append(Section(Line("join"), [Line("join_text", {"secretariat": secretariat})]))
    return Article(lang, Line("title", {"theme": m.theme}), lead, sections, m)


def article_text(article: Article, line: Line, *, markdown: bool = False) -> str:
    """A line in the article's language; ``markdown``: what people typed escaped."""
    values = {
        name: md_escape(value) if markdown and isinstance(value, str) else value
        for name, value in line.values.items()
    }
    return t(f"article.{line.key}", article.lang, **values)


def article_markdown(article: Article) -> str:
    """The article as Markdown."""

    def text(line: Line) -> str:
        return article_text(article, line, markdown=True)

    out = [f"# {text(article.title)}", "", text(article.lead), ""]
    for section in article.sections:
        out += [f"## {text(section.heading)}", ""]
        for paragraph in section.paragraphs:
            out += [text(paragraph), ""]
        for item in section.items:
            out.append(f"- {text(item)}")
            out += [f"  - {text(detail)}" for detail in item.details]
        if section.items:
            out.append("")
        for paragraph in section.closing:
            out += [text(paragraph), ""]
    return "\n".join(out).rstrip("\n") + "\n"


__all__ = [
    "Article",
    "Line",
    "Section",
    "article_markdown",
    "article_text",
    "build_article",
]
