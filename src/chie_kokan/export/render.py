"""Markdown and HTML minutes from Jinja2 templates.

Jinja2 because an office must be able to match its own 様式 (layout) without
touching Python, and because its autoescape makes every person's text safe in
HTML without us escaping by hand. The defaults ship in ``templates/`` per
language; ``--template FILE`` replaces them (and may still include
``minutes.css`` or extend a default).
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any, Literal

import jinja2

from chie_kokan.export.minutes import Minutes
from chie_kokan.i18n import t
from chie_kokan.problems import FileError, Problem

TextFormat = Literal["md", "html"]


def md_cell(value: object) -> str:
    """Text for a Markdown table cell: a | or a line break would end the cell."""
    return str(value).replace("|", "\\|").replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _environment(fmt: TextFormat, template: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if template is not None:
        loaders.append(jinja2.FileSystemLoader(template.parent))
    loaders.append(jinja2.PackageLoader("chie_kokan.export", "templates"))
    # A fresh environment per call: nothing shared between threads or calls.
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=fmt == "html",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = md_cell
    return env


def context(minutes: Minutes) -> dict[str, Any]:
    """The template variables: the fields of :class:`Minutes`, at the top level."""
    return {f.name: getattr(minutes, f.name) for f in fields(minutes)}


def render_text(minutes: Minutes, fmt: TextFormat, template: Path | None = None) -> str:
    """The minutes as Markdown or HTML, from the default or a user's template.

    A user's template that cannot be read or rendered is a :class:`FileError`
    naming the file and line, like any other file a person wrote.
    """
    env = _environment(fmt, template)
    name = template.name if template is not None else f"minutes.{minutes.lang}.{fmt}.j2"
    if template is None:
        return env.get_template(name).render(context(minutes))
    try:
        return env.get_template(name).render(context(minutes))
    except jinja2.TemplateSyntaxError as error:
        where = Path(error.filename) if error.filename else template
        message = t("export.template_error", detail=error.message)
        raise FileError([Problem(where, message, line=error.lineno)]) from None
    except jinja2.TemplateNotFound:
        raise FileError([Problem(template, t("validation.not_found"))]) from None
    except UnicodeDecodeError:
        raise FileError([Problem(template, t("export.template_not_utf8"))]) from None
    except Exception as error:
        # A person's template may fail in any way at render time (a typo'd
        # variable, a filter on the wrong type): say so, name the file.
        detail = getattr(error, "message", None) or str(error) or type(error).__name__
        raise FileError([Problem(template, t("export.template_error", detail=detail))]) from None
