<?xml version="1.0" encoding="UTF-8"?>
<!--
  Plain text (dist/txt/): the whole document as one UTF-8 file and one file
  per unit (items/…txt), in the chosen reading (core $reading), NFC, LF.
  Editorial additions are always in 〔…〕: source lines, gap markers, figure
  descriptions, notes, optional page markers; everything else is the text.

  Blocks are separated by a blank line, lines of verse by a line break;
  inside a block, runs of XML whitespace become one space.
  Parameters: $reading (core), $page-markers as xs:boolean, $basename as xs:string.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:import href="../core/core.xsl"/>

  <xsl:param name="page-markers" as="xs:boolean" select="false()"/>
  <xsl:param name="basename" as="xs:string" select="'text'"/>

  <xsl:output name="txt" method="text" encoding="UTF-8"/>

  <!-- Noncharacters used as layout marks until the final clean-up. -->
  <xsl:variable name="tt:BLOCK" as="xs:string" select="codepoints-to-string(64976)"/>
  <xsl:variable name="tt:LINE" as="xs:string" select="codepoints-to-string(64977)"/>

  <xsl:template match="/" as="item()*">
    <xsl:variable name="title" as="xs:string" select="normalize-space((/*/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title)[1])"/>
    <xsl:result-document href="{$basename}.txt" format="txt">
      <xsl:value-of select="tt:finish(string-join((
          '〔' || $title || (if ($reading = 'diplomatic') then '（原文读本）' else '（校改后读本）') || '〕', $tt:BLOCK,
          tt:render(/*/tei:text),
          tt:notes-text(//tei:text//tei:note[empty(tt:unit-of(.))]))))"/>
    </xsl:result-document>
    <xsl:for-each select="$tt:units">
      <xsl:result-document href="items/{tt:unit-file(.)}.txt" format="txt">
        <xsl:value-of select="tt:finish(tt:render(.))"/>
      </xsl:result-document>
    </xsl:for-each>
    <xsl:sequence select="string-join(($basename || '.txt', $tt:units ! ('items/' || tt:unit-file(.) || '.txt')), ' ')"/>
  </xsl:template>

  <xsl:function name="tt:render" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="parts" as="item()*"><xsl:apply-templates select="$nodes" mode="render"/></xsl:variable>
    <xsl:sequence select="string-join($parts ! string(.))"/>
  </xsl:function>

  <!-- Whitespace runs to one space; marks to blank lines / line breaks; NFC. -->
  <xsl:function name="tt:finish" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="spaced" as="xs:string" select="replace($s, '\s+', ' ')"/>
    <xsl:variable name="blocks" as="xs:string" select="replace($spaced,
        ' *[' || $tt:BLOCK || $tt:LINE || ' ]*' || $tt:BLOCK || '[' || $tt:BLOCK || $tt:LINE || ' ]*', '&#10;&#10;')"/>
    <xsl:variable name="lines" as="xs:string" select="replace($blocks, ' *' || $tt:LINE || '[' || $tt:LINE || ' ]*', '&#10;')"/>
    <xsl:sequence select="normalize-unicode(replace($lines, '^\s+|\s+$', ''), 'NFC') || '&#10;'"/>
  </xsl:function>

  <xsl:function name="tt:notes-text" as="xs:string*">
    <xsl:param name="notes" as="element()*"/>
    <xsl:for-each select="$notes">
      <xsl:sequence select="$tt:BLOCK || '〔注' || tt:note-number(.) || '：' || normalize-space(tt:render(node())) || '〕'"/>
    </xsl:for-each>
  </xsl:function>

  <!-- A unit: its heads, then its source line, the text, then its notes. -->
  <xsl:template match="*[tt:is-unit(.)]" mode="render" priority="5" as="xs:string">
    <xsl:variable name="head" as="element()?" select="tt:last-leading-head(.)"/>
    <xsl:variable name="source" as="xs:string?" select="tt:source-line(.)"/>
    <xsl:sequence select="string-join((
        $tt:BLOCK,
        if ($head) then tt:render(node()[not(. >> $head)]) else (),
        if ($source) then ($tt:BLOCK, '〔来源：' || $source || '〕', $tt:BLOCK) else (),
        tt:render(if ($head) then node()[. >> $head] else node()),
        tt:notes-text(.//tei:note),
        $tt:BLOCK))"/>
  </xsl:template>

  <!-- ===== Hooks ===== -->
  <xsl:template name="tt:block" as="xs:string">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:sequence select="$tt:BLOCK || string-join($content ! string(.)) || $tt:BLOCK"/>
  </xsl:template>
  <xsl:template name="tt:paragraph" as="xs:string">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:sequence select="$tt:BLOCK || string-join($content ! string(.)) || $tt:BLOCK"/>
  </xsl:template>
  <xsl:template name="tt:heading" as="xs:string">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="level" as="xs:integer"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:sequence select="$tt:BLOCK || string-join($content ! string(.)) || $tt:BLOCK"/>
  </xsl:template>
  <xsl:template name="tt:inline" as="xs:string">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:variable name="text" as="xs:string" select="string-join($content ! string(.))"/>
    <xsl:sequence select="if ($node/self::tei:figDesc) then '〔图片说明：' || normalize-space($text) || '〕'
        else if (tokenize($class, ' ') = ('l', 'item', 'p', 'ab', 'block')) then $tt:LINE || $text || $tt:LINE
        else $text"/>
  </xsl:template>
  <!-- A choice shows its chosen branch only; an apparatus keeps its other
       readings as an editorial addition. -->
  <xsl:template name="tt:correction" as="xs:string">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="shown" as="item()*"/>
    <xsl:param name="other" as="item()*"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:sequence select="string-join($shown ! string(.)) || (if ($node/self::tei:app and exists($other))
        then '〔' || replace($label, '[〔〕]', '') || '〕' else '')"/>
  </xsl:template>
  <xsl:template name="tt:page-break" as="xs:string">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="anchor" as="xs:string"/>
    <xsl:sequence select="if ($page-markers) then '〔第' || normalize-space($node/@n) || '页〕' else ''"/>
  </xsl:template>
  <xsl:template name="tt:line-break" as="xs:string">
    <xsl:param name="node" as="element()"/>
    <xsl:sequence select="if ($node/self::tei:lb and $reading = 'diplomatic' and not($node/@break = 'no')) then $tt:LINE else ''"/>
  </xsl:template>
  <xsl:template name="tt:unknown" as="xs:string">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="is-block" as="xs:boolean"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:variable name="text" as="xs:string" select="string-join($content ! string(.))"/>
    <xsl:sequence select="if ($is-block) then $tt:BLOCK || $text || $tt:BLOCK else $text"/>
  </xsl:template>

</xsl:stylesheet>
