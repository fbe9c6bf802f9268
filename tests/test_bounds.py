"""Every number the screen uses is bounded in the models, so validate and the screen agree.

Before, ``elapsed = inf`` or ``minutes = 10**30`` passed ``validate`` and then
crashed the screen (``int(inf)``, a date overflow). Now such a file gets one
message giving the allowed range, and a session at the very bounds runs.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from chie_kokan.cli import main
from chie_kokan.clock import ManualClock
from chie_kokan.engine import DomainError, SessionEngine, new_session
from chie_kokan.i18n import t
from chie_kokan.models import Scenario, Session
from chie_kokan.models.bounds import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_ELAPSED,
    MAX_MINUTES,
    MAX_OBSERVERS,
    MAX_ROUND,
    MAX_SECONDS_PER_TURN,
    MAX_VOTES,
    MAX_VOTES_PER_PERSON,
)
from chie_kokan.problems import FileError, shown
from chie_kokan.storage import load_any, load_session, save_session
from chie_kokan.tui.app import make_app
from test_tui_running import save_and_quit

FIXTURES = Path(__file__).parent / "fixtures"
JST = timezone(timedelta(hours=9))


def minimal_session() -> dict[str, Any]:
    with (FIXTURES / "session-minimal.toml").open("rb") as handle:
        data = tomllib.load(handle)
    data["scenario"]["steps"] = [
        {"kind": "opening", "minutes": 5},
        {"kind": "share", "minutes": 20, "seconds_per_turn": 90},
        {"kind": "pick", "minutes": 15, "votes_per_person": 3},
    ]
    data["groups"] = [{"id": "g1", "step": 2, "title": "移動", "cards": ["c1"]}]
    data["turns"] = [
        {"speaker": "p1", "step": 1, "started_at": data["created_at"], "outcome": "spoke"}
    ]
    data["actions"] = [{"id": "a1", "what": "調べる", "step": 1, "created_at": data["created_at"]}]
    data["live"]["timers"] = [{"elapsed": 300.0}, {"elapsed": 60.0}, {}]
    return data


def put(data: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return data


def written(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "session.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


LOW_HIGH = {
    "minutes": (1, MAX_MINUTES),
    "seconds_per_turn": (1, MAX_SECONDS_PER_TURN),
    "votes_per_person": (0, MAX_VOTES_PER_PERSON),
    "votes": (0, MAX_VOTES),
    "observers": (0, MAX_OBSERVERS),
    "round": (1, MAX_ROUND),
    "elapsed": (0, MAX_ELAPSED),
}
NUMBERS: list[tuple[tuple[str | int, ...], Any]] = [
    (("scenario", "steps", 1, "minutes"), MAX_MINUTES + 1),
    (("scenario", "steps", 1, "minutes"), 10**30),
    (("scenario", "steps", 1, "seconds_per_turn"), MAX_SECONDS_PER_TURN + 1),
    (("scenario", "steps", 2, "votes_per_person"), MAX_VOTES_PER_PERSON + 1),
    (("cards", 0, "votes"), MAX_VOTES + 1),
    (("groups", 0, "votes"), 10**18),
    (("observers",), MAX_OBSERVERS + 1),
    (("live", "round"), MAX_ROUND + 1),
    (("turns", 0, "round"), 2**63),
    (("live", "timers", 0, "elapsed"), float("inf")),
    (("live", "timers", 0, "elapsed"), float("-inf")),
    (("live", "timers", 0, "elapsed"), float("nan")),
    (("live", "timers", 1, "elapsed"), 1e308),
    (("live", "timers", 1, "elapsed"), MAX_ELAPSED + 0.5),
]


@pytest.mark.parametrize(("where", "value"), NUMBERS)
def test_a_number_out_of_range_is_refused_with_the_range(
    tmp_path: Path, where: tuple[str | int, ...], value: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    path = written(tmp_path, put(minimal_session(), where, value))
    with pytest.raises(FileError) as caught:
        load_any(path)
    (problem,) = caught.value.problems
    low, high = LOW_HIGH[str(where[-1])]
    assert problem.message == t("validation.range", value=shown(value), low=low, high=high)
    assert problem.field is not None and problem.field.endswith(str(where[-1]))
    assert problem.line is not None
    assert main(["validate", str(path)]) == 2
    assert f"{low}" in capsys.readouterr().out


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=JST),
        datetime(FIRST_YEAR - 1, 12, 31, 23, 59, tzinfo=UTC),
        datetime(LAST_YEAR + 1, 1, 1, tzinfo=JST),
        datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-9))),
    ],
)
@pytest.mark.parametrize(
    "where",
    [
        ("created_at",),
        ("updated_at",),
        ("cards", 1, "created_at"),
        ("cards", 1, "edited_at"),
        ("step_log", 1, "started_at"),
        ("step_log", 0, "ended_at"),
        ("turns", 0, "started_at"),
        ("actions", 0, "created_at"),
        ("live", "timers", 1, "running_since"),
    ],
)
def test_a_timestamp_outside_the_years_is_refused(
    tmp_path: Path, where: tuple[str | int, ...], moment: datetime
) -> None:
    path = written(tmp_path, put(minimal_session(), where, moment))
    with pytest.raises(FileError) as caught:
        load_any(path)
    (problem,) = caught.value.problems
    assert problem.message == t(
        "validation.year_range", value=shown(moment), first=FIRST_YEAR, last=LAST_YEAR
    )


def at_the_bounds() -> dict[str, Any]:
    """A session with every bounded number at its largest (or smallest) allowed value."""
    data = minimal_session()
    first = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
    last = datetime(LAST_YEAR, 12, 31, 23, 59, 59, tzinfo=JST)
    steps = data["scenario"]["steps"]
    steps[1].update(minutes=MAX_MINUTES, seconds_per_turn=MAX_SECONDS_PER_TURN)
    steps[2].update(minutes=1, votes_per_person=MAX_VOTES_PER_PERSON)
    data["cards"][0]["votes"] = MAX_VOTES
    data["groups"][0]["votes"] = MAX_VOTES
    data["observers"] = MAX_OBSERVERS
    data["live"]["round"] = MAX_ROUND
    data["turns"][0].update(round=MAX_ROUND, started_at=first, outcome="spoke", ended_at=last)
    data["turns"].append({"speaker": "p2", "step": 1, "round": MAX_ROUND, "started_at": first})
    data["created_at"] = first
    data["updated_at"] = last
    data["step_log"][1]["started_at"] = first
    data["live"]["timers"] = [
        {"elapsed": MAX_ELAPSED},
        {"elapsed": MAX_ELAPSED, "running_since": first},
        {"elapsed": 0.0, "running_since": last},
    ]
    return data


def test_the_bounds_themselves_are_allowed(tmp_path: Path) -> None:
    session = load_any(written(tmp_path, at_the_bounds()))
    assert isinstance(session, Session)
    assert session.observers == MAX_OBSERVERS


# -- the engine never writes what the models refuse ------------------------------


@pytest.fixture
def engine(clock: ManualClock, shimizu: Scenario) -> SessionEngine:
    engine = SessionEngine(new_session(shimizu, session_id="s", clock=clock), clock)
    engine.begin()
    return engine


def test_votes_stop_at_the_bound(engine: SessionEngine, tmp_path: Path) -> None:
    engine.next_step()
    card = engine.record_card("困りごと")
    engine.next_step()  # pick
    assert engine.vote(card.id, MAX_VOTES) == MAX_VOTES
    with pytest.raises(DomainError) as caught:
        engine.vote(card.id)
    assert caught.value.key == "too_many_votes"
    assert str(MAX_VOTES) in str(caught.value)
    assert engine.card(card.id).votes == MAX_VOTES
    save_session(engine.session, tmp_path / "s.toml")
    assert load_session(tmp_path / "s.toml").cards[0].votes == MAX_VOTES


def test_rounds_stop_at_the_bound(engine: SessionEngine, tmp_path: Path) -> None:
    engine.next_step()  # share: a round step
    engine.live.round = MAX_ROUND
    for _ in range(len(engine.members) + 1):
        if engine.live.speaker is not None:
            engine.advance_speaker()
    assert engine.live.speaker is None  # everyone has spoken in the last round there can be
    assert engine.not_yet_spoken() == []
    with pytest.raises(DomainError) as caught:
        engine.advance_speaker()
    assert caught.value.key == "too_many_rounds"
    save_session(engine.session, tmp_path / "s.toml")
    assert load_session(tmp_path / "s.toml").live.round == MAX_ROUND


def test_a_timer_left_running_for_weeks_is_kept_within_the_bound(
    engine: SessionEngine, clock: ManualClock, tmp_path: Path
) -> None:
    clock.advance(MAX_ELAPSED * 3)
    engine.toggle_timer()  # pause
    assert engine.live.timers[0].elapsed == MAX_ELAPSED
    save_session(engine.session, tmp_path / "s.toml")
    assert load_session(tmp_path / "s.toml").live.timers[0].elapsed == MAX_ELAPSED


def test_observers_out_of_range_are_refused_by_the_engine(engine: SessionEngine) -> None:
    with pytest.raises(DomainError) as caught:
        engine.update_details(observers=MAX_OBSERVERS + 1)
    assert caught.value.key == "bad_detail"
    engine.update_details(observers=MAX_OBSERVERS)


# -- the screen at the bounds ---------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
@pytest.mark.parametrize("step", [1, 2], ids=["share", "pick"])
async def test_the_screen_runs_a_session_at_the_bounds(
    tmp_path: Path, clock: ManualClock, size: tuple[int, int], step: int
) -> None:
    data = at_the_bounds()
    data["live"]["step"] = step
    if step == 2:
        data["live"].pop("speaker")  # a free step
    path = written(tmp_path, data)
    app = make_app(session_path=path, sessions_dir=tmp_path, clock=clock)
    async with app.run_test(size=size) as pilot:
        # Timer, next speaker (and a round past the last one), vote (past the
        # most), next step, back, summary: each shows its number or says no.
        for key in ("f5", "f2", "f2", "f2", "f9", "f5", "f7", "f9", "f6", "f7", "f7", "f7"):
            await pilot.press(key)
            clock.advance(1)
        await pilot.pause()
        await save_and_quit(pilot)
    assert app.return_code == 0
    saved = load_session(path)
    assert saved.observers == MAX_OBSERVERS
    assert all(timer.elapsed <= MAX_ELAPSED for timer in saved.live.timers)
