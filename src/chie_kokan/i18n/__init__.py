"""One string catalog per language (``ja.toml``, ``en.toml``).

Every string a person reads comes from here, so a translation is one file.
Keys are dotted (``cli.validate.ok``); values are ``str.format`` templates or,
for content such as default questions, lists of strings.
"""

from __future__ import annotations

import unicodedata
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


def table_label(name: str, /, language: Language | None = None) -> str:
    """How a table is called on screen and in the minutes.

    A bare letter or number (``A``, ``3``, full-width too) reads as テーブルA /
    Table A; anything else (東テーブル, Aグループ, みどり班) as it was written.
    """
    name = name.strip()
    bare = unicodedata.normalize("NFKC", name)
    if bare.isascii() and bare.isalnum() and len(bare) <= 3:
        return t("tables.label", language, table=bare)
    return name


def at_table(
    name: str, table: str | None, /, language: Language | None = None, *, compact: bool = False
) -> str:
    """``name`` with the table it is at or speaks for (テーブルA　山田 花子), or alone.

    ``compact``: for a card's line on the board, with no space to wrap at
    (テーブルA・山田花子).
    """
    if table is None or not table.strip():
        return name
    key = "tables.compact" if compact else "tables.speaker"
    return t(key, language, table=table_label(table), name=name)
