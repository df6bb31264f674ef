"""Reading RELAX NG grammars into patterns (section 4 of the specification)
and walking documents through them (the derivative algorithm), on small
grammars written here (#10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tei_tools.errors import UsageError
from tei_tools.validation import load_relaxng

RNG = 'xmlns="http://relaxng.org/ns/structure/1.0"'
XSD = 'datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes"'


def grammar(tmp_path: Path, text: str, name: str = "g.rng", **others: str) -> Path:
    for other, body in others.items():
        (tmp_path / other.replace("_", ".")).write_text(body, encoding="utf-8")
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def ok(path: Path, xml: str) -> bool:
    return load_relaxng(path).is_valid(etree.fromstring(xml))


def test_interleave_group_choice_and_repetition(tmp_path: Path) -> None:
    g = grammar(tmp_path, f"""<element name="r" {RNG}><interleave>
      <element name="a"><empty/></element>
      <zeroOrMore><element name="b"><text/></element></zeroOrMore>
      <optional><group>
        <element name="c"><empty/></element><element name="d"><empty/></element>
      </group></optional>
    </interleave></element>""")
    assert ok(g, "<r><b>x</b><a/><b/></r>")
    assert ok(g, "<r><c/><a/><d/></r>")  # interleave lets a fall between c and d
    assert not ok(g, "<r><b/></r>")  # a is required
    assert not ok(g, "<r><a/><a/></r>")
    assert not ok(g, "<r><a/><d/><c/></r>")  # the group keeps its order


def test_mixed_list_data_value_and_except(tmp_path: Path) -> None:
    g = grammar(tmp_path, f"""<element name="r" {RNG} {XSD}>
      <attribute name="n"><list><oneOrMore><data type="integer"/></oneOrMore></list></attribute>
      <attribute name="k"><choice><value>one</value><value type="integer">2</value></choice></attribute>
      <mixed><zeroOrMore><element name="w">
        <data type="token"><except><value>bad</value></except></data>
      </element></zeroOrMore></mixed>
    </element>""")
    assert ok(g, '<r n="1 2  3" k=" one ">text <w>fine</w> more</r>')
    assert ok(g, '<r n="4" k="+02"/>')  # values compare in the value space
    assert not ok(g, '<r n="" k="one"/>')
    assert not ok(g, '<r n="1 x" k="one"/>')
    assert not ok(g, '<r n="1" k="three"/>')
    assert not ok(g, '<r n="1" k="one"><w>bad</w></r>')


def test_defines_combine_and_include_overrides(tmp_path: Path) -> None:
    base = f"""<grammar {RNG}><start><ref name="doc"/></start>
      <define name="doc"><element name="doc"><ref name="body"/></element></define>
      <define name="body"><element name="old"><empty/></element></define>
      <define name="extra" combine="choice"><element name="x"><empty/></element></define>
    </grammar>"""
    g = grammar(tmp_path, f"""<grammar {RNG}>
      <include href="base.rng">
        <define name="body"><oneOrMore><ref name="extra"/></oneOrMore></define>
      </include>
      <define name="extra" combine="choice"><element name="y"><empty/></element></define>
    </grammar>""", base_rng=base)
    assert ok(g, "<doc><x/><y/><x/></doc>")
    assert not ok(g, "<doc><old/></doc>")  # overridden by the include


def test_nested_grammar_parent_ref_and_external_ref(tmp_path: Path) -> None:
    g = grammar(tmp_path, f"""<grammar {RNG}>
      <start><element name="r">
        <grammar><start><element name="inner"><parentRef name="leaf"/></element></start>
        <define name="leaf"><element name="wrong"><empty/></element></define></grammar>
        <externalRef href="ext.rng"/></element></start>
      <define name="leaf"><element name="leaf"><empty/></element></define>
    </grammar>""", ext_rng=f'<element name="ext" {RNG}><text/></element>')
    assert ok(g, "<r><inner><leaf/></inner><ext>t</ext></r>")
    assert not ok(g, "<r><inner><wrong/></inner><ext/></r>")


def test_namespaces_and_name_classes(tmp_path: Path) -> None:
    g = grammar(tmp_path, f"""<element name="r" ns="urn:a" {RNG}><zeroOrMore><choice>
      <element><nsName ns="urn:b"/><empty/></element>
      <element><anyName><except><nsName/><nsName ns="urn:b"/></except></anyName><text/></element>
      </choice></zeroOrMore><attribute name="a:x" xmlns:a="urn:x"/></element>""")
    assert ok(g, '<r xmlns="urn:a" xmlns:x="urn:x" x:x="1"><b:q xmlns:b="urn:b"/><c xmlns="urn:c">t</c></r>')
    assert not ok(g, '<r xmlns="urn:a" xmlns:x="urn:x" x:x="1"><s/></r>')  # urn:a excluded
    assert not ok(g, '<r xmlns="urn:a"/>')  # the attribute is required


def test_ids_are_checked_as_the_grammar_types_them(tmp_path: Path) -> None:
    g = grammar(tmp_path, f"""<element name="r" {RNG} {XSD}><zeroOrMore><choice>
      <element name="t"><attribute name="id"><data type="ID"/></attribute></element>
      <element name="u"><attribute name="to"><data type="IDREFS"/></attribute></element>
      <element name="v"><attribute name="id"><text/></attribute></element>
    </choice></zeroOrMore></element>""")
    assert ok(g, '<r><t id="a"/><t id=" b "/><u to="a b"/><v id="a"/><v id="a"/></r>')
    assert not ok(g, '<r><t id="a"/><t id="a "/></r>')  # the same ID once collapsed
    assert not ok(g, '<r><u to="nowhere"/></r>')


def test_depth_is_not_limited_by_recursion(tmp_path: Path) -> None:
    # the walk and the derivatives are iterative in the document's depth: five times
    # Python's recursion limit (deeper trees only cost building them here)
    g = grammar(tmp_path, f"""<grammar {RNG}><start><ref name="d"/></start>
      <define name="d"><element name="d"><optional><ref name="d"/></optional></element></define></grammar>""")
    root = el = etree.Element("d")
    for _ in range(5_000):
        el = etree.SubElement(el, "d")
    compiled = load_relaxng(g)
    assert compiled.is_valid(root)
    etree.SubElement(el, "e")
    assert not compiled.is_valid(root)


@pytest.mark.parametrize(("text", "says"), [
    (f'<element name="r" {RNG}><ref name="nowhere"/></element>', 'undefined pattern "nowhere"'),
    (f'<grammar {RNG}><start><ref name="a"/></start><define name="a"><ref name="a"/></define></grammar>',
     "refers to itself"),
    (f'<element name="r" {RNG} {XSD}><data type="colour"/></element>', 'no datatype "colour"'),
    (f'<element name="r" {RNG} {XSD}><data type="token"><param name="pattern">[a</param></data></element>',
     "bad pattern"),
    (f'<grammar {RNG}><define name="a"><empty/></define></grammar>', "without <start>"),
    (f'<element name="r" {RNG}><externalRef href="http://example.org/x.rng"/></element>',
     "only local grammar files"),
    ('<element name="r"/>', "not a RELAX NG pattern"),
])
def test_unusable_grammars_are_usage_errors(tmp_path: Path, text: str, says: str) -> None:
    path = grammar(tmp_path, text)
    with pytest.raises(UsageError) as caught:
        load_relaxng(path)
    assert says in str(caught.value) and str(path) in str(caught.value)


def test_attribute_names_summarise_named_and_open_attributes(tmp_path: Path) -> None:
    """The attribute lookup skips the parts of a state that cannot hold an attribute
    of that name (#16); an open name class (any name, a namespace) is never skipped."""
    g = grammar(tmp_path, f"""<element name="r" {RNG}><interleave>
      <optional><attribute name="a"/></optional>
      <choice><attribute name="b"/><attribute name="c"/></choice>
      <zeroOrMore><attribute><nsName ns="urn:x"/></attribute></zeroOrMore>
      <element name="e"><optional><attribute name="f"/></optional><empty/></element>
    </interleave></element>""")
    compiled = load_relaxng(g)
    assert ok(g, '<r b="1"><e f="2"/></r>')
    assert ok(g, '<r xmlns:x="urn:x" a="1" c="2" x:any="3" x:other="4"><e/></r>')
    assert not ok(g, '<r f="1" b="2"><e/></r>')  # f belongs to e, not to r
    assert not ok(g, '<r xmlns:y="urn:y" b="1" y:any="2"><e/></r>')
    d, start = compiled.validator.d, compiled.rng.start
    opened = d.start_tag_open(start, ("", "r"))
    assert d.attribute_names(opened) is None  # the nsName attribute is open
    closed = grammar(tmp_path, g.read_text(encoding="utf-8").replace(
        '<attribute><nsName ns="urn:x"/></attribute>', '<attribute name="x:n" xmlns:x="urn:x"/>'),
        name="named.rng")
    named = load_relaxng(closed)
    state = named.validator.d.start_tag_open(named.rng.start, ("", "r"))
    assert named.validator.d.attribute_names(state) == {("", "a"), ("", "b"), ("", "c"),
                                                        ("urn:x", "n")}
    assert [c.a.local for c in d.attribute_candidates(opened, ("", "b"))] == ["b"]
    assert d.attribute_candidates(opened, ("", "f")) == ()
    assert len(d.attribute_candidates(opened, ("urn:x", "z"))) == 1
