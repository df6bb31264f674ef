"""The Schematron embedded in a RELAX NG grammar (issue 10): the TEI's own
constraints inside tei_all.rng run by default with that grammar.

tests/fixtures/schematron-engine/tei-all/{code}-fail.xml breaks the rule named
``code`` (and is valid against the grammar: only the embedded rule can catch
it — the slow test proves it with jing); {code}-pass.xml is the same document
made right. Each title says the TEI module the rule belongs to."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_tools import xmlio
from tei_tools.cli import main
from tei_tools.validation import schematron as engine
from tei_tools.validation import validate
from tei_tools.validation.locate import SourceText
from tei_tools.validation.schematron_schema import context_code, pattern_code

from conftest import TEI_ALL_RNG

FIXTURES = Path(__file__).parent / "fixtures" / "schematron-engine" / "tei-all"
RULES = sorted(p.name.removesuffix("-fail.xml") for p in FIXTURES.glob("*-fail.xml"))
ALSO = {"addSpan-addSpan-requires-spanTo": {"addSpan-addSpan-requires-spanTo-fr"}}
"""Rules the TEI states twice (in English and French): both fire."""


@pytest.fixture(scope="module")
def tei_all() -> engine.CompiledSchematron:
    compiled = engine.load_embedded(TEI_ALL_RNG)
    assert compiled is not None
    return compiled


def embedded(compiled: engine.CompiledSchematron, path: Path) -> list:
    data = path.read_bytes()
    tree = xmlio.parse_bytes(data, str(path))
    return engine.check(compiled, tree, SourceText(data, tree), str(path))


def test_every_embedded_rule_is_extracted_with_a_unique_code(
        tei_all: engine.CompiledSchematron) -> None:
    checks = tei_all.schema.checks
    assert len(checks) == 100  # 48 asserts + 52 reports in tei_all.rng's 90 patterns
    codes = [c.code for c in checks]
    assert len(set(codes)) == len(codes)
    assert tei_all.schema.query_binding == "xslt2"
    assert dict(tei_all.schema.namespaces)["tei"] == "http://www.tei-c.org/ns/1.0"


def test_the_fixtures_cover_at_least_15_rules_across_modules() -> None:
    assert len(RULES) >= 15
    modules = set()
    for rule in RULES:
        title = xmlio.parse_file(FIXTURES / f"{rule}-fail.xml").findtext(
            ".//{http://www.tei-c.org/ns/1.0}title")
        modules.add(re.search(r"\((\w+)", title).group(1))
    assert len(modules) >= 6, modules


@pytest.mark.parametrize("rule", RULES)
def test_the_rule_fires_on_its_breaking_fixture(
        tei_all: engine.CompiledSchematron, rule: str) -> None:
    path = FIXTURES / f"{rule}-fail.xml"
    results = embedded(tei_all, path)
    assert {d.code for d in results} == {rule} | ALSO.get(rule, set())
    for d in results:
        assert d.file == str(path)
        assert d.line is not None and d.line > 2 and d.column is not None
        assert d.message and "sch:" not in d.message and "\n" not in d.message


@pytest.mark.parametrize("rule", RULES)
def test_the_rule_is_silent_on_its_clean_fixture(
        tei_all: engine.CompiledSchematron, rule: str) -> None:
    assert embedded(tei_all, FIXTURES / f"{rule}-pass.xml") == []


def test_severity_follows_the_teis_role(tei_all: engine.CompiledSchematron) -> None:
    (when,) = embedded(tei_all, FIXTURES / "att.datable.w3c-att-datable-w3c-when-fail.xml")
    assert when.severity == "warning"  # role="nonfatal"
    (shift,) = embedded(tei_all, FIXTURES / "shift-shiftNew-fail.xml")
    assert shift.severity == "warning"  # role="warning"
    (nested,) = embedded(tei_all, FIXTURES / "s-noNestedS-fail.xml")
    assert nested.severity == "error"  # no role


def test_codes_from_pattern_ids_and_contexts() -> None:
    assert pattern_code("tei_all-span-tonotfrom-constraint-rule-34") == "span-tonotfrom"
    assert pattern_code("tei_lite-span-tonotfrom-constraint-rule-7") == "span-tonotfrom"
    assert pattern_code("schematron-constraint-tei_all-s-noNestedS-31") == "s-noNestedS"
    assert pattern_code("d9e115275-constraint") is None  # generated: not stable
    assert pattern_code("my-rules") == "my-rules"
    # a schema ident with a hyphen (the edition's tei-taijiang): the spec is the part
    # the rules' contexts name, so a constraint keeps the code it has under tei_all
    hyphenated = "schematron-constraint-tei-taijiang-relatedItem-targetorcontent1-17"
    assert pattern_code(hyphenated, ["tei:relatedItem"]) == "relatedItem-targetorcontent1"
    assert pattern_code("schematron-constraint-tei-taijiang-att.typed-subtypeTyped-3",
                        ["tei:*[@subtype]"]) == "att.typed-subtypeTyped"
    assert pattern_code("schematron-constraint-tei_all-p-abstractModel-structure-p-in-ab-or-p-9",
                        ["tei:p"]) == "p-abstractModel-structure-p-in-ab-or-p"
    code = context_code("tei:content", "descendant::*")
    assert re.fullmatch(r"SCH-content-[0-9a-f]{6}", code)
    assert context_code("tei:content", " descendant::* ") == code  # whitespace does not count
    assert context_code("tei:content", "descendant::tei:*") != code


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_validate_with_tei_all_reports_embedded_rules_by_default() -> None:
    nested = FIXTURES / "s-noNestedS-fail.xml"
    code, out, err = cli("--schema", str(TEI_ALL_RNG), str(nested))
    assert code == 1
    assert out.strip() == (f"{nested}:12:10: error: You may not nest one s element within "
                           "another: use seg instead [s-noNestedS]")
    assert err.strip() == "1 file, 1 error, 0 warnings: invalid"


@pytest.mark.parametrize("flag", ["--no-embedded-schematron", "--no-schematron"])
def test_the_embedded_rules_can_be_turned_off(flag: str) -> None:
    nested = FIXTURES / "s-noNestedS-fail.xml"
    code, out, _err = cli("--schema", str(TEI_ALL_RNG), flag, str(nested))
    assert (code, out) == (0, "")


def test_the_api_names_the_check_it_ran() -> None:
    report = validate([FIXTURES / "shift-shiftNew-fail.xml"], schema=TEI_ALL_RNG, jobs=1)
    assert report.checks[-1] == "embedded-schematron"
    assert report.ok  # a warning does not make the document invalid
    assert [d.code for d in report.diagnostics()] == ["shift-shiftNew"]
    off = validate([FIXTURES / "shift-shiftNew-fail.xml"], schema=TEI_ALL_RNG, jobs=1,
                   embedded_schematron=False)
    assert "embedded-schematron" not in off.checks and list(off.diagnostics()) == []


def test_a_grammar_without_schematron_has_none(tmp_path: Path) -> None:
    grammar = tmp_path / "g.rng"
    grammar.write_text('<element name="TEI" ns="http://www.tei-c.org/ns/1.0" '
                       'xmlns="http://relaxng.org/ns/structure/1.0"><text/></element>',
                       encoding="utf-8")
    assert engine.load_embedded(grammar) is None


@pytest.mark.slow
def test_every_fixture_is_valid_against_the_grammar() -> None:
    """Only the embedded rule catches the breaking fixtures: jing (one run) accepts all."""
    jing = shutil.which("jing")
    assert jing, "jing is not installed (scripts/install-system-deps.sh installs it)"
    files = sorted(str(p) for p in FIXTURES.glob("*.xml"))
    result = subprocess.run([jing, str(TEI_ALL_RNG), *files], capture_output=True, text=True,
                            check=False, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_document_gets_only_the_patterns_that_can_fire_on_it() -> None:
    from tei_tools.validation.schematron_prune import document_names, relevant_patterns

    compiled = engine.load_embedded(TEI_ALL_RNG)
    tree = xmlio.parse_file(FIXTURES / "s-noNestedS-fail.xml")
    kept = [compiled.schema.patterns[i].id for i in
            relevant_patterns(compiled.schema, document_names(tree))]
    assert "tei_all-s-noNestedS-constraint-rule-31" in kept
    assert "tei_all-span-tonotfrom-constraint-rule-34" not in kept  # no <span> here
    assert "tei_all-att.datable.w3c-att-datable-w3c-when-constraint-rule-2" not in kept  # no @when
    assert len(kept) < len(compiled.schema.patterns) // 5


def test_pruned_and_whole_schematron_report_the_same() -> None:
    """Differential: every fixture, the corpus and the edition, pruned vs compiled whole."""
    from conftest import CORPUS, EDITION

    pruned = engine.CompiledSchematron(TEI_ALL_RNG, engine.load_embedded(TEI_ALL_RNG).schema,
                                       embedded=True)
    whole = engine.CompiledSchematron(TEI_ALL_RNG, pruned.schema, embedded=True, prune=False)
    documents = sorted(FIXTURES.glob("*.xml")) + sorted(CORPUS.glob("*.xml")) + [EDITION]
    fired = 0
    for path in documents:
        assert embedded(pruned, path) == embedded(whole, path), path
        fired += bool(embedded(whole, path))
    assert fired >= len(RULES)  # the comparison saw diagnostics, not only silence


def test_the_grammars_rules_agree_with_the_teis_extracted_schematron(
        tei_all: engine.CompiledSchematron) -> None:
    """Differential: the rules extracted here from tei_all.rng and the TEI's own
    extraction (../shared/tei-odd/reference/tei_all.sch, other pattern ids) report the
    same codes, places and messages on every fixture, the corpus and the edition; only
    the French twins of three rules, which the grammar carries and the .sch leaves out,
    are extra."""
    from conftest import CORPUS, EDITION, SHARED

    reference = engine.load_schematron(SHARED / "tei-odd" / "reference" / "tei_all.sch")
    documents = sorted(FIXTURES.glob("*.xml")) + sorted(CORPUS.glob("*.xml")) + [EDITION]
    compared = 0
    for path in documents:
        ours = sorted((d.code, d.line, d.column, d.message) for d in embedded(tei_all, path)
                      if not d.code.endswith("-fr"))
        theirs = sorted((d.code, d.line, d.column, d.message) for d in embedded(reference, path))
        assert ours == theirs, path
        compared += len(ours)
    assert compared >= len(RULES)


def test_validate_over_the_fixture_folder_in_two_workers() -> None:
    """The batch path: every fixture at once, two worker processes (each compiles the
    embedded rules whole, once); the verdicts of the per-file tests above."""
    report = validate([FIXTURES], schema=TEI_ALL_RNG, jobs=2)
    assert len(report.files) == 2 * len(RULES)
    for result in report.files:
        rule, kind = Path(result.path).name.rsplit("-", 1)
        codes = result.codes()
        if kind == "fail.xml":
            assert codes == {rule} | ALSO.get(rule, set()), result.path
        else:
            assert codes == set(), result.path


def test_a_grammar_and_its_embedded_rules_come_from_one_reading_of_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The grammar's parse is kept by the RELAX NG reader; the Schematron it embeds is
    gathered from that parse, not from a second one (~15 ms for tei_all.rng)."""
    grammar = tmp_path / "tei_all.rng"  # a path no cache of this process has seen
    shutil.copyfile(TEI_ALL_RNG, grammar)
    parsed: list[str] = []
    real = xmlio.parse_file

    def counting(path: object, *args: object, **kwargs: object) -> object:
        parsed.append(str(path))
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(xmlio, "parse_file", counting)
    doc = FIXTURES / f"{RULES[0]}-fail.xml"
    report = validate([doc], schema=grammar, jobs=1)
    assert [p for p in parsed if p.endswith("tei_all.rng")] == [str(grammar.resolve())]
    assert RULES[0] in {d.code for f in report.files for d in f.diagnostics}
