"""Reading and writing files: clear problems for bad input, atomic saves, free names."""

from __future__ import annotations

import errno
import os
import stat
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from chie_kokan import files, storage
from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine, new_session
from chie_kokan.i18n import set_language, t
from chie_kokan.models import Scenario, Session
from chie_kokan.problems import MAX_PROBLEMS, FileError, Problem
from chie_kokan.storage import (
    atomic_write,
    create_session_file,
    load_any,
    load_scenario,
    load_session,
    read_sessions,
    save_session,
    session_path,
    session_text,
    toml_files,
)
from hang_guard import deadline

FIXTURES = Path(__file__).parent / "fixtures"

GOOD = """\
schema = 1
title = "知恵交換会"
theme = "買い物と移動"

[[steps]]
kind = "opening"
minutes = 5

[[steps]]
kind = "share"
minutes = 20

[[steps]]
kind = "pick"
minutes = 15
"""


def write(tmp_path: Path, text: str, name: str = "scenario.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(load: Any, path: Path) -> list[Problem]:
    with pytest.raises(FileError) as caught:
        load(path)
    assert caught.value.problems
    for problem in caught.value.problems:
        assert problem.file == path
        assert str(path) in str(problem)
    return caught.value.problems


@pytest.fixture
def session(shimizu: Scenario, clock: ManualClock) -> Session:
    engine = SessionEngine(new_session(shimizu, session_id="shimizu", clock=clock), clock)
    engine.begin()
    engine.next_step()
    engine.record_card("駅前のスーパーが閉店した")
    return engine.session


# -- reading: one clear problem per fault -------------------------------------------


def test_a_good_scenario_loads(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, GOOD))
    assert [s.minutes for s in scenario.flow] == [5, 20, 15]


def test_a_syntax_error_is_one_problem_with_line_and_column(tmp_path: Path) -> None:
    text = GOOD.replace('theme = "買い物と移動"', 'theme = "買い物と移動')
    path = write(tmp_path, text)
    (problem,) = problems(load_scenario, path)
    assert problem.line == 3
    # The column is within the broken line (tomllib points at its end).
    assert problem.column is not None
    assert 1 <= problem.column <= len(text.splitlines()[2]) + 1
    assert problem.field is None
    assert f"{path} 3行目 {problem.column}文字目" in str(problem)


def test_a_validation_error_names_the_field_path_and_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("minutes = 15", "minutes = 0"))
    (problem,) = problems(load_scenario, path)
    assert problem.field == "steps[2].minutes"
    assert problem.line == GOOD.splitlines().index("minutes = 15") + 1
    assert "steps[2].minutes" in str(problem)


def test_every_fault_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace('title = "知恵交換会"\n', "").replace("minutes = 20", "minutes = -1")
    found = problems(load_scenario, write(tmp_path, text))
    assert sorted(p.field or "" for p in found) == ["steps[1].minutes", "title"]


def test_unknown_keys_are_named_with_the_keys_allowed_there(tmp_path: Path) -> None:
    set_language("en")
    path = write(tmp_path, GOOD.replace("minutes = 20", "minutez = 20"))
    (problem,) = problems(load_scenario, path)
    assert problem.field == "steps[1].minutez"
    assert problem.line == GOOD.splitlines().index("minutes = 20") + 1
    allowed = problem.message.split(":")[-1]
    for key in ("kind", "title", "prompt", "questions", "minutes", "turns", "seconds_per_turn"):
        assert key in allowed
    assert "minutez" in problem.message


def test_unknown_top_level_key_lists_top_level_keys(tmp_path: Path) -> None:
    set_language("en")
    path = write(tmp_path, GOOD.replace("schema = 1\n", "schema = 1\nthema = 'x'\n"))
    (problem,) = problems(load_scenario, path)
    assert (problem.field, problem.line) == ("thema", 2)
    assert "theme" in problem.message and "participants" in problem.message
    assert "seconds_per_turn" not in problem.message


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "sjis.toml"
    path.write_bytes(GOOD.encode("shift_jis"))
    (problem,) = problems(load_scenario, path)
    assert problem.line == 2  # the title is the first line with non-ASCII text
    assert "UTF-8" in problem.message


def test_a_bom_from_notepad_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    assert load_scenario(path).title == "知恵交換会"


@pytest.mark.parametrize("content", ["", "\n  \n\t", "# コメントだけ\n\n# もう一行\n"])
def test_an_empty_file(tmp_path: Path, content: str) -> None:
    path = write(tmp_path, content)
    (empty,) = problems(load_any, path)
    (whitespace,) = problems(load_scenario, path)
    assert empty.message == whitespace.message
    assert "new" in empty.message  # points at `chie-kokan new`


def test_a_directory(tmp_path: Path) -> None:
    (problem,) = problems(load_any, tmp_path)
    assert problem.line is None
    (same,) = problems(load_session, tmp_path)
    assert same.message == problem.message


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    (problem,) = problems(load_any, path)
    (directory,) = problems(load_any, tmp_path)
    assert problem.message != directory.message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    path.chmod(0)
    try:
        (problem,) = problems(load_any, path)
    finally:
        path.chmod(0o644)
    assert problem.line is None


# -- reading: only regular files, bounded in size, never a hang ------------------------

LOADERS = [load_any, load_scenario, load_session]


def refused(path: Path, message_key: str, **values: object) -> None:
    """Every loader refuses ``path`` with the same one problem, without hanging."""
    for load in LOADERS:
        with deadline(what=f"{load.__name__}({path})"):
            (problem,) = problems(load, path)
        assert problem.message == t(message_key, **values)
        assert problem.line is None


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    refused(fifo, "validation.not_regular")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_or_a_symlink_to_one_is_refused(tmp_path: Path, device: str) -> None:
    link = tmp_path / "scenario.toml"
    link.symlink_to(device)
    refused(link, "validation.not_regular")
    refused(Path(device), "validation.not_regular")


def test_a_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    target = write(tmp_path, GOOD, "real.toml")
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    assert load_scenario(link).title == "知恵交換会"


def test_a_directory_or_a_symlink_to_one(tmp_path: Path) -> None:
    (tmp_path / "folder.toml").mkdir()
    (tmp_path / "link.toml").symlink_to(tmp_path / "folder.toml")
    refused(tmp_path / "folder.toml", "validation.is_directory")
    refused(tmp_path / "link.toml", "validation.is_directory")


def test_a_file_over_the_size_limit_is_refused_and_the_limit_is_named(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    with path.open("wb") as handle:
        handle.truncate(files.MAX_FILE_BYTES + 1)  # sparse: no disk used
    megabytes = files.MAX_FILE_BYTES // 2**20
    refused(path, "validation.too_large", limit=megabytes)
    assert f"{megabytes} MB" in t("validation.too_large", limit=megabytes)


def test_a_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    with path.open("ab") as handle:
        handle.write(b"#" * (files.MAX_FILE_BYTES - path.stat().st_size))
    assert path.stat().st_size == files.MAX_FILE_BYTES
    assert load_scenario(path).title == "知恵交換会"


def test_only_the_limit_is_read_from_a_file_that_keeps_growing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A regular file can still be endless (one being appended to, or /proc):
    # reading stops one byte past the limit.
    path = write(tmp_path, GOOD)
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 100)
    reads: list[int] = []
    real_read = os.read

    def endless(fd: int, size: int) -> bytes:
        reads.append(size)
        return real_read(fd, size) or b"#" * size

    monkeypatch.setattr(os, "read", endless)
    with deadline():
        (problem,) = problems(load_scenario, path)
    assert problem.message == t("validation.too_large", limit=0)
    assert sum(reads) == 101


def test_a_ten_megabyte_session_loads(tmp_path: Path, session: Session) -> None:
    # A generous margin over any real meeting (hundreds of cards, ~0.1 MB).
    card = session.cards[0]
    session.cards = [
        card.model_copy(update={"id": f"c{i}", "text": f"{card.text} {'あ' * 300} {i}"})
        for i in range(1, 10_000)
    ]
    path = tmp_path / "big.toml"
    save_session(session, path)
    assert path.stat().st_size > 10_000_000
    assert len(load_session(path).cards) == 9_999


@pytest.mark.parametrize(
    "name", ["a" * 300 + ".toml", "清" * 300 + ".toml"], ids=["ascii", "kanji"]
)
def test_a_file_name_too_long_is_one_clear_problem(tmp_path: Path, name: str) -> None:
    refused(tmp_path / name, "validation.name_too_long")


def test_a_path_too_long_is_one_clear_problem(tmp_path: Path) -> None:
    # Every folder name is allowed; together they exceed what the system opens.
    deep = tmp_path.joinpath(*["a" * 200] * 25) / "x.toml"
    refused(deep, "validation.name_too_long")


# -- parser failures: one problem naming the file and the line -----------------------


@pytest.mark.parametrize("depth", [600, 5_000, 200_000])
@pytest.mark.parametrize(
    ("opening", "closing"), [("[", "]"), ("{a = ", "}")], ids=["array", "table"]
)
def test_nesting_too_deep_names_its_line(
    tmp_path: Path, depth: int, opening: str, closing: str
) -> None:
    # tomllib recurses once per level: deep enough, and Python's stack runs out.
    bomb = "x = " + opening * depth + "1" + closing * depth
    path = write(tmp_path, f"{GOOD}\n# the bomb:\n{bomb}\nfoo = 1\n")
    for load in LOADERS:
        with deadline():
            (problem,) = problems(load, path)
        assert problem.message == t("validation.too_deep")
        assert problem.line == GOOD.count("\n") + 3


def test_brackets_in_strings_and_comments_are_not_nesting(tmp_path: Path) -> None:
    bomb = "y = " + "[" * 600 + "]" * 600
    text = f"{GOOD}\nnote = \"{'[' * 900}\"  # {'[' * 900}\nmore = '''\n{'{' * 900}'''\n{bomb}\n"
    (problem,) = problems(load_scenario, write(tmp_path, text))
    assert problem.message == t("validation.too_deep")
    assert problem.line == GOOD.count("\n") + 5


@pytest.mark.parametrize(
    "line",
    [
        "a" + ".a" * 20_000 + " = 1",
        "[case" + ".a" * 20_000 + "]",
        'x = { "a"' + '."a"' * 20_000 + " = 1 }",
    ],
    ids=["key", "table", "inline"],
)
def test_a_dotted_key_of_thousands_of_parts_names_its_line(tmp_path: Path, line: str) -> None:
    # tomllib keeps every prefix of a dotted key: memory grows with the square
    # of its length (10,000 parts took 0.4 GB, 100,000 would take 40 GB).
    path = write(tmp_path, f"{GOOD}\n{line}\n")
    with deadline():
        (problem,) = problems(load_any, path)
    assert problem.message == t("validation.too_deep")
    assert problem.line == GOOD.count("\n") + 2


def test_ordinary_dots_are_no_bomb(tmp_path: Path) -> None:
    dots = "。" * 50 + "." * 500 + " 1.5 2026.11.27 www.example.org " * 20
    path = write(tmp_path, GOOD.replace('title = "知恵交換会"', f'title = "{dots}"'))
    assert load_scenario(path).title == dots


@pytest.mark.parametrize("digits", [4_301, 100_000])
def test_a_number_with_too_many_digits_names_its_line(tmp_path: Path, digits: int) -> None:
    path = write(tmp_path, GOOD.replace("minutes = 15", "minutes = " + "9" * digits))
    for load in LOADERS:
        with deadline():
            (problem,) = problems(load, path)
        assert problem.message == t("validation.number_too_long")
        assert problem.line == 15  # minutes of the third step
        assert len(str(problem)) < 300  # the number itself is not repeated


@pytest.mark.parametrize(
    "ending",
    ["x = [1,\n", "x = [\n  1,\n  2,\n\n", "x = { a = 1", 'x = """\nline\n', "x = ", 'x = "abc'],
)
def test_a_truncated_file_names_its_last_line(tmp_path: Path, ending: str) -> None:
    path = write(tmp_path, GOOD + ending)
    last = len((GOOD + ending).rstrip().splitlines())
    (problem,) = problems(load_any, path)
    assert problem.line == last
    assert str(problem).startswith(f"{path} {last}行目")


# -- a huge hostile file is answered at once, not after minutes ------------------------
# (Hang guards, not speed tests: the deadline is many times what the work needs.)


def _many_cards(count: int, **card: object) -> dict[str, Any]:
    with (FIXTURES / "session-minimal.toml").open("rb") as handle:
        data = tomllib.load(handle)
    data["cards"] = [{**data["cards"][0], "id": f"c{i}", **card} for i in range(count)]
    return data


def test_thousands_of_mistakes_list_the_first_and_count_the_rest(tmp_path: Path) -> None:
    # Each problem is located by reading the file: thousands of them took minutes.
    path = tmp_path / "many.toml"
    path.write_text(tomli_w.dumps(_many_cards(3_000, votes=-1)), encoding="utf-8")
    with deadline(5):
        listed = problems(load_session, path)
    assert len(listed) == MAX_PROBLEMS + 1
    assert listed[0].field == "cards[0].votes" and listed[0].line is not None
    more = listed[-1]
    assert more.message == t(
        "validation.more_problems", count=3_000 - MAX_PROBLEMS, shown=MAX_PROBLEMS
    )
    assert more.line is None


def test_thousands_of_answers_to_one_trouble_load_at_once(tmp_path: Path) -> None:
    # Checking each answer against every card and group was quadratic.
    path = tmp_path / "answers.toml"
    path.write_text(tomli_w.dumps(_many_cards(30_000, answers="c0")), encoding="utf-8")
    with deadline(5):
        assert len(load_session(path).cards) == 30_000


def test_scenarios_and_sessions_are_told_apart(tmp_path: Path, session: Session) -> None:
    scenario_path = write(tmp_path, GOOD)
    session_file = tmp_path / "session.toml"
    save_session(session, session_file)
    assert isinstance(load_any(scenario_path), Scenario)
    assert isinstance(load_any(session_file), Session)
    (problem,) = problems(load_session, scenario_path)
    (other,) = problems(load_scenario, session_file)
    # Each says what the file is and which command takes it.
    assert problem.message == t("validation.scenario_not_session")
    assert other.message == t("validation.session_not_scenario")
    (neither,) = problems(load_any, write(tmp_path, "[something]\nelse = 1\n", "x.toml"))
    assert neither.message == t("validation.kind_unknown")
    (odd,) = problems(load_session, write(tmp_path, "[something]\nelse = 1\n", "y.toml"))
    assert odd.message == t("validation.kind_unknown")


# -- schema versions ----------------------------------------------------------------


def test_a_session_from_a_newer_version_is_refused_clearly(
    tmp_path: Path, session: Session
) -> None:
    set_language("en")
    text = session_text(session).replace("schema = 1\n", "schema = 7\n", 1)
    path = write(tmp_path, text, "newer.toml")
    (problem,) = problems(load_session, path)
    assert (problem.field, problem.line) == ("schema", 1)
    assert "7" in problem.message and "1" in problem.message
    assert "update" in problem.message.lower()


def test_a_scenario_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("schema = 1", "schema = 3"))
    (problem,) = problems(load_scenario, path)
    assert (problem.field, problem.line) == ("schema", 1)
    assert "3" in problem.message


@pytest.mark.parametrize("value", ['"1"', "1.0", "true", "[1]"])
def test_schema_must_be_a_whole_number(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, GOOD.replace("schema = 1", f"schema = {value}"))
    (problem,) = problems(load_scenario, path)
    assert (problem.field, problem.line) == ("schema", 1)


def test_schema_is_required(tmp_path: Path) -> None:
    (problem,) = problems(load_scenario, write(tmp_path, GOOD.replace("schema = 1\n", "")))
    assert problem.field == "schema"


@pytest.mark.parametrize("value", [-1, 0])
def test_unknown_old_schemas_are_refused(tmp_path: Path, value: int) -> None:
    (problem,) = problems(
        load_scenario, write(tmp_path, GOOD.replace("schema = 1", f"schema = {value}"))
    )
    assert problem.field == "schema"


def test_a_schema_0_session_migrates(tmp_path: Path) -> None:
    session = load_session(FIXTURES / "session-schema0.toml")
    assert session.schema_version == 1
    assert [(m.id, m.name, m.walk_in) for m in session.members] == [
        ("p1", "山田 花子", False),
        ("p2", "佐藤 一郎", True),
    ]
    assert session.cards[0].speaker == "p2"
    # Saved again, it is a current file and reads back the same.
    path = tmp_path / "migrated.toml"
    save_session(session, path)
    data = tomllib.loads(path.read_text("utf-8"))
    assert data["schema"] == 1 and "attendees" not in data and len(data["members"]) == 2
    assert load_session(path) == session


def test_a_schema_0_session_from_the_app_migrates(tmp_path: Path, session: Session) -> None:
    data = tomllib.loads(session_text(session))
    data["attendees"] = data.pop("members")
    data["schema"] = 0
    path = write(tmp_path, tomli_w.dumps(data), "old.toml")
    assert load_session(path).model_dump() == session.model_dump()


def test_a_schema_0_session_with_both_keys_loses_nobody(tmp_path: Path) -> None:
    text = (FIXTURES / "session-schema0.toml").read_text("utf-8")
    text = text.replace('[[attendees]]\nid = "p2"', '[[members]]\nid = "p2"')
    (problem,) = problems(load_session, write(tmp_path, text))
    assert problem.field == "attendees"  # not silently dropped, nor over members


# -- writing: atomic, never overwriting, free names ---------------------------------------


def only_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_save_writes_a_temp_file_in_the_same_folder_fsyncs_and_renames(
    tmp_path: Path, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "session.toml"
    calls: list[tuple[str, Any]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        kind = "dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file"
        calls.append(("fsync", kind))
        real_fsync(fd)

    def replace(src: Any, dst: Any) -> None:
        calls.append(("replace", (Path(src).parent, Path(dst))))
        assert Path(src).read_bytes() == session_text(session).encode()  # complete first
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    save_session(session, path)
    assert calls == [("fsync", "file"), ("replace", (tmp_path, path)), ("fsync", "dir")]
    assert only_files(tmp_path) == ["session.toml"]
    assert load_session(path) == session


@pytest.fixture
def saved(tmp_path: Path, session: Session) -> tuple[Path, bytes]:
    path = tmp_path / "session.toml"
    save_session(session, path)
    return path, path.read_bytes()


def test_a_failing_fsync_leaves_the_old_file_and_no_temp_file(
    saved: tuple[Path, bytes], session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, old = saved

    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, "I/O error")

    session.place = "別の場所"
    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OSError):
        save_session(session, path)
    assert path.read_bytes() == old
    assert only_files(path.parent) == [path.name]


def test_a_disk_full_half_way_through_the_write_leaves_the_old_file(
    saved: tuple[Path, bytes], session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, old = saved
    real_fdopen = os.fdopen

    class HalfWritten:
        def __init__(self, handle: Any) -> None:
            self.handle = handle

        def __enter__(self) -> HalfWritten:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            self.handle.write(data[: len(data) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self.handle, name)

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: HalfWritten(real_fdopen(*a, **k)))
    session.cards[0].text = "書き換え" * 1000
    with pytest.raises(OSError):
        save_session(session, path)
    assert path.read_bytes() == old
    assert only_files(path.parent) == [path.name]


def test_a_failing_rename_leaves_the_old_file(
    saved: tuple[Path, bytes], session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, old = saved

    def replace(src: Any, dst: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", replace)
    session.place = "別の場所"
    with pytest.raises(OSError):
        save_session(session, path)
    assert path.read_bytes() == old
    assert only_files(path.parent) == [path.name]


def test_create_never_overwrites(saved: tuple[Path, bytes], session: Session) -> None:
    path, old = saved
    session.place = "別の場所"
    with pytest.raises(FileExistsError):
        save_session(session, path, create=True)
    assert path.read_bytes() == old
    assert only_files(path.parent) == [path.name]


def test_create_without_hard_links(
    tmp_path: Path, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # FAT/exFAT sticks and some network shares have no hard links.
    def link(src: Any, dst: Any) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", link)
    path = tmp_path / "session.toml"
    save_session(session, path, create=True)
    assert load_session(path) == session
    assert only_files(tmp_path) == ["session.toml"]
    old = path.read_bytes()
    session.place = "別の場所"
    with pytest.raises(FileExistsError):
        save_session(session, path, create=True)
    assert path.read_bytes() == old
    assert only_files(tmp_path) == ["session.toml"]


def test_atomic_write_of_raw_bytes(tmp_path: Path) -> None:
    path = tmp_path / "a.toml"
    atomic_write(path, b"first")
    atomic_write(path, b"second")
    assert path.read_bytes() == b"second"
    with pytest.raises(FileExistsError):
        atomic_write(path, b"third", overwrite=False)
    assert path.read_bytes() == b"second"
    assert only_files(tmp_path) == ["a.toml"]


def test_written_files_are_readable_like_any_saved_file(tmp_path: Path) -> None:
    # mkstemp's 0600 must not leak into sessions and minutes people share:
    # a new file gets the mode the umask gives, an existing one keeps its own.
    umask = os.umask(0)
    os.umask(umask)
    new = tmp_path / "new.toml"
    atomic_write(new, b"x")
    assert new.stat().st_mode & 0o777 == 0o666 & ~umask
    kept = tmp_path / "kept.toml"
    kept.write_bytes(b"x")
    kept.chmod(0o640)
    atomic_write(kept, b"y")
    assert kept.stat().st_mode & 0o777 == 0o640


def test_session_names_count_up_and_never_collide(tmp_path: Path) -> None:
    day = date(2026, 11, 27)
    first = session_path(tmp_path, "shimizu", day)
    assert first == tmp_path / "2026-11-27-shimizu.toml"
    first.write_text("x")
    second = session_path(tmp_path, "shimizu", day)
    assert second == tmp_path / "2026-11-27-shimizu-2.toml"
    second.write_text("x")
    assert session_path(tmp_path, "shimizu", day).name == "2026-11-27-shimizu-3.toml"
    assert session_path(tmp_path, "riverside", day).name == "2026-11-27-riverside.toml"
    assert session_path(tmp_path, "shimizu", date(2026, 11, 28)).name == "2026-11-28-shimizu.toml"


def test_create_session_file_makes_the_folder_and_takes_a_free_name(
    tmp_path: Path, shimizu: Scenario, clock: ManualClock
) -> None:
    folder = tmp_path / "sessions" / "2026"
    paths = []
    for _ in range(3):
        session = new_session(shimizu, session_id="shimizu", clock=clock)
        path = create_session_file(session, folder)
        assert session.id == path.stem  # minutes and file agree
        assert load_session(path) == session
        paths.append(path.name)
    assert paths == [
        "2026-11-27-shimizu.toml",
        "2026-11-27-shimizu-2.toml",
        "2026-11-27-shimizu-3.toml",
    ]


def test_create_session_file_uses_the_meetings_local_date(
    tmp_path: Path, shimizu: Scenario
) -> None:
    # 00:30 in Japan is still the previous day in UTC: the file is named by local date.
    clock = ManualClock(datetime(2026, 11, 28, 0, 30, tzinfo=timezone(timedelta(hours=9))))
    session = new_session(shimizu, session_id="shimizu", clock=clock)
    assert create_session_file(session, tmp_path).name == "2026-11-28-shimizu.toml"


def test_create_session_file_does_not_overwrite_a_name_taken_meanwhile(
    tmp_path: Path, shimizu: Scenario, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = tmp_path / "2026-11-27-shimizu.toml"
    taken.write_text("another process's session")
    real = storage.session_path
    looks = iter([taken])  # the first look saw the name free; then someone took it

    def racy(directory: Path, stem: str, day: date) -> Path:
        return next(looks, None) or real(directory, stem, day)

    monkeypatch.setattr(storage, "session_path", racy)
    session = new_session(shimizu, session_id="shimizu", clock=clock)
    path = create_session_file(session, tmp_path)
    assert path.name == "2026-11-27-shimizu-2.toml"
    assert taken.read_text() == "another process's session"


def test_session_text_is_plain_toml_without_nulls(session: Session) -> None:
    text = session_text(session)
    data = tomllib.loads(text)
    assert data["schema"] == 1
    assert data["scenario"]["title"] == session.scenario.title
    assert "null" not in text and "None" not in text
    assert data["created_at"] == "2026-11-27T14:00:00+09:00"  # the offset is kept


def test_a_minimal_hand_written_session_loads() -> None:
    session = load_session(FIXTURES / "session-minimal.toml")
    assert [m.id for m in session.members] == ["p1", "p2"]
    assert [c.speaker for c in session.cards] == ["p1", "p2"]
    assert len(session.scenario.flow) == 6


# -- a sessions folder: read once, for everyone ----------------------------------------


def test_a_sessions_folder_is_read_once_each_file_a_session_or_why_not(
    tmp_path: Path, session: Session
) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    save_session(session, folder / "b.toml", create=True)
    save_session(session, folder / "a.toml", create=True)
    (folder / "broken.toml").write_text("this is = = not toml", encoding="utf-8")
    (folder / "._a.toml").write_bytes(b"\x00\x05\x16\x07")  # what a Mac leaves on a stick
    (folder / ".editor.toml").write_text("", encoding="utf-8")
    (folder / "notes.txt").write_text("not a session", encoding="utf-8")
    (folder / "folder.toml").mkdir()
    read = read_sessions(folder)
    assert [file.path.name for file in read] == ["a.toml", "b.toml", "broken.toml"]
    assert [file.session == session for file in read] == [True, True, False]
    broken = read[2]
    assert broken.session is None and broken.error is not None
    assert broken.error.problems[0].file == folder / "broken.toml"
    assert toml_files(folder) == [file.path for file in read]


@pytest.mark.parametrize("what", ["missing", "a file"])
def test_a_sessions_folder_that_is_not_one_is_a_file_error(tmp_path: Path, what: str) -> None:
    folder = tmp_path / "sessions"
    if what == "a file":
        folder.write_text("", encoding="utf-8")
    key = "actions.folder_not_found" if what == "missing" else "actions.not_a_folder"
    with pytest.raises(FileError) as caught:
        read_sessions(folder)
    assert [problem.message for problem in caught.value.problems] == [t(key)]
