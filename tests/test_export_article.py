"""Issue 9: the newsletter article (``export --format article`` / ``article-docx``)."""

from __future__ import annotations

import html
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chie_kokan.cli import main
from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine
from chie_kokan.export import render_article
from chie_kokan.i18n import t
from chie_kokan.models import Session
from export_helpers import FIXTURES, contains_name, docx_text, fixture, people_spoken_of, shows
from test_export_privacy import _meeting, docx_parts

SHIMIZU = FIXTURES / "shimizu-session.toml"
RIVERSIDE = FIXTURES / "riverside-session.toml"


def test_article_tells_what_was_discussed_what_works_and_whom_to_contact() -> None:
    assert main(["export", str(SHIMIZU), "--format", "article"]) == 0
    text = Path("exports/2026-11-27-article.md").read_text(encoding="utf-8")
    assert text.startswith("# 「買い物と移動」をテーマに、地域の支え合いを話し合いました\n")
    assert "令和8年11月27日（金）" in text
    for heading in ("## 話し合ったこと", "## 地域ですでに行われている取り組み"):
        assert heading in text
    assert "- 買い物に行けない" in text  # a picked trouble
    assert "- 団地の集会所で、毎週木曜に移動販売車が来ている" in text  # a success example
    assert "  - 運営: NPO法人 たすけあいの会と地元スーパー" in text
    assert "  - 場所: 第三団地 集会所前" in text
    assert "高齢支援課 地域包括ケア推進係までお問い合わせください" in text
    # Nothing of the case, nothing of who said what.
    session = fixture("shimizu")
    assert session.scenario.case is not None
    for detail in session.scenario.case.details:
        assert detail not in text
    assert "清水" not in text and "山田" not in text


def test_article_in_word_has_the_minutes_page_layout() -> None:
    assert main(["export", str(SHIMIZU), str(RIVERSIDE), "--format", "article-docx"]) == 0
    data = Path("exports/2026-11-27-merged-article.docx").read_bytes()
    document = docx.Document(Path("exports/2026-11-27-merged-article.docx"))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    title = "「買い物と移動」をテーマに、地域の支え合いを話し合いました"
    assert document.core_properties.title == title
    assert section.header.paragraphs[0].text.startswith(title)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["話し合ったこと", "地域ですでに行われている取り組み", "参加・お問い合わせ"]
    text = docx_text(data)
    assert "Isolation in cold weather" in text and "買い物に行けない" in text
    assert "清水" not in text + docx_parts(data)


def test_article_in_english() -> None:
    text = render_article([fixture("riverside")]).decode("utf-8")
    assert text.startswith('# Neighbours share ideas on "Staying connected in winter"\n')
    assert "## How to get involved" in text


@pytest.mark.parametrize("fmt", ["article", "article-docx"])
def test_a_template_does_not_apply_to_the_article(
    fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("mine.md.j2").write_text("{{ title }}", encoding="utf-8")
    assert main(["export", str(SHIMIZU), "--format", fmt, "--template", "mine.md.j2"]) == 2
    err = capsys.readouterr().err
    assert t("export.template_article") in err and "Traceback" not in err
    assert not Path("exports").exists()


# -- the property: no name reaches the article, however it was written ----------


def _meeting_spoken_of(
    clock: ManualClock, people: dict[str, object], language: str, text: str
) -> Session:
    """A meeting whose details, picked trouble and success examples all speak of ``text``."""
    engine = SessionEngine(_meeting(clock, {"language": language, **people}), clock)
    engine.update_details(place=text, secretariat=text, table=text)
    engine.next_step()  # share
    trouble = engine.record_card(text)
    engine.next_step()  # pick
    engine.set_picked(trouble.id, True)
    engine.go_to_step(4)  # spread
    engine.record_card(text, runs_by=text, place=text)
    engine.record_card(f"{text}の見守り", speaker=None, runs_by=text, place=text)
    return engine.session


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), language=st.sampled_from(["ja", "en"]))
def test_no_member_case_or_private_name_reaches_the_article(
    data: st.DataObject, language: str, clock: ManualClock
) -> None:
    people, said, text = data.draw(people_spoken_of())
    session = _meeting_spoken_of(clock, people, language, text)
    scenario = session.scenario
    names = [m.name for m in session.members] + list(scenario.private_names)
    assert scenario.case is not None
    names.append(scenario.case.name)
    markdown = render_article([session]).decode("utf-8")
    word = render_article([session], "article-docx")
    # Not vacuous: the picked trouble and both examples (each with who and where) are there.
    assert markdown.count("\n- ") == 3 and markdown.count("\n  - ") == 4, markdown
    for fmt, output in (
        ("article", markdown),
        ("article-docx", docx_text(word) + docx_parts(word)),
    ):
        output = html.unescape(output)
        leaked = [m for m in said if shows(output, m)]
        assert not leaked, (fmt, leaked)
        assert not [n for n in names if contains_name(output, n)], fmt
