"""``chie-kokan export`` and ``chie-kokan resources`` through the real entry point."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from chie_kokan.cli import main
from chie_kokan.i18n import t
from export_helpers import FIXTURES, docx_text
from hang_guard import deadline

ROOT = Path(__file__).resolve().parent.parent
SHIMIZU = FIXTURES / "shimizu-session.toml"
RIVERSIDE = FIXTURES / "riverside-session.toml"


def test_export_writes_markdown_to_exports_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(SHIMIZU)]) == 0
    written = Path("exports/2026-11-27-shimizu.md")
    assert written.read_text(encoding="utf-8").startswith("# 知恵交換会 — 清水さんの困りごと")
    assert str(written) in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_each_format_gets_its_own_extension(fmt: str) -> None:
    assert main(["export", str(RIVERSIDE), "--format", fmt]) == 0
    data = Path(f"exports/2026-12-03-riverside.{fmt}").read_bytes()
    text = docx_text(data) if fmt == "docx" else data.decode("utf-8")
    assert "Knowledge exchange" in text


def test_several_sessions_merge_into_one_file() -> None:
    assert main(["export", str(SHIMIZU), str(RIVERSIDE), "--format", "html"]) == 0
    page = Path("exports/2026-11-27-shimizu-merged.html").read_text(encoding="utf-8")
    assert "全体のまとめ" in page
    assert "テーブル1" in page and "Table B" in page
    assert "Isolation in cold weather" in page and "買い物に行けない" in page


def test_out_may_name_a_folder() -> None:
    Path("議事録").mkdir()
    assert main(["export", str(SHIMIZU), "--format", "html", "--out", "議事録"]) == 0
    assert Path("議事録/2026-11-27-shimizu.html").is_file()
    assert main(["resources", str(SHIMIZU), "--out", "議事録"]) == 0
    assert Path("議事録/resources.md").is_file()


def test_public_version_has_its_own_default_name() -> None:
    assert main(["export", str(SHIMIZU)]) == 0
    assert main(["export", str(SHIMIZU), "--redact"]) == 0
    # The date and -public only: the session id comes from the scenario's file
    # name, and shimizu.toml is the case person's name in romaji.
    public = Path("exports/2026-11-27-public.md").read_text(encoding="utf-8")
    assert "清水" not in public and "山田 花子" not in public
    assert "清水" in Path("exports/2026-11-27-shimizu.md").read_text(encoding="utf-8")
    assert main(["export", str(SHIMIZU), str(RIVERSIDE), "--redact", "--format", "html"]) == 0
    assert sorted(p.name for p in Path("exports").iterdir()) == [
        "2026-11-27-merged-public.html",
        "2026-11-27-public.md",
        "2026-11-27-shimizu.md",
    ]


def test_public_file_name_and_template_variables_carry_no_session_id(tmp_path: Path) -> None:
    named = Path("2026-11-30-清水.toml")
    named.write_text(
        SHIMIZU.read_text(encoding="utf-8").replace(
            'id = "2026-11-27-shimizu"', 'id = "2026-11-30-清水"'
        ),
        encoding="utf-8",
    )
    template = tmp_path / "id.md.j2"
    template.write_text("[{{ tables[0].session_id }}]", encoding="utf-8")
    assert main(["export", str(named), "--redact", "--template", str(template)]) == 0
    assert [p.name for p in Path("exports").iterdir()] == ["2026-11-27-public.md"]
    assert Path("exports/2026-11-27-public.md").read_text(encoding="utf-8") == "[]"
    assert main(["export", str(named), "--template", str(template)]) == 0
    assert Path("exports/2026-11-30-清水.md").read_text(encoding="utf-8") == "[2026-11-30-清水]"


def test_existing_file_is_kept_unless_force(capsys: pytest.CaptureFixture[str]) -> None:
    out = Path("minutes.md")
    out.write_text("先週の議事録", encoding="utf-8")
    assert main(["export", str(SHIMIZU), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "minutes.md" in err and "--force" in err
    assert out.read_text(encoding="utf-8") == "先週の議事録"
    assert main(["export", str(SHIMIZU), "--out", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("# 知恵交換会")


@pytest.mark.parametrize(
    "source", [SHIMIZU, ROOT / "scenarios" / "shimizu.toml"], ids=["session", "scenario"]
)
def test_never_overwrites_a_session_or_scenario_even_with_force(
    source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = Path("mine.toml")
    shutil.copy(source, target)
    before = target.read_bytes()
    assert main(["export", str(SHIMIZU), "--out", str(target), "--force"]) == 2
    assert "上書きしません" in capsys.readouterr().err
    assert target.read_bytes() == before
    # Not by its extension alone: a session saved under another name is refused too.
    renamed = Path("session-copy.md")
    shutil.copy(SHIMIZU, renamed)
    assert main(["export", str(SHIMIZU), "--out", str(renamed), "--force"]) == 2
    assert renamed.read_bytes() == SHIMIZU.read_bytes()


def test_exporting_onto_its_own_input_is_refused() -> None:
    own = Path("table.toml")
    shutil.copy(SHIMIZU, own)
    assert main(["export", str(own), "--out", str(own), "--force"]) == 2
    assert own.read_bytes() == SHIMIZU.read_bytes()


def test_missing_session_is_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "no-such-session.toml"]) == 2
    err = capsys.readouterr().err
    assert "no-such-session.toml" in err and "ファイルが見つかりません" in err
    assert "Traceback" not in err
    assert not Path("exports").exists()


def test_bad_session_names_the_file_and_field(capsys: pytest.CaptureFixture[str]) -> None:
    broken = Path("broken.toml")
    text = SHIMIZU.read_text(encoding="utf-8").replace("observers = 2", 'observers = "二人"')
    broken.write_text(text, encoding="utf-8")
    not_toml = Path("not-toml.toml")
    not_toml.write_text("[scenario\n", encoding="utf-8")
    assert main(["export", str(broken), str(not_toml)]) == 2
    err = capsys.readouterr().err
    assert "broken.toml" in err and "observers" in err
    assert "not-toml.toml" in err and "TOML" in err
    assert "Traceback" not in err


def test_lang_chooses_the_language_of_the_minutes() -> None:
    assert main(["--lang", "en", "export", str(SHIMIZU), "--out", "en.md"]) == 0
    text = Path("en.md").read_text(encoding="utf-8")
    assert text.startswith("# Minutes: ") and "## Proceedings" in text
    assert main(["export", str(RIVERSIDE), "--lang", "ja", "--out", "ja.md"]) == 0
    assert "## 開催概要" in Path("ja.md").read_text(encoding="utf-8")


def test_own_template(tmp_path: Path) -> None:
    template = tmp_path / "様式.md.j2"
    template.write_text(
        "{{ title }}／{{ date }}\n{% for tb in tables %}{% for p in tb.attendees %}"
        "{{ p.organization }}:{{ p.label }}\n{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    assert main(["export", str(SHIMIZU), "--template", str(template), "--out", "a.md"]) == 0
    text = Path("a.md").read_text(encoding="utf-8")
    assert text.startswith("知恵交換会 — 清水さんの困りごと（架空の事例）／令和8年11月27日（金）")
    assert "第三団地自治会:山田 花子" in text
    assert (
        main(["export", str(SHIMIZU), "--template", str(template), "--redact", "--out", "b.md"])
        == 0
    )
    assert "第三団地自治会:第三団地自治会" in Path("b.md").read_text(encoding="utf-8")


def test_own_html_template_is_autoescaped_and_may_include_the_stylesheet(tmp_path: Path) -> None:
    template = tmp_path / "mine.html.j2"
    template.write_text(
        '<style>{% include "minutes.css" %}</style>'
        '{{ "<b>" }}{{ tables[0].steps[1].cards[0].text }}',
        encoding="utf-8",
    )
    assert main(["export", str(SHIMIZU), "--format", "html", "--template", str(template)]) == 0
    page = Path("exports/2026-11-27-shimizu.html").read_text(encoding="utf-8")
    assert "@page { size: A4" in page and "&lt;b&gt;" in page


def test_broken_template_is_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    syntax = tmp_path / "syntax.md.j2"
    syntax.write_text("一行目\n{% for x in tables %}\n", encoding="utf-8")
    assert main(["export", str(SHIMIZU), "--template", str(syntax)]) == 2
    err = capsys.readouterr().err
    assert "syntax.md.j2" in err and "テンプレート" in err
    typo = tmp_path / "typo.md.j2"
    typo.write_text("{{ titel }}", encoding="utf-8")
    assert main(["export", str(SHIMIZU), "--template", str(typo)]) == 2
    assert "titel" in capsys.readouterr().err
    assert main(["export", str(SHIMIZU), "--template", str(tmp_path / "none.j2")]) == 2
    assert "見つかりません" in capsys.readouterr().err
    assert main(["export", str(SHIMIZU), "--format", "docx", "--template", str(typo)]) == 2
    assert "Word" in capsys.readouterr().err
    assert not Path("exports").exists()


# -- resources -------------------------------------------------------------------


def test_resources_csv_by_default_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resources", str(SHIMIZU), str(RIVERSIDE), "--format", "csv"]) == 0
    data = Path("exports/resources.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "resources.csv" in capsys.readouterr().out
    assert main(["resources", str(SHIMIZU), "--format", "csv"]) == 2
    assert main(["resources", str(SHIMIZU), "--format", "csv", "--force"]) == 0


def test_resources_markdown_and_bad_session(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["resources", str(SHIMIZU)]) == 0
    text = Path("exports/resources.md").read_text(encoding="utf-8")
    assert text.startswith("# 地域資源ファイル")
    assert main(["resources", str(SHIMIZU), "missing.toml", "--out", "r.md"]) == 2
    assert "missing.toml" in capsys.readouterr().err
    assert not Path("r.md").exists()


def test_resources_public_has_its_own_file_and_only_publishable_resources(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["resources", str(SHIMIZU), "--public", "--format", "csv"]) == 0
    assert "resources-public.csv" in capsys.readouterr().out
    data = Path("exports/resources-public.csv").read_text(encoding="utf-8-sig")
    assert "移動販売（第三団地）" in data and "たすけあいの会 042-000-0000" in data
    assert "老人クラブの「買い物ついで散歩」" not in data  # not marked publishable
    assert "shimizu" not in data


def test_resources_help_names_public(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["resources", "--help"])
    assert "--public" in capsys.readouterr().out


# -- a person's template runs sandboxed ------------------------------------------

ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('echo pwned > pwned.txt').read() }}",
    "{{ self.__init__.__globals__.__builtins__.open('pwned.txt', 'w').write('x') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].system('echo pwned > pwned.txt') }}",
    "{% set x = tables.append(1) %}",  # the minutes are read-only
]


@pytest.mark.parametrize("code", ESCAPES)
def test_a_template_cannot_run_code_or_change_the_minutes(
    code: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "悪い.md.j2"
    template.write_text(code, encoding="utf-8")
    assert main(["export", str(SHIMIZU), "--template", str(template)]) == 2
    err = capsys.readouterr().err
    assert "悪い.md.j2" in err and "テンプレートでは使えない処理" in err, err
    assert "Traceback" not in err
    assert not Path("pwned.txt").exists() and not Path("exports").exists()


def test_a_template_includes_only_files_of_its_own_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("ひみつ", encoding="utf-8")
    folder = tmp_path / "様式"
    folder.mkdir()
    (folder / "link.txt").symlink_to(secret)
    (folder / "header.md").write_text("事務局の様式\n", encoding="utf-8")
    template = folder / "mine.md.j2"
    template.write_text('{% include "header.md" %}{% include "minutes.css" %}', encoding="utf-8")
    assert main(["export", str(SHIMIZU), "--template", str(template), "--out", "ok.md"]) == 0
    assert Path("ok.md").read_text(encoding="utf-8").startswith("事務局の様式\n/* Minutes")
    for name in ("link.txt", "../secret.txt", str(secret)):
        template.write_text(f'{{% include "{name}" %}}', encoding="utf-8")
        assert main(["export", str(SHIMIZU), "--template", str(template)]) == 2, name
        err = capsys.readouterr().err
        assert "mine.md.j2" in err and "ひみつ" not in err, err
        assert not Path("exports").exists()


@pytest.mark.parametrize("how", ["given", "included"])
def test_a_pipe_as_template_is_refused_by_name_never_waited_on(
    how: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A FIFO would make a reader wait for a writer forever; Jinja2 alone called it missing."""
    pipe = tmp_path / "pipe.md.j2"
    os.mkfifo(pipe)
    template = pipe
    if how == "included":
        template = tmp_path / "mine.md.j2"
        template.write_text('{% include "pipe.md.j2" %}', encoding="utf-8")
    with deadline(what="export with a FIFO template"):
        assert main(["export", str(SHIMIZU), "--template", str(template)]) == 2
    err = capsys.readouterr().err
    assert "pipe.md.j2" in err and t("validation.not_regular") in err, err
    assert not Path("exports").exists()


# -- the speaking-time table (issue 9) -------------------------------------------

_SPEAKING = {"ja": "発言時間", "en": "Speaking time"}


def _exported(args: list[str]) -> str:
    Path("out").mkdir(exist_ok=True)
    target = Path("out") / f"minutes-{len(list(Path('out').iterdir()))}"
    fmt = args[args.index("--format") + 1] if "--format" in args else "md"
    assert main(["export", *args, "--out", f"{target}.{fmt}"]) == 0
    data = Path(f"{target}.{fmt}").read_bytes()
    return docx_text(data) if fmt == "docx" else data.decode("utf-8")


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_speaking_time_is_in_the_internal_minutes_only(fmt: str) -> None:
    assert _SPEAKING["ja"] in _exported([str(SHIMIZU), "--format", fmt])
    assert _SPEAKING["ja"] not in _exported([str(SHIMIZU), "--format", fmt, "--redact"])
    assert "Speaking time" not in _exported([str(RIVERSIDE), "--format", fmt, "--redact"])


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
@pytest.mark.parametrize("redact", [[], ["--redact"]])
def test_no_speaking_time_leaves_the_table_out(fmt: str, redact: list[str]) -> None:
    merged = [str(SHIMIZU), str(RIVERSIDE)]
    text = _exported([*merged, "--format", fmt, "--no-speaking-time", *redact])
    assert _SPEAKING["ja"] not in text
    assert "4分15秒" not in text
    english = _exported([str(RIVERSIDE), "--format", fmt, "--no-speaking-time", *redact])
    assert "Speaking time" not in english
    assert "Action items" in english  # the rest of the minutes is still there
