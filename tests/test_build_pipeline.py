"""`tei-tools build`: validation first, formats, atomicity, determinism, messages."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_tools.cli import main
from tei_tools.errors import BuildError, UsageError
from tei_tools.publish import formats as registry
from tei_tools.publish.build import BuildOptions, InvalidDocument, build
from tei_tools.saxon import SaxonSession

from build_support import built, tree_digest
from conftest import EDITION, MINI, REPO

FIXTURES = Path(__file__).parent / "fixtures" / "build"


def invoke(*args: str):  # click >= 8.2 keeps stdout and stderr apart
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_builds_all_formats_with_nothing_on_stdout(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = invoke("build", str(MINI), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert "validated" in result.stderr and "html:" in result.stderr and "built" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["epub", "html", "records", "txt"]
    assert (out / "html" / "index.html").is_file()
    assert (out / "txt" / "edition-mini.txt").is_file()
    assert (out / "epub" / "edition-mini.epub").is_file()
    assert (out / "records" / "edition-mini.marcxml.xml").is_file()
    assert not list(tmp_path.glob(".dist.*")), "temporary folders left behind"


def test_cli_without_arguments_builds_the_edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tei").symlink_to(EDITION.parent)
    result = invoke("build", "--format", "txt")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "dist" / "txt" / "taijiang-dangjian-2007.txt").is_file()


def test_invalid_document_is_refused_with_located_diagnostics(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = invoke("build", str(FIXTURES / "invalid.xml"), "--out", str(out), "--format", "txt")
    assert result.exit_code == 1
    assert "invalid.xml:" in result.stderr and "@bogus" in result.stderr
    assert "[RNG-ATTRIBUTE]" in result.stderr
    assert "not published" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_no_validate_publishes_an_invalid_document(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = invoke("build", str(FIXTURES / "invalid.xml"), "--out", str(out),
                    "--format", "txt", "--no-validate")
    assert result.exit_code == 0, result.stderr
    assert "validated" not in result.stderr
    assert (out / "txt" / "invalid.txt").is_file()


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("build", str(MINI), "--out", str(tmp_path / "d"), "--format", "html,pdf")
    assert result.exit_code == 2
    assert "unknown format 'pdf'" in result.stderr


def test_missing_input_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke("build", str(tmp_path / "nope.xml"), "--out", str(tmp_path / "d"))
    assert result.exit_code == 2
    assert "nope.xml: error: no such file" in result.stderr


def test_malformed_input_gives_one_located_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text>\n<body></text></TEI>', encoding="utf-8")
    result = invoke("build", str(bad), "--out", str(tmp_path / "d"), "--no-validate")
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0
    assert "bad.xml:2:" in result.stderr and "not well-formed" in result.stderr


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    """One build in this process, one in a fresh process (no shared state)."""
    first, _ = built(EDITION)
    second = tmp_path / "dist"
    run = subprocess.run([sys.executable, "-m", "tei_tools", "build", str(EDITION), "--out", str(second)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    a, b = tree_digest(first), tree_digest(second)
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []
    assert len(a) > 30


def test_failure_midway_leaves_the_previous_output_intact(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "dist"
    build(MINI, out, BuildOptions(formats=("txt", "html")))
    before = tree_digest(out)
    calls: list[str] = []

    def failing_html(ctx):  # writes part of its output, then fails
        calls.append("html")
        (ctx.out_dir / "index.html").write_text("half-written", encoding="utf-8")
        raise BuildError("injected failure in the html writer")

    monkeypatch.setitem(registry.WRITERS, "html", failing_html)
    with pytest.raises(BuildError, match="injected failure"):  # in this process: calls seen
        build(MINI, out, BuildOptions(formats=("txt", "html"), concurrent=False))
    assert calls == ["html"]  # txt was rebuilt first, then html failed
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_interrupt_leaves_the_previous_output_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "dist"
    build(MINI, out, BuildOptions(formats=("txt",)))
    before = tree_digest(out)

    def interrupted(ctx):
        (ctx.out_dir / "partial.txt").write_text("x", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setitem(registry.WRITERS, "txt", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(MINI, out, BuildOptions(formats=("txt",)))
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_cli_reports_a_failed_build_and_keeps_dist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "dist"
    build(MINI, out, BuildOptions(formats=("txt",)))
    before = tree_digest(out)

    def broken(ctx):
        raise BuildError(f"{ctx.source.name}: error: injected")

    monkeypatch.setitem(registry.WRITERS, "txt", broken)
    result = invoke("build", str(MINI), "--out", str(out), "--format", "txt")
    assert result.exit_code == 1
    assert "edition-mini.xml: error: injected" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(out) == before


def test_partial_build_keeps_the_other_formats(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(MINI, out, BuildOptions(formats=("txt", "html")))
    html_before = tree_digest(out / "html")
    build(MINI, out, BuildOptions(formats=("txt",), page_markers=True))
    assert tree_digest(out / "html") == html_before
    assert "〔第3页〕" in (out / "txt" / "edition-mini.txt").read_text(encoding="utf-8")


def test_each_stylesheet_is_compiled_once_per_session() -> None:
    saxon = SaxonSession()
    first = saxon.stylesheet("text/text.xsl")
    assert saxon.stylesheet("text/text.xsl") is first
    assert saxon.compiled() == ("text/text.xsl",)


def test_saxon_errors_become_build_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capfd: pytest.CaptureFixture[str]) -> None:
    xslt = tmp_path / "xslt"
    (xslt / "x").mkdir(parents=True)
    (xslt / "x" / "stop.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:template match="/"><xsl:message terminate="yes">the source has no title: add one</xsl:message>'
        '</xsl:template></xsl:stylesheet>', encoding="utf-8")
    (xslt / "x" / "broken.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:template match="/"><xsl:value-of select="1 +"/></xsl:template></xsl:stylesheet>',
        encoding="utf-8")
    (xslt / "x" / "xpath.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
        '<xsl:template match="/"><xsl:value-of select="xs:integer(\'abc\')" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema"/></xsl:template></xsl:stylesheet>', encoding="utf-8")
    monkeypatch.setattr("tei_tools.saxon.session.xslt_dir", lambda: xslt)
    # without the packages' configuration no processor starts: one line, no traceback
    with pytest.raises(BuildError, match=r"xslt/packages.xml: error: no such file"):
        SaxonSession().load_source(MINI)
    shutil.copyfile(REPO / "xslt" / "packages.xml", xslt / "packages.xml")
    saxon = SaxonSession()
    source = saxon.load_source(MINI)
    with pytest.raises(BuildError, match=r"x/stop.xsl stopped: the source has no title: add one"
                                         r" \(at stop.xsl:1:\d+\)$"):
        saxon.stylesheet("x/stop.xsl").run(source, tmp_path / "o")
    with pytest.raises(BuildError, match=r"broken.xsl: error: the stylesheet does not compile: "
                                         r".*line 1 column \d+ of broken.xsl.*XPST0003"):
        saxon.stylesheet("x/broken.xsl")
    with pytest.raises(BuildError, match=r"x/xpath.xsl stopped: Cannot convert string \"abc\" "
                                         r"to an integer \(at xpath.xsl:1:\d+\)$"):
        saxon.stylesheet("x/xpath.xsl").run(source, tmp_path / "o")
    # Saxon's own multi-line report went into the message, not onto the terminal
    assert capfd.readouterr().err == ""
    with pytest.raises(BuildError, match="no such stylesheet"):
        saxon.stylesheet("x/missing.xsl")


def test_library_reports_invalid_document_diagnostics(tmp_path: Path) -> None:
    with pytest.raises(InvalidDocument) as caught:
        build(FIXTURES / "invalid.xml", tmp_path / "d", BuildOptions(formats=("txt",)))
    assert any(d.code == "RNG-ATTRIBUTE" and d.line for d in caught.value.diagnostics)


def test_build_does_not_write_outside_out(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "dist"
    build(MINI, out, BuildOptions(formats=("txt",)))
    assert sorted(os.listdir(tmp_path / "sub")) == ["dist"]


def test_refuses_an_output_folder_holding_other_files(tmp_path: Path) -> None:
    precious = tmp_path / "notes.txt"
    precious.write_text("keep me", encoding="utf-8")
    result = invoke("build", str(MINI), "--out", str(tmp_path), "--format", "txt")
    assert result.exit_code == 2
    assert "holds files a build did not write (notes.txt)" in result.stderr
    assert precious.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    a_file = tmp_path / "file-out"
    a_file.write_text("x", encoding="utf-8")
    result = invoke("build", str(MINI), "--out", str(a_file), "--format", "txt")
    assert result.exit_code == 2 and "is a file" in result.stderr
    with pytest.raises(UsageError, match="is not a folder"):
        build(MINI, a_file, BuildOptions(formats=("txt",)))


def test_library_build_prints_nothing_and_reports_progress_through_the_callback(
        tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    said: list[str] = []
    result = build(MINI, tmp_path / "d", BuildOptions(formats=("txt", "html")), progress=said.append)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""
    assert said[0].startswith("validated") and said[-1].startswith("built txt, html into")
    assert [f.name for f in result.formats] == ["txt", "html"]
    assert all(f.files and all(p.is_file() for p in f.files) for f in result.formats)
