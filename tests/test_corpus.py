"""The hostile-file corpus through every command (issue 7: bad input gets a clear answer).

Every file in ``tests/fixtures/bad/`` and the cases that cannot be committed
(a FIFO, links to devices, a folder, a name too long, a file over the size
limit, file names with control characters or not in UTF-8), made at test
time, go through ``validate``, ``export`` (md, html, docx, each also
``--redact``), ``resources`` (md, csv) and ``resume``. Each must:

- exit 0 or 2, with no traceback and no raw control character in its output;
- return within a deadline: a hang guard the issue promises, not a speed test
  (``hang_guard.deadline``, which also interrupts a blocking read);
- write nothing anywhere but the output folder (``exports/``): the whole
  working folder is compared before and after.

``resume`` of a file that cannot be loaded returns 2 before any screen is
made; a file that loads is opened through Pilot and quit, and must leave
the folder as it was (the session file itself may be saved) and still load.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chie_kokan import files
from chie_kokan.cli import main
from chie_kokan.models.ids import safe_session_id
from chie_kokan.problems import FileError
from chie_kokan.storage import load_scenario, load_session
from chie_kokan.tui.app import ChieKokanApp, make_app
from chie_kokan.widths import TWINS
from hang_guard import deadline
from test_cli import EXPECTED, HOSTILE_VALID, WIDTH_MISTAKES, problem_lines
from test_tui_running import save_and_quit
from text_helpers import CONTROL

FIXTURES = Path(__file__).parent / "fixtures"
BAD = FIXTURES / "bad"
EXPORTS = "exports"

COMMANDS: list[list[str]] = [
    ["validate"],
    *(
        ["export", "--format", fmt, *redact]
        for fmt in ("md", "html", "docx")
        for redact in ([], ["--redact"])
    ),
    ["resources", "--format", "md"],
    ["resources", "--format", "csv"],
]


# -- the cases that cannot be committed, made in the working folder ----------------


def _copy(name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        shutil.copyfile(FIXTURES / "session-minimal.toml", path)
        return path

    return make


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe.toml")
    return folder / "pipe.toml"


def _link_to(device: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / "device.toml").symlink_to(device)
        return folder / "device.toml"

    return make


def _folder(folder: Path) -> Path:
    (folder / "folder.toml").mkdir()
    (folder / "folder.toml" / "inside.toml").write_text("schema = 1\n", encoding="utf-8")
    return folder / "folder.toml"


def _oversize(folder: Path) -> Path:
    path = folder / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(files.MAX_FILE_BYTES + 1)  # sparse: no disk used
    return path


def _many_mistakes(folder: Path) -> Path:
    text = (FIXTURES / "session-minimal.toml").read_text(encoding="utf-8")
    cards = "".join(
        f'\n[[cards]]\nid = "x{i}"\nstep = 1\nkind = "share"\ntext = "t"\nvotes = -1\n'
        f"created_at = 2026-11-27T14:06:00+09:00\n"
        for i in range(500)
    )
    path = folder / "many.toml"
    path.write_text(text.replace("\n[live]", cards + "\n[live]"), encoding="utf-8")
    return path


GENERATED: dict[str, Callable[[Path], Path]] = {
    "fifo": _fifo,
    "link-to-dev-zero": _link_to("/dev/zero"),
    "link-to-dev-urandom": _link_to("/dev/urandom"),
    "link-to-dev-null": _link_to("/dev/null"),
    "dangling-link": _link_to("/nonexistent/session.toml"),
    "folder": _folder,
    "name-too-long": lambda folder: folder / ("清" * 300 + ".toml"),
    "path-too-long": lambda folder: folder.joinpath(*["a" * 200] * 25, "x.toml"),
    "over-the-size-limit": _oversize,
    "escape-in-file-name": _copy("\x1b]0;pwned\x07\x1b[2J.toml"),
    "file-name-not-utf8": _copy(b"\xff\xfe-session.toml".decode("utf-8", "surrogateescape")),
    "500-mistakes": _many_mistakes,
}
CASES = [*sorted(p.name for p in BAD.iterdir()), *GENERATED]


def place(case: str, folder: Path) -> Path:
    """The case's file in ``folder`` (the working folder): a copy, or made there."""
    if case in GENERATED:
        return GENERATED[case](folder)
    path = folder / case
    shutil.copyfile(BAD / case, path)
    return path


def tree(folder: Path, *, skip: str | None = None) -> dict[str, Any]:
    """Everything under ``folder`` (without following links): kind and content."""
    found: dict[str, Any] = {}
    for root, dirs, names in os.walk(folder):
        for name in [*dirs, *names]:
            path = Path(root, name)
            relative = str(path.relative_to(folder))
            if skip is not None and (relative == skip or relative.startswith(skip + os.sep)):
                continue
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                found[relative] = ("link", os.readlink(path))
            elif stat.S_ISREG(info.st_mode) and info.st_size < 2**20:
                found[relative] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
            else:
                found[relative] = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns)
    return found


# Made at test time from a valid session: only their file names are hostile.
GENERATED_VALID = {"escape-in-file-name", "file-name-not-utf8"}


def valid(case: str) -> bool:
    """Does the case hold a file that loads (hostile, perhaps, but valid)?"""
    return case in HOSTILE_VALID or case in GENERATED_VALID


# -- every command-line command --------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _imported() -> None:
    # Import what the commands use once, before any deadline runs.
    import docx  # noqa: F401
    import jinja2  # noqa: F401

    import chie_kokan.export  # noqa: F401


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 60 + len(GENERATED)
    assert len(EXPECTED) >= 60 and len(HOSTILE_VALID) >= 5


@pytest.mark.parametrize("case", CASES)
def test_every_command_answers_clearly_at_once_and_writes_only_exports(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = place(case, tmp_path)
    before = tree(tmp_path)
    for command in COMMANDS:
        args = [command[0], str(path), *command[1:]]
        with deadline(what=f"chie-kokan {' '.join(args)!r}"):
            code = main(args)
        out, err = capsys.readouterr()
        assert code in (0, 2), (args, out, err)
        assert "Traceback" not in out + err
        assert not CONTROL.search(out + err), (args, out + err)
        if command == ["validate"]:
            assert code == (0 if valid(case) else 2), out + err
        else:
            assert code == 2 or valid(case), (args, out + err)
        assert tree(tmp_path, skip=EXPORTS) == before, args
    exports = tmp_path / EXPORTS
    if exports.exists():
        for written in exports.iterdir():
            assert written.is_file() and not written.is_symlink()
            stem = written.name.split(".")[0].removesuffix("-public")
            assert safe_session_id(stem) == stem or stem == "resources", written.name


# -- full-width slips (issue 13): each named exactly, in both languages, and fixable -----


@pytest.mark.parametrize("name", list(WIDTH_MISTAKES))
@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_width_mistake_is_named_with_its_place_and_what_to_type(
    name: str, language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD / name
    code = main(["--lang", language, "validate", str(path)])
    out, err = capsys.readouterr()
    assert code == 2
    expected = [
        f"{path} {ja}" if language == "ja" else f"{path} {en}" for ja, en in WIDTH_MISTAKES[name]
    ]
    assert problem_lines(out) == expected
    assert "--fix" in err  # the way to repair them all at once


@pytest.mark.parametrize("name", list(WIDTH_MISTAKES))
def test_fix_makes_each_width_mistake_valid_changing_only_the_twins(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    shutil.copyfile(BAD / name, path)
    before = path.read_text("utf-8")
    assert main(["validate", "--fix", "--yes", str(path)]) == 0, capsys.readouterr()
    after = path.read_text("utf-8")
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed and all(TWINS[a] == b for a, b in changed)
    # Only the lines the messages named are touched.
    named = {int(en.split(",")[0].removeprefix("line ")) for _, en in WIDTH_MISTAKES[name]}
    pairs = enumerate(zip(before.splitlines(), after.splitlines(), strict=True), start=1)
    assert {number for number, (old, new) in pairs if old != new} == named
    load_scenario(path)


# -- resume ------------------------------------------------------------------------------


def loads(path: Path) -> bool:
    with deadline(what=f"load_session({path})"):
        try:
            load_session(path)
        except FileError:
            return False
    return True


@pytest.mark.parametrize("case", CASES)
async def test_resume_refuses_before_any_screen_or_opens_and_quits_cleanly(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = place(case, tmp_path)
    before = tree(tmp_path)
    if not loads(path):

        def no_screen(self: ChieKokanApp, *args: object, **kwargs: object) -> None:
            raise AssertionError(f"a screen was started for {case}")

        monkeypatch.setattr(ChieKokanApp, "run", no_screen)
        with deadline(what=f"chie-kokan resume {case!r}"):
            code = main(["resume", str(path), "--sessions-dir", str(tmp_path / "sessions")])
        out, err = capsys.readouterr()
        assert code == 2
        assert err.strip() and "Traceback" not in out + err
        assert not CONTROL.search(out + err)
        assert tree(tmp_path) == before
        return
    app = make_app(session_path=path, sessions_dir=tmp_path / "sessions")
    # Starting a Textual app takes longer than a command; still a hang guard.
    with deadline(15, what=f"resume {case!r} on screen"):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await save_and_quit(pilot)
    assert app.return_code == 0
    load_session(path)  # saved on quit, and still valid
    after = tree(tmp_path)
    assert sorted(after) == sorted(before)  # no lock, temp or export file left behind
    assert {k: v for k, v in after.items() if k != path.name} == {
        k: v for k, v in before.items() if k != path.name
    }
