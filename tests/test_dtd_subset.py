"""Older TEI with an internal DTD subset (issue 10): internal entities only,
expanded within bounds, nothing external ever opened; and the nesting depth
the hardened parser reads (2048, not libxml2's 256)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_tools import dtdsubset, xmlio
from tei_tools.cli import main
from tei_tools.errors import XmlInputError
from tei_tools.validation import validate

from conftest import TEI_ALL_RNG

FIXTURES = Path(__file__).parent / "fixtures" / "dtd"
TEI = "{http://www.tei-c.org/ns/1.0}"
HEADER = ("<teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p"
          "</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>")


def doc(subset: str, body: str = "<p>text</p>") -> bytes:
    return (f"<?xml version=\"1.0\"?>\n<!DOCTYPE TEI [\n{subset}\n]>\n"
            f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{HEADER}<text><body>{body}</body></text>'
            "</TEI>").encode()


def refused(data: bytes) -> XmlInputError:
    with pytest.raises(XmlInputError) as caught:
        xmlio.parse_bytes(data, "old.xml")
    return caught.value


def test_parameter_entities_only_are_read() -> None:
    path = FIXTURES / "parameter-entities.xml"
    tree = xmlio.parse_file(path)
    assert tree.findtext(f".//{TEI}title") == "Parameter entities only"
    report = validate([path], schema=TEI_ALL_RNG, jobs=1)
    assert report.ok and list(report.diagnostics()) == []


def test_character_and_text_entities_are_expanded_in_context() -> None:
    path = FIXTURES / "character-entities.xml"
    tree = xmlio.parse_file(path)
    assert tree.findtext(f".//{TEI}title") == "Café — entities"
    first = tree.find(f".//{TEI}body/{TEI}p")
    assert "".join(first.itertext()) == ("the editors of this edition—with thanks, and an "
                                         "emphasised word.")
    # markup in an entity value takes the namespace in scope where it is used
    (hi,) = first.findall(f"{TEI}hi")
    assert hi.get("rend") == "italic"
    assert tree.docinfo.internalDTD is None  # libxml2 never saw the declarations


def test_an_entity_document_is_validated_and_located() -> None:
    path = FIXTURES / "character-entities.xml"
    report = validate([path], schema=TEI_ALL_RNG, jobs=1)
    (nested,) = report.diagnostics()
    assert (nested.file, nested.line, nested.column, nested.code) == (
        str(path), 21, 10, "s-noNestedS")


def test_an_entity_document_can_be_queried() -> None:
    result = CliRunner().invoke(main, ["query", "string(//tei:title)",
                                       str(FIXTURES / "character-entities.xml")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Café — entities"


def test_references_in_attributes_comments_and_cdata() -> None:
    tree = xmlio.parse_bytes(doc('<!ENTITY q \'say "hi"\'>\n<!ENTITY n "1">',
                                 '<p n="&n;" rend="&q;">&q;<!-- &q; --><![CDATA[&q;]]></p>'),
                             "old.xml")
    p = tree.find(f".//{TEI}body/{TEI}p")
    assert (p.get("n"), p.get("rend")) == ("1", 'say "hi"')
    assert p.text == 'say "hi"'
    assert p[0].text == " &q; "  # a comment keeps the reference as written
    assert p[0].tail == "&q;"  # CDATA too


def test_lines_are_kept_after_the_doctype() -> None:
    tree = xmlio.parse_bytes(doc('<!ENTITY a "x">\n<!ENTITY b "y">', "<p>&a;</p>\n<p>&b;</p>"),
                             "old.xml")
    second = tree.findall(f".//{TEI}body/{TEI}p")[1]
    assert second.sourceline == 7  # as written: the DOCTYPE took lines 2 to 5


@pytest.mark.parametrize("subset, line, column, code, words", [
    ('<!ENTITY x SYSTEM "file:///etc/passwd">', 3, 1, "XML-ENTITY", "external entity 'x'"),
    ('<!ENTITY x PUBLIC "-//X//EN" "http://example.com/x">', 3, 1, "XML-ENTITY",
     "external entity 'x'"),
    ('<!ENTITY % p SYSTEM "x.dtd">', 3, 1, "XML-ENTITY", "external entity 'p'"),
    ('<!ENTITY img SYSTEM "a.png" NDATA png>', 3, 1, "XML-ENTITY", "external entity 'img'"),
    ('<!ENTITY % p "INCLUDE">\n%p;', 4, 1, "XML-ENTITY", "parameter entity '%p;'"),
    ('<!ENTITY x "%p;">', 3, 1, "XML-ENTITY", "refers to the parameter entity '%p;'"),
    ("<!ELEMENT p (#PCDATA)>", 3, 1, "XML-DTD", "declares an element type"),
    ('<!ATTLIST p rend CDATA "x">', 3, 1, "XML-DTD", "declares an attribute list"),
    ('<!NOTATION png SYSTEM "image/png">', 3, 1, "XML-DTD", "declares a notation"),
    ('<![INCLUDE[ <!ENTITY x "y"> ]]>', 3, 1, "XML-DTD", "declares a conditional section"),
    ('<!ENTITY a "&a;">', 3, 1, "XML-ENTITY", "refers to itself"),
    ('<!ENTITY a "&b;">\n<!ENTITY b "&a;">', 3, 1, "XML-ENTITY", "refers to itself"),
    ('<!ENTITY a "&nowhere;">', 3, 1, "XML-ENTITY", "'&nowhere;', which is not declared"),
])
def test_anything_but_internal_entities_is_refused_with_its_rule(
        subset: str, line: int, column: int, code: str, words: str) -> None:
    error = refused(doc(subset))
    assert (error.line, error.column, error.code) == (line, column, code)
    assert words in error.message


def test_an_external_dtd_is_refused_even_with_a_subset() -> None:
    data = doc('<!ENTITY a "x">').replace(b"<!DOCTYPE TEI [", b'<!DOCTYPE TEI SYSTEM "tei.dtd" [')
    error = refused(data)
    assert error.code == "XML-DTD" and "external DTD (tei.dtd)" in error.message


def test_depth_of_entities_is_bounded() -> None:
    chain = "\n".join(f'<!ENTITY e{i} "&e{i - 1};">' for i in range(1, 11))
    error = refused(doc('<!ENTITY e0 "x">\n' + chain, "<p>&e10;</p>"))
    assert "through more than 8 levels" in error.message and error.code == "XML-ENTITY"
    # eight levels are fine
    chain = "\n".join(f'<!ENTITY e{i} "&e{i - 1};">' for i in range(1, 9))
    tree = xmlio.parse_bytes(doc('<!ENTITY e0 "x">\n' + chain, "<p>&e8;</p>"), "old.xml")
    assert tree.find(f".//{TEI}body/{TEI}p").text == "x"


def test_size_of_one_entity_is_bounded() -> None:
    fan = "\n".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 7))
    error = refused(doc('<!ENTITY l0 "lol">\n' + fan, "<p>&l6;</p>"))
    assert error.line == 9  # l6 = 3,000,000 characters
    assert "'l6' that expands to more than 1 MiB" in error.message


def test_total_expansion_in_the_document_is_bounded() -> None:
    big = "x" * 100_000
    error = refused(doc(f'<!ENTITY big "{big}">', "<p>" + "&big;" * 200 + "</p>"))
    assert "expand to more than 16 MiB" in error.message
    tree = xmlio.parse_bytes(doc(f'<!ENTITY big "{big}">', "<p>" + "&big;" * 100 + "</p>"),
                             "old.xml")
    assert len(tree.find(f".//{TEI}body/{TEI}p").text) == 10_000_000


def test_limits_are_what_the_docs_say() -> None:
    assert (dtdsubset.MAX_ENTITY_CHARS, dtdsubset.MAX_ENTITY_DEPTH,
            dtdsubset.MAX_TOTAL_CHARS) == (1024 * 1024, 8, 16 * 1024 * 1024)


def deep(levels: int) -> bytes:
    return (f'<TEI xmlns="http://www.tei-c.org/ns/1.0">{HEADER}<text><body><p>'
            + "<hi>" * levels + "x" + "</hi>" * levels + "</p></body></text></TEI>").encode()


def test_documents_nested_deeper_than_256_levels_are_read_and_validated(tmp_path: Path) -> None:
    path = tmp_path / "deep.xml"
    path.write_bytes(deep(2000))
    assert sum(1 for _ in xmlio.parse_file(path).iter(f"{TEI}hi")) == 2000
    report = validate([path], schema=TEI_ALL_RNG, jobs=1)  # RELAX NG and embedded Schematron
    assert report.ok and list(report.diagnostics()) == []


def test_deeper_than_the_limit_is_said_as_such(tmp_path: Path) -> None:
    error = refused(deep(xmlio.MAX_DEPTH + 10))
    assert error.code == "XML-DEPTH"
    assert error.message.startswith(f"elements nested deeper than {xmlio.MAX_DEPTH} levels")
    assert "not well-formed" not in error.message


def test_a_value_with_line_breaks_keeps_the_lines_and_the_text() -> None:
    value = "two\nlines <hi\nrend='x'>and\nmarkup</hi>"
    tree = xmlio.parse_bytes(doc(f'<!ENTITY m "{value}">\n<!ENTITY a "a\nb">',
                                 '<p n="&a;">&m;</p>\n<p>after</p>'), "old.xml")
    first, second = tree.findall(f".//{TEI}body/{TEI}p")
    assert "".join(first.itertext()) == "two\nlines and\nmarkup"
    assert first.find(f"{TEI}hi").get("rend") == "x"
    assert first.get("n") == "a b"  # XML normalises whitespace in attribute values
    assert second.sourceline == 11  # as written (the subset spans lines 2 to 9)
