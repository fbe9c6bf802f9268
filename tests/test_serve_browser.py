"""`chie-kokan serve` in a real browser: headless Chromium shows the display.

The installed program serves Shimizu-san's meeting on a free loopback port;
Chromium (driven by chromedriver from the same distribution package) opens
the page, and the test reads what the display drew. The terminal is drawn on
a canvas (WebGL or 2D), so the DOM holds no text: the test reads xterm.js's
own buffer, the cells the display wrote. textual.js keeps its terminal in a
closure, so before the page loads the test installs a setter for the
property it assigns (``this.terminal = new Terminal(…)``) that keeps the
instance where the test can reach it. The product's page is unchanged.

Without Chromium the test is skipped and says it did not run; under CI
(``CI=true``) a missing browser is a failure, so CI cannot pass without it.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from chie_kokan.clock import ManualClock
from chie_kokan.engine import SessionEngine
from chie_kokan.models import Scenario
from chie_kokan.storage import create_session_file, save_session
from chie_kokan.tui.glyphs import CURRENT
from conftest import JST
from hang_guard import deadline
from test_serve import URL, fetch, serving
from test_snapshots_running import JA, SHARE, meeting
from test_tui_tmux import PROGRAM

TOTAL = 120.0
"""Seconds for the whole test, browser start included (it takes about 5)."""
STOPS_WITHIN = 10.0
"""Seconds for Ctrl+C to end the server and its displays (about 2 with a browser watching)."""
SHOWS_WITHIN = 30.0
"""Seconds for text to appear in the browser (about 2 from the page's load)."""

TITLE = "知恵交換会 — 清水さんの困りごと（架空の事例）"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",  # WebGL falls back to software or xterm.js to its 2D canvas
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # nothing but the page: no update checks
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,800",
]

KEEP_THE_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal",
      {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && value.buffer.active) {
      (window.__terminals = window.__terminals || []).push(value);
    }
  },
});
"""
"""Runs before textual.js: keeps each xterm.js Terminal it creates in ``window.__terminals``."""

READ_THE_TERMINAL = """
const terminals = window.__terminals || [];
if (terminals.length !== 1) return null;
const buffer = terminals[0].buffer.active;
const lines = [];
for (let y = 0; y < buffer.length; y++) {
  const line = buffer.getLine(y);
  lines.push(line ? line.translateToString(true) : "");
}
return lines.join("\\n");
"""
"""The display's text, line by line, as xterm.js holds it (wide characters once)."""


def displays_of(session: Path) -> list[str]:
    """Command lines of the running display processes showing ``session``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            words = (proc / "cmdline").read_bytes().decode("utf-8", "replace").split("\0")
        except OSError:
            continue
        if "display" in words and str(session.resolve()) in words:
            found.append(" ".join(words))
    return found


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def missing() -> str | None:
    """Why the browser test cannot run here, or None."""
    if not PROGRAM.exists():
        return f"{PROGRAM} is not installed"
    if not (shutil.which("chromium") or shutil.which("chromium-browser")):
        return "Chromium is not installed (Debian/Ubuntu: apt-get install chromium)"
    if not shutil.which("chromedriver"):
        return "chromedriver is not installed (Debian/Ubuntu: apt-get install chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture
def browser() -> Iterator[Any]:
    """Headless Chromium with a fresh profile; skipped (not silently) where there is none."""
    reason = missing()
    if reason is not None:
        if in_ci():
            pytest.fail(f"CI=true, so the browser test must run, but {reason}.")
        pytest.skip(f"NOT RUN: the browser test of `serve` did not run: {reason}.")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="chie-kokan-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    # Its own process group: whatever happens, the browser goes with the driver.
    service = Service(shutil.which("chromedriver"), popen_kw={"start_new_session": True})
    with deadline(60, "starting Chromium"):
        driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.set_page_load_timeout(SHOWS_WITHIN)
        driver.set_script_timeout(10)
        yield driver
    finally:
        try:
            with deadline(15, "closing Chromium"):
                driver.quit()
        finally:
            process = service.process
            if process is not None:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, 9)
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def meeting_file(shimizu: Scenario, tmp_path: Path) -> tuple[SessionEngine, Path]:
    """Shimizu-san's meeting on the share step, 高橋 健 speaking; the clock is now."""
    engine = meeting(shimizu, JA, ManualClock(datetime.now(JST)), SHARE)
    return engine, create_session_file(engine.session, tmp_path / "会議 sessions")


def terminal_text(driver: Any) -> str | None:
    return driver.execute_script(READ_THE_TERMINAL)


def wait_for_text(driver: Any, *texts: str) -> str:
    """Poll the terminal's buffer until every one of ``texts`` is in it."""
    seen: str | None = None
    until = time.monotonic() + SHOWS_WITHIN
    while time.monotonic() < until:
        seen = terminal_text(driver)
        if seen is not None and all(text in seen for text in texts):
            return seen
        time.sleep(0.1)
    if seen is None:
        raise AssertionError(
            "no xterm.js terminal was found in the page: has textual-serve changed how it "
            "holds it (textual.js: this.terminal = new Terminal(...))?"
        )
    raise AssertionError(f"{texts} not shown within {SHOWS_WITHIN}s; the browser shows:\n{seen}")


VISIBLE = """
const terminal = document.getElementById("terminal");
const waiting = document.querySelector(".waiting");
return document.body.classList.contains("-first-byte")
  && terminal.querySelectorAll("canvas").length > 0
  && getComputedStyle(terminal).opacity === "1"
  && getComputedStyle(waiting).display === "none";
"""


def wait_for_script(driver: Any, script: str, what: str) -> None:
    until = time.monotonic() + SHOWS_WITHIN
    while time.monotonic() < until:
        if driver.execute_script(script) is True:
            return
        time.sleep(0.1)
    raise AssertionError(f"not {what} within {SHOWS_WITHIN}s")


def test_the_browser_shows_the_display(
    browser: Any, meeting_file: tuple[SessionEngine, Path], tmp_path: Path
) -> None:
    engine, path = meeting_file
    speaker = engine.current_speaker
    assert speaker is not None and speaker.name == "高橋 健"
    started = time.monotonic()
    with deadline(TOTAL, "the browser test"), serving(path) as served:
        # The page as any browser gets it: the title, nothing from elsewhere, no path.
        page, _ = fetch(served.url)
        assert f"<title>{TITLE}</title>" in page
        assert URL.findall(page) == []
        assert str(path.parent) not in page and path.name not in page

        browser.execute_cdp_cmd(
            "Page.addScriptToEvaluateOnNewDocument", {"source": KEEP_THE_TERMINAL}
        )
        browser.get(served.url)
        assert browser.title == TITLE

        # What the display drew: the meeting, the step, whose turn it is, the cards.
        shown = wait_for_text(browser, TITLE, speaker.name, "困りごとを共有する")
        drawn = time.monotonic()
        assert speaker.organization in shown
        assert "バス停まで歩くのがつらい" in shown
        assert "お約束" in shown
        # Drawn, not just buffered: on a canvas, the page's title card gone, the
        # terminal faded in (the page fades it over 0.3 s).
        wait_for_script(browser, VISIBLE, "the terminal visible on a canvas")

        # It follows the session file: the operator's next speaker reaches the browser.
        engine.advance_speaker()
        save_session(engine.session, path)
        following = engine.current_speaker
        assert following is not None and following.name != speaker.name
        saved = time.monotonic()
        wait_for_text(browser, following.name, f"{CURRENT}{following.name.split()[0]}")
        followed = time.monotonic()

        # Everything the page loaded came from this server.
        origin = served.url.rstrip("/")
        loaded = browser.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
        )
        assert loaded and all(name.startswith(origin + "/") for name in loaded), loaded
        browser.save_screenshot(str(tmp_path / "serve.png"))

        # Ctrl+C with the room still watching: the server and its display end soon.
        assert displays_of(path), "no display process while the browser watches"
        served.process.send_signal(signal.SIGINT)
        stopping = time.monotonic()
        assert served.process.wait(timeout=STOPS_WITHIN) == 0
        stopped = time.monotonic()
        while displays_of(path) and time.monotonic() - stopped < STOPS_WITHIN:
            time.sleep(0.1)
        assert displays_of(path) == []
        assert "Traceback" not in served.output()
    print(
        f"\nserve in a browser: display drawn {drawn - started:.1f}s after the server started,"
        f" next speaker shown {followed - saved:.1f}s after the save,"
        f" Ctrl+C stopped it in {stopped - stopping:.1f}s;"
        f" screenshot {tmp_path / 'serve.png'}"
    )
