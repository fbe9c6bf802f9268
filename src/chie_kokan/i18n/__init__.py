"""One string catalog per language (``ja.toml``, ``en.toml``).

Every string a person reads comes from here, so a translation is one file.
Keys are dotted (``cli.validate.ok``); values are ``str.format`` templates or,
for content such as default questions, lists of strings.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, Literal

try:
    # Compiled (mypyc): the catalog is read on every start, before the first frame;
    # the same parser as tomllib (tomli 2.1-2.2, TOML 1.0), so the same result.
    from tomli import loads as _loads
except ImportError:  # pragma: no cover - installed with the package
    from tomllib import loads as _loads

Language = Literal["ja", "en"]
LANGUAGES: tuple[Language, ...] = ("ja", "en")

_current: Language = "ja"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


@cache
def catalog(language: Language) -> dict[str, Any]:
    """The flattened catalog of one language."""
    text = resources.files(__package__).joinpath(f"{language}.toml").read_text("utf-8")
    return _flatten(_loads(text))


def set_language(language: Language) -> None:
    """Choose the language that :func:`t` uses when none is given."""
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    _current = language


def get_language() -> Language:
    return _current


def t(key: str, /, language: Language | None = None, **values: Any) -> str:
    """The string ``key`` in ``language`` (default: the current one), formatted."""
    text = catalog(language or _current)[key]
    return text.format(**values) if values else text


def t_list(key: str, /, language: Language | None = None) -> list[str]:
    """A list-valued catalog entry (default questions, ground rules)."""
    return list(catalog(language or _current)[key])
