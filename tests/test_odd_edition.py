"""The edition's schema is an ODD (#11): schema/tei-taijiang.odd is the source; the
shipped schema/tei-taijiang.rng and .sch are what ``tei-tools odd compile`` makes of it;
the edition validates against it; and its grammar gives the verdicts of the
hand-written RELAX NG it replaced (tests/fixtures/schema/tei-taijiang-legacy.rnc,
kept as the reference of that proof only) on seeded mutants of our documents."""

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


def _sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    shutil.copy(EDITION, folder / EDITION.name)
    shutil.copy(MINI, folder / MINI.name)
    for f in sorted((REPO / "tests" / "fixtures" / "schematron").glob("*-pass.xml")):
        shutil.copy(f, folder / f.name)
    return folder


@pytest.mark.slow
def test_same_verdicts_as_the_hand_written_grammar(tmp_path: Path, compiled) -> None:
    trang = shutil.which("trang")
    assert trang, "trang is installed by scripts/install-system-deps.sh"
    legacy = tmp_path / "legacy.rng"
    subprocess.run([trang, str(LEGACY_RNC), str(legacy)], check=True, capture_output=True,
                   timeout=120)
    grammar, rules = tmp_path / "odd.rng", tmp_path / "odd.sch"
    grammar.write_bytes(compiled.rng)
    rules.write_bytes(compiled.sch)
    out = tmp_path / "mutants"
    out.mkdir()
    batch = list(mutants(_sources(tmp_path), MUTANTS, seed=11))
    files = []
    for m in batch:
        (out / m.name).write_bytes(m.data)
        files.append(out / m.name)
    old = {Path(f.path).name: f.ok for f in
           validate(files, schema=legacy, schematron=False, jobs=2).files}
    new = {Path(f.path).name: f.ok for f in
           validate(files, schema=grammar, schematron=False, jobs=2).files}
    how = {m.name: m.how for m in batch}
    differ = sorted(n for n in old if old[n] != new[n])
    # never stricter; looser only where a project rule now says what the grammar said
    assert [n for n in differ if not old[n]] == differ, [f"{n}: {how[n]}" for n in differ]
    if differ:
        ruled = validate([out / n for n in differ], schema=grammar, schematron=rules, jobs=2)
        for f in ruled.files:
            codes = {d.code for d in f.diagnostics if d.severity == "error"}
            assert codes & DELIBERATE, f"{Path(f.path).name}: {how[Path(f.path).name]}: {codes}"
    verdicts = Counter(old.values())
    assert verdicts[True] >= 50 and verdicts[False] >= 100, verdicts  # both well represented


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
