"""People's text in the Markdown minutes and resource file reads as typed once rendered:
it never becomes HTML, a link, an image, a heading or emphasis. And in the HTML minutes
no person's text lands in an attribute or a URL."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import render_minutes, render_resources
from chie_kokan.export.render import (
    _LINE_BREAK,
    _MD_INLINE,
    _MD_LINE_MARK,
    _MD_LINE_NUMBER,
    md_escape,
)
from chie_kokan.models import Resource, Scenario, Session, StepKind
from export_helpers import CARD_TEXT, fixture

# GitHub-flavoured, with raw HTML allowed: as a website or a wiki renders it.
MARKDOWN = MarkdownIt("commonmark", {"html": True, "linkify": True}).enable(
    ["table", "strikethrough", "linkify"]
)

ATTACKS = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "<javascript:alert(1)>",
    "![x](http://evil/)",
    "<img src=x onerror=alert(1)>",
    "[ref]: javascript:alert(2)",
    "*強調* と _下線_ と **太字** と ~~取り消し~~ と `code`",
    "# 見出しではない",
    "1. 番号ではない",
    "- 箇条書きではない",
    "> 引用ではない",
    "| 表 | ではない |",
    "一行目\n# 二行目も見出しではない\n2) 番号でもない\n===",
    "円記号 \\ と \\* と &lt; と &amp; はそのまま",
    "ＡＢＣ①（全角）はそのまま",
]


def rendered(markdown: str) -> tuple[str, list[Token]]:
    """What a reader of the rendered page sees, and every token of it."""
    tokens = MARKDOWN.parse(markdown)
    flat: list[Token] = []
    for token in tokens:
        flat.append(token)
        flat += token.children or []
    parts = []
    for token in flat:
        if token.type in ("text", "code_inline", "html_inline", "html_block"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak", "paragraph_close", "heading_close"):
            parts.append("\n")
    return "".join(parts), flat


def _lines(text: str) -> str:
    """Line by line, without the spaces Markdown drops at the ends of a line."""
    return "\n".join(line.strip(" \t") for line in re.split(r"\r\n|\r|\n", text))


def assert_reads_as_typed(markdown: str, typed: list[str]) -> None:
    text, tokens = rendered(markdown)
    kinds = {token.type for token in tokens}
    assert not kinds & {"html_inline", "html_block", "image"}, kinds
    for token in tokens:
        if token.type == "link_open":
            # Only a web address typed as text may show as a link to itself.
            assert re.match(r"https?://", str(token.attrs["href"])), token.attrs
    shown = _lines(text)
    for what in typed:
        assert _lines(what) in shown, what


def _meeting(clock: ManualClock, scenario: Scenario, texts: list[str]) -> Session:
    engine = SessionEngine(new_session(scenario, session_id="m", clock=clock), clock)
    engine.begin()
    for step, kind in enumerate(s.kind for s in engine.steps):
        engine.go_to_step(step)
        for text in texts:
            if kind is StepKind.SPREAD:
                card = engine.record_card(text, runs_by=text, place=text)
                engine.mark_resource(
                    card.id, Resource(name=text, contact=text, offers=text, publishable=True)
                )
            else:
                engine.record_card(text)
    engine.add_action(ATTACKS[0], who=ATTACKS[1], due=ATTACKS[2])
    return engine.session


@pytest.mark.parametrize("redact", [False, True], ids=["internal", "public"])
@pytest.mark.parametrize("language", ["ja", "en"])
def test_typed_markup_in_markdown_minutes_reads_as_typed(
    clock: ManualClock, shimizu: Scenario, redact: bool, language: str
) -> None:
    session = _meeting(clock, shimizu, ATTACKS)
    markdown = render_minutes([session], "md", redact=redact, language=language).decode()  # type: ignore[arg-type]
    assert_reads_as_typed(markdown, ATTACKS)
    # The raw file stays readable: Japanese is not escaped, nor is a date or a time.
    assert "ＡＢＣ①（全角）はそのまま" in markdown
    assert "\\<script\\>alert(1)\\</script\\>" in markdown


@pytest.mark.parametrize("public", [False, True], ids=["internal", "public"])
def test_typed_markup_in_the_resource_file_reads_as_typed(
    clock: ManualClock, shimizu: Scenario, public: bool
) -> None:
    session = _meeting(clock, shimizu, ATTACKS)
    markdown = render_resources([session], "md", "ja", public=public).decode()
    assert_reads_as_typed(markdown, ATTACKS)


def test_the_shipped_minutes_render_as_before() -> None:
    # Nothing in the fixtures needs escaping: the raw files read as they did.
    markdown = render_minutes([fixture("shimizu")], "md").decode()
    assert "\\" not in markdown
    text, tokens = rendered(markdown)
    assert "移動販売の曜日と場所を回覧板に載せる" in text
    assert sum(token.type == "table_open" for token in tokens) >= 5


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(CARD_TEXT, st.lists(st.sampled_from([*ATTACKS, "\n", " ", "あ"])).map("".join)),
    step=st.integers(min_value=0, max_value=5),
)
def test_any_card_text_reads_as_typed_in_rendered_markdown(
    text: str, step: int, clock: ManualClock, shimizu: Scenario
) -> None:
    engine = SessionEngine(new_session(shimizu, session_id="live", clock=clock), clock)
    engine.begin()
    engine.go_to_step(step)
    if not text.strip():
        return
    card = engine.record_card(text)
    assert_reads_as_typed(render_minutes([engine.session], "md").decode(), [card.text])


# -- HTML: people's text is element content, never an attribute or a URL ---------


class _Attributes(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen += [(tag, name, value) for name, value in attrs]


@pytest.mark.parametrize("redact", [False, True], ids=["internal", "public"])
def test_no_person_text_lands_in_an_html_attribute(
    clock: ManualClock, shimizu: Scenario, redact: bool
) -> None:
    quoted = ['" onmouseover="alert(1)', "' autofocus onfocus='alert(1)", *ATTACKS]
    page = render_minutes([_meeting(clock, shimizu, quoted)], "html", redact=redact).decode()
    parser = _Attributes()
    parser.feed(page)
    names = {name for _, name, _ in parser.seen}
    assert names <= {"class", "lang", "charset", "name", "content"}, names
    values = {value for _, _, value in parser.seen}
    # Every attribute value is the template's own: a class name, the language, the viewport.
    assert all(re.fullmatch(r"[a-z0-9 =,.-]*", value or "") for value in values), values


def _escaped_line_by_line(text: str) -> str:
    """md_escape as written before its shortcut: every line through every escape."""
    escaped = []
    for line in _LINE_BREAK.split(text.rstrip("\r\n")):
        line = _MD_INLINE.sub(r"\\\1", line)
        line = _MD_LINE_MARK.sub(r"\1\\\2", line)
        escaped.append(_MD_LINE_NUMBER.sub(r"\1\\\2", line))
    return "\\\n".join(escaped)


@given(
    st.text(
        st.sampled_from(list("あ清 \t\r\n#+=-1.)*_[]<>|~&`\\x9")) | st.characters(), max_size=30
    )
)
def test_text_with_nothing_markdown_reads_is_returned_as_it_is_and_the_rest_escaped(
    text: str,
) -> None:
    """The shortcut for plain text (most cards) gives what escaping every line gives."""
    assert md_escape(text) == _escaped_line_by_line(text)
