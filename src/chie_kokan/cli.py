"""The command line: parses arguments and hands over. No logic of its own.

Every failure a person can cause ends here as one clear message and exit
status 2; a traceback means a bug in chie-kokan, not in the user's file.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import sys
import tempfile
import traceback
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from chie_kokan.i18n import LANGUAGES, get_language, set_language, t
from chie_kokan.problems import FileError, visible

if TYPE_CHECKING:
    from chie_kokan.lock import SessionLocked
    from chie_kokan.tui.app import ChieKokanApp
    from chie_kokan.tui.screens.running import Rescue

EXIT_OK = 0
EXIT_ERROR = 2
EXIT_CRASH = 3
"""An unexpected error (a bug): the session is saved, the message says where."""

Handler = Callable[[argparse.Namespace], int]


def _error(message: str) -> int:
    print(f"{t('cli.error_prefix')}{message}", file=sys.stderr)
    return EXIT_ERROR


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every file; list every problem; 0 only when all are good.

    With ``--fix``, each file's full-width slips in TOML syntax are shown as a
    diff and, once confirmed, rewritten before the file is checked.
    """
    from chie_kokan.storage import load_any

    bad = 0
    fixable = False
    for name in args.files:
        path = Path(name)
        if args.fix and not _fix_widths(path, assume_yes=args.yes):
            bad += 1
            continue
        try:
            load_any(path)
        except FileError as error:
            bad += 1
            print(t("cli.validate_bad", file=visible(path)))
            for problem in error.problems:
                print(f"  {problem}")
            fixable = fixable or any(problem.fixable for problem in error.problems)
        else:
            print(t("cli.validate_ok", file=visible(path)))
    if bad:
        print(t("cli.validate_summary_bad", bad=bad), file=sys.stderr)
        if fixable and not args.fix:
            print(t("width.fix_hint"), file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _fix_widths(path: Path, *, assume_yes: bool) -> bool:
    """Show the repair of full-width slips, ask, write; False when refused (a session)."""
    from chie_kokan.storage import apply_width_fix, plan_width_fix

    shown_path = visible(path)
    try:
        fix = plan_width_fix(path)
    except FileError:
        return True  # unreadable: checking it says why
    if fix.session:
        print(t("width.fix_session", file=shown_path), file=sys.stderr)
        return False
    if fix.after == fix.before:
        print(t("width.fix_nothing", file=shown_path))
        return True
    print(t("width.fix_found", file=shown_path, count=fix.count))
    for line in fix.diff():
        print(visible(line))
    if not assume_yes and not _ask_yes(t("width.fix_question")):
        print(t("width.fix_declined", file=shown_path))
        return True
    try:
        apply_width_fix(fix)
    except FileError as error:
        print(error, file=sys.stderr)
        return False
    except OSError as error:
        _error(t("cli.write_failed", file=shown_path, detail=error.strerror))
        return False
    print(t("width.fix_written", file=shown_path))
    return True


def _ask_yes(question: str, *, no_answer: str | None = None) -> bool:
    """Ask at the terminal; only y / yes / はい (in either width) is a yes.

    End of input is a no; ``no_answer`` then says what to do instead (e.g. ``--yes``).
    """
    try:
        answer = input(question)
    except EOFError:
        print()
        if no_answer:
            print(no_answer)
        return False
    if not sys.stdin.isatty():
        print()  # the answer came from a pipe, not typed: end the question's line
    return unicodedata.normalize("NFKC", answer).strip().lower() in {"y", "yes", "はい"}


def cmd_new(args: argparse.Namespace) -> int:
    """Write the commented scenario template, never over an existing file."""
    from chie_kokan.files import atomic_write
    from chie_kokan.scenario_template import template_text

    path = Path(args.path)
    shown_path = visible(path)
    # os.path.exists never raises (Path.exists does, for a name too long):
    # such a name then fails to be written, which says so.
    if os.path.exists(path):
        return _error(t("cli.new_exists", file=shown_path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # e.g. a file stands where the folder should be
        return _error(t("cli.write_failed", file=shown_path, detail=error.strerror))
    try:
        atomic_write(path, template_text(get_language()).encode("utf-8"), overwrite=False)
    except FileExistsError:
        return _error(t("cli.new_exists", file=shown_path))
    except OSError as error:
        return _error(t("cli.write_failed", file=shown_path, detail=error.strerror))
    print(t("cli.new_written", file=shown_path))
    return EXIT_OK


def _run_app(args: argparse.Namespace, **target: Path) -> int:
    """Open the screen on a file read, parsed and (a session) locked before anything is drawn.

    At a terminal the file is validated behind the first frame (issue 12):
    the models' import alone costs half an empty app's start-up. A file that
    fails closes the app and gets the same one message and exit status 2.
    Where output goes elsewhere (a script, a test) there is nobody to paint
    for: the file is validated first and a broken one never starts the app.
    """
    from chie_kokan.lock import SessionLocked
    from chie_kokan.tui.app import make_app

    def build(take_over: bool) -> ChieKokanApp:
        return make_app(
            sessions_dir=Path(args.sessions_dir),
            scenarios_dir=Path("scenarios"),
            language=args.lang,
            take_over=take_over,
            paint_first=sys.stdout.isatty(),
            **target,
        )

    try:
        app = build(take_over=False)
    except SessionLocked as locked:
        if not getattr(args, "take_over", False):
            raise
        if not _confirm_take_over(locked):
            return EXIT_ERROR
        app = build(take_over=True)
    # Textual prints a crash's traceback (with people's words in its locals)
    # to stderr: it goes to a log file instead, and the room reads one calm
    # message. Textual draws on the terminal itself, not through sys.stderr.
    captured = io.StringIO()
    try:
        with contextlib.redirect_stderr(captured):
            result = app.run()
    finally:
        rescue = app.rescue()
    if app.return_code:
        return _crashed(captured.getvalue(), rescue)
    if app.opening_error is not None:
        raise app.opening_error  # one message, exit status 2 (main)
    if captured.getvalue():
        print(captured.getvalue(), file=sys.stderr, end="")
    return EXIT_OK if result is None else result


def _confirm_take_over(locked: SessionLocked) -> bool:
    """Say who has the session and ask; only a yes at a terminal takes it over."""
    print(locked.who(), file=sys.stderr)
    if not sys.stdin.isatty():
        print(t("lock.take_over_no_terminal"), file=sys.stderr)
        return False
    if _ask_yes(t("lock.take_over_question")):
        return True
    print(t("lock.take_over_declined"), file=sys.stderr)
    return False


def _crashed(details: str, rescue: Rescue | None) -> int:
    """After a bug: where the session is, how to go on, and a log for the report."""
    lines = [t("crash.message")]
    if rescue is not None:
        if rescue.saved:
            lines.append(t("crash.saved", file=visible(rescue.path)))
        else:
            lines.append(t("crash.not_saved", file=visible(rescue.path), detail=rescue.detail))
        lines.append(t("crash.resume", file=visible(rescue.path)))
    log = _write_crash_log(details, rescue.path.parent if rescue else None)
    if log is not None:
        lines.append(t("crash.report", file=visible(log)))
    else:
        lines.append(details)
    print("\n".join(lines), file=sys.stderr)
    return EXIT_CRASH


_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _write_crash_log(details: str, folder: Path | None) -> Path | None:
    """The traceback in a file beside the session (else the temp folder)."""
    name = f"chie-kokan-crash-{datetime.now():%Y%m%d-%H%M%S}.log"
    details = _ANSI.sub("", details)  # Textual renders it in colour for a terminal
    for directory in (folder, Path(tempfile.gettempdir())):
        if directory is None:
            continue
        try:
            path = directory / name
            path.write_text(details or "(no details)", encoding="utf-8")
        except OSError:
            continue
        return path
    return None


def cmd_launcher(args: argparse.Namespace) -> int:
    return _run_app(args)


def cmd_run(args: argparse.Namespace) -> int:
    return _run_app(args, scenario_path=Path(args.scenario))


def cmd_resume(args: argparse.Namespace) -> int:
    return _run_app(args, session_path=Path(args.session))


def cmd_export(args: argparse.Namespace) -> int:
    """Minutes of one meeting; several sessions (its tables) merge into one."""
    from chie_kokan.export import export_minutes

    written = export_minutes(
        [Path(name) for name in args.sessions],
        fmt=args.format,
        out=Path(args.out) if args.out else None,
        redact=args.redact,
        template=Path(args.template) if args.template else None,
        language=args.lang,
        force=args.force,
        speaking_time=False if args.no_speaking_time else None,
    )
    print(t("export.written", file=visible(written)))
    return EXIT_OK


def cmd_resources(args: argparse.Namespace) -> int:
    """The resource file (地域資源ファイル) across sessions."""
    from chie_kokan.export import export_resources

    written = export_resources(
        [Path(name) for name in args.sessions],
        fmt=args.format,
        out=Path(args.out) if args.out else None,
        language=args.lang,
        public=args.public,
        force=args.force,
    )
    print(t("export.written", file=visible(written)))
    return EXIT_OK


def cmd_approve(args: argparse.Namespace) -> int:
    """Mark the minutes approved (案 → 確定) by whom and when."""
    from chie_kokan.approval import approve_session
    from chie_kokan.export.formatting import format_date

    path = Path(args.session)
    if not args.by.strip():
        return _error(t("approve.by_blank"))
    result = approve_session(path, args.by)
    approval = result.approval
    values = {
        "file": visible(path),
        "by": visible(approval.by),
        "date": format_date(approval.at.date(), get_language()),
    }
    print(t("approve.already" if result.already else "approve.done", **values))
    return EXIT_OK


def cmd_actions(args: argparse.Namespace) -> int:
    """Open action items across the sessions in a folder, overdue first."""
    from chie_kokan.clock import system_clock
    from chie_kokan.export import export_actions

    listing = export_actions(
        Path(args.directory),
        today=system_clock().date(),
        fmt=args.format,
        out=Path(args.out) if args.out else None,
        language=get_language(),
        force=args.force,
    )
    # A file that cannot be read is named with its problems; the others are listed.
    for error in listing.skipped:
        print(t("actions.skipped", file=visible(error.problems[0].file)), file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
    if listing.written is not None:
        print(t("export.written", file=visible(listing.written)))
    elif hasattr(sys.stdout, "buffer"):
        sys.stdout.flush()  # the bytes as written: CSV keeps its BOM, Markdown its UTF-8
        sys.stdout.buffer.write(listing.data)
        sys.stdout.buffer.flush()
    else:
        print(listing.data.decode("utf-8-sig"), end="")
    return EXIT_OK


# --- display command ---
def cmd_display(args: argparse.Namespace) -> int:
    """The audience view: follows the session file live, takes no lock, writes nothing."""
    from chie_kokan.tui.display import make_display

    try:
        app = make_display(Path(args.session), language=args.lang)
    except FileError as error:
        print(error, file=sys.stderr)
        print(t("display.open_hint"), file=sys.stderr)
        return EXIT_ERROR
    # As for the operator's screen: a crash's traceback goes to a log, not the projector.
    captured = io.StringIO()
    with contextlib.redirect_stderr(captured):
        result = app.run()
    if app.return_code:
        return _crashed(captured.getvalue(), None)
    if captured.getvalue():
        print(captured.getvalue(), file=sys.stderr, end="")
    return EXIT_OK if result is None else result


# --- end display command ---


# --- edit command (issue 13: the scenario editor) ---
def cmd_edit(args: argparse.Namespace) -> int:
    """Open a scenario in the editor; a file that is not there is one message, exit 2."""
    path = Path(args.scenario)
    if not os.path.lexists(path):
        return _error(t("editor.cli_edit_missing", file=visible(path)))
    return _run_app(args, edit_path=path)


def cmd_new_then_edit(args: argparse.Namespace) -> int:
    """``new PATH --edit``: the template as ``new`` writes it, then the editor on it."""
    written = cmd_new(args)
    if written != EXIT_OK or not args.edit:
        return written
    return _run_app(args, edit_path=Path(args.path))


def _add_edit(
    command: Callable[[str, Handler, str], argparse.ArgumentParser], new: argparse.ArgumentParser
) -> None:
    edit = command("edit", cmd_edit, "editor.cli_edit_help")
    edit.add_argument("scenario", metavar="SCENARIO")
    new.add_argument("--edit", action="store_true", help=t("editor.cli_new_edit_help"))
    new.set_defaults(handler=cmd_new_then_edit)


# --- end edit command ---


# --- serve command ---
def _port(text: str) -> int:
    """A TCP port for ``--port``: 1-65535 (argparse reports anything else)."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(t("serve.bad_port", port=visible(text)))
    return port


def _host(text: str) -> str:
    """An address for ``--host``; a blank one would listen on every network, unasked."""
    if not text.strip():
        raise argparse.ArgumentTypeError(t("serve.blank_host"))
    return text.strip()


def cmd_serve(args: argparse.Namespace) -> int:
    """The audience display in a browser; the file is checked before any server starts."""
    from chie_kokan.serve import ServeError, serve
    from chie_kokan.storage import load_session

    path = Path(args.session)
    session = load_session(path)  # a FileError is one clear message, exit 2
    language = args.lang or session.scenario.language
    set_language(language)
    try:
        serve(
            path,
            title=session.scenario.title,
            host=args.host,
            port=args.port,
            language=language,
        )
    except ServeError as error:
        return _error(str(error))
    return EXIT_OK


def _add_serve(command: Callable[[str, Handler, str], argparse.ArgumentParser]) -> None:
    from chie_kokan.serve import LOOPBACK

    serve = command("serve", cmd_serve, "serve.help")
    serve.add_argument("session", metavar="SESSION", help=t("serve.session_help"))
    serve.add_argument("--host", type=_host, default=LOOPBACK, help=t("serve.host_help"))
    serve.add_argument("--port", type=_port, default=8000, help=t("serve.port_help"))


# --- end serve command ---


# --- roster command ---
EXIT_DECLINED = 1
"""``roster import`` answered no (or no answer): nothing written, and not an error."""


def cmd_roster_import(args: argparse.Namespace) -> int:
    """Preview the people of a member list, ask, then add them to the scenario."""
    from chie_kokan.roster_import import open_scenario, read_roster, save_roster

    file = open_scenario(Path(args.scenario))
    listed = read_roster(Path(args.members))
    shown_path = visible(file.path)
    before = len(file.scenario.participants)
    people = listed if args.replace else listed.against(file.scenario.participants)
    count = len(people.participants)
    if count:
        key = "replacing_heading" if args.replace else "added_heading"
        print(t(f"roster_import.{key}", file=shown_path, count=count, before=before))
        columns = people.added_columns()
        _print_table([t(f"roster_import.col_{c}") for c in columns], people.added_rows())
    if people.skipped:
        print(t("roster_import.skipped_heading", count=len(people.skipped)))
        columns = ("col_row", "col_name", "col_why")
        _print_table([t(f"roster_import.{c}") for c in columns], people.skipped_rows())
    if not count:
        print(t("roster_import.nothing_to_add", file=shown_path))
        # Everyone listed is on the roster already: done. A list with nobody usable: an error.
        return EXIT_OK if listed.participants else EXIT_ERROR
    if not args.yes and not _ask_yes(
        t("roster_import.question"), no_answer=t("roster_import.no_terminal")
    ):
        print(t("roster_import.declined", file=shown_path))
        return EXIT_DECLINED
    scenario = save_roster(file, people.participants, replace=args.replace)
    done = "replaced" if args.replace else "written"
    count = len(scenario.participants) if args.replace else count
    print(t(f"roster_import.{done}", file=shown_path, count=count))
    return EXIT_OK


def _print_table(headers: list[str], rows: list[tuple[str, ...]]) -> None:
    """Columns lined up as a terminal shows them (a full-width character is two cells)."""
    table = [headers, *([visible(cell) for cell in row] for row in rows)]
    widths = [max(_cells(row[i]) for row in table) for i in range(len(headers))]
    for row in table:
        padded = [
            cell + " " * (width - _cells(cell)) for cell, width in zip(row, widths, strict=True)
        ]
        print("  " + "  ".join(padded).rstrip())


def _cells(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _add_roster(command: Callable[[str, Handler, str], argparse.ArgumentParser]) -> None:
    roster = command("roster", cmd_roster_import, "roster_import.help")
    actions = roster.add_subparsers(dest="roster_command", metavar="COMMAND", required=True)
    found = actions.add_parser(
        "import", help=t("roster_import.import_help"), description=t("roster_import.import_help")
    )
    _add_lang(found, default=argparse.SUPPRESS)
    found.add_argument("scenario", metavar="SCENARIO", help=t("roster_import.scenario_help"))
    found.add_argument("members", metavar="MEMBERS", help=t("roster_import.members_help"))
    found.add_argument("--replace", action="store_true", help=t("roster_import.replace_help"))
    found.add_argument("--yes", "-y", action="store_true", help=t("roster_import.yes_help"))


# --- end roster command ---


def _add_lang(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default=default, help=t("cli.lang_help"))


def _add_sessions_dir(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument(
        "--sessions-dir", default=default, metavar="DIR", help=t("cli.sessions_dir_help")
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chie-kokan", description=t("cli.description"))
    _add_lang(parser, default=None)
    _add_sessions_dir(parser, default="sessions")
    parser.set_defaults(handler=cmd_launcher)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, handler: Handler, help_key: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=t(help_key), description=t(help_key))
        # --lang may also follow the command; SUPPRESS keeps a global one.
        _add_lang(sub, default=argparse.SUPPRESS)
        sub.set_defaults(handler=handler)
        return sub

    validate = command("validate", cmd_validate, "cli.validate_help")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.add_argument("--fix", action="store_true", help=t("width.fix_help"))
    validate.add_argument("--yes", action="store_true", help=t("width.yes_help"))
    new = command("new", cmd_new, "cli.new_help")
    new.add_argument("path", metavar="PATH")
    _add_edit(command, new)  # edit SCENARIO, new PATH --edit
    run = command("run", cmd_run, "cli.run_help")
    run.add_argument("scenario", metavar="SCENARIO")
    _add_sessions_dir(run, default=argparse.SUPPRESS)
    resume = command("resume", cmd_resume, "cli.resume_help")
    resume.add_argument("session", metavar="SESSION")
    resume.add_argument("--take-over", action="store_true", help=t("lock.take_over_help"))
    _add_sessions_dir(resume, default=argparse.SUPPRESS)
    export = command("export", cmd_export, "cli.export_help")
    export.add_argument("sessions", nargs="+", metavar="SESSION", help=t("export.sessions_help"))
    export.add_argument(
        "--format",
        choices=("md", "html", "docx", "article", "article-docx"),
        default="md",
        help=t("export.format_help"),
    )
    export.add_argument("--out", metavar="PATH", help=t("export.out_help"))
    export.add_argument("--redact", action="store_true", help=t("export.redact_help"))
    export.add_argument("--template", metavar="FILE", help=t("export.template_help"))
    export.add_argument("--force", action="store_true", help=t("export.force_help"))
    export.add_argument(
        "--no-speaking-time", action="store_true", help=t("export.no_speaking_time_help")
    )
    resources = command("resources", cmd_resources, "cli.resources_help")
    resources.add_argument(
        "sessions", nargs="+", metavar="SESSION", help=t("export.resources_sessions_help")
    )
    resources.add_argument(
        "--format",
        choices=("md", "csv", "html"),
        default="md",
        help=t("export.resources_format_help"),
    )
    resources.add_argument("--out", metavar="PATH", help=t("export.resources_out_help"))
    resources.add_argument("--public", action="store_true", help=t("export.resources_public_help"))
    resources.add_argument("--force", action="store_true", help=t("export.force_help"))
    approve = command("approve", cmd_approve, "cli.approve_help")
    approve.add_argument("session", metavar="SESSION")
    approve.add_argument("--by", required=True, metavar="NAME", help=t("approve.by_help"))
    actions = command("actions", cmd_actions, "cli.actions_help")
    actions.add_argument(
        "directory", nargs="?", default="sessions", metavar="DIR", help=t("actions.dir_help")
    )
    actions.add_argument(
        "--format", choices=("md", "csv"), default="md", help=t("actions.format_help")
    )
    actions.add_argument("--out", metavar="PATH", help=t("actions.out_help"))
    actions.add_argument("--force", action="store_true", help=t("export.force_help"))
    # --- display command ---
    display = command("display", cmd_display, "display.help")
    display.add_argument("session", metavar="SESSION", help=t("display.session_help"))
    # --- end display command ---
    # --- serve command ---
    _add_serve(command)
    # --- end serve command ---
    # --- roster command ---
    _add_roster(command)
    # --- end roster command ---
    return parser


def _early_language(argv: Sequence[str]) -> None:
    # Help texts are built before parsing, so read --lang by hand first.
    for index, arg in enumerate(argv):
        value = None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in LANGUAGES:
            set_language(value)  # type: ignore[arg-type]


_WINDOWS = sys.platform == "win32"


def utf8_when_redirected(*streams: object) -> None:
    """On Windows, output sent to a file or a pipe is written in UTF-8.

    Python writes redirected output in the system's code page there (cp932
    on a Japanese Windows), which has no "—" or "①": a scenario title with
    one would end ``validate > report.txt`` with a traceback. The console
    itself is written in Unicode by Python and is left alone.
    """
    if not _WINDOWS:
        return
    for stream in streams:
        if isinstance(stream, io.TextIOWrapper) and not stream.isatty():
            stream.reconfigure(encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``chie-kokan`` command."""
    utf8_when_redirected(sys.stdout, sys.stderr)
    argv = list(sys.argv[1:] if argv is None else argv)
    set_language("ja")
    _early_language(argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        set_language(args.lang)
    handler: Handler = args.handler
    try:
        return handler(args)
    except FileError as error:
        print(error, file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception:
        # A bug, not the user's file: say so calmly, keep the details in a log.
        return _crashed(traceback.format_exc(), None)
