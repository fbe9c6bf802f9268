"""The public version leaks no name, however it is written, in any format or file name."""

from __future__ import annotations

import html
import io
import re
import unicodedata
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, members_from_roster, new_session
from chie_kokan.export import render_minutes, render_resources
from chie_kokan.models import Resource, Roles, Scenario, Session
from export_helpers import contains_name, docx_text, fixture, personal_names


def public_texts(sessions: list[Session]) -> dict[str, str]:
    """The public minutes as a reader sees them: md, html (unescaped), docx (every part)."""
    out = {}
    for fmt in ("md", "html", "docx"):
        data = render_minutes(sessions, fmt, redact=True)  # type: ignore[arg-type]
        if fmt == "docx":
            out[fmt] = docx_text(data) + "\n" + docx_parts(data)
        else:
            out[fmt] = data.decode("utf-8")
    out["html"] = html.unescape(out["html"])
    return out


def docx_parts(data: bytes) -> str:
    """Every XML part of a Word file (metadata included), tags stripped, entities read."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")]
    return html.unescape(re.sub(r"<[^>]+>", " ", "\n".join(xml)))


def _meeting(clock: ManualClock, data: dict[str, object], *texts: str) -> Session:
    scenario = Scenario.model_validate({"title": "知恵交換会", "theme": "見守り", **data})
    session = new_session(
        scenario,
        session_id="s",
        members=members_from_roster(scenario.participants),
        clock=clock,
    )
    engine = SessionEngine(session, clock)
    engine.begin()
    for text in texts:
        engine.record_card(text, speaker=None)
    return engine.session


ROSTER = [
    {"name": "山田花子", "organization": "第三団地自治会"},  # written without a space
    {"name": "林 健", "organization": "地域包括支援センター"},  # one-kanji parts
    {"name": "Tanaka Ken", "organization": "NPO法人 たすけあいの会"},
]


def test_names_in_any_width_case_or_spacing_are_withheld_and_the_rest_stays(
    clock: ManualClock,
) -> None:
    card = (
        "ＴＡＮＡＫＡさんとtanakaさん、ｼﾐｽﾞさん、山田さんと花子さん、林さんと健くん、"
        "山田　花子さん、Ｋｅｎ　Ｔａｎａｋａさん ① ｶﾞｷﾞ ＡＢＣ"
    )
    session = _meeting(
        clock, {"participants": ROSTER, "private_names": ["シミズ"]}, card, "森林と健康"
    )
    expected = (
        "○○さんと○○さん、○○さん、○○さんと○○さん、○○さんと○○くん、○○さん、○○　○○さん ① ｶﾞｷﾞ ＡＢＣ"
    )
    for fmt, text in public_texts([session]).items():
        assert expected in text, fmt
        assert "森林と健康" in text, fmt  # one kanji alone is not taken for a name


def test_one_kanji_name_parts_go_before_honorifics_and_titles(clock: ManualClock) -> None:
    session = _meeting(
        clock,
        {"participants": ROSTER},
        "林様、林委員、健ちゃん、林 さん、林会長のお子さんと息子さん",
    )
    for fmt, text in public_texts([session]).items():
        assert "○○様、○○委員、○○ちゃん、○○ さん、○○会長のお子さんと息子さん" in text, fmt


def test_private_and_case_names_have_their_parts_withheld_too(clock: ManualClock) -> None:
    session = _meeting(
        clock,
        {
            "participants": ROSTER,
            "private_names": ["清水トメ", "大川 次郎"],
            "case": {"name": "清水さん"},
        },
        "トメさんと清水トメさん、次郎さん、ｵｵｶﾜさん",
    )
    for fmt, text in public_texts([session]).items():
        # 大川 written in kana cannot be known for the same name.
        assert "AさんとAさん、○○さん、ｵｵｶﾜさん" in text, fmt


def test_role_holders_outside_the_roster_are_withheld_in_the_text(clock: ManualClock) -> None:
    session = _meeting(clock, {"participants": ROSTER}, "記録は木下さんにお願いした")
    session = session.model_copy(update={"roles": Roles(minute_taker="木下 恵子")})
    for fmt, text in public_texts([session]).items():
        assert "記録は○○さんにお願いした" in text, fmt


def _unspaced(session: Session) -> Session:
    """The same meeting with every roster name written without its space."""

    def join(name: str) -> str:
        return "".join(name.split())

    scenario = session.scenario.model_copy(
        update={
            "participants": [
                p.model_copy(update={"name": join(p.name)}) for p in session.scenario.participants
            ]
        }
    )
    roles = session.roles.model_copy(
        update={
            name: join(getattr(session.roles, name))
            for name in ("facilitator", "timekeeper", "board_writer", "minute_taker")
        }
    )
    members = [m.model_copy(update={"name": join(m.name)}) for m in session.members]
    return session.model_copy(update={"scenario": scenario, "members": members, "roles": roles})


def test_unspaced_roster_names_eat_no_ordinary_word_of_the_shipped_scenario() -> None:
    spaced = fixture("shimizu")
    unspaced = _unspaced(spaced)
    assert "山田花子" in [p.name for p in unspaced.scenario.participants]
    # Organisation-only public minutes: the same document, whether the roster has spaces.
    for fmt in ("md", "html"):
        assert render_minutes([unspaced], fmt, redact=True) == render_minutes(
            [spaced], fmt, redact=True
        ), fmt
    for fmt, text in public_texts([unspaced]).items():
        leaked = [n for n in personal_names(spaced) if contains_name(text, n)]
        assert not leaked, (fmt, leaked)


def test_folding_keeps_every_other_character_as_written() -> None:
    from chie_kokan.export.redact import Redactor

    redact = Redactor({"シミズ": "○○", "Tanaka": "○○"})
    text = "①ｼﾐｽﾞ㍻ｶﾞ\u3000ＴａｎａｋａＸ tanaka. ﾃﾞｽ"
    assert redact(text) == "①○○㍻ｶﾞ\u3000ＴａｎａｋａＸ ○○. ﾃﾞｽ"
    assert redact("シミス\u3099") == "○○"  # a combining voicing mark is part of ズ
    assert unicodedata.normalize("NFKC", "Ｘ") == "X"


# -- the property: however a known name is written, no format shows it -----------

SURNAMES = ["山田", "佐藤", "清水", "高橋", "林", "森", "長谷川"]
GIVEN = ["花子", "健", "誠", "一郎", "トメ", "さくら", "ミドリ"]
LATIN_SURNAMES = ["Tanaka", "Baker", "Okafor", "Lee"]
LATIN_GIVEN = ["Ken", "Mary", "Jo"]
HONORIFICS = ["さん", "様", "くん", "ちゃん", "氏", "委員", "さん"]
SEPARATORS = ["、", "。", " ", "と", "\n", "（", "）"]
# Half-width katakana for each full-width one (ｶﾞ for ガ): how NFKC reads them.
_HALF = {
    unicodedata.normalize("NFKC", c + mark): c + mark
    for c in map(chr, range(0xFF66, 0xFF9E))
    for mark in ("", "\uff9e", "\uff9f")
    if len(unicodedata.normalize("NFKC", c + mark)) == 1
}


@st.composite
def written(draw: st.DrawFn, text: str) -> str:
    """``text`` as someone may type it: full- or half-width, any case."""
    out = []
    for char in text:
        if char.isascii() and char.isalpha():
            char = draw(st.sampled_from([char, char.upper(), char.lower()]))
            if draw(st.booleans()):
                char = chr(ord(char) + 0xFEE0)  # Ａ
        elif char in _HALF and draw(st.booleans()):
            char = _HALF[char]  # ｼ
        out.append(char)
    return "".join(out)


@st.composite
def person(draw: st.DrawFn) -> tuple[str, str, str, bool]:
    """(roster name, surname, given name, Latin?)."""
    if draw(st.booleans()):
        surname, given_name = (
            draw(st.sampled_from(LATIN_SURNAMES)),
            draw(st.sampled_from(LATIN_GIVEN)),
        )
        return f"{given_name} {surname}", surname, given_name, True
    surname, given_name = draw(st.sampled_from(SURNAMES)), draw(st.sampled_from(GIVEN))
    space = draw(st.sampled_from([" ", "\u3000", ""]))  # the roster may have no space at all
    return f"{surname}{space}{given_name}", surname, given_name, False


@st.composite
def mentions(draw: st.DrawFn, people: list[tuple[str, str, str, bool]]) -> list[str]:
    """How the meeting spoke of these people: full names and parts, each as typed.

    A person known by surname only (the case person as 清水さん) is spoken of by it.
    """
    out = []
    for _, surname, given_name, latin in people:
        space = draw(st.sampled_from(["", " ", "\u3000"]))
        full = f"{given_name} {surname}" if latin else f"{surname}{space}{given_name}"
        if given_name:
            out.append(draw(written(full)))
        for part in filter(None, (surname, given_name)):
            # Latin parts and Japanese ones of two or more characters with a kanji
            # (or three kana) are names anywhere; shorter ones with an honorific.
            bare_ok = latin or len(part) >= 3 or (len(part) == 2 and not part.isalpha())
            bare_ok = bare_ok or (len(part) == 2 and any("\u4e00" <= c <= "\u9fff" for c in part))
            honorific = "" if bare_ok and draw(st.booleans()) else draw(st.sampled_from(HONORIFICS))
            if latin and honorific:
                honorific = "さん"
            out.append(draw(written(part)) + honorific)
    return out


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _shows(text: str, mention: str) -> bool:
    """Whether the folded ``text`` holds the folded ``mention`` (Latin: as a word)."""
    needle = re.escape(_folded(mention))
    if re.match(r"[a-z]", _folded(mention)):
        needle = rf"(?<![a-z]){needle}(?![a-z])"
    return re.search(needle, _folded(text)) is not None


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), language=st.sampled_from(["ja", "en"]))
def test_no_known_name_survives_in_any_format_however_it_is_written(
    data: st.DataObject, language: str, clock: ManualClock
) -> None:
    roster = data.draw(st.lists(person(), min_size=1, max_size=3, unique_by=lambda p: p[0]))
    case = data.draw(person())
    if data.draw(st.booleans()):  # 清水さん, Mr Baker: the given name is not known
        case = (case[1], case[1], "", case[3])
    private = data.draw(person())
    everyone = [*roster, case, private]
    # Different people may share a surname: each name part is withheld for someone.
    said = data.draw(mentions(everyone))
    separator = data.draw(st.sampled_from(SEPARATORS))
    text = separator.join(said)
    case_name = f"Mr {case[0]}" if case[3] else f"{case[0]}さん"
    session = _meeting(
        clock,
        {
            "language": language,
            "participants": [
                {"name": name, "organization": "自治会" if i else "Residents' association"}
                for i, (name, *_) in enumerate(roster)
            ],
            "case": {"name": case_name, "summary": case[0]},
            "private_names": [private[0]],
        },
    )
    engine = SessionEngine(session, clock)
    engine.update_details(place=text, secretariat=text)
    engine.next_step()
    card = engine.record_card(text, runs_by=text, place=text)
    engine.mark_resource(card.id, Resource(name=text, contact=text, offers=text, publishable=True))
    engine.add_action(text, who=text, due=text)
    shown = public_texts([engine.session])
    for fmt in ("md", "csv"):
        resources = render_resources([engine.session], fmt, public=True).decode("utf-8-sig")
        shown[f"resources.{fmt}"] = resources
    for fmt, output in shown.items():
        leaked = [m for m in said if _shows(output, m)]
        assert not leaked, (fmt, leaked)
