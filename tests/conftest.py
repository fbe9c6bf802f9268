"""Shared fixtures. Every folder the app writes points into tmp_path."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.i18n import set_language
from chie_kokan.models import Scenario
from chie_kokan.storage import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
JST = timezone(timedelta(hours=9))


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every test in its own folder, so ./sessions and ./exports land in tmp_path."""
    monkeypatch.chdir(tmp_path)
    set_language("ja")


@pytest.fixture
def clock() -> ManualClock:
    """14:00 JST on a meeting day; moves only when told."""
    return ManualClock(datetime(2026, 11, 27, 14, 0, tzinfo=JST))


@pytest.fixture
def shimizu() -> Scenario:
    return load_scenario(SCENARIOS / "shimizu.toml")


@pytest.fixture
def riverside() -> Scenario:
    return load_scenario(SCENARIOS / "riverside.toml")
