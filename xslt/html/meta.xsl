<?xml version="1.0" encoding="UTF-8"?>
<!--
  Citation metadata in the <head> of every page of the site, for reference
  managers and catalogues (included by edition.xsl):
    Highwire Press citation_* tags (what Zotero's "Embedded Metadata"
      translator and Google Scholar read: citation_title, citation_author,
      citation_date, citation_publisher, citation_book_title (→ a book
      section), citation_firstpage/lastpage, citation_language,
      citation_keywords),
    Dublin Core (DC.* / DCTERMS.* with their schema links),
    schema.org JSON-LD: a Book for the edition's own pages, a Chapter and
      Article for a unit, part of the edition and of the periodical issue it
      first appeared in;
  and <link rel="alternate"> to the EPUB, TEI and plain text downloads.
  Everything comes from the teiHeader; no clock, no absolute URL (the site
  does not know where it is published).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns:array="http://www.w3.org/2005/xpath-functions/array"
    xmlns="http://www.w3.org/1999/xhtml"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:variable name="tt:licence-url" as="xs:string?" select="
      ($tt:header/tei:fileDesc/tei:publicationStmt/tei:availability/tei:licence/@target ! tt:safe-href(.))[matches(., '^https?:')][1]"/>
  <xsl:variable name="tt:keywords" as="xs:string*" select="
      $tt:header/tei:profileDesc/tei:textClass/tei:keywords/tei:term ! normalize-space(.)[. != '']"/>
  <xsl:variable name="tt:edition-idno" as="xs:string?" select="
      ($tt:header/tei:fileDesc/tei:publicationStmt/tei:idno ! normalize-space(.)[. != ''])[1]"/>

  <!-- "2026-11-26" → "2026/11/26" (the form Google Scholar documents). -->
  <xsl:function name="tt:highwire-date" as="xs:string">
    <xsl:param name="iso" as="xs:string"/>
    <xsl:sequence select="replace($iso, '-', '/')"/>
  </xsl:function>

  <xsl:variable name="tt:highwire-edition-date" as="xs:string" select="tt:highwire-date($tt:edition-date)"/>

  <!-- The bibliographic facts of a unit (from its source biblStruct). -->
  <xsl:function name="tt:unit-facts" as="map(*)">
    <xsl:param name="unit" as="element()"/>
    <xsl:variable name="s" as="element()?" select="tt:source-of($unit)"/>
    <xsl:variable name="page" as="element()?" select="$s/tei:relatedItem//tei:biblScope[@unit = 'page'][1]"/>
    <xsl:sequence select="map{
        'title': tt:title-of($unit),
        'authors': array{ $s/tei:analytic/tei:author ! tt:plain(.)[. != ''] },
        'journal': string(($s/tei:monogr/tei:title)[1] ! normalize-space(.)),
        'issue': string(($s/tei:monogr/tei:imprint/tei:biblScope[@unit = 'issue'])[1] ! normalize-space(.)),
        'date': string(($s/tei:monogr/tei:imprint/tei:date/@when, $s/tei:monogr/tei:imprint/tei:date)[1] ! normalize-space(.)),
        'first': string(($page/@from, $page/@n)[1]),
        'last': string(($page/@to, $page/@from, $page/@n)[1])}"/>
  </xsl:function>

  <!-- The facts of every unit, read once (its page's Highwire and DC tags and
       its JSON-LD ask them). -->
  <xsl:variable name="tt:all-unit-facts" as="map(xs:string, map(*))"
      select="map:merge($tt:units ! map{generate-id(.): tt:unit-facts(.)})"/>

  <!-- The JSON-LD of the edition's own pages (index, registers, about, search),
       serialised once. -->
  <xsl:variable name="tt:json-ld-edition-text" as="xs:string" select="replace(
      serialize(tt:json-ld((), (), tt:alternates(()), $tt:json-ld-book), map{'method': 'json', 'indent': false()}),
      '&lt;', '\\u003c')"/>

  <!-- The JSON-LD of every unit's page, serialised in one call (one serialisation
       per page costs more than the text it writes) and cut at a separator between
       the records: a unit's generated id → its text. The separator is a string
       item of the outer array: a string of the text is a map's key or value
       (before or after ':'), never between two commas, as the records' only
       arrays of strings are constants ('@type'). -->
  <xsl:variable name="tt:json-ld-texts" as="map(xs:string, xs:string)">
    <!-- a unit's record holds the Book as a stand-in string, replaced by the
         Book serialised once; it follows '"isPartOf":[' there, where no string of
         the text can stand (a quote inside a string is escaped) -->
    <xsl:variable name="book" as="xs:string" select="'tt-json-ld-book'"/>
    <xsl:variable name="records" as="map(*)*" select="
        $tt:units ! tt:json-ld(., $tt:all-unit-facts(generate-id(.)), tt:alternates(.), $book)"/>
    <xsl:variable name="next" as="xs:string" select="'tt-json-ld-next-record'"/>
    <xsl:variable name="joined" as="xs:string" select="replace(
        serialize(array{$records ! (., $next)}, map{'method': 'json', 'indent': false()}),
        '&quot;isPartOf&quot;:[&quot;' || $book || '&quot;',
        '&quot;isPartOf&quot;:[' || serialize($tt:json-ld-book, map{'method': 'json', 'indent': false()}), 'q')"/>
    <!-- '<' escaped in the whole text at once, the Book spliced in included (not
         once per piece: the separator holds none) -->
    <xsl:variable name="pieces" as="xs:string*" select="if (empty($records)) then () else
        tokenize(replace(substring($joined, 2, string-length($joined) - string-length($next) - 5), '&lt;', '\\u003c'),
            ',&quot;' || $next || '&quot;,')"/>
    <xsl:if test="count($pieces) != count($records)">
      <xsl:sequence select="error(xs:QName('tt:json-ld'), 'the JSON-LD records were not cut where they were joined (a bug in tei-tools: please report it)')"/>
    </xsl:if>
    <xsl:sequence select="map:merge(for $i in 1 to count($records) return map{generate-id($tt:units[$i]): $pieces[$i]})"/>
  </xsl:variable>

  <!-- (the tags every page repeats are written as their serialisation, made once:
       $tt:highwire-edition-text and the others below, as the page shell's) -->
  <xsl:template name="tt:citation-meta" as="node()*">
    <xsl:param name="unit" as="element()?"/>
    <xsl:variable name="facts" as="map(*)?" select="$unit ! $tt:all-unit-facts(generate-id(.))"/>
    <xsl:variable name="authors" as="xs:string*" select="if (exists($unit)) then $facts?authors?* else $tt:edition-authors"/>
    <xsl:call-template name="tt:highwire-meta">
      <xsl:with-param name="unit" select="$unit"/>
      <xsl:with-param name="facts" select="$facts"/>
      <xsl:with-param name="authors" select="$authors"/>
    </xsl:call-template>
    <xsl:call-template name="tt:dc-meta">
      <xsl:with-param name="unit" select="$unit"/>
      <xsl:with-param name="facts" select="$facts"/>
      <xsl:with-param name="authors" select="$authors"/>
    </xsl:call-template>
    <!-- other formats of this page's text -->
    <xsl:for-each select="tt:alternates($unit)">
      <link rel="alternate" type="{?type}" href="{?href}" title="{?title}"/>
    </xsl:for-each>
    <!-- schema.org -->
    <script type="application/ld+json">
      <xsl:value-of select="if (exists($unit)) then $tt:json-ld-texts(generate-id($unit)) else $tt:json-ld-edition-text"/>
    </script>
  </xsl:template>

  <!-- Highwire Press tags of a page (of a unit: a book section). -->
  <xsl:template name="tt:highwire-meta" as="node()+">
    <xsl:param name="unit" as="element()?"/>
    <xsl:param name="facts" as="map(*)?"/>
    <xsl:param name="authors" as="xs:string*"/>
    <meta name="citation_title" content="{if ($unit) then $facts?title else $tt:edition-title}"/>
    <xsl:for-each select="$authors">
      <meta name="citation_author" content="{.}"/>
    </xsl:for-each>
    <xsl:value-of select="$tt:highwire-edition-text" disable-output-escaping="yes"/>
    <xsl:if test="$unit">
      <xsl:value-of select="$tt:highwire-book-text" disable-output-escaping="yes"/>
      <xsl:if test="$facts?first != ''">
        <meta name="citation_firstpage" content="{$facts?first}"/>
        <meta name="citation_lastpage" content="{$facts?last}"/>
      </xsl:if>
    </xsl:if>
    <xsl:value-of select="$tt:highwire-language-text" disable-output-escaping="yes"/>
  </xsl:template>

  <!-- The Highwire tags of the edition, the same on every page: its date and
       publisher; the book a unit is part of; its language and keywords. -->
  <xsl:variable name="tt:highwire-edition-text" as="xs:string">
    <xsl:variable name="elements" as="element()*">
      <xsl:if test="$tt:edition-date != ''">
        <meta name="citation_date" content="{$tt:highwire-edition-date}"/>
      </xsl:if>
      <xsl:if test="$tt:edition-publisher">
        <meta name="citation_publisher" content="{$tt:edition-publisher}"/>
      </xsl:if>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-page($elements)"/>
  </xsl:variable>
  <xsl:variable name="tt:highwire-book-text" as="xs:string">
    <xsl:variable name="elements" as="element()*">
      <meta name="citation_book_title" content="{$tt:edition-title}"/>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-page($elements)"/>
  </xsl:variable>
  <xsl:variable name="tt:highwire-language-text" as="xs:string">
    <xsl:variable name="elements" as="element()*">
      <meta name="citation_language" content="{substring-before($tt:edition-lang || '-', '-')}"/>
      <xsl:if test="exists($tt:keywords)">
        <meta name="citation_keywords" content="{string-join($tt:keywords, '; ')}"/>
      </xsl:if>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-page($elements)"/>
  </xsl:variable>

  <!-- Dublin Core (DC.*, DCTERMS.*) of a page. -->
  <xsl:template name="tt:dc-meta" as="node()+">
    <xsl:param name="unit" as="element()?"/>
    <xsl:param name="facts" as="map(*)?"/>
    <xsl:param name="authors" as="xs:string*"/>
    <xsl:value-of select="$tt:dc-schemas-text" disable-output-escaping="yes"/>
    <meta name="DC.title" content="{if ($unit) then $facts?title else $tt:edition-title}"/>
    <xsl:for-each select="$authors">
      <meta name="DC.creator" content="{.}"/>
    </xsl:for-each>
    <xsl:value-of select="$tt:dc-edition-text" disable-output-escaping="yes"/>
    <xsl:for-each select="($tt:edition-idno ! (if ($unit) then . || '/' || tt:unit-file($unit) else .))">
      <meta name="DC.identifier" content="{.}"/>
    </xsl:for-each>
    <xsl:if test="$unit">
      <xsl:value-of select="$tt:dc-part-of-text" disable-output-escaping="yes"/>
      <xsl:for-each select="tt:source-line($unit)">
        <meta name="DC.source" content="{.}"/>
      </xsl:for-each>
    </xsl:if>
    <xsl:value-of select="$tt:dc-rights-text" disable-output-escaping="yes"/>
  </xsl:template>

  <!-- The Dublin Core tags the same on every page: the schemas; the edition's
       publisher, date, language, type and format; the book a unit is part of;
       the rights and subjects. -->
  <xsl:variable name="tt:dc-schemas-text" as="xs:string">
    <xsl:variable name="elements" as="element()*">
      <link rel="schema.DC" href="http://purl.org/dc/elements/1.1/"/>
      <link rel="schema.DCTERMS" href="http://purl.org/dc/terms/"/>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-page($elements)"/>
  </xsl:variable>
  <xsl:variable name="tt:dc-edition-text" as="xs:string">
    <xsl:variable name="elements" as="element()*">
      <xsl:if test="$tt:edition-publisher">
        <meta name="DC.publisher" content="{$tt:edition-publisher}"/>
      </xsl:if>
      <xsl:if test="$tt:edition-date != ''">
        <meta name="DC.date" content="{$tt:edition-date}"/>
      </xsl:if>
      <meta name="DC.language" content="{$tt:edition-lang}"/>
      <meta name="DC.type" content="Text"/>
      <meta name="DC.format" content="text/html"/>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-page($elements)"/>
  </xsl:variable>
  <xsl:variable name="tt:dc-part-of-text" as="xs:string">
    <xsl:variable name="elements" as="element()*">
      <meta name="DCTERMS.isPartOf" content="{$tt:edition-title}"/>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-page($elements)"/>
  </xsl:variable>
  <xsl:variable name="tt:dc-rights-text" as="xs:string">
    <xsl:variable name="elements" as="element()*">
      <xsl:for-each select="$tt:licence-url">
        <meta name="DC.rights" content="{.}"/>
      </xsl:for-each>
      <xsl:for-each select="$tt:keywords">
        <meta name="DC.subject" content="{.}"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-page($elements)"/>
  </xsl:variable>

  <xsl:function name="tt:json-ld" as="map(*)">
    <xsl:param name="unit" as="element()?"/>
    <xsl:param name="facts" as="map(*)?"/>
    <xsl:param name="alternates" as="map(xs:string, xs:string)*"/>
    <!-- the edition's Book: its map, or in a unit's record a string that stands for it -->
    <xsl:param name="book" as="item()"/>
    <xsl:variable name="encodings" as="map(*)*" select="$alternates ! map{
        '@type': 'MediaObject', 'encodingFormat': ?type, 'contentUrl': ?href, 'name': ?title}"/>
    <xsl:sequence select="
        if (empty($unit)) then map:merge((
            map{'@context': 'https://schema.org'}, $book,
            if (exists($encodings)) then map{'encoding': array{$encodings}} else ()))
        else map:merge((
          map{
            '@context': 'https://schema.org',
            '@type': array{'Chapter', 'Article'},
            'name': $facts?title,
            'headline': $facts?title,
            'inLanguage': $tt:edition-lang,
            'isPartOf': array{
                $book,
                if ($facts?journal != '') then map:merge((
                    map{'@type': 'PublicationIssue',
                        'isPartOf': map{'@type': 'Periodical', 'name': $facts?journal}},
                    if ($facts?issue != '') then map{'issueNumber': $facts?issue} else (),
                    if ($facts?date != '') then map{'datePublished': $facts?date} else ()))
                else ()}},
          if (array:size($facts?authors) gt 0) then map{'author': array{$facts?authors?* ! tt:json-ld-agent(.)}} else (),
          if ($facts?first != '') then map{'pageStart': $facts?first, 'pageEnd': $facts?last,
              'pagination': if ($facts?first = $facts?last) then $facts?first else $facts?first || '-' || $facts?last} else (),
          if (exists($encodings)) then map{'encoding': array{$encodings}} else ()))"
/>
  </xsl:function>

  <xsl:function name="tt:json-ld-agent" as="map(*)">
    <xsl:param name="name" as="xs:string"/>
    <!-- Chinese names of bodies end in a body word; anything else is a person. -->
    <xsl:sequence select="map{
        '@type': if (matches($name, '(部|委|会|局|厅|处|社|组|院|校|所|室|办|中心|编辑组|委员会|[Dd]epartment|[Cc]ommittee)$')) then 'Organization' else 'Person',
        'name': $name}"/>
  </xsl:function>

  <!-- The edition as a schema.org Book (part of every page's JSON-LD), built once. -->
  <xsl:variable name="tt:json-ld-book" as="map(*)">
    <xsl:variable name="booklet" as="element()?" select="$tt:header/tei:fileDesc/tei:sourceDesc/(tei:bibl | tei:biblStruct)[1]"/>
    <xsl:sequence select="map:merge((
        map{'@type': 'Book', 'name': $tt:edition-title, 'inLanguage': $tt:edition-lang},
        if (exists($tt:edition-subtitles)) then map{'alternateName': normalize-space($tt:edition-subtitles[1])} else (),
        if (exists($tt:edition-authors)) then map{'author': array{$tt:edition-authors ! tt:json-ld-agent(.)}} else (),
        if ($tt:edition-publisher) then map{'publisher': tt:json-ld-agent($tt:edition-publisher)} else (),
        if ($tt:edition-date != '') then map{'datePublished': $tt:edition-date} else (),
        if ($tt:edition-idno) then map{'identifier': $tt:edition-idno} else (),
        if ($tt:licence-url) then map{'license': $tt:licence-url} else (),
        if (exists($tt:keywords)) then map{'keywords': string-join($tt:keywords, ', ')} else (),
        if ($booklet/tei:title) then map{'isBasedOn': map:merge((
            map{'@type': 'Book', 'name': normalize-space(($booklet/tei:title, $booklet//tei:title)[1])},
            ($booklet/tei:date/@when)[1] ! map{'datePublished': string(.)},
            if ($booklet/(tei:editor | tei:author)) then map{'editor': array{$booklet/(tei:editor | tei:author) ! tt:json-ld-agent(normalize-space(.))}} else ()))}
        else ()))"/>
  </xsl:variable>

</xsl:stylesheet>
