<?xml version="1.0" encoding="UTF-8"?>
<!-- Guidelines ch. 4 (default text structure), 3.7 (lists), 3.13 (quotation),
     14 (tables, figures), 3.3 (highlighting), page and line breaks. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:template match="text()" mode="render" as="text()?">
    <xsl:value-of select="."/>
  </xsl:template>

  <!-- Containers. -->
  <xsl:template match="tei:text | tei:group | tei:front | tei:body | tei:back | tei:floatingText
      | tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7
      | tei:lg | tei:list | tei:listBibl | tei:table | tei:row | tei:cell | tei:item | tei:sp | tei:spGrp
      | tei:titlePage | tei:docTitle | tei:titlePart | tei:docAuthor | tei:docDate | tei:docImprint
      | tei:docEdition | tei:byline | tei:dateline | tei:opener | tei:closer | tei:salute | tei:signed
      | tei:trailer | tei:epigraph | tei:argument | tei:postscript | tei:speaker | tei:castList
      | tei:castItem | tei:castGroup | tei:imprimatur | tei:docSale" mode="render" as="item()*">
    <xsl:call-template name="tt:block-or-inline">
      <xsl:with-param name="class" select="local-name() || (if (@type) then ' ' || local-name() || '-' || replace(@type, '[^A-Za-z0-9\-]', '') else '')"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:l" mode="render" as="item()*">
    <xsl:call-template name="tt:block-or-inline">
      <xsl:with-param name="class" select="'l'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:figure" mode="render" as="item()*">
    <xsl:call-template name="tt:block-or-inline">
      <xsl:with-param name="class" select="'figure'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:figDesc" mode="render" as="item()*">
    <xsl:call-template name="tt:inline">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="class" select="'figdesc'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:graphic | tei:media" mode="render" as="item()*">
    <xsl:call-template name="tt:inline">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="class" select="'graphic'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:graphic | tei:media" mode="tt:content" as="item()*">
    <xsl:value-of select="'〔图像〕'"/>
    <xsl:apply-templates mode="render"/>
  </xsl:template>

  <!-- Items of a list carry an optional label as a sibling. -->
  <xsl:template match="tei:label" mode="render" as="item()*">
    <xsl:call-template name="tt:inline">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="class" select="'label'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:head" mode="render" as="item()*">
    <xsl:choose>
      <xsl:when test="parent::*[starts-with(local-name(), 'div') or self::tei:body or self::tei:front
                      or self::tei:back or self::tei:group or self::tei:text] and not(tt:in-phrasing(.))">
        <xsl:call-template name="tt:heading">
          <xsl:with-param name="node" select="."/>
          <xsl:with-param name="level" select="tt:heading-level(.)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="tt:block-or-inline">
          <xsl:with-param name="class" select="'head'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab" mode="render" as="item()*">
    <xsl:choose>
      <xsl:when test="tt:in-phrasing(.)">
        <xsl:call-template name="tt:block-or-inline">
          <xsl:with-param name="class" select="local-name()"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="tt:paragraph">
          <xsl:with-param name="node" select="."/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Quotation: inline unless it holds paragraphs or verse. -->
  <xsl:template match="tei:quote | tei:q | tei:said | tei:cit" mode="render" as="item()*">
    <xsl:choose>
      <xsl:when test="tt:has-blocks(.) and not(tt:in-phrasing(.))">
        <xsl:call-template name="tt:block">
          <xsl:with-param name="node" select="."/>
          <xsl:with-param name="class" select="'quote'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="tt:inline">
          <xsl:with-param name="node" select="."/>
          <xsl:with-param name="class" select="local-name()"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Highlighting and other phrase-level elements. -->
  <xsl:template match="tei:hi | tei:emph | tei:foreign | tei:term | tei:mentioned | tei:soCalled
      | tei:distinct | tei:gloss | tei:num | tei:measure | tei:measureGrp | tei:seg | tei:s | tei:w
      | tei:c | tei:pc | tei:g | tei:code | tei:ident | tei:gi | tei:att | tei:val | tei:tag
      | tei:fw | tei:bibl | tei:biblStruct | tei:author | tei:editor | tei:publisher | tei:pubPlace
      | tei:biblScope | tei:idno | tei:imprint | tei:analytic | tei:monogr | tei:series | tei:email
      | tei:address | tei:addrLine | tei:street | tei:postCode | tei:formula | tei:stage | tei:move
      | tei:view | tei:camera | tei:sound | tei:caption | tei:tech | tei:unit | tei:quantity
      | tei:desc | tei:interp | tei:span | tei:index | tei:term | tei:catchwords | tei:signatures
      | tei:secFol | tei:metamark | tei:locus | tei:locusGrp | tei:rhyme | tei:caesura | tei:sic
      | tei:orig | tei:reg | tei:abbr | tei:expan | tei:am | tei:ex | tei:unclear | tei:damage
      | tei:add | tei:del | tei:surplus | tei:restore | tei:retrace | tei:secl | tei:subst
      | tei:mod | tei:redo | tei:undo | tei:handShift | tei:lem | tei:rdg | tei:wit | tei:ellipsis
      | tei:listRelation | tei:relation | tei:time | tei:origDate | tei:origPlace"
      mode="render" priority="-0.5" as="item()*">
    <xsl:call-template name="tt:inline">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="class" select="local-name() || (if (@rend) then ' rend-' || replace(normalize-space(@rend), '[^A-Za-z0-9\-]', '') else '')"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:pb" mode="render" as="item()*">
    <xsl:call-template name="tt:page-break">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="anchor" select="tt:page-anchor(.)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:lb | tei:cb" mode="render" as="item()*">
    <xsl:call-template name="tt:line-break">
      <xsl:with-param name="node" select="."/>
    </xsl:call-template>
  </xsl:template>

  <!-- Empty elements that carry no text. -->
  <xsl:template match="tei:milestone | tei:anchor | tei:gb | tei:space | tei:link | tei:linkGrp
      | tei:join | tei:alt | tei:altGrp | tei:timeline | tei:precision | tei:certainty | tei:respons
      | tei:addSpan | tei:delSpan | tei:damageSpan | tei:substJoin | tei:fLib | tei:fvLib"
      mode="render" as="item()*">
    <xsl:if test="self::tei:space"><xsl:value-of select="' '"/></xsl:if>
    <xsl:apply-templates mode="render"/>
  </xsl:template>

  <!-- An example of encoding (TEI Examples namespace): shown as its markup. -->
  <xsl:template match="*:egXML" mode="render" as="item()*">
    <xsl:choose>
      <xsl:when test="tt:in-phrasing(.)">
        <xsl:call-template name="tt:inline">
          <xsl:with-param name="node" select="."/>
          <xsl:with-param name="class" select="'egXML'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="tt:block">
          <xsl:with-param name="node" select="."/>
          <xsl:with-param name="class" select="'egXML'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="*:egXML" mode="tt:content" as="xs:string">
    <xsl:variable name="code" as="xs:string" select="string-join(node() ! (
        if (. instance of element()) then serialize(., map{'method': 'xml', 'indent': false()}) else string(.)))"/>
    <xsl:sequence select="replace(replace(replace($code,
        ' xmlns=&quot;http://www.tei-c.org/ns/Examples&quot;', ''), '^\s*\n', ''), '\s+$', '')"/>
  </xsl:template>

  <!-- Block where the output allows one, else inline, with the same class. -->
  <xsl:template name="tt:block-or-inline" as="item()*">
    <xsl:param name="class" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="tt:in-phrasing(.)">
        <xsl:call-template name="tt:inline">
          <xsl:with-param name="node" select="."/>
          <xsl:with-param name="class" select="'block ' || $class"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="tt:block">
          <xsl:with-param name="node" select="."/>
          <xsl:with-param name="class" select="$class"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
