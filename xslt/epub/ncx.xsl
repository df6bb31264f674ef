<?xml version="1.0" encoding="UTF-8"?>
<!--
  toc.ncx for EPUB 2 reading systems (still common in library lending apps
  and older e-ink readers): the same table of contents as the navigation
  document (the nav's toc list, turned into navPoints) and the page list.

  playOrder is the reading order of the targets: each chunk's file, then
  the heads and page breaks it holds in document order; one number per
  distinct target, so a navPoint and a pageTarget that point to the same
  place share it (as the NCX specification asks, and EPUBCheck checks).

  Mode tt:ncx (nav list → navPoints).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tt="urn:x-tei-tools"
  xmlns:h="http://www.w3.org/1999/xhtml"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns="http://www.daisy.org/z3986/2005/ncx/"
  expand-text="yes"
  exclude-result-prefixes="#all">

  <xsl:mode name="tt:ncx" on-no-match="shallow-skip" on-multiple-match="fail"/>
  <xsl:variable name="tt:ncx-file" as="xs:string" select="'toc.ncx'"/>

  <!-- Every target the NCX points to, in reading order (only those: the
       playOrder values must run from 1 without gaps). -->
  <xsl:variable name="tt:ncx-targets" as="xs:string*" select="$tt:toc-list//h:a/@href ! string(.),
    $tt:page-targets"/>
  <!-- (a page's target from $tt:page-targets; a head whose division has no
       title has no navPoint, so its target is not in the set either) -->
  <xsl:variable name="tt:reading-order" as="xs:string*" select="distinct-values(
    for $c in $tt:chunks return ($c?file,
      for $n in ($c?nodes/descendant-or-self::tei:pb
                 | $c?main/descendant::*[self::tei:div or self::tei:div1 or self::tei:div2
                     or self::tei:div3 or self::tei:div4 or self::tei:div5 or self::tei:div6
                     or self::tei:div7]/tei:head[1])
      return if ($n/self::tei:pb) then $tt:page-target-of(generate-id($n))
             else $c?file || '#' || tt:head-anchor($n)))[map:contains($tt:ncx-target-set, .)]"/>
  <xsl:variable name="tt:page-target-of" as="map(xs:string, xs:string)" select="map:merge(
      for $i in 1 to count($tt:pages) return map{generate-id($tt:pages[$i]): $tt:page-targets[$i]})"/>

  <!-- positions in the reading order and the set of targets as maps: a
       lookup per navPoint instead of a scan (both grew with the square of
       the pages) -->
  <xsl:variable name="tt:play-orders" as="map(xs:string, xs:integer)" select="map:merge(
      for $i in 1 to count($tt:reading-order) return map{$tt:reading-order[$i]: $i})"/>
  <xsl:variable name="tt:ncx-target-set" as="map(xs:string, xs:boolean)" select="map:merge(
      $tt:ncx-targets ! map{.: true()})"/>

  <xsl:function name="tt:play-order" as="xs:integer">
    <xsl:param name="src" as="xs:string"/>
    <xsl:sequence select="($tt:play-orders($src), count($tt:reading-order) + 1)[1]"/>
  </xsl:function>

  <xsl:template name="tt:ncx-document" as="element()">
    <xsl:variable name="nav-points" as="element()*">
      <xsl:call-template name="tt:ncx-points">
        <xsl:with-param name="items" select="$tt:toc-list/h:li"/>
        <xsl:with-param name="first" select="1"/>
      </xsl:call-template>
    </xsl:variable>
    <ncx version="2005-1" xml:lang="{$tt:edition-lang}">
      <head>
        <meta name="dtb:uid" content="{$identifier}"/>
        <meta name="dtb:depth" content="{max((1, $nav-points/descendant-or-self::*:navPoint
                                          ! count(ancestor-or-self::*:navPoint)))}"/>
        <meta name="dtb:totalPageCount" content="{count($tt:pages)}"/>
        <meta name="dtb:maxPageNumber" content="{max((0, $tt:pages/@n[. castable as xs:integer]
                                                 ! xs:integer(.)))}"/>
      </head>
      <docTitle><text>{$tt:edition-title}</text></docTitle>
      <xsl:for-each select="$tt:title-stmt/tei:author[tt:plain(.)]">
        <docAuthor><text>{tt:plain(.)}</text></docAuthor>
      </xsl:for-each>
      <navMap>
        <xsl:sequence select="$nav-points"/>
      </navMap>
      <xsl:if test="exists($tt:pages)">
        <pageList>
          <navLabel><text>页码（{$tt:page-source}）</text></navLabel>
          <xsl:for-each select="$tt:pages">
            <xsl:variable name="i" as="xs:integer" select="position()"/>
            <xsl:variable name="src" as="xs:string" select="$tt:page-targets[$i]"/>
            <pageTarget id="page-{position()}" type="normal" value="{
                if (@n castable as xs:integer) then xs:integer(@n) else position()}"
              playOrder="{tt:play-order($src)}">
              <navLabel><text>{tt:page-label(.)}</text></navLabel>
              <content src="{$src}"/>
            </pageTarget>
          </xsl:for-each>
        </pageList>
      </xsl:if>
    </ncx>
  </xsl:template>

  <!-- Sibling entries of the TOC, numbered from $first in document order
       (each li's place among all li: its elder siblings' subtrees come first). -->
  <xsl:template name="tt:ncx-points" as="element()*">
    <xsl:param name="items" as="element()*"/>
    <xsl:param name="first" as="xs:integer"/>
    <xsl:iterate select="$items">
      <xsl:param name="n" as="xs:integer" select="$first"/>
      <xsl:apply-templates mode="tt:ncx" select=".">
        <xsl:with-param name="n" select="$n"/>
      </xsl:apply-templates>
      <xsl:next-iteration>
        <xsl:with-param name="n" select="$n + 1 + count(.//h:li)"/>
      </xsl:next-iteration>
    </xsl:iterate>
  </xsl:template>

  <xsl:template mode="tt:ncx" match="h:li" as="element()">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:variable name="href" as="xs:string" select="string(h:a/@href)"/>
    <navPoint id="np-{$n}" playOrder="{tt:play-order($href)}">
      <navLabel><text>{normalize-space(h:a)}</text></navLabel>
      <content src="{$href}"/>
      <xsl:call-template name="tt:ncx-points">
        <xsl:with-param name="items" select="h:ol/h:li"/>
        <xsl:with-param name="first" select="$n + 1"/>
      </xsl:call-template>
    </navPoint>
  </xsl:template>

</xsl:stylesheet>
