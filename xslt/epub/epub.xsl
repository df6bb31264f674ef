<?xml version="1.0" encoding="UTF-8"?>
<!--
  EPUB 3.3 layer: uses the HTML rendering's package (render.xsl) and overrides only
    * the page shell (one XHTML content document per chunk, see chunks.xsl),
    * link targets (tt:internal-href: "file.xhtml#id" in this file layout),
    * page breaks (epub:type="pagebreak", role="doc-pagebreak", aria-label),
    * heading levels (h1 for a division at the top of a content document).
  and adds the package document (package.xsl), the navigation document
  (nav.xsl) and the NCX for EPUB 2 reading systems (ncx.xsl). Everything is written with xsl:result-document under EPUB/;
  tei_tools.publish.epub adds the style sheet, checks and zips.

  Entry: apply-templates to the document node in the unnamed mode.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tt="urn:x-tei-tools"
  xmlns:epub="http://www.idpf.org/2007/ops"
  xmlns="http://www.w3.org/1999/xhtml"
  xmlns:h="http://www.w3.org/1999/xhtml"
  expand-text="yes"
  exclude-result-prefixes="#all">

  <xsl:include href="chunks.xsl"/>

  <xsl:include href="package.xsl"/>

  <xsl:include href="nav.xsl"/>

  <xsl:include href="ncx.xsl"/>

  <xsl:include href="colophon.xsl"/>

  <xsl:include href="../html/citation.xsl"/>

  <xsl:output name="xhtml" method="xhtml" html-version="5" encoding="UTF-8" indent="no"
    omit-xml-declaration="no" include-content-type="no"/>

  <xsl:output name="opf" method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:mode name="tt:epub-xhtml" on-no-match="shallow-copy" on-multiple-match="fail"/>

  <xsl:mode name="tt:epub-title" on-no-match="shallow-copy" on-multiple-match="fail"/>

  <xsl:mode on-no-match="fail" on-multiple-match="fail"/>

  <!-- The page each register mention (tt:mentions-of: an element of a text
       with @ref) stands on, by generate-id(): the last tei:pb of a text
       before it (what preceding::tei:pb[ancestor::tei:text][1] finds), in
       one pass over the page breaks and the mentions only, in document
       order. (An accumulator gave the same, but Saxon computes it for every
       node of the document: at 10 MB this is ~0.08 s less; issue 12.) -->
  <xsl:variable name="tt:mention-pages" as="map(xs:string, element(tei:pb))">
    <xsl:map>
      <xsl:iterate select="$tt:root//tei:text//*[self::tei:pb or @ref]">
        <xsl:param name="pb" as="element(tei:pb)?" select="()"/>
        <xsl:if test="@ref and exists($pb)">
          <xsl:map-entry key="generate-id(.)" select="$pb"/>
        </xsl:if>
        <xsl:next-iteration>
          <xsl:with-param name="pb" select="(self::tei:pb, $pb)[1]"/>
        </xsl:next-iteration>
      </xsl:iterate>
    </xsl:map>
  </xsl:variable>

  <xsl:variable name="tt:nav-title" as="xs:string" select="'目次'"/>

  <xsl:template match="/" as="empty-sequence()">
    <xsl:if test="empty($tt:epub-text)">
      <xsl:message terminate="yes" error-code="tt:EPUB-NO-TEXT">error: the document has no TEI text to publish</xsl:message>
    </xsl:if>
    <xsl:result-document href="EPUB/package.opf" format="opf">
      <xsl:call-template name="tt:package-document"/>
    </xsl:result-document>
    <xsl:result-document href="EPUB/{$tt:nav-file}" format="xhtml">
      <xsl:call-template name="tt:nav-document"/>
    </xsl:result-document>
    <xsl:result-document href="EPUB/{$tt:ncx-file}" format="opf">
      <xsl:call-template name="tt:ncx-document"/>
    </xsl:result-document>
    <xsl:for-each select="$tt:chunks">
      <xsl:result-document href="EPUB/{?file}" format="xhtml">
        <xsl:call-template name="tt:content-document">
          <xsl:with-param name="chunk" select="."/>
        </xsl:call-template>
      </xsl:result-document>
    </xsl:for-each>
  </xsl:template>

  <!-- ===== The page shell ===== -->
  <xsl:template name="tt:content-document" as="element()">
    <xsl:param name="chunk" as="map(*)"/>
    <xsl:variable name="kind" as="xs:string" select="$chunk?kind"/>
    <html xml:lang="{$tt:edition-lang}" lang="{$tt:edition-lang}">
      <head>
        <meta charset="UTF-8"/>
        <title>{$chunk?title}</title>
        <link rel="stylesheet" type="text/css" href="../css/epub.css"/>
      </head>
      <body epub:type="{if ($kind = ('cover', 'titlepage', 'front')) then 'frontmatter'
                        else if ($kind = 'body') then 'bodymatter' else 'backmatter'}">
        <xsl:choose>
          <xsl:when test="$kind = 'titlepage'">
            <xsl:call-template name="tt:epub-titlepage"><xsl:with-param name="chunk" select="$chunk"/></xsl:call-template>
          </xsl:when>
          <xsl:when test="$kind = 'cover'">
            <section epub:type="cover" class="cover">
              <img src="../{$cover}" alt="{$cover-alt}" role="doc-cover"/>
            </section>
          </xsl:when>
          <xsl:when test="$kind = 'colophon'">
            <xsl:call-template name="tt:colophon"/>
          </xsl:when>
          <xsl:when test="$kind = 'registers'">
            <section epub:type="index" role="doc-index" aria-labelledby="registers-title">
              <h1 id="registers-title">{$chunk?title}</h1>
              <xsl:call-template name="tt:registers">
                <xsl:with-param name="file" select="$chunk?file"/>
              </xsl:call-template>
            </section>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="tt:epub-chunk-body"><xsl:with-param name="chunk" select="$chunk"/></xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </body>
    </html>
  </xsl:template>

  <!-- The title page: the text's titlePage with a typographic hierarchy
       (mode tt:epub-title), else one generated from the header. -->
  <xsl:template name="tt:epub-titlepage" as="element()">
    <xsl:param name="chunk" as="map(*)"/>
    <section epub:type="titlepage" class="titlepage" aria-label="{$chunk?title}">
      <xsl:choose>
        <xsl:when test="exists($chunk?nodes)">
          <xsl:variable name="rendered" as="item()*">
            <xsl:apply-templates mode="render" select="$chunk?nodes"/>
          </xsl:variable>
          <xsl:variable name="parts" as="element()*"
            select="$rendered/descendant-or-self::*:div[tokenize(@class) = 'titlePart']"/>
          <xsl:variable name="h1" as="element()?"
            select="($parts[tokenize(@class) = 'titlePart-main'], $parts)[1]"/>
          <xsl:if test="empty($h1)"><h1>{$tt:edition-title}</h1></xsl:if>
          <xsl:apply-templates mode="tt:epub-title" select="$rendered">
            <xsl:with-param name="h1" as="element()?" tunnel="yes" select="$h1"/>
          </xsl:apply-templates>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="tt:generated-titlepage"/>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <!-- A chunk of the text: its nodes rendered, then their notes, with
       headings shifted so that the document starts at h1. -->
  <xsl:template name="tt:epub-chunk-body" as="node()*">
    <xsl:param name="chunk" as="map(*)"/>
    <xsl:variable name="rendered" as="item()*">
      <xsl:apply-templates mode="render" select="$chunk?nodes"/>
      <xsl:call-template name="tt:epub-notes">
        <xsl:with-param name="notes" select="$chunk?nodes/descendant-or-self::tei:note"/>
        <xsl:with-param name="file" select="$chunk?file"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:apply-templates mode="tt:epub-xhtml" select="$rendered">
      <xsl:with-param name="shift" tunnel="yes" as="xs:integer" select="
        (min($rendered/descendant-or-self::*[self::h:h1 or self::h:h2 or self::h:h3 or self::h:h4
               or self::h:h5 or self::h:h6] ! xs:integer(substring(local-name(), 2))), 1)[1] - 1"/>
    </xsl:apply-templates>
  </xsl:template>

  <!-- A title page from the header, for documents without a titlePage. -->
  <xsl:template name="tt:generated-titlepage" as="element()*">
    <h1>{$tt:edition-title}</h1>
    <xsl:for-each select="$tt:edition-subtitles"><p class="subtitle">{tt:plain(.)}</p></xsl:for-each>
    <xsl:for-each select="$tt:title-stmt/tei:author"><p class="author">{tt:plain(.)}</p></xsl:for-each>
    <xsl:for-each select="$tt:edition-publisher[. != '']"><p class="publisher">{.}</p></xsl:for-each>
  </xsl:template>

  <!-- Registers as an index: each entry with its name, pinyin, note and a
       link to every mention in the text. -->
  <xsl:template name="tt:registers" as="element()*">
    <xsl:param name="file" as="xs:string"/>
    <xsl:for-each select="$tt:registers">
      <xsl:variable name="register" as="xs:string" select="."/>
      <section aria-labelledby="register-{$register}">
        <h2 id="register-{$register}">{$tt:register-labels($register)}</h2>
        <dl>
          <xsl:for-each select="tt:sorted-entries($register)">
            <xsl:variable name="entry" as="element()" select="."/>
            <dt id="{tt:anchor(.)}">{tt:entry-name(.)}<xsl:for-each select="tt:entry-pinyin(.)">
              <xsl:text> </xsl:text><span lang="zh-Latn-pinyin" xml:lang="zh-Latn-pinyin">{.}</span></xsl:for-each></dt>
            <xsl:for-each select="tei:note[tt:plain(node())]">
              <dd>{tt:plain(node())}</dd>
            </xsl:for-each>
            <xsl:variable name="mentions" as="element()*"
              select="tt:mentions-of(string($entry/@xml:id))[tt:file-of(.)]"/>
            <xsl:if test="exists($mentions)">
              <!-- Each place once (见：第3页、第5页, never 目录、目录、目录), linked
                   to its first mention; several mentions there are counted. -->
              <dd class="locators">见：<xsl:for-each-group select="$mentions" group-by="tt:locator(.)">
                <xsl:if test="position() gt 1">、</xsl:if>
                <a href="{tt:internal-href(.)}">{current-grouping-key()}</a>
                <xsl:if test="count(current-group()) gt 1">（{count(current-group())}处）</xsl:if>
              </xsl:for-each-group></dd>
            </xsl:if>
          </xsl:for-each>
        </dl>
      </section>
    </xsl:for-each>
  </xsl:template>

  <!-- A mention's locator: the printed page it stands on, else its chunk title. -->
  <xsl:function name="tt:locator" as="xs:string">
    <xsl:param name="mention" as="element()"/>
    <xsl:variable name="pb" as="element(tei:pb)?" select="$tt:mention-pages(generate-id($mention))"/>
    <xsl:sequence select="if ($pb) then '第' || tt:page-label($pb) || '页'
      else ($tt:chunks[?file = tt:file-of($mention)]?title, '正文')[1]"/>
  </xsl:function>

  <!-- Notes keep the core's numbering (tt:note-number, per unit, as on the
       site); a content document holding several units lists their notes
       unit by unit (tt:epub-notes), so no number repeats in one list. -->
  <xsl:template name="tt:epub-notes" as="element()?">
    <xsl:param name="notes" as="element()*"/>
    <xsl:param name="file" as="xs:string"/>
    <xsl:if test="exists($notes)">
      <xsl:variable name="groups" as="array(element()*)*">
        <xsl:for-each-group select="$notes" group-adjacent="string(tt:unit-of(.) ! generate-id(.))">
          <xsl:sequence select="[current-group()]"/>
        </xsl:for-each-group>
      </xsl:variable>
      <section class="notes" aria-labelledby="notes-heading">
        <h2 id="notes-heading">注释</h2>
        <xsl:for-each select="$groups">
          <xsl:variable name="unit" as="element()?" select="tt:unit-of(head(?1))"/>
          <xsl:if test="count($groups) gt 1">
            <h3 id="notes-{position()}">{if ($unit) then tt:title-of($unit) else $tt:chunks[?file = $file][1]?title}</h3>
          </xsl:if>
          <ol>
            <xsl:for-each select="?*">
              <li id="{tt:anchor(.)}" value="{tt:note-number(.)}">
                <xsl:apply-templates select="." mode="note"/>
                <xsl:text> </xsl:text>
                <a class="backref" href="#noteref-{tt:anchor(.)}" title="返回正文" aria-label="返回正文">↩</a>
              </li>
            </xsl:for-each>
          </ol>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ===== XHTML of the rendering, adjusted for EPUB (mode tt:epub-xhtml) =====
       Headings shifted so each content document starts at h1; note references
       and the notes section get their EPUB semantics. -->

  <!-- (by name: a pattern with a predicate would be tried on every element;
       the rendering is XHTML, so the patterns below name h:a, h:span and
       h:section, not *:a …: a pattern with a wildcard namespace is tried on
       every element of the pass, one of a QName only on those of its name) -->
  <xsl:template mode="tt:epub-xhtml" match="h:h1 | h:h2 | h:h3 | h:h4 | h:h5 | h:h6" as="element()">
    <xsl:param name="shift" as="xs:integer" tunnel="yes"/>
    <xsl:element name="h{xs:integer(substring(local-name(), 2)) - $shift}"
      namespace="http://www.w3.org/1999/xhtml">
      <xsl:apply-templates mode="tt:epub-xhtml" select="@*, node()"/>
    </xsl:element>
  </xsl:template>

  <xsl:template mode="tt:epub-xhtml" match="h:a[tokenize(@class) = 'noteref']" as="element()">
    <xsl:copy>
      <xsl:attribute name="epub:type" select="'noteref'"/>
      <xsl:attribute name="role" select="'doc-noteref'"/>
      <xsl:apply-templates mode="tt:epub-xhtml" select="@*, node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="tt:epub-xhtml" match="h:section[tokenize(@class) = 'notes']" as="element()">
    <xsl:copy>
      <xsl:attribute name="epub:type" select="'endnotes'"/>
      <xsl:attribute name="role" select="'doc-endnotes'"/>
      <xsl:apply-templates mode="tt:epub-xhtml" select="@*, node()"/>
    </xsl:copy>
  </xsl:template>

  <!-- Editorial interventions are told by the edition's brackets, not by
       colour (invisible on e-ink): a corrected reading in 〔〕, supplied text
       in ［］ (gaps already read 〔…〕). The brackets are spans of class
       "ed-mark", so they can be told from the text. -->
  <xsl:template mode="tt:epub-xhtml" match="h:span[tokenize(@class) = 'choice']" as="element()">
    <xsl:copy>
      <xsl:apply-templates mode="tt:epub-xhtml" select="@*"/>
      <span class="ed-mark">〔</span>
      <xsl:apply-templates mode="tt:epub-xhtml" select="node()"/>
      <span class="ed-mark">〕</span>
    </xsl:copy>
  </xsl:template>

  <xsl:template mode="tt:epub-xhtml" match="h:span[tokenize(@class) = 'supplied']" as="element()">
    <xsl:copy>
      <xsl:apply-templates mode="tt:epub-xhtml" select="@*"/>
      <span class="ed-mark">［</span>
      <xsl:apply-templates mode="tt:epub-xhtml" select="node()"/>
      <span class="ed-mark">］</span>
    </xsl:copy>
  </xsl:template>

  <!-- A choice's tabindex is for the site's keyboard tooltip; not in the EPUB. -->
  <xsl:template mode="tt:epub-xhtml" match="h:span[tokenize(@class) = 'choice']/@tabindex" as="empty-sequence()"/>

  <!-- The other branch of a choice: the site toggles it with a script; the
       EPUB shows the chosen reading only (the other stays in the title and
       in the editor's note). -->
  <xsl:template mode="tt:epub-xhtml" match="h:span[tokenize(@class) = 'alt'][parent::h:span[tokenize(@class) = 'choice']]" as="empty-sequence()"/>

  <!-- ===== The title page (mode tt:epub-title) =====
       A typographic hierarchy a reading system can see: the main title part
       (else the first) is the h1, the other title parts, the author, date
       and imprint are paragraphs with their own size (epub.css). -->

  <xsl:template mode="tt:epub-title" as="element()" match="*:div[tokenize(@class) = ('titlePart',
      'docAuthor', 'docDate', 'docEdition', 'docImprint', 'byline', 'imprimatur')]
      [empty(*:div | *:p | *:ul | *:ol | *:dl | *:table | *:section | *:blockquote)]">
    <xsl:param name="h1" as="element()?" tunnel="yes"/>
    <xsl:element name="{if (. is $h1) then 'h1' else 'p'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:apply-templates mode="tt:epub-title" select="@*, node()"/>
    </xsl:element>
  </xsl:template>

  <!-- ===== Pages ===== -->
  <xsl:function name="tt:page-label" as="xs:string">
    <xsl:param name="pb" as="element(tei:pb)"/>
    <xsl:variable name="n" as="xs:string" select="normalize-space($pb/@n)"/>
    <xsl:sequence select="if ($n) then $n
      else string(($tt:pb-numbers(generate-id($pb)), count($pb/preceding::tei:pb[ancestor::tei:text]) + 1)[1])"/>
  </xsl:function>

  <!-- each page break's place among those of the text, computed once -->
  <xsl:variable name="tt:pb-numbers" as="map(xs:string, xs:integer)" select="map:merge(
      let $all := $tt:root//tei:pb[ancestor::tei:text]
      return for $i in 1 to count($all) return map{generate-id($all[$i]): $i})"/>

  <!-- ===== What this layer overrides in the HTML rendering and the core (urn:x-tei-tools:render) ===== -->
  <xsl:use-package name="urn:x-tei-tools:render" package-version="1.0">
  <xsl:override>
  <xsl:variable name="tt:root" as="document-node()" select="/"/>

  <!-- ===== Overrides of the rendering ===== -->

  <!-- Internal links: the content document holding the target, then its id. -->
  <xsl:function name="tt:internal-href" as="xs:string">
    <xsl:param name="target" as="element()"/>
    <xsl:variable name="file" as="xs:string" select="tt:file-of($target)"/>
    <xsl:sequence select="(if ($file) then '../' || $file else '') || '#' || tt:anchor($target)"/>
  </xsl:function>

  <!-- Hooks of the core's tt:href: a local pointer whose target is not in
       any content document, and a relative reference to a file outside the
       container, cannot be followed in an EPUB. -->
  <xsl:function name="tt:local-href" as="xs:string?">
    <xsl:param name="target" as="element()"/>
    <xsl:sequence select="if (tt:file-of($target)) then tt:internal-href($target) else ()"/>
  </xsl:function>

  <xsl:variable name="tt:relative-links" as="xs:boolean" select="false()"/>

  <xsl:template name="tt:page-break" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="anchor" as="xs:string"/>
    <span epub:type="pagebreak" role="doc-pagebreak" id="{$anchor}" class="pb"
      aria-label="{tt:page-label($node)}">〔{tt:page-label($node)}〕</span>
  </xsl:template>

  <!-- Heading levels by absolute division depth: a section is h1, its items
       h2, their parts h3 (the site counts from the unit, its page title being h1). -->
  <xsl:function name="tt:heading-level" as="xs:integer">
    <xsl:param name="head" as="element()"/>
    <xsl:sequence select="min((6, max((1, count($head/ancestor::*[starts-with(local-name(), 'div')])))))"/>
  </xsl:function>

  <!-- No per-paragraph citation link: the site's clipboard script is not in the EPUB. -->
  <xsl:template name="tt:cite-control" as="element()?">
    <xsl:param name="node" as="element()"/>
  </xsl:template>
  </xsl:override>
  </xsl:use-package>

</xsl:stylesheet>
