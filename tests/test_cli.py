"""The command line: validate and new, one clear message and exit 2 for bad input."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from chie_kokan.cli import main
from chie_kokan.i18n import t
from chie_kokan.models import Scenario, Step
from chie_kokan.storage import load_any, load_scenario
from text_helpers import CONTROL, all_strings

ROOT = Path(__file__).resolve().parent.parent
BAD = Path(__file__).parent / "fixtures" / "bad"
FIXTURES = Path(__file__).parent / "fixtures"
PROGRAM = Path(sys.executable).parent / "chie-kokan"

# Every malformed file kept in tests/fixtures/bad/: the field the message must
# name, the line it must point at, and something from the file it must quote.
# (None: not applicable, e.g. an empty file has no line; a missing key has none.)
EXPECTED: dict[str, tuple[str | None, int | None, str | None]] = {
    "syntax-error.toml": (None, 4, None),
    "duplicate-key.toml": (None, 16, None),
    "bad-utf8.toml": (None, 3, "UTF-8"),
    "empty.toml": (None, None, None),
    "missing-title.toml": ("title", None, "title"),
    "missing-schema.toml": ("schema", None, "schema"),
    "schema-too-new.toml": ("schema", 2, "2"),
    "schema-too-old.toml": ("schema", 2, "0"),
    "schema-not-int.toml": ("schema", 2, "1"),
    "unknown-top-level-key.toml": ("thema", 5, "thema"),
    "unknown-step-key.toml": ("2番目の手順（steps[1].minute）", 20, "minutes"),
    "unknown-kind.toml": ("1番目の手順（steps[0].kind）", 14, "discuss"),
    "minutes-zero.toml": ("2番目の手順（steps[1].minutes）", 20, "0"),
    "minutes-string.toml": ("1番目の手順（steps[0].minutes）", 15, "20"),
    "minutes-float.toml": ("1番目の手順（steps[0].minutes）", 15, "20.5"),
    "negative-seconds-per-turn.toml": ("1番目の手順（steps[0].seconds_per_turn）", 17, "-30"),
    "bad-turns.toml": ("1番目の手順（steps[0].turns）", 16, "random"),
    "votes-not-pick.toml": ("1番目の手順（steps[0].votes_per_person）", 17, "pick"),
    "votes-negative.toml": ("2番目の手順（steps[1].votes_per_person）", 21, "-1"),
    "steps-empty.toml": ("steps", 6, None),
    "blank-question.toml": ("2番目の手順の2番目の問い（steps[1].questions[1]）", 21, None),
    "title-only-spaces.toml": ("title", 3, None),
    "duplicate-participant.toml": ("名簿の2人目（participants[1].name）", 11, "山田 花子"),
    "participant-without-name.toml": ("名簿の2人目（participants[1].name）", 10, "name"),
    "case-without-name.toml": ("case.name", 6, "name"),
    "case-not-a-table.toml": ("case", 5, None),
    "bad-language.toml": ("language", 5, "fr"),
    "ground-rules-not-a-list.toml": ("ground_rules", 5, None),
    "session-dangling-card-speaker.toml": ("2枚目のカード（cards[1].speaker）", 47, "p7"),
    "session-dangling-group-card.toml": (
        "1番目のグループの2枚目のカード（groups[0].cards[1]）",
        54,
        "c9",
    ),
    "session-step-out-of-range.toml": ("live.step", 52, "9"),
    "session-naive-timestamp.toml": ("created_at", 4, "+09:00"),
    "session-newer-schema.toml": ("schema", 2, "5"),
    "session-duplicate-member-id.toml": ("2人目の出席者（members[1].id）", 22, "p1"),
    "session-public-not-bool.toml": ("public", 7, "true"),
    # Hostile or broken beyond a typo (issue 7): each still one clear message.
    "minutes-full-width-quoted.toml": ("1番目の手順（steps[0].minutes）", 12, "２０"),
    "minutes-huge.toml": ("1番目の手順（steps[0].minutes）", 12, "1440"),
    "minutes-inf.toml": ("1番目の手順（steps[0].minutes）", 12, "inf"),
    "minutes-too-many-digits.toml": (None, 12, "4,300"),
    "seconds-per-turn-huge.toml": ("1番目の手順（steps[0].seconds_per_turn）", 13, "86400"),
    "votes-per-person-huge.toml": ("2番目の手順（steps[1].votes_per_person）", 18, "101"),
    "bom-crlf-minutes-huge.toml": ("1番目の手順（steps[0].minutes）", 12, "1441"),
    "huge-string.toml": ("language", 5, "jajaja"),
    "deep-arrays.toml": (None, 5, None),
    "deep-inline-tables.toml": (None, 6, None),
    "deep-dotted-key.toml": (None, 20, "a.b.c"),
    "nul-in-value.toml": (None, 5, "\\x00"),
    "escape-byte-in-value.toml": (None, 5, "\\x1b"),
    "surrogate-escape.toml": (None, 5, "Unicode"),
    "unknown-key-escape.toml": ("\\x1b]0;pwned\\x07", None, "\\x1b]0;pwned\\x07"),
    "truncated.toml": (None, 7, "Invalid value"),
    "truncated-string.toml": (None, 8, "Unterminated string"),
    "utf16.toml": (None, 1, "UTF-8"),
    "shift-jis.toml": (None, 3, "UTF-8"),
    "scenario-step-title-table.toml": ("1番目の手順（steps[0].title）", 13, None),
    "session-id-dotdot.toml": ("id", 3, "/"),
    "session-id-absolute.toml": ("id", 4, "/"),
    "session-id-device.toml": ("id", 3, None),
    "session-id-escape.toml": ("id", 3, "\\x1b"),
    "session-id-too-long.toml": ("id", 3, "100"),
    "session-id-hidden.toml": ("id", 3, None),
    "session-timer-inf.toml": ("1番目のタイマー（live.timers[0].elapsed）", 56, "inf"),
    "session-timer-nan.toml": ("2番目のタイマー（live.timers[1].elapsed）", 59, "nan"),
    "session-timer-huge.toml": ("1番目のタイマー（live.timers[0].elapsed）", 56, "1e+300"),
    "session-running-since-far-future.toml": (
        "1番目のタイマー（live.timers[0].running_since）",
        57,
        "9999",
    ),
    "session-created-year-1.toml": ("created_at", 4, "0001-01-01"),
    "session-votes-huge.toml": ("2枚目のカード（cards[1].votes）", 48, "10000"),
    "session-observers-huge.toml": ("observers", 7, "1000000"),
    "session-round-huge.toml": ("live.round", 54, "10000"),
    "session-embedded-hostile-steps.toml": ("1番目の手順（scenario.steps[0].minutes）", 16, "-inf"),
    "session-truncated.toml": (None, 46, "Invalid value"),
}

# Hostile but valid files kept in tests/fixtures/bad/ as well: they must load,
# with every control character shown as a visible stand-in (models/base.py),
# and what each must then show. (Bidi and zero-width characters are not
# control characters: they are kept as written.)
HOSTILE_VALID: dict[str, str | None] = {
    "hostile-scenario-escapes.toml": "␛]0;pwned␇",
    "hostile-session-escapes.toml": "␛[2J␛[H",
    "hostile-bom-crlf.toml": "閉店した。\nバス停が遠い。\n\n",
    "hostile-paths-in-fields.toml": "../../../etc/passwd",
    "hostile-bidi-and-invisible.toml": "\u202e",
    "hostile-long-text.toml": "閉店した。␛[2J",
    "hostile-ids-escapes.toml": "p1␛]0;pwned␇",
    # Full-width text in strings and comments is the author's: valid, never "fixed".
    "full-width-inside-strings.toml": "２０人の会 — “清水さん”の困りごと",
}

# Full-width twins of TOML syntax typed with the IME on (issue 13), in
# tests/fixtures/bad/ as well: every problem each must list, exactly, in
# Japanese and in English (the file's path left out). Each file is otherwise
# a valid scenario, so ``validate --fix`` must make it one.
_JA_CHAR = (
    "全角の「{}」は、半角の「{}」で書いてください"
    '（引用符 " で囲んだ文字の外では、数字・英字・記号は半角です）。'
)
_EN_CHAR = (
    "The full-width '{}' must be typed as the half-width '{}'"
    " (outside quoted text, digits, letters and symbols are half-width)."
)
_JA_QUOTE = (
    "引用符「{}」は、半角の「{}」で書いてください（文字を囲む引用符は半角の \" か ' です）。"
)
_EN_QUOTE = (
    "The quote mark {} must be typed as the straight {}"
    " (text is enclosed in straight quotes, \" or ')."
)
_JA_SPACE = (
    '全角の空白は、半角の空白で書いてください（引用符 " で囲んだ文字の外では、空白も半角です）。'
)
_EN_SPACE = (
    "A full-width space must be typed as a half-width space"
    " (outside quoted text, spaces are half-width too)."
)


def _char(line: int, col: int, wide: str, narrow: str) -> tuple[str, str]:
    return (
        f"{line}行目 {col}文字目: {_JA_CHAR.format(wide, narrow)}",
        f"line {line}, column {col}: {_EN_CHAR.format(wide, narrow)}",
    )


def _quote(line: int, col: int, wide: str, narrow: str) -> tuple[str, str]:
    return (
        f"{line}行目 {col}文字目: {_JA_QUOTE.format(wide, narrow)}",
        f"line {line}, column {col}: {_EN_QUOTE.format(wide, narrow)}",
    )


def _space(line: int, col: int) -> tuple[str, str]:
    return (f"{line}行目 {col}文字目: {_JA_SPACE}", f"line {line}, column {col}: {_EN_SPACE}")


WIDTH_MISTAKES: dict[str, list[tuple[str, str]]] = {
    "minutes-full-width.toml": [_char(12, 11, "２０", "20")],
    "equals-full-width.toml": [_char(12, 9, "＝", "=")],
    "brackets-full-width.toml": [_char(10, 1, "［［", "[["), _char(10, 8, "］］", "]]")],
    "braces-full-width.toml": [_char(5, 8, "｛", "{"), _char(5, 24, "｝", "}")],
    "quotes-full-width.toml": [_quote(3, 9, "”", '"'), _quote(3, 15, "”", '"')],
    "quotes-full-width-ascii-twin.toml": [_quote(4, 9, "＂", '"'), _quote(4, 16, "＂", '"')],
    "quotes-curly.toml": [_quote(4, 9, "“", '"'), _quote(4, 16, "”", '"')],
    "quotes-curly-single.toml": [_quote(8, 16, "‘", "'"), _quote(8, 20, "’", "'")],
    "quote-closing-full-width.toml": [_quote(3, 15, "”", '"')],
    "space-full-width.toml": [_space(11, 5)],
    "hand-edited-ime.toml": [
        _char(5, 7, "＝", "="),
        _char(7, 17, "［", "["),
        _char(7, 22, "］", "]"),
        _quote(10, 8, "”", '"'),
        _quote(10, 13, "”", '"'),
        _char(13, 1, "［［", "[["),
        _char(13, 15, "］］", "]]"),
        _quote(15, 16, "‘", "'"),
        _quote(15, 20, "’", "'"),
        _space(19, 8),
        _space(19, 10),
        _char(19, 11, "１５", "15"),
        _char(25, 20, "３", "3"),
    ],
}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def problem_lines(out: str) -> list[str]:
    return [line.strip() for line in out.splitlines() if line.startswith("  ")]


# -- validate ---------------------------------------------------------------------------


def test_the_shipped_scenarios_are_valid(capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted(str(p) for p in (ROOT / "scenarios").glob("*.toml"))
    assert len(files) >= 2
    code, out, err = run(["validate", *files], capsys)
    assert code == 0, out + err
    assert out.splitlines() == [f"OK  {name}" for name in files]
    assert err == ""


def test_a_hand_written_session_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(FIXTURES / "session-minimal.toml")
    assert run(["validate", path], capsys) == (0, f"OK  {path}\n", "")


def test_every_bad_fixture_is_in_the_table() -> None:
    listed = [*EXPECTED, *HOSTILE_VALID, *WIDTH_MISTAKES]
    assert sorted(p.name for p in BAD.iterdir()) == sorted(listed)
    assert len(set(listed)) == len(listed)
    assert len(EXPECTED) >= 60


@pytest.mark.parametrize("name", list(HOSTILE_VALID))
def test_a_hostile_but_valid_file_loads_with_control_characters_made_visible(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = BAD / name
    assert run(["validate", str(path)], capsys) == (0, f"OK  {path}\n", "")
    loaded = load_any(path)
    texts = all_strings(loaded.model_dump())
    assert not [text for text in texts if CONTROL.search(text)]
    expected = HOSTILE_VALID[name]
    assert expected is None or any(expected in text for text in texts)


def test_every_bad_fixture_is_a_different_mistake(capsys: pytest.CaptureFixture[str]) -> None:
    contents = [(BAD / name).read_bytes() for name in EXPECTED]
    assert len(set(contents)) == len(contents)
    reports = set()
    for name in EXPECTED:
        path = BAD / name
        main(["--lang", "en", "validate", str(path)])
        (problem,) = problem_lines(capsys.readouterr().out)
        reports.add(problem.replace(str(path), "FILE"))
    assert len(reports) == len(EXPECTED)


@pytest.mark.parametrize("name", list(EXPECTED))
def test_a_bad_file_gets_one_clear_message_and_exit_2(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    field, line, quoted = EXPECTED[name]
    path = BAD / name
    code, out, err = run(["validate", str(path)], capsys)
    assert code == 2
    assert "Traceback" not in out + err
    assert out.splitlines()[0] == f"NG  {path}"
    (problem,) = problem_lines(out)
    assert problem.startswith(str(path))
    if line is None:
        assert "行目" not in problem
    else:
        assert problem.startswith(f"{path} {line}行目")
    if field is None:
        assert re.match(rf"{re.escape(str(path))}[^:]*: [^:]+$", problem), problem
    else:
        assert f": {field}: " in problem
    if quoted is not None:
        message = problem.split(": ", 2 if field else 1)[-1]
        assert quoted in message
    assert err.strip()  # the summary: how many files have problems


def test_good_and_bad_files_together(capsys: pytest.CaptureFixture[str]) -> None:
    good = str(ROOT / "scenarios" / "shimizu.toml")
    bad = str(BAD / "minutes-zero.toml")
    code, out, _ = run(["validate", good, bad, good], capsys)
    assert code == 2
    verdicts = [line for line in out.splitlines() if not line.startswith("  ")]
    assert verdicts == [f"OK  {good}", f"NG  {bad}", f"OK  {good}"]


def test_missing_files_and_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.toml"
    code, out, err = run(["validate", str(missing), str(tmp_path)], capsys)
    assert code == 2
    problems = problem_lines(out)
    assert len(problems) == 2
    assert problems[0].startswith(str(missing)) and problems[1].startswith(str(tmp_path))
    assert problems[0] != problems[1].replace(str(tmp_path), str(missing))
    assert "Traceback" not in out + err


def test_validate_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["validate"])
    assert caught.value.code == 2
    assert "usage" in capsys.readouterr().err


def test_no_traceback_reaches_the_user_of_the_installed_program() -> None:
    assert PROGRAM.exists(), "make test installs the chie-kokan command into .venv"
    files = sorted(str(BAD / name) for name in [*EXPECTED, *WIDTH_MISTAKES])
    for language in ("ja", "en"):
        result = subprocess.run(
            [str(PROGRAM), "--lang", language, "validate", *files, "/nonexistent/x.toml"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
        assert result.returncode == 2
        assert "Traceback" not in result.stdout + result.stderr
        verdicts = [line for line in result.stdout.splitlines() if not line.startswith("  ")]
        assert len(verdicts) == len(files) + 1
        assert all(not line.startswith("OK") for line in verdicts)


# -- languages ------------------------------------------------------------------------------


def test_messages_are_japanese_by_default_and_english_on_request(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(BAD / "minutes-zero.toml")
    _, ja, ja_err = run(["validate", path], capsys)
    _, en, en_err = run(["--lang", "en", "validate", path], capsys)
    _, after, _ = run(["validate", "--lang", "en", path], capsys)
    _, again, _ = run(["validate", path], capsys)  # the default again, not the last one
    assert "20行目" in ja and re.search(r"[ぁ-んァ-ン]", problem_lines(ja)[0])
    assert "line 20" in en
    (problem,) = problem_lines(en)
    assert problem.replace(path, "").isascii()
    assert en_err.isascii() and not ja_err.isascii()
    assert after == en
    assert again == ja


def test_an_unknown_language_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--lang", "fr", "validate", "x.toml"])
    assert caught.value.code == 2
    assert "fr" in capsys.readouterr().err


# -- new --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ja", "en"])
def test_new_writes_a_commented_template_that_validates_as_written(
    language: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scenarios" / "my-meeting.toml"
    code, out, err = run(["--lang", language, "new", str(path)], capsys)
    assert code == 0, err
    assert str(path) in out
    scenario = load_scenario(path)
    assert scenario.language == language
    code, out, _ = run(["validate", str(path)], capsys)
    assert (code, out) == (0, f"OK  {path}\n")
    text = path.read_text("utf-8")
    data = tomllib.loads(text)
    # Every key a scenario can have is shown, so people see what they may write.
    scenario_keys = {info.alias or name for name, info in Scenario.model_fields.items()}
    assert set(data) == scenario_keys
    written_step_keys = {key for step in data["steps"] for key in step}
    assert written_step_keys == set(Step.model_fields)
    assert sum(line.lstrip().startswith("#") for line in text.splitlines()) >= 10
    if language == "en":
        comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
        assert all(line.isascii() for line in comments)


def test_new_defaults_to_japanese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.toml"
    assert run(["new", str(path)], capsys)[0] == 0
    assert load_scenario(path).language == "ja"


def test_new_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("# 大事なメモ\n", encoding="utf-8")
    code, out, err = run(["new", str(path)], capsys)
    assert code == 2
    assert str(path) in err and "Traceback" not in out + err
    assert path.read_text("utf-8") == "# 大事なメモ\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.toml"]


def test_new_refuses_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["new", str(tmp_path)], capsys)
    assert code == 2
    assert str(tmp_path) in err


def test_new_under_a_file_says_it_cannot_write_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a").write_text("not a folder", encoding="utf-8")
    code, _, err = run(["new", str(tmp_path / "a" / "b.toml")], capsys)
    assert code == 2
    assert t("cli.new_exists", file=tmp_path / "a" / "b.toml") not in err
    assert t("cli.write_failed", file=tmp_path / "a" / "b.toml", detail="").split("（")[0] in err


@pytest.mark.parametrize(
    ("command", "fixture"),
    [
        ("run", "minutes-zero.toml"),
        ("run", "syntax-error.toml"),
        ("run", "session-dangling-card-speaker.toml"),  # a session is not a scenario
        ("resume", "session-naive-timestamp.toml"),
        ("resume", "unknown-kind.toml"),  # a scenario is not a session
    ],
)
def test_run_and_resume_refuse_a_broken_file_before_any_screen(
    command: str, fixture: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / fixture
    original = (FIXTURES / "bad" / fixture).read_bytes()
    broken.write_bytes(original)
    code, out, err = run([command, str(broken), "--sessions-dir", str(tmp_path / "s")], capsys)
    assert code == 2
    assert str(broken) in err and "Traceback" not in out + err
    assert broken.read_bytes() == original  # never touched
    assert not (tmp_path / "s").exists()  # no session was started


def test_run_with_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["run", str(tmp_path / "nope.toml")], capsys)
    assert code == 2
    assert t("validation.not_found") in err


def test_new_with_a_name_too_long_says_it_cannot_write_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / ("清" * 300 + ".toml")
    code, out, err = run(["new", str(path)], capsys)
    assert code == 2
    assert "Traceback" not in out + err
    assert t("cli.write_failed", file=path, detail="").split("（")[0] in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["resume", "display"])
def test_a_scenario_given_for_a_session_says_which_it_is_and_what_to_run(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run([command, str(ROOT / "scenarios" / "shimizu.toml")], capsys)
    assert code == 2
    assert t("validation.scenario_not_session") in err
    assert "chie-kokan run" in err
    assert "Traceback" not in err


def test_a_session_given_for_a_scenario_says_to_resume_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _out, err = run(["run", str(FIXTURES / "session-minimal.toml")], capsys)
    assert code == 2
    assert t("validation.session_not_scenario") in err
    assert "chie-kokan resume" in err
