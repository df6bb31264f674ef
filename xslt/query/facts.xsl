<?xml version="1.0" encoding="UTF-8"?>
<!--
  The facts layer: what `tei-tools entities`, `stats` and `export` report,
  computed by the rendering core itself, so that the registers and counts a
  scholar exports are the ones the HTML, the EPUB and the text show (one
  definition of the reading, the registers, mentions and their context).

  Principal result: one <facts> document (namespace urn:x-tei-tools:facts).
  Every element the facts speak of is located by @path: the 1-based
  positions of it and its ancestors among their element siblings, from the
  root element ("1.2.5"); Python resolves it to the lxml element (lines).

    <facts>
      <count group="text|interventions|gaps" name="…" n="…"/>  counts
      <unit path id? file title characters>reading</unit>       the units (pages, files)
      <entry path id type name pinyin?><role>…</role></entry>  register entries
      <mention path key type item? paragraph? paragraph-path? text before after>
        <role>…</role>                                         roleNames inside it
      </mention>
      <date path element part text when? from? to? notBefore? notAfter? cert?
            item? paragraph? before after/>                     dated expressions
    </facts>
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    xmlns="urn:x-tei-tools:facts"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <!-- The core's package (urn:x-tei-tools:core), given the document -->
  <xsl:use-package name="urn:x-tei-tools:core" package-version="1.0">
    <xsl:override><xsl:variable name="tt:root" as="document-node()" select="/"/></xsl:override>
  </xsl:use-package>

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <!-- The unnamed mode: only the document node is matched. -->
  <xsl:mode on-no-match="fail" on-multiple-match="fail"/>

  <xsl:template match="/" as="element()">
    <xsl:variable name="in-text" as="element()*" select="//tei:text//*[tt:in-text(.)]"/>
    <facts>
      <xsl:call-template name="tt:counts">
        <xsl:with-param name="in-text" select="$in-text"/>
      </xsl:call-template>
      <xsl:for-each select="$tt:units">
        <xsl:variable name="reading" as="xs:string" select="tt:plain(.)"/>
        <unit path="{tt:path(.)}" file="{tt:unit-file(.)}" title="{tt:title-of(.)}"
              characters="{string-length(replace($reading, '\s', ''))}">
          <xsl:if test="@xml:id"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
          <xsl:value-of select="$reading"/>
        </unit>
      </xsl:for-each>
      <xsl:for-each select="$tt:all-entries">
        <entry path="{tt:path(.)}" id="{@xml:id}" type="{tt:entry-type(.)}" name="{tt:entry-name(.)}">
          <xsl:for-each select="tt:entry-pinyin(.)"><xsl:attribute name="pinyin" select="."/></xsl:for-each>
          <xsl:for-each select="tt:entry-roles(.)"><role>{.}</role></xsl:for-each>
        </entry>
      </xsl:for-each>
      <xsl:for-each select="$in-text[@ref or exists(tt:name-type(.))]">
        <xsl:variable name="m" as="element()" select="."/>
        <xsl:variable name="keys" as="array(xs:string)*" select="tt:mention-keys(.)"/>
        <xsl:if test="exists($keys)">
          <xsl:variable name="context" as="map(xs:string, xs:string)" select="tt:context(.)"/>
          <xsl:variable name="where" as="attribute()*">
            <xsl:call-template name="tt:where"/>
          </xsl:variable>
          <xsl:for-each select="$keys">
            <mention path="{tt:path($m)}" type="{?1}" key="{?2}" text="{$context?text}"
                     before="{$context?before}" after="{$context?after}">
              <xsl:sequence select="$where"/>
              <xsl:if test="?1 = 'person'">
                <xsl:for-each select="$m//tei:roleName ! tt:plain(.)[. != '']"><role>{.}</role></xsl:for-each>
              </xsl:if>
            </mention>
          </xsl:for-each>
        </xsl:if>
      </xsl:for-each>
      <xsl:for-each select="//(tei:date | tei:docDate | tei:origDate | tei:time)">
        <xsl:variable name="context" as="map(xs:string, xs:string)" select="tt:context(.)"/>
        <date path="{tt:path(.)}" element="{local-name()}" text="{tt:plain(.)}"
              before="{$context?before}" after="{$context?after}" part="{
            if (ancestor::tei:teiHeader) then 'teiHeader'
            else if (ancestor::tei:standOff) then 'standOff'
            else if (tt:in-text(.)) then 'text' else 'other'}">
          <xsl:call-template name="tt:iso-attributes"/>
          <xsl:if test="normalize-space(@cert) != ''"><xsl:attribute name="cert" select="@cert"/></xsl:if>
          <xsl:call-template name="tt:where"/>
        </date>
      </xsl:for-each>
    </facts>
  </xsl:template>

  <!-- @when, @from, @to, @notBefore, @notAfter (or their -iso forms), trimmed. -->
  <xsl:template name="tt:iso-attributes" as="attribute()*">
    <xsl:variable name="e" as="element()" select="."/>
    <xsl:for-each select="'when', 'from', 'to', 'notBefore', 'notAfter'">
      <xsl:variable name="name" as="xs:string" select="."/>
      <xsl:variable name="value" as="xs:string" select="normalize-space((
          $e/@*[local-name() = $name and namespace-uri() = ''][normalize-space(.) != ''],
          $e/@*[local-name() = $name || '-iso' and namespace-uri() = ''])[1])"/>
      <xsl:if test="$value != ''"><xsl:attribute name="{$name}" select="$value"/></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- The item and paragraph of the context node, as attributes. -->
  <xsl:template name="tt:where" as="attribute()*">
    <xsl:variable name="item" as="element()?" select="tt:item-of(.)"/>
    <xsl:variable name="paragraph" as="element()?" select="tt:paragraph-of(.)"/>
    <xsl:if test="$item/@xml:id"><xsl:attribute name="item" select="$item/@xml:id"/></xsl:if>
    <xsl:if test="$item"><xsl:attribute name="item-path" select="tt:path($item)"/></xsl:if>
    <xsl:if test="$item/@type"><xsl:attribute name="item-type" select="$item/@type"/></xsl:if>
    <xsl:if test="$paragraph/@xml:id"><xsl:attribute name="paragraph" select="$paragraph/@xml:id"/></xsl:if>
    <xsl:if test="$paragraph"><xsl:attribute name="paragraph-path" select="tt:path($paragraph)"/></xsl:if>
  </xsl:template>

  <!-- Counts of the text: units, paragraphs, reading characters, pages,
       editorial interventions and gaps. -->
  <xsl:template name="tt:counts" as="element()*">
    <xsl:param name="in-text" as="element()*"/>
    <xsl:variable name="texts" as="element()*" select="//tei:text[not(ancestor::tei:text)]"/>
    <xsl:variable name="pbs" as="element()*" select="//tei:pb"/>
    <count group="text" name="items" n="{count(//tei:div[@type = 'item'])}"/>
    <count group="text" name="divisions" n="{count(//(tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7))}"/>
    <count group="text" name="paragraphs" n="{count($in-text/self::tei:p)}"/>
    <count group="text" name="characters" n="{sum($texts ! string-length(replace(tt:plain(.), '\s', '')))}"/>
    <count group="text" name="pages" n="{count($pbs)}"/>
    <count group="text" name="pages_numbered" n="{count(distinct-values($pbs/@n[. != '']))}"/>
    <xsl:for-each-group select="$in-text/self::tei:choice" group-by="
        let $names := sort(distinct-values(*/local-name()))
        return if (exists($names)) then 'choice ' || string-join($names, '/') else 'choice (empty)'">
      <count group="interventions" name="{current-grouping-key()}" n="{count(current-group())}"/>
    </xsl:for-each-group>
    <xsl:for-each select="'supplied', 'unclear', 'add', 'del', 'surplus'">
      <xsl:variable name="name" as="xs:string" select="."/>
      <xsl:variable name="n" as="xs:integer" select="count($in-text[local-name() = $name])"/>
      <xsl:if test="$n > 0"><count group="interventions" name="{$name}" n="{$n}"/></xsl:if>
    </xsl:for-each>
    <xsl:for-each select="'corr', 'sic'">
      <xsl:variable name="name" as="xs:string" select="."/>
      <xsl:variable name="n" as="xs:integer" select="count($in-text[local-name() = $name][not(parent::tei:choice)])"/>
      <xsl:if test="$n > 0"><count group="interventions" name="{$name} (alone)" n="{$n}"/></xsl:if>
    </xsl:for-each>
    <xsl:for-each-group select="$in-text/self::tei:note" group-by="'note ' || (normalize-space(@type)[. != ''], '(no type)')[1]">
      <count group="interventions" name="{current-grouping-key()}" n="{count(current-group())}"/>
    </xsl:for-each-group>
    <xsl:for-each-group select="$in-text/self::tei:gap" group-by="(normalize-space(@reason)[. != ''], '(no reason)')[1]">
      <count group="gaps" name="{current-grouping-key()}" n="{count(current-group())}"/>
    </xsl:for-each-group>
  </xsl:template>

  <xsl:function name="tt:path" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="string-join($e/ancestor-or-self::* ! string(count(preceding-sibling::*) + 1), '.')"/>
  </xsl:function>

</xsl:stylesheet>
