"""``validate --odd``: compile in memory, cache by content hash, validate with the grammar
and the ODD's Schematron (``queryBinding="xslt2"``, run by the project's engine, #10).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_tools.cli import main
from tei_tools.odd.cache import odd_schemas
from tei_tools.validation import validate

from conftest import CORPUS, SHARED
from odd_features_cases import CASES, document

FEATURES = Path(__file__).parent / "fixtures" / "odd" / "features.odd"


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("TEI_TOOLS_CACHE", str(folder))
    return folder


def _docs(tmp_path: Path, case: str) -> tuple[Path, Path]:
    good, bad = CASES[case]
    g, b = tmp_path / "good.xml", tmp_path / "bad.xml"
    g.write_text(document(good), encoding="utf-8")
    b.write_text(document(bad), encoding="utf-8")
    return g, b


def test_validate_api_with_an_odd(tmp_path):
    good, bad = _docs(tmp_path, "valList closed (shape)")
    report = validate([good, bad], odd=FEATURES, jobs=1)
    assert report.files[0].ok and not report.files[1].ok
    assert report.schema.endswith("features.rng") and report.schematron.endswith("features.sch")
    assert "schematron" in report.checks
    assert [d.code for d in report.files[1].diagnostics if d.severity == "error"]


def test_compiled_once_then_read_from_the_cache(tmp_path, cache):
    first = odd_schemas(FEATURES)
    second = odd_schemas(FEATURES)
    assert not first.cached and second.cached and first.rng == second.rng
    assert first.rng.is_relative_to(cache)
    edited = tmp_path / "edited.odd"
    edited.write_bytes(FEATURES.read_bytes().replace(b'ident="round"', b'ident="oval"'))
    third = odd_schemas(edited)
    assert not third.cached and third.rng != first.rng
    _good, bad = _docs(tmp_path, "valList closed (shape)")
    assert validate([bad], odd=edited, jobs=1).ok  # oval is now in the list


def test_cli_runs_the_odds_schematron(tmp_path):
    good, bad = _docs(tmp_path, "elementSpec delete (note)")
    result = CliRunner().invoke(main, ["validate", "--odd", str(FEATURES), "--format", "json",
                                       str(good)])
    assert result.exit_code == 0, result.output
    assert '"schematron"' in result.output and "is not run" not in result.output
    result = CliRunner().invoke(main, ["validate", "--odd", str(FEATURES), str(bad)])
    assert result.exit_code == 1 and "is not run" not in result.output
    # the element the ODD deleted is the one blamed (libxml2 blamed its parent <p>)
    assert "<note> is not an element of this schema inside <p>" in result.output


def test_cli_odd_and_schema_exclude_each_other(tmp_path):
    good, _ = _docs(tmp_path, "elementSpec delete (note)")
    result = CliRunner().invoke(main, ["validate", "--odd", str(FEATURES), "--schema",
                                       str(SHARED / "tei-p5" / "tei_all.rng"), str(good)])
    assert result.exit_code == 2 and "exclude each other" in result.output


def test_an_odd_and_a_document_nobody_here_wrote():
    odd = SHARED / "tei-odd" / "tei_lite.odd"
    report = validate([CORPUS / "ex__tei_simplePrint.xml", CORPUS / "sstest__test25.xml"],
                      odd=odd, jobs=1)
    assert [f.ok for f in report.files] == [True, False]  # jing's verdicts with the reference


def test_the_odds_own_constraint_is_checked(tmp_path):
    """The ODD's constraintSpec "one-title" (XPath 2: ``eq``), run on the project's engine."""
    from odd_features_cases import document

    good, bad = tmp_path / "one.xml", tmp_path / "two.xml"
    good.write_text(document("<p>x</p>"), encoding="utf-8")
    bad.write_text(document("<p>x</p>", header="<title>T</title><title>U</title>"),
                   encoding="utf-8")
    report = validate([good, bad], odd=FEATURES, jobs=1)
    assert report.files[0].ok
    messages = [d.message for d in report.files[1].diagnostics]
    assert "One title only." in messages
