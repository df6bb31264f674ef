<?xml version="1.0" encoding="UTF-8"?>
<!--
  What the web site renders differently from the rendering it shares with the
  EPUB (render.xsl, a package): included by edition.xsl, this module holds the
  site's xsl:use-package of it, so these hooks override render.xsl's for the
  site only (and edition.xsl's template rules in the core's modes are here too):
    tt:page-break  a thin marker at the exact break, the page number beside
                   the line (right margin), "推定" shown for an inferred
                   place (@cert); not a link, so no empty tab stop;
    tt:correction  the other reading in a note that keyboard focus, touch and
                   hover reveal, and screen readers get as the description;
    tt:paragraph   a run-in head (head[@rend ~ run-in] before a paragraph)
                   opens the paragraph's first line, as printed;
    tt:inline      dates with @when become <time datetime>.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    xmlns="http://www.w3.org/1999/xhtml"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <!-- A head printed at the start of its paragraph's first line. -->
  <xsl:function name="tt:is-run-in" as="xs:boolean">
    <xsl:param name="head" as="element()"/>
    <xsl:sequence select="tokenize($head/@rend) = 'run-in'
        and exists($head/following-sibling::*[1][self::tei:p or self::tei:ab][not(tt:paragraph-has-blocks(.))][not(tt:in-phrasing(.))])
        and not(tt:in-phrasing($head))"/>
  </xsl:function>

  <!-- A date the HTML can state exactly: year, year-month or full date. -->
  <xsl:function name="tt:html-datetime" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="string($e/@when)[matches(., '^\d{4}(-\d{2}(-\d{2})?)?$')]"/>
  </xsl:function>

  <!-- ===== What the site overrides in the HTML rendering and the core (urn:x-tei-tools:render) ===== -->
  <xsl:use-package name="urn:x-tei-tools:render" package-version="1.0">
  <xsl:override>
  <xsl:variable name="tt:root" as="document-node()" select="/"/>

  <!-- edition.xsl's: a page break in mode plain, with the page marks (the search segments) -->
  <xsl:template match="tei:pb" mode="plain" as="xs:string?">
    <xsl:param name="tt:page-marks" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:if test="$tt:page-marks">
      <xsl:sequence select="$tt:PB-OPEN || tt:page-label(.) || $tt:PB-CLOSE"/>
    </xsl:if>
  </xsl:template>

  <xsl:template name="tt:page-break" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="anchor" as="xs:string"/>
    <xsl:variable name="n" as="xs:string" select="normalize-space($node/@n)"/>
    <xsl:variable name="between" as="xs:boolean" select="not(tt:in-phrasing($node)) and empty($node/parent::*[self::tei:p or self::tei:ab])"/>
    <span id="{$anchor}" class="pb{if ($between) then ' between' else ''}{if ($node/@cert) then ' inferred' else ''}">
      <span class="pb-n" aria-hidden="true">{if ($n) then $n else '¦'}<xsl:if test="$node/@cert"><span class="pb-cert">推定</span></xsl:if></span>
      <span class="visually-hidden">〔{tt:page-label($node)}〕</span>
    </span>
  </xsl:template>

  <xsl:template name="tt:correction" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:variable name="note-id" as="xs:string" select="tt:anchor($node) || '-label'"/>
    <span class="choice" tabindex="0" aria-describedby="{$note-id}">
      <xsl:call-template name="tt:id-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <span class="reading"><xsl:apply-templates select="$node" mode="tt:content"/></span>
      <xsl:call-template name="tt:other-reading"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <span class="choice-label" id="{$note-id}">{$label}</span>
    </span>
  </xsl:template>

  <xsl:template match="tei:head[tt:is-run-in(.)]" mode="render" as="empty-sequence()"/>

  <xsl:template name="tt:paragraph" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:variable name="run-in" as="element()?" select="$node/preceding-sibling::*[1][self::tei:head][tt:is-run-in(.)]"/>
    <xsl:element name="{if (tt:paragraph-has-blocks($node)) then 'div' else 'p'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:attribute name="id" select="tt:anchor($node)"/>
      <xsl:call-template name="tt:lang-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:attribute name="class" select="'para' || (if ($run-in) then ' has-run-in' else '')"/>
      <xsl:call-template name="tt:cite-control"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:for-each select="$run-in">
        <span class="run-in{if (tokenize(@rend) = 'bold') then ' rend-bold' else ''}" role="heading"
            aria-level="{tt:heading-level(.)}" id="{tt:anchor(.)}"><xsl:apply-templates mode="render"/></span>
      </xsl:for-each>
      <xsl:apply-templates select="$node" mode="tt:content"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="tt:inline" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:variable name="datetime" as="xs:string?" select="$node[self::tei:date or self::tei:time] ! tt:html-datetime(.)"/>
    <xsl:element name="{if ($node/self::tei:title) then 'cite' else if ($class = 'egXML') then 'code'
                        else if (exists($datetime)) then 'time' else 'span'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:call-template name="tt:id-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:call-template name="tt:lang-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:attribute name="class" select="$class"/>
      <xsl:if test="exists($datetime)"><xsl:attribute name="datetime" select="$datetime"/></xsl:if>
      <xsl:apply-templates select="$node" mode="tt:content"/>
    </xsl:element>
  </xsl:template>
  </xsl:override>
  </xsl:use-package>

</xsl:stylesheet>
