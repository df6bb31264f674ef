<?xml version="1.0" encoding="UTF-8"?>
<!--
  EPUB file layout: how the TEI text is cut into XHTML content documents.

  A chunk is a run of sibling nodes of a text division container (front,
  body, back, group) that ends with one top-level division (div, div1,
  titlePage, a nested text of a group); what follows the last division is
  added to the last chunk. So a page break standing between two divisions
  (<pb n="19"/> before the section 党报采集) opens the file of the division it
  precedes, and no node of the text is left out of the spine.

  Every chunk is a map:
    file   path of the content document, relative to the package document
    nodes  the TEI nodes it renders, in document order
    kind   'cover' | 'titlepage' | 'front' | 'body' | 'back' | 'registers' | 'colophon'
    title  the plain-text title for <title> and the navigation
    main   the division that names the chunk (empty for a generated page)

  Functions only: no templates, no mode. Used by nav.xsl, package.xsl and the
  link-target overrides of epub.xsl.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:tt="urn:x-tei-tools"
  expand-text="yes"
  exclude-result-prefixes="#all">

  <!-- The outermost text: the one whose front/body/back are cut. -->
  <xsl:variable name="tt:epub-text" as="element(tei:text)?"
    select="(/tei:TEI/tei:text, /tei:teiCorpus/tei:TEI[1]/tei:text)[1]"/>

  <!-- The generated title page, first in the spine after the cover. -->
  <xsl:variable name="tt:titlepage-file" as="xs:string" select="'text/titlepage.xhtml'"/>
  <xsl:variable name="tt:nav-file" as="xs:string" select="'nav.xhtml'"/>
  <xsl:variable name="tt:cover-file" as="xs:string" select="'text/cover.xhtml'"/>
  <xsl:variable name="tt:registers-file" as="xs:string" select="'text/registers.xhtml'"/>

  <!-- Register lists of the standOff, rendered as back matter. -->
  <xsl:variable name="tt:register-lists" as="element()*"
    select="/tei:TEI/tei:standOff/(tei:listPerson | tei:listOrg | tei:listPlace
            | tei:listEvent | tei:listBibl | tei:listNym | tei:list)"/>

  <!-- Is this node a division that ends a chunk? -->
  <xsl:function name="tt:is-chunk-division" as="xs:boolean">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="$node instance of element()
      and exists($node[self::tei:div or self::tei:div1 or self::tei:titlePage
                       or self::tei:text or self::tei:group])"/>
  </xsl:function>

  <!-- Does this node carry content (anything but whitespace and comments)? -->
  <xsl:function name="tt:has-content" as="xs:boolean">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="exists($nodes[self::element() or self::text()[normalize-space()]])"/>
  </xsl:function>

  <!-- The runs of one container, as sequences of nodes wrapped in arrays. -->
  <xsl:function name="tt:runs" as="array(node()*)*">
    <xsl:param name="container" as="element()"/>
    <xsl:variable name="groups" as="array(node()*)*">
      <xsl:for-each-group select="$container/node()[not(self::comment() or self::processing-instruction())]"
        group-ending-with="node()[tt:is-chunk-division(.)]">
        <xsl:sequence select="[current-group()]"/>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:variable name="n" as="xs:integer" select="count($groups)"/>
    <xsl:choose>
      <!-- trailing material with no division of its own joins the previous run -->
      <xsl:when test="$n ge 2 and not(some $x in $groups[$n]?* satisfies tt:is-chunk-division($x))">
        <xsl:sequence select="$groups[position() lt $n - 1],
          [($groups[$n - 1]?*, $groups[$n]?*)]"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="$groups[tt:has-content(?*)]"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- A file name part from an xml:id, when it is safe in a URL and a zip. -->
  <xsl:function name="tt:file-stem" as="xs:string">
    <xsl:param name="main" as="element()?"/>
    <xsl:param name="position" as="xs:integer"/>
    <xsl:variable name="id" as="xs:string" select="string($main/@xml:id)"/>
    <xsl:sequence select="format-integer($position, '00') || '-'
      || (if (matches($id, '^[A-Za-z][A-Za-z0-9_-]{0,63}$')) then $id
          else if ($main) then local-name($main) else 'text')"/>
  </xsl:function>

  <!-- The plain-text title of a division (its head, else its type, else a number). -->
  <xsl:function name="tt:chunk-title" as="xs:string">
    <xsl:param name="main" as="element()?"/>
    <xsl:param name="position" as="xs:integer"/>
    <xsl:variable name="head" as="xs:string" select="tt:plain(($main/tei:head)[1])"/>
    <xsl:sequence select="
      if ($head) then $head
      else if ($main/self::tei:titlePage) then '书名页'
      else if ($main/self::tei:text or $main/self::tei:group)
        then (tt:plain(($main/(tei:front/tei:titlePage//tei:titlePart,
              tei:front/tei:head, tei:body/tei:head, tei:head))[1]),
              '第 ' || $position || ' 部分')[.][1]
      else if ($main/@n) then string($main/@n)
      else if ($main/@type) then string($main/@type) || ' ' || $position
      else '第 ' || $position || ' 部分'"/>
  </xsl:function>

  <!-- All chunks of the publication, in spine order (the title page first). -->
  <xsl:variable name="tt:chunks" as="map(*)*">
    <xsl:variable name="parts" as="element()*"
      select="$tt:epub-text/(tei:front | tei:body | tei:group | tei:back)"/>
    <xsl:variable name="runs" as="map(*)*">
      <xsl:for-each select="$parts">
        <xsl:variable name="part" as="element()" select="."/>
        <xsl:for-each select="tt:runs($part)">
          <xsl:variable name="nodes" as="node()*" select="?*"/>
          <xsl:variable name="main" as="element()?"
            select="$nodes[tt:is-chunk-division(.)][1]"/>
          <xsl:sequence select="map{
            'nodes': $nodes,
            'main': $main,
            'kind': if ($main/self::tei:titlePage and $part/self::tei:front) then 'titlepage'
                    else if ($part/self::tei:group) then 'body'
                    else local-name($part)}"/>
        </xsl:for-each>
      </xsl:for-each>
    </xsl:variable>
    <!-- The TEI's own title page (if any) becomes the EPUB's title page. -->
    <xsl:variable name="tp-index" as="xs:integer?"
      select="(for $i in 1 to count($runs) return $i[$runs[$i]?kind = 'titlepage'])[1]"/>
    <xsl:variable name="tp" as="map(*)?" select="$runs[$tp-index]"/>
    <!-- The cover image, on a page of its own, first. -->
    <xsl:if test="$cover">
      <xsl:sequence select="map{'file': $tt:cover-file, 'nodes': (), 'main': (),
        'kind': 'cover', 'title': '封面'}"/>
    </xsl:if>
    <xsl:sequence select="map{'file': $tt:titlepage-file, 'nodes': $tp?nodes,
      'main': $tp?main, 'kind': 'titlepage', 'title': '书名页'}"/>
    <!-- (position() ne 0 when there is no title page: Saxon 12/13 drops every
         item for `not(position() = ())`) -->
    <xsl:for-each select="$runs[position() ne ($tp-index, 0)[1]]">
      <xsl:variable name="position" as="xs:integer" select="position()"/>
      <xsl:sequence select="map:merge((., map{
        'file': 'text/' || tt:file-stem(?main, $position) || '.xhtml',
        'title': tt:chunk-title(?main, $position)}))"/>
    </xsl:for-each>
    <xsl:if test="exists($tt:register-lists)">
      <xsl:sequence select="map{'file': $tt:registers-file, 'nodes': $tt:register-lists,
        'main': (), 'kind': 'registers', 'title': '索引（人物、机构、地点、事件、文献）'}"/>
    </xsl:if>
    <!-- The colophon (colophon.xsl), from the header: no TEI node of the text. -->
    <xsl:if test="exists(/*/tei:teiHeader)">
      <xsl:sequence select="map{'file': $tt:colophon-file, 'nodes': (), 'main': (),
        'kind': 'colophon', 'title': $tt:colophon-title}"/>
    </xsl:if>
  </xsl:variable>

  <!-- generate-id of every chunk's top nodes → its file. -->
  <xsl:variable name="tt:file-by-top" as="map(xs:string, xs:string)"
    select="map:merge(for $c in $tt:chunks, $n in $c?nodes
                      return map{generate-id($n): $c?file})"/>

  <!-- The content document holding a node ('' when it is not rendered). -->
  <xsl:function name="tt:file-of" as="xs:string">
    <xsl:param name="node" as="node()"/>
    <!-- the nearest ancestor-or-self that tops a chunk (a reverse axis: [1] is
         the nearest); every chunk's top node is a child of a text's front,
         body, back or group or of the standOff, so only those are looked up -->
    <xsl:sequence select="($node/ancestor-or-self::node()[parent::*[self::tei:body or self::tei:front
                             or self::tei:back or self::tei:group or self::tei:standOff]]
                             [map:contains($tt:file-by-top, generate-id(.))][1]
                           ! $tt:file-by-top(generate-id(.)), '')[1]"/>
  </xsl:function>

  <!-- Relative path from one file of the package to another. -->
  <xsl:function name="tt:relative" as="xs:string">
    <xsl:param name="from" as="xs:string"/>
    <xsl:param name="to" as="xs:string"/>
    <xsl:variable name="from-dir" as="xs:string" select="replace($from, '[^/]*$', '')"/>
    <xsl:variable name="to-dir" as="xs:string" select="replace($to, '[^/]*$', '')"/>
    <xsl:sequence select="
      if ($from-dir = $to-dir) then substring($to, string-length($to-dir) + 1)
      else string-join((for $i in 1 to count(tokenize($from-dir, '/')[.]) return '../'), '')
           || $to"/>
  </xsl:function>

</xsl:stylesheet>
