"""The session id decides where files are written: it is a safe file-name stem.

Exports are named ``<id>.md``; a session's own file is ``<id>.toml``. An id
of ``../../x`` or ``/etc/passwd`` in a hand-edited file must not reach a path,
and a scenario file with any name at all must still start a session.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from chie_kokan.cli import main
from chie_kokan.clock import ManualClock
from chie_kokan.engine import new_session
from chie_kokan.models import Scenario, Session
from chie_kokan.models.ids import MAX_ID_BYTES, MAX_ID_CHARS, safe_session_id
from chie_kokan.problems import FileError
from chie_kokan.storage import create_session_file, load_session, session_path
from chie_kokan.tui.app import make_app
from chie_kokan.tui.screens.running import RunningScreen
from test_tui_running import save_and_quit

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parent.parent

GOOD_IDS = [
    "2026-11-30-清水さん",
    "2026-11-27-shimizu-2",
    "a",
    "知恵交換会 第3回",
    "table_A.v2",
    "x" * MAX_ID_CHARS,
    "清" * (MAX_ID_BYTES // 3),
    "😀" * (MAX_ID_BYTES // 4),
    "CONTACT",  # only the device names themselves are taken
    "nullpo",
    "COM10",
]
BAD_IDS = {
    "": "blank",
    "../../x": "id_char",
    "/etc/passwd": "id_char",
    "a/b": "id_char",
    "a\\b": "id_char",
    "C:x": "id_char",
    "a*b": "id_char",
    "a?b": "id_char",
    'a"b': "id_char",
    "a<b": "id_char",
    "a>b": "id_char",
    "a|b": "id_char",
    "a\x00b": "id_char",
    "\x1b[2J": "id_char",
    "a\nb": "id_char",
    "a\tb": "id_char",
    "a\x7fb": "id_char",
    "a\x85b": "id_char",
    ".": "id_edge",
    "..": "id_edge",
    ".hidden": "id_edge",
    "-rf": "id_edge",
    " x": "id_edge",
    "\u3000x": "id_edge",
    "x.": "id_edge",
    "x ": "id_edge",
    "CON": "id_device",
    "nul": "id_device",
    "Com1": "id_device",
    "LPT9": "id_device",
    "aux.2026": "id_device",
    "x" * (MAX_ID_CHARS + 1): "id_length",
    "清" * (MAX_ID_BYTES // 3 + 1): "id_length",
}


def session_data(session_id: str) -> dict[str, Any]:
    with (FIXTURES / "session-minimal.toml").open("rb") as handle:
        data = tomllib.load(handle)
    data["id"] = session_id
    return data


@pytest.mark.parametrize("session_id", GOOD_IDS)
def test_a_safe_id_is_accepted_as_written(session_id: str) -> None:
    assert Session.model_validate(session_data(session_id)).id == session_id
    assert safe_session_id(session_id) == session_id


def refusal(session_id: str) -> str:
    """The catalog key (or pydantic's type) of the one error an id gets."""
    with pytest.raises(ValidationError) as caught:
        Session.model_validate(session_data(session_id))
    (error,) = caught.value.errors()
    assert error["loc"] == ("id",)
    return error["ctx"]["key"] if error["type"] == "chie" else error["type"]


@pytest.mark.parametrize(("session_id", "key"), BAD_IDS.items(), ids=[repr(k) for k in BAD_IDS])
def test_an_unsafe_id_is_refused_in_the_file(
    tmp_path: Path, session_id: str, key: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert refusal(session_id) == ("string_too_short" if key == "blank" else key)
    path = tmp_path / "s.toml"
    path.write_text(tomli_w.dumps(session_data(session_id)), encoding="utf-8")
    with pytest.raises(FileError) as caught:
        load_session(path)
    (problem,) = caught.value.problems
    assert (problem.field, problem.line) == ("id", 2)
    assert main(["validate", str(path)]) == 2
    out, _ = capsys.readouterr()
    assert "\x1b" not in out and "\x00" not in out and "\x85" not in out


@pytest.mark.parametrize("session_id", BAD_IDS)
def test_any_string_becomes_a_valid_id(session_id: str) -> None:
    made = safe_session_id(session_id)
    assert Session.model_validate(session_data(made)).id == made


@settings(max_examples=500)
@given(text=st.text(), suffix=st.sampled_from(["", "-2", "-13"]))
def test_the_helper_makes_a_valid_id_of_anything_and_keeps_the_suffix(
    text: str, suffix: str
) -> None:
    made = safe_session_id(text, suffix=suffix)
    assert Session.model_validate(session_data(made)).id == made
    assert made.endswith(suffix)
    assert safe_session_id(made) == made  # a valid id is left as it is


def test_the_helper_keeps_what_it_can() -> None:
    assert safe_session_id("../../etc/passwd") == "_.._etc_passwd"
    assert safe_session_id("\x1b[2J清水") == "_[2J清水"
    assert safe_session_id("  .x.  ") == "x"
    assert safe_session_id("...") == "session"
    assert safe_session_id("CON") == "CON_"
    long = safe_session_id("清" * 300, suffix="-2")
    assert long.endswith("清-2") and len(long.encode("utf-8")) <= MAX_ID_BYTES


# -- wherever an id is made ---------------------------------------------------------


@pytest.mark.parametrize(
    "stem",
    ["\x1b[2J", "../../x", "CON", "a" * 250, "清" * 80, ".hidden", "x" * 300 + "清"],
    ids=["escape", "dotdot", "device", "250-ascii", "80-kanji", "hidden", "301-chars"],
)
def test_any_scenario_stem_starts_a_session_with_a_safe_file(
    tmp_path: Path, clock: ManualClock, shimizu: Scenario, stem: str
) -> None:
    sessions = tmp_path / "sessions"
    session = new_session(shimizu, session_id=stem, clock=clock)
    first = create_session_file(session, sessions)
    second = create_session_file(new_session(shimizu, session_id=stem, clock=clock), sessions)
    for path in (first, second):
        assert path.parent == sessions  # nowhere else
        assert load_session(path).id == path.stem
    # The second of the day counts up, shortened if need be to leave room.
    assert second.stem.endswith("-2") and second.stem[:-2] == first.stem[: len(second.stem) - 2]
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        ["sessions", first.name, second.name]
    )


def test_session_path_names_are_safe_however_long_the_scenario_name(tmp_path: Path) -> None:
    from datetime import date

    path = session_path(tmp_path, "清" * 300, date(2026, 11, 27))
    assert path.parent == tmp_path
    assert path.stem.startswith("2026-11-27-清")
    assert safe_session_id(path.stem) == path.stem


@pytest.mark.parametrize(
    "name", ["\x1b[2J\x1b]0;x\x07", "a" * 245, "清" * 80], ids=["escape", "245-ascii", "80-kanji"]
)
async def test_a_scenario_file_of_any_name_starts_a_session_on_screen(
    tmp_path: Path, clock: ManualClock, name: str
) -> None:
    scenario = tmp_path / f"{name}.toml"
    scenario.write_bytes((ROOT / "scenarios" / "shimizu.toml").read_bytes())
    sessions = tmp_path / "sessions"
    app = make_app(scenario_path=scenario, sessions_dir=sessions, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f7")
        for _ in range(100):  # the file is created in a worker
            await pilot.pause(0.05)
            if isinstance(app.screen, RunningScreen):
                break
        assert isinstance(app.screen, RunningScreen)
        await save_and_quit(pilot)
    (path,) = sessions.glob("*.toml")
    assert load_session(path).id == path.stem
    assert safe_session_id(path.stem) == path.stem
