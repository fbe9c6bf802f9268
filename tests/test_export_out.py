"""``--out`` is a file (new or existing) or a folder; never a FIFO, a device or a link to one.

With ``--force``, writing "over" ``/dev/null`` would replace the device node
itself with a file when run as root (the write is a rename over the target),
and a FIFO made the export wait forever for a reader.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from chie_kokan.cli import main
from chie_kokan.i18n import t
from export_helpers import FIXTURES
from hang_guard import deadline

SHIMIZU = FIXTURES / "shimizu-session.toml"
COMMANDS = [
    ["export", str(SHIMIZU)],
    ["export", str(SHIMIZU), "--format", "docx", "--redact"],
    ["resources", str(SHIMIZU), "--format", "csv"],
]


def refused(args: list[str], out: Path, capsys: pytest.CaptureFixture[str], *, force: bool) -> str:
    with deadline(what=" ".join(args)):
        code = main([*args, "--out", str(out), *(["--force"] if force else [])])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.out + captured.err
    return captured.err


@pytest.mark.parametrize("args", COMMANDS, ids=["md", "docx", "resources"])
@pytest.mark.parametrize("force", [False, True], ids=["", "force"])
def test_a_symlink_to_a_device_is_refused(
    tmp_path: Path, args: list[str], force: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    for device in ("/dev/null", "/dev/zero"):
        link = tmp_path / "minutes.md"
        link.unlink(missing_ok=True)
        link.symlink_to(device)
        err = refused(args, link, capsys, force=force)
        assert t("export.not_a_file") in err
        assert link.is_symlink() and os.readlink(link) == device  # left as it was
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("args", COMMANDS, ids=["md", "docx", "resources"])
@pytest.mark.parametrize("force", [False, True], ids=["", "force"])
def test_a_fifo_is_refused_without_waiting(
    tmp_path: Path, args: list[str], force: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "minutes.md"
    os.mkfifo(fifo)
    err = refused(args, fifo, capsys, force=force)
    assert t("export.not_a_file") in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["minutes.md"]  # no temp file left


@pytest.mark.parametrize("args", COMMANDS, ids=["md", "docx", "resources"])
def test_a_device_itself_is_refused(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    # Without --force only: a regression here must not be able to replace /dev/null.
    err = refused(args, Path("/dev/null"), capsys, force=False)
    assert t("export.not_a_file") in err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("args", COMMANDS, ids=["md", "docx", "resources"])
def test_an_out_name_too_long_is_one_clear_message(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    err = refused(args, tmp_path / ("議" * 300 + ".md"), capsys, force=False)
    assert t("validation.name_too_long") in err


def test_an_out_file_behind_a_symlink_to_a_regular_file_is_still_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "real.md"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert main(["export", str(SHIMIZU), "--out", str(link), "--force"]) == 0
    assert "知恵交換会" in link.read_text(encoding="utf-8")
