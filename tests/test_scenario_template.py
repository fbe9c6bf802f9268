"""The template ``chie-kokan new`` writes lists the kinds of step from the kinds table."""

from __future__ import annotations

from pathlib import Path

import pytest

from chie_kokan.i18n import Language, t
from chie_kokan.models import KINDS
from chie_kokan.scenario_template import KINDS_MARK, template_text
from chie_kokan.storage import load_scenario


@pytest.mark.parametrize("language", ["ja", "en"])
def test_every_kind_in_the_table_is_listed_in_the_written_template(
    language: Language, tmp_path: Path
) -> None:
    text = template_text(language)
    assert KINDS_MARK not in text
    lines = text.splitlines()
    start = lines.index(f"# {t('template.kinds', language)}") + 1
    block = lines[start : start + len(KINDS) + 1]
    assert not block[-1].startswith("#   ")  # the list ends with the table
    for line, kind in zip(block, KINDS, strict=False):  # every kind, in the table's order
        assert line.split()[1] == kind.value
        assert t(f"step.{kind.value}.short", language) in line
        assert t(f"step.{kind.value}.purpose", language) in line
    path = tmp_path / "new.toml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).language == language  # still valid as written


def test_the_kinds_are_listed_once_where_the_steps_are_explained() -> None:
    text = template_text("ja")
    header = t("template.kinds", "ja")
    assert text.count(header) == 1
    assert text.index("# 手順") < text.index(header) < text.index("\n[[steps]]\n")
