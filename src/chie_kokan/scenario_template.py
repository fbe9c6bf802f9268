"""The commented template that ``chie-kokan new`` writes.

The list of step kinds in it is not typed into the template files: it is
written from the table of kinds (:data:`chie_kokan.models.kinds.KINDS`) and
each kind's words in the catalogs, so a new kind is listed without touching
the templates.
"""

from __future__ import annotations

from importlib import resources

from chie_kokan.i18n import Language, t
from chie_kokan.models.kinds import KINDS

KINDS_MARK = "#@kinds"
"""The line of the template files that becomes the list of kinds."""


def kinds_comment(language: Language) -> str:
    """Every kind of step, one comment line each: its name, short name and purpose."""
    width = max(len(kind.value) for kind in KINDS)
    lines = [t("template.kinds", language)]
    for kind in KINDS:
        words = {word: t(f"step.{kind.value}.{word}", language) for word in ("short", "purpose")}
        lines.append(t("template.kind", language, kind=kind.value.ljust(width), **words))
    return "".join(f"# {line}\n" for line in lines)


def template_text(language: Language) -> str:
    """The template in ``language``: every optional key shown, valid as written."""
    text = (
        resources.files("chie_kokan.data")
        .joinpath(f"scenario-template.{language}.toml")
        .read_text("utf-8")
    )
    lines = text.splitlines(keepends=True)
    (mark,) = [i for i, line in enumerate(lines) if line.startswith(KINDS_MARK)]
    lines[mark] = kinds_comment(language)
    return "".join(lines)
