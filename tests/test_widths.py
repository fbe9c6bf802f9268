"""Full-width slips in TOML syntax (issue 13): named clearly, and ``validate --fix``.

Scenarios are typed in Notepad by people whose IME is often left in
full-width mode. Outside quoted text each full-width twin of TOML's syntax
is named with its line, column and the half-width character to type;
``validate --fix`` shows the repair as a diff, asks, and writes only those
characters. Quoted text and comments are the author's words: never touched.
"""

from __future__ import annotations

import io
import re
import shutil
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chie_kokan import files
from chie_kokan.cli import main
from chie_kokan.files import parse_toml
from chie_kokan.i18n import set_language
from chie_kokan.problems import MAX_PROBLEMS, FileError
from chie_kokan.storage import load_scenario
from chie_kokan.widths import TWINS, fix_widths, width_mistakes
from text_helpers import CONTROL

FIXTURES = Path(__file__).parent / "fixtures"
WIDE = {narrow: wide for wide, narrow in TWINS.items() if ord(wide) >= 0xFF00}
"""Each half-width character of TOML syntax and its full-width twin (not curly quotes)."""

SCENARIO = """\
schema = 1
title = "２０人の会 — “清水さん”の困りごと"   # ２０人くらい
theme = "買い物と移動"

[[participants]]
name = "山田 花子"
organization = "自治会"

[[steps]]
kind = "share"
minutes = 20
"""


# -- what is a slip and what is the author's text -----------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("minutes = ２０\n", "minutes = 20\n"),
        ("minutes ＝ 20\n", "minutes = 20\n"),
        ("［［steps］］\n", "[[steps]]\n"),
        ('case = ｛ name = "清水さん" ｝\n', 'case = { name = "清水さん" }\n'),
        ("title = ”知恵交換会”\n", 'title = "知恵交換会"\n'),
        ("title = “知恵交換会”\n", 'title = "知恵交換会"\n'),
        ("title = ＂知恵交換会＂\n", 'title = "知恵交換会"\n'),
        ("theme = ‘買い物’\n", "theme = '買い物'\n"),
        ("summary = '８２歳’\n", "summary = '８２歳'\n"),
        ("c = ‘a’b’\n", "c = 'a’b’\n"),  # which one closes is unclear: only the opening
        ('title = "知恵交換会”\n', 'title = "知恵交換会"\n'),  # opened half-width
        ('title = ”知恵交換会"\n', 'title = "知恵交換会"\n'),  # closed half-width
        ("minutes\u3000=\u300020\n", "minutes = 20\n"),
        ("ｍｉｎｕｔｅｓ = ２０．５\n", "minutes = 20.5\n"),
        ('questions = ["①"，"②"]\n', 'questions = ["①","②"]\n'),
        ("k = ””\n", 'k = ""\n'),  # an empty string
        ("＃ 全角の＃で始めたコメント ２０\n", "# 全角の＃で始めたコメント ２０\n"),
        ("minutes = ２０　＃ １５分でも\n", "minutes = 20 # １５分でも\n"),
        ("minutes = ２０\r\nturns = ”round”\r\n", 'minutes = 20\r\nturns = "round"\r\n'),
        ('x = """\n“ok” ２０ ＝\n""" ＃ ２\n', 'x = """\n“ok” ２０ ＝\n""" # ２\n'),
        ("x = '''\n‘ok’ ２０\n''' ＃\n", "x = '''\n‘ok’ ２０\n''' #\n"),
        ('x = """a""""\ny ＝ 1\n', 'x = """a""""\ny = 1\n'),  # a quote just before """
    ],
)
def test_a_twin_of_toml_syntax_is_made_half_width(typed: str, meant: str) -> None:
    assert fix_widths(typed) == meant
    assert fix_widths(meant) == meant
    assert width_mistakes(meant) == []


@pytest.mark.parametrize(
    "text",
    [
        'title = "２０人の会"\n',  # full-width inside a string: the author's text
        "title = '２０人の会 ＝ ［仮］'\n",
        'title = "清水さんの“困りごと”"\n',
        "minutes = 20  # ２０分、＝［］｛｝“”\n",  # a comment
        "theme = 買い物と移動（２０分）\n",  # words missing their quotes, not syntax
        "minutes = ２０分\n",  # the same: ２０分 is words
        "a = 買い物＃１\n",
        'a = "x” # “y”\n',  # two closing quotes: which one was meant is unclear
        'b = "a\\”\n',  # an escape gone wrong, not a closing quote
    ],
)
def test_text_that_is_the_authors_is_left_as_written(text: str) -> None:
    assert width_mistakes(text) == []
    assert fix_widths(text) == text


def test_consecutive_twins_of_a_kind_are_one_mistake_with_its_line_and_column() -> None:
    text = 'title = "清水さん"\nminutes\u3000=\u3000１５ # 全角\nturns = ”round”\n'
    found = [(m.line, m.column, m.wide, m.narrow, m.kind) for m in width_mistakes(text)]
    assert found == [
        (2, 8, "\u3000", " ", "space"),
        (2, 10, "\u3000", " ", "space"),
        (2, 11, "１５", "15", "char"),
        (3, 9, "”", '"', "quote"),
        (3, 15, "”", '"', "quote"),
    ]


# -- messages ------------------------------------------------------------------------------


def problems_of(text: str) -> list[str]:
    with pytest.raises(FileError) as caught:
        parse_toml(Path("s.toml"), text)
    return [str(problem) for problem in caught.value.problems]


def test_the_message_names_the_character_its_place_and_what_to_type() -> None:
    text = SCENARIO.replace("minutes = 20", "minutes = ２０")
    set_language("ja")
    (ja,) = problems_of(text)
    assert ja.startswith("s.toml 11行目 11文字目: 全角の「２０」は、半角の「20」で書いてください")
    set_language("en")
    (en,) = problems_of(text)
    assert en.startswith("s.toml line 11, column 11: The full-width '２０' must be typed as")
    assert en.isascii() is False and "Invalid value" not in en


def test_an_earlier_mistake_of_another_sort_is_named_too() -> None:
    text = SCENARIO.replace('theme = "買い物と移動"', 'theme = "買い物と移動').replace(
        "minutes = 20", "minutes = ２０"
    )
    set_language("en")
    general, width = problems_of(text)
    assert general.startswith("s.toml line 3") and "TOML" in general
    assert width.startswith("s.toml line 11, column 11: The full-width '２０'")


def test_a_file_full_of_slips_lists_the_first_ones_and_counts_the_rest() -> None:
    text = "".join(f"k{i} = ２\n" for i in range(MAX_PROBLEMS + 7))
    set_language("en")
    listed = problems_of(text)
    assert len(listed) == MAX_PROBLEMS + 1
    assert "7 more problems" in listed[-1]


def test_without_twins_the_parsers_own_message_stays() -> None:
    set_language("en")
    (problem,) = problems_of('title = "t\nminutes = 2 0\n')
    assert "TOML" in problem


# -- validate --fix -------------------------------------------------------------------------


def answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def slipped(tmp_path: Path) -> Path:
    """A scenario with slips on three lines and full-width text in strings and comments."""
    path = tmp_path / "meeting.toml"
    text = (
        SCENARIO.replace("theme = ", "theme ＝ ")
        .replace("[[steps]]", "［［steps］］")
        .replace("minutes = 20", "minutes = ２０")
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_fix_shows_the_diff_and_a_no_leaves_the_file_byte_identical(
    slipped: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = slipped.read_bytes()
    answer(monkeypatch, "n\n")
    code, out, _ = run(["validate", "--fix", str(slipped)], capsys)
    assert code == 2
    assert slipped.read_bytes() == before
    diff = [line for line in out.splitlines() if line[:1] in "-+@"]
    assert diff == [
        f"--- {slipped}",
        f"+++ {slipped}（直したあと）",
        "@@ -3 +3 @@",
        '-theme ＝ "買い物と移動"',
        '+theme = "買い物と移動"',
        "@@ -9 +9 @@",
        "-［［steps］］",
        "+[[steps]]",
        "@@ -11 +11 @@",
        "-minutes = ２０",
        "+minutes = 20",
    ]
    assert "この通りに書き換えますか？ [y/N]" in out
    assert "書き換えませんでした" in out
    assert f"NG  {slipped}" in out  # and it is still checked


@pytest.mark.parametrize("said", ["", "no\n", "yes please\n"])
def test_anything_but_yes_is_a_no(
    said: str, slipped: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = slipped.read_bytes()
    answer(monkeypatch, said)  # "" is the end of input: nobody to ask
    assert run(["validate", "--fix", str(slipped)], capsys)[0] == 2
    assert slipped.read_bytes() == before


@pytest.mark.parametrize("said", ["y\n", "Y\n", "yes\n", "はい\n", "ｙ\n"])
def test_yes_fixes_only_those_characters_and_checks_again(
    said: str, slipped: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answer(monkeypatch, said)
    code, out, err = run(["validate", "--fix", str(slipped)], capsys)
    assert code == 0, out + err
    assert slipped.read_text("utf-8") == SCENARIO  # the strings and comment untouched
    assert out.rstrip().endswith(f"OK  {slipped}")
    assert "書き換えました" in out


def test_yes_on_the_command_line_asks_nothing(
    slipped: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answer(monkeypatch, "n\n")  # would be a no, if asked
    code, out, _ = run(["--lang", "en", "validate", "--fix", "--yes", str(slipped)], capsys)
    assert code == 0
    assert "Rewrite the file" not in out
    assert slipped.read_text("utf-8") == SCENARIO
    assert f"+++ {slipped} (fixed)" in out  # the diff is still shown


def test_fixing_twice_changes_nothing_more(
    slipped: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["validate", "--fix", "--yes", str(slipped)], capsys)[0] == 0
    once = slipped.read_bytes()
    code, out, _ = run(["validate", "--fix", "--yes", str(slipped)], capsys)
    assert code == 0
    assert slipped.read_bytes() == once
    assert out.splitlines() == [f"{slipped}: 半角に直すところはありません。", f"OK  {slipped}"]


def test_with_nothing_to_fix_a_broken_file_is_still_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(SCENARIO.replace("minutes = 20", "minutes = 20分"), encoding="utf-8")
    before = path.read_bytes()
    code, out, _ = run(["--lang", "en", "validate", "--fix", str(path)], capsys)
    assert code == 2
    assert out.startswith(f"{path}: nothing to make half-width.\nERR {path}\n")
    assert path.read_bytes() == before


def test_the_bom_and_line_endings_are_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notepad.toml"
    typed = SCENARIO.replace("minutes = 20", "minutes = ２０").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + typed.encode("utf-8"))
    assert run(["validate", "--fix", "--yes", str(path)], capsys)[0] == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + SCENARIO.replace("\n", "\r\n").encode("utf-8")


def test_the_files_permissions_are_kept(slipped: Path, capsys: pytest.CaptureFixture[str]) -> None:
    slipped.chmod(0o640)
    assert run(["validate", "--fix", "--yes", str(slipped)], capsys)[0] == 0
    assert slipped.stat().st_mode & 0o777 == 0o640


def test_a_link_is_followed_and_stays_a_link(
    slipped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(slipped)
    assert run(["validate", "--fix", "--yes", str(link)], capsys)[0] == 0
    assert link.is_symlink()
    assert slipped.read_text("utf-8") == SCENARIO


def test_a_session_is_never_fixed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good-session.toml"
    shutil.copyfile(FIXTURES / "session-minimal.toml", good)
    slipped = tmp_path / "slipped-session.toml"
    text = (FIXTURES / "session-minimal.toml").read_text("utf-8")
    slipped.write_text(text.replace("[live]", "［live］"), encoding="utf-8")
    before = {path: path.read_bytes() for path in (good, slipped)}
    code, out, err = run(["validate", "--fix", "--yes", str(good), str(slipped)], capsys)
    assert code == 2
    assert {path: path.read_bytes() for path in before} == before
    assert err.count("セッション）ファイルです") == 2
    assert "+++" not in out


def test_a_scenario_that_only_mentions_a_sessions_table_is_fixed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mentions.toml"
    text = SCENARIO.replace('theme = "買い物と移動"', 'theme = """\n[scenario]\n[live]\n"""')
    path.write_text(text.replace("minutes = 20", "minutes = ２０"), encoding="utf-8")
    assert run(["validate", "--fix", "--yes", str(path)], capsys)[0] == 0
    assert path.read_text("utf-8") == text


def test_a_file_changed_while_the_diff_was_shown_is_not_overwritten(
    slipped: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def edited_meanwhile(question: str) -> str:
        slipped.write_text("# saved from Notepad meanwhile\n", encoding="utf-8")
        return "y"

    monkeypatch.setattr("builtins.input", edited_meanwhile)
    code, _, err = run(["--lang", "en", "validate", "--fix", str(slipped)], capsys)
    assert code == 2
    assert "changed" in err
    assert slipped.read_text("utf-8") == "# saved from Notepad meanwhile\n"


def test_a_file_that_cannot_be_replaced_is_said_and_kept(
    slipped: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = slipped.read_bytes()

    def refused(source: Path, target: Path) -> None:
        raise PermissionError(13, "Permission denied")  # a read-only share, an open file

    monkeypatch.setattr(files, "replace", refused)
    code, _, err = run(["validate", "--fix", "--yes", str(slipped)], capsys)
    assert code == 2
    assert str(slipped) in err and "Permission denied" in err and "Traceback" not in err
    assert slipped.read_bytes() == before
    assert sorted(p.name for p in slipped.parent.iterdir()) == [slipped.name]  # no temp file


def test_control_characters_in_the_diff_are_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "escape.toml"
    path.write_text(SCENARIO.replace("minutes = 20", "minutes = ２０ # \x1b[2J"), "utf-8")
    code, out, err = run(["validate", "--fix", "--yes", str(path)], capsys)
    assert not CONTROL.search(out + err)
    assert "-minutes = ２０ # \\x1b[2J" in out
    assert code == 2  # TOML allows no escape character in a comment: still reported


def test_several_files_each_fixed_or_left(
    slipped: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.toml"
    good.write_text(SCENARIO, encoding="utf-8")
    missing = tmp_path / "missing.toml"
    code, out, _ = run(
        ["validate", "--fix", "--yes", str(good), str(slipped), str(missing)], capsys
    )
    assert code == 2  # the missing one
    verdicts = [line for line in out.splitlines() if re.match(r"(OK|NG)  ", line)]
    assert verdicts == [f"OK  {good}", f"OK  {slipped}", f"NG  {missing}"]


# -- properties -----------------------------------------------------------------------------

# What people type into a scenario's strings and comments: full-width text,
# every quote and bracket in both widths, TOML's own punctuation, escapes.
_AUTHOR = st.text(
    st.one_of(
        st.sampled_from(list("２０＝［］｛｝，．＃“”‘’＂＇\u3000\"'\\#=[]{}, 清水さんの困りごと")),
        st.characters(exclude_categories=["Cs", "Cc"]),
    ),
    max_size=15,
)
_COMMENT = _AUTHOR.map(lambda text: text.replace("\r", "").replace("\u2028", ""))
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _basic(text: str) -> str:
    """``text`` as a TOML basic string, as tomli_w writes it."""
    return tomli_w.dumps({"a": text}).removeprefix("a = ").rstrip("\n")


Token = tuple[str, str]
"""(what it is, its text): syntax, space, open_quote, string, close_quote or comment."""
_FILLED = _AUTHOR.filter(lambda text: text.strip() != "")


@st.composite
def mistyped_scenarios(draw: st.DrawFn) -> tuple[str, str]:
    """A valid scenario written as tokens, and the same with slips where syntax is.

    Every half-width syntax character may become its twin; a closing quote
    only where that is unambiguous (see widths.py): nothing after it on its
    line could be taken for the closing quote instead.
    """

    def string(content: st.SearchStrategy[str] = _FILLED) -> list[Token]:
        text = draw(content)
        if "'" not in text and "\n" not in text and draw(st.booleans()):
            quote, body = "'", text
        else:
            quote, body = '"', _basic(text)[1:-1]
        return [("open_quote", quote), ("string", body), ("close_quote", quote)]

    def pair(key: str, tokens: list[Token]) -> list[Token]:
        return [("syntax", key), ("space", " "), ("syntax", "="), ("space", " "), *tokens]

    rules: list[Token] = [("syntax", "[")]
    for index in range(draw(st.integers(1, 3))):
        rules += [("syntax", ","), ("space", " ")] if index else []
        rules += string()
    lines = [
        pair("schema", [("syntax", "1")]),
        pair("title", string()),
        pair("theme", string()),
        pair("ground_rules", [*rules, ("syntax", "]")]),
        [("syntax", "[case]")],
        pair("name", string()),
        [("syntax", "[[steps]]")],
        pair("kind", [("open_quote", '"'), ("string", "share"), ("close_quote", '"')]),
        pair("minutes", [("syntax", str(draw(st.integers(1, 1440))))]),
    ]
    for line in lines:
        if draw(st.booleans()):
            line += [("space", " "), ("comment", "#" + draw(_COMMENT))]
    original = "".join("".join(text for _, text in line) + "\n" for line in lines)
    return original, "".join(_mistyped(draw, line) + "\n" for line in lines)


def _mistyped(draw: st.DrawFn, line: list[Token]) -> str:
    typed: list[str] = []
    for index, (kind, text) in enumerate(line):
        if kind == "syntax":
            text = "".join(WIDE[c] if c in WIDE and draw(st.booleans()) else c for c in text)
        elif kind == "space" and draw(st.booleans()):
            text = "\u3000"
        elif kind == "open_quote" and draw(st.booleans()):
            text = draw(st.sampled_from("“”＂" if text == '"' else "‘’＇"))
        elif kind == "close_quote" and draw(st.booleans()):
            closers = "”＂" if text == '"' else "’＇"
            after = line[index - 1][1] + "".join(t for _, t in line[index + 1 :])
            if not any(c in closers or c == text for c in after):
                text = draw(st.sampled_from(closers))
        typed.append(text)
    return "".join(typed)


@EXAMPLES
@given(texts=mistyped_scenarios())
def test_fix_restores_the_scenario_exactly_strings_and_comments_untouched(
    texts: tuple[str, str], tmp_path: Path
) -> None:
    original, typed = texts
    assert tomllib.loads(original)  # the generator writes valid TOML
    assert fix_widths(original) == original  # valid: nothing to do
    assert fix_widths(typed) == original
    assert fix_widths(fix_widths(typed)) == fix_widths(typed)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=mistyped_scenarios())
def test_validate_fix_on_any_scenario_text_restores_it_and_a_second_run_changes_nothing(
    texts: tuple[str, str], tmp_path: Path
) -> None:
    original, typed = texts
    path = tmp_path / "property.toml"
    path.write_text(typed, encoding="utf-8")
    assert main(["validate", "--fix", "--yes", str(path)]) == 0
    assert path.read_text("utf-8") == original
    assert main(["validate", "--fix", "--yes", str(path)]) == 0
    assert path.read_text("utf-8") == original
    load_scenario(path)


_ANY = st.text(
    st.one_of(
        st.sampled_from(list(TWINS) + list("\"'#=[]{},.\n\\ 0a清")),
        st.characters(exclude_categories=["Cs"]),
    ),
    max_size=60,
)


@EXAMPLES
@given(text=_ANY)
def test_for_any_text_fixing_twice_is_fixing_once_and_only_twins_change(text: str) -> None:
    fixed = fix_widths(text)
    assert fix_widths(fixed) == fixed
    assert len(fixed) == len(text)
    assert all(a == b or TWINS.get(a) == b for a, b in zip(text, fixed, strict=True))
    assert width_mistakes(fixed) == []
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return
    assert fixed == text  # valid TOML is never changed
