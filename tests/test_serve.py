"""`chie-kokan serve`: the audience display in a browser, checked without a browser.

The installed program runs as a real server on a free loopback port; the
page is fetched over HTTP and read as a browser would get it. What a browser
then draws is ``test_serve_browser.py``'s business. Every wait polls with a
bound; nothing sleeps a fixed time.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from chie_kokan import cli
from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine
from chie_kokan.i18n import t
from chie_kokan.lock import lock_path, lock_session
from chie_kokan.models import Scenario
from chie_kokan.serve import display_command, is_loopback, page_url
from chie_kokan.storage import create_session_file
from conftest import JST
from test_core_has_no_textual import loaded_by
from test_snapshots_running import JA, SHARE, meeting
from test_tui_tmux import PROGRAM

STARTS_WITHIN = 20.0
"""Seconds for the server to answer: far more than it needs (about one)."""

URL = re.compile(r"""(?:https?|wss?):/*[^\s"'<>)]+|//[\w.-]+""", re.IGNORECASE)
"""An address with a host in it (the page's script builds ``ws:`` + its own host)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")


def wait_until_answering(served: Served, deadline: float) -> None:
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise AssertionError(f"serve ended ({served.process.returncode}):\n{served.output()}")
        try:
            with urllib.request.urlopen(served.url, timeout=1):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise AssertionError(f"serve did not answer within {STARTS_WITHIN}s:\n{served.output()}")


@contextmanager
def serving(session: Path, *args: str) -> Iterator[Served]:
    """``chie-kokan serve SESSION`` (the installed program) on a free loopback port.

    Always stopped at the end, whatever happened: a stray server would keep
    its port and its display processes.
    """
    port = free_port()
    log = session.parent / f"serve-{port}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [str(PROGRAM), "serve", str(session), "--port", str(port), *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its display processes are stopped with it
        )
    served = Served(process, page_url("127.0.0.1", port), log)
    try:
        wait_until_answering(served, time.monotonic() + STARTS_WITHIN)
        yield served
    finally:
        stop(served)


def stop(served: Served) -> int:
    """Ctrl+C, as the operator would; then make sure nothing of it is left."""
    process = served.process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
    with suppress(ProcessLookupError):  # its display processes live in its process group
        os.killpg(process.pid, signal.SIGKILL)
    return process.wait(timeout=10)


def fetch(url: str) -> tuple[str, dict[str, str]]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8"), dict(response.headers)


@pytest.fixture
def session_file(shimizu: Scenario, tmp_path: Path) -> Path:
    """Shimizu-san's meeting on the share step, 高橋 speaking, in a folder with a space."""
    clock = ManualClock(datetime.now(JST))
    engine: SessionEngine = meeting(shimizu, JA, clock, SHARE)
    return create_session_file(engine.session, tmp_path / "会議 sessions")


needs_program = pytest.mark.skipif(not PROGRAM.exists(), reason=f"{PROGRAM} is not installed")


# -- the command the server runs ----------------------------------------------------


def test_the_served_command_is_the_display_and_nothing_else(tmp_path: Path) -> None:
    odd = tmp_path / 'it\'s a "meeting" $(rm -rf ~) 会議.toml'
    words = shlex.split(display_command(odd, "en"))
    assert words == [
        sys.executable,
        "-m",
        "chie_kokan",
        "display",
        str(odd.resolve()),
        "--lang",
        "en",
    ]


def test_the_served_command_runs_the_display_through_a_shell(tmp_path: Path) -> None:
    # textual-serve hands the command to a shell: a hostile name must stay one argument.
    odd = tmp_path / "it's $(touch pwned) 会議.toml"
    result = subprocess.run(
        display_command(odd, "en"), shell=True, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert str(odd.resolve()) in result.stderr
    assert not (tmp_path / "pwned").exists()
    assert not Path("pwned").exists()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("projector.local", False),
    ],
)
def test_loopback_or_not(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_page_urls() -> None:
    assert page_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert page_url("::1", 8080) == "http://[::1]:8080/"


def test_serve_imports_neither_textual_nor_the_operators_screens() -> None:
    modules = loaded_by(["chie_kokan.serve", "textual_serve.server"])
    assert not [m for m in modules if m.split(".")[0] == "textual"]
    assert not [m for m in modules if m.startswith("chie_kokan.tui")]


# -- the command line, before any server ---------------------------------------------


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_missing_session_is_one_message_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["serve", "sessions/nothing.toml", "--port", str(free_port())], capsys)
    assert code == 2
    assert "sessions/nothing.toml" in err
    assert out == ""
    assert "Traceback" not in err


def test_a_broken_session_is_one_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('schema = 1\nid = "x"\ntitle = \n', encoding="utf-8")
    code, out, err = run(["--lang", "en", "serve", str(broken)], capsys)
    assert code == 2
    assert str(broken) in err
    assert ":3" in err or "line 3" in err
    assert out == ""


def test_a_scenario_is_not_a_session(capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import SCENARIOS

    code, out, err = run(["serve", str(SCENARIOS / "shimizu.toml")], capsys)
    assert code == 2
    assert out == ""
    assert "shimizu.toml" in err


@pytest.mark.parametrize("port", ["0", "70000", "-1", "http", ""])
def test_a_port_out_of_range_is_refused(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--lang", "en", "serve", "x.toml", "--port", port])
    assert exit_.value.code == 2
    assert "Give a number from 1 to 65535" in capsys.readouterr().err


# -- the real server ---------------------------------------------------------------


@needs_program
def test_the_page_shows_the_title_and_loads_nothing_from_elsewhere(session_file: Path) -> None:
    title = "知恵交換会 — 清水さんの困りごと（架空の事例）"
    # The operator is recording it (the lock is theirs): the room may still watch.
    lock = lock_session(session_file)
    assert lock is not None
    with serving(session_file) as served:
        page, headers = fetch(served.url)
        # Only the meeting's title: not the command line, not where the file is.
        assert f"<title>{title}</title>" in page
        assert str(session_file.parent) not in page
        assert session_file.name not in page
        assert display_command(session_file, "ja") not in page
        assert "chie_kokan" not in page
        assert URL.findall(page) == []  # every address is relative to the page
        assert "fonts.googleapis" not in page
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        # What the page loads is here, on this server.
        for asset in re.findall(r'(?:src|href)="([^"]+)"', page):
            assert asset.startswith("/static/")
            with urllib.request.urlopen(served.url.rstrip("/") + asset, timeout=5) as response:
                assert response.status == 200
        assert served.process.poll() is None
        output = served.output()
    assert lock_path(session_file).exists()  # serving left the operator's lock alone
    lock.release()
    assert title in output
    assert served.url in output
    assert t("serve.stop_hint", "ja") in output
    assert t("serve.reachable", "ja", host="127.0.0.1") not in output
    assert str(session_file) not in output


@needs_program
def test_a_title_with_markup_is_text(shimizu: Scenario, tmp_path: Path) -> None:
    scenario = shimizu.model_copy(update={"title": '<script>alert("x")</script> & 会'})
    engine = meeting(scenario, JA, ManualClock(datetime.now(JST)), SHARE)
    path = create_session_file(engine.session, tmp_path / "sessions")
    with serving(path) as served:
        page, _ = fetch(served.url)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; 会" in page


@needs_program
def test_english_when_asked(session_file: Path) -> None:
    with serving(session_file, "--lang", "en") as served:
        page, _ = fetch(served.url)
        output = served.output()
    assert '<html lang="en">' in page
    assert t("serve.page_closed", "en") in page
    assert t("serve.stop_hint", "en") in output


@needs_program
def test_ctrl_c_stops_quietly(session_file: Path) -> None:
    with serving(session_file) as served:
        served.process.send_signal(signal.SIGINT)
        code = served.process.wait(timeout=10)
    assert code == 0
    output = served.output()
    assert "Traceback" not in output
    assert "KeyboardInterrupt" not in output


@needs_program
def test_a_port_in_use_is_one_message_and_exit_2(session_file: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [str(PROGRAM), "--lang", "en", "serve", str(session_file), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert result.stderr == f"Error: Port {port} is already in use. Choose another with --port.\n"
    # Nothing claimed to be served.
    assert result.stdout == ""


@needs_program
def test_a_host_that_cannot_be_bound_is_one_message_and_exit_2(session_file: Path) -> None:
    # 192.0.2.1 is reserved for documentation: never an address of this computer.
    result = subprocess.run(
        [str(PROGRAM), "--lang", "en", "serve", str(session_file), "--host", "192.0.2.1"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Error: Cannot listen on 192.0.2.1:8000 (")
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


# -- what the operator reads ---------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "en"])
def test_another_host_says_anyone_can_watch(
    language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from chie_kokan.i18n import set_language
    from chie_kokan.serve import _announce

    set_language(language)  # type: ignore[arg-type]
    _announce("会議", "0.0.0.0", "http://0.0.0.0:8000/")
    out = capsys.readouterr().out
    assert t("serve.reachable", host="0.0.0.0") in out
    assert ("誰でも" if language == "ja" else "Anyone who can reach") in out
    _announce("会議", "127.0.0.1", "http://127.0.0.1:8000/")
    assert t("serve.reachable", host="127.0.0.1") not in capsys.readouterr().out


@pytest.mark.parametrize("host", ["", "  "])
def test_a_blank_host_is_refused_not_every_network(
    host: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # asyncio would take "" for every interface: the room's meeting on the whole network.
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--lang", "en", "serve", "x.toml", "--host", host])
    assert exit_.value.code == 2
    assert "--host is blank" in capsys.readouterr().err


@needs_program
async def test_a_display_that_cannot_start_closes_the_page(session_file: Path) -> None:
    # The file is gone by the time the projector connects: the page must say the
    # display ended (the socket closes), not show the title for ever.
    import aiohttp

    with serving(session_file) as served:
        session_file.unlink()
        socket_url = served.url.replace("http:", "ws:") + "ws?width=80&height=24"
        async with (
            asyncio.timeout(STARTS_WITHIN),
            aiohttp.ClientSession() as client,
            client.ws_connect(socket_url, heartbeat=None) as ws,
        ):
            message = await ws.receive()
            assert message.type in {aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED}, message
        # The operator's terminal says why.
        assert "ファイルが見つかりません" in served.output()
