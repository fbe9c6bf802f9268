"""``resources --format html``: the public resource file as one web page for the council's site."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chie_kokan.cli import main
from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import render_resources
from chie_kokan.models import Resource, Scenario, Session, StepKind
from export_helpers import FIXTURES, people_spoken_of, shows

SHIMIZU = FIXTURES / "shimizu-session.toml"


def _resources(clock: ManualClock, scenario: Scenario, *resources: Resource) -> Session:
    """A meeting whose spread step recorded these resources, each on its own card."""
    engine = SessionEngine(new_session(scenario, session_id="2026-11-27-清水", clock=clock), clock)
    engine.begin()
    engine.go_to_step(next(i for i, s in enumerate(engine.steps) if s.kind is StepKind.SPREAD))
    for resource in resources:
        card = engine.record_card(resource.name, runs_by="中村 里美")
        engine.mark_resource(card.id, resource)
    engine.finish()
    return engine.session


@pytest.fixture
def page(clock: ManualClock, shimizu: Scenario) -> str:
    session = _resources(
        clock,
        shimizu,
        Resource(name="ふれあいサロン", category="居場所", where="第三団地", publishable=True),
        Resource(
            name="移動販売",
            category="買い物支援",
            where="駅前",
            contact="中村（たすけあいの会）042-000-0000",
            offers="<b>食料品</b> & 日用品",
            publishable=True,
        ),
        Resource(name="配食サービス", category="買い物支援", where="第三団地", publishable=True),
        Resource(name="朝のラジオ体操", category="買い物支援", publishable=True),
        Resource(name="山田さんの畑", category="居場所", where="第三団地", publishable=False),
        Resource(name="ゴミ出し当番表", publishable=True),
    )
    return render_resources([session], "html", "ja").decode("utf-8")


def test_one_public_page_grouped_by_category_then_area(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    assert "<h1>地域資源ファイル（公開版）</h1>" in page
    headings = re.findall(r"<h([234])[^>]*>([^<]*)</h\1>", page)
    assert headings == [
        ("2", "居場所"),
        ("3", "第三団地"),
        ("4", "ふれあいサロン"),
        ("2", "買い物支援"),
        ("3", "駅前"),
        ("4", "移動販売"),
        ("3", "第三団地"),
        ("4", "配食サービス"),
        ("3", "場所の記載なし"),
        ("4", "朝のラジオ体操"),
        ("2", "未分類"),
        ("3", "場所の記載なし"),
        ("4", "ゴミ出し当番表"),
    ]
    # Only what may be published, names withheld, a member running it by organisation.
    assert "山田さんの畑" not in page and "山田" not in page and "中村" not in page
    assert "○○（たすけあいの会）042-000-0000" in page
    assert "<dt>運営</dt><dd>NPO法人 たすけあいの会</dd>" in page
    assert "2026-11-27-清水" not in page  # no session id: it comes from a file name
    # People's text is text: escaped, never markup.
    assert "&lt;b&gt;食料品&lt;/b&gt; &amp; 日用品" in page and "<b>" not in page


def test_the_page_is_self_contained_and_has_an_offline_search(page: str) -> None:
    assert re.search(r"https?:|//[a-z]", page, re.IGNORECASE) is None
    assert not re.search(r"\b(src|href|action)\s*=|@import|url\(", page, re.IGNORECASE)
    # The browser is told too: nothing may be loaded from anywhere.
    assert "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'" in page
    assert '<input type="search" id="q"' in page and '<label for="q">検索</label>' in page
    script = page[page.index("<script>") : page.index("</script>")]
    assert 'addEventListener("input", filter)' in script
    assert "compositionend" in script  # a Japanese IME's committed conversion filters too
    assert 'normalize("NFKC")' in script  # full- and half-width are the same letters
    assert "<style>" in page and "<link" not in page


def test_empty_page(clock: ManualClock, shimizu: Scenario) -> None:
    page = render_resources([_resources(clock, shimizu)], "html", "en").decode("utf-8")
    assert "No local resources recorded yet." in page and "<article" not in page


def test_the_command_writes_the_public_page_even_without_public(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["resources", str(SHIMIZU), "--format", "html"]) == 0
    assert "resources-public.html" in capsys.readouterr().out
    page = Path("exports/resources-public.html").read_text(encoding="utf-8")
    assert "移動販売（第三団地）" in page  # publishable
    assert "老人クラブの「買い物ついで散歩」" not in page  # not marked publishable
    assert "shimizu" not in page and "清水" not in page
    assert main(["resources", str(SHIMIZU), "--format", "html", "--public"]) == 2  # exists
    assert main(["resources", str(SHIMIZU), "--format", "html", "--force"]) == 0


def test_the_help_names_html(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["resources", "--help"])
    assert "html" in capsys.readouterr().out


# -- the property: whatever the names, the page shows none, and only what may be published


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), language=st.sampled_from(["ja", "en"]))
def test_no_name_and_nothing_unpublishable_on_the_page(
    data: st.DataObject, language: str, clock: ManualClock
) -> None:
    people, said, text = data.draw(people_spoken_of())
    scenario = Scenario.model_validate(
        {"title": "知恵交換会", "theme": "見守り", "language": language, **people}
    )
    engine = SessionEngine(new_session(scenario, session_id="s", clock=clock), clock)
    engine.begin()
    engine.go_to_step(next(i for i, s in enumerate(engine.steps) if s.kind is StepKind.SPREAD))
    publishable = data.draw(st.lists(st.booleans(), min_size=1, max_size=4))
    for index, public in enumerate(publishable):
        # Each resource's name carries a marker no name can contain, so it can be found.
        marker = f"Marker{index}{'P' if public else 'X'}"
        member = data.draw(st.sampled_from([m.id for m in engine.members]))
        engine.choose_speaker(member)
        card = engine.record_card(f"{marker} {text}", runs_by=text, place=text)
        engine.mark_resource(
            card.id,
            Resource(
                name=f"{marker} {text}",
                category=text,
                serves=text,
                where=text,
                contact=text,
                offers=text,
                checked=text,
                publishable=public,
            ),
        )
    page = html.unescape(render_resources([engine.session], "html").decode("utf-8"))
    leaked = [m for m in said if shows(page, m)]
    assert not leaked, leaked
    for index, public in enumerate(publishable):
        assert (f"Marker{index}P" in page) is public
        assert f"Marker{index}X" not in page
