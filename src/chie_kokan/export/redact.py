"""The public version of the minutes: no personal names anywhere.

The case person becomes A (清水さん → Aさん, "Mr Baker" → "Person A"). The
names the scenario lists as private are replaced too: a variant of the case
person's name (清水, 清水 トメ) becomes the same A, so "清水さんの家" and
"清水 トメさん" read naturally as "Aさんの家" and "Aさん"; any other private
name, and every participant's and role holder's name, becomes ○○ / [name].
One regular expression does it in a single pass, longest name first, so a
longer name is never half-replaced by a shorter one.

Names are matched the way people write them, not the way the roster spells
them: full-width or half-width (ＴＡＮＡＫＡ, ｼﾐｽﾞ), upper or lower case, with
or without spaces. Matching runs on an NFKC-normalised, case-folded copy of
the text, and the replacement is made in the original, so everything else
stays exactly as written (① stays ①).

Which parts of a name are names on their own:

- a name written with spaces (山田 花子, Tom Baker): each part of two or more
  characters, anywhere (山田, 花子); a one-character part (林 健 → 林, 健)
  only right before an honorific or a title (林さん, 健くん, 林委員): alone,
  one kanji is too often part of ordinary words (森林, 健康);
- a Japanese name written without a space (山田花子): where it splits is not
  known, so any leading or trailing part may be the surname or the given
  name: those with a kanji and two or more characters (山田, 花子, 山田花) or
  of three or more kana, anywhere; shorter ones only before an honorific.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from chie_kokan.i18n import Language
from chie_kokan.models import ROLES, Member, Scenario, Session

_HONORIFICS_JA = ("さん", "さま", "様", "氏", "ちゃん", "くん", "君")
_TITLES_EN = ("mr", "mrs", "ms", "miss", "mx", "dr")
# What follows a name in Japanese minutes: a short name part is a name only
# before one of these (林さん, 林委員). Folded (NFKC) forms: ｻﾝ reads as サン.
_AFTER_NAME = (
    *_HONORIFICS_JA,
    "殿",
    "先生",
    "サン",
    "サマ",
    "チャン",
    "クン",
    "委員",
    "会長",
    "副会長",
    "代表",
    "理事",
)
# お子さん, 御子様, 息子さん: ordinary words, not a name part 子 with さん.
_NOT_AFTER = "お御息"
_WITHHELD = {"ja": "○○", "en": "[name]"}
_KANJI = "\u3005\u3006\u303b\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA = "\u3041-\u309f\u30a0-\u30ff"
_JAPANESE = re.compile(f"[{_KANJI}{_KANA}]+")
_HAS_KANJI = re.compile(f"[{_KANJI}]")
_LATIN = "0-9a-z\u00df-\u024f"
_IS_LATIN = re.compile(f"[{_LATIN}]")
# Half-width (semi-)voiced sound marks belong to the kana before them: ｽﾞ is ズ.
_VOICING = "\uff9e\uff9f"
# Longer single words are not a name someone typed without a space.
_MAX_UNSPACED = 8


def _is_mark(char: str) -> bool:
    return char in _VOICING or unicodedata.category(char).startswith("M")


def fold(text: str) -> tuple[str, Sequence[int], Sequence[int]]:
    """``text`` as names are matched: NFKC-normalised and case-folded.

    Also returns, for each character of the folded text, where the character
    (with its combining or voicing marks) it came from starts and ends in
    ``text``, so a match in the folded copy can be replaced in the original.
    """
    if unicodedata.is_normalized("NFKC", text):
        folded = text.casefold()
        if len(folded) == len(text):  # one character for one: positions unchanged
            return folded, range(len(text)), range(1, len(text) + 1)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    start, size = 0, len(text)
    while start < size:
        end = start + 1
        while end < size and _is_mark(text[end]):
            end += 1
        piece = unicodedata.normalize("NFKC", text[start:end]).casefold()
        pieces.append(piece)
        starts += [start] * len(piece)
        ends += [end] * len(piece)
        start = end
    return "".join(pieces), starts, ends


def _folded(name: str) -> str:
    """A name folded, its parts separated by single spaces."""
    return " ".join(fold(name)[0].split())


def _tokens(name: str) -> list[str]:
    return name.split()


def _is_japanese(token: str) -> bool:
    return _JAPANESE.fullmatch(token) is not None


def _pattern(name: str, *, before_honorific: bool) -> str:
    """A folded name as a pattern over folded text.

    Any spacing between its parts, and between the characters of a Japanese
    part (山田花子 is also 山田 花子); whole words for Latin ("Tom" is not in
    "Tomorrow"; Japanese has no word breaks).
    """
    parts = [
        r"\s*".join(map(re.escape, token)) if _is_japanese(token) else re.escape(token)
        for token in _tokens(name)
    ]
    body = r"\s*".join(parts)
    before = f"(?<![{_LATIN}])" if _IS_LATIN.match(name[0]) else ""
    after = f"(?![{_LATIN}])" if _IS_LATIN.match(name[-1]) else ""
    if before_honorific:
        before += f"(?<![{_NOT_AFTER}])"
        after += r"(?=\s*(?:" + "|".join(map(re.escape, _AFTER_NAME)) + "))"
    return f"{before}{body}{after}"


def name_parts(name: str) -> tuple[list[str], list[str]]:
    """The parts of a name someone may use alone, folded: (anywhere, only before an honorific).

    See the module docstring for the rule.
    """
    tokens = _tokens(_folded(name))
    if len(tokens) > 1:
        anywhere = [token for token in tokens if len(token) >= 2]
        short = [token for token in tokens if len(token) == 1 and _is_japanese(token)]
        return anywhere, short
    if not tokens or not _is_japanese(tokens[0]) or len(tokens[0]) > _MAX_UNSPACED:
        return [], []
    token = tokens[0]
    parts = [token[:k] for k in range(1, len(token))] + [token[k:] for k in range(1, len(token))]
    anywhere = [p for p in parts if len(p) >= 3 or (len(p) == 2 and _HAS_KANJI.search(p))]
    return anywhere, [p for p in parts if p not in anywhere]


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
    """Replaces names in any text; the identity when not redacting.

    ``names`` are replaced wherever they occur; ``before_honorific`` only
    right before an honorific or a title (林さん, 林委員). Either way any
    width, case or spacing of the name matches.
    """

    def __init__(
        self, names: Mapping[str, str], *, before_honorific: Mapping[str, str] | None = None
    ) -> None:
        entries: dict[tuple[str, bool], str] = {}
        for table, short in ((names, False), (before_honorific or {}, True)):
            for name, replacement in table.items():
                key = _folded(name)
                if key:
                    entries.setdefault((key, short), replacement)
        # Longest first: at one place in the text the longest name wins.
        ordered = sorted(entries, key=lambda entry: (-len(entry[0].replace(" ", "")), entry[1]))
        self._by_group = {f"n{i}": entries[entry] for i, entry in enumerate(ordered)}
        alternatives = "|".join(
            f"(?P<n{i}>{_pattern(name, before_honorific=short)})"
            for i, (name, short) in enumerate(ordered)
        )
        self._regex = re.compile(alternatives) if ordered else None

    def __call__(self, text: str) -> str:
        if self._regex is None or not text:
            return text
        folded, starts, ends = fold(text)
        out: list[str] = []
        done = 0
        for match in self._regex.finditer(folded):
            start, end = starts[match.start()], ends[match.end() - 1]
            if start < done:
                continue  # a second name inside one character (㍻ → 平成): already gone
            while end < len(text) and _is_mark(text[end]):
                end += 1  # a combining mark goes with the character it is on
            out += [text[done:start], self._by_group[match.lastgroup or ""]]
            done = end
        if not out:
            return text
        out.append(text[done:])
        return "".join(out)

    @classmethod
    def identity(cls) -> Redactor:
        return cls({})

    @classmethod
    def for_sessions(cls, sessions: Iterable[Session], language: Language) -> Redactor:
        """Every name any of these sessions knows: cases, private names, people, role holders."""
        names: dict[str, str] = {}
        short: dict[str, str] = {}
        people: list[str] = []
        for session in sessions:
            _add_scenario(names, short, session.scenario, language)
            people += [m.name for m in session.members]
            people += [p.name for p in session.scenario.participants]
            people += [getattr(session.roles, role) for role in ROLES]
        withheld = _WITHHELD[language]
        for name in people:
            names.setdefault(name, withheld)
        for name in people:
            _add_parts(names, short, name, withheld)
        return cls(names, before_honorific=short)


def _add_parts(names: dict[str, str], short: dict[str, str], name: str, replacement: str) -> None:
    anywhere, honorific_only = name_parts(name)
    for part in anywhere:
        names.setdefault(part, replacement)
    for part in honorific_only:
        short.setdefault(part, replacement)


def case_placeholder(case_name: str, language: Language) -> str:
    """What the case person is called in public minutes: Aさん / Person A."""
    if language == "en":
        return "Person A"
    _, suffix = _case_core(case_name)
    return f"A{suffix or 'さん'}"


def _add_scenario(
    names: dict[str, str], short: dict[str, str], scenario: Scenario, language: Language
) -> None:
    withheld = _WITHHELD[language]
    bare = "Person A" if language == "en" else "A"
    core = ""
    if scenario.case is not None:
        core, _ = _case_core(scenario.case.name)
        names[scenario.case.name] = case_placeholder(scenario.case.name, language)
        # The case person's name is withheld wherever it stands, even one kanji.
        names.setdefault(core, bare)
        _add_parts(names, short, core, bare)
    core_key = _folded(core).replace(" ", "")
    for name in scenario.private_names:
        # A variant of the case person's name (清水 トメ, 清水トメ) is the same person A.
        same = bool(core_key) and core_key in _folded(name).replace(" ", "")
        replacement = bare if same else withheld
        names.setdefault(name, replacement)
        _add_parts(names, short, name, replacement)


class PublicHolders:
    """Who runs or does something, as the public version shows it.

    Free text, often members' names: a member's name becomes their
    organisation ("鈴木 美和、中村 里美" → "社会福祉協議会、NPO法人 たすけあいの
    会"), then any other name the redactor knows goes. Built once per session.
    """

    def __init__(self, members: Sequence[Member], redact: Redactor, no_org: str) -> None:
        self.redact = redact
        self.by_org = Redactor({m.name: redact(m.organization) or no_org for m in members})

    def __call__(self, value: str) -> str:
        return self.redact(self.by_org(value)) if value else value

    def role(self, value: str, withheld: str) -> str:
        """A role is held by a person: someone who is not a member (a
        secretariat clerk, a coordinator) cannot be named at all."""
        if not value:
            return value
        shown = self.by_org(value)
        return self.redact(shown) if shown != value else withheld
