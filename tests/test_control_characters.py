"""Control characters never reach the projector's terminal or the minutes.

A participant name or a card with ``\\x1b]0;…\\x07`` or ``\\x1b[2J`` in it would
retitle and wipe the terminal the room is looking at. Every free-text field of
the scenario and session models shows such characters as visible stand-ins
(Control Pictures, U+FFFD for C1), once, when the text enters a model: from a
file, from the setup screen or through the engine.
"""

from __future__ import annotations

import io
import zipfile
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chie_kokan.cli import main
from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.export import render_minutes, render_resources
from chie_kokan.models import Resource, Roles, Scenario, Session
from chie_kokan.models.base import visible_controls
from chie_kokan.storage import load_scenario, load_session, save_session, session_text
from text_helpers import CONTROL

FIXTURES = Path(__file__).parent / "fixtures"

RETITLE = "\x1b]0;pwned\x07"
WIPE = "\x1b[2J\x1b[H"
HOSTILE = f"{RETITLE}山田{WIPE}\x00\x08\x7f\x85\x9b31m"


def no_controls(text: str, *, crlf: bool = False) -> bool:
    """No control character, except newline, tab (and CR-LF line ends if allowed)."""
    if crlf:
        text = text.replace("\r\n", "\n")
    return CONTROL.search(text) is None


# -- the cleaning itself --------------------------------------------------------


def test_each_control_character_has_its_visible_stand_in() -> None:
    assert visible_controls("\x00") == "\u2400"  # ␀
    assert visible_controls("\x07") == "\u2407"  # ␇
    assert visible_controls("\x1b") == "\u241b"  # ␛
    assert visible_controls("\x1f") == "\u241f"
    assert visible_controls("\x7f") == "\u2421"  # ␡
    for code in range(0x80, 0xA0):
        assert visible_controls(chr(code)) == "\ufffd"
    assert visible_controls(RETITLE) == "\u241b]0;pwned\u2407"


def test_line_ends_become_newlines_and_tabs_stay() -> None:
    assert visible_controls("a\r\nb\rc\nd\te") == "a\nb\nc\nd\te"
    assert visible_controls("\r\r\n\n") == "\n\n\n"


def test_everything_else_is_left_alone() -> None:
    kept = "清水さん ＡＢ１ ｶﾀｶﾅ 😀👨‍👩‍👧 \u00a0\u200b\u3000 é \u2028 ␛ \ufffd {case} \"'\\"
    assert visible_controls(kept) == kept


@settings(max_examples=300)
@given(st.text(st.characters(exclude_categories=["Cs"])))
def test_any_text_comes_out_without_control_characters_and_cleaning_is_idempotent(
    text: str,
) -> None:
    clean = visible_controls(text)
    assert no_controls(clean) and "\r" not in clean
    assert visible_controls(clean) == clean


@settings(max_examples=300)
@given(st.text(st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from("\n\t")))
def test_text_without_control_characters_is_unchanged(text: str) -> None:
    assert visible_controls(text) == text


# -- every free-text field of every model ----------------------------------------

# Strings that are not free text: choices from a fixed list, and the session's
# id (a file-name stem: refused rather than cleaned, see test_session_id.py).
NOT_FREE_TEXT = {"language"}


def poisoned(value: Any, path: tuple[str | int, ...] = ()) -> Any:
    """``value`` with HOSTILE added to every free-text string, however deep."""
    if isinstance(value, dict):
        return {key: poisoned(item, (*path, key)) for key, item in value.items()}
    if isinstance(value, list):
        return [poisoned(item, (*path, index)) for index, item in enumerate(value)]
    if type(value) is str and path[-1] not in NOT_FREE_TEXT and path != ("id",):
        return value + HOSTILE
    return value


def strings(value: Any, path: str = "") -> list[tuple[str, str]]:
    """Every (field path, string) of a dumped model."""
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in strings(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [pair for i, item in enumerate(value) for pair in strings(item, f"{path}[{i}]")]
    if isinstance(value, str) and not isinstance(value, Enum):
        return [(path, value)]
    return []


def full_session(clock: ManualClock, shimizu: Scenario) -> Session:
    """A session with something in every text field the models have."""
    engine = SessionEngine(new_session(shimizu, session_id="s", clock=clock), clock)
    engine.update_details(
        place="公民館",
        table="A",
        secretariat="事務局",
        roles=Roles(
            facilitator="司会", timekeeper="計時", board_writer="板書", minute_taker="記録"
        ),
    )
    engine.add_walk_in("飛び入り", "NPO")
    engine.begin()
    engine.next_step()
    card = engine.record_card("困りごと", runs_by="運営", place="場所")
    engine.mark_resource(
        card.id,
        Resource(
            name="名",
            category="分類",
            serves="対象",
            when="いつ",
            where="どこ",
            fee="無料",
            contact="連絡",
            offers="内容",
            checked="確認",
        ),
    )
    engine.next_step()
    engine.group_cards("まとめ", [card.id])
    engine.add_action("やること", "だれ", "いつまで")
    return engine.session


def test_every_text_field_of_a_session_and_its_scenario_is_cleaned(
    clock: ManualClock, shimizu: Scenario
) -> None:
    data = poisoned(full_session(clock, shimizu).model_dump())
    dirty = [path for path, text in strings(data) if not no_controls(text)]
    assert len(dirty) > 40  # the poisoning reached every kind of field
    session = Session.model_validate(data)
    texts = strings(session.model_dump())
    assert [path for path, text in texts if not no_controls(text)] == []
    # Cleaned, not dropped: each poisoned field now ends in the visible stand-ins.
    stand_ins = visible_controls(HOSTILE)
    assert {path for path, text in texts if text.endswith(stand_ins)} >= set(dirty)


def test_a_scenario_file_with_escape_sequences_loads_with_them_visible(tmp_path: Path) -> None:
    text = (
        'schema = 1\ntitle = "題\\u001b]0;x\\u0007"\ntheme = "\\u001b[2J買い物"\n'
        '[case]\nname = "清水\\u0000さん"\nsummary = "一行目\\r\\n二行目"\n'
        '[[participants]]\nname = "山田\\u009b31m"\n'
    )
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.title == "題␛]0;x␇"
    assert scenario.theme == "␛[2J買い物"
    assert scenario.case is not None and scenario.case.name == "清水␀さん"
    assert scenario.case.summary == "一行目\n二行目"
    assert scenario.participants[0].name == "山田\ufffd31m"
    # The default questions quote the case's name: cleaned with it.
    assert all(no_controls(q) for step in scenario.flow for q in step.questions or [])


# -- every way the engine puts text into the session -----------------------------


@pytest.fixture
def engine(clock: ManualClock, shimizu: Scenario) -> SessionEngine:
    engine = SessionEngine(new_session(shimizu, session_id="s", clock=clock), clock)
    engine.begin()
    engine.next_step()
    return engine


def assert_clean_and_saved_as_is(engine: SessionEngine, tmp_path: Path) -> None:
    texts = strings(engine.session.model_dump())
    assert [path for path, text in texts if not no_controls(text)] == []
    path = tmp_path / "saved.toml"
    save_session(engine.session, path)
    # What the screen shows now is what the file holds and gives back.
    assert load_session(path).model_dump() == engine.session.model_dump()


def test_record_card(engine: SessionEngine, tmp_path: Path) -> None:
    card = engine.record_card(HOSTILE, runs_by=WIPE + "a", place=RETITLE + "b")
    assert card.text == visible_controls(HOSTILE)
    assert_clean_and_saved_as_is(engine, tmp_path)


def test_edit_card(engine: SessionEngine, tmp_path: Path) -> None:
    card = engine.record_card("ふつう")
    engine.edit_card(card.id, HOSTILE, runs_by=WIPE + "a", place=RETITLE + "b")
    edited = engine.card(card.id)
    assert (edited.text, edited.runs_by, edited.place) == (
        visible_controls(HOSTILE),
        visible_controls(WIPE + "a"),
        visible_controls(RETITLE + "b"),
    )
    assert_clean_and_saved_as_is(engine, tmp_path)


def test_add_walk_in(engine: SessionEngine, tmp_path: Path) -> None:
    member = engine.add_walk_in(HOSTILE, WIPE + "NPO")
    assert member.name == visible_controls(HOSTILE)
    assert engine.session.members[-1].organization == visible_controls(WIPE + "NPO")
    assert_clean_and_saved_as_is(engine, tmp_path)


def test_add_action(engine: SessionEngine, tmp_path: Path) -> None:
    engine.add_action(HOSTILE, WIPE + "誰", RETITLE + "来月")
    assert_clean_and_saved_as_is(engine, tmp_path)
    assert engine.session.actions[0].what == visible_controls(HOSTILE)


def test_update_details(engine: SessionEngine, tmp_path: Path) -> None:
    engine.update_details(
        place=HOSTILE, table=WIPE, secretariat=RETITLE, roles=Roles(facilitator=HOSTILE)
    )
    assert engine.session.place == visible_controls(HOSTILE)
    assert engine.session.roles.facilitator == visible_controls(HOSTILE)
    assert_clean_and_saved_as_is(engine, tmp_path)


def test_group_title_and_resource(engine: SessionEngine, tmp_path: Path) -> None:
    card = engine.record_card("困りごと")
    engine.mark_resource(card.id, Resource(name=HOSTILE, contact=WIPE, offers=RETITLE))
    engine.next_step()
    group = engine.group_cards(HOSTILE, [card.id])
    assert group.title == visible_controls(HOSTILE)
    assert_clean_and_saved_as_is(engine, tmp_path)


def test_undo_brings_back_clean_text(engine: SessionEngine) -> None:
    card = engine.record_card(HOSTILE)
    engine.edit_card(card.id, WIPE + "x")
    engine.undo()
    assert engine.card(card.id).text == visible_controls(HOSTILE)


# -- the outputs ----------------------------------------------------------------


@pytest.fixture
def hostile(clock: ManualClock, shimizu: Scenario) -> Session:
    """A session with escape sequences and control characters in every text field."""
    return Session.model_validate(poisoned(full_session(clock, shimizu).model_dump()))


def docx_parts(data: bytes) -> list[str]:
    """The XML parts of a Word file (where any text is), as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [name for name in archive.namelist() if name.endswith((".xml", ".rels"))]
        assert any("document.xml" in name for name in names)
        return [archive.read(name).decode("utf-8") for name in names]


@pytest.mark.parametrize("redact", [False, True], ids=["internal", "public"])
def test_minutes_carry_no_control_characters(hostile: Session, redact: bool) -> None:
    for fmt in ("md", "html"):
        text = render_minutes([hostile], fmt, redact=redact).decode("utf-8")
        assert no_controls(text), fmt
        assert "␛" in text  # the hostile text is there, made visible
    for part in docx_parts(render_minutes([hostile], "docx", redact=redact)):
        assert no_controls(part, crlf=True)
    assert any("␛" in part for part in docx_parts(render_minutes([hostile], "docx")))


@pytest.mark.parametrize("fmt", ["md", "csv"])
def test_the_resource_file_carries_no_control_characters(hostile: Session, fmt: str) -> None:
    text = render_resources([hostile], fmt).decode("utf-8-sig")  # type: ignore[arg-type]
    assert no_controls(text, crlf=True)
    assert "␛" in text


def test_the_saved_session_file_carries_no_control_characters(hostile: Session) -> None:
    text = session_text(hostile)
    assert no_controls(text)
    assert "\\u001b" not in text.lower()  # not even escaped: the stand-ins are stored


# -- messages quoting what is in a file ------------------------------------------


def test_a_bad_value_in_a_message_is_escaped_never_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(
        'schema = 1\ntitle = "t"\ntheme = "t"\nlanguage = "\\u001b]0;x\\u0007"\n', encoding="utf-8"
    )
    assert main(["validate", str(path)]) == 2
    out, err = capsys.readouterr()
    assert no_controls(out + err)
    assert "\\x1b]0;x\\x07" in out  # escaped, so the author can find it


def test_a_file_name_with_control_characters_is_printed_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "\x1b[2J\x07.toml"
    path.write_text("schema = 1\ntitle = 't'\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    assert main(["validate", str(tmp_path / "missing\x1b]0;x\x07.toml")]) == 2
    out, err = capsys.readouterr()
    assert no_controls(out + err)
    assert "\\x1b[2J\\x07.toml" in out


def test_a_file_name_that_is_not_utf8_is_printed_without_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Linux file names are bytes; Python decodes the invalid ones to surrogates.
    name = tmp_path / (b"\xff\xfe.toml").decode("utf-8", "surrogateescape")
    name.write_bytes(b"schema = 1\n")
    assert main(["validate", str(name)]) == 2
    out, err = capsys.readouterr()
    (out + err).encode("utf-8")  # printable: no lone surrogates
    assert "\\udcff\\udcfe.toml" in out
