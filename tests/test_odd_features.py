"""The ODD processor on a customisation of our own (tests/fixtures/odd/features.odd).

Each feature the processor implements is used once in that ODD; for each, one
document passes and one fails *because of that feature* (``odd_features_cases``).
The fast tests judge them with lxml; the slow one with jing, in one JVM. (When
this fixture was written, the TEI's own pipeline — Stylesheets odd2odd +
odd2relax, run beside the project — gave the same verdict on all 76 of them.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tei_tools.odd import compile_odd

from odd_features_cases import CASES, document
from odd_support import jing_verdicts

FIXTURES = Path(__file__).parent / "fixtures" / "odd"
FEATURES = FIXTURES / "features.odd"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"


@pytest.fixture(scope="module")
def compiled():
    return compile_odd(FEATURES)


@pytest.fixture(scope="module")
def grammar(compiled) -> etree.RelaxNG:
    return etree.RelaxNG(etree.fromstring(compiled.rng))


def _valid(grammar: etree.RelaxNG, text: str) -> bool:
    return grammar.validate(etree.fromstring(text.encode("utf-8")).getroottree())


@pytest.mark.parametrize("case", sorted(CASES))
def test_feature_passes_and_fails(grammar, case):
    good, bad = CASES[case]
    assert _valid(grammar, document(good)), f"{case}: the passing document is rejected: " \
                                            f"{grammar.error_log.last_error}"
    assert not _valid(grammar, document(bad)), f"{case}: the failing document is accepted"


@pytest.mark.slow
def test_jing_gives_the_same_verdicts(compiled, tmp_path):
    rng = tmp_path / "features.rng"
    rng.write_bytes(compiled.rng)
    files = {}
    for i, (case, (good, bad)) in enumerate(sorted(CASES.items())):
        for kind, body in (("pass", good), ("fail", bad)):
            f = tmp_path / f"{i:02d}-{kind}.xml"
            f.write_text(document(body), encoding="utf-8")
            files[f] = (case, kind == "pass")
    verdicts = jing_verdicts(rng, list(files))
    wrong = [(case, expected) for f, (case, expected) in files.items() if verdicts[f] != expected]
    assert not wrong


def test_prefix_names_every_pattern(compiled):
    root = etree.fromstring(compiled.rng)
    names = {d.get("name") for d in root.iter(f"{{{RNG_NS}}}define")}
    assert {"ft_box", "ft_p", "ft_model.boxLike", "ft_att.boxy.attributes"} <= names
    assert not {"box", "p"} & names
    start = root.find(f"{{{RNG_NS}}}start")
    assert [r.get("name") for r in start.iter(f"{{{RNG_NS}}}ref")] == ["ft_TEI", "ft_text"]


def test_element_namespace_and_grammar_namespace(compiled):
    root = etree.fromstring(compiled.rng)
    assert root.get("ns") == "http://www.tei-c.org/ns/1.0"
    box = root.find(f"{{{RNG_NS}}}define[@name='ft_box']/{{{RNG_NS}}}element")
    assert box.get("name") == "box" and box.get("ns") == "http://example.org/box"


def test_schemaspec_ns_puts_every_element_in_it(tmp_path):
    odd = tmp_path / "other.odd"
    odd.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>o'
        "</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p>"
        '</sourceDesc></fileDesc></teiHeader><text><body><schemaSpec ident="other" '
        'ns="http://example.org/other" start="p"><moduleRef key="tei"/>'
        '<moduleRef key="core" include="p hi"/></schemaSpec></body></text></TEI>',
        encoding="utf-8")
    grammar = etree.RelaxNG(etree.fromstring(compile_odd(odd).rng))
    assert _valid(grammar, '<p xmlns="http://example.org/other">a <hi>b</hi></p>')
    assert not _valid(grammar, '<p xmlns="http://www.tei-c.org/ns/1.0">a</p>')


def test_schematron_keeps_ns_let_and_the_schemaspec_rules(compiled):
    sch = etree.fromstring(compiled.sch)
    assert sch.get("queryBinding") == "xslt2"
    ns = {n.get("prefix"): n.get("uri") for n in sch.iter(f"{{{SCH_NS}}}ns")}
    assert ns["bx"] == "http://example.org/box" and ns["tei"] == "http://www.tei-c.org/ns/1.0"
    rule = sch.find(f".//{{{SCH_NS}}}rule[@context=\"bx:box[@shape = 'round']\"]")
    assert rule is not None
    assert rule.find(f"{{{SCH_NS}}}let").get("name") == "size"
    assert rule.find(f"{{{SCH_NS}}}assert").get("test") == "$size le 10"
    assert sch.find(f".//{{{SCH_NS}}}rule[@context='tei:titleStmt']") is not None
    # the TEI's own constraints that apply come along; those of deleted specs do not
    tests = {a.get("test") for a in sch.iter(f"{{{SCH_NS}}}assert", f"{{{SCH_NS}}}report")}
    assert any("ancestor::tei:p" in (t or "") for t in tests)  # p's abstract-model rule
    assert not any("tei:note" in (r.get("context") or "") for r in sch.iter(f"{{{SCH_NS}}}rule"))


def test_compiled_odd_holds_the_resolved_specs(compiled):
    odd = etree.fromstring(compiled.compiled_odd)
    tei = "{http://www.tei-c.org/ns/1.0}"
    spec = odd.find(f".//{tei}schemaSpec")
    idents = {s.get("ident") for s in spec if s.get("ident")}
    assert {"box", "stamp", "p", "att.global", "macro.motto"} <= idents
    assert "note" not in idents and "att.global.responsibility" not in idents
    assert odd.find(f".//{tei}specGrp") is None


def test_output_is_deterministic(compiled):
    again = compile_odd(FEATURES)
    assert (again.rng, again.sch, again.compiled_odd) == (compiled.rng, compiled.sch,
                                                          compiled.compiled_odd)


MINI_ODD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>m'
            "</title></titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p>"
            '</sourceDesc></fileDesc></teiHeader><text><body><schemaSpec ident="mini"{source}>'
            '<moduleRef key="mini" except="w"/></schemaSpec></body></text></TEI>')
MINI_GOOD = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><line n="1">a</line></TEI>'
MINI_BAD = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><line>a <w>b</w></line></TEI>'


@pytest.mark.parametrize("how", ["attribute", "argument"])
def test_another_source_by_schemaspec_source_or_argument(tmp_path, how):
    odd = tmp_path / "mini.odd"
    src = FIXTURES / "mini-source.xml"
    odd.write_text(MINI_ODD.format(source=f' source="{src}"' if how == "attribute" else ""),
                   encoding="utf-8")
    result = compile_odd(odd, source=src if how == "argument" else None)
    grammar = etree.RelaxNG(etree.fromstring(result.rng))
    assert _valid(grammar, MINI_GOOD)
    assert not _valid(grammar, MINI_BAD)  # w is left out by @except
