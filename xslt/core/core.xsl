<?xml version="1.0" encoding="UTF-8"?>
<!--
  The format-neutral rendering core. A format layer (html/, text/, epub/ via
  html/) imports this file and implements the HOOKS below; the core decides
  what a TEI element means (block or inline, which reading of a choice is
  shown, which register entry a mention points to, where a page break is),
  the layer decides how it looks.

  Modes (all declared here):
    render  the text as the reader sees it; calls the hooks.
    plain   the plain string of a node in the chosen reading (no notes,
            no figure descriptions, no gap descriptions): titles, search
            index, register contexts, sort keys.
    note    the body of a note (called by the layer where it lists notes).

  Hooks (named templates; the defaults here just pass the content through,
  a layer overrides them by import precedence):
    tt:block       ($node, $class, $content)   a block (div, list, lg, figure…)
    tt:paragraph   ($node, $content)           p, ab (default: tt:block)
    tt:heading     ($node, $level, $content)   head (level = div depth; default: tt:block)
    tt:inline      ($node, $class, $content)   hi, title, foreign, term, q…
    tt:mention     ($node, $entry, $content)   persName/orgName/… with @ref
    tt:page-break  ($node, $anchor)            pb (anchor "p4" for n="4")
    tt:line-break  ($node)                     lb, cb
    tt:correction  ($node, $shown, $other, $label)  choice, sic/corr, reg/orig…
    tt:gap         ($node, $label)             gap (label from reason + desc)
    tt:supplied    ($node, $label, $content)   supplied
    tt:note-anchor ($node, $number)            note (inline position)
    tt:link        ($node, $href, $content)    ref, ptr (href is safe or empty)
    tt:unknown     ($node, $is-block, $content) an element the core does not know
  and the functions tt:internal-href($target), tt:local-href($target) and
  the variable $tt:relative-links (what tt:href links to, notes.xsl).

  Parameters: $reading ('regularised' | 'diplomatic').
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:include href="functions.xsl"/>
  <xsl:include href="header.xsl"/>
  <xsl:include href="mentions.xsl"/>
  <xsl:include href="structure.xsl"/>
  <xsl:include href="names-dates.xsl"/>
  <xsl:include href="editorial.xsl"/>
  <xsl:include href="notes.xsl"/>
  <xsl:include href="fallback.xsl"/>

  <!-- 'regularised' shows corr/reg/expan, 'diplomatic' sic/orig/abbr. -->
  <xsl:param name="reading" as="xs:string" select="'regularised'"/>

  <xsl:mode name="render" on-no-match="shallow-skip" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode name="plain" on-no-match="text-only-copy" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode name="note" on-no-match="shallow-skip" on-multiple-match="fail" warning-on-no-match="false"/>

  <!-- ===== Hook defaults (format-neutral: content passes through) ===== -->
  <xsl:template name="tt:block" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:sequence select="$content"/>
  </xsl:template>
  <!-- A paragraph and a head are blocks unless the layer says otherwise. -->
  <xsl:template name="tt:paragraph" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:call-template name="tt:block">
      <xsl:with-param name="node" select="$node"/>
      <xsl:with-param name="class" select="local-name($node)"/>
      <xsl:with-param name="content" select="$content"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template name="tt:heading" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="level" as="xs:integer"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:call-template name="tt:block">
      <xsl:with-param name="node" select="$node"/>
      <xsl:with-param name="class" select="'head'"/>
      <xsl:with-param name="content" select="$content"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template name="tt:inline" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:sequence select="$content"/>
  </xsl:template>
  <xsl:template name="tt:mention" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="entry" as="element()?"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:sequence select="$content"/>
  </xsl:template>
  <xsl:template name="tt:page-break" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="anchor" as="xs:string"/>
  </xsl:template>
  <xsl:template name="tt:line-break" as="item()*">
    <xsl:param name="node" as="element()"/>
  </xsl:template>
  <xsl:template name="tt:correction" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="shown" as="item()*"/>
    <xsl:param name="other" as="item()*"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:sequence select="$shown"/>
  </xsl:template>
  <xsl:template name="tt:gap" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:value-of select="'〔' || $label || '〕'"/>
  </xsl:template>
  <xsl:template name="tt:supplied" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:sequence select="$content"/>
  </xsl:template>
  <xsl:template name="tt:note-anchor" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="number" as="xs:integer"/>
  </xsl:template>
  <xsl:template name="tt:link" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="href" as="xs:string?"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:sequence select="$content"/>
  </xsl:template>
  <xsl:template name="tt:unknown" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="is-block" as="xs:boolean"/>
    <xsl:param name="content" as="item()*"/>
    <xsl:sequence select="$content"/>
  </xsl:template>

</xsl:stylesheet>
