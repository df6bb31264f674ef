"""The one Schematron engine (issue 10): ISO Schematron compiled to XSLT 3.0 by
the project's compiler and run by saxonche, XPath 1, 2 and 3.

Each fixture schema under tests/fixtures/schematron-engine/ carries one
feature (includes, abstract patterns, phases, lets, diagnostics…) and is run
on doc.xml; the tests check the codes, severities, messages and locations."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tei_tools import xmlio
from tei_tools.diagnostics import Diagnostic
from tei_tools.errors import UsageError
from tei_tools.validation import schematron as engine
from tei_tools.validation.locate import SourceText
from tei_tools.validation.schematron_schema import severity_of

from conftest import MINI, REPO, SHARED

FIXTURES = Path(__file__).parent / "fixtures" / "schematron-engine"
DOC = FIXTURES / "doc.xml"
REFERENCE = SHARED / "tei-odd" / "reference"


def run(schema: Path, document: Path = DOC, phase: str | None = None) -> list[Diagnostic]:
    data = document.read_bytes()
    tree = xmlio.parse_bytes(data, str(document))
    compiled = engine.load_schematron(schema, phase)
    return engine.check(compiled, tree, SourceText(data, tree), str(document))


def found(diagnostics: list[Diagnostic]) -> list[tuple[str, str, int | None, int | None, str]]:
    return sorted((d.code, d.severity, d.line, d.column, d.message) for d in diagnostics)


def test_xpath3_rules_with_located_messages_and_severities() -> None:
    assert found(run(FIXTURES / "xpath3.sch")) == [
        ("X-COUNT", "info", 11, 5, "the body has 3 paragraphs"),
        ("X-NUM", "warning", 13, 22, '@n="x" is not a number (it is 1 character long)'),
        ("X-PTR", "error", 12, 34, "pointers of persName must resolve: per-a, per-b"),
    ]


def test_an_attribute_context_is_located_at_the_attribute() -> None:
    (number,) = [d for d in run(FIXTURES / "xpath3.sch") if d.code == "X-NUM"]
    line = DOC.read_text(encoding="utf-8").splitlines()[number.line - 1]
    assert line[number.column - 1:].startswith('n="x"')


def test_in_a_pattern_only_the_first_matching_rule_fires() -> None:
    results = {(d.code, d.message) for d in run(FIXTURES / "first-rule-wins.sch")}
    assert ("FIRST", "first rule on p1") in results
    assert ("SECOND", "second rule on p1") not in results
    assert ("SECOND", "second rule on p2") in results
    assert ("OTHER", "another pattern on p1") in results


def test_abstract_patterns_and_abstract_rules() -> None:
    assert found(run(FIXTURES / "abstract.sch")) == [
        ("LONG", "error", 15, 26, "<item> is longer than 3"),
        ("REQ", "error", 6, 24, "<p> needs @n"),  # the header's paragraphs
        ("REQ", "error", 7, 19, "<p> needs @n"),
        ("REQ", "error", 14, 7, "<p> needs @n"),
        ("REQ", "error", 15, 7, "<list> needs @rend"),
    ]


def test_default_phase_lets_at_every_level() -> None:
    # defaultPhase="quick": only the pattern "ids"; its let values from each level
    assert found(run(FIXTURES / "phases.sch")) == [("LETS", "error", 14, 7, "S/quick/5/p3")]


def test_a_named_phase_and_all_patterns() -> None:
    full = {(d.code, d.message) for d in run(FIXTURES / "phases.sch", phase="full")}
    assert full == {("LETS", "S/full/5/p3"), ("DATE", "bad date 2007-13-01")}
    # with every pattern and no phase, $phase-level is not declared: said so, at compile time
    with pytest.raises(UsageError, match=r"XPST0008 Variable \$phase-level has not been declared"):
        engine.load_schematron(FIXTURES / "phases.sch", "#ALL")


def test_an_unknown_phase_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match='no phase "nope" \\(phases: full, quick\\)'):
        engine.load_schematron(FIXTURES / "phases.sch", "nope")


def test_diagnostics_are_added_and_subject_moves_the_location() -> None:
    (gloss,) = run(FIXTURES / "diagnostics.sch")
    assert gloss.code == "GLOSS"
    assert gloss.message == ("a gloss list needs labels (add a <label> before each of the 1 item) "
                             "(see 3.8)")
    # subject="tei:item[1]": the item (column 26), not the list (column 7)
    assert (gloss.line, gloss.column) == (15, 26)


def test_includes_whole_file_by_id_and_extends() -> None:
    assert found(run(FIXTURES / "includes.sch")) == [
        ("INC-DATE", "error", 13, 41, "included: bad date 2007-13-01"),
        ("INC-LIST", "error", 15, 7, "extends: a list"),
        ("INC-TITLE", "error", 5, 18, "included by id: title mentions the engine"),
    ]


def test_an_include_loop_is_refused() -> None:
    with pytest.raises(UsageError, match="makes a loop"):
        engine.load_schematron(FIXTURES / "include-loop.sch")


def test_a_dynamic_error_is_reported_where_it_happens_and_the_run_goes_on() -> None:
    results = run(FIXTURES / "dynamic-error.sch")
    by_code = {d.code: d for d in results}
    assert set(by_code) == {"CAST", "STILL-RUNS"}
    cast = by_code["CAST"]
    assert (cast.line, cast.column, cast.severity) == (13, 7, "error")
    assert cast.message.startswith("cannot evaluate this assert here (FORG0001:")
    assert "its test is: xs:integer(@n) gt 0" in cast.message


def test_a_schematron_that_does_not_compile_is_a_usage_error_at_its_line() -> None:
    with pytest.raises(UsageError) as caught:
        engine.load_schematron(FIXTURES / "bad-xpath.sch")
    message = str(caught.value)
    assert message.startswith(f"{FIXTURES / 'bad-xpath.sch'}:5: error: the Schematron does not "
                              'compile: the test "count(((" of this assert: XPST0003 ')
    assert "\n" not in message


@pytest.mark.parametrize("rule, line, words", [
    ('<sch:rule context="tei:p"><sch:assert test="true()">x</sch:assert></sch:rule>', 3,
     'the context "tei:p" of this rule: XPST0081 Namespace prefix \'tei\' has not been declared'),
    ('<sch:rule context="*">\n<sch:let name="a" value="1"/>\n<sch:assert test="$a = 1">'
     '<sch:value-of select="nosuch(.)"/></sch:assert></sch:rule>', 5,
     'the value-of "nosuch(.)" in this assert: XPST0017 Cannot find a 1-argument function'),
    ('<sch:rule context="*">\n<sch:let name="a" value="1 +"/>\n<sch:assert test="$a">x'
     '</sch:assert></sch:rule>', 4, 'the value "1 +" of let $a: XPST0003'),
])
def test_static_errors_name_the_xpath_and_its_line(
        tmp_path: Path, rule: str, line: int, words: str) -> None:
    schema = tmp_path / "broken.sch"
    schema.write_text('<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" '
                      'queryBinding="xslt2">\n<sch:pattern>\n<sch:rule context="text()"/>'
                      f'{rule}</sch:pattern></sch:schema>', encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        engine.load_schematron(schema)
    assert str(caught.value).startswith(f"{schema}:{line}: error: the Schematron does not "
                                        f"compile: {words}")


def test_xslt1_binding_has_xpath1_semantics_and_exslt() -> None:
    assert found(run(FIXTURES / "exslt.sch")) == [
        ("EX-MONTH", "error", 13, 41, "month 13 out of range"),
        ("EX-TOKENS", "error", 12, 34, "two pointers: #per-b"),
    ]


@pytest.mark.parametrize("binding", ["xslt", "xslt2", "xslt3"])
def test_every_query_binding_runs(binding: str, tmp_path: Path) -> None:
    schema = tmp_path / "b.sch"
    schema.write_text(
        f'<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="{binding}">'
        '<sch:ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/><sch:pattern><sch:rule '
        'context="tei:item"><sch:assert test="false()">item <sch:value-of select="."/>'
        '</sch:assert></sch:rule></sch:pattern></sch:schema>', encoding="utf-8")
    (item,) = run(schema)
    assert (item.message, item.line, item.column) == ("item term", 15, 26)
    # no id in the schema and no pattern id: a code made from the context and the test
    assert item.code.startswith("SCH-item-") and len(item.code) == len("SCH-item-") + 6


def test_an_unsupported_query_binding_is_a_usage_error(tmp_path: Path) -> None:
    schema = tmp_path / "b.sch"
    schema.write_text('<schema xmlns="http://purl.oclc.org/dsdl/schematron" '
                      'queryBinding="stx"><pattern/></schema>', encoding="utf-8")
    with pytest.raises(UsageError, match='queryBinding="stx" is not supported'):
        engine.load_schematron(schema)


@pytest.mark.parametrize("role, severity", [
    ("fatal", "error"), ("error", "error"), ("ERROR", "error"), ("warning", "warning"),
    ("warn", "warning"), ("nonfatal", "warning"), ("info", "info"), ("information", "info"),
    (None, "error"), ("something-else", "error"),
])
def test_role_to_severity(role: str | None, severity: str) -> None:
    assert severity_of(role) == severity


def test_compiled_once_per_content(tmp_path: Path) -> None:
    schema = tmp_path / "c.sch"
    shutil.copy(FIXTURES / "xpath3.sch", schema)
    first = engine.load_schematron(schema)
    assert engine.load_schematron(schema) is first
    schema.write_text(schema.read_text(encoding="utf-8").replace("X-COUNT", "X-TOTAL"),
                      encoding="utf-8")
    # the hash is taken again when the size, mtime or inode changes (_content_key); this
    # edit keeps size and inode, so it gets the later mtime a person's edit would have (a
    # file system's coarse clock could give two writes of this test the same one)
    written = schema.stat()
    os.utime(schema, ns=(written.st_atime_ns, written.st_mtime_ns + 10**9))
    second = engine.load_schematron(schema)
    assert second is not first
    assert "X-TOTAL" in {c.code for c in second.schema.checks}


@pytest.mark.parametrize("reference", sorted(REFERENCE.glob("*.sch")), ids=lambda p: p.name)
def test_the_teis_reference_schematron_compiles_and_runs(reference: Path) -> None:
    compiled = engine.load_schematron(reference)
    assert compiled.schema.query_binding == "xslt2"
    assert compiled.schema.checks
    results = run(reference, MINI)
    codes = {c.code for c in compiled.schema.checks}
    assert all(d.code in codes for d in results)


def test_the_reference_tei_all_schematron_fires_on_a_broken_document() -> None:
    broken = FIXTURES / "tei-all" / "s-noNestedS-fail.xml"
    (nested,) = run(REFERENCE / "tei_all.sch", broken)
    # its pattern id schematron-constraint-tei_all-s-noNestedS-N gives the stable code
    assert nested.code == "s-noNestedS"
    assert (nested.line, nested.column) == (12, 10)


def test_lxml_isoschematron_is_gone() -> None:
    """One Schematron engine: nothing in the package uses lxml's XSLT 1.0 one."""
    uses = re.compile(r"import\s+isoschematron|lxml\.isoschematron|isoschematron\.Schematron")
    users = [p for p in (REPO / "src").rglob("*.py") if uses.search(p.read_text(encoding="utf-8"))]
    assert users == []


EXSLT_CASES = {
    "str:tokenize(' a  b ')": "a|b",
    "str:tokenize('a,b;c', ',;')": "a|b|c",
    "str:tokenize('abc', '')": "a|b|c",
    "str:replace('a-b-c', '-', '+')": "a+b+c",
    "str:concat(//tei:item | //tei:title)": "Schematron engine fixtureterm",
    "str:padding(3, 'x')": "xxx",
    "regexp:test('ABC', 'b', 'i')": "true",
    "regexp:test('ABC', 'b')": "false",
    "regexp:replace('a1b2', '[0-9]', 'g', 'X')": "aXbX",
    "regexp:replace('a1b2', '([0-9])', '', '<$1>')": "a<1>b2",
    "regexp:match('2007-05', '([0-9]+)-([0-9]+)')": "2007-05|2007|05",
    "regexp:match('a1b22', '[0-9]+', 'g')": "1|22",
    "count(exsl:node-set(//tei:p))": "5",
    "exsl:object-type('s')": "string",
    "count(set:distinct(//tei:p/@xml:id | //tei:p[1]/@xml:id))": "3",
    "count(set:difference(//tei:p, //tei:body/tei:p))": "2",
    "count(set:intersection(//tei:p, //tei:body/tei:p))": "3",
    "set:has-same-node(//tei:p, //tei:body/tei:p[1])": "true",
    "math:max(//tei:p/@n[. castable as xs:double])": "1",
    "math:min((//tei:p/@n, //tei:p/@xml:id)[. castable as xs:double])": "1",
    "math:abs(-2.5)": "2.5",
}


def test_the_exslt_functions_of_xslt1_schematron(tmp_path: Path) -> None:
    """xslt/schematron/exslt.xsl: what EXSLT says each function returns."""
    reports = "".join(
        f'<sch:report id="E{i}" test="true()"><sch:value-of select="string-join(({expr}) ! '
        f'string(.), \'|\')"/></sch:report>'.replace("<$1>", "&lt;$1&gt;")
        for i, expr in enumerate(EXSLT_CASES))
    schema = tmp_path / "exslt-all.sch"
    schema.write_text(
        '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="exslt">'
        '<sch:ns prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>'
        '<sch:ns prefix="str" uri="http://exslt.org/strings"/>'
        '<sch:ns prefix="regexp" uri="http://exslt.org/regular-expressions"/>'
        '<sch:ns prefix="exsl" uri="http://exslt.org/common"/>'
        '<sch:ns prefix="set" uri="http://exslt.org/sets"/>'
        '<sch:ns prefix="math" uri="http://exslt.org/math"/>'
        '<sch:ns prefix="xs" uri="http://www.w3.org/2001/XMLSchema"/>'
        f'<sch:pattern><sch:rule context="/">{reports}</sch:rule></sch:pattern></sch:schema>',
        encoding="utf-8")
    got = {d.code: d.message for d in run(schema)}
    assert got == {f"E{i}": want for i, want in enumerate(EXSLT_CASES.values())}
