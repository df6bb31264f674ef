<?xml version="1.0" encoding="UTF-8"?>
<!-- Format-neutral functions of the core: identifiers, units (the parts
     that get a page or a file of their own), pointer resolution, registers,
     safe link targets, labels. No output markup here. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:key name="tt:id" match="*[@xml:id]" use="string(@xml:id)"/>
  <!-- every element in the text that points somewhere with @ref, by target id -->
  <xsl:key name="tt:mentions" match="tei:text//*[@ref]"
           use="for $t in tokenize(normalize-space(@ref), ' ')[starts-with(., '#')] return substring($t, 2)"/>

  <xsl:key name="tt:pb-by-n" match="tei:pb" use="normalize-space(@n)"/>

  <!-- $tt:root, the document: declared in core.xsl, given by each format layer -->

  <!-- The units: the parts that each get a page (HTML) or a file (text).
       In this edition (and any TEI using the same convention) the items and
       the preface; elsewhere the top-level divisions of front, body and back;
       a body without divisions is one unit. -->
  <xsl:variable name="tt:units" as="element()*">
    <xsl:variable name="typed" as="element()*"
        select="$tt:root//tei:text//tei:div[@type = ('item', 'preface')]"/>
    <xsl:variable name="candidates" as="element()*" select="
        if (exists($typed)) then $typed
        else $tt:root//tei:text/(tei:front | tei:body | tei:back)/(tei:div | tei:div1)"/>
    <!-- the candidates inside no other: an ancestor looked up in a set (an
         intersection with every candidate per candidate grew with their square:
         0.06 s CPU at 10 MB, 1,807 units) -->
    <xsl:variable name="candidate-set" as="map(xs:string, xs:boolean)"
        select="map:merge($candidates ! map{generate-id(.): true()})"/>
    <xsl:variable name="top" as="element()*"
        select="$candidates[not(ancestor::*[map:contains($candidate-set, generate-id(.))])]"/>
    <xsl:sequence select="
        if (exists($top)) then $top
        else $tt:root//tei:text/tei:body[not(ancestor::tei:body)]"/>
  </xsl:variable>

  <!-- Each unit's position among the units, by generate-id(): unit tests
       and numbers in constant time (asked for every element rendered). -->
  <xsl:variable name="tt:unit-index" as="map(xs:string, xs:integer)"
      select="map:merge(for $i in 1 to count($tt:units) return map{generate-id($tt:units[$i]): $i})"/>

  <xsl:function name="tt:is-unit" as="xs:boolean">
    <xsl:param name="e" as="node()"/>
    <xsl:sequence select="map:contains($tt:unit-index, generate-id($e))"/>
  </xsl:function>

  <xsl:function name="tt:unit-number" as="xs:integer">
    <xsl:param name="unit" as="element()"/>
    <xsl:sequence select="$tt:unit-index(generate-id($unit))"/>
  </xsl:function>

  <xsl:function name="tt:unit-of" as="element()?">
    <xsl:param name="n" as="node()"/>
    <xsl:sequence select="$n/ancestor-or-self::*[map:contains($tt:unit-index, generate-id(.))][1]"/>
  </xsl:function>

  <!-- A page break directly before a unit belongs to that unit's page. -->
  <xsl:function name="tt:leading-pb-of" as="element()*">
    <xsl:param name="unit" as="element()"/>
    <!-- the run of page breaks right before it, one sibling back at a time (not
         a test of every earlier page break of its parent: units between page
         breaks made that quadratic) -->
    <xsl:sequence select="$unit/preceding-sibling::*[1][self::tei:pb] ! (tt:leading-pb-of(.), .)"/>
  </xsl:function>

  <xsl:function name="tt:unit-of-pb" as="element()?">
    <xsl:param name="pb" as="element()"/>
    <xsl:sequence select="(tt:unit-of($pb), $pb/following-sibling::*[not(self::tei:pb)][1][tt:is-unit(.)])[1]"/>
  </xsl:function>

  <!-- A stable identifier: the element's own @xml:id when it is a safe name;
       else the nearest ancestor's (safe) id, its local name and its ordinal
       among the elements of that name in that ancestor's scope
       ("item02-hexie-shequ-p3.placeName2"; the dot keeps it apart from the
       edition's own "{div}-p{n}" ids): text added elsewhere in the
       document never changes it. Outside any identified ancestor the scope
       is the document ("tt.titlePart1"). -->
  <xsl:function name="tt:id" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="
        if (tt:has-safe-id($e)) then string($e/@xml:id)
        else let $scope := $e/ancestor::*[@xml:id][tt:has-safe-id(.)][1]
             return (string($scope/@xml:id)[. != ''], 'tt')[1]
             || '.' || local-name($e)
             || (if (root($e) is $tt:root) then tt:scope-ordinals(($scope, $tt:root)[1])(generate-id($e))
                 else count(key('tt:scoped', tt:scope-key-in($e, $scope), $tt:root)[. &lt;&lt; $e]) + 1)"/>
  </xsl:function>

  <!-- The ordinal of each element of the document without a safe id among those
       of the same name in its scope (tt:scope-key), for one scope (an identified
       element, or the document), computed when a scope is first asked and kept
       (cache): counting the ones before it per element is quadratic where the
       scope is large (a document without ids: every paragraph's scope is the
       document); one map of the whole document made each process pay for every
       scope (~0.2 s CPU at 10 MB) where it asks a few (the search index: its heads). -->
  <xsl:function name="tt:scope-ordinals" as="map(xs:string, xs:integer)" cache="yes">
    <xsl:param name="scope" as="node()"/>
    <xsl:map>
      <xsl:for-each-group select="tt:scope-members($scope)" group-by="name()">
        <xsl:for-each select="current-group()">
          <xsl:map-entry key="generate-id(.)" select="position()"/>
        </xsl:for-each>
      </xsl:for-each-group>
    </xsl:map>
  </xsl:function>

  <!-- The elements whose scope is $parent's, in document order: its descendants
       without a safe id that are not inside one with a safe id. -->
  <xsl:function name="tt:scope-members" as="element()*">
    <xsl:param name="parent" as="node()"/>
    <xsl:sequence select="$parent/*[not(tt:has-safe-id(.))] ! (., tt:scope-members(.))"/>
  </xsl:function>

  <xsl:function name="tt:has-safe-id" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <!-- asked for every element and its ancestors: Java's regex engine (;j) is
         several times faster than Saxon's; \z is the end of the string -->
    <!-- (an element without one, most of those asked, is not given to the regex) -->
    <xsl:sequence select="exists($e/@xml:id) and matches(string($e/@xml:id), '^[A-Za-z][A-Za-z0-9._\-]*\z', ';j')"/>
  </xsl:function>

  <!-- The scope of an element without a safe id: its nearest identified
       ancestor (or the document) and its name. -->
  <xsl:function name="tt:scope-key" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="tt:scope-key-in($e, $e/ancestor::*[@xml:id][tt:has-safe-id(.)][1])"/>
  </xsl:function>

  <!-- The same, its nearest identified ancestor (if any) already found. -->
  <xsl:function name="tt:scope-key-in" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="scope" as="element()?"/>
    <xsl:sequence select="generate-id(($scope, root($e))[1]) || '|' || name($e)"/>
  </xsl:function>
  <xsl:key name="tt:scoped" match="*[not(@xml:id) or not(tt:has-safe-id(.))]" use="tt:scope-key(.)"/>

  <!-- File names the layers use themselves: a unit never takes one. -->
  <xsl:variable name="tt:reserved-files" as="xs:string*" select="
      ('index', 'about', 'search', 'search-index', $tt:register-names,
       'nav', 'package', 'cover', 'toc', 'text', 'assets', 'downloads', 'items')"/>

  <!-- The file of every unit, computed once (asked for every link, page,
       download and identifier of a unit). -->
  <xsl:variable name="tt:unit-files" as="map(xs:string, xs:string)"
      select="map:merge($tt:units ! map{generate-id(.): tt:make-unit-file(.)})"/>

  <xsl:function name="tt:unit-file" as="xs:string">
    <xsl:param name="unit" as="element()"/>
    <xsl:sequence select="($tt:unit-files(generate-id($unit)), tt:make-unit-file($unit))[1]"/>
  </xsl:function>

  <xsl:function name="tt:make-unit-file" as="xs:string">
    <xsl:param name="unit" as="element()"/>
    <xsl:sequence select="
        if (matches(string($unit/@xml:id), '^[A-Za-z][A-Za-z0-9_\-]*$')
            and not(lower-case($unit/@xml:id) = $tt:reserved-files)
            and not(matches($unit/@xml:id, '^part-[0-9]+$', 'i'))) then string($unit/@xml:id)
        else 'part-' || format-integer(tt:unit-number($unit), '01')"/>
  </xsl:function>

  <!-- The elements a pointer attribute value designates (local '#id' only). -->
  <xsl:function name="tt:targets" as="element()*">
    <xsl:param name="pointers" as="xs:string?"/>
    <xsl:sequence select="
        for $t in tokenize(normalize-space($pointers), ' ')[starts-with(., '#')]
        return key('tt:id', substring($t, 2), $tt:root)"/>
  </xsl:function>

  <!-- Register entries: persons, organisations, places, events, works. -->
  <xsl:function name="tt:register-of" as="xs:string?">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="
        if ($entry/self::tei:person or $entry/self::tei:personGrp) then 'persons'
        else if ($entry/self::tei:org) then 'organisations'
        else if ($entry/self::tei:place) then 'places'
        else if ($entry/self::tei:event) then 'events'
        else if (($entry/self::tei:bibl or $entry/self::tei:biblStruct) and $entry/parent::tei:listBibl[ancestor::tei:standOff or ancestor::tei:back])
          then 'works'
        else ()"/>
  </xsl:function>

  <xsl:function name="tt:entry-of" as="element()?">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="tt:targets($e/@ref)[exists(tt:register-of(.))][1]"/>
  </xsl:function>

  <!-- The registers, in the order every layer lists them (HTML pages and
       navigation, the EPUB index). -->
  <xsl:variable name="tt:register-names" as="xs:string+"
      select="('persons', 'organisations', 'places', 'events', 'works')"/>

  <!-- Every register entry of the document, in document order (one scan of
       the document; the query facts list them in this order). -->
  <xsl:variable name="tt:all-entries" as="element()*" select="
      ($tt:root//(tei:person | tei:personGrp | tei:org | tei:place | tei:event | tei:listBibl/tei:bibl | tei:listBibl/tei:biblStruct))
      [@xml:id][exists(tt:register-of(.))]"/>

  <xsl:variable name="tt:register-entries" as="map(xs:string, element()*)" select="
      map:merge(for $r in $tt:register-names return map{$r: $tt:all-entries[tt:register-of(.) = $r]})"/>

  <!-- The registers that have entries, in their order. -->
  <xsl:variable name="tt:registers" as="xs:string*"
      select="$tt:register-names[exists($tt:register-entries(.))]"/>

  <!-- A register's entries in document order. -->
  <xsl:function name="tt:entries" as="element()*">
    <xsl:param name="register" as="xs:string"/>
    <xsl:sequence select="$tt:register-entries($register)"/>
  </xsl:function>

  <!-- THE order of a register's entries wherever it is listed (HTML register
       pages, the EPUB index): by tt:sort-key, document order among equals. -->
  <xsl:function name="tt:sorted-entries" as="element()*">
    <xsl:param name="register" as="xs:string"/>
    <xsl:sequence select="sort(tt:entries($register), (), tt:sort-key#1)"/>
  </xsl:function>

  <xsl:function name="tt:entry-name" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="names" as="element()*"
        select="$entry/(tei:persName | tei:orgName | tei:placeName | tei:label | tei:title | tei:analytic/tei:title | tei:monogr/tei:title | tei:eventName | tei:name)"/>
    <xsl:variable name="best" as="element()?"
        select="($names[not(@type = 'abbr')][not(starts-with(@xml:lang, 'zh-Latn') or @xml:lang = 'en')], $names)[1]"/>
    <xsl:sequence select="if ($best) then normalize-space(string($best)) else string($entry/@xml:id)"/>
  </xsl:function>

  <xsl:function name="tt:entry-pinyin" as="xs:string?">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="($entry/*[starts-with(@xml:lang, 'zh-Latn')] ! normalize-space(.))[1]"/>
  </xsl:function>

  <!-- Sort key: the pinyin letter by letter (no tone marks, no spaces,
       hyphens or apostrophes, lower case), then a tab (so a prefix sorts
       first), then the name. Without pinyin, the name (code-point order). -->
  <xsl:function name="tt:sort-key" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="py" as="xs:string" select="string(tt:entry-pinyin($entry))"/>
    <xsl:sequence select="lower-case(replace(normalize-unicode($py, 'NFD'), '[^\p{L}\p{N}]', '')) || '&#9;' || tt:entry-name($entry)"/>
  </xsl:function>

  <!-- Link targets: only http(s), mailto and relative references stay live. -->
  <xsl:function name="tt:safe-href" as="xs:string?">
    <xsl:param name="raw" as="xs:string?"/>
    <xsl:variable name="v" as="xs:string" select="replace(string($raw), '[\p{Cc}\p{Z}\s]', '')"/>
    <xsl:sequence select="
        if ($v = '') then ()
        else if (matches($v, '^[A-Za-z][A-Za-z0-9+.\-]*:')) then
          (if (matches($v, '^(https?|mailto):', 'i')) then $v else ())
        else if (contains(substring-before($v || '#', '#'), ':')) then ()
        else if (starts-with($v, '\\') or starts-with($v, '/\')) then ()
        else $v"/>
  </xsl:function>

  <xsl:function name="tt:page-anchor" as="xs:string">
    <xsl:param name="pb" as="element()"/>
    <xsl:variable name="n" as="xs:string" select="normalize-space($pb/@n)"/>
    <xsl:sequence select="
        if (matches($n, '^[A-Za-z0-9._\-]+$') and count(key('tt:pb-by-n', $n, $tt:root)) = 1)
        then 'p' || $n else 'pb-' || tt:id($pb)"/>
  </xsl:function>

  <!-- The plain string of nodes in the chosen reading. -->
  <xsl:function name="tt:plain" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$nodes" mode="plain"/>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($parts))"/>
  </xsl:function>

  <xsl:function name="tt:title-of" as="xs:string">
    <xsl:param name="unit" as="element()"/>
    <xsl:sequence select="($tt:unit-titles(generate-id($unit)), tt:make-title($unit))[1]"/>
  </xsl:function>

  <!-- The title of every unit, computed once (asked for each page, table of
       contents entry, pager link, register mention and search record). -->
  <xsl:variable name="tt:unit-titles" as="map(xs:string, xs:string)"
      select="map:merge($tt:units ! map{generate-id(.): tt:make-title(.)})"/>

  <xsl:function name="tt:make-title" as="xs:string">
    <xsl:param name="unit" as="element()"/>
    <xsl:variable name="head" as="xs:string" select="tt:plain($unit/tei:head[1])"/>
    <xsl:sequence select="
        if ($head != '') then $head
        else if ($unit/self::tei:body) then '正文'
        else if (normalize-space($unit/@n) != '') then normalize-space($unit/@n)
        else '第' || tt:unit-number($unit) || '部分'"/>
  </xsl:function>

  <!-- The last of the heads a unit opens with (a title and its subtitles):
       the source line goes after it. -->
  <xsl:function name="tt:last-leading-head" as="element()?">
    <xsl:param name="unit" as="element()"/>
    <xsl:sequence select="$unit/tei:head[not(preceding-sibling::*[not(self::tei:head or self::tei:pb
        or self::tei:cb or self::tei:lb or self::tei:fw or self::tei:note or self::tei:milestone or self::tei:anchor)])][last()]"/>
  </xsl:function>

  <!-- An item whose text the source does not carry (gap of unit "item"). -->
  <xsl:function name="tt:text-missing" as="xs:boolean">
    <xsl:param name="unit" as="element()"/>
    <xsl:sequence select="exists($unit/tei:gap[@unit = 'item']) and empty($unit//tei:p)"/>
  </xsl:function>

  <xsl:function name="tt:source-of" as="element()?">
    <xsl:param name="unit" as="element()"/>
    <xsl:sequence select="tt:targets($unit/@source)[self::tei:biblStruct or self::tei:bibl][1]"/>
  </xsl:function>

  <!-- "《福州组工通讯》2006年第3期，原书第3页" from the unit's biblStruct. -->
  <xsl:function name="tt:source-line" as="xs:string?">
    <xsl:param name="unit" as="element()"/>
    <xsl:sequence select="if (tt:is-unit($unit)) then $tt:source-lines(generate-id($unit))
                          else tt:make-source-line($unit)"/>
  </xsl:function>

  <!-- The source line of every unit that has one, computed once (asked for
       the table of contents, the unit's page and its metadata). -->
  <xsl:variable name="tt:source-lines" as="map(xs:string, xs:string)"
      select="map:merge($tt:units ! (for $line in tt:make-source-line(.) return map{generate-id(.): $line}))"/>

  <xsl:function name="tt:make-source-line" as="xs:string?">
    <xsl:param name="unit" as="element()"/>
    <xsl:variable name="s" as="element()?" select="tt:source-of($unit)"/>
    <xsl:if test="$s">
      <xsl:variable name="journal" as="xs:string"
          select="normalize-space(($s/tei:monogr/tei:title, $s/tei:title)[1])"/>
      <xsl:variable name="issue" as="xs:string"
          select="normalize-space($s/tei:monogr/tei:imprint/tei:biblScope[@unit = 'issue'][1])"/>
      <xsl:variable name="date" as="xs:string"
          select="normalize-space(($s/tei:monogr/tei:imprint/tei:date, $s/tei:date)[1])"/>
      <xsl:variable name="page" as="element()?"
          select="$s/tei:relatedItem//tei:biblScope[@unit = 'page'][1]"/>
      <xsl:variable name="pages" as="xs:string?" select="
          if (empty($page)) then ()
          else if ($page/@to and $page/@to != $page/@from) then '原书第' || $page/@from || '—' || $page/@to || '页'
          else if ($page/@from) then '原书第' || $page/@from || '页'
          else normalize-space($page)"/>
      <!-- an issue given without its year ("第3期") follows the year of the imprint date -->
      <xsl:variable name="when" as="xs:string" select="
          if ($issue = '') then $date
          else if (contains($issue, '年') or $date = '') then $issue
          else $date || $issue"/>
      <xsl:sequence select="string-join((
          (if ($journal != '') then '《' || $journal || '》' else '') || $when,
          $pages), '，')"/>
    </xsl:if>
  </xsl:function>

  <xsl:function name="tt:reason-label" as="xs:string">
    <xsl:param name="gap" as="element()"/>
    <xsl:variable name="reason" as="xs:string" select="normalize-space($gap/@reason)"/>
    <xsl:variable name="desc" as="xs:string" select="normalize-space($gap/tei:desc[1])"/>
    <xsl:variable name="label" as="xs:string" select="
        if ($reason = 'not-in-source') then '原文未收'
        else if ($reason = 'continuation-not-in-source') then '续文未收'
        else if ($reason = 'illegible') then '字迹不清'
        else if ($reason = 'damage') then '原件残损'
        else if ($reason = ('omitted', 'editorial')) then '编者略'
        else if ($reason != '') then '缺文（' || $reason || '）'
        else '缺文'"/>
    <xsl:sequence select="if ($desc != '') then $label || '：' || $desc else $label"/>
  </xsl:function>

  <xsl:function name="tt:supplied-label" as="xs:string">
    <xsl:param name="s" as="element()"/>
    <xsl:variable name="reason" as="xs:string" select="normalize-space($s/@reason)"/>
    <xsl:sequence select="'编者补' || (
        if ($reason = 'title-from-toc') then '（据目录补标题）'
        else if ($reason != '') then '（' || $reason || '）' else '')"/>
  </xsl:function>

  <!-- Elements rendered as blocks (the rest are inline). -->
  <xsl:variable name="tt:block-names" as="xs:string*" select="
      ('ab', 'argument', 'back', 'body', 'byline', 'castList', 'closer', 'dateline', 'div', 'div1', 'div2',
       'div3', 'div4', 'div5', 'div6', 'div7', 'docAuthor', 'docDate', 'docEdition', 'docImprint',
       'docTitle', 'epigraph', 'figure', 'floatingText', 'front', 'group', 'head', 'item', 'l', 'lg',
       'list', 'listBibl', 'opener', 'p', 'postscript', 'row', 'salute', 'signed', 'sp', 'speaker',
       'table', 'text', 'titlePage', 'titlePart', 'trailer', 'cell', 'label', 'spGrp', 'listPerson',
       'listOrg', 'listPlace', 'listEvent', 'castItem', 'castGroup', 'imprimatur', 'docSale')"/>

  <!-- The same names as a set (looked up for every element tested). -->
  <xsl:variable name="tt:block-name-set" as="map(xs:string, xs:boolean)"
      select="map:merge($tt:block-names ! map{.: true()})"/>

  <!-- Is e inside an element whose output content is phrasing only? A note
       is a boundary: its body is rendered apart from its anchor. -->
  <xsl:function name="tt:in-phrasing" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="note" as="element()?" select="$e/ancestor::tei:note[1]"/>
    <!-- the nearest ancestors first, the test of being in the text last (an
         ancestor walk of its own): exists() stops at the first that passes -->
    <xsl:sequence select="exists($e/ancestor::*[empty($note) or . &gt;&gt; $note]
        [self::tei:head or self::tei:l or self::tei:label or self::tei:titlePart or self::tei:docAuthor
         or self::tei:docDate or self::tei:speaker
         or ((self::tei:p or self::tei:ab) and not(tt:paragraph-has-blocks(.)))
         or not(map:contains($tt:block-name-set, local-name()))][ancestor::tei:text])"/>
  </xsl:function>

  <!-- tt:has-blocks of any element, looked up for a p or ab of the document:
       in-phrasing asks it for every ancestor of every element rendered, and
       the answer needs a walk through the paragraph; for the document's own
       paragraphs it is looked up in a set computed once. -->
  <xsl:function name="tt:paragraph-has-blocks" as="xs:boolean">
    <xsl:param name="p" as="element()"/>
    <xsl:sequence select="
        if (root($p) is $tt:root and ($p/self::tei:p or $p/self::tei:ab))
        then map:contains($tt:paragraphs-with-blocks, generate-id($p))
        else tt:has-blocks($p)"/>
  </xsl:function>

  <xsl:variable name="tt:paragraphs-with-blocks" as="map(xs:string, xs:boolean)"
      select="map:merge($tt:root//(tei:p | tei:ab)[tt:has-blocks(.)] ! map{generate-id(.): true()})"/>

  <xsl:function name="tt:has-blocks" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <!-- a note inside $e is an ancestor that follows $e (not every note of $e per candidate) -->
    <xsl:sequence select="exists($e/descendant::*[map:contains($tt:block-name-set, local-name())]
        [not(ancestor::tei:note[. &gt;&gt; $e])][not(self::tei:note)])"/>
  </xsl:function>

  <xsl:function name="tt:is-block" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="map:contains($tt:block-name-set, local-name($e)) and not(tt:in-phrasing($e))"/>
  </xsl:function>

  <!-- Inside an element that becomes a link: no nested links. -->
  <xsl:function name="tt:in-link" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <!-- only an element with @ref can designate an entry (tt:entry-of) -->
    <xsl:sequence select="exists($e/ancestor::*[(self::tei:ref and exists(tt:safe-href(@target)))
        or (@ref and exists(tt:entry-of(.)))])"/>
  </xsl:function>

  <!-- The id an element carries in the output (xml:id, else a path id). -->
  <xsl:function name="tt:anchor" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="if ($e/self::tei:pb) then tt:page-anchor($e) else tt:id($e)"/>
  </xsl:function>

  <!-- Is this text node part of the chosen reading (not a note, a figure
       description, a gap description or the other branch of a choice)? -->
  <xsl:function name="tt:in-reading" as="xs:boolean">
    <xsl:param name="t" as="node()"/>
    <xsl:sequence select="empty($t/ancestor::*[tt:left-out(.)])"/>
  </xsl:function>

  <!-- Is this element, with all it holds, left out of the reading? -->
  <xsl:function name="tt:left-out" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="exists($e[self::tei:note or self::tei:figDesc or self::tei:gap
        or ((parent::tei:choice or parent::tei:app) and not(. is tt:shown-branch(..)))])"/>
  </xsl:function>

  <!-- The text nodes of a block that are in the reading (tt:in-reading), in
       document order: the block and what is above it are asked once, not
       once per text node. -->
  <xsl:function name="tt:reading-texts" as="text()*">
    <xsl:param name="block" as="element()"/>
    <xsl:sequence select="
        if (exists($block/ancestor-or-self::*[tt:left-out(.)])) then ()
        else $block//text() except $block//*[tt:left-out(.)]//text()"/>
  </xsl:function>

  <!-- tt:note-number: in notes.xsl (one numbering for every format). -->

  <!-- The heading level of a head: 1 for a unit's own head, deeper divisions
       below it; outside units, the division depth + 1; a second head of the
       same division (a subtitle) one level lower. -->
  <xsl:function name="tt:heading-level" as="xs:integer" visibility="public">
    <xsl:param name="head" as="element()"/>
    <xsl:variable name="unit" as="element()?" select="tt:unit-of($head)"/>
    <xsl:variable name="depth" as="xs:integer" select="
        if ($unit) then count($head/ancestor::*[. &gt;&gt; $unit or . is $unit][starts-with(local-name(), 'div')])
        else count($head/ancestor::*[starts-with(local-name(), 'div')])"/>
    <xsl:sequence select="min((6, max((1, $depth)) + (if ($unit) then 0 else 1)
        + (if ($head/preceding-sibling::tei:head) then 1 else 0)))"/>
  </xsl:function>

</xsl:stylesheet>
