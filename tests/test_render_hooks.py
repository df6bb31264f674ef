"""The core's hook interface (issue 12): a hook gets its node and what the core
computed for it, and writes the node's content itself with mode ``tt:content``
(``tt:other`` for a correction's other reading), so the core alone decides what
the content is and no level copies the text below it.

A probe layer uses the core's package (``core/core.xsl``) and overrides the hooks with visible
brackets; what it writes for a small document shows what the core hands each
hook and what ``tt:content`` holds for each element kind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_tools.errors import BuildError
from tei_tools.saxon import SaxonSession

REPO = Path(__file__).resolve().parents[1]

LAYER = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools" exclude-result-prefixes="#all">
  <xsl:use-package name="urn:x-tei-tools:core" package-version="1.0">
    <xsl:override>
      <xsl:variable name="tt:root" as="document-node()" select="/"/>
      {hooks}
    </xsl:override>
  </xsl:use-package>
  <xsl:template match="/" as="xs:string">
    <xsl:variable name="parts" as="item()*">
      <xsl:apply-templates select="//tei:body" mode="render"/>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($parts ! string(.)))"/>
  </xsl:template>
</xsl:stylesheet>"""

HOOKS = """
  <xsl:template name="tt:block" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:sequence select="'[' || $class || ':'"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
    <xsl:sequence select="']'"/>
  </xsl:template>
  <xsl:template name="tt:inline" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:sequence select="'(' || $class || ':'"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
    <xsl:sequence select="')'"/>
  </xsl:template>
  <xsl:template name="tt:correction" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:sequence select="'{'"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
    <xsl:sequence select="'|'"/>
    <xsl:apply-templates select="$node" mode="tt:other"/>
    <xsl:sequence select="'|' || $label || '}'"/>
  </xsl:template>
  <xsl:template name="tt:link" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="href" as="xs:string?"/>
    <xsl:sequence select="'«' || $href || '='"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
    <xsl:sequence select="'»'"/>
  </xsl:template>
"""

DOCUMENT = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
  <titleStmt><title>t</title></titleStmt><publicationStmt><p>p</p></publicationStmt>
  <sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>
<text><body><div xml:id="d1"><head>标题</head>
  <p>甲<hi rend="bold">乙<emph>丙</emph></hi><choice><sic>丁</sic><corr>戊</corr></choice><corr\
>己</corr><figure><graphic url="x.png"/></figure><ptr target="#d1"/></p>
</div></body></text></TEI>"""


@pytest.fixture(scope="module")
def session() -> SaxonSession:
    return SaxonSession()


def _run(session: SaxonSession, tmp_path: Path, hooks: str, reading: str = "regularised") -> str:
    layer = tmp_path / "layer.xsl"
    layer.write_text(LAYER.format(hooks=hooks), encoding="utf-8")
    doc = tmp_path / "doc.xml"
    doc.write_text(DOCUMENT, encoding="utf-8")
    # an absolute name: the session compiles that file (outside xslt/)
    return session.stylesheet(str(layer)).run(session.load_source(doc), tmp_path / "out",
                                              {"reading": reading}).principal


def test_hooks_write_the_content_the_core_defines(session: SaxonSession, tmp_path: Path) -> None:
    out = _run(session, tmp_path, HOOKS)
    # nested inlines each wrap their own content once; a choice shows the
    # reading chosen and gives the other branch through tt:other; a correction
    # alone has no other reading; a graphic's content is the core's 〔图像〕;
    # a pointer's content is its target's head (tt:plain), its href the core's
    assert out == ("[body:[div:[head:标题] [p:甲(hi rend-bold:乙(emph:丙)){戊|丁|原文作“丁”}"
                   "{己||编者校改}[figure:(graphic:〔图像〕)]«#d1=标题»] ]]")


def test_the_reading_decides_what_tt_content_and_tt_other_hold(session: SaxonSession, tmp_path: Path) -> None:
    out = _run(session, tmp_path, HOOKS, reading="diplomatic")
    assert "{丁|戊|编者校改为“戊”}" in out


def test_the_core_defaults_pass_the_content_through(session: SaxonSession, tmp_path: Path) -> None:
    # no hook overridden: the core's defaults write each node's content as is
    assert _run(session, tmp_path, "") == "标题 甲乙丙戊己〔图像〕标题"


def test_a_hook_is_not_given_its_content_as_a_value(session: SaxonSession, tmp_path: Path) -> None:
    # the old interface (a $content parameter) is gone: a layer still declaring
    # it as required is told so when compiled, not silently given nothing (the
    # hooks are components of the core's package: the override must keep their signature)
    old = """<xsl:template name="tt:inline" as="item()*">
      <xsl:param name="node" as="element()"/><xsl:param name="class" as="xs:string"/>
      <xsl:param name="content" as="item()*" required="yes"/>
      <xsl:sequence select="$content"/></xsl:template>"""
    with pytest.raises(BuildError, match=r"XTSE3070.*required parameter"):
        _run(session, tmp_path, old)
