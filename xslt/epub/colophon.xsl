<?xml version="1.0" encoding="UTF-8"?>
<!--
  The colophon (版本说明), the last content document: everything a reader of
  the EPUB alone needs to know about this edition, from the teiHeader —
  title, responsibility, publisher, version and date, identifiers, the
  licence of the encoding and the rights of the text, the source, the
  editorial principles, how to cite, the revision history.

  Named template tt:colophon (called by the page shell in epub.xsl) and
  mode tt:colophon-principles (one editorialDecl section).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tt="urn:x-tei-tools"
  xmlns:epub="http://www.idpf.org/2007/ops"
  xmlns="http://www.w3.org/1999/xhtml"
  expand-text="yes"
  exclude-result-prefixes="#all">

  <xsl:mode name="tt:colophon-principles" on-no-match="shallow-skip" on-multiple-match="fail"/>

  <xsl:variable name="tt:colophon-file" as="xs:string" select="'text/colophon.xhtml'"/>
  <xsl:variable name="tt:colophon-title" as="xs:string" select="'版本说明'"/>

  <xsl:template name="tt:colophon" as="element()">
    <section epub:type="colophon" role="doc-colophon" aria-labelledby="colophon-title" class="colophon">
      <h1 id="colophon-title">{$tt:colophon-title}</h1>
      <xsl:call-template name="tt:colophon-facts"/>
      <xsl:call-template name="tt:colophon-rights"/>
      <xsl:if test="$tt:source-bibl">
        <section aria-labelledby="colophon-source">
          <h2 id="colophon-source">底本</h2>
          <p>{tt:plain($tt:source-bibl)}</p>
        </section>
      </xsl:if>
      <xsl:if test="$tt:header/tei:encodingDesc/tei:editorialDecl/*">
        <section aria-labelledby="colophon-principles">
          <h2 id="colophon-principles">编辑原则</h2>
          <xsl:apply-templates mode="tt:colophon-principles"
            select="$tt:header/tei:encodingDesc/tei:editorialDecl/*"/>
        </section>
      </xsl:if>
      <!-- The site's citation (html/citation.xsl), placeholders and all. -->
      <section aria-labelledby="colophon-cite">
        <h2 id="colophon-cite">引用方式</h2>
        <p>请引用本版（而非来源文本），并填入引用日期与本版网址。</p>
        <h3>中文（GB/T 7714—2015）</h3>
        <xsl:call-template name="tt:citation-paragraph"><xsl:with-param name="lang" select="'zh'"/></xsl:call-template>
        <h3>English</h3>
        <xsl:call-template name="tt:citation-paragraph"><xsl:with-param name="lang" select="'en'"/></xsl:call-template>
      </section>
      <xsl:if test="$tt:header/tei:revisionDesc//tei:change">
        <section aria-labelledby="colophon-revisions">
          <h2 id="colophon-revisions">修订记录</h2>
          <ul>
            <xsl:for-each select="$tt:header/tei:revisionDesc//tei:change">
              <li>{string-join(((@when, @notAfter)[1] ! string(.), tt:plain(.))[.], '：')}</li>
            </xsl:for-each>
          </ul>
        </section>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- Title, responsibility, publisher, date, version and identifiers. -->
  <xsl:template name="tt:colophon-facts" as="element()">
    <dl>
      <dt>书名</dt>
      <dd>{$tt:edition-title}</dd>
      <xsl:for-each select="$tt:edition-subtitles">
        <dd><xsl:for-each select="tt:lang-of(.)">
            <xsl:attribute name="lang" select="."/><xsl:sequence select="."/>
          </xsl:for-each>{tt:plain(.)}</dd>
      </xsl:for-each>
      <xsl:for-each select="$tt:title-stmt/(tei:author | tei:editor)[tt:plain(.)]">
        <dt>{if (self::tei:editor) then '编者' else '著者'}</dt><dd>{tt:plain(.)}</dd>
      </xsl:for-each>
      <xsl:for-each select="$tt:title-stmt/tei:respStmt[tt:plain(tei:resp)]">
        <dt>{tt:plain(tei:resp[1])}</dt>
        <dd>{string-join((tei:name | tei:persName | tei:orgName) ! tt:plain(.), '、')}</dd>
      </xsl:for-each>
      <xsl:for-each select="$tt:edition-publisher[. != '']">
        <dt>发布者</dt><dd>{.}</dd>
      </xsl:for-each>
      <xsl:for-each select="$tt:pub-stmt/tei:date[tt:plain(.)][1]">
        <dt>发布日期</dt><dd>{tt:plain(.)}</dd>
      </xsl:for-each>
      <xsl:for-each select="$tt:latest-change">
        <dt>版本</dt><dd>{@when}：{tt:plain(.)}</dd>
      </xsl:for-each>
      <dt>标识</dt>
      <dd>{$identifier}</dd>
      <xsl:for-each select="$tt:pub-stmt/tei:idno[tt:plain(.)]">
        <dd>{tt:plain(.)}</dd>
      </xsl:for-each>
    </dl>
  </xsl:template>

  <!-- Every licence with its link (shown too: a reading system may not
       follow links), then the rights of the text. -->
  <xsl:template name="tt:colophon-rights" as="element()?">
    <xsl:if test="$tt:pub-stmt/tei:availability">
      <section aria-labelledby="colophon-rights">
        <h2 id="colophon-rights">版权与许可</h2>
        <xsl:for-each select="$tt:pub-stmt/tei:availability">
          <xsl:for-each select="tei:licence[tt:plain(.)]">
            <xsl:variable name="href" as="xs:string?" select="tt:safe-href(tokenize(normalize-space(@target))[1])"/>
            <p class="licence">{tt:plain(.)}<xsl:if test="matches(string($href), '^https?:')">
              <xsl:text>（</xsl:text><a href="{$href}">{$href}</a><xsl:text>）</xsl:text></xsl:if></p>
          </xsl:for-each>
          <xsl:for-each select="tei:p[tt:plain(.)]"><p>{tt:plain(.)}</p></xsl:for-each>
        </xsl:for-each>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- A paragraph straight in editorialDecl. -->
  <xsl:template mode="tt:colophon-principles" match="tei:p" as="element()?">
    <xsl:if test="tt:plain(.)"><p>{tt:plain(.)}</p></xsl:if>
  </xsl:template>

  <!-- A section (correction, normalization …): its label, its paragraphs
       (tt:plain shows both sides of a normalisation the header declares). -->
  <xsl:template mode="tt:colophon-principles" match="tei:*[not(self::tei:p)]" as="element()*">
    <xsl:if test="normalize-space(.)">
      <h3>{($tt:principle-labels(local-name()), local-name())[1]}</h3>
      <xsl:for-each select="(tei:p, .[empty(tei:p)])">
        <p>{tt:plain(.)}</p>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
