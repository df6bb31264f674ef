"""What the ODD processor does not implement is refused, at its line, by name.

Never silently dropped: each case is a small ODD in a temporary folder; the
error names the file, the line of the construct and the construct itself,
and ``tei-tools odd compile`` turns it into one line on stderr and exit 1.
Things the TEI itself skips (a ``specGrpRef`` to nothing) are warnings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tei_tools.cli import main
from tei_tools.errors import XmlInputError
from tei_tools.odd import OddError, compile_odd

HEAD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:rng="http://relaxng.org/ns/structure/1.0">'
        "<teiHeader><fileDesc><titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p>"
        "</publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader><text><body>\n")
TAIL = "\n</body></text></TEI>\n"


def _odd(tmp_path: Path, schema_body: str, extra: str = "") -> Path:
    f = tmp_path / "c.odd"
    f.write_text(HEAD + extra + '<schemaSpec ident="c">\n<moduleRef key="tei"/>\n'
                 '<moduleRef key="core" include="p"/>\n' + schema_body + "\n</schemaSpec>" + TAIL,
                 encoding="utf-8")
    return f


REFUSED = {
    "moduleRef @url": ('<moduleRef url="http://example.org/m.rng"/>', "moduleRef url", 5),
    "specGrp in schemaSpec": ('<specGrp><elementSpec ident="x" mode="add"/></specGrp>',
                              "<specGrp>", 5),
    "unknown child": ("<attDef ident='x'/>", "<attDef>", 5),
    "unknown spec mode": ('<elementSpec ident="p" mode="merge"/>', 'mode="merge"', 5),
    "rng:externalRef in content": (
        '<elementSpec ident="x" mode="add"><content>\n<rng:externalRef href="x.rng"/>'
        "</content></elementSpec>", "rng:externalRef", 6),
    "unknown element in content": (
        '<elementSpec ident="x" mode="add"><content>\n<choice/></content></elementSpec>',
        "<choice>", 6),
    "other constraint language": (
        '<elementSpec ident="p" mode="change">\n<constraintSpec ident="c" scheme="xsd">'
        "<constraint/></constraintSpec></elementSpec>", 'scheme="xsd"', 6),
    "reference to nothing": ('<elementRef key="noSuchElement"/>', "noSuchElement", 5),
    "module that does not exist": ('<moduleRef key="nosuchmodule"/>', "nosuchmodule", 5),
    "spec from another source": ('<elementSpec ident="p" mode="change" source="x.xml"/>',
                                 'source="…"', 5),
    "remote @source": ('<moduleRef key="core" source="https://tei-c.org/p5subset.xml"/>',
                       "never the network", 5),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_unsupported_is_refused_with_its_line(tmp_path, case):
    body, named, line = REFUSED[case]
    odd = _odd(tmp_path, body)
    with pytest.raises(OddError) as info:
        compile_odd(odd)
    assert info.value.line == line
    assert named in info.value.message
    assert str(info.value).startswith(f"{odd}:{line}: error: ")


def test_cli_one_line_and_exit_1(tmp_path):
    odd = _odd(tmp_path, REFUSED["moduleRef @url"][0])
    result = CliRunner().invoke(main, ["odd", "compile", str(odd), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and ":5: error: " in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_cli_missing_file_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["odd", "compile", str(tmp_path / "none.odd"),
                                       "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_not_an_odd(tmp_path):
    f = tmp_path / "doc.xml"
    f.write_text(HEAD + "<p>no schema here</p>" + TAIL, encoding="utf-8")
    with pytest.raises(OddError, match="no <schemaSpec>"):
        compile_odd(f)


def test_hostile_xml_is_refused(tmp_path):
    f = tmp_path / "evil.odd"
    f.write_text('<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                 "\n" + HEAD + "<p>&x;</p>" + TAIL, encoding="utf-8")
    with pytest.raises(XmlInputError) as info:
        compile_odd(f)
    assert info.value.code == "XML-ENTITY"


def test_what_the_tei_skips_is_a_warning(tmp_path):
    odd = _odd(tmp_path, '<specGrpRef target="#nothing"/>\n<moduleRef key="header" '
                         'include="teiHeader nosuch"/>')
    result = compile_odd(odd)
    codes = [(w.code, w.line) for w in result.warnings]
    assert codes == [("ODD-SPECGRP", 5), ("ODD-MODULE", 6)]


def test_adding_a_value_that_is_already_there(tmp_path):
    odd = _odd(tmp_path, '<elementSpec ident="p" mode="change"><attList><attDef ident="x" '
                         'mode="add"/></attList></elementSpec>\n'
                         '<elementSpec ident="list" mode="change"><attList>'
                         '<attDef ident="type" mode="change"><valList type="semi" mode="change">\n'
                         '<valItem ident="gloss" mode="add"/></valList></attDef></attList>'
                         "</elementSpec>", extra="")
    odd.write_text(odd.read_text(encoding="utf-8").replace('include="p"', 'include="p list item"'),
                   encoding="utf-8")
    with pytest.raises(OddError) as info:
        compile_odd(odd)
    assert info.value.line == 7 and 'valItem ident="gloss" mode="add"' in info.value.message
    assert info.value.file == str(odd)


_BARE_SCHEMA = ('<schemaSpec xmlns="http://www.tei-c.org/ns/1.0" ident="c" start="TEI">'
                '<moduleRef key="tei"/><moduleRef key="core" include="p"/><moduleRef key="header"/>'
                '<moduleRef key="textstructure"/></schemaSpec>')


def test_a_schemaspec_that_is_the_whole_file_compiles(tmp_path):
    f = tmp_path / "bare.odd"
    f.write_text(_BARE_SCHEMA, encoding="utf-8")
    result = compile_odd(f)
    root = etree.fromstring(result.compiled_odd)
    assert root.tag == "{http://www.tei-c.org/ns/1.0}schemaSpec" and root.get("ident") == "c"
    assert root.nsmap.get(None) == "http://www.tei-c.org/ns/1.0"  # written as it was, no ns0:
    assert root.find("{http://www.tei-c.org/ns/1.0}elementSpec[@ident='p']") is not None
    assert b'name="p"' in result.rng


def test_a_specgrp_as_the_whole_file_is_refused_with_its_line(tmp_path):
    f = tmp_path / "grp.odd"
    f.write_text('<specGrp xmlns="http://www.tei-c.org/ns/1.0" xml:id="g">\n'
                 + _BARE_SCHEMA + "</specGrp>", encoding="utf-8")
    result = CliRunner().invoke(main, ["odd", "compile", str(f), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith(f"{f}:1: error: a <specGrp> cannot be the document element")
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())
