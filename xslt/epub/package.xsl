<?xml version="1.0" encoding="UTF-8"?>
<!--
  The EPUB package document (package.opf): metadata from the teiHeader,
  manifest and spine from the chunks (chunks.xsl).

  Parameters computed by tei_tools.publish.epub (Python):
    $identifier  urn:uuid: name-based UUID v5 of the edition's idno
                 (of the file's SHA-256 when there is no idno): the same on
                 every build, different for different editions.
    $description the record's description (tei_tools.records: one mapping
                 for the EPUB and the catalogue records).
    $cover       the cover image's href (tei_tools.publish.epub_cover), '' for none;
    $cover-alt   its text alternative.

  Mode tt:opf-meta renders the descriptive metadata of one header element.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tt="urn:x-tei-tools"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns="http://www.idpf.org/2007/opf"
  expand-text="yes"
  exclude-result-prefixes="#all">

  <xsl:mode name="tt:opf-meta" on-no-match="shallow-skip" on-multiple-match="fail"/>
  <xsl:param name="identifier" as="xs:string" required="yes"/>
  <xsl:param name="description" as="xs:string" select="''"/>
  <xsl:param name="cover" as="xs:string" select="''"/>
  <xsl:param name="cover-alt" as="xs:string" select="''"/>

  <!-- The WCAG 2.1 AA claim is made for text: the rendering of every TEI text
       element is checked by DAISY Ace in the test suite. Tables, images,
       media and formulas need data we cannot verify (headers, alternative
       text): a document with any of them gets no claim. -->
  <xsl:variable name="tt:a11y-claim" as="xs:boolean" select="empty($tt:epub-text/descendant::*[self::tei:table
    or self::tei:graphic or self::tei:media or self::tei:formula or self::tei:notatedMusic
    or self::tei:binaryObject])"/>

  <xsl:variable name="tt:source-bibl" as="element()?"
    select="$tt:header/tei:fileDesc/tei:sourceDesc/(tei:bibl | tei:biblStruct | tei:biblFull
            | tei:msDesc | tei:p)[1]"/>

  <!-- xml:lang for a header element whose language differs from the book's. -->
  <xsl:function name="tt:lang-of" as="attribute()?">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="lang" as="xs:string?" select="$e/ancestor-or-self::*[@xml:lang][1]/@xml:lang"/>
    <xsl:if test="exists($lang) and $lang != $tt:edition-lang">
      <xsl:attribute name="xml:lang" select="$lang"/>
    </xsl:if>
  </xsl:function>

  <xsl:variable name="tt:dcterms-modified" as="xs:string">
    <xsl:variable name="dates" as="xs:date*" select="
      for $w in ($tt:header/tei:revisionDesc//tei:change/(@when, @when-iso),
                 $tt:pub-stmt/tei:date/(@when, @when-iso))
      return if ($w castable as xs:date) then xs:date($w)
             else if ($w castable as xs:dateTime) then xs:date(xs:dateTime($w))
             else if ($w castable as xs:gYearMonth) then xs:date($w || '-01')
             else if ($w castable as xs:gYear and string-length($w) = 4) then xs:date($w || '-01-01')
             else ()"/>
    <!-- No dated change at all: a fixed date, never the clock. -->
    <xsl:sequence select="format-date((max($dates), xs:date('2000-01-01'))[1],
                          '[Y0001]-[M01]-[D01]') || 'T00:00:00Z'"/>
  </xsl:variable>

  <xsl:variable name="tt:page-source" as="xs:string"
    select="(tt:plain($tt:source-bibl/(tei:title, .//tei:title)[1]), tt:plain($tt:source-bibl),
             '印本')[.][1]"/>

  <xsl:template name="tt:package-document" as="element()">
    <package version="3.0" unique-identifier="uid" xml:lang="{$tt:edition-lang}">
      <xsl:call-template name="tt:package-metadata"/>
      <manifest>
        <item id="nav" href="{$tt:nav-file}" media-type="application/xhtml+xml" properties="nav"/>
        <item id="ncx" href="{$tt:ncx-file}" media-type="application/x-dtbncx+xml"/>
        <item id="css" href="css/epub.css" media-type="text/css"/>
        <xsl:if test="$cover">
          <item id="cover-image" href="{$cover}" media-type="image/png" properties="cover-image"/>
        </xsl:if>
        <xsl:for-each select="$tt:chunks">
          <item id="c{format-integer(position(), '00')}" href="{?file}"
            media-type="application/xhtml+xml"/>
        </xsl:for-each>
      </manifest>
      <!-- The navigation document is not in the spine (see nav.xsl). -->
      <spine toc="ncx" page-progression-direction="ltr">
        <xsl:for-each select="$tt:chunks">
          <itemref idref="c{format-integer(position(), '00')}"/>
        </xsl:for-each>
      </spine>
    </package>
  </xsl:template>

  <!-- The descriptive metadata of the package, from the teiHeader. -->
  <xsl:template name="tt:package-metadata" as="element()">
    <metadata>
      <xsl:namespace name="dc" select="'http://purl.org/dc/elements/1.1/'"/>
      <dc:identifier id="uid">{$identifier}</dc:identifier>
      <xsl:apply-templates mode="tt:opf-meta" select="$tt:pub-stmt/tei:idno[tt:plain(.)]"/>
      <dc:title id="title">{$tt:edition-title}</dc:title>
      <meta refines="#title" property="title-type">main</meta>
      <meta refines="#title" property="display-seq">1</meta>
      <!-- A subtitle in the book's language is a subtitle; one in another
           language is a parallel title: typed "subtitle", reading systems
           (calibre) would join it to the main title and show neither. -->
      <xsl:for-each select="$tt:edition-subtitles">
        <dc:title id="subtitle-{position()}"><xsl:sequence select="tt:lang-of(.)"/>{tt:plain(.)}</dc:title>
        <xsl:if test="empty(tt:lang-of(.))">
          <meta refines="#subtitle-{position()}" property="title-type">subtitle</meta>
        </xsl:if>
        <meta refines="#subtitle-{position()}" property="display-seq">{position() + 1}</meta>
      </xsl:for-each>
      <dc:language>{$tt:edition-lang}</dc:language>
      <xsl:for-each select="$description[.]">
        <dc:description>{.}</dc:description>
      </xsl:for-each>
      <xsl:apply-templates mode="tt:opf-meta"
        select="$tt:title-stmt/(tei:author | tei:editor)[tt:plain(.)] | $tt:title-stmt/tei:respStmt"/>
      <xsl:for-each select="$tt:edition-publisher[. != '']">
        <dc:publisher>{.}</dc:publisher>
      </xsl:for-each>
      <xsl:for-each select="($tt:pub-stmt/tei:date/@when[matches(., '^\d{4}(-\d\d(-\d\d)?)?$')])[1]">
        <dc:date>{.}</dc:date>
      </xsl:for-each>
      <xsl:for-each select="tt:plain($tt:source-bibl)[.]">
        <dc:source id="print-source">{.}</dc:source>
      </xsl:for-each>
      <xsl:for-each select="$tt:pub-stmt/tei:availability[tt:plain(.)]">
        <dc:rights>{tt:plain(.)}</dc:rights>
      </xsl:for-each>
      <xsl:for-each select="$tt:header/tei:profileDesc/tei:textClass/tei:keywords//tei:term[tt:plain(.)]">
        <dc:subject>{tt:plain(.)}</dc:subject>
      </xsl:for-each>
      <meta property="dcterms:modified">{$tt:dcterms-modified}</meta>
      <xsl:if test="$cover">
        <!-- EPUB 2 reading systems find the cover by this meta. -->
        <meta name="cover" content="cover-image"/>
      </xsl:if>
      <xsl:if test="exists($tt:pages)">
        <meta property="pageBreakSource">{$tt:page-source}</meta>
      </xsl:if>
      <xsl:call-template name="tt:accessibility-metadata"/>
    </metadata>
  </xsl:template>

  <!-- Accessibility metadata (EPUB Accessibility 1.1): only what holds. -->
  <xsl:template name="tt:accessibility-metadata" as="element()*">
    <meta property="schema:accessMode">textual</meta>
    <xsl:if test="$cover">
      <meta property="schema:accessMode">visual</meta>
      <meta property="schema:accessibilityFeature">alternativeText</meta>
    </xsl:if>
    <meta property="schema:accessModeSufficient">textual</meta>
    <meta property="schema:accessibilityFeature">structuralNavigation</meta>
    <meta property="schema:accessibilityFeature">tableOfContents</meta>
    <meta property="schema:accessibilityFeature">readingOrder</meta>
    <meta property="schema:accessibilityFeature">displayTransformability</meta>
    <xsl:if test="exists($tt:pages)">
      <meta property="schema:accessibilityFeature">pageNavigation</meta>
      <meta property="schema:accessibilityFeature">pageBreakMarkers</meta>
    </xsl:if>
    <xsl:if test="exists($tt:register-lists)">
      <meta property="schema:accessibilityFeature">index</meta>
    </xsl:if>
    <meta property="schema:accessibilityHazard">none</meta>
    <xsl:variable name="figures" as="xs:boolean"
      select="exists($tt:epub-text/descendant::*[self::tei:figure or self::tei:graphic
        or self::tei:media])"/>
    <meta property="schema:accessibilitySummary">{
      (if ($cover) then '本书除封面图像（附文字说明）外为纯文本出版物，无其他图像、音视频或脚本；有结构化标题、目录'
       else '本书为纯文本出版物，无图像、音视频或脚本；有结构化标题、目录')
      || (if (exists($tt:pages)) then '、对应印本的页码导航' else '')
      || (if (exists($tt:register-lists)) then '及人物、机构、地点等索引' else '')
      || '，阅读顺序即原书顺序。'
      || (if ($figures) then '原书图像未收入，仅以图题或文字说明呈现。' else '')
      || (if ($cover) then ' A text-only publication but for its cover image (with a text alternative): no other images, media or scripts; structured headings, a table of contents'
          else ' A text-only publication (no images, media or scripts) with structured headings, a table of contents')
      || (if (exists($tt:pages)) then ', page navigation matching the print edition' else '')
      || (if (exists($tt:register-lists)) then ' and indexes of people, organisations and places' else '')
      || '; the reading order is that of the original.'
      || (if ($figures) then ' Images of the original are not included: they are represented by their captions or descriptions.' else '')}</meta>
    <xsl:if test="$tt:a11y-claim">
      <meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>
      <meta property="a11y:certifiedBy">{($tt:pub-stmt/tei:publisher ! tt:plain(.), 'tei-tools')[.][1]}</meta>
    </xsl:if>
  </xsl:template>

  <!-- Authors: the compiler of the booklet is role "com" (MARC relators). -->
  <xsl:template mode="tt:opf-meta" match="tei:author" as="element()+">
    <xsl:variable name="n" as="xs:integer" select="count(preceding-sibling::tei:author[tt:plain(.)]) + 1"/>
    <xsl:variable name="compiler" as="xs:boolean" select="
      some $e in $tt:source-bibl//tei:editor[@role = 'compiler']
      satisfies (tt:plain($e) = tt:plain(current()) or ($e/@ref and $e/@ref = current()/@ref))"/>
    <dc:creator id="creator-{$n}">{tt:plain(.)}</dc:creator>
    <meta refines="#creator-{$n}" property="role" scheme="marc:relators">aut</meta>
    <xsl:if test="$compiler">
      <meta refines="#creator-{$n}" property="role" scheme="marc:relators">com</meta>
    </xsl:if>
    <!-- Sort form: the register entry's pinyin, else the name (calibre shows
         "Unknown" as the author sort of a creator without one). -->
    <xsl:variable name="entry" as="element()?"
      select="tt:by-id(substring-after(tokenize(normalize-space(@ref))[1], '#'))[1]"/>
    <meta refines="#creator-{$n}" property="file-as">{
      (if ($entry) then tt:entry-pinyin($entry) else (), tt:plain(.))[.][1]}</meta>
    <meta refines="#creator-{$n}" property="display-seq">{$n}</meta>
  </xsl:template>

  <!-- The edition's own identifiers beside the package's urn:uuid, each as
       "scheme:value" (what reading systems such as calibre parse), typed by
       ONIX code list 5 (06 DOI, 15 ISBN-13, 22 URN, 01 proprietary). -->
  <xsl:template mode="tt:opf-meta" match="tei:idno" as="element()+">
    <xsl:variable name="value" as="xs:string" select="replace(tt:plain(.), '\s', '')"/>
    <xsl:variable name="type" as="xs:string" select="lower-case(normalize-space(@type))"/>
    <xsl:variable name="n" as="xs:integer" select="count(preceding-sibling::tei:idno[tt:plain(.)]) + 1"/>
    <dc:identifier id="idno-{$n}">{
      if (matches($value, '^(urn|https?|doi|isbn):', 'i')) then $value
      else if (matches($type, '^[a-z][a-z0-9.-]*$')) then $type || ':' || $value
      else 'local:' || $value}</dc:identifier>
    <meta refines="#idno-{$n}" property="identifier-type" scheme="onix:codelist5">{
      if ($type = 'doi' or starts-with(lower-case($value), 'doi:')) then '06'
      else if ($type = 'isbn' and string-length(replace($value, '\D', '')) = 13) then '15'
      else if ($type = 'urn' or starts-with(lower-case($value), 'urn:')) then '22'
      else '01'}</meta>
  </xsl:template>

  <xsl:template mode="tt:opf-meta" match="tei:editor" as="element()+">
    <xsl:variable name="n" as="xs:integer" select="count(preceding-sibling::tei:editor[tt:plain(.)]) + 1"/>
    <dc:contributor id="editor-{$n}">{tt:plain(.)}</dc:contributor>
    <meta refines="#editor-{$n}" property="role" scheme="marc:relators">edt</meta>
  </xsl:template>

  <!-- Those responsible for the encoding: markup editors ("mrk"), else contributors. -->
  <xsl:template mode="tt:opf-meta" match="tei:respStmt" as="element()*">
    <xsl:variable name="resp" as="xs:string" select="tt:plain(tei:resp)"/>
    <xsl:variable name="s" as="xs:integer" select="count(preceding-sibling::tei:respStmt) + 1"/>
    <xsl:for-each select="(tei:name | tei:persName | tei:orgName)[tt:plain(.)]">
      <dc:contributor id="resp-{$s}-{position()}">{tt:plain(.)}</dc:contributor>
      <meta refines="#resp-{$s}-{position()}" property="role" scheme="marc:relators">{
        if (matches($resp, '编码|encod|mark-?up|transcri', 'i')) then 'mrk' else 'ctb'}</meta>
    </xsl:for-each>
  </xsl:template>

</xsl:stylesheet>
