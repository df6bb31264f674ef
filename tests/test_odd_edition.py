"""The edition's schema is an ODD (#11): schema/tei-taijiang.odd is the source; the
shipped schema/tei-taijiang.rng and .sch are what ``tei-tools odd compile`` makes of it;
the edition validates against it; and its grammar gives the verdicts of the
hand-written RELAX NG it replaced, and its rules the diagnostics of the XPath 1
Schematron they replaced, on seeded mutants of our documents (the old files are kept as
the references of these proofs only: tests/fixtures/schema/tei-taijiang-legacy.*)."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from rng_mutants import mutants

from tei_tools.odd import compile_odd
from tei_tools.validation import validate

from conftest import EDITION, MINI, REPO

ODD = REPO / "schema" / "tei-taijiang.odd"
LEGACY_RNC = REPO / "tests" / "fixtures" / "schema" / "tei-taijiang-legacy.rnc"
LEGACY_SCH = REPO / "tests" / "fixtures" / "schema" / "tei-taijiang-legacy.sch"
TEI = "http://www.tei-c.org/ns/1.0"
SCH = "http://purl.oclc.org/dsdl/schematron"
MUTANTS = 300
# Where the ODD deliberately differs from the hand-written grammar (CHANGELOG, #11):
# one elementSpec per element, so what the .rnc required by context is a rule now.
DELIBERATE = {"TT-ID-02",  # p of the text (and of a figure) needs an xml:id: was grammar
              "TT-SRC-01"}  # div type="item" needs @source: was grammar


@pytest.fixture(scope="module")
def compiled():
    return compile_odd(ODD)


def test_the_odd_compiles_without_warnings(compiled) -> None:
    # the shipped files are its output: tests/test_schema_rng.py
    assert compiled.ident == "tei-taijiang" and compiled.warnings == ()


def test_every_project_rule_is_a_constraint_spec(compiled) -> None:
    odd = etree.parse(str(ODD))
    specs = {c.get("ident"): c for c in odd.iter(f"{{{TEI}}}constraintSpec")
             if c.get("mode") != "delete"}  # (three of the TEI's are deleted, with a remark)
    sch = etree.fromstring(compiled.sch)
    codes = {a.get("id") for a in sch.iter(f"{{{SCH}}}assert") if a.get("id")}
    assert codes == set(specs) and len(codes) == 13
    for ident, spec in specs.items():
        assert spec.get("scheme") == "schematron"
        asserts = list(spec.iter(f"{{{SCH}}}assert"))
        assert [a.get("id") for a in asserts] == [ident]  # one rule, its code = its ident


def test_edition_validates_against_the_odd(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TEI_TOOLS_CACHE", str(tmp_path))
    report = validate([EDITION, MINI], odd=ODD, jobs=1)
    assert report.ok, [d.format() for d in report.diagnostics()]
    assert [d for d in report.diagnostics()] == []  # not even a warning


def _sources(folder: Path) -> Path:
    folder.mkdir()
    shutil.copy(EDITION, folder / EDITION.name)
    shutil.copy(MINI, folder / MINI.name)
    for f in sorted((REPO / "tests" / "fixtures" / "schematron").glob("*-pass.xml")):
        shutil.copy(f, folder / f.name)
    return folder


@pytest.fixture(scope="module")
def mutant_files(tmp_path_factory) -> tuple[list[Path], dict[str, str]]:
    """300 seeded mutants of the edition, the mini edition and the rules' passing fixtures."""
    root = tmp_path_factory.mktemp("odd-edition")
    out = root / "mutants"
    out.mkdir()
    batch = list(mutants(_sources(root / "sources"), MUTANTS, seed=11))
    for m in batch:
        (out / m.name).write_bytes(m.data)
    return [out / m.name for m in batch], {m.name: m.how for m in batch}


@pytest.mark.slow
def test_same_verdicts_as_the_hand_written_grammar(tmp_path: Path, compiled, mutant_files) -> None:
    trang = shutil.which("trang")
    assert trang, "trang is installed by scripts/install-system-deps.sh"
    legacy = tmp_path / "legacy.rng"
    subprocess.run([trang, str(LEGACY_RNC), str(legacy)], check=True, capture_output=True,
                   timeout=120)
    grammar, rules = tmp_path / "odd.rng", tmp_path / "odd.sch"
    grammar.write_bytes(compiled.rng)
    rules.write_bytes(compiled.sch)
    files, how = mutant_files
    old = {Path(f.path).name: f.ok for f in
           validate(files, schema=legacy, schematron=False, jobs=2).files}
    new = {Path(f.path).name: f.ok for f in
           validate(files, schema=grammar, schematron=False, jobs=2).files}
    differ = sorted(n for n in old if old[n] != new[n])
    # never stricter; looser only where a project rule now says what the grammar said
    assert [n for n in differ if not old[n]] == differ, [f"{n}: {how[n]}" for n in differ]
    if differ:
        ruled = validate([f for f in files if f.name in differ], schema=grammar,
                         schematron=rules, jobs=2)
        for f in ruled.files:
            codes = {d.code for d in f.diagnostics if d.severity == "error"}
            assert codes & DELIBERATE, f"{Path(f.path).name}: {how[Path(f.path).name]}: {codes}"
    verdicts = Counter(old.values())
    assert verdicts[True] >= 50 and verdicts[False] >= 100, verdicts  # both well represented


@pytest.mark.slow
def test_the_rules_in_xpath_2_fire_as_the_xpath_1_rules_did(mutant_files) -> None:
    # the TT- rules of before #11 (XPath 1 + EXSLT) and the ODD's (XPath 2): the same
    # diagnostics (code, line, message) on every mutant, the ID-02 widening aside
    files, how = mutant_files

    def fired(schematron: Path) -> dict[str, set[tuple[str, int | None, str]]]:
        report = validate(files, schematron=schematron, jobs=2)
        return {Path(f.path).name: {(d.code, d.line, d.message) for d in f.diagnostics
                                    if d.code.startswith("TT-")} for f in report.files}

    old, new = fired(LEGACY_SCH), fired(REPO / "schema" / "tei-taijiang.sch")
    differ = {n: (old[n] ^ new[n]) for n in old if old[n] != new[n]}
    assert {n: d for n, d in differ.items()
            if any(code != "TT-ID-02" for code, _, _ in d)} == {}, how
    assert sum(1 for n in old if old[n]) >= 100  # the rules fire on many mutants


def _odd_with(tmp_path: Path, constraints: str) -> Path:
    path = tmp_path / "keys.odd"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:sch="http://purl.oclc.org/dsdl/schematron"'
        ' xmlns:xsl="http://www.w3.org/1999/XSL/Transform"><teiHeader><fileDesc><titleStmt>'
        "<title>k</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc>"
        '<p>s</p></sourceDesc></fileDesc></teiHeader><text><body><schemaSpec ident="k" start="TEI">'
        '<moduleRef key="tei"/><moduleRef key="core" include="p title"/>'
        '<moduleRef key="header" include="teiHeader fileDesc titleStmt publicationStmt sourceDesc"/>'
        '<moduleRef key="textstructure" include="TEI text body"/>'
        f"{constraints}</schemaSpec></body></text></TEI>", encoding="utf-8")
    return path


def _key_rule(ident: str, key: str) -> str:
    return (f'<constraintSpec ident="{ident}" scheme="schematron"><constraint>{key}'
            f'<sch:rule context="tei:p"><sch:assert id="{ident}" test="key(\'k\', @n)">x'
            "</sch:assert></sch:rule></constraint></constraintSpec>")


KEY = '<xsl:key name="k" match="*[@n]" use="@n"/>'


def test_an_xsl_key_of_a_constraint_is_hoisted_once(tmp_path: Path) -> None:
    sch = etree.fromstring(compile_odd(_odd_with(
        tmp_path, _key_rule("A-1", KEY) + _key_rule("A-2", KEY))).sch)
    keys = sch.findall("{http://www.w3.org/1999/XSL/Transform}key")
    assert [k.get("name") for k in keys] == ["k"]
    assert sch.index(keys[0]) < sch.index(sch.find(f"{{{SCH}}}pattern"))


@pytest.mark.parametrize("second, code", [
    ('<xsl:key name="k" match="*[@n]" use="string(@n)"/>', "ODD-CONFLICT"),
    ('<xsl:template match="x"/>', "ODD-UNSUPPORTED")])
def test_a_conflicting_or_unsupported_xslt_declaration_is_refused(
        tmp_path: Path, second: str, code: str) -> None:
    from tei_tools.odd import OddError

    with pytest.raises(OddError) as err:
        compile_odd(_odd_with(tmp_path, _key_rule("A-1", KEY) + _key_rule("A-2", second)))
    assert err.value.code == code and "xsl:" in str(err.value)
