"""The audience display in a browser: ``chie-kokan serve`` (textual-serve).

Only the read-only display (``chie-kokan display``) is ever served, never the
operator's screen: each browser that opens the page gets its own display
process that follows the session file. The page is our own template
(``serve_templates/``): it loads nothing from another host, shows only the
meeting's title and starts the display at once, so a projector PC can open it
full screen and zoom with the browser.

It imports no Textual itself (textual-serve runs the display as a
subprocess) and never the operator's screens: the layers contract in
pyproject.toml keeps it beside ``chie_kokan.tui``, not above it.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import os
import shlex
import signal
import socket
import sys
from pathlib import Path
from typing import Any

from chie_kokan.i18n import Language, t
from chie_kokan.problems import visible

TEMPLATES = Path(__file__).resolve().parent / "serve_templates"
"""Our page template (``app_index.html``), in place of textual-serve's own."""

LOOPBACK = "127.0.0.1"

STOPS_WITHIN = 1.0
"""Seconds Ctrl+C waits for browsers to let go before their displays are stopped."""


class ServeError(Exception):
    """Serving cannot start (address taken, host unknown): one message for people."""


def display_command(session_path: Path, language: Language) -> str:
    """The shell command textual-serve runs for each browser: the display, nothing else.

    textual-serve hands it to a shell, so every part is quoted; the path is
    resolved so the display finds the file whatever its working directory.
    """
    return shlex.join(
        [
            sys.executable,
            "-m",
            "chie_kokan",
            "display",
            str(session_path.resolve()),
            "--lang",
            language,
        ]
    )


def is_loopback(host: str) -> bool:
    """True when only this computer can reach ``host``."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def page_url(host: str, port: int) -> str:
    """The address to open in a browser (IPv6 addresses in brackets)."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def serve(session_path: Path, *, title: str, host: str, port: int, language: Language) -> None:
    """Serve the display until Ctrl+C (or SIGTERM); :class:`ServeError` if it cannot start."""
    # Imported here: the other commands should not pay for aiohttp.
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    class DisplayService(AppService):
        """One browser's display process; its page hears when it ends, however it ends."""

        async def run(self) -> None:
            try:
                await super().run()
            finally:
                # textual-serve closes the page only when the app says goodbye:
                # a display that could not start (the file gone) would leave
                # the room looking at the title for ever. Closed, the page says so.
                with contextlib.suppress(ConnectionError):
                    await self.remote_close()

    command = display_command(session_path, language)
    url = page_url(host, port)

    class DisplayServer(Server):
        """textual-serve with our page, our messages and a quiet log."""

        def initialize_logging(self) -> None:
            # The operator's terminal shows our lines, not a log of every request.
            import logging

            logging.basicConfig(level=logging.WARNING, format="%(message)s")

        async def on_startup(self, app: web.Application) -> None:
            """Nothing yet: textual-serve prints its banner here, before the port is bound."""

        is_listening = False

        def listening(self) -> None:
            """Called by aiohttp once the port is bound."""
            self.is_listening = True
            _announce(title, host, url)

        def serve(self, debug: bool = False) -> None:
            """textual-serve's ``serve``, announcing the address only once it is listened on."""
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            with contextlib.suppress(NotImplementedError):  # Windows has no signal handlers
                loop.add_signal_handler(signal.SIGINT, self.request_exit)
                loop.add_signal_handler(signal.SIGTERM, self.request_exit)
            try:
                web.run_app(
                    self._make_app(),
                    host=self.host,
                    port=self.port,
                    handle_signals=False,
                    loop=loop,
                    # A browser still watching holds its connection open: on
                    # Ctrl+C let it go after a moment rather than aiohttp's 60 s.
                    shutdown_timeout=STOPS_WITHIN,
                    print=lambda _banner: self.listening(),
                )
            finally:
                loop.close()

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            """textual-serve's own, with :class:`DisplayService` for each browser."""
            websocket = web.WebSocketResponse(heartbeat=15)
            width = _cells(request.query.get("width", ""), 80)
            height = _cells(request.query.get("height", ""), 24)
            service: DisplayService | None = None
            try:
                await websocket.prepare(request)
                service = DisplayService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await service.start(width, height)
                await self._process_messages(websocket, service)
            except asyncio.CancelledError:
                await websocket.close()
            finally:
                if service is not None:
                    await service.stop()
            return websocket

        async def handle_index(self, request: web.Request) -> web.Response:
            import aiohttp_jinja2

            # Addresses relative to the page: right whatever name the
            # projector PC used to reach us (textual-serve would write
            # http://0.0.0.0:8000 for a server bound to all interfaces).
            static = request.app.router["static"].url_for(filename="/")
            context: dict[str, Any] = {
                "title": title,
                "language": language,
                "static_url": str(static).rstrip("/") + "/",
                "websocket_path": str(request.app.router["websocket"].url_for()),
                "closed": t("serve.page_closed"),
                "reload": t("serve.page_reload"),
                "font_size": _font_size(request.query.get("fontsize", "")),
            }
            response = aiohttp_jinja2.render_template("app_index.html", request, context)
            # The page itself says it needs nothing from elsewhere.
            response.headers["Content-Security-Policy"] = (
                "default-src 'self'; script-src 'self' 'unsafe-inline'; "
                "style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; "
                "img-src 'self' data:; font-src 'self'"
            )
            return response

    server = DisplayServer(command, host=host, port=port, title=title, templates_path=TEMPLATES)
    try:
        server.serve()
    except OSError as error:
        if server.is_listening:
            raise  # not the address: a bug, reported as one
        raise ServeError(_listen_problem(error, host, port)) from None


def _announce(title: str, host: str, url: str) -> None:
    """Where to point the projector's browser, and who else can watch."""
    print(t("serve.serving", title=visible(title), url=url), flush=True)
    if not is_loopback(host):
        print(t("serve.reachable", host=visible(host)), flush=True)
    print(t("serve.stop_hint"), flush=True)


def _cells(value: str, default: int) -> int:
    """A terminal size from the page (``?width=…``), within reason."""
    try:
        cells = int(value)
    except ValueError:
        return default
    return cells if 1 <= cells <= 1000 else default


def _font_size(value: str) -> int:
    """``?fontsize=24`` as textual-serve allows it; within reason, else 16."""
    try:
        size = int(value)
    except ValueError:
        return 16
    return size if 6 <= size <= 96 else 16


def _listen_problem(error: OSError, host: str, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return t("serve.port_in_use", port=port)
    if error.errno in (errno.EACCES, errno.EPERM):
        return t("serve.port_denied", port=port)
    # aiohttp words a bind failure itself ("error while attempting to bind…"):
    # the system's short reason reads better; a name lookup has its own.
    if isinstance(error, socket.gaierror) or not error.errno:
        detail = error.strerror or str(error)
    else:
        detail = os.strerror(error.errno)
    return t("serve.cannot_listen", host=visible(host), port=port, detail=visible(detail))
