"""The four roles (司会・タイムキーパー・板書・記録) live once: the ``Roles`` model.

Setup asks for each, the minutes list each and the public minutes withhold
each holder's name, all from the model's fields (``models.ROLES``).
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from chie_kokan.clock import ManualClock
from chie_kokan.engine import new_session
from chie_kokan.export import render_minutes
from chie_kokan.i18n import t
from chie_kokan.models import ROLES, Roles, Scenario
from chie_kokan.tui.app import make_app
from chie_kokan.tui.screens.setup import SetupScreen

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
HOLDERS = ("鈴木 美和", "高橋 健", "佐藤 一郎", "田中 和子")


async def test_setup_asks_for_every_role(clock: ManualClock, tmp_path: Path) -> None:
    app = make_app(scenario_path=SCENARIOS / "shimizu.toml", sessions_dir=tmp_path, clock=clock)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        inputs = {widget.id for widget in screen.query(Input)}
        assert {f"setup-role-{role}" for role in ROLES} <= inputs


def test_the_minutes_list_every_role_and_the_public_ones_no_holder(
    shimizu: Scenario, clock: ManualClock
) -> None:
    roles = Roles(**dict(zip(ROLES, HOLDERS, strict=True)))
    session = new_session(shimizu, session_id="roles", roles=roles, clock=clock)
    internal = render_minutes([session], "md", language="ja").decode("utf-8")
    public = render_minutes([session], "md", language="ja", redact=True).decode("utf-8")
    for role, holder in zip(ROLES, HOLDERS, strict=True):
        assert f"- {t(f'role.{role}', 'ja')}: {holder}" in internal
        assert f"- {t(f'role.{role}', 'ja')}: " in public
        assert holder not in public
