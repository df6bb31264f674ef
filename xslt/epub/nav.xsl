<?xml version="1.0" encoding="UTF-8"?>
<!--
  The EPUB navigation document (nav.xhtml): the nested table of contents,
  the landmarks and the page-list of every printed page marker (pb).

  The navigation document is not in the spine: readers open it from their
  own contents menu, and in the reading order it would put a second contents
  list (目次) before the book's own (目录), and its landmarks and page list
  before the text for readers that read every spine item (pandoc). EPUB 2
  readers get the same list as toc.ncx (ncx.xsl).

  Mode tt:toc (one entry per division that has a heading or a number).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tt="urn:x-tei-tools"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:epub="http://www.idpf.org/2007/ops"
  xmlns="http://www.w3.org/1999/xhtml"
  expand-text="yes"
  exclude-result-prefixes="#all">

  <!-- A TOC entry for each nested division of a chunk. -->
  <xsl:mode name="tt:toc" on-no-match="shallow-skip" on-multiple-match="fail"/>

  <xsl:variable name="tt:pages" as="element(tei:pb)*" select="$tt:epub-text//tei:pb"/>
  <!-- each page's link target ("text/03-x.xhtml#p4"), in the order of
       $tt:pages: the page list and the NCX ask it three times a page -->
  <xsl:variable name="tt:page-targets" as="xs:string*"
    select="$tt:pages ! (tt:file-of(.) || '#' || tt:page-anchor(.))"/>

  <!-- The anchor of every division's first head of the text, once: the TOC
       links to it and the NCX's reading order (ncx.xsl) places it. -->
  <xsl:variable name="tt:head-anchors" as="map(xs:string, xs:string)" select="map:merge(
      $tt:epub-text/descendant::*[self::tei:div or self::tei:div1 or self::tei:div2 or self::tei:div3
        or self::tei:div4 or self::tei:div5 or self::tei:div6 or self::tei:div7]/tei:head[1]
      ! map{generate-id(.): tt:anchor(.)})"/>

  <xsl:function name="tt:head-anchor" as="xs:string">
    <xsl:param name="head" as="element()"/>
    <xsl:sequence select="($tt:head-anchors(generate-id($head)), tt:anchor($head))[1]"/>
  </xsl:function>

  <!-- Only an element holding a division can give a TOC entry: the rest of
       the text is not walked (mode tt:toc would visit every element). -->
  <xsl:function name="tt:holds-division" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e/descendant-or-self::*[self::tei:div or self::tei:div1 or self::tei:div2
      or self::tei:div3 or self::tei:div4 or self::tei:div5 or self::tei:div6 or self::tei:div7])"/>
  </xsl:function>

  <!-- The table of contents, once: the nav document shows it, the NCX
       (ncx.xsl) turns it into navPoints. -->
  <xsl:variable name="tt:toc-list" as="element()">
    <ol>
      <xsl:for-each select="$tt:chunks[?kind != 'cover']">
        <xsl:variable name="chunk" as="map(*)" select="."/>
        <li>
          <a href="{?file}">{?title}</a>
          <xsl:variable name="inner" as="element()*">
            <xsl:apply-templates mode="tt:toc"
              select="?main/(* except (tei:head, tei:front, tei:back))[tt:holds-division(.)]">
              <xsl:with-param name="file" as="xs:string" select="?file" tunnel="yes"/>
            </xsl:apply-templates>
          </xsl:variable>
          <xsl:if test="exists($inner)"><ol><xsl:sequence select="$inner"/></ol></xsl:if>
        </li>
      </xsl:for-each>
    </ol>
  </xsl:variable>

  <xsl:template name="tt:nav-document" as="element()">
    <html xml:lang="{$tt:edition-lang}" lang="{$tt:edition-lang}">
      <head>
        <meta charset="UTF-8"/>
        <title>{$tt:nav-title}</title>
        <link rel="stylesheet" type="text/css" href="css/epub.css"/>
      </head>
      <body>
        <nav epub:type="toc" role="doc-toc" id="toc" aria-labelledby="toc-title">
          <h1 id="toc-title">{$tt:nav-title}</h1>
          <xsl:sequence select="$tt:toc-list"/>
        </nav>
        <nav epub:type="landmarks" id="landmarks" aria-labelledby="landmarks-title" hidden="hidden">
          <h2 id="landmarks-title">导航标志</h2>
          <ol>
            <xsl:if test="$cover">
              <li><a epub:type="cover" href="{$tt:cover-file}">封面</a></li>
            </xsl:if>
            <li><a epub:type="titlepage" href="{$tt:titlepage-file}">书名页</a></li>
            <!-- No "toc" landmark: it would point out of the spine (EPUBCheck
                 RSC-011); reading systems find the toc by the nav property. -->
            <xsl:for-each select="($tt:chunks[?kind = 'body'])[1]">
              <li><a epub:type="bodymatter" href="{?file}">正文</a></li>
            </xsl:for-each>
            <xsl:for-each select="$tt:chunks[?kind = 'registers']">
              <li><a epub:type="index" href="{?file}">{?title}</a></li>
            </xsl:for-each>
          </ol>
        </nav>
        <xsl:if test="exists($tt:pages)">
          <nav epub:type="page-list" role="doc-pagelist" id="page-list"
            aria-labelledby="page-list-title" hidden="hidden">
            <h2 id="page-list-title">页码（{$tt:page-source}）</h2>
            <ol>
              <xsl:for-each select="$tt:pages">
                <xsl:variable name="i" as="xs:integer" select="position()"/>
                <li><a href="{$tt:page-targets[$i]}">{tt:page-label(.)}</a></li>
              </xsl:for-each>
            </ol>
          </nav>
        </xsl:if>
      </body>
    </html>
  </xsl:template>

  <xsl:template mode="tt:toc" match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4
                                     | tei:div5 | tei:div6 | tei:div7" as="element()*">
    <xsl:param name="file" as="xs:string" tunnel="yes"/>
    <xsl:variable name="title" as="xs:string"
      select="tt:plain(tei:head[1])"/>
    <xsl:variable name="inner" as="element()*">
      <xsl:apply-templates mode="tt:toc" select="(* except tei:head)[tt:holds-division(.)]"/>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$title">
        <li>
          <a href="{$file}#{tt:head-anchor(tei:head[1])}">{$title}</a>
          <xsl:if test="exists($inner)"><ol><xsl:sequence select="$inner"/></ol></xsl:if>
        </li>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="$inner"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Nested texts of a group: their divisions are entries too. -->
  <xsl:template mode="tt:toc" match="tei:text | tei:group | tei:front | tei:body | tei:back" as="element()*">
    <xsl:apply-templates mode="tt:toc" select="*[tt:holds-division(.)]"/>
  </xsl:template>

</xsl:stylesheet>
