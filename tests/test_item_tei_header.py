"""The header parts every unit's TEI file repeats (downloads/items/{unit}.xml) are
serialised once and written as characters (#12): the file must hold what a copy of
them held — the same elements, attributes and text (markup characters escaped),
without the edition's comments and processing instructions, namespaces declared as
a copy inside the file's TEI element declares them (the TEI namespace only on the
root, another namespace where it is used)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from tei_tools import xmlio
from tei_tools.publish.build import BuildOptions, build
from tei_tools.saxon import SaxonSession

from conftest import REPO, mini_variant

EX = "http://www.tei-c.org/ns/Examples"
TEI_DECL = b'xmlns="http://www.tei-c.org/ns/1.0"'

# a project description with what a serialisation must get right: markup characters
# in text and attributes, a carriage return, a comment and a processing instruction
# (left out), an example in the TEI Examples namespace, an attribute in another one
PROJECT = (
    '<projectDesc>\n        <p n="a &amp; &lt;b&gt; &quot;c&quot;">测试样本 &amp; &lt;标记&gt; "引号"&#13;'
    '<!-- an editor\'s comment --><?tt-note not copied?></p>\n'
    f'        <p xmlns:xlink="http://www.w3.org/1999/xlink" xlink:type="simple">例：<egXML xmlns="{EX}">'
    '<p rend="x">示例 &amp; <hi>强调</hi></p></egXML></p>\n      </projectDesc>')


MINI_PROJECT = "<projectDesc>\n        <p>测试样本。</p>\n      </projectDesc>"


def _without_comments(e: etree._Element) -> etree._Element:
    e = etree.fromstring(etree.tostring(e))
    for n in e.xpath("//comment() | //processing-instruction()"):
        if n.tail:
            prev = n.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + n.tail
            else:
                n.getparent().text = (n.getparent().text or "") + n.tail
        n.getparent().remove(n)
    return e


def _c14n(e: etree._Element) -> bytes:
    return etree.tostring(e, method="c14n", exclusive=True)


def test_the_repeated_header_parts_are_what_a_copy_of_them_was(tmp_path: Path) -> None:
    source, _ = mini_variant(tmp_path, MINI_PROJECT, PROJECT)
    out = tmp_path / "dist"
    build(source, out, BuildOptions(formats=("html",), validate=False))
    items = sorted((out / "html" / "downloads" / "items").glob("*.xml"))
    assert len(items) >= 2
    header = xmlio.parse_file(source).getroot().find(f"{{{xmlio.TEI_NS}}}teiHeader")
    assert header is not None
    for item in items:
        data = item.read_bytes()
        # the TEI namespace declared once, on the root; nothing of the comment or PI
        assert data.count(TEI_DECL) == 1, item.name
        assert b"editor's comment" not in data and b"tt-note" not in data
        got = etree.fromstring(data).find(f"{{{xmlio.TEI_NS}}}teiHeader")
        assert got is not None
        for part in ("encodingDesc", "profileDesc", "revisionDesc"):
            want = header.find(f"{{{xmlio.TEI_NS}}}{part}")
            have = got.find(f"{{{xmlio.TEI_NS}}}{part}")
            assert want is not None and have is not None, part
            assert _c14n(have) == _c14n(_without_comments(want)), (item.name, part)
        ex = got.find(f".//{{{EX}}}egXML")
        assert ex is not None and ex.find(f"{{{EX}}}p/{{{EX}}}hi") is not None
        stmt = got.find(f"{{{xmlio.TEI_NS}}}fileDesc/{{{xmlio.TEI_NS}}}publicationStmt")
        want_stmt = header.find(f"{{{xmlio.TEI_NS}}}fileDesc/{{{xmlio.TEI_NS}}}publicationStmt")
        assert stmt is not None and want_stmt is not None
        # the unit's own part identifier follows the edition's publication statement
        assert [c.tag for c in stmt][:len(want_stmt)] == [c.tag for c in want_stmt]


# the parts written both ways, each in an item file's context: copied as nodes (as
# before) and as the characters serialised once (edition.xsl uses XSLT packages, so
# it is included, not imported: the probe's "/" template wins by its priority)
BOTH_WAYS = f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tt="urn:x-tei-tools" xmlns="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="#all">
  <xsl:include href="{(REPO / 'xslt' / 'html' / 'edition.xsl').as_uri()}"/>
  <xsl:template match="/" priority="1">
    <xsl:result-document href="copied.xml" format="tei"><TEI><teiHeader><titleStmt>
      <xsl:sequence select="$tt:item-responsibility"/>
      </titleStmt><publicationStmt>
      <xsl:sequence select="$tt:item-publication"/></publicationStmt>
      <xsl:sequence select="$tt:item-declarations"/>
      </teiHeader></TEI></xsl:result-document>
    <xsl:result-document href="written.xml" format="tei"><TEI><teiHeader><titleStmt>
      <xsl:value-of select="$tt:item-responsibility-text" disable-output-escaping="yes"/>
      </titleStmt><publicationStmt>
      <xsl:value-of select="$tt:item-publication-text" disable-output-escaping="yes"/></publicationStmt>
      <xsl:value-of select="$tt:item-declarations-text" disable-output-escaping="yes"/>
      </teiHeader></TEI></xsl:result-document>
  </xsl:template>
</xsl:stylesheet>"""


def test_the_parts_written_as_characters_are_the_bytes_a_copy_wrote(tmp_path: Path) -> None:
    source, _ = mini_variant(tmp_path, MINI_PROJECT, PROJECT)
    probe = tmp_path / "both-ways.xsl"
    probe.write_text(BOTH_WAYS, encoding="utf-8")
    session = SaxonSession()
    out = tmp_path / "out"
    session.stylesheet(str(probe)).run(session.load_source(source, xmlio.parse_file(source)), out)
    copied = (out / "copied.xml").read_bytes()
    assert b"egXML" in copied and b"&amp; &lt;" in copied and b"&#xD;" in copied
    assert (out / "written.xml").read_bytes() == copied
