"""The public version of the minutes: no personal names anywhere.

The case person becomes A (清水さん → Aさん, "Mr Baker" → "Person A"). The
names the scenario lists as private are replaced too: a variant of the case
person's name (清水, 清水 トメ) becomes the same A, so "清水さんの家" and
"清水 トメさん" read naturally as "Aさんの家" and "Aさん"; any other private
name, and every participant's name (in full or a surname/given name alone),
becomes ○○ / [name]. One regular expression does it in a single pass, longest
name first, so a longer name is never half-replaced by a shorter one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from chie_kokan.i18n import Language
from chie_kokan.models import Scenario, Session

_HONORIFICS_JA = ("さん", "さま", "様", "氏", "ちゃん", "くん", "君")
_TITLES_EN = ("mr", "mrs", "ms", "miss", "mx", "dr")
_WITHHELD = {"ja": "○○", "en": "[name]"}
_SPACES = re.compile(r"[\s\u3000]+")
_LATIN = re.compile(r"[A-Za-z0-9]")


def _tokens(name: str) -> list[str]:
    return [part for part in _SPACES.split(name.strip()) if part]


def _pattern(name: str) -> str:
    """A name as a pattern: any spacing between its parts, whole words for Latin."""
    body = r"[\s\u3000]*".join(re.escape(part) for part in _tokens(name))
    # "Tom" must not match inside "Tomorrow"; Japanese has no word breaks.
    before = r"(?<![A-Za-z0-9])" if _LATIN.match(name.strip()[0]) else ""
    after = r"(?![A-Za-z0-9])" if _LATIN.match(name.strip()[-1]) else ""
    return f"{before}{body}{after}"


def _case_core(case_name: str) -> tuple[str, str]:
    """清水さん → (清水, さん); "Mr Baker" → (Baker, "")."""
    name = case_name.strip()
    for suffix in _HONORIFICS_JA:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)].strip(), suffix
    parts = _tokens(name)
    if len(parts) > 1 and parts[0].lower().rstrip(".") in _TITLES_EN:
        return " ".join(parts[1:]), ""
    return name, ""


class Redactor:
    """Replaces names in any text; the identity when not redacting."""

    def __init__(self, replacements: dict[str, str]) -> None:
        names = sorted((n for n in replacements if n.strip()), key=len, reverse=True)
        self._by_group = {f"n{i}": replacements[name] for i, name in enumerate(names)}
        alternatives = "|".join(f"(?P<n{i}>{_pattern(name)})" for i, name in enumerate(names))
        self._regex = re.compile(alternatives, re.IGNORECASE) if names else None

    def __call__(self, text: str) -> str:
        if self._regex is None or not text:
            return text
        return self._regex.sub(lambda m: self._by_group[m.lastgroup or ""], text)

    @classmethod
    def identity(cls) -> Redactor:
        return cls({})

    @classmethod
    def for_sessions(cls, sessions: Iterable[Session], language: Language) -> Redactor:
        """Every name any of these sessions knows: cases, private names, people."""
        replacements: dict[str, str] = {}
        people: list[str] = []
        for session in sessions:
            _add_scenario(replacements, session.scenario, language)
            people += [m.name for m in session.members]
            people += [p.name for p in session.scenario.participants]
        withheld = _WITHHELD[language]
        for name in people:
            replacements.setdefault(name, withheld)
        for name in people:
            parts = _tokens(name)
            if len(parts) < 2:
                continue
            for part in parts:
                # One kanji (健) is too often part of ordinary words (健康).
                if len(part) >= 2:
                    replacements.setdefault(part, withheld)
        return cls(replacements)


def case_placeholder(case_name: str, language: Language) -> str:
    """What the case person is called in public minutes: Aさん / Person A."""
    if language == "en":
        return "Person A"
    _, suffix = _case_core(case_name)
    return f"A{suffix or 'さん'}"


def _add_scenario(replacements: dict[str, str], scenario: Scenario, language: Language) -> None:
    withheld = _WITHHELD[language]
    core_tokens: set[str] = set()
    bare = "Person A" if language == "en" else "A"
    if scenario.case is not None:
        core, _ = _case_core(scenario.case.name)
        core_tokens = {token.casefold() for token in _tokens(core)}
        replacements[scenario.case.name] = case_placeholder(scenario.case.name, language)
        replacements.setdefault(core, bare)
    for name in scenario.private_names:
        tokens = {token.casefold() for token in _tokens(name)}
        # A variant of the case person's name is the same person A.
        replacements.setdefault(name, bare if tokens & core_tokens else withheld)
