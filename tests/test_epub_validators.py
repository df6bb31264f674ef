"""Run the consumers on the built EPUBs (issue #5): EPUBCheck and DAISY Ace.

EPUBCheck on the edition's EPUB (and the fixture's) and on the EPUB of every
valid document of the shared corpus; Ace once, on the edition's EPUB (the
fixture's until the edition exists).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_tools import xmlio
from tei_tools.cli import main
from tei_tools.publish.epub import write

from conftest import MINI, REPO, corpus_files
from epub_support import T, built, editions, lost_from, main_document, opened, spine_text, tei_reading
from validators import run_ace, run_epubcheck


@pytest.mark.slow
@pytest.mark.parametrize("source", editions(), ids=lambda p: p.stem)
def test_epubcheck_reports_nothing(source: Path) -> None:
    report = run_epubcheck(built(source).path)
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages


@pytest.mark.slow
def test_ace_reports_no_violation(tmp_path: Path) -> None:
    report = run_ace(built(main_document()).path, tmp_path / "ace")
    assert report.violations == []
    assert report.outcome == "pass"
    metadata = report.report["a11y-metadata"]
    assert "dcterms:conformsTo" in metadata["present"]
    assert "schema:accessibilitySummary" in metadata["present"]


@pytest.mark.slow
@pytest.mark.parametrize("source", corpus_files(valid=True), ids=lambda p: p.stem)
def test_corpus_document_gives_a_valid_epub(source: Path, tmp_path: Path) -> None:
    """Every valid TEI document of the corpus becomes an EPUB that EPUBCheck accepts
    (refusals of what cannot be a book are tested in test_epub_package.py)."""
    result = write(source, tmp_path)
    with zipfile.ZipFile(result.path) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    report = run_epubcheck(result.path)
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages
    # and nothing of the text is lost on the way
    reading = tei_reading(xmlio.parse_file(source).getroot().find(f"{T}text"))
    assert lost_from(reading, spine_text(opened(result.path))) is None


def test_cli_builds_the_epub(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--format", "epub", "--quiet", "--out",
                                       str(tmp_path), str(MINI)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    epub = tmp_path / "epub" / "edition-mini.epub"
    assert epub.read_bytes() == built(MINI).path.read_bytes()


def test_cli_refuses_what_cannot_be_an_epub(tmp_path: Path) -> None:
    doc = REPO / "tests" / "fixtures" / "epub" / "tei-corpus.xml"
    result = CliRunner().invoke(main, ["build", "--format", "epub", "--no-validate", "--quiet",
                                       "--out", str(tmp_path / "out"), str(doc)],
                                catch_exceptions=False)
    assert result.exit_code == 1
    assert "teiCorpus" in result.output and "Traceback" not in result.output
    assert not list(tmp_path.rglob("*.epub"))
