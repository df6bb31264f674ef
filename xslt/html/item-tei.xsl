<?xml version="1.0" encoding="UTF-8"?>
<!--
  One TEI document per unit (downloads/items/{unit}.xml, included by
  edition.xsl): a header made from the edition's (title and authors of the
  unit, the edition's responsibility, publication and encoding statements,
  the unit's source), the unit itself as the body (with the page break it
  starts on), and the register entries it points to in a standOff, so its
  @ref pointers resolve inside the file.
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

  <!-- The parts of the edition's header every unit's file repeats (they are
       most of a unit's file), copied once and serialised once: each file
       writes the same characters (disable-output-escaping) instead of
       serialising the same nodes again. A part is serialised standing alone,
       so its start tag declares the TEI namespace, which inside the file's
       TEI element the serialiser would leave out: that declaration is taken
       out of the string (once per part). -->
  <xsl:variable name="tt:item-responsibility" as="xs:string">
    <xsl:variable name="nodes" as="node()*">
      <xsl:apply-templates select="$tt:header/tei:fileDesc/tei:titleStmt/(tei:editor | tei:respStmt)" mode="tt:copy"/>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-tei($nodes)"/>
  </xsl:variable>
  <xsl:variable name="tt:item-publication" as="xs:string">
    <xsl:variable name="nodes" as="node()*">
      <xsl:apply-templates select="$tt:header/tei:fileDesc/tei:publicationStmt/node()" mode="tt:copy"/>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-tei($nodes)"/>
  </xsl:variable>
  <xsl:variable name="tt:item-declarations" as="xs:string">
    <xsl:variable name="nodes" as="node()*">
      <xsl:apply-templates select="$tt:header/(tei:encodingDesc | tei:profileDesc | tei:revisionDesc)" mode="tt:copy"/>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-tei($nodes)"/>
  </xsl:variable>

  <!-- Nodes as the "tei" output serialises them inside a TEI element. -->
  <xsl:function name="tt:serialised-in-tei" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="string-join($nodes ! (
        if (. instance of element()) then replace(serialize(., $tt:tei-serialisation),
            '^(&lt;[^>]*?) xmlns=&quot;http://www\.tei-c\.org/ns/1\.0&quot;', '$1')
        else serialize(., $tt:tei-serialisation)))"/>
  </xsl:function>
  <xsl:variable name="tt:tei-serialisation" as="map(*)"
      select="map{'method': 'xml', 'encoding': 'UTF-8', 'indent': false(), 'omit-xml-declaration': true()}"/>

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
              <xsl:apply-templates select="$source/tei:analytic/tei:author" mode="tt:copy"/>
              <xsl:value-of select="$tt:item-responsibility" disable-output-escaping="yes"/>
            </titleStmt>
            <publicationStmt>
              <xsl:value-of select="$tt:item-publication" disable-output-escaping="yes"/>
              <xsl:if test="$tt:edition-idno">
                <idno type="part">{$tt:edition-idno}/{tt:unit-file($unit)}</idno>
              </xsl:if>
            </publicationStmt>
            <sourceDesc>
              <bibl type="edition">{$tt:edition-title}<xsl:if test="$tt:edition-date != ''">, <date when="{$tt:edition-date}">{$tt:edition-date}</date></xsl:if></bibl>
              <xsl:apply-templates select="$source" mode="tt:copy"/>
            </sourceDesc>
          </fileDesc>
          <xsl:value-of select="$tt:item-declarations" disable-output-escaping="yes"/>
        </teiHeader>
        <text>
          <body>
            <!-- a whole body (a text without divisions) gives its content -->
            <xsl:apply-templates select="tt:leading-pb-of($unit), if ($unit/self::tei:body) then $unit/node() else $unit" mode="tt:copy"/>
          </body>
        </text>
        <xsl:if test="exists($entries)">
          <standOff>
            <xsl:for-each-group select="$entries" group-by="local-name(..)">
              <xsl:element name="{current-grouping-key()}" namespace="http://www.tei-c.org/ns/1.0">
                <xsl:apply-templates select="current-group()" mode="tt:copy"/>
              </xsl:element>
            </xsl:for-each-group>
          </standOff>
        </xsl:if>
      </TEI>
    </xsl:result-document>
  </xsl:template>

  <!-- Comments and processing instructions of the edition are not copied. -->
  <xsl:template match="processing-instruction() | comment()" mode="tt:copy" as="empty-sequence()"/>

</xsl:stylesheet>
