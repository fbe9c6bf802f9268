"""The core knows nothing of the screen: importing it must not import Textual."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "chie_kokan.models",
    "chie_kokan.engine",
    "chie_kokan.approval",
    "chie_kokan.storage",
    "chie_kokan.problems",
    "chie_kokan.clock",
    "chie_kokan.i18n",
    "chie_kokan.scenario_template",
]


def test_importing_the_core_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        f"for name in {CORE!r}:\n"
        "    __import__(name)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
        "print('chie_kokan.engine' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    textual, imported = result.stdout.splitlines()
    assert imported == "True"  # the probe really imported the core
    assert textual == "[]"


def test_the_probe_would_see_textual() -> None:
    # The same check, with Textual imported on purpose, must notice it.
    code = "import sys, textual.app\nprint('textual' in sys.modules)\n"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "True"
