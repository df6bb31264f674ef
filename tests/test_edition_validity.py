"""The edition (and its miniature) is valid TEI: tei_all with jing and with lxml,
the project's RELAX NG customisation and its Schematron (issue 3), run by the
project's Schematron engine (issue 10).

jing is a system tool installed by ``scripts/install-system-deps.sh``; if it is
missing the jing tests fail (they do not skip). tei_all.rng is compiled by lxml
once for this module (it takes seconds).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tei_tools.cli import main
from tei_tools.diagnostics import Diagnostic
from tei_tools.validation import schematron as rules
from tei_tools.validation.locate import SourceText
from tei_tools.xmlio import parse_file, read_bytes

from conftest import EDITION, MINI, REPO, TEI_ALL_RNG

PROJECT_RNG = REPO / "schema" / "tei-taijiang.rng"
PROJECT_SCH = REPO / "schema" / "tei-taijiang.sch"
DOCUMENTS = [pytest.param(EDITION, id="edition"), pytest.param(MINI, id="mini")]


def run_rules(compiled: rules.CompiledSchematron, document: Path) -> list[Diagnostic]:
    data = read_bytes(document)
    tree = parse_file(document)
    return rules.check(compiled, tree, SourceText(data, tree), str(document))


def jing(schema: Path, document: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("jing")
    assert executable, "jing is not installed (scripts/install-system-deps.sh installs it)"
    return subprocess.run([executable, str(schema), str(document)],
                          capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture(scope="module")
def tei_all() -> etree.RelaxNG:
    return etree.RelaxNG(parse_file(TEI_ALL_RNG))


@pytest.fixture(scope="module")
def project_rng() -> etree.RelaxNG:
    return etree.RelaxNG(parse_file(PROJECT_RNG))


@pytest.fixture(scope="module")
def project_sch() -> rules.CompiledSchematron:
    return rules.load_schematron(PROJECT_SCH)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_jing_tei_all(document: Path) -> None:
    result = jing(TEI_ALL_RNG, document)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("document", DOCUMENTS)
def test_jing_project_schema(document: Path) -> None:
    result = jing(PROJECT_RNG, document)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("document", DOCUMENTS)
def test_lxml_tei_all(tei_all: etree.RelaxNG, document: Path) -> None:
    valid = tei_all.validate(parse_file(document))
    assert valid, "\n".join(str(e) for e in tei_all.error_log)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_lxml_project_schema(project_rng: etree.RelaxNG, document: Path) -> None:
    valid = project_rng.validate(parse_file(document))
    assert valid, "\n".join(str(e) for e in project_rng.error_log)


@pytest.mark.parametrize("document", DOCUMENTS)
def test_project_schematron_reports_nothing(
        project_sch: rules.CompiledSchematron, document: Path) -> None:
    """Not even a warning: every register entry is referenced, every pointer resolves."""
    messages = [d.format() for d in run_rules(project_sch, document)]
    assert messages == []


def test_validators_reject_a_broken_copy(tei_all: etree.RelaxNG, tmp_path: Path) -> None:
    """The checks above can fail: a misspelt element in a copy of the edition is caught."""
    broken = tmp_path / "broken.xml"
    broken.write_text(EDITION.read_text(encoding="utf-8").replace(
        "<byline>", "<bylin>", 1).replace("</byline>", "</bylin>", 1), encoding="utf-8")
    assert jing(TEI_ALL_RNG, broken).returncode != 0
    assert not tei_all.validate(parse_file(broken))


def test_schematron_catches_a_dangling_pointer_in_a_copy(
        project_sch: rules.CompiledSchematron, tmp_path: Path) -> None:
    broken = tmp_path / "dangling.xml"
    broken.write_text(EDITION.read_text(encoding="utf-8").replace(
        'ref="#per-chen-wenliang"', 'ref="#per-chen-wenliangg"', 1), encoding="utf-8")
    failed = {d.code for d in run_rules(project_sch, broken) if d.severity == "error"}
    assert "TT-PTR-01" in failed


def test_tei_tools_validate_accepts_the_edition() -> None:
    """The project's own validator (RELAX NG customisation + Schematron) on the edition."""
    result = CliRunner().invoke(main, ["validate", str(EDITION), str(MINI)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output
