"""The commented template that ``chie-kokan new`` writes."""

from __future__ import annotations

from importlib import resources

from chie_kokan.i18n import Language


def template_text(language: Language) -> str:
    """The template in ``language``: every optional key shown, valid as written."""
    return (
        resources.files("chie_kokan.data")
        .joinpath(f"scenario-template.{language}.toml")
        .read_text("utf-8")
    )
