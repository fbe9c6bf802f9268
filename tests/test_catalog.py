"""The string catalogs: one key set, the same placeholders, lists stay lists."""

from __future__ import annotations

import re
import string
import tomllib
from pathlib import Path
from typing import Any

import pytest

from chie_kokan.i18n import LANGUAGES, catalog, t

SRC = Path(__file__).resolve().parent.parent / "src" / "chie_kokan"
FOUNDATION = [
    *sorted((SRC / "models").glob("*.py")),
    SRC / "engine.py",
    SRC / "storage.py",
    SRC / "problems.py",
    SRC / "cli.py",
]


def raw(language: str) -> dict[str, Any]:
    """The catalog file itself, flattened here independently of chie_kokan.i18n."""

    def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
        flat: dict[str, Any] = {}
        for key, value in table.items():
            if isinstance(value, dict):
                flat.update(flatten(value, f"{prefix}{key}."))
            else:
                flat[f"{prefix}{key}"] = value
        return flat

    text = (SRC / "i18n" / f"{language}.toml").read_text("utf-8")
    return flatten(tomllib.loads(text))


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_both_languages_have_exactly_the_same_keys() -> None:
    ja, en = raw("ja"), raw("en")
    assert sorted(set(ja) - set(en)) == []
    assert sorted(set(en) - set(ja)) == []


def test_the_loaded_catalog_is_the_file() -> None:
    for language in LANGUAGES:
        assert catalog(language) == raw(language)


def test_list_valued_keys_stay_lists_of_the_same_length() -> None:
    ja, en = raw("ja"), raw("en")
    lists = [key for key, value in ja.items() if isinstance(value, list)]
    assert "defaults.ground_rules" in lists and "step.exchange.questions" in lists
    for key in ja:
        if isinstance(ja[key], list):
            assert isinstance(en[key], list), key
            assert len(en[key]) == len(ja[key]), key
            assert all(isinstance(item, str) for item in ja[key] + en[key]), key
        else:
            assert isinstance(ja[key], str) and isinstance(en[key], str), key


def test_both_languages_fill_the_same_placeholders() -> None:
    ja, en = raw("ja"), raw("en")
    for key in ja:
        pairs = (
            zip(ja[key], en[key], strict=True)
            if isinstance(ja[key], list)
            else [(ja[key], en[key])]
        )
        for japanese, english in pairs:
            assert fields(japanese) == fields(english), key


def test_no_string_is_left_empty_or_untranslated() -> None:
    ja, en = raw("ja"), raw("en")
    for key, value in en.items():
        for text in value if isinstance(value, list) else [value]:
            assert text.strip(), key
    japanese = [
        key
        for key, value in ja.items()
        if isinstance(value, str) and re.search(r"[ぁ-んァ-ン一-龥]", value)
    ]
    english_too = [key for key in japanese if re.search(r"[ぁ-んァ-ン一-龥]", str(en[key]))]
    assert english_too == []


def keys_used_in(path: Path) -> set[str]:
    code = path.read_text("utf-8")
    used = set(re.findall(r"\bt\(\s*\"([a-z_]+\.[a-z_.]+)\"", code))
    # A DomainError with its own section (a kind's words) is checked by test_kinds.py.
    engine = r"DomainError\(\s*\"([a-z_]+)\"(?!,\s*section=)"
    used |= {f"engine.{key}" for key in re.findall(engine, code)}
    used |= {f"validation.{key}" for key in re.findall(r"domain_error\(\s*\"([a-z_]+)\"", code)}
    return used


@pytest.mark.parametrize("path", FOUNDATION, ids=lambda p: p.name)
def test_every_key_the_foundation_uses_exists(path: Path) -> None:
    missing = keys_used_in(path) - set(raw("ja"))
    assert missing == set()


def test_the_scan_finds_keys() -> None:
    # Guard the test above against a pattern that silently matches nothing.
    assert "engine.no_speaker" in keys_used_in(SRC / "engine.py")
    assert "validation.steps_empty" in keys_used_in(SRC / "models" / "scenario.py")
    assert "validation.empty" in keys_used_in(SRC / "files.py")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_formats(language: str) -> None:
    for key, value in raw(language).items():
        if isinstance(value, str):
            names = fields(value)
            text = t(key, language, **dict.fromkeys(names, "X")) if names else t(key, language)
            assert "{" not in text.replace("{ … }", ""), key
