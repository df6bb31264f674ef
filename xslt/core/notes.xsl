<?xml version="1.0" encoding="UTF-8"?>
<!-- Guidelines ch. 3.9 (notes) and 16.1 (pointers): notes leave an anchor
     where they stand and are listed by the layer; ref/ptr become links only
     through tt:safe-href (http, https, mailto, relative). -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <!-- THE note numbering of every format (site, EPUB, text): notes are
       numbered through their unit (an item, the preface; tt:unit-of), from 1;
       a note outside any unit by its place among all notes of the text.
       Layers call this and never override it, so a note has one number
       wherever it is read (the EPUB lists a content document's notes by unit). -->
  <xsl:function name="tt:note-number" as="xs:integer">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="($tt:note-numbers(generate-id($note)), tt:count-note-number($note))[1]"/>
  </xsl:function>

  <!-- The definition, for a note the map below lacks (one outside the text). -->
  <xsl:function name="tt:count-note-number" as="xs:integer">
    <xsl:param name="note" as="element()"/>
    <xsl:variable name="scope" as="node()" select="(tt:unit-of($note), $tt:root)[1]"/>
    <xsl:sequence select="count($scope//tei:note[ancestor::tei:text][. &lt;&lt; $note]) + 1"/>
  </xsl:function>

  <!-- The number of every note of the text, by generate-id(), computed once
       (counting the preceding notes per note grew with the square of the
       notes outside units). Same definition: the place among its unit's
       notes, else among all notes of the text. -->
  <xsl:variable name="tt:note-numbers" as="map(xs:string, xs:integer)" select="map:merge((
      let $all := $tt:root//tei:note[ancestor::tei:text]
      return for $i in 1 to count($all)
             return map{generate-id($all[$i]): $i}[empty(tt:unit-of($all[$i]))],
      for $u in $tt:units
      return let $in := $u//tei:note[ancestor::tei:text]
             return for $i in 1 to count($in)
                    return map{generate-id($in[$i]): $i}[tt:unit-of($in[$i]) is $u]))"/>

  <xsl:template match="tei:note" mode="render" as="item()*">
    <xsl:call-template name="tt:note-anchor">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="number" select="tt:note-number(.)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The body of a note, where the layer lists the notes. -->
  <xsl:template match="tei:note" mode="note" as="item()*">
    <xsl:apply-templates mode="render"/>
  </xsl:template>

  <!-- The href a format gives an internal target; layers override it
       (the HTML site: "file.html#id"; the EPUB its own file layout). -->
  <xsl:function name="tt:internal-href" as="xs:string" visibility="public">
    <xsl:param name="target" as="element()"/>
    <xsl:sequence select="'#' || tt:id($target)"/>
  </xsl:function>

  <!-- A live href for a pointer value, or the empty sequence: a local
       pointer through tt:local-href, an http(s)/mailto URL as is, a relative
       reference if the layer keeps them ($tt:relative-links). -->
  <xsl:function name="tt:href" as="xs:string?">
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:variable name="safe" as="xs:string?" select="tt:safe-href($pointer)"/>
    <xsl:variable name="local" as="element()?" select="
        if (starts-with(string($safe), '#')) then key('tt:id', substring($safe, 2), $tt:root)[1] else ()"/>
    <xsl:sequence select="
        if (exists($local)) then tt:local-href($local)
        else if (starts-with(string($safe), '#')) then ()
        else if (matches(string($safe), '^(https?|mailto):', 'i')) then $safe
        else $safe[$tt:relative-links]"/>
  </xsl:function>

  <!-- Hooks of tt:href. The href of a local target, empty where the layer's
       file layout does not hold it (the EPUB: outside every content document). -->
  <xsl:function name="tt:local-href" as="xs:string?" visibility="public">
    <xsl:param name="target" as="element()"/>
    <xsl:sequence select="tt:internal-href($target)"/>
  </xsl:function>
  <!-- Does a relative reference (another file beside the output) stay live? -->
  <xsl:variable name="tt:relative-links" as="xs:boolean" select="true()" visibility="public"/>

  <xsl:template match="tei:ref" mode="render" as="item()*">
    <xsl:call-template name="tt:link">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="href" select="tt:href(tokenize(normalize-space(@target), ' ')[1])"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:ptr" mode="render" as="item()*">
    <xsl:call-template name="tt:link">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="href" select="tt:href(tokenize(normalize-space(@target), ' ')[1])"/>
    </xsl:call-template>
  </xsl:template>
  <!-- A pointer shows its target's head, else the target's id, else the pointer. -->
  <xsl:template match="tei:ptr" mode="tt:content" as="item()*">
    <xsl:variable name="target" as="element()?" select="tt:targets(@target)[1]"/>
    <xsl:value-of select="if ($target/tei:head) then tt:plain($target/tei:head[1])
                          else if ($target) then tt:id($target) else normalize-space(@target)"/>
  </xsl:template>

</xsl:stylesheet>
