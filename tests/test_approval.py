"""案 → 確定: ``chie-kokan approve SESSION --by NAME``, end to end."""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from chie_kokan.cli import main
from chie_kokan.export.formatting import format_date
from chie_kokan.i18n import t
from chie_kokan.lock import lock_session
from chie_kokan.models import Approval, Status
from chie_kokan.storage import load_session, save_session
from export_helpers import FIXTURES, docx_text

JST_NOON = datetime(2026, 12, 1, 12, 0, tzinfo=timezone(timedelta(hours=9)))


@pytest.fixture
def session_file() -> Path:
    """The finished Japanese meeting, a draft, in ./sessions."""
    Path("sessions").mkdir()
    return Path(shutil.copy(FIXTURES / "shimizu-session.toml", "sessions"))


def minutes_texts(path: Path, *extra: str) -> dict[str, str]:
    """The minutes exported through the command line, as a reader sees each format."""
    out = {}
    for fmt in ("md", "html", "docx"):
        target = Path(f"minutes-{len(extra)}.{fmt}")
        assert main(["export", str(path), "--format", fmt, "--out", str(target), *extra]) == 0
        data = target.read_bytes()
        out[fmt] = docx_text(data) if fmt == "docx" else data.decode("utf-8")
        target.unlink()
    return out


def test_approved_minutes_show_who_and_when_and_are_no_longer_a_draft(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for text in minutes_texts(session_file).values():
        assert "（案）" in text and "確定" not in text
    assert main(["approve", str(session_file), "--by", "  山田 花子 "]) == 0
    today = format_date(date.today(), "ja")
    assert today in capsys.readouterr().out
    session = load_session(session_file)
    assert session.status is Status.APPROVED
    assert session.approval is not None and session.approval.by == "山田 花子"
    for fmt, text in minutes_texts(session_file).items():
        assert f"{today} 山田 花子 確定" in text, fmt
        assert "（案）" not in text, fmt
    # The public version names an approving member by organisation only.
    for fmt, text in minutes_texts(session_file, "--redact").items():
        assert f"{today} 第三団地自治会 確定" in text, fmt
        assert "山田" not in text, fmt


def test_approving_twice_keeps_the_first_approval(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["approve", str(session_file), "--by", "山田 花子"]) == 0
    before = session_file.read_bytes()
    capsys.readouterr()
    assert main(["approve", str(session_file), "--by", "佐藤 一郎"]) == 0
    assert "すでに確定しています" in capsys.readouterr().out
    assert session_file.read_bytes() == before


def test_approve_changes_only_the_status_and_the_approval(session_file: Path) -> None:
    before = load_session(session_file).model_dump()
    assert main(["approve", str(session_file), "--by", "山田 花子"]) == 0
    after = load_session(session_file).model_dump()
    assert (after.pop("status"), before.pop("status")) == (Status.APPROVED, Status.DRAFT)
    assert after.pop("approval")["by"] == "山田 花子" and before.pop("approval") is None
    assert after == before  # updated_at too: the minutes' open ends stay where they were


@pytest.mark.parametrize("name", ["", "   ", "\u3000"])
def test_a_blank_name_is_refused(
    session_file: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = session_file.read_bytes()
    assert main(["approve", str(session_file), "--by", name]) == 2
    assert capsys.readouterr().err.strip() == t("cli.error_prefix") + t("approve.by_blank")
    assert session_file.read_bytes() == before


def test_a_session_open_on_a_screen_is_refused_and_left_alone(
    session_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = session_file.read_bytes()
    lock = lock_session(session_file)
    assert lock is not None
    try:
        assert main(["approve", str(session_file), "--by", "山田 花子"]) == 2
    finally:
        lock.release()
    err = capsys.readouterr().err
    assert "別の画面で開かれています" in err and str(session_file) in err
    assert "Traceback" not in err
    assert session_file.read_bytes() == before
    assert not Path(f"{session_file}.lock").exists()
    # Closed on the screen: now it can be approved, and approve leaves no lock behind.
    assert main(["approve", str(session_file), "--by", "山田 花子"]) == 0
    assert not Path(f"{session_file}.lock").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.toml"], "missing.toml"),
        ([str(FIXTURES.parent.parent.parent / "scenarios" / "shimizu.toml")], "shimizu.toml"),
    ],
    ids=["missing", "a-scenario"],
)
def test_a_file_that_is_no_session_is_named(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["approve", *args, "--by", "山田 花子"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_approve_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "approve" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["approve", "--help"])
    assert "--by" in capsys.readouterr().out


def test_the_approval_saves_and_loads(session_file: Path) -> None:
    session = load_session(session_file)
    session.status = Status.APPROVED
    session.approval = Approval(by="山田 花子", at=JST_NOON)
    save_session(session, session_file)
    loaded = load_session(session_file)
    assert loaded.approval == Approval(by="山田 花子", at=JST_NOON)
    assert loaded.model_dump() == session.model_dump()
