<?xml version="1.0" encoding="UTF-8"?>
<!--
  The HTML rendering of the text: the core's hooks implemented in XHTML.
  Everything here is in the XHTML namespace and well-formed, so it serialises
  both as HTML5 (the site) and as XHTML (the EPUB; both use this package). No page shell and no file layout
  here: see edition.xsl.

  A format layer using this package may override (in its xsl:override):
    tt:internal-href($target) as xs:string   where a link to an element goes
    tt:unit-href($unit) as xs:string         the file of a unit ("item01-….html")
    tt:register-href($register) as xs:string the file of a register page
    $tt:ext                                  file extension of pages ('.html')
  and any hook template (tt:block, tt:paragraph, tt:heading, tt:inline,
  tt:mention, tt:page-break, tt:line-break, tt:correction, tt:gap,
  tt:supplied, tt:note-anchor, tt:link, tt:unknown; each writes its node's
  content with mode tt:content, core.xsl) or tt:notes (the list of a unit's
  notes), tt:cite-control (the per-paragraph citation link).

  A package (urn:x-tei-tools:render) using the core's (core.xsl): compiled once
  per Saxon processor for the site and the EPUB, which use it with
  xsl:use-package and override in xsl:override (same declared types). It
  passes the core's components on (xsl:accept, public) and exposes its own.
-->
<xsl:package version="3.0" name="urn:x-tei-tools:render" package-version="1.0" declared-modes="no"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns="http://www.w3.org/1999/xhtml"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:expose component="template" names="*" visibility="public"/>
  <xsl:expose component="function" names="*" visibility="public"/>
  <xsl:expose component="variable" names="*" visibility="public"/>
  <xsl:expose component="mode" names="*" visibility="public"/>

  <xsl:param name="tt:ext" as="xs:string" select="'.html'"/>

  <xsl:variable name="tt:register-labels" as="map(xs:string, xs:string)" select="map{
      'persons': '人物', 'organisations': '机构', 'places': '地点', 'events': '事件', 'works': '文献'}"/>

  <!-- ===== File layout (overridable) ===== -->
  <xsl:function name="tt:unit-href" as="xs:string">
    <xsl:param name="unit" as="element()"/>
    <xsl:sequence select="tt:unit-file($unit) || $tt:ext"/>
  </xsl:function>

  <xsl:function name="tt:register-href" as="xs:string">
    <xsl:param name="register" as="xs:string"/>
    <xsl:sequence select="$register || $tt:ext"/>
  </xsl:function>

  <!-- The page an element of the document is shown on. -->
  <xsl:function name="tt:page-of" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="unit" as="element()?" select="
        if ($e/self::tei:pb) then tt:unit-of-pb($e)
        else (tt:unit-of($e), $e[tt:is-unit(.)])[1]"/>
    <xsl:sequence select="
        if ($unit) then tt:unit-href($unit)
        else if (exists(tt:register-of($e))) then tt:register-href(tt:register-of($e))
        else if ($e/ancestor::tei:text) then 'index' || $tt:ext
        else 'about' || $tt:ext"/>
  </xsl:function>

  <!-- id attribute for an element that has an xml:id. -->
  <xsl:template name="tt:id-attr" as="attribute()?">
    <xsl:param name="node" as="element()"/>
    <xsl:if test="$node/@xml:id">
      <xsl:attribute name="id" select="tt:anchor($node)"/>
    </xsl:if>
  </xsl:template>

  <!-- A language tag HTML checkers accept as is (two-letter primary subtag);
       three-letter codes that have a two-letter form (lat, pol) are not. -->
  <xsl:function name="tt:is-html-lang" as="xs:boolean">
    <xsl:param name="tag" as="xs:string"/>
    <xsl:sequence select="matches($tag, '^[a-z]{2}(-[A-Za-z0-9]{1,8})*$')"/>
  </xsl:function>

  <xsl:template name="tt:lang-attr" as="attribute()?">
    <xsl:param name="node" as="element()"/>
    <xsl:if test="$node/@xml:lang and $node/@xml:lang != $node/parent::*/ancestor-or-self::*[@xml:lang][1]/@xml:lang
                  and tt:is-html-lang($node/@xml:lang)">
      <xsl:attribute name="lang" select="$node/@xml:lang"/>
    </xsl:if>
  </xsl:template>

  <!-- The per-paragraph citation link (copied to the clipboard by the script). -->
  <xsl:template name="tt:cite-control" as="element()?">
    <xsl:param name="node" as="element()"/>
    <a class="cite" href="#{tt:anchor($node)}" title="复制本段的引用链接" aria-label="本段链接">¶</a>
  </xsl:template>

  <!-- What a mention shows of its entry: [register, title, href]. Built once
       per entry (an entry is mentioned many times). -->
  <xsl:function name="tt:entry-link" as="array(xs:string)">
    <xsl:param name="entry" as="element()?"/>
    <xsl:variable name="register" as="xs:string" select="string(tt:register-of($entry))"/>
    <xsl:sequence select="[$register,
        string-join(($tt:register-labels($register), tt:entry-name($entry), tt:entry-pinyin($entry)), ' · '),
        tt:internal-href($entry)]"/>
  </xsl:function>

  <xsl:variable name="tt:entry-links" as="map(xs:string, array(xs:string))"
      select="map:merge($tt:all-entries ! map{generate-id(.): tt:entry-link(.)})"/>

  <!-- The other reading of a correction, where it renders to something (a
       value here: its emptiness decides the span; a choice's branches are short). -->
  <xsl:template name="tt:other-reading" as="element()?">
    <xsl:param name="node" as="element()"/>
    <xsl:variable name="other" as="item()*"><xsl:apply-templates select="$node" mode="tt:other"/></xsl:variable>
    <xsl:if test="exists($other)"><span class="alt"><xsl:sequence select="$other"/></span></xsl:if>
  </xsl:template>

  <!-- The notes of a scope (a unit or the index), after its text. -->
  <xsl:template name="tt:notes" as="element()?">
    <xsl:param name="notes" as="element()*"/>
    <xsl:if test="exists($notes)">
      <section class="notes" aria-labelledby="notes-heading">
        <h2 id="notes-heading">注释</h2>
        <ol>
          <xsl:for-each select="$notes">
            <li id="{tt:anchor(.)}" value="{tt:note-number(.)}">
              <xsl:apply-templates select="." mode="note"/>
              <xsl:text> </xsl:text>
              <a class="backref" href="#noteref-{tt:anchor(.)}" title="返回正文" aria-label="返回正文">↩</a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- ===== What this package overrides in the core (urn:x-tei-tools:core) ===== -->
  <xsl:use-package name="urn:x-tei-tools:core" package-version="1.0">
  <xsl:accept component="*" names="*" visibility="public"/>
  <xsl:accept component="variable" names="tt:root" visibility="abstract"/>
  <xsl:override>
  <xsl:function name="tt:internal-href" as="xs:string" visibility="public">
    <xsl:param name="target" as="element()"/>
    <xsl:sequence select="
        if (tt:is-unit($target)) then tt:unit-href($target)
        else if ($target/ancestor::tei:text or exists(tt:register-of($target)) or $target/@xml:id)
          then tt:page-of($target) || '#' || tt:anchor($target)
        else tt:page-of($target)"/>
  </xsl:function>

  <!-- ===== Hooks ===== -->
  <xsl:template name="tt:block" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:variable name="kind" as="xs:string" select="tokenize($class, ' ')[1]"/>
    <xsl:variable name="name" as="xs:string" select="
        if ($kind = 'list' and empty($node/*[not(self::tei:item)])) then 'ul'
        else if ($kind = 'item' and $node/parent::tei:list[empty(*[not(self::tei:item)])]) then 'li'
        else if ($kind = 'figure') then 'figure'
        else if ($kind = 'quote') then 'blockquote'
        else if ($kind = 'egXML') then 'pre'
        else 'div'"/>
    <xsl:element name="{$name}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:call-template name="tt:id-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:call-template name="tt:lang-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:attribute name="class" select="$class"/>
      <xsl:apply-templates select="$node" mode="tt:content"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="tt:paragraph" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:element name="{if (tt:paragraph-has-blocks($node)) then 'div' else 'p'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:attribute name="id" select="tt:anchor($node)"/>
      <xsl:call-template name="tt:lang-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:attribute name="class" select="'para'"/>
      <xsl:call-template name="tt:cite-control"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:apply-templates select="$node" mode="tt:content"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="tt:heading" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="level" as="xs:integer"/>
    <xsl:element name="h{$level}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:attribute name="id" select="tt:anchor($node)"/>
      <xsl:call-template name="tt:lang-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:apply-templates select="$node" mode="tt:content"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="tt:inline" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:element name="{if ($node/self::tei:title) then 'cite' else if ($class = 'egXML') then 'code' else 'span'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:call-template name="tt:id-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:call-template name="tt:lang-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:attribute name="class" select="$class"/>
      <xsl:apply-templates select="$node" mode="tt:content"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="tt:mention" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="entry" as="element()?"/>
    <!-- [register, title, href] of the entry -->
    <xsl:variable name="link" as="array(xs:string)" select="
        ($entry ! $tt:entry-links(generate-id(.)), tt:entry-link($entry))[1]"/>
    <xsl:variable name="register" as="xs:string" select="$link(1)"/>
    <xsl:variable name="title" as="xs:string" select="$link(2)"/>
    <xsl:variable name="in-link" as="xs:boolean" select="tt:in-link($node)"/>
    <xsl:element name="{if ($in-link) then 'span' else 'a'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:attribute name="id" select="tt:anchor($node)"/>
      <xsl:attribute name="class" select="'mention ' || $register"/>
      <xsl:if test="not($in-link)">
        <xsl:attribute name="href" select="$link(3)"/>
      </xsl:if>
      <xsl:attribute name="title" select="$title"/>
      <xsl:apply-templates select="$node" mode="tt:content"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="tt:page-break" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="anchor" as="xs:string"/>
    <xsl:variable name="n" as="xs:string" select="normalize-space($node/@n)"/>
    <xsl:element name="{if (tt:in-link($node)) then 'span' else 'a'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:attribute name="class" select="'pb'"/>
      <xsl:attribute name="id" select="$anchor"/>
      <xsl:if test="not(tt:in-link($node))"><xsl:attribute name="href" select="'#' || $anchor"/></xsl:if>
      <xsl:attribute name="title" select="if ($n) then '原书第' || $n || '页' || (if ($node/@cert) then '（位置推定）' else '') else '原书换页'"/>
      <xsl:attribute name="data-n" select="if ($n) then $n else '¦'"/>
      <span class="visually-hidden">{if ($n) then '第' || $n || '页' else '换页'}</span>
    </xsl:element>
  </xsl:template>

  <xsl:template name="tt:line-break" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:if test="$node/self::tei:lb and not($node/@break = 'no')"><br/></xsl:if>
  </xsl:template>

  <xsl:template name="tt:correction" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <span class="choice" title="{$label}" tabindex="0">
      <xsl:call-template name="tt:id-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <span class="reading"><xsl:apply-templates select="$node" mode="tt:content"/></span>
      <xsl:call-template name="tt:other-reading"><xsl:with-param name="node" select="$node"/></xsl:call-template>
    </span>
  </xsl:template>

  <xsl:template name="tt:gap" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:element name="{if (tt:in-phrasing($node) or $node/parent::*[self::tei:p or self::tei:ab or not(map:contains($tt:block-name-set, local-name()))]) then 'span' else 'p'}"
        namespace="http://www.w3.org/1999/xhtml">
      <xsl:call-template name="tt:id-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:attribute name="class" select="'gap'"/>
      <xsl:attribute name="title" select="'缺文' || (if ($node/@reason) then '（' || $node/@reason || '）' else '')"/>
      <xsl:value-of select="'〔' || $label || '〕'"/>
    </xsl:element>
  </xsl:template>

  <xsl:template name="tt:supplied" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <span class="supplied" title="{$label}">
      <xsl:call-template name="tt:id-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:apply-templates select="$node" mode="tt:content"/>
    </span>
  </xsl:template>

  <xsl:template name="tt:note-anchor" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="number" as="xs:integer"/>
    <xsl:variable name="id" as="xs:string" select="tt:anchor($node)"/>
    <xsl:variable name="in-link" as="xs:boolean" select="tt:in-link($node)"/>
    <xsl:element name="{if ($in-link) then 'span' else 'a'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:attribute name="class" select="'noteref'"/>
      <xsl:attribute name="id" select="'noteref-' || $id"/>
      <xsl:if test="not($in-link)"><xsl:attribute name="href" select="'#' || $id"/></xsl:if>
      <xsl:attribute name="title" select="tt:plain($node/node())"/>
      <sup>[{$number}]</sup>
    </xsl:element>
  </xsl:template>

  <xsl:template name="tt:link" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="href" as="xs:string?"/>
    <xsl:choose>
      <xsl:when test="exists($href) and not(tt:in-link($node))">
        <a href="{$href}" class="ref{if (matches($href, '^(https?|mailto):')) then ' external' else ''}">
          <xsl:call-template name="tt:id-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
          <xsl:if test="matches($href, '^https?:')"><xsl:attribute name="rel" select="'noopener noreferrer'"/></xsl:if>
          <xsl:apply-templates select="$node" mode="tt:content"/>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <span class="ref{if (empty($href)) then ' inert' else ''}">
          <xsl:call-template name="tt:id-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
          <xsl:if test="empty($href) and normalize-space($node/@target) != ''">
            <xsl:attribute name="title" select="'链接目标未启用：' || normalize-space($node/@target)"/>
          </xsl:if>
          <xsl:apply-templates select="$node" mode="tt:content"/>
        </span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="tt:unknown" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="is-block" as="xs:boolean"/>
    <xsl:element name="{if ($is-block) then 'div' else 'span'}" namespace="http://www.w3.org/1999/xhtml">
      <xsl:call-template name="tt:id-attr"><xsl:with-param name="node" select="$node"/></xsl:call-template>
      <xsl:attribute name="class" select="'tei-unknown tei-' || replace(local-name($node), '[^A-Za-z0-9\-]', '')"/>
      <xsl:apply-templates select="$node" mode="tt:content"/>
    </xsl:element>
  </xsl:template>

  <!-- Anchors and milestones that carry an id keep it as a link target. -->
  <xsl:template match="tei:anchor[@xml:id] | tei:milestone[@xml:id]" mode="render" priority="1" as="element()">
    <span id="{tt:anchor(.)}" class="{local-name()}"/>
  </xsl:template>
  </xsl:override>
  </xsl:use-package>

</xsl:package>
