"""Run the consumers on the built EPUBs (issue #5): EPUBCheck and DAISY Ace.

EPUBCheck on the edition's EPUB (and the fixture's) and on the EPUB of every
valid document of the shared corpus; Ace once, on the edition's EPUB (the
fixture's until the edition exists).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from conftest import corpus_files
from epub_support import built, editions, main_document
from tei_tools.errors import BuildError
from tei_tools.publish.epub import write
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
def test_corpus_document_gives_a_valid_epub_or_a_reason(source: Path, tmp_path: Path) -> None:
    try:
        result = write(source, tmp_path)
    except BuildError as exc:
        message = str(exc)
        assert message.startswith(str(source)) and "error:" in message
        assert "\n" not in message
        assert not list(tmp_path.glob("*.epub")), "nothing written when the build fails"
        return
    with zipfile.ZipFile(result.path) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    report = run_epubcheck(result.path)
    assert (report.fatals, report.errors, report.warnings) == (0, 0, 0), report.messages
