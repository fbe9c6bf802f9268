"""Many session files read at once (``resources`` over a city's year): in parallel
processes from PARALLEL_FROM files on, with the same result as one by one."""

from __future__ import annotations

import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from chie_kokan import export
from chie_kokan.export import load_sessions
from chie_kokan.problems import FileError

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def folder_of_sessions(tmp_path: Path, count: int) -> list[Path]:
    source = FIXTURES / "session-minimal.toml"
    paths = []
    for number in range(count):
        path = tmp_path / f"s{number:03}.toml"
        shutil.copy(source, path)
        paths.append(path)
    return paths


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Take the parallel path with a few files, as the command line does (one thread);
    the number of workers of each pool opened is listed."""
    monkeypatch.setattr(export, "PARALLEL_FROM", 4)
    monkeypatch.setattr(export.threading, "active_count", lambda: 1)
    monkeypatch.setattr(export.os, "cpu_count", lambda: 2)
    pools: list[int] = []
    real = export.ProcessPoolExecutor

    def counted(workers: int, **kwargs: object) -> ProcessPoolExecutor:
        pools.append(workers)
        return real(workers, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(export, "ProcessPoolExecutor", counted)
    return pools


def test_read_in_parallel_as_one_by_one(tmp_path: Path, parallel: list[int]) -> None:
    paths = folder_of_sessions(tmp_path, 9)
    together = load_sessions([*paths, paths[0]])  # the same file twice is one table
    with pytest.MonkeyPatch.context() as m:
        m.setattr(export, "PARALLEL_FROM", 10_000)
        alone = load_sessions(paths)
    assert [s.model_dump() for s in together] == [s.model_dump() for s in alone]
    assert len(together) == 9
    assert parallel == [2]  # one pool, for the nine; none for the files read alone


def test_every_bad_file_is_named_when_read_in_parallel(tmp_path: Path, parallel: list[int]) -> None:
    paths = folder_of_sessions(tmp_path, 6)
    paths[2].write_text("schema = 1\nid = [", encoding="utf-8")
    paths[4].write_bytes(b"\xff\xfe\x00")
    with pytest.raises(FileError) as caught:
        load_sessions(paths)
    assert {problem.file for problem in caught.value.problems} == {paths[2], paths[4]}
    assert parallel == [2]
