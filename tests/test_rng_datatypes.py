"""XML Schema datatypes and regular expressions as jing reads them (#10).

``fixtures/rng/datatypes.json`` holds values of every datatype and facet TEI
uses, with jing's verdict on each (recorded; the slow test re-asks jing in
one run)."""

from __future__ import annotations

import html
import json
import subprocess
from pathlib import Path

import pytest

from tei_tools.validation.rng import datatypes
from tei_tools.validation.rng.datatypes import XSD, DatatypeError, is_java_uri, lookup
from tei_tools.validation.rng.xsdregex import RegexError, compile_regex

TABLE = json.loads((Path(__file__).parent / "fixtures" / "rng" / "datatypes.json")
                   .read_text(encoding="utf-8"))


def _datatype(case: dict):
    return lookup(XSD, case["type"], tuple(tuple(p) for p in case["params"]))


def test_table_covers_the_classes_of_the_issue() -> None:
    types = {c["type"] for c in TABLE}
    assert {"anyURI", "token", "dateTime", "double", "decimal", "NCName", "ID", "language",
            "date", "gYear", "duration", "boolean", "float", "integer"} <= types
    assert len(TABLE) >= 250
    assert sum(c["jing"] for c in TABLE) > 80 and sum(not c["jing"] for c in TABLE) > 80


def test_every_value_gets_jings_verdict() -> None:
    wrong = [(c["type"], c["params"], c["value"], c["jing"]) for c in TABLE
             if _datatype(c).allows(c["value"]) is not c["jing"]]
    assert wrong == []


@pytest.mark.parametrize(("value", "ok"), [
    ("http:", False), ("urn:", False), ("http://", False), ("a%zz", False), ("x#y#z", False),
    ("1a:b", False), (":x", False), ("a[1]", False), ("", True), ("#", True), ("a b", True),
    ("http://example.org/ä", True), ("mailto:a@b", True), ("http://[::1]/x", True),
])
def test_uris_are_javas(value: str, ok: bool) -> None:
    assert is_java_uri(value) is ok


def test_jings_reading_of_negated_classes() -> None:
    word = compile_regex(r"[^\p{C}\p{Z}]+")  # TEI's teidata.word
    for ok in ("a\u00adb", "\u200b", "\ufeff", "\ue000", "\U000e0041", "\u0378"):
        assert word.matches(ok), repr(ok)
    for bad in ("a b", "a\u00a0b", "\u2028", "a\u3000", ""):
        assert not word.matches(bad), repr(bad)
    assert not compile_regex(r"[^\p{C}]").matches("\u00ad")  # alone it is the standard meaning
    assert compile_regex(r"[^\p{C}]").matches("\u0378")  # … except unassigned code points
    assert compile_regex(r"[^\p{L}a]").matches("a")  # the union quirk: jing accepts it


def test_regex_syntax() -> None:
    r = compile_regex(r"(\-?[\d]+/\-?[\d]+)")
    assert r.matches("-1/2") and r.matches("١/٢") and not r.matches("1 / 2")
    assert compile_regex(r"[\d]+(\.[\d]+){0,2}").matches("1.2.3")
    assert not compile_regex(r"[\d]+(\.[\d]+){0,2}").matches("1.2.3.4")
    assert compile_regex("a^b$").matches("a^b$")  # no anchors in XML Schema
    consonants = compile_regex(r"[a-z-[aeiou]]+")  # subtraction
    assert consonants.matches("xyz") and not consonants.matches("xa")
    assert compile_regex("(a|b)*c").matches("ababc")
    assert compile_regex("x{2,}").matches("xxxx") and not compile_regex("x{2,}").matches("x")
    for bad in ("[a", "(a", "a{2,1}", r"\p{Xx}", r"\q", "[]"):
        with pytest.raises(RegexError):
            compile_regex(bad)


def test_no_catastrophic_backtracking() -> None:
    assert not compile_regex("(a*)*b").matches("a" * 5000)


def test_unknown_types_and_parameters_are_refused() -> None:
    with pytest.raises(DatatypeError):
        lookup(XSD, "color", ())
    with pytest.raises(DatatypeError):
        lookup(XSD, "boolean", (("minInclusive", "0"),))
    with pytest.raises(DatatypeError):
        lookup(XSD, "token", (("pattern", "[a"),))
    with pytest.raises(DatatypeError):
        lookup("http://example.org/types", "x", ())


def test_values_compare_in_the_value_space() -> None:
    integer = lookup(XSD, "integer", ())
    assert integer.value("01") == integer.value("+1")
    dt = lookup(XSD, "dateTime", ())
    assert dt.value("2000-01-01T12:00:00Z") == dt.value("2000-01-01T13:00:00+01:00")
    token = lookup("", "token", ())
    assert token.value("  a   b ") == "a b"
    assert lookup("", "string", ()).value(" a ") == " a "


@pytest.mark.slow
def test_recorded_verdicts_are_jings(tmp_path: Path) -> None:
    kinds = sorted({(c["type"], json.dumps(c["params"])) for c in TABLE})
    index = {k: i for i, k in enumerate(kinds)}
    rng = ['<element name="r" xmlns="http://relaxng.org/ns/structure/1.0" '
           'datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes"><interleave>']
    for (t, params), i in index.items():
        ps = "".join(f'<param name="{html.escape(k)}">{html.escape(v)}</param>'
                     for k, v in json.loads(params))
        rng.append(f'<zeroOrMore><element name="e{i}"><attribute name="a"><data type="{t}">{ps}'
                   "</data></attribute><empty/></element></zeroOrMore>")
    rng.append("</interleave></element>")
    xml = ["<r>"]
    for c in TABLE:
        value = "".join(f"&#x{ord(ch):X};" for ch in c["value"])
        xml.append(f'<e{index[(c["type"], json.dumps(c["params"]))]} a="{value}"/>')
    xml.append("</r>")
    (tmp_path / "t.rng").write_text("".join(rng), encoding="utf-8")
    (tmp_path / "t.xml").write_text("\n".join(xml), encoding="utf-8")
    proc = subprocess.run(["jing", str(tmp_path / "t.rng"), str(tmp_path / "t.xml")],
                          capture_output=True, text=True, timeout=120, check=False)
    bad_lines = {int(line.split(":")[1]) for line in proc.stdout.splitlines() if ": error:" in line}
    assert [(i + 2) not in bad_lines for i in range(len(TABLE))] == [c["jing"] for c in TABLE]


def test_ascii_names_answer_as_the_character_rules() -> None:
    """``is_ncname``/``is_name``/``is_nmtoken`` answer ASCII strings by a regular
    expression (#16): the same verdict as the per-character rules, on every
    ASCII character at the start, inside and at the end of a name."""
    def slow(s: str, first_colon: bool, any_first: bool) -> bool:
        first_ok = (datatypes._name_start(s[0]) or (first_colon and s[0] == ":")
                    or (any_first and datatypes._name_char(s[0])))
        return first_ok and all((first_colon and c == ":") or datatypes._name_char(c)
                                for c in s[1:])

    chars = [chr(i) for i in range(128)]
    samples = [""] + chars + [a + b for a in chars for b in ("a", "1", ":", "-", " ")]
    samples += ["x" + a + b for a in chars for b in ("", "y")]
    for s in samples:
        assert datatypes.is_ncname(s) == (bool(s) and slow(s, False, False)), repr(s)
        assert datatypes.is_name(s) == (bool(s) and slow(s, True, False)), repr(s)
        assert datatypes.is_nmtoken(s) == (bool(s) and slow(s, True, True)), repr(s)
    assert datatypes.is_ncname("台江") and not datatypes.is_ncname("a\u3000b")


def test_collapse_is_the_tokens_joined() -> None:
    for s in ["", " ", "a", " a", "a ", "a  b", "a\tb", "a\nb", "a b", "a\u00a0 b", "\r", "ab  "]:
        assert datatypes.collapse(s) == " ".join(datatypes.xml_tokens(s)), repr(s)
