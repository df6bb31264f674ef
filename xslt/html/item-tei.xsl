<?xml version="1.0" encoding="UTF-8"?>
<!--
  One TEI document per unit (downloads/items/{unit}.xml, included by
  edition.xsl): a header made from the edition's (title and authors of the
  unit, the edition's responsibility, publication and encoding statements,
  the unit's source), the unit itself
  as the body (with the page break it starts on), and the register entries
  it points to in a standOff, so its @ref pointers resolve inside the file.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    xmlns="http://www.tei-c.org/ns/1.0"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:output name="tei" method="xml" encoding="UTF-8" indent="no"/>
  <xsl:mode name="tt:copy" on-no-match="shallow-copy" on-multiple-match="fail" warning-on-no-match="false"/>

  <!-- The parts of the edition's header every unit's file repeats, copied
       once (not once per unit: the header is most of a unit's file). -->
  <xsl:variable name="tt:item-responsibility" as="node()*">
    <xsl:apply-templates select="$tt:header/tei:fileDesc/tei:titleStmt/(tei:editor | tei:respStmt)" mode="tt:copy"/>
  </xsl:variable>
  <xsl:variable name="tt:item-publication" as="node()*">
    <xsl:apply-templates select="$tt:header/tei:fileDesc/tei:publicationStmt/node()" mode="tt:copy"/>
  </xsl:variable>
  <!-- The encoding description whole: the edition's editorial declarations
       are the principles the unit's text was edited by (its own corrections
       are encoded in place; the lists' pointers into other units name where
       the same principles were applied in the whole edition). -->
  <xsl:variable name="tt:item-declarations" as="node()*">
    <xsl:apply-templates select="$tt:header/(tei:encodingDesc | tei:profileDesc | tei:revisionDesc)" mode="tt:copy"/>
  </xsl:variable>

  <!-- Those parts serialised once (written as they are into every unit's file:
       serialising the same header again per unit was half of an item file's cost,
       #12). Serialised inside a teiHeader, cut out of it: their namespace
       declarations are those they get inside the file's own teiHeader. -->
  <xsl:variable name="tt:item-responsibility-text" as="xs:string" select="tt:serialised-in-header($tt:item-responsibility)"/>
  <xsl:variable name="tt:item-publication-text" as="xs:string" select="tt:serialised-in-header($tt:item-publication)"/>
  <xsl:variable name="tt:item-declarations-text" as="xs:string" select="tt:serialised-in-header($tt:item-declarations)"/>

  <!-- A register entry as the item files write it in their standOff (cleaned by
       tt:copy-clean), serialised once however many units point to it (cache). -->
  <xsl:function name="tt:item-entry-text" as="xs:string" cache="yes">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="copy" as="node()*">
      <xsl:call-template name="tt:copy-clean"><xsl:with-param name="nodes" select="$entry"/></xsl:call-template>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-header($copy)"/>
  </xsl:function>

  <!-- Nodes as the item files' serialisation writes them inside a TEI element
       (the default namespace TEI's, no other declaration in scope). -->
  <xsl:function name="tt:serialised-in-header" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="wrapper" as="element()"><teiHeader><xsl:sequence select="$nodes"/></teiHeader></xsl:variable>
    <xsl:sequence select="tt:serialised-content($wrapper, map{'method': 'xml', 'indent': false(), 'omit-xml-declaration': true()})"/>
  </xsl:function>

  <xsl:template name="tt:item-tei" as="empty-sequence()">
    <xsl:param name="unit" as="element()"/>
    <xsl:variable name="source" as="element()?" select="tt:source-of($unit)"/>
    <xsl:variable name="entries" as="element()*" select="
        ($unit//@ref ! tt:targets(.))[exists(tt:register-of(.))] / ."/>
    <xsl:result-document href="{tt:item-download($unit, 'xml')}" format="tei">
      <TEI>
        <xsl:copy-of select="/*/@xml:lang"/>
        <teiHeader>
          <fileDesc>
            <titleStmt>
              <title type="main">{tt:title-of($unit)}</title>
              <xsl:call-template name="tt:copy-clean"><xsl:with-param name="nodes" select="$source/tei:analytic/tei:author"/></xsl:call-template>
              <xsl:value-of select="$tt:item-responsibility-text" disable-output-escaping="yes"/>
            </titleStmt>
            <publicationStmt>
              <xsl:value-of select="$tt:item-publication-text" disable-output-escaping="yes"/>
              <xsl:if test="$tt:edition-idno">
                <idno type="part">{$tt:edition-idno}/{tt:unit-file($unit)}</idno>
              </xsl:if>
            </publicationStmt>
            <sourceDesc>
              <bibl type="edition">{$tt:edition-title}<xsl:if test="$tt:edition-date != ''">, <date when="{$tt:edition-date}">{$tt:edition-date}</date></xsl:if></bibl>
              <xsl:call-template name="tt:copy-clean"><xsl:with-param name="nodes" select="$source"/></xsl:call-template>
            </sourceDesc>
          </fileDesc>
          <xsl:value-of select="$tt:item-declarations-text" disable-output-escaping="yes"/>
        </teiHeader>
        <text>
          <body>
            <!-- a whole body (a text without divisions) gives its content -->
            <xsl:call-template name="tt:copy-clean">
              <xsl:with-param name="nodes" select="tt:leading-pb-of($unit), if ($unit/self::tei:body) then $unit/node() else $unit"/>
            </xsl:call-template>
          </body>
        </text>
        <xsl:if test="exists($entries)">
          <standOff>
            <xsl:for-each-group select="$entries" group-by="local-name(..)">
              <xsl:element name="{current-grouping-key()}" namespace="http://www.tei-c.org/ns/1.0">
                <xsl:value-of select="string-join(current-group() ! tt:item-entry-text(.))" disable-output-escaping="yes"/>
              </xsl:element>
            </xsl:for-each-group>
          </standOff>
        </xsl:if>
      </TEI>
    </xsl:result-document>
  </xsl:template>

  <!-- Comments and processing instructions of the edition are not copied. -->
  <xsl:template match="processing-instruction() | comment()" mode="tt:copy" as="empty-sequence()"/>

  <!-- Nodes copied without their comments and processing instructions: copied
       whole (one deep copy) when they hold none, else node by node. -->
  <xsl:template name="tt:copy-clean" as="node()*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:choose>
      <xsl:when test="exists($nodes/descendant-or-self::node()[self::comment() or self::processing-instruction()])">
        <xsl:apply-templates select="$nodes" mode="tt:copy"/>
      </xsl:when>
      <xsl:otherwise><xsl:copy-of select="$nodes"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
