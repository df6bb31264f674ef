<?xml version="1.0" encoding="UTF-8"?>
<!-- What the edition's registers and queries count, defined once for every
     layer (HTML registers, EPUB index, tei-tools entities / stats / export):
     what is "in the text", the item and the paragraph holding a node, what a
     mention is and which entry or name it designates, the context shown
     around it, an entry's type and roles. No output markup here. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <!-- Characters of reading text on each side of a mention in its context. -->
  <xsl:variable name="tt:context-width" as="xs:integer" select="40"/>

  <!-- Is the node inside a tei:text (not the header, not standOff)? -->
  <xsl:function name="tt:in-text" as="xs:boolean">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="exists($n/ancestor::tei:text) and empty($n/ancestor::tei:teiHeader | $n/ancestor::tei:standOff)"/>
  </xsl:function>

  <!-- The item (article) holding a node: the nearest div[@type='item'],
       else (other TEI) the nearest div, div1 … div7. -->
  <xsl:function name="tt:item-of" as="element()?">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="($n/ancestor::tei:div[@type = 'item'][1],
        $n/ancestor::*[self::tei:div or self::tei:div1 or self::tei:div2 or self::tei:div3
            or self::tei:div4 or self::tei:div5 or self::tei:div6 or self::tei:div7][1])[1]"/>
  </xsl:function>

  <!-- Blocks that hold a paragraph's worth of text when there is no p/ab. -->
  <xsl:function name="tt:is-text-block" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e[self::tei:head or self::tei:l or self::tei:item or self::tei:cell
        or self::tei:note or self::tei:quote or self::tei:bibl or self::tei:label or self::tei:docTitle
        or self::tei:byline or self::tei:dateline or self::tei:salute or self::tei:signed
        or self::tei:trailer or self::tei:argument or self::tei:epigraph])"/>
  </xsl:function>

  <!-- The paragraph holding a node (the node itself included): the nearest
       p or ab, else the nearest other text block. -->
  <xsl:function name="tt:paragraph-of" as="element()?">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="($n/ancestor-or-self::*[self::tei:p or self::tei:ab][1],
        $n/ancestor-or-self::*[tt:is-text-block(.)][1])[1]"/>
  </xsl:function>

  <!-- The block a mention's context is read in: the innermost paragraph-like
       block (a figure is its own block: its caption does not interrupt the
       paragraph around it), else the parent. -->
  <xsl:function name="tt:context-block" as="element()">
    <xsl:param name="m" as="element()"/>
    <xsl:sequence select="($m/ancestor::*[self::tei:p or self::tei:ab or self::tei:figure
        or tt:is-text-block(.)][1], $m/.., $m)[1]"/>
  </xsl:function>

  <!-- The context of a mention: reading text before it, its own reading and
       the reading after it in its block, each side cut to $tt:context-width
       characters, with "…" where it was cut. Whitespace is collapsed; a space
       next to the mention is kept (words stay apart in other TEI). -->
  <xsl:function name="tt:context" as="map(xs:string, xs:string)">
    <xsl:param name="m" as="element()"/>
    <xsl:variable name="texts" as="text()*" select="tt:reading-texts(tt:context-block($m))"/>
    <xsl:sequence select="map{
        'before': tt:context-side(string-join($texts[. &lt;&lt; $m]), true()),
        'text': tt:plain($m),
        'after': tt:context-side(string-join($texts[. >> $m] except $m//text()), false())}"/>
  </xsl:function>

  <!-- One side of a context: whitespace collapsed, the space away from the
       mention dropped, cut to $tt:context-width characters next to the
       mention with "…" where it was cut. A long side is collapsed from its
       4 × width characters next to the mention only: collapsing is local, so
       when those give more than width + 1 characters, the width next to the
       mention and the cut are those of the whole side (a run of whitespace
       across the boundary is one space either way). -->
  <xsl:function name="tt:context-side" as="xs:string">
    <xsl:param name="raw" as="xs:string"/>
    <xsl:param name="before" as="xs:boolean"/>
    <xsl:variable name="w" as="xs:integer" select="$tt:context-width"/>
    <xsl:variable name="n" as="xs:integer" select="string-length($raw)"/>
    <xsl:variable name="near" as="xs:string" select="
        if ($n le 4 * $w) then ''
        else tt:collapsed(if ($before) then substring($raw, $n - 4 * $w + 1) else substring($raw, 1, 4 * $w), true(), true())"/>
    <xsl:variable name="side" as="xs:string" select="
        if (string-length($near) gt $w + 1) then ''
        else tt:collapsed($raw, not($before), $before)"/>
    <xsl:sequence select="
        if (string-length($near) gt $w + 1)
          then (if ($before) then '…' || substring($near, string-length($near) - $w + 1) else substring($near, 1, $w) || '…')
        else if (string-length($side) le $w) then $side
        else if ($before) then '…' || substring($side, string-length($side) - $w + 1)
        else substring($side, 1, $w) || '…'"/>
  </xsl:function>

  <!-- replace($s, '\s+', ' ') without a regular expression (asked twice per
       mention): each run of whitespace one space; a space left at the start
       only if $lead, at the end only if $trail. -->
  <xsl:function name="tt:collapsed" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="lead" as="xs:boolean"/>
    <xsl:param name="trail" as="xs:boolean"/>
    <xsl:variable name="inner" as="xs:string" select="normalize-space($s)"/>
    <xsl:sequence select="
        if ($inner = '') then (if ($s != '' and $lead and $trail) then ' ' else '')
        else (if ($lead and normalize-space(substring($s, 1, 1)) = '') then ' ' else '')
             || $inner
             || (if ($trail and normalize-space(substring($s, string-length($s))) = '') then ' ' else '')"/>
  </xsl:function>

  <!-- The type of a register entry, from the register it belongs to. -->
  <xsl:function name="tt:entry-type" as="xs:string?">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="for $r in tt:register-of($entry) return map{'persons': 'person',
        'organisations': 'org', 'places': 'place', 'events': 'event', 'works': 'work'}($r)"/>
  </xsl:function>

  <!-- The type of a name that points to no register entry, from its element
       (rs and name: from @type). -->
  <xsl:function name="tt:name-type" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="
        if ($e/self::tei:persName) then 'person'
        else if ($e/self::tei:orgName) then 'org'
        else if ($e/self::tei:placeName or $e/self::tei:geogName) then 'place'
        else if ($e/self::tei:eventName) then 'event'
        else if ($e/self::tei:title) then 'work'
        else if ($e/self::tei:rs or $e/self::tei:name) then
          map{'person': 'person', 'persname': 'person', 'people': 'person', 'org': 'org',
              'organisation': 'org', 'organization': 'org', 'place': 'place',
              'placename': 'place', 'event': 'event', 'work': 'work', 'title': 'work',
              'bibl': 'work'}(lower-case(normalize-space($e/@type)))
        else ()"/>
  </xsl:function>

  <!-- What a mention in the text designates, as (type, key) pairs: each
       register entry its @ref points to; else, for a name element, each
       pointer of its @ref, else its @key, else its reading ("text:TYPE:…"). -->
  <xsl:function name="tt:mention-keys" as="array(xs:string)*">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="pointers" as="xs:string*" select="tokenize(normalize-space($e/@ref), ' ')"/>
    <xsl:variable name="entries" as="element()*" select="tt:targets($e/@ref)[exists(tt:entry-type(.))]"/>
    <xsl:variable name="kind" as="xs:string?" select="tt:name-type($e)"/>
    <xsl:sequence select="
        if (exists($entries)) then $entries ! [tt:entry-type(.), string(@xml:id)]
        else if (empty($kind)) then ()
        else if (exists($pointers)) then $pointers ! [$kind, .]
        else if (normalize-space($e/@key) != '') then [$kind, normalize-space($e/@key)]
        else if (tt:plain($e) != '') then [$kind, 'text:' || $kind || ':' || tt:plain($e)]
        else ()"/>
  </xsl:function>

  <!-- The roles of an entry: its @role, then its occupation and roleName
       elements, distinct, in document order. -->
  <xsl:function name="tt:entry-roles" as="xs:string*">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="distinct-values((normalize-space($entry/@role),
        $entry//(tei:occupation | tei:roleName) ! tt:plain(.))[. != ''])"/>
  </xsl:function>

</xsl:stylesheet>
