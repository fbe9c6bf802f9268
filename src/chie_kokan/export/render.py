"""Markdown and HTML minutes from Jinja2 templates.

Jinja2 because an office must be able to match its own 様式 (layout) without
touching Python, and because its autoescape makes every person's text safe in
HTML without us escaping by hand. The defaults ship in ``templates/`` per
language; ``--template FILE`` replaces them (and may still include
``minutes.css`` or extend a default).

Every template runs in Jinja2's immutable sandbox: it reads the minutes view
and Jinja2's own filters and tests, calls no Python internals, changes
nothing, and includes only files in its own folder or the shipped templates.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from chie_kokan.export.minutes import Minutes
from chie_kokan.files import read_text
from chie_kokan.i18n import t
from chie_kokan.problems import FileError, Problem

TextFormat = Literal["md", "html"]


# Markdown-significant ASCII anywhere in a line: raw HTML and autolinks (<),
# links and images ([ ]), emphasis (* _ ~), code (`), tables (|), entities
# (&), and the escape character itself. Japanese is left alone.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~&])")
# Significant only where a line starts: headings, list items, setext underlines.
_MD_LINE_MARK = re.compile(r"^([ \t]*)([#+=-])")
_MD_LINE_NUMBER = re.compile(r"^([ \t]*\d{1,9})([.)])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MD_ANY = re.compile(r"[\\`*_\[\]<>|~&\r\n]")
"""Anything the escapes below could touch but a mark at the text's start."""


def md_escape(text: str) -> str:
    """People's text for Markdown: reads as typed once rendered, and never becomes
    HTML, a link, an image, a heading, a list or emphasis.

    Backslash-escapes the ASCII characters Markdown gives a meaning (CommonMark
    renders ``\\*`` as ``*``), those at the start of a line only where they
    start one; a line break becomes a hard break (a backslash at the line's end).
    """
    plain = not (_MD_ANY.search(text) or _MD_LINE_MARK.match(text) or _MD_LINE_NUMBER.match(text))
    if plain:
        return text  # most of people's text: one line with nothing Markdown reads
    lines = _LINE_BREAK.split(text.rstrip("\r\n"))
    escaped = []
    for line in lines:
        line = _MD_INLINE.sub(r"\\\1", line)
        line = _MD_LINE_MARK.sub(r"\1\\\2", line)
        escaped.append(_MD_LINE_NUMBER.sub(r"\1\\\2", line))
    return "\\\n".join(escaped)


def md_cell(value: object) -> str:
    """Text for a Markdown table cell: a line break would end the row.

    The text is escaped already (``|`` included); a hard break goes with its
    line break.
    """
    return re.sub(r"\\?(?:\r\n|\r|\n)", " ", str(value))


def _escaped(value: Any, done: dict[int, Any]) -> Any:
    """Every text in the minutes view escaped for Markdown, once; the rest as is."""
    if isinstance(value, str):
        return md_escape(value)
    if isinstance(value, list):
        return [_escaped(item, done) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        if id(value) not in done:
            changes = {f.name: _escaped(getattr(value, f.name), done) for f in fields(value)}
            done[id(value)] = replace(value, **changes)
        return done[id(value)]
    return value


class _OutsideFolder(SecurityError):
    """A template tried to include a file outside its own folder."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class _FolderLoader(jinja2.FileSystemLoader):
    """Files in a person's template folder only: not above it, not through a link out of it."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.root = folder.resolve()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        path = self.root / template
        if not path.resolve().is_relative_to(self.root):
            raise _OutsideFolder(template)
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)  # the shipped templates are tried next
        # Read as every file a person gives us is: a FIFO or a device is
        # refused (Jinja2's own reader would say "not found" or wait), a huge
        # file too, each with its own message.
        return read_text(path), str(path), None


def _environment(fmt: TextFormat, template: Path | None) -> jinja2.Environment:
    if template is None:
        return _shipped_environment(fmt)
    return _new_environment(fmt, template)


@cache
def _shipped_environment(fmt: TextFormat) -> jinja2.Environment:
    """One environment per format for the shipped templates, compiled once a process:
    compiling the three took about a third of an export (F10 exports again and
    again in one meeting). Jinja2 environments may be shared once set up; this
    one is never changed after it is made."""
    return _new_environment(fmt, None)


def _new_environment(fmt: TextFormat, template: Path | None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if template is not None:
        loaders.append(_FolderLoader(template.parent))
    loaders.append(jinja2.PackageLoader("chie_kokan.export", "templates"))
    # A person's template gets a fresh environment per call: nothing of it is kept.
    # Sandboxed, because a template may come from anywhere: it reads the
    # minutes and Jinja2's own filters, never Python's insides (no
    # __globals__, no os), and changes nothing (immutable: no .append).
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=fmt == "html",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = md_cell
    return env


def context(minutes: Minutes, fmt: TextFormat = "html") -> dict[str, Any]:
    """The template variables: the fields of :class:`Minutes`, at the top level.

    For Markdown every text is escaped here, once (see :func:`md_escape`), so
    no template, ours or a person's, can forget it; HTML is autoescaped.
    """
    view = _escaped(minutes, {}) if fmt == "md" else minutes
    return {f.name: getattr(view, f.name) for f in fields(view)}


def render_page(name: str, **values: Any) -> str:
    """A shipped HTML template (``templates/<name>``), autoescaped, with ``values``."""
    return _environment("html", None).get_template(name).render(values)


def render_text(minutes: Minutes, fmt: TextFormat, template: Path | None = None) -> str:
    """The minutes as Markdown or HTML, from the default or a user's template.

    A user's template that cannot be read or rendered is a :class:`FileError`
    naming the file and line, like any other file a person wrote.
    """
    env = _environment(fmt, template)
    name = template.name if template is not None else f"minutes.{minutes.lang}.{fmt}.j2"
    if template is None:
        return env.get_template(name).render(context(minutes, fmt))
    try:
        return env.get_template(name).render(context(minutes, fmt))
    except FileError:
        raise  # already names the file and says what is wrong
    except jinja2.TemplateSyntaxError as error:
        where = Path(error.filename) if error.filename else template
        message = t("export.template_error", detail=error.message)
        raise FileError([Problem(where, message, line=error.lineno)]) from None
    except jinja2.TemplateNotFound:
        raise FileError([Problem(template, t("validation.not_found"))]) from None
    except _OutsideFolder as error:
        message = t("export.template_outside", name=error.name)
        raise FileError([Problem(template, message)]) from None
    except SecurityError as error:
        detail = str(error).rstrip(".") or type(error).__name__
        raise FileError([Problem(template, t("export.template_unsafe", detail=detail))]) from None
    except UnicodeDecodeError:
        raise FileError([Problem(template, t("export.template_not_utf8"))]) from None
    except Exception as error:
        # A person's template may fail in any way at render time (a typo'd
        # variable, a filter on the wrong type): say so, name the file.
        detail = getattr(error, "message", None) or str(error) or type(error).__name__
        raise FileError([Problem(template, t("export.template_error", detail=detail))]) from None
