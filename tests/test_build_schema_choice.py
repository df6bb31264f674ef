"""Which grammar `tei-tools build` validates with when none is given (validation.schema_choice)."""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_tools import xmlio
from tei_tools.cli import main
from tei_tools.validation import schema_choice

from conftest import EDITION, OFFICIAL_TEI_ALL_RNG, REPO, corpus_files

PROJECT_RNG = REPO / "schema" / "tei-taijiang.rng"
RNG_NS = "http://relaxng.org/ns/structure/1.0"


def _with_model(tmp_path: Path, href: str, schematypens: str = RNG_NS) -> Path:
    doc = tmp_path / "doc.xml"
    body = (REPO / "tests" / "fixtures" / "edition-mini.xml").read_text(encoding="utf-8")
    body = body.replace('<?xml version="1.0" encoding="UTF-8"?>\n', "", 1)
    doc.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n'
                   f'<?xml-model href="{href}" type="application/xml" '
                   f'schematypens="{schematypens}"?>\n{body}', encoding="utf-8")
    return doc


def test_shipped_tei_all_is_the_consortiums_unchanged() -> None:
    assert filecmp.cmp(schema_choice.tei_all(), OFFICIAL_TEI_ALL_RNG, shallow=False)


def test_the_edition_declares_the_project_schema() -> None:
    assert schema_choice.schema_for(xmlio.parse_file(EDITION), EDITION) == PROJECT_RNG.resolve()


def test_a_declared_local_grammar_is_used(tmp_path: Path) -> None:
    shutil.copy(PROJECT_RNG, tmp_path / "mine.rng")
    doc = _with_model(tmp_path, "mine.rng")
    assert schema_choice.schema_for(xmlio.parse_file(doc), doc) == (tmp_path / "mine.rng").resolve()


@pytest.mark.parametrize(("href", "ns"), [("http://example.org/tei_all.rng", RNG_NS),
                                          ("missing.rng", RNG_NS),
                                          ("mine.rnc", RNG_NS),
                                          ("mine.rng", "http://purl.oclc.org/dsdl/schematron")])
def test_urls_missing_files_and_other_schema_languages_fall_back_to_tei_all(
        tmp_path: Path, href: str, ns: str) -> None:
    shutil.copy(PROJECT_RNG, tmp_path / "mine.rng")
    doc = _with_model(tmp_path, href, ns)
    assert schema_choice.schema_for(xmlio.parse_file(doc), doc) == schema_choice.tei_all()


def test_valid_foreign_tei_builds_without_options(tmp_path: Path) -> None:
    source = next(p for p in corpus_files(valid=True) if "testnames" in p.name)
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "d"),
                                       "--format", "txt"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert "(tei_all.rng)" in result.stderr
    assert (tmp_path / "d" / "txt").is_dir()


def test_invalid_foreign_tei_is_refused_with_located_errors(tmp_path: Path) -> None:
    source = next(p for p in corpus_files(valid=False) if "tei_math" in p.name)
    result = CliRunner().invoke(main, ["build", str(source), "--out", str(tmp_path / "d"),
                                       "--format", "txt"], catch_exceptions=False)
    assert result.exit_code == 1
    assert f"{source}:21:" in result.stderr and "--no-validate" in result.stderr
    assert not (tmp_path / "d").exists()
