"""The core knows nothing of the screen: importing it must not import Textual."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "chie_kokan.models",
    "chie_kokan.engine",
    "chie_kokan.facts",
    "chie_kokan.approval",
    "chie_kokan.session_plan",
    "chie_kokan.storage",
    "chie_kokan.problems",
    "chie_kokan.clock",
    "chie_kokan.i18n",
    "chie_kokan.scenario_template",
]


def loaded_by(names: list[str]) -> set[str]:
    """Every module a fresh interpreter has loaded after importing ``names``."""
    code = (
        "import sys\n"
        f"for name in {names!r}:\n"
        "    __import__(name)\n"
        "print('\\n'.join(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(result.stdout.splitlines())


def textual_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] == "textual")


def test_importing_the_core_does_not_import_textual() -> None:
    modules = loaded_by(CORE)
    assert "chie_kokan.engine" in modules  # the probe really imported the core
    assert textual_in(modules) == []


def test_the_facts_stand_on_the_models_alone() -> None:
    # The screen, the summary and the minutes all read them: none of those may be in it.
    modules = loaded_by(["chie_kokan.facts"])
    assert "chie_kokan.facts" in modules
    assert textual_in(modules) == []
    assert not {"chie_kokan.engine", "chie_kokan.export", "chie_kokan.tui"} & modules


def test_the_probe_would_see_textual() -> None:
    # The same check, with Textual imported on purpose, must notice it.
    modules = loaded_by(["textual.app"])
    assert "textual" in textual_in(modules)
    assert "chie_kokan.engine" not in modules
