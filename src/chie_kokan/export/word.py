"""Word minutes (.docx) through python-docx.

python-docx because its headings, lists and tables are the real Word
constructs (an office edits the file afterwards, and LibreOffice opens it
too); writing OOXML by hand would be fragile. It has no templates, so the
labels come from the catalog (``export.*``); the layout follows the default
Markdown and HTML templates section for section.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table

from chie_kokan.export.minutes import (
    ActionView,
    CardView,
    Minutes,
    Person,
    StepMinutes,
    TableMinutes,
)
from chie_kokan.i18n import t

# Characters XML 1.0 cannot hold: python-docx refuses them, a card may carry one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_JA_FONT = "Yu Gothic"


def _x(text: object) -> str:
    return _NOT_XML.sub("", str(text))


class _Writer:
    def __init__(self, minutes: Minutes) -> None:
        self.m = minutes
        self.lang = minutes.lang
        self.doc: DocxDocument = Document()
        styles = self.doc.styles
        self.bullet: ParagraphStyle = styles["List Bullet"]  # type: ignore[assignment]
        self.bullet2: ParagraphStyle = styles["List Bullet 2"]  # type: ignore[assignment]
        self._setup()

    def L(self, key: str, **values: Any) -> str:
        return t(f"export.{key}", self.lang, **values)

    # -- document set-up ----------------------------------------------------

    def _setup(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(20))
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(10.5)  # type: ignore[attr-defined]
        if self.lang == "ja":
            # Word picks the East Asian font and line breaking from these.
            for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
                rpr = self.doc.styles[name].element.get_or_add_rPr()
                fonts = rpr.find(qn("w:rFonts"))
                if fonts is None:
                    fonts = OxmlElement("w:rFonts")
                    rpr.insert(0, fonts)
                fonts.set(qn("w:eastAsia"), _JA_FONT)
                for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
                    fonts.attrib.pop(qn(attribute), None)
            lang = OxmlElement("w:lang")
            lang.set(qn("w:eastAsia"), "ja-JP")
            normal.element.get_or_add_rPr().append(lang)
        props = self.doc.core_properties
        props.title = _x(self._title())
        props.author = _x(self.m.secretariat)
        props.last_modified_by = ""
        props.comments = ""
        props.language = "ja-JP" if self.lang == "ja" else "en-GB"

    # -- building blocks ----------------------------------------------------

    def _title(self) -> str:
        draft = self.L("draft") if self.m.status == "draft" else ""
        return self.L("title", title=self.m.title) + draft

    def heading(self, text: str, level: int) -> None:
        self.doc.add_heading(_x(text), level)

    def para(self, text: str = "", *, bold: bool = False) -> None:
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(_x(text)).bold = bold

    def item(self, text: str, suffix: str = "", *, level: int = 1, star: bool = False) -> None:
        paragraph = self.doc.add_paragraph()
        # Setting the style id directly: python-docx's ``style=`` scans every
        # style for the default on each call, which made a 1,000-card export
        # take seconds instead of a fraction of one.
        paragraph._p.style = (self.bullet if level == 1 else self.bullet2).style_id
        if star:
            paragraph.add_run("★ ").bold = True
        # One run for the text and who said it: half the XML of two runs.
        paragraph.add_run(_x(text + suffix))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> Table:
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        cells = table.rows[0].cells
        for cell, text in zip(cells, header, strict=True):
            cell.paragraphs[0].add_run(_x(text)).bold = True
        # The header row repeats on every printed page.
        table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for row, values in zip(table.rows[1:], rows, strict=True):
            for cell, value in zip(row.cells, values, strict=True):
                cell.paragraphs[0].add_run(_x(value))
        self.doc.add_paragraph()
        return table

    def details(self, rows: Sequence[tuple[str, object]]) -> None:
        self.table([self.L("item"), self.L("details")], rows)

    def nothing(self) -> None:
        self.para(self.L("nothing"))

    def said(self, card: CardView) -> str:
        return self.L("said", name=card.speaker)

    def votes(self, count: int) -> str:
        return self.L("votes_one" if count == 1 else "votes", count=count)

    def actions(self, items: Sequence[ActionView], *, with_table: bool = False) -> None:
        if not items:
            self.para(self.L("none"))
            return
        header = [self.L("what"), self.L("who"), self.L("due")]
        if with_table:
            header.insert(0, self.L("table"))
        else:
            header.append(self.L("status"))
        rows = []
        for a in items:
            row: list[object] = [a.what, a.who or "—", a.due or "—"]
            if with_table:
                row.insert(0, a.table)
            else:
                row.append(self.L("action_done" if a.done else "action_open"))
            rows.append(row)
        self.table(header, rows)

    # -- the document -------------------------------------------------------

    def build(self) -> bytes:
        m = self.m
        banner = self.doc.add_paragraph()
        run = banner.add_run(self.L("internal_banner" if m.internal else "public_banner"))
        run.bold = True
        run.font.color.rgb = RGBColor(0x99, 0, 0) if m.internal else RGBColor(0, 0x66, 0x33)
        self.heading(self._title(), 0)
        self.heading(self.L("overview"), 1)
        rows: list[tuple[str, object]] = [
            (self.L("meeting"), m.title),
            (self.L("theme"), m.theme),
            (self.L("datetime"), self.L("datetime_value", date=m.date, time=m.time)),
            (self.L("place"), m.place or "—"),
            (self.L("attendees"), self.L("people", count=m.counts.attendees)),
            (self.L("absentees"), self.L("people", count=m.counts.absentees)),
            (self.L("observers"), self.L("people", count=m.observers)),
            (self.L("secretariat"), m.secretariat or "—"),
            (self.L("openness"), self.L("open_meeting" if m.public else "closed_meeting")),
            (self.L("minutes_status"), m.status_label),
        ]
        if m.merged:
            rows.append(
                (self.L("tables"), self.L("list_separator").join(tb.name for tb in m.tables))
            )
        self.details(rows)
        if m.case:
            self.heading(self.L("case", name=m.case.name), 1)
            if m.case.summary:
                self.para(m.case.summary)
            for detail in m.case.details:
                self.item(detail)
            if m.case.redacted:
                self.para(self.L("case_withheld"))
        if m.merged:
            self._summary()
            for tb in m.tables:
                self.doc.add_page_break()
                self.heading(tb.name, 1)
                self._table(tb, 2)
        else:
            self._table(m.tables[0], 1)
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()

    def _absentees(self, people: Sequence[Person]) -> None:
        for p in people:
            parts = [p.organization, p.role, p.name] if self.m.internal else [p.organization]
            self.item(" ".join(part for part in parts if part))
        if not people:
            self.para(self.L("none"))

    def _summary(self) -> None:
        m = self.m
        self.heading(self.L("absentees"), 1)
        self._absentees(m.absentees)
        self.heading(self.L("agenda"), 1)
        for step in m.agenda:
            self.item(
                self.L("agenda_item", number=step.number, title=step.title, planned=step.planned)
            )
        self.doc.add_page_break()
        self.heading(self.L("summary"), 1)
        header = [
            self.L("table"),
            self.L("attendees"),
            self.L("count_troubles"),
            self.L("count_picked"),
            self.L("count_ideas"),
            self.L("count_examples"),
            self.L("count_actions"),
        ]
        rows: list[list[object]] = [[tb.name, *self._counts(tb.counts)] for tb in m.tables]
        rows.append([self.L("total"), *self._counts(m.counts)])
        self.table(header, rows)
        self.heading(self.L("decisions"), 2)
        for trouble in m.picked:
            self.item(trouble.title, f"{self.votes(trouble.votes)} {trouble.table}", star=True)
        if not m.picked:
            self.para(self.L("none"))
        self.heading(self.L("actions"), 2)
        self.actions(m.actions, with_table=True)

    @staticmethod
    def _counts(counts: Any) -> list[object]:
        return [
            counts.attendees,
            counts.troubles,
            counts.picked,
            counts.ideas,
            counts.examples,
            counts.actions,
        ]

    def _table(self, tb: TableMinutes, h: int) -> None:
        m = self.m
        if m.merged:
            self.details(
                [
                    (self.L("time"), tb.time or "—"),
                    (self.L("place"), tb.place or "—"),
                    (self.L("attendees"), self.L("people", count=tb.counts.attendees)),
                ]
            )
        self.heading(self.L("attendees"), h)
        if m.internal:
            self.table(
                [self.L("organization"), self.L("role"), self.L("name")],
                [
                    [p.organization, p.role, p.name + (self.L("walk_in") if p.walk_in else "")]
                    for p in tb.attendees
                ],
            )
        else:
            self.table(
                [self.L("organization"), self.L("number")],
                [[o.organization, self.L("people", count=o.count)] for o in tb.attendee_orgs],
            )
        if not m.merged:
            self.heading(self.L("absentees"), h)
            self._absentees(tb.absentees)
        self.heading(self.L("roles"), h)
        self.details([(r.label, r.holder or "—") for r in tb.roles])
        self.heading(self.L("agenda_timing"), h)
        self.table(
            [self.L("seq"), self.L("agenda"), self.L("planned"), self.L("actual"), self.L("time")],
            [
                [s.number, s.title, s.planned, s.actual or "—", s.time or self.L("not_reached")]
                for s in tb.steps
            ],
        )
        self.doc.add_page_break()
        self.heading(self.L("proceedings"), h)
        for step in tb.steps:
            self.heading(f"{step.number}. {step.title}", h + 1)
            self._step(step)
        self.doc.add_page_break()
        self.heading(self.L("decisions"), h)
        for trouble in tb.picked:
            self.item(trouble.title, self.votes(trouble.votes), star=True)
        if not tb.picked:
            self.para(self.L("none"))
        self.heading(self.L("actions"), h)
        self.actions(tb.actions)
        self.heading(self.L("speaking"), h)
        header = [
            self.L("organization"),
            self.L("speaking_time"),
            self.L("turns"),
            self.L("passes"),
        ]
        rows = [[sp.organization, sp.duration, sp.turns, sp.passes] for sp in tb.speaking]
        if m.internal:
            header.insert(0, self.L("name"))
            rows = [[sp.label, *row] for sp, row in zip(tb.speaking, rows, strict=True)]
        self.table(header, rows)

    def _cards(self, cards: Sequence[CardView]) -> None:
        for card in cards:
            self.item(card.text, self.said(card))
        if not cards:
            self.nothing()

    def _step(self, s: StepMinutes) -> None:
        internal = self.m.internal
        if s.kind == "share":
            self.para(self.L("troubles_shared", count=len(s.troubles)))
            self._cards(s.troubles)
        elif s.kind == "pick":
            self.para(self.L("vote_results"))
            for r in s.results:
                group = self.L("group_mark") if r.is_group else ""
                self.item(r.title, f"{self.votes(r.votes)}{group}", star=r.picked)
                if r.is_group:
                    for card in r.cards:
                        self.item(card.text, self.said(card), level=2)
            if not s.results:
                self.nothing()
            if s.cards:
                self.para(self.L("said_here"))
                self._cards(s.cards)
        elif s.kind == "exchange":
            for q in s.questions:
                self.para(f"{q.mark} {q.text or self.L('no_question')}", bold=True)
                for org in q.organizations:
                    self.item(org.organization)
                    for c in org.ideas:
                        suffix = self.said(c) if internal and c.speaker != org.organization else ""
                        if c.answers:
                            suffix += self.L("answers", title=c.answers)
                        self.item(c.text, suffix, level=2)
                if not q.organizations:
                    self.nothing()
        elif s.kind == "spread":
            self.para(self.L("examples", count=len(s.examples)))
            for c in s.examples:
                self.item(c.text, self.said(c))
                if c.runs_by:
                    self.item(self.L("runs_by", value=c.runs_by), level=2)
                if c.place:
                    self.item(self.L("where", value=c.place), level=2)
                if c.resource:
                    name = c.resource.name
                    if c.resource.category:
                        name += self.L("category", value=c.resource.category)
                    self.item(self.L("resource", value=name), level=2)
            if not s.examples:
                self.nothing()
        elif s.kind == "reflect":
            self.para(self.L("closings"))
            for cl in s.closings:
                extra = self.L("said", name=cl.organization) if internal else ""
                self.item(cl.speaker + (extra if cl.organization != cl.speaker else ""))
                for text in cl.texts:
                    self.item(text, level=2)
            if not s.closings:
                self.nothing()
        else:
            self._cards(s.cards)


def render_docx(minutes: Minutes) -> bytes:
    """The minutes as a Word document (bytes of a .docx file)."""
    return _Writer(minutes).build()
