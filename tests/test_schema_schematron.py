"""Every Schematron rule of the project: an @id code, a severity, one passing and one
failing fixture (tests/fixtures/schematron/{id}-pass.xml / -fail.xml), checked by id.

The rules are the ``constraintSpec``s of schema/tei-taijiang.odd, compiled into
schema/tei-taijiang.sch with the TEI's own constraints on the elements the edition
uses (those have no @id: their code comes from their pattern)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from tei_tools import xmlio
from tei_tools.validation import load_schematron, project_schematron, validate_bytes
from tei_tools.validation import schematron as rules
from tei_tools.validation.locate import SourceText

from conftest import MINI

FIXTURES = Path(__file__).parent / "fixtures" / "schematron"
SCH = "http://purl.oclc.org/dsdl/schematron"

RULES = {
    "TT-PTR-01": "error", "TT-ID-01": "error", "TT-ID-02": "error", "TT-DATE-01": "error",
    "TT-DATE-02": "error", "TT-NAME-01": "error", "TT-REG-01": "warning", "TT-PB-01": "error",
    "TT-CHOICE-01": "error", "TT-EMPTY-01": "error", "TT-SRC-01": "error",
    "TT-CORR-01": "error", "TT-SIC-01": "error",
}


def run_all_rules(path: Path) -> list:
    data = path.read_bytes()
    tree = xmlio.parse_bytes(data, str(path))
    return rules.check(load_schematron(project_schematron()), tree, SourceText(data, tree),
                       str(path))


def run_rules(path: Path) -> list:
    """The diagnostics of the project's own rules (the TEI's are checked below)."""
    return [d for d in run_all_rules(path) if d.code.startswith("TT-")]


def test_the_teis_constraints_run_too() -> None:
    # the TEI's own constraintSpecs on the elements the edition uses are compiled in: an
    # empty relatedItem without @target is valid by the grammar, not by the TEI's rule
    text = MINI.read_text(encoding="utf-8")
    broken, n = re.subn(r'<relatedItem type="reprint">.*?</relatedItem>',
                        '<relatedItem type="reprint"/>', text, count=1, flags=re.S)
    assert n == 1
    assert validate_bytes(broken.encode(), "r.xml", schematron=False).ok
    result = validate_bytes(broken.encode(), "r.xml")
    assert not result.ok
    (d,) = result.diagnostics
    assert d.severity == "error" and "relatedItem-targetorcontent1" in d.code, d.format()


def test_every_assert_has_an_id_and_a_severity() -> None:
    tree = etree.parse(str(project_schematron()))
    asserts = tree.findall(f".//{{{SCH}}}assert") + tree.findall(f".//{{{SCH}}}report")
    ours = [a for a in asserts if a.get("id")]
    found = {a.get("id"): a.get("role") for a in ours}
    assert len(found) == len(ours), "an id is used twice"
    assert found == RULES
    # each project rule sits in the pattern of its constraintSpec (ident = its code)
    for a in ours:
        pattern = next(a.iterancestors(f"{{{SCH}}}pattern"))
        assert f"-{a.get('id')}-" in pattern.get("id", ""), pattern.get("id")
    # the others are the TEI's constraints, none of them with a TT- code
    assert all(not (a.get("id") or "").startswith("TT-") for a in asserts if a not in ours)
    assert tree.getroot().get("queryBinding") == "xslt2"


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule_passes_on_its_passing_fixture(rule: str) -> None:
    assert run_rules(FIXTURES / f"{rule}-pass.xml") == []


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule_fires_on_its_failing_fixture(rule: str) -> None:
    path = FIXTURES / f"{rule}-fail.xml"
    diagnostics = run_rules(path)
    assert diagnostics, f"{rule} did not fire"
    assert {d.code for d in diagnostics} == {rule}
    for d in diagnostics:
        assert d.severity == RULES[rule]
        assert d.file == str(path)
        assert d.line is not None and d.line > 1
        assert d.column is None or d.column > 0
        assert d.message and "sch:" not in d.message


def test_messages_name_the_culprit() -> None:
    (ptr,) = run_rules(FIXTURES / "TT-PTR-01-fail.xml")
    assert ptr.message == ("pointer '#per-nobody' in @ref of <persName> does not resolve: "
                           'no element has xml:id="per-nobody"')
    (pb,) = run_rules(FIXTURES / "TT-PB-01-fail.xml")
    assert pb.message == ('page break n="2" comes after page break n="3": '
                          "page numbers must not go backwards")
    (date,) = run_rules(FIXTURES / "TT-DATE-01-fail.xml")
    assert date.message.startswith('@when="2007-02-29" on <date> is not an ISO 8601 date')
    (src,) = run_rules(FIXTURES / "TT-SRC-01-fail.xml")
    assert "#wrk-paper is not the id of a biblStruct" in src.message
    (corr,) = run_rules(FIXTURES / "TT-CORR-01-fail.xml")
    assert corr.message == ("correction “倍受” → “备受” has no recorded decision: it lacks @cert on corr;"
                            ' a note type="correction" with target="#id" giving the reason')
    (sic,) = run_rules(FIXTURES / "TT-SIC-01-fail.xml")
    assert sic.message.startswith("<sic>参加</sic> is kept without a reason")


@pytest.mark.parametrize("change, lacks", [
    ('<choice xml:id="corr-1">', "xml:id on the choice"),
    ('<note type="editorial" target="#corr-1">', 'a note type="correction"'),
    ('<note type="correction" target="#corr-1"> </note>', 'a note type="correction"'),
    ('<corr cert="high">', "@resp on corr"),
])
def test_a_correction_needs_every_part_of_its_decision(change: str, lacks: str, tmp_path: Path) -> None:
    text = (FIXTURES / "TT-CORR-01-pass.xml").read_text(encoding="utf-8")
    if change.startswith("<choice"):
        text = text.replace(change, "<choice>").replace(' target="#corr-1"', ' target="#pb-4"')
    elif change.startswith("<note type=\"editorial\""):
        text = text.replace('<note type="correction" target="#corr-1">', change)
    elif change.startswith("<note"):
        text = text.replace('<note type="correction" target="#corr-1">“倍受”当作“备受”。</note>', change)
    else:
        text = text.replace('<corr resp="#editors" cert="high">', change)
    path = tmp_path / "corr.xml"
    path.write_text(text, encoding="utf-8")
    (diagnostic,) = run_rules(path)
    assert diagnostic.code == "TT-CORR-01" and lacks in diagnostic.message


@pytest.mark.parametrize("value, ok", [
    ("2006", True), ("2006-07", True), ("2006-07-31", True), ("2004-02-29", True),
    ("2000-02-29", True), ("1900-02-29", False), ("2007-02-29", False), ("2006-04-31", False),
    ("2006-13", False), ("2006-00", False), ("06-07", False), ("2006-7-1", False),
    ("2006-07-01T10:00", False), ("二〇〇六", False),
])
def test_iso_dates(value: str, ok: bool, tmp_path: Path) -> None:
    text = (FIXTURES / "TT-DATE-01-pass.xml").read_text(encoding="utf-8")
    path = tmp_path / "date.xml"
    path.write_text(text.replace('when="2006-11-21"', f'when="{value}"'), encoding="utf-8")
    codes = {d.code for d in run_rules(path)}
    assert ("TT-DATE-01" not in codes) is ok


def test_page_range_is_not_a_date(tmp_path: Path) -> None:
    # biblScope/@from and @to are page numbers: TT-DATE-01/02 leave them alone.
    text = (FIXTURES / "TT-DATE-02-pass.xml").read_text(encoding="utf-8")
    path = tmp_path / "pages.xml"
    path.write_text(text.replace("<imprint>", '<imprint><biblScope unit="page" from="6" to="3">'
                                 "第6页</biblScope>"), encoding="utf-8")
    assert run_rules(path) == []


def test_mini_edition_passes_every_rule() -> None:
    assert run_rules(Path(__file__).parent / "fixtures" / "edition-mini.xml") == []


def test_page_order_restarts_after_a_non_numeric_page_break(tmp_path: Path) -> None:
    text = (FIXTURES / "TT-PB-01-fail.xml").read_text(encoding="utf-8")
    assert '<pb n="3" xml:id="pb-3"/>' in text
    roman = tmp_path / "roman.xml"  # 3, iv, 2: the roman page starts a new sequence
    roman.write_text(text.replace('<pb n="2" xml:id="pb-2"/>',
                                  '<pb n="iv" xml:id="pb-iv"/><pb n="2" xml:id="pb-2"/>'), encoding="utf-8")
    assert [d.code for d in run_rules(roman)] == []
    again = tmp_path / "again.xml"  # 3, iv, 5, 2: backwards within the new sequence
    again.write_text(text.replace('<pb n="2" xml:id="pb-2"/>',
                                  '<pb n="iv" xml:id="pb-iv"/><pb n="5" xml:id="pb-5"/>'
                                  '<pb n="2" xml:id="pb-2"/>'), encoding="utf-8")
    (pb,) = run_rules(again)
    assert pb.code == "TT-PB-01" and 'n="2" comes after page break n="5"' in pb.message
