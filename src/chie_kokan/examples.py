"""Success examples (成功例) as the recorder types them: what, who runs it, where.

On a spread step the entry has three fields. A recorder in a hurry may still
type everything into the first one, separated by ``/`` or ``／``; a Japanese
IME turns a typed ``/`` into ``・`` by default, which people use inside names
(見守り・配食サービス), so ``・`` never separates. No Textual here: the screen
calls these, and the tests check them on any text.
"""

from __future__ import annotations

SEPARATOR = "/"
FULL_WIDTH_SEPARATOR = "／"


def split_example(text: str) -> tuple[str, str, str]:
    """``"移動販売／商工会／第三団地の広場"`` → ``("移動販売", "商工会", "第三団地の広場")``.

    The first part is what is done, the second who runs it, and everything
    after that is where (a place may itself hold a slash: ``A棟 / B棟``).
    Text without a separator is all ``what``. Parts are stripped.
    """
    text = text.replace(FULL_WIDTH_SEPARATOR, SEPARATOR)
    what, _, rest = text.partition(SEPARATOR)
    runs_by, _, place = rest.partition(SEPARATOR)
    places = [part.strip() for part in place.split(SEPARATOR)] if place else []
    return what.strip(), runs_by.strip(), " / ".join(places)


def example_fields(what: str, runs_by: str = "", place: str = "") -> tuple[str, str, str]:
    """The three fields as recorded: the first one split only when the others are empty.

    Once the recorder has typed into "who" or "where", the first field is
    what they meant it to be, slashes and all (``24時間/365日の見守り``).
    """
    if runs_by.strip() or place.strip():
        return what.strip(), runs_by.strip(), place.strip()
    return split_example(what)
