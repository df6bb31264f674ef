<?xml version="1.0" encoding="UTF-8"?>
<!--
  The format-neutral rendering core. A format layer (html/, text/, epub/ via
  html/) uses this package and implements the HOOKS below; the core decides
  what a TEI element means (block or inline, which reading of a choice is
  shown, which register entry a mention points to, where a page break is),
  the layer decides how it looks.

  Modes (all declared here):
    render  the text as the reader sees it; calls the hooks.
    plain   the plain string of a node in the chosen reading (no notes,
            no figure descriptions, no gap descriptions): titles, search
            index, register contexts, sort keys.
    note    the body of a note (called by the layer where it lists notes).
    tt:content  the content of a node a hook wraps (see Hooks).
    tt:other    the branches of a choice not shown (a hook's other reading).

  Hooks (named templates; the defaults here just pass the content through,
  a layer overrides them in its xsl:override). A hook is given the node and
  what the core computed for it, never its content as a value: where it
  places the content it writes it straight to its result with
      <xsl:apply-templates select="$node" mode="tt:content"/>
  (the rendering of what the node holds, as the core defines it: its
  children, the shown branch of a choice, a pointer's label, an example's
  markup), so the text is built once, not copied into every level above it.
  A layer that needs the content as a value (a string, a test) computes it
  there, locally.
    tt:block       ($node, $class)             a block (div, list, lg, figure…)
    tt:paragraph   ($node)                     p, ab (default: tt:block)
    tt:heading     ($node, $level)             head (level = div depth; default: tt:block)
    tt:inline      ($node, $class)             hi, title, foreign, term, q…
    tt:mention     ($node, $entry)             persName/orgName/… with @ref
    tt:page-break  ($node, $anchor)            pb (anchor "p4" for n="4")
    tt:line-break  ($node)                     lb, cb
    tt:correction  ($node, $label)             choice, sic/corr, reg/orig…: mode
                                               tt:content is the shown reading,
                                               mode tt:other the other branches
    tt:gap         ($node, $label)             gap (label from reason + desc)
    tt:supplied    ($node, $label)             supplied
    tt:note-anchor ($node, $number)            note (inline position)
    tt:link        ($node, $href)              ref, ptr (href is safe or empty)
    tt:unknown     ($node, $is-block)          an element the core does not know
  and the functions tt:internal-href($target), tt:local-href($target) and
  the variable $tt:relative-links (what tt:href links to, notes.xsl).

  Parameters: $reading ('regularised' | 'diplomatic').

  A package (urn:x-tei-tools:core), compiled once per Saxon processor however
  many layers use it (tei_tools.saxon.session: xslt/packages.xml). A layer
  uses it with xsl:use-package and puts what it overrides (the hooks, its
  template rules in the core's modes, tt:internal-href, tt:local-href,
  tt:heading-level, $tt:relative-links) in xsl:override, with the same
  declared types (a hook is as="item()*"). Everything here is public; keys
  and accumulators are private to a package (a layer declares its own, or
  calls a core function). A library package has no global context item:
  the core reaches the document as $tt:root, which each layer defines
  (select="/", in its xsl:override).
-->
<xsl:package version="3.0"
    name="urn:x-tei-tools:core" package-version="1.0" declared-modes="no"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:expose component="template" names="*" visibility="public"/>
  <xsl:expose component="function" names="*" visibility="public"/>
  <xsl:expose component="variable" names="*" visibility="public"/>
  <xsl:expose component="mode" names="*" visibility="public"/>

  <xsl:include href="functions.xsl"/>
  <xsl:include href="header.xsl"/>
  <xsl:include href="mentions.xsl"/>
  <xsl:include href="structure.xsl"/>
  <xsl:include href="names-dates.xsl"/>
  <xsl:include href="editorial.xsl"/>
  <xsl:include href="notes.xsl"/>
  <xsl:include href="fallback.xsl"/>

  <!-- The document (a library package has no global context item). -->
  <xsl:variable name="tt:root" as="document-node()" visibility="abstract"/>

  <!-- 'regularised' shows corr/reg/expan, 'diplomatic' sic/orig/abbr. -->
  <xsl:param name="reading" as="xs:string" select="'regularised'"/>

  <xsl:mode name="render" on-no-match="shallow-skip" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode name="plain" on-no-match="text-only-copy" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode name="note" on-no-match="shallow-skip" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode name="tt:content" on-no-match="fail" on-multiple-match="fail"/>
  <xsl:mode name="tt:other" on-no-match="fail" on-multiple-match="fail"/>

  <!-- The core's keys for the layers (a key is private to its package). -->
  <xsl:function name="tt:by-id" as="element()*">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="key('tt:id', $id, $tt:root)"/>
  </xsl:function>
  <xsl:function name="tt:mentions-of" as="element()*">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="key('tt:mentions', $id, $tt:root)"/>
  </xsl:function>

  <!-- What a hook wraps: the node's children in the reading (the element
       kinds whose content is something else have their own tt:content
       templates beside their render templates). -->
  <xsl:template match="*" mode="tt:content" priority="-1" as="item()*">
    <xsl:apply-templates mode="render"/>
  </xsl:template>

  <!-- ===== Hook defaults (format-neutral: content passes through) ===== -->
  <xsl:template name="tt:block" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
  </xsl:template>
  <!-- A paragraph and a head are blocks unless the layer says otherwise. -->
  <xsl:template name="tt:paragraph" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:call-template name="tt:block">
      <xsl:with-param name="node" select="$node"/>
      <xsl:with-param name="class" select="local-name($node)"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template name="tt:heading" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="level" as="xs:integer"/>
    <xsl:call-template name="tt:block">
      <xsl:with-param name="node" select="$node"/>
      <xsl:with-param name="class" select="'head'"/>
    </xsl:call-template>
  </xsl:template>
  <xsl:template name="tt:inline" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
  </xsl:template>
  <xsl:template name="tt:mention" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="entry" as="element()?"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
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
    <xsl:param name="label" as="xs:string"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
  </xsl:template>
  <xsl:template name="tt:gap" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:value-of select="'〔' || $label || '〕'"/>
  </xsl:template>
  <xsl:template name="tt:supplied" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
  </xsl:template>
  <xsl:template name="tt:note-anchor" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="number" as="xs:integer"/>
  </xsl:template>
  <xsl:template name="tt:link" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="href" as="xs:string?"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
  </xsl:template>
  <xsl:template name="tt:unknown" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="is-block" as="xs:boolean"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
  </xsl:template>

</xsl:package>
