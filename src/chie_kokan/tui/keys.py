"""Key bindings whose descriptions come from the catalog.

Textual merges ``BINDINGS`` when a class is created, so a screen gets its
translated bindings through a small per-language subclass
(:func:`localized`). Each key is listed once here and serves the footer,
the help screen, the command palette and the buttons alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, partial
from typing import TypeVar

from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode

from chie_kokan.i18n import Language, get_language, t


@dataclass(frozen=True)
class Key:
    """One action a person can take: key, action name, catalog label."""

    key: str
    action: str
    label: str
    """Catalog key of the short description (``keys.<label>``)."""
    show: bool = True
    """Shown in the footer."""
    priority: bool = False
    shown_as: str = ""
    """How to write keys that share one action (0–9), where the first alone would mislead."""
    bound: bool = True
    """False for a key another layer binds (Ctrl+Q, the app's): listed here, not bound twice."""

    def binding(self, language: Language) -> Binding:
        return Binding(
            self.key,
            self.action,
            t(f"keys.{self.label}", language),
            show=self.show,
            priority=self.priority,
            id=self.label,
            key_display=self.short_display(language),
        )

    def display(self, language: Language | None = None) -> str:
        """How the key is written on a button or in help: F2, Ctrl+Z, +, ↓."""
        if self.shown_as:
            return self.shown_as
        return key_name(self.key.split(",")[0], language)

    def short_display(self, language: Language | None = None) -> str:
        """The footer's narrower form: F2 as on the buttons, but ^Z for Ctrl+Z."""
        shown = self.display(language)
        return "^" + shown.removeprefix("Ctrl+") if shown.startswith("Ctrl+") else shown


_SYMBOLS = {
    "plus": "+",
    "minus": "-",
    "asterisk": "*",
    "equals_sign": "=",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}
"""Keys written as the symbol on the keycap, the same in every language."""

_WORDS = frozenset(
    {
        "space",
        "delete",
        "enter",
        "escape",
        "tab",
        "backspace",
        "home",
        "end",
        "pageup",
        "pagedown",
        "insert",
    }
)
"""Keys written as a word: the catalog says how the UI's language names them."""

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super"})


def key_name(key: str, language: Language | None = None) -> str:
    """One Textual key (``ctrl+q``, ``down``, ``f7``) as the UI writes it: Ctrl+Q, ↓, F7."""
    *modifiers, name = key.split("+")  # Textual names "+" itself "plus"
    parts = [
        t(f"polish.key.{part}", language) if part in _MODIFIERS else part.capitalize()
        for part in modifiers
    ]
    if name in _SYMBOLS:
        parts.append(_SYMBOLS[name])
    elif name in _WORDS:
        parts.append(t(f"polish.key.{name}", language))
    elif len(name) == 1:
        parts.append(name.upper())
    else:
        parts.append(name.capitalize())  # f7 → F7
    return "+".join(parts)


N = TypeVar("N", bound=DOMNode)


@cache
def _localized(cls: type[N], language: Language) -> type[N]:
    keys: tuple[Key, ...] = getattr(cls, "KEYS", ())
    bindings = [key.binding(language) for key in keys if key.bound]
    namespace = {"BINDINGS": bindings, "__module__": cls.__module__, "_language": language}
    return type(cls.__name__, (cls,), namespace)


def localized(cls: type[N], language: Language | None = None) -> type[N]:
    """``cls`` with the bindings of its ``KEYS`` described in ``language``."""
    return _localized(cls, language or get_language())


class LocalizedKeys(DOMNode):
    """For screens made directly (``ConfirmDialog(...)``): localized however they are built.

    Making one gives an instance of its :func:`localized` subclass, so the
    footer describes its keys in the UI's language without every caller
    writing ``localized(ConfirmDialog)(...)``.
    """

    _language: Language | None = None
    """Set on the localized subclass only."""

    def __new__(cls, *args: object, **kwargs: object) -> LocalizedKeys:
        if cls.__dict__.get("_language") is None:
            cls = localized(cls)
        return super().__new__(cls)


class KeyPalette(DOMNode):
    """For screens: one command palette entry per key that applies now.

    Put it before ``Screen`` in the bases; the app asks every screen for
    ``palette_commands()``.
    """

    KEYS: tuple[Key, ...] = ()

    def palette_keys(self) -> Iterable[Key]:
        return self.KEYS

    def palette_title(self, key: Key, keys: Sequence[Key] = ()) -> str:
        """The entry's name; ``keys`` are all the keys that do this (first: ``key``)."""
        return t(f"keys.{key.label}")

    def palette_help(self, key: Key) -> str:
        return t(f"help.{key.label}")

    def palette_commands(self) -> Iterable[SystemCommand]:
        # One entry per action: E on the board and Ctrl+O both edit the card.
        by_action: dict[str, list[Key]] = {}
        for key in self.palette_keys():
            # Board keys act on the screen ("screen.vote"); ask about "vote".
            action = key.action.removeprefix("screen.")
            if self.check_action(action, ()) is False:
                continue
            by_action.setdefault(action, []).append(key)
        for keys in by_action.values():
            key = keys[0]
            yield SystemCommand(
                self.palette_title(key, keys),
                self.palette_help(key),
                partial(self.run_action, key.action),
            )
