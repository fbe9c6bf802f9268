"""Helpers for tests of hostile text: what a control character is; every string of a model."""

from __future__ import annotations

import re
from typing import Any

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Every C0 control but newline and tab (so CR too), DEL and every C1 control:
what must never reach a terminal or a file a person opens."""


def all_strings(value: Any) -> list[str]:
    """Every string in a dumped model (``model_dump()``), however deep."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in all_strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in all_strings(item)]
    return [value] if isinstance(value, str) else []
