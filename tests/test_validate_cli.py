"""`tei-tools validate`: output format, options, exit codes, and the located,
actionable messages on a deliberately broken copy of the mini edition."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_tools.cli import main

from conftest import EDITION, MINI, TEI_ALL_RNG, mini_variant

SCHEMATRON_FIXTURES = Path(__file__).parent / "fixtures" / "schematron"

# (anchor in the mini edition, replacement, substring locating the error on its
#  line, expected message, code)
BREAKS = [
    ('<div type="item" xml:id="item01-feigong-dangjian"',
     '<div type="iten" xml:id="item01-feigong-dangjian"', 'type="iten"',
     '@type="iten" on <div xml:id="item01-feigong-dangjian"> is not allowed: the value must be '
     'one of: contents, item, part, preface, section (did you mean "item"?)', "RNG-ATTRIBUTE"),
    ('<persName ref="#per-chen-wenliang">陈文亮</persName>',
     '<persname ref="#per-chen-wenliang">陈文亮</persname>', "<persname",
     '<persname> is not an element of this schema inside <p xml:id="item01-feigong-dangjian-p2">; '
     "did you mean <persName>?", "RNG-ELEMENT"),
    ('<pb n="20" xml:id="pb-20"/>', '<pb xml:id="pb-20"/>', '<pb xml:id="pb-20"',
     '<pb xml:id="pb-20"> lacks the required attribute @n', "RNG-ATTRIBUTE-MISSING"),
    ('<gap reason="not-in-source" unit="item">', '<gap reason="lost" unit="item">', 'reason="lost"',
     '@reason="lost" on <gap> is not allowed: the value must be one of: '
     "continuation-not-in-source, illegible, not-in-source", "RNG-ATTRIBUTE"),
    ('<p xml:id="item01-feigong-dangjian-p1">', '<p xml:id="item01-feigong-dangjian-p1" typ="x">',
     'typ="x"', 'attribute @typ is not allowed on <p xml:id="item01-feigong-dangjian-p1">; '
     "allowed: @cert, @corresp, @facs, @n, @resp, @source, @xml:id and @xml:lang",
     "RNG-ATTRIBUTE"),
    ('<date when="2002-12">', '<date when="2002-13">', "<date when=\"2002-13\"",
     '@when="2002-13" on <date> is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD with a real '
     "month and day)", "TT-DATE-01"),
    ('<placeName ref="#pla-luoyuan">', '<placeName ref="#pla-luoyang">', "<placeName",
     "pointer '#pla-luoyang' in @ref of <placeName> does not resolve: no element has "
     'xml:id="pla-luoyang"', "TT-PTR-01"),
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    text = MINI.read_text(encoding="utf-8")
    for anchor, replacement, *_ in BREAKS:
        assert text.count(anchor) == 1, anchor
        text = text.replace(anchor, replacement)
    path = tmp_path_factory.mktemp("broken") / "edition-mini-broken.xml"
    path.write_text(text, encoding="utf-8")
    return path, text


def test_valid_file_prints_only_the_summary() -> None:
    code, out, err = run(str(MINI))
    assert (code, out) == (0, "")
    assert err.strip() == "1 file, 0 errors, 0 warnings: valid"


def test_broken_copy_gives_located_actionable_errors(broken: tuple[Path, str]) -> None:
    path, text = broken
    code, out, err = run(str(path))
    assert code == 1
    lines = out.splitlines()
    source_lines = text.splitlines()
    for _, _, locator, message, rule in BREAKS:
        line_no = next(i for i, ln in enumerate(source_lines, 1) if locator in ln)
        column = source_lines[line_no - 1].index(locator) + 1
        expected = f"{path}:{line_no}:{column}: error: {message} [{rule}]"
        assert expected in lines, f"missing {expected!r} in\n{out}"
    # the broken pointer leaves its register entry unused: a warning
    line_no = next(i for i, ln in enumerate(source_lines, 1) if '<place xml:id="pla-luoyuan"' in ln)
    assert (f'{path}:{line_no}:7: warning: register entry <place xml:id="pla-luoyuan"> is never '
            "referenced (no @ref, @target, @source … points to #pla-luoyuan) [TT-REG-01]") in lines
    assert len(lines) == len(BREAKS) + 1, out
    assert err.strip() == f"1 file, {len(BREAKS)} errors, 1 warning: invalid"


def test_json_format_carries_the_same_diagnostics(broken: tuple[Path, str]) -> None:
    path, _ = broken
    code, out, _err = run("--format", "json", str(path))
    assert code == 1
    data = json.loads(out)
    assert data["valid"] is False
    assert data["summary"] == {"files": 1, "errors": len(BREAKS), "warnings": 1}
    (entry,) = data["files"]
    assert entry["path"] == str(path) and entry["valid"] is False
    codes = sorted(d["code"] for d in entry["diagnostics"])
    assert codes == sorted([b[4] for b in BREAKS] + ["TT-REG-01"])
    first = entry["diagnostics"][0]
    assert set(first) == {"code", "severity", "file", "line", "column", "message", "expected"}
    assert first["code"] == "RNG-ATTRIBUTE" and first["expected"] == [
        "contents", "item", "part", "preface", "section"]  # the full list of what was allowed
    assert all(set(d) == {"code", "severity", "file", "line", "column", "message"}
               for d in entry["diagnostics"] if not d["code"].startswith("RNG"))
    assert all(d["column"] is None or d["column"] > 0 for d in entry["diagnostics"])
    _, text_out, _ = run(str(path))
    assert [f"{d['file']}:{d['line']}:{d['column']}: {d['severity']}: {d['message']} [{d['code']}]"
            for d in entry["diagnostics"]] == text_out.splitlines()


def test_no_schematron_reports_only_the_grammar(broken: tuple[Path, str]) -> None:
    path, _ = broken
    code, out, _ = run("--no-schematron", str(path))
    assert code == 1
    assert "[TT-" not in out
    # the bad date is now reported by the grammar's datatype
    assert out.count("[RNG-") == 6
    assert ('@when="2002-13" on <date> is not valid: expected a value of type xsd:date or '
            "xsd:gYear or xsd:gYearMonth (YYYY-MM-DD; YYYY; YYYY-MM) [RNG-ATTRIBUTE]") in out


def test_warnings_do_not_invalidate() -> None:
    path = SCHEMATRON_FIXTURES / "TT-REG-01-fail.xml"
    code, out, err = run(str(path))
    assert code == 0
    assert ": warning: register entry <person xml:id=\"per-unused\"> is never referenced" in out
    assert err.strip() == "1 file, 0 errors, 1 warning: valid"


def test_custom_schematron(tmp_path: Path) -> None:
    sch = tmp_path / "rule.sch"
    sch.write_text(
        '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">'
        '<sch:ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>'
        '<sch:pattern><sch:rule context="tei:pb">'
        '<sch:assert id="X-PB" role="warning" test="@n != \'20\'">page 20</sch:assert>'
        "</sch:rule></sch:pattern></sch:schema>", encoding="utf-8")
    code, out, _ = run("--schematron", str(sch), str(MINI))
    assert code == 0
    line_no = next(i for i, ln in enumerate(MINI.read_text(encoding="utf-8").splitlines(), 1)
                   if '<pb n="20"' in ln)
    assert len(out.splitlines()) == 1
    assert out.startswith(f"{MINI}:{line_no}:") and out.rstrip().endswith(
        ": warning: page 20 [X-PB]")


def test_other_schema_skips_the_project_rules(broken: tuple[Path, str]) -> None:
    # The project's Schematron encodes this edition's conventions: with another
    # grammar it runs only when asked for.
    path, _ = broken
    code, out, _ = run("--schema", str(TEI_ALL_RNG), str(path))
    assert code == 1
    assert "[TT-" not in out
    assert "persname" in out  # tei_all has no <persname> either


def test_conflicting_schematron_options() -> None:
    code, _out, err = run("--schematron", "x.sch", "--no-schematron", str(MINI))
    assert code == 2
    assert "--schematron and --no-schematron exclude each other" in err


@pytest.mark.parametrize("option, value, message", [
    ("--schema", "missing.rng", "missing.rng: error: schema not found"),
    ("--schematron", "missing.sch", "missing.sch: error: Schematron schema not found"),
])
def test_missing_schema_is_a_usage_error(option: str, value: str, message: str) -> None:
    code, _, err = run(option, value, str(MINI))
    assert code == 2
    assert err.strip() == message


def test_compact_syntax_is_refused_with_the_conversion_command(tmp_path: Path) -> None:
    rnc = tmp_path / "x.rnc"
    rnc.write_text("start = element TEI { empty }\n", encoding="utf-8")
    code, _, err = run("--schema", str(rnc), str(MINI))
    assert code == 2
    assert f"trang {rnc} {tmp_path / 'x.rng'}" in err


def test_folders_recurse_and_sort(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    shutil.copy(MINI, tmp_path / "b" / "one.xml")
    shutil.copy(SCHEMATRON_FIXTURES / "TT-PB-01-fail.xml", tmp_path / "a" / "two.xml")
    shutil.copy(SCHEMATRON_FIXTURES / "TT-EMPTY-01-fail.xml", tmp_path / "z.xml")
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    code, out, err = run(str(tmp_path))
    assert code == 1
    files = [line.split(":")[0] for line in out.splitlines()]
    assert files == [str(tmp_path / "a" / "two.xml"), str(tmp_path / "z.xml")]
    assert err.strip() == "3 files, 2 errors, 0 warnings: invalid"


def test_no_path_validates_the_edition(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(EDITION.parent.parent)
    code, out, err = run()
    assert err.strip().startswith("1 file,"), err
    assert code == 0, out


def test_help_explains_the_command() -> None:
    result = CliRunner().invoke(main, ["validate", "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    for word in ("--schema", "--schematron", "--no-schematron", "--format", "--jobs",
                 "Exit 0 valid, 1 invalid"):
        assert word in result.output


def _read_pty(master: int, quiet: float = 1.0) -> str:
    """All a pty has received: one read returns what has crossed so far, which under
    load can be a part of what was written; read until nothing more comes for ``quiet``
    seconds."""
    import select

    data = b""
    while select.select([master], [], [], quiet)[0]:
        chunk = os.read(master, 65536)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8", "replace")


def test_progress_bar_draws_and_clears(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal (a real pty here), click's bar counts to 100 %."""
    from tei_tools.cli.validate import _progress_bar

    master, replica = os.openpty()
    with os.fdopen(replica, "w", encoding="utf-8") as tty:
        monkeypatch.setattr(sys, "stderr", tty)
        bar = _progress_bar()
        bar(1, 4, "a.xml")
        bar(4, 4, "d.xml")
        bar.close()
        tty.flush()
        shown = _read_pty(master)
    os.close(master)
    assert "validate" in shown and "25%" in shown and "100%" in shown


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    for i in range(5):
        shutil.copy(MINI, tmp_path / f"m{i}.xml")
    code, out, err = run("-j", "2", str(tmp_path))
    assert (code, out) == (0, "")
    assert err == "5 files, 0 errors, 0 warnings: valid\n"


def test_datatype_errors_name_the_attribute_and_the_expected_form(tmp_path: Path) -> None:
    path, line = mini_variant(tmp_path, '<language ident="zh-Hans">', '<language ident="zh Hans">',
                              "lang.xml")
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index("ident=") + 1
    code, out, _ = run("--no-schematron", str(path))
    assert code == 1
    assert out.splitlines() == [
        f'{path}:{line}:{column}: error: @ident="zh Hans" on <language> is not valid: expected a '
        "value of type xsd:language (a language tag such as zh-Hans) [RNG-ATTRIBUTE]"]


def test_an_id_that_is_not_an_xml_name(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    anchor = 'xml:id="item01-feigong-dangjian-p1"'
    path = tmp_path / "id.xml"
    path.write_text(text.replace(anchor, 'xml:id="1-p1"'), encoding="utf-8")
    code, out, _ = run(str(path))
    assert code == 1
    # the grammar types xml:id as xsd:ID (TEI's egXML examples do not: not a parse error)
    assert out.rstrip().endswith('error: @xml:id="1-p1" on <p xml:id="1-p1"> is not valid: '
                                 "expected a value of type xsd:ID (an XML name: a letter or _ "
                                 "first, no spaces, unique in the document) [RNG-ATTRIBUTE]")


def test_an_element_out_of_order_is_placed(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    start, end = text.index("<publicationStmt>"), text.index("</publicationStmt>") + 18
    block = text[start:end]
    moved = text[:start] + text[end:]
    moved = moved.replace("</sourceDesc>", "</sourceDesc>" + block, 1)
    path = tmp_path / "order.xml"
    path.write_text(moved, encoding="utf-8")
    line = next(i for i, ln in enumerate(moved.splitlines(), 1) if "<sourceDesc>" in ln)
    column = moved.splitlines()[line - 1].index("<sourceDesc>") + 1
    code, out, _ = run("--no-schematron", str(path))
    assert code == 1
    assert out.splitlines() == [
        f"{path}:{line}:{column}: error: <sourceDesc> is allowed inside <fileDesc> but not here, "
        "after <titleStmt>; expected <editionStmt>, <extent> or <publicationStmt> (check the "
        "order of the children, or a required child missing before it) [RNG-ELEMENT]"]
