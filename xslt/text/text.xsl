<?xml version="1.0" encoding="UTF-8"?>
<!--
  Plain text (dist/txt/): the whole document as one UTF-8 file and one file
  per unit (items/…txt), in the chosen reading (core $reading), NFC, LF.

  Every file opens with a metadata header between two lines of three
  hyphens (id, title, author, date, source, licence, rights, version,
  reading; values are JSON strings, so the header is also YAML front
  matter) and a blank line. Editorial matter is always in brackets: 〔…〕 for what the editors
  add (source lines, gap markers, figure descriptions, the note anchor
  〔注1〕 where a note is cited and the note 〔注1：…〕 after the text, page
  markers 〔第4页〕 or 〔第4页（推定）〕 for an inferred place, readings of an
  apparatus), ［…］ for text they supplied. With $editorial false all of it
  is left out (supplied text stays, without brackets). A page marker never
  splits a word: one that falls between two characters of running text
  moves past the rest of that run and the punctuation ending it.

  Blocks are separated by a blank line, lines of verse by a line break;
  inside a block, runs of XML whitespace become one space.
  Parameters: $reading (core), $page-markers as xs:boolean,
  $editorial as xs:boolean, $basename as xs:string.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:param name="page-markers" as="xs:boolean" select="false()"/>
  <xsl:param name="basename" as="xs:string" select="'text'"/>
  <xsl:param name="editorial" as="xs:boolean" select="true()"/>

  <xsl:output name="txt" method="text" encoding="UTF-8"/>
  <!-- the unnamed mode: the document node only (the entry) -->
  <xsl:mode on-no-match="fail" on-multiple-match="fail"/>

  <!-- Noncharacters used as layout marks until the final clean-up. -->
  <xsl:variable name="tt:BLOCK" as="xs:string" select="codepoints-to-string(64976)"/>
  <xsl:variable name="tt:LINE" as="xs:string" select="codepoints-to-string(64977)"/>
  <!-- around a page marker until it is moved to a word boundary -->
  <xsl:variable name="tt:PB" as="xs:string" select="codepoints-to-string(64980)"/>
  <xsl:variable name="tt:PB-END" as="xs:string" select="codepoints-to-string(64981)"/>
  <!-- marks after which a page marker may stand -->
  <xsl:variable name="tt:BREAKS" as="xs:string" select="'，。；：！？、）》」』”’…—,.;:!?)'"/>

  <xsl:variable name="tt:booklet" as="element()?" select="$tt:header/tei:fileDesc/tei:sourceDesc/(tei:bibl | tei:biblStruct)[1]"/>

  <xsl:template match="/" as="item()*">
    <!-- the whole text with each unit as a slot (tt:whole-text) -->
    <xsl:variable name="slotted" as="item()*">
      <xsl:apply-templates select="/*/tei:text" mode="render">
        <xsl:with-param name="tt:slots" as="xs:boolean" tunnel="yes" select="true()"/>
      </xsl:apply-templates>
    </xsl:variable>
    <xsl:result-document href="{$basename}.txt" format="txt">
      <xsl:value-of select="tt:text-header(()) || tt:whole-text(string-join($slotted ! string(.)))"/>
    </xsl:result-document>
    <xsl:for-each select="$tt:units">
      <xsl:result-document href="items/{tt:unit-file(.)}.txt" format="txt">
        <xsl:value-of select="tt:text-header(.) || $tt:unit-files-text(generate-id(.))"/>
      </xsl:result-document>
    </xsl:for-each>
    <xsl:sequence select="string-join(($basename || '.txt', $tt:units ! ('items/' || tt:unit-file(.) || '.txt')), ' ')"/>
  </xsl:template>

  <!-- The whole text after its title: the text's rendering (given with
       each unit that has text as a slot, $tt:SLOT number $tt:SLOT), then the
       notes outside units. Finishing is local: a unit's text, between two
       $tt:BLOCK marks, comes out of tt:finish as the unit file's text between
       two blank lines whatever surrounds it; so the whole text is finished
       with the slots in it (the units' text is not finished twice) and each
       slot replaced by its unit's finished text. Where that does not hold
       (page markers, which may move across a line end; a unit not rendered
       once in its place, as in a note), the whole text is rendered and
       finished as one string. -->
  <xsl:function name="tt:whole-text" as="xs:string">
    <xsl:param name="slotted" as="xs:string"/>
    <xsl:variable name="title" as="xs:string*" select="
        if ($editorial) then ('〔' || $tt:edition-title || (if ($reading = 'diplomatic') then '（原文读本）' else '（校改后读本）') || '〕', $tt:BLOCK) else ()"/>
    <xsl:variable name="notes" as="xs:string*" select="tt:notes-text($tt:root//tei:text//tei:note[empty(tt:unit-of(.))])"/>
    <xsl:variable name="pieces" as="xs:string*" select="
        if (some $t in ($slotted, $notes, map:for-each($tt:unit-texts, function($k, $v) { $v }))
            satisfies (contains($t, $tt:PB) or contains($t, $tt:PB-END))) then ()
        else tokenize(tt:finish(string-join(($title, $slotted, $notes))), $tt:SLOT)"/>
    <xsl:variable name="slots" as="xs:string*" select="$pieces[position() mod 2 = 0]"/>
    <xsl:sequence select="
        if (exists($pieces) and deep-equal($slots, $tt:slotted-units ! string(tt:unit-number(.))))
        then string-join(for $i in 1 to count($pieces) return
               if ($i mod 2 = 1) then $pieces[$i]
               else let $f := $tt:unit-files-text(generate-id($tt:units[xs:integer($pieces[$i])]))
                    return substring($f, 1, string-length($f) - 1))
        else tt:finish(string-join(($title, tt:render($tt:root/*/tei:text), $notes)))"/>
  </xsl:function>

  <!-- A unit's slot in the whole text; a noncharacter the finishing keeps. -->
  <xsl:variable name="tt:SLOT" as="xs:string" select="codepoints-to-string(64978)"/>

  <!-- Each unit's finished text (its file after the header), once. -->
  <xsl:variable name="tt:unit-files-text" as="map(xs:string, xs:string)"
      select="map:merge($tt:units ! map{generate-id(.): tt:finish($tt:unit-texts(generate-id(.)))})"/>

  <!-- The units that have text (a slot each), in document order. -->
  <xsl:variable name="tt:slotted-units" as="element()*"
      select="$tt:units[string-length($tt:unit-files-text(generate-id(.))) gt 1]"/>

  <!-- The metadata header of the whole text (no unit) or of a unit: the
       fields that depend on the unit, then those of the edition (licence,
       rights, version, reading), written once for every file. -->
  <xsl:function name="tt:text-header" as="xs:string">
    <xsl:param name="unit" as="element()?"/>
    <xsl:variable name="s" as="element()?" select="$unit ! tt:source-of(.)"/>
    <xsl:sequence select="string-join((
        '---',
        tt:header-field('id', if ($unit) then $tt:header-idno || '/' || tt:unit-file($unit) else $tt:header-idno),
        tt:header-field('title', if ($unit) then tt:title-of($unit) else $tt:edition-title),
        tt:header-field('author', string-join(if ($unit) then $s/tei:analytic/tei:author ! tt:plain(.)
                                             else $tt:edition-authors, '；')),
        tt:header-field('date', string(if ($unit) then ($s/tei:monogr/tei:imprint/tei:date/@when, $s/tei:monogr/tei:imprint/tei:date)[1]
                                       else ($tt:booklet/tei:date/@when, $tt:booklet/tei:date)[1])),
        tt:header-field('source', if ($unit) then string(tt:source-line($unit))
                                  else string-join((($tt:booklet/tei:title)[1] ! ('《' || normalize-space(.) || '》'),
                                                    $tt:booklet/(tei:editor | tei:author) ! normalize-space(.)), '，')),
        $tt:header-end), '&#10;')"/>
  </xsl:function>

  <xsl:variable name="tt:header-idno" as="xs:string" select="
      ($tt:header/tei:fileDesc/tei:publicationStmt/tei:idno ! normalize-space(.), $basename)[. != ''][1]"/>

  <xsl:variable name="tt:header-end" as="xs:string" select="string-join((
      tt:header-field('licence', string-join($tt:licences ! string-join((normalize-space(.), @target ! string(.))[. != ''], ' '), '；')),
      tt:header-field('rights', string-join($tt:header/tei:fileDesc/tei:publicationStmt/tei:availability/tei:p ! normalize-space(.), ' ')),
      tt:header-field('version', $tt:edition-date),
      tt:header-field('reading', $reading || (if ($editorial) then '' else ', no editorial matter')),
      '---', '', ''), '&#10;')"/>

  <!-- One line of the header: the value as a JSON string ("/" unescaped).
       A value of letters, marks, digits, punctuation, symbols and spaces
       other than " and \ needs no escape and is quoted as it is (most
       values; the JSON serialiser is slow to start per value). -->
  <xsl:function name="tt:header-field" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="value" as="xs:string"/>
    <xsl:sequence select="$name || ': ' || (
        if (matches($value, '^[\p{L}\p{M}\p{N}\p{P}\p{S} &amp;&amp;[^&quot;\\]]*\z', ';j')) then '&quot;' || $value || '&quot;'
        else replace(serialize($value, map{'method': 'json'}), '\\/', '/'))"/>
  </xsl:function>

  <xsl:function name="tt:render" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="parts" as="item()*"><xsl:apply-templates select="$nodes" mode="render"/></xsl:variable>
    <xsl:sequence select="string-join($parts ! string(.))"/>
  </xsl:function>

  <!-- Whitespace runs to one space; marks to blank lines / line breaks; NFC. -->
  <xsl:function name="tt:finish" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="spaced" as="xs:string" select="replace($s, '\s+', ' ', ';j')"/>
    <xsl:variable name="blocks" as="xs:string" select="replace($spaced,
        ' *[' || $tt:BLOCK || $tt:LINE || ' ]*' || $tt:BLOCK || '[' || $tt:BLOCK || $tt:LINE || ' ]*', '&#10;&#10;', ';j')"/>
    <xsl:variable name="lines" as="xs:string" select="if (not(contains($blocks, $tt:LINE))) then $blocks
        else replace($blocks, ' *' || $tt:LINE || '[' || $tt:LINE || ' ]*', '&#10;', ';j')"/>
    <!-- no marker, nothing to move (page markers are off by default) -->
    <xsl:variable name="marked" as="xs:string" select="
        if (contains($lines, $tt:PB) or contains($lines, $tt:PB-END)) then tt:place-page-markers($lines) else $lines"/>
    <xsl:sequence select="normalize-unicode(tt:trim($marked), 'NFC') || '&#10;'"/>
  </xsl:function>

  <!-- replace($s, '^\s+|\s+\z', '', ';j'): the expression tries every space of
       a long text; the runs at both ends are looked for in its first and last
       64 characters, the whole string only when a run may be longer. -->
  <xsl:function name="tt:trim" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="n" as="xs:integer" select="string-length($s)"/>
    <xsl:variable name="lead" as="xs:integer" select="
        64 - string-length(replace(substring($s, 1, 64), '^\s+', '', ';j'))"/>
    <xsl:variable name="trail" as="xs:integer" select="
        64 - string-length(replace(substring($s, $n - 63), '\s+\z', '', ';j'))"/>
    <xsl:sequence select="if ($n lt 128 or $lead ge 64 or $trail ge 64) then replace($s, '^\s+|\s+\z', '', ';j')
        else substring($s, $lead + 1, $n - $lead - $trail)"/>
  </xsl:function>

  <!-- A page marker between two characters of running text moves past the
       rest of that run (editorial marks such as a note anchor included) and
       the punctuation that ends it, or to the end of its line; one after a
       punctuation mark, a space or a line start stays. -->
  <xsl:function name="tt:place-page-markers" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="marker" as="xs:string" select="$tt:PB || '[^' || $tt:PB-END || ']*' || $tt:PB-END"/>
    <xsl:variable name="moved" as="xs:string" select="replace($s,
        '([^\s' || $tt:BREAKS || $tt:PB-END || '])(' || $marker || ')((?:[^\s' || $tt:BREAKS || '〔' || $tt:PB || ']|〔[^〔〕]*〕)*[' || $tt:BREAKS || ']*)',
        '$1$3$2', ';j')"/>
    <xsl:sequence select="translate($moved, $tt:PB || $tt:PB-END, '')"/>
  </xsl:function>

  <xsl:function name="tt:notes-text" as="xs:string*">
    <xsl:param name="notes" as="element()*"/>
    <xsl:for-each select="$notes[$editorial]">
      <xsl:sequence select="$tt:BLOCK || '〔注' || tt:note-number(.) || '：' || normalize-space(tt:render(node())) || '〕'"/>
    </xsl:for-each>
  </xsl:function>

  <!-- Each unit rendered once (units never nest), by generate-id(): the whole
       text and the unit's own file both use it, so the document is rendered
       once, not twice. -->
  <xsl:variable name="tt:unit-texts" as="map(xs:string, xs:string)"
      select="map:merge($tt:units ! map{generate-id(.): tt:render-unit(.)})"/>

  <!-- A unit: its heads, then its source line, the text, then its notes. -->
  <xsl:function name="tt:render-unit" as="xs:string">
    <xsl:param name="unit" as="element()"/>
    <xsl:for-each select="$unit">
      <xsl:variable name="head" as="element()?" select="tt:last-leading-head(.)"/>
      <xsl:variable name="source" as="xs:string?" select="tt:source-line(.)"/>
      <xsl:sequence select="string-join((
          $tt:BLOCK,
          if ($head) then tt:render(node()[not(. >> $head)]) else (),
          if ($source and $editorial) then ($tt:BLOCK, '〔来源：' || $source || '〕', $tt:BLOCK) else (),
          tt:render(if ($head) then node()[. >> $head] else node()),
          tt:notes-text(.//tei:note),
          $tt:BLOCK))"/>
    </xsl:for-each>
  </xsl:function>

  <!-- A node's content as one string (where a hook needs it as a value). -->
  <xsl:function name="tt:content-text" as="xs:string">
    <xsl:param name="node" as="element()"/>
    <xsl:variable name="parts" as="item()*"><xsl:apply-templates select="$node" mode="tt:content"/></xsl:variable>
    <xsl:sequence select="string-join($parts ! string(.))"/>
  </xsl:function>

  <!-- ===== What this layer overrides in the core (urn:x-tei-tools:core) ===== -->
  <xsl:use-package name="urn:x-tei-tools:core" package-version="1.0">
  <xsl:override>
  <xsl:variable name="tt:root" as="document-node()" select="/"/>

  <xsl:template match="*[tt:is-unit(.)]" mode="render" priority="5" as="xs:string">
    <xsl:param name="tt:slots" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:sequence select="if ($tt:slots and string-length($tt:unit-files-text(generate-id(.))) gt 1)
        then $tt:BLOCK || $tt:SLOT || tt:unit-number(.) || $tt:SLOT || $tt:BLOCK
        else $tt:unit-texts(generate-id(.))"/>
  </xsl:template>

  <!-- ===== Hooks ===== -->
  <!-- The hooks return sequences of strings and text nodes, joined once
       where a text is finished (tt:render): the content is written into the
       sequence once (mode tt:content), not joined at every level. -->
  <!-- A block, and so a paragraph and a head (the core's tt:paragraph and
       tt:heading call tt:block): its text between blank lines. -->
  <xsl:template name="tt:block" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:sequence select="$tt:BLOCK"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
    <xsl:sequence select="$tt:BLOCK"/>
  </xsl:template>
  <xsl:template name="tt:inline" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="$node/self::tei:figDesc">
        <xsl:sequence select="if ($editorial) then '〔图片说明：' || normalize-space(tt:content-text($node)) || '〕' else ''"/>
      </xsl:when>
      <xsl:when test="tokenize($class, ' ') = ('l', 'item', 'p', 'ab', 'block')">
        <xsl:sequence select="$tt:LINE"/>
        <xsl:apply-templates select="$node" mode="tt:content"/>
        <xsl:sequence select="$tt:LINE"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="$node" mode="tt:content"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <!-- A choice shows its chosen branch only; an apparatus keeps its other
       readings as an editorial addition. -->
  <xsl:template name="tt:correction" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
    <xsl:if test="$node/self::tei:app and $editorial">
      <xsl:variable name="other" as="item()*"><xsl:apply-templates select="$node" mode="tt:other"/></xsl:variable>
      <xsl:sequence select="if (exists($other)) then '〔' || replace($label, '[〔〕]', '') || '〕' else ''"/>
    </xsl:if>
  </xsl:template>
  <xsl:template name="tt:page-break" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="anchor" as="xs:string"/>
    <xsl:sequence select="if ($page-markers and $editorial) then $tt:PB || '〔第' || normalize-space($node/@n) || '页'
        || (if ($node/@cert) then '（推定）' else '') || '〕' || $tt:PB-END else ''"/>
  </xsl:template>
  <xsl:template name="tt:gap" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:sequence select="if ($editorial) then '〔' || $label || '〕' else ''"/>
  </xsl:template>
  <xsl:template name="tt:supplied" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:sequence select="'［'[$editorial]"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
    <xsl:sequence select="'］'[$editorial]"/>
  </xsl:template>
  <!-- Where a note is cited: 〔注1〕 (the note itself follows the text). -->
  <xsl:template name="tt:note-anchor" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="number" as="xs:integer"/>
    <xsl:sequence select="if ($editorial) then '〔注' || $number || '〕' else ''"/>
  </xsl:template>
  <xsl:template name="tt:line-break" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:sequence select="if ($node/self::tei:lb and $reading = 'diplomatic' and not($node/@break = 'no')) then $tt:LINE else ''"/>
  </xsl:template>
  <xsl:template name="tt:unknown" as="item()*">
    <xsl:param name="node" as="element()"/>
    <xsl:param name="is-block" as="xs:boolean"/>
    <xsl:sequence select="$tt:BLOCK[$is-block]"/>
    <xsl:apply-templates select="$node" mode="tt:content"/>
    <xsl:sequence select="$tt:BLOCK[$is-block]"/>
  </xsl:template>
  </xsl:override>
  </xsl:use-package>

</xsl:stylesheet>
