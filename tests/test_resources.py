"""The resource file (地域資源ファイル) across sessions: records, dedup, CSV and Markdown."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import render_resources, resource_records
from chie_kokan.i18n import t
from chie_kokan.models import Resource, Scenario, Session, StepKind
from export_helpers import fixture


def _next_month(clock: ManualClock, shimizu: Scenario) -> Session:
    """A later meeting that learns more about two known resources and one new one."""
    clock.advance(timedelta(days=28).total_seconds())
    engine = SessionEngine(
        new_session(shimizu, session_id="2026-12-25-shimizu", clock=clock), clock
    )
    engine.begin()
    spread = next(i for i, s in enumerate(engine.steps) if s.kind is StepKind.SPREAD)
    engine.go_to_step(spread)
    engine.choose_speaker("p6")  # 商工会
    engine.choose_speaker("p6")  # chosen again: keeps the floor for all four cards
    # The same resource, written with half-width brackets: one record.
    card = engine.record_card("移動販売が金曜にも来るようになった")
    engine.mark_resource(
        card.id,
        Resource(
            name="移動販売(第三団地)",
            category="買い物支援",
            when="毎週木曜・金曜 10:00〜11:30",
            publishable=True,
            checked="2026-12",
        ),
    )
    # The same success example with a new place: later wins.
    engine.record_card("老人クラブの「買い物ついで散歩」", place="駅南口商店街")
    # A bare example of a known resource must not wipe what was entered as details.
    engine.record_card("移動販売（第三団地）", place="集会所の裏")
    engine.record_card('=HYPERLINK("http://example.com")', runs_by="-1+1")
    engine.finish()
    return engine.session


@pytest.fixture
def sessions(clock: ManualClock, shimizu: Scenario) -> list[Session]:
    # Given newest first on purpose: the order of the files does not matter, dates do.
    return [_next_month(clock, shimizu), fixture("shimizu"), fixture("riverside")]


def test_records_come_from_examples_and_resource_cards(sessions: list[Session]) -> None:
    records = resource_records(sessions[1:], "ja")
    assert [r.name for r in records] == [
        "移動販売（第三団地）",
        "老人クラブの「買い物ついで散歩」",
        "Handyperson scheme changes bulbs and fits grab rails",
    ]
    walk = records[1]
    # A spread card without resource details: named by its text, place and runner from the card.
    assert (walk.where, walk.offers, walk.runs_by) == (
        "駅北口商店街",
        "老人クラブの「買い物ついで散歩」",
        "老人クラブ連合会",
    )
    assert walk.category == "" and not walk.publishable
    assert [(s.session_id, s.date, s.organization) for s in walk.sources] == [
        ("2026-11-27-shimizu", "2026-11-27", "老人クラブ連合会")
    ]
    english = records[2]
    assert english.sources[0].table == "Table B"


def test_same_name_merges_later_fields_win_sources_kept(sessions: list[Session]) -> None:
    records = {r.name: r for r in resource_records(sessions, "ja")}
    sale = records["移動販売(第三団地)"]  # the later spelling
    assert sale.when == "毎週木曜・金曜 10:00〜11:30"  # later, non-empty: wins
    assert sale.contact == "たすけあいの会 042-000-0000"  # later is empty: kept
    assert sale.where == "第三団地 集会所前"  # a bare example does not overwrite details
    assert sale.checked == "2026-12"
    assert [(s.session_id, s.organization) for s in sale.sources] == [
        ("2026-11-27-shimizu", "NPO法人 たすけあいの会"),
        ("2026-12-25-shimizu", "商工会"),
    ]
    walk = records["老人クラブの「買い物ついで散歩」"]
    assert walk.where == "駅南口商店街"
    assert walk.runs_by == "老人クラブ連合会"  # the later card left it empty
    assert len(walk.sources) == 2
    assert len(records) == 4


def test_csv_has_bom_one_header_and_one_row_per_resource(sessions: list[Session]) -> None:
    data = render_resources(sessions, "csv", "ja")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[0]
    assert header[:3] == ["名称", "分類", "対象"]
    assert header[-3:] == ["出典セッション", "日付", "情報提供団体"]
    assert len(rows) == 1 + 4
    sale = next(row for row in rows if row[0] == "移動販売(第三団地)")
    record = dict(zip(header, sale, strict=True))
    assert record["公開可"] == "はい"
    assert record["出典セッション"] == "2026-11-27-shimizu; 2026-12-25-shimizu"
    assert record["日付"] == "2026-11-27; 2026-12-25"
    assert record["情報提供団体"] == "NPO法人 たすけあいの会; 商工会"
    # A card's text never becomes a spreadsheet formula.
    formula = next(row for row in rows if "HYPERLINK" in row[0])
    assert formula[0].startswith("'=")
    assert dict(zip(header, formula, strict=True))["運営"] == "'-1+1"


def test_csv_headers_in_english() -> None:
    data = render_resources([fixture("riverside")], "csv", "en")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == [
        t(f"export.col_{name}", "en")
        for name in (
            "name", "category", "serves", "when", "where", "fee", "contact", "offers",
            "publishable", "checked", "runs_by", "sessions", "dates", "organizations",
        )
    ]  # fmt: skip
    assert header[0] == "Name"


def test_markdown_is_grouped_by_category(sessions: list[Session]) -> None:
    text = render_resources(sessions, "md", "ja").decode("utf-8")
    assert text.startswith("# 地域資源ファイル\n\n話し合いで分かった地域資源 4件")
    assert "2026-11-27〜2026-12-25" in text
    shopping, uncategorised = text.index("## 買い物支援"), text.index("## 未分類")
    assert shopping < text.index("### 移動販売(第三団地)") < uncategorised
    assert uncategorised < text.index("### 老人クラブの「買い物ついで散歩」")
    assert "- 連絡先: たすけあいの会 042-000-0000" in text
    assert "- 公開可: はい" in text
    assert "- 出典: 2026-11-27 NPO法人 たすけあいの会（2026-11-27-shimizu）、" in text


def test_no_resources_yet(clock: ManualClock, shimizu: Scenario) -> None:
    engine = SessionEngine(new_session(shimizu, session_id="empty", clock=clock), clock)
    engine.begin()
    text = render_resources([engine.session], "md", "ja").decode("utf-8")
    assert "まだ地域資源の記録はありません" in text
    rows = list(
        csv.reader(io.StringIO(render_resources([engine.session], "csv").decode("utf-8-sig")))
    )
    assert len(rows) == 1


# -- the public resource file (--public) ----------------------------------------


def _with_contacts(clock: ManualClock, shimizu: Scenario) -> Session:
    """Two resources whose details name people: one may be published, one may not."""
    engine = SessionEngine(new_session(shimizu, session_id="2026-11-27-清水", clock=clock), clock)
    engine.begin()
    spread = next(i for i, s in enumerate(engine.steps) if s.kind is StepKind.SPREAD)
    engine.go_to_step(spread)
    engine.choose_speaker("p8")  # 中村 里美, NPO法人 たすけあいの会
    card = engine.record_card("清水さんも使っている配食サービス", runs_by="中村 里美")
    engine.mark_resource(
        card.id,
        Resource(
            name="配食サービス「たすけあい弁当」",
            serves="清水さんのような一人暮らしの方",
            contact="中村（たすけあいの会）042-000-0000",
            offers="佐藤さんの店の弁当を届ける",
            publishable=True,
        ),
    )
    private = engine.record_card("山田さんの庭の野菜を分ける会")
    engine.mark_resource(
        private.id,
        Resource(name="野菜を分ける会", contact="山田 花子 090-0000-0000", publishable=False),
    )
    engine.finish()
    return engine.session


def test_public_resource_file_lists_only_publishable_resources_without_names(
    clock: ManualClock, shimizu: Scenario
) -> None:
    session = _with_contacts(clock, shimizu)
    data = render_resources([session], "csv", "ja", public=True)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[0]
    assert "出典セッション" not in header and "公開可" not in header
    assert header[-2:] == ["日付", "情報提供団体"]
    records = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    assert [r["名称"] for r in records] == ["配食サービス「たすけあい弁当」"]
    record = records[0]
    assert record["対象"] == "Aさんのような一人暮らしの方"
    assert record["連絡先"] == "○○（たすけあいの会）042-000-0000"  # the number survives
    assert record["内容"] == "○○さんの店の弁当を届ける"
    assert record["運営"] == "NPO法人 たすけあいの会"  # a member is shown by organisation
    assert (record["日付"], record["情報提供団体"]) == ("2026-11-27", "NPO法人 たすけあいの会")
    text = render_resources([session], "md", "ja", public=True).decode("utf-8")
    assert text.startswith("# 地域資源ファイル（公開版）\n")
    assert "- 連絡先: ○○（たすけあいの会）042-000-0000" in text
    assert "- 出典: 2026-11-27 NPO法人 たすけあいの会\n" in text
    for shown in (data.decode("utf-8-sig"), text):
        for secret in ("清水", "中村", "佐藤", "山田", "090-0000-0000", "野菜", "shimizu"):
            assert secret not in shown, secret
    # The internal file is unchanged: everything, with its sources.
    internal = render_resources([session], "md", "ja").decode("utf-8")
    assert "山田 花子 090-0000-0000" in internal and "（2026-11-27-清水）" in internal


def test_public_resource_file_in_english(riverside: Scenario, clock: ManualClock) -> None:
    text = render_resources([fixture("riverside")], "md", "en", public=True).decode("utf-8")
    assert text.startswith("# Local resource file (public version)\n")
    assert "riverside" not in text


def test_public_resources_named_after_different_people_stay_apart(
    clock: ManualClock, shimizu: Scenario
) -> None:
    engine = SessionEngine(new_session(shimizu, session_id="s", clock=clock), clock)
    engine.begin()
    for text in ("山田さんの畑", "佐藤さんの畑"):
        card = engine.record_card(text)
        engine.mark_resource(card.id, Resource(name=text, offers=text, publishable=True))
    records = resource_records([engine.session], "ja", public=True)
    assert [(r.name, r.offers) for r in records] == [("○○さんの畑", "○○さんの畑")] * 2
