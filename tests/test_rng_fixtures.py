"""One fixture per class of input where libxml2 and jing disagreed, and per
message that must be worded well (tests/fixtures/rng/, issue #10).

The fast tests check our verdict against jing's recorded one and the wording
of the messages; the slow one runs jing once over all fixtures and checks
that the recording is still jing's verdict."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tei_tools.validation import validate

from conftest import TEI_ALL_RNG

FIXTURES = Path(__file__).parent / "fixtures" / "rng"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report():
    report = validate([FIXTURES], schema=TEI_ALL_RNG, embedded_schematron=False, jobs=1)
    return {Path(f.path).name: f for f in report.files}


def test_every_class_has_valid_and_invalid_fixtures() -> None:
    by_class: dict[str, set[bool]] = {}
    for entry in MANIFEST.values():
        by_class.setdefault(entry["class"], set()).add(entry["valid_tei_all_jing"])
    for cls in ("anyURI", "token", "dateTime", "double", "ID"):
        assert by_class[cls] == {True, False}, cls
    assert by_class["egXML"] == {True}  # examples are not ID-typed in TEI
    assert sorted(p.name for p in FIXTURES.glob("*.xml")) == sorted(MANIFEST)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_verdict_is_jings(report, name: str) -> None:
    result = report[name]
    assert result.ok is MANIFEST[name]["valid_tei_all_jing"], [d.format() for d in result.diagnostics]
    if not result.ok:
        for d in result.diagnostics:
            assert d.line and d.column, d.format()  # located, with the real column


def _only(report, name: str):
    (d,) = report[name].diagnostics
    return d


def test_missing_required_element_is_named(report) -> None:
    d = _only(report, "missing-title.xml")
    assert (d.line, d.column, d.code) == (5, 18, "RNG-ELEMENT")
    assert d.message == ("<author> is not allowed yet inside <titleStmt>, as the first child; "
                         "missing required element <title>")


def test_foreign_element_has_its_namespace_and_column(report) -> None:
    d = _only(report, "foreign-math.xml")
    line = (FIXTURES / "foreign-math.xml").read_text(encoding="utf-8").splitlines()[d.line - 1]
    assert line[d.column - 1:].startswith("<m:math")
    assert d.message == ("<m:math> is not allowed inside <p>: this schema has no element in "
                         "namespace http://www.w3.org/1998/Math/MathML")


def test_order_error_blames_the_element_out_of_place_and_lists_all_expected(report) -> None:
    d = _only(report, "order-head-after-p.xml")
    assert d.message.startswith("<head> is allowed inside <div> but not here, after <p>; "
                                "expected the end of <div>, <ab>, <addSpan>")
    assert "(107 more)" in d.message  # the text shortens the list …
    assert len(d.expected) == 121 and "<p>" in d.expected  # … the JSON form keeps it whole
    assert d.expected[0] == "the end of <div>"


def test_xml_lang_message_names_the_empty_value(report) -> None:
    d = _only(report, "lang-with-space.xml")
    assert d.message == ('@xml:lang="zh Hans" on <p> is not valid: expected one of: ""; or a value '
                         "of type xsd:language (a language tag such as zh-Hans)")


def test_duplicate_id_with_spaces_is_the_same_id(report) -> None:
    d = _only(report, "id-spaces-duplicate.xml")
    assert (d.code, d.line) == ("TT-ID-01", 13)
    assert d.message == 'xml:id "p1" is already used on line 12; ids must be unique'


def test_misspelt_attribute_gets_a_suggestion_and_the_allowed_list(report) -> None:
    d = _only(report, "attribute-misspelt.xml")
    assert d.message.startswith("attribute @rendd is not allowed on <p>; did you mean @rend? allowed:")
    assert "@xml:space" in d.expected and len(d.expected) == 26  # jing lists the same 26


def test_pattern_facet_is_shown(report) -> None:
    d = _only(report, "token-no-break-space.xml")
    assert d.message.endswith("expected a value of type xsd:token matching [^\\p{C}\\p{Z}]+")


def test_no_raw_libxml2_text(report) -> None:
    for result in report.values():
        for d in result.diagnostics:
            assert "Expecting" not in d.message and "failed to validate" not in d.message
            assert d.code.startswith(("RNG", "TT-ID"))


@pytest.mark.slow
def test_recorded_verdicts_and_expected_lists_are_jings(report) -> None:
    files = sorted(FIXTURES.glob("*.xml"))
    proc = subprocess.run(["jing", str(TEI_ALL_RNG), *map(str, files)], capture_output=True,
                          text=True, timeout=300, check=False)
    errors: dict[str, int] = {}
    listed: dict[str, set[str]] = {}
    for line in proc.stdout.splitlines():
        if ": error:" in line and "first occurrence of ID" not in line:
            name = Path(line.split(":", 1)[0]).name
            errors[name] = errors.get(name, 0) + 1
            if "not allowed" in line and "; expected" in line:
                names = re.findall(r'"([^"]+)"', line.split("; expected", 1)[1])
                listed[name] = {n.split(":")[-1] for n in names if not n.startswith("http")}
    assert {f.name: errors.get(f.name, 0) for f in files} == {
        name: entry["jing_errors"] for name, entry in MANIFEST.items()}
    # what we say was expected is what jing says (elements or attributes)
    assert len(listed) >= 4
    for name, theirs in listed.items():
        (d,) = report[name].diagnostics
        ours = {e.strip("<>@").split(" (")[0] for e in d.expected if e[0] in "<@"}
        assert {o.split(":")[-1] for o in ours} == theirs, name
