"""The layers are a contract (``[tool.importlinter]`` in pyproject.toml) checked here.

A new module must be placed in the layers, and must be named either as core (no
Textual) or as one of the few that draw: otherwise these tests fail, so the
contract covers the whole package rather than a list someone forgot to update.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import chie_kokan

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]
DRAWS = {"chie_kokan.cli", "chie_kokan.tui", "chie_kokan.__main__", "chie_kokan.serve"}
"""What may import Textual: the command line and the screens (and the web server)."""


def top_level_modules() -> set[str]:
    package = Path(chie_kokan.__file__).parent
    names = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    names |= {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
    return {f"chie_kokan.{name}" for name in names}


def contract(kind: str) -> dict[str, list[str]]:
    (found,) = [c for c in CONFIG["contracts"] if c["type"] == kind]
    return found


def test_every_module_has_a_place_in_the_layers() -> None:
    placed = {
        name.strip() for layer in contract("layers")["layers"] for name in re.split(r"[|:]", layer)
    }
    missing = top_level_modules() - placed - {"chie_kokan.__main__"}
    assert missing == set(), f"add these to [tool.importlinter] layers: {sorted(missing)}"


def test_every_module_that_does_not_draw_is_forbidden_textual() -> None:
    core = set(contract("forbidden")["source_modules"])
    assert top_level_modules() - DRAWS == core
    assert {"textual", "rich"} <= set(contract("forbidden")["forbidden_modules"])


def test_the_import_contracts_are_kept() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CONFIG['contracts'])} kept, 0 broken" in result.stdout


def test_screens_talk_to_the_app_by_message_not_by_reaching_into_it() -> None:
    # Issue 11: a screen posts a message (or is handed what it needs); it never casts
    # self.app to the app class to call its methods or read its attributes.
    screens = sorted((Path(chie_kokan.__file__).parent / "tui" / "screens").glob("*.py"))
    assert {p.stem for p in screens} >= {"launcher", "setup", "running"}
    reaching = re.compile(r"ChieKokanApp|chie_kokan\.tui\.app\b|getattr\(self\.app\b|\.workers\b")
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in screens
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if reaching.search(line)
    ]
    assert found == []
