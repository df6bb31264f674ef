<?xml version="1.0" encoding="UTF-8"?>
<!--
  The static HTML edition: every page of dist/html/ is an xsl:result-document
  of this stylesheet (index, one page per unit, registers, about, search and
  search-index.js). Run it with tei_tools.publish.saxon; static assets
  (assets/edition.css, assets/edition.js) are copied by tei_tools.publish.html.

  For a format layer importing this file:
    named template tt:page($file, $title, $kind, $unit, $register)   the
        page shell and its serialisation (override to write XHTML files in
        your layout); it writes the page's content in place by calling
        tt:{$kind}-content (index, unit, register, about, search);
    $tt:site-nav   the navigation in the page header;
    tt:unit-href / tt:register-href / tt:internal-href / $tt:ext  (render.xsl)
        where pages are and where links go;
    mode outline   the table of contents built from the text (index page);
    mode about     the header sections of the about page;
    templates tt:index-page, tt:unit-page, tt:register-page, tt:about-page,
        tt:search-page (each writes one page through tt:page).
  Included here (site only): meta.xsl (citation metadata of each page),
  site-render.xsl (the site's page breaks, corrections, run-in heads, dates),
  item-tei.xsl (downloads/items/{unit}.xml).
  Parameters: $item-texts as xs:boolean (each unit's plain text is offered),
  $reading (core), $downloads as xs:string* (hrefs of the files
  offered on the about page, e.g. 'downloads/taijiang-dangjian-2007.xml'),
  $with-search as xs:boolean (search page and index), $schema-doc as xs:string
  (href of the schema's documentation, e.g. 'schema/index.html'; '' for none),
  $pages as xs:string (which pages a run writes: 'all', 'search', 'no-search').
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"
    xmlns="http://www.w3.org/1999/xhtml"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:include href="meta.xsl"/>
  <xsl:include href="site-render.xsl"/>
  <xsl:include href="item-tei.xsl"/>
  <xsl:include href="citation.xsl"/>

  <!-- Which pages this run writes (one build may run it twice, in two processes, and
       get the same files): 'all'; 'search' the search page and its index only;
       'no-search' every other page. -->
  <xsl:param name="pages" as="xs:string" select="'all'"/>
  <xsl:param name="downloads" as="xs:string*" select="()"/>
  <xsl:param name="with-search" as="xs:boolean" select="true()"/>
  <!-- Is the plain text of each unit offered (downloads/items/{unit}.txt)? -->
  <xsl:param name="item-texts" as="xs:boolean" select="false()"/>
  <!-- The schema's documentation in the site (generated from its ODD), if any. -->
  <xsl:param name="schema-doc" as="xs:string" select="''"/>

  <xsl:output name="page" method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>
  <xsl:output name="script" method="text" encoding="UTF-8"/>

  <!-- the unnamed mode: the document node only (the entry) -->
  <xsl:mode on-no-match="fail" on-multiple-match="fail" use-accumulators="tt:last-pb"/>
  <xsl:mode name="outline" on-no-match="shallow-skip" on-multiple-match="fail" warning-on-no-match="false"/>
  <xsl:mode name="about" on-no-match="shallow-skip" on-multiple-match="fail" warning-on-no-match="false"/>

  <xsl:variable name="tt:site-title" as="xs:string" select="
      ((//tei:titlePage)[1]/tei:docTitle/(tei:titlePart[@type = 'main'], tei:titlePart)[1] ! normalize-space(.),
       $tt:header/tei:fileDesc/tei:titleStmt/(tei:title[@type = 'main'], tei:title)[1] ! normalize-space(.),
       '无题')[. != ''][1]"/>

  <xsl:template match="/" as="item()*">
    <xsl:if test="$pages != 'search'">
      <xsl:call-template name="tt:index-page"/>
      <xsl:for-each select="$tt:units">
        <xsl:call-template name="tt:unit-page"/>
        <xsl:call-template name="tt:item-tei"><xsl:with-param name="unit" select="."/></xsl:call-template>
      </xsl:for-each>
      <xsl:for-each select="$tt:registers">
        <xsl:call-template name="tt:register-page">
          <xsl:with-param name="register" select="."/>
        </xsl:call-template>
      </xsl:for-each>
      <xsl:call-template name="tt:about-page"/>
    </xsl:if>
    <xsl:if test="$with-search and $pages != 'no-search'">
      <xsl:call-template name="tt:search-page"/>
    </xsl:if>
    <xsl:sequence select="string-join(($tt:units ! tt:unit-href(.)), ' ')"/>
  </xsl:template>

  <!-- ===== Page shell ===== -->
  <xsl:template name="tt:page" as="empty-sequence()">
    <xsl:param name="file" as="xs:string"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="kind" as="xs:string"/>
    <!-- the unit shown on the page, if any (its citation metadata) -->
    <xsl:param name="unit" as="element()?" select="()"/>
    <!-- the register shown on a register page -->
    <xsl:param name="register" as="xs:string?" select="()"/>
    <xsl:result-document href="{$file}" format="page">
      <html lang="zh-Hans">
        <!-- what every page repeats is written as its serialisation, made once
             ($tt:page-head-start-text and the others below) -->
        <head>
          <xsl:value-of select="$tt:page-head-start-text" disable-output-escaping="yes"/>
          <title>{if ($title = $tt:site-title) then $title else $title || ' · ' || $tt:site-title}</title>
          <xsl:value-of select="$tt:page-generator-text" disable-output-escaping="yes"/>
          <xsl:call-template name="tt:citation-meta">
            <xsl:with-param name="unit" select="$unit"/>
          </xsl:call-template>
          <xsl:value-of select="$tt:page-head-end-text" disable-output-escaping="yes"/>
        </head>
        <body class="page-{$kind}">
          <xsl:value-of select="$tt:site-header-text" disable-output-escaping="yes"/>
          <main id="main">
            <!-- the page's content written here, not built apart and copied in -->
            <xsl:choose>
              <xsl:when test="$kind = 'unit'"><xsl:call-template name="tt:unit-content"/></xsl:when>
              <xsl:when test="$kind = 'register'">
                <xsl:call-template name="tt:register-content"><xsl:with-param name="register" select="$register"/></xsl:call-template>
              </xsl:when>
              <xsl:when test="$kind = 'index'"><xsl:call-template name="tt:index-content"/></xsl:when>
              <xsl:when test="$kind = 'about'"><xsl:call-template name="tt:about-content"/></xsl:when>
              <xsl:when test="$kind = 'search'"><xsl:call-template name="tt:search-content"/></xsl:when>
            </xsl:choose>
          </main>
          <footer class="site">
            <!-- shown on paper only: where the page is and how to cite it (the script puts in the URL) -->
            <p class="print-cite">{$title}<xsl:if test="$title != $tt:edition-title">，载《{$tt:edition-title}》</xsl:if>，{string-join(($tt:edition-publisher, $tt:edition-date)[. != ''], '，')}。网址：<span class="print-url">{$file}</span></p>
            <xsl:value-of select="$tt:site-colophon-text" disable-output-escaping="yes"/>
          </footer>
        </body>
      </html>
    </xsl:result-document>
  </xsl:template>

  <!-- Nodes as a page's serialisation (format "page") writes them inside its html
       element, where XHTML is the default namespace: the parts every page repeats
       are serialised once and written as they are (serialising the same elements
       again on each page cost ~0.25 ms a page, 10 % of a unit page, #12).
       Serialised inside a div of XHTML, cut out of it (its start tag, without
       attributes, ends at its first '>'). -->
  <xsl:function name="tt:serialised-in-page" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="wrapper" as="element()"><div><xsl:sequence select="$nodes"/></div></xsl:variable>
    <xsl:sequence select="tt:serialised-content($wrapper, map{'method': 'html', 'html-version': 5,
            'indent': false(), 'include-content-type': false()})"/>
  </xsl:function>

  <!-- What a serialisation with $options writes inside $wrapper (an element
       without attributes, its start tag ends at its first '>'): its content,
       the wrapper's tags cut off (nothing for an empty wrapper); an error if the
       text does not end with its end tag (never written half). -->
  <xsl:function name="tt:serialised-content" as="xs:string">
    <xsl:param name="wrapper" as="element()"/>
    <xsl:param name="options" as="map(*)"/>
    <xsl:variable name="text" as="xs:string" select="serialize($wrapper, $options)"/>
    <xsl:variable name="end" as="xs:string" select="'&lt;/' || name($wrapper) || '&gt;'"/>
    <xsl:variable name="inside" as="xs:string" select="substring-after($text, '&gt;')"/>
    <xsl:sequence select="if (empty($wrapper/node())) then ''  (: written as an empty tag :)
        else if (ends-with($text, $end))
        then substring($inside, 1, string-length($inside) - string-length($end))
        else error(xs:QName('tt:serialised-content'), 'a part written once for every page or item '
            || 'did not serialise as expected (a bug in tei-tools: please report it)')"/>
  </xsl:function>

  <!-- The parts of every page's head before its title, between its title and its
       citation metadata, and after that. -->
  <xsl:variable name="tt:page-head-start-text" as="xs:string">
    <xsl:variable name="elements" as="element()+">
      <meta charset="utf-8"/>
      <meta name="viewport" content="width=device-width, initial-scale=1"/>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-page($elements)"/>
  </xsl:variable>
  <xsl:variable name="tt:page-generator-text" as="xs:string">
    <xsl:variable name="elements" as="element()+">
      <meta name="generator" content="tei-tools"/>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-page($elements)"/>
  </xsl:variable>
  <xsl:variable name="tt:page-head-end-text" as="xs:string">
    <xsl:variable name="elements" as="element()+">
      <link rel="icon" href="assets/favicon.svg" type="image/svg+xml"/>
      <link rel="stylesheet" href="assets/edition.css"/>
      <script src="assets/edition.js" defer="defer"></script>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-page($elements)"/>
  </xsl:variable>

  <!-- The top of every page's body: the skip link and the site's header with the
       navigation ($tt:site-nav). -->
  <xsl:variable name="tt:site-header-text" as="xs:string">
    <xsl:variable name="elements" as="element()+">
      <a class="skip" href="#main">跳到正文</a>
      <header class="site">
        <a class="brand" href="index{$tt:ext}">{$tt:site-title}</a>
        <xsl:sequence select="$tt:site-nav"/>
      </header>
    </xsl:variable>
    <xsl:sequence select="tt:serialised-in-page($elements)"/>
  </xsl:variable>

  <!-- The last line of every page's footer (the same on every page, built once):
       the edition, its licences and its date, and where to find how to cite it. -->
  <xsl:variable name="tt:site-colophon" as="element()">
    <p>{$tt:edition-title}。<xsl:for-each select="$tt:licences">
        <!-- every licence, each with its link (a space between two links, so
             they do not read as one); one not ending in a full stop gets one -->
        <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
        <xsl:apply-templates select="." mode="about"/>
        <xsl:if test="not(matches(tt:plain(.), '[。．.！？]$'))">。</xsl:if>
      </xsl:for-each>
      <xsl:if test="$tt:edition-date != ''"> 版本日期：{$tt:edition-date}。</xsl:if>
      <a href="about{$tt:ext}#cite">引用方式</a></p>
  </xsl:variable>
  <xsl:variable name="tt:site-colophon-text" as="xs:string" select="tt:serialised-in-page($tt:site-colophon)"/>

  <!-- The other formats of a page's text: a unit's own TEI and plain text,
       else the edition's downloads; the EPUB is always the whole book. -->
  <xsl:function name="tt:alternates" as="map(xs:string, xs:string)*">
    <xsl:param name="unit" as="element()?"/>
    <xsl:variable name="whole" as="map(xs:string, xs:string)*" select="$downloads ! tt:download(.)"/>
    <xsl:sequence select="
        if (empty($unit)) then $whole
        else (tt:download(tt:item-download($unit, 'xml')),
              if ($item-texts) then tt:download(tt:item-download($unit, 'txt')) else (),
              $whole[?type = 'application/epub+zip'])"/>
  </xsl:function>

  <xsl:function name="tt:item-download" as="xs:string">
    <xsl:param name="unit" as="element()"/>
    <xsl:param name="ext" as="xs:string"/>
    <xsl:sequence select="'downloads/items/' || tt:unit-file($unit) || '.' || $ext"/>
  </xsl:function>

  <xsl:function name="tt:download" as="map(xs:string, xs:string)">
    <xsl:param name="href" as="xs:string"/>
    <xsl:sequence select="
        if (ends-with($href, '.xml')) then map{'href': $href, 'type': 'application/tei+xml', 'title': 'TEI P5 源文件（XML）'}
        else if (ends-with($href, '.epub')) then map{'href': $href, 'type': 'application/epub+zip', 'title': 'EPUB 3 电子书'}
        else if (ends-with($href, '.txt')) then map{'href': $href, 'type': 'text/plain', 'title': '纯文本（UTF-8）'}
        else map{'href': $href, 'type': 'application/octet-stream', 'title': tokenize($href, '/')[last()]}"/>
  </xsl:function>

  <!-- The navigation in every page's header (the same on every page, built once;
       written within $tt:site-header-text). -->
  <xsl:variable name="tt:site-nav" as="element()">
    <nav class="site-nav" aria-label="网站导航">
      <ul>
        <li><a href="index{$tt:ext}">目录</a></li>
        <xsl:for-each select="$tt:registers">
          <li><a href="{tt:register-href(.)}">{$tt:register-labels(.)}</a></li>
        </xsl:for-each>
        <li><a href="about{$tt:ext}">关于</a></li>
        <xsl:if test="$with-search">
          <li><a href="search{$tt:ext}">检索</a></li>
        </xsl:if>
      </ul>
      <xsl:if test="$with-search">
        <form class="quick-search" action="search{$tt:ext}" method="get" role="search">
          <input type="search" name="q" placeholder="全文检索" aria-label="全文检索"/>
          <button type="submit">检索</button>
        </form>
      </xsl:if>
    </nav>
  </xsl:variable>

  <!-- ===== Index: title page and table of contents ===== -->
  <xsl:template name="tt:index-page" as="empty-sequence()">
    <xsl:call-template name="tt:page">
      <xsl:with-param name="file" select="'index' || $tt:ext"/>
      <xsl:with-param name="title" select="$tt:site-title"/>
      <xsl:with-param name="kind" select="'index'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The content of the index page, written by tt:page straight into the page. -->
  <xsl:template name="tt:index-content" as="element()+">
    <header class="titlepage">
      <xsl:variable name="tp" as="element()?" select="(//tei:text//tei:titlePage)[1]"/>
      <!-- Title parts in the order printed: a series or masthead line
           above the main title stays above it. -->
      <xsl:variable name="parts" as="element()*" select="$tp/tei:docTitle/tei:titlePart"/>
      <xsl:variable name="main" as="element()?"
        select="$parts[normalize-space(.) = $tt:site-title][1]"/>
      <xsl:for-each select="$parts[. &lt;&lt; $main]">
        <p class="series">{tt:plain(.)}</p>
      </xsl:for-each>
      <h1>{$tt:site-title}</h1>
      <xsl:for-each select="$parts[not(. is $main)][not(exists($main) and . &lt;&lt; $main)]">
        <p class="subtitle">{tt:plain(.)}</p>
      </xsl:for-each>
      <xsl:apply-templates select="$tp/(* except tei:docTitle)" mode="render"/>
      <p class="edition-note">{$tt:edition-title}</p>
      <xsl:for-each select="$tt:edition-subtitles[1]">
        <p class="edition-note">
          <xsl:if test="@xml:lang and tt:is-html-lang(@xml:lang)"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>
          <xsl:value-of select="normalize-space(.)"/>
        </p>
      </xsl:for-each>
    </header>
    <nav class="toc" aria-labelledby="toc-heading">
      <h2 id="toc-heading">目录</h2>
      <xsl:apply-templates select="/*/tei:text" mode="outline"/>
    </nav>
    <xsl:for-each select="//tei:text//tei:div[@type = 'contents'][not(tt:unit-of(.))]">
      <details class="orig-contents">
        <summary>原书目录（照录）</summary>
        <xsl:apply-templates select="." mode="render"/>
      </details>
    </xsl:for-each>
    <xsl:call-template name="tt:notes">
      <xsl:with-param name="notes" select="//tei:text//tei:note[empty(tt:unit-of(.))]"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The elements that hold a unit (looked up in the outline instead of a
       search of each element's descendants). -->
  <xsl:variable name="tt:unit-containers" as="map(xs:string, xs:boolean)"
      select="map:merge($tt:units/ancestor::* ! map{generate-id(.): true()})"/>

  <!-- outline: containers of units become groups, units entries, the rest is rendered. -->
  <xsl:template match="*" mode="outline" as="item()*">
    <xsl:choose>
      <xsl:when test="tt:is-unit(.)">
        <xsl:call-template name="tt:toc-entry"/>
      </xsl:when>
      <xsl:when test="self::tei:titlePage or self::tei:div[@type = 'contents']"/>
      <xsl:when test="self::tei:pb and exists(tt:unit-of-pb(.))"/>
      <xsl:when test="map:contains($tt:unit-containers, generate-id(.))">
        <div class="toc-group">
          <xsl:call-template name="tt:id-attr"><xsl:with-param name="node" select="."/></xsl:call-template>
          <xsl:for-each-group select="node()[not(self::text()[normalize-space() = ''])]" group-adjacent="boolean(self::*[tt:is-unit(.)])">
            <xsl:choose>
              <xsl:when test="current-grouping-key()">
                <ol class="toc-entries"><xsl:apply-templates select="current-group()" mode="outline"/></ol>
              </xsl:when>
              <xsl:otherwise>
                <xsl:apply-templates select="current-group()" mode="outline"/>
              </xsl:otherwise>
            </xsl:choose>
          </xsl:for-each-group>
        </div>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="." mode="render"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="text()" mode="outline" as="item()*">
    <xsl:apply-templates select="." mode="render"/>
  </xsl:template>

  <xsl:template name="tt:toc-entry" as="element()">
    <xsl:variable name="missing" as="xs:boolean" select="tt:text-missing(.)"/>
    <xsl:variable name="source" as="xs:string?" select="tt:source-line(.)"/>
    <li class="toc-entry{if ($missing) then ' missing' else ''}">
      <a href="{tt:unit-href(.)}">{tt:title-of(.)}</a>
      <xsl:if test="$source"><span class="toc-source">{$source}</span></xsl:if>
      <xsl:if test="$missing"><span class="toc-missing">原文未收入来源文本</span></xsl:if>
    </li>
  </xsl:template>

  <!-- ===== One page per unit ===== -->
  <xsl:template name="tt:unit-page" as="empty-sequence()">
    <xsl:call-template name="tt:page">
      <xsl:with-param name="file" select="tt:unit-href(.)"/>
      <xsl:with-param name="title" select="tt:title-of(.)"/>
      <xsl:with-param name="kind" select="'unit'"/>
      <xsl:with-param name="unit" select="."/>
    </xsl:call-template>
  </xsl:template>

  <!-- The content of the unit page, written by tt:page straight into the page. -->
  <xsl:template name="tt:unit-content" as="element()+">
    <xsl:variable name="unit" as="element()" select="."/>
    <xsl:variable name="i" as="xs:integer" select="tt:unit-number(.)"/>
    <xsl:variable name="title-end" as="element()?" select="tt:last-leading-head(.)"/>
    <xsl:variable name="source" as="xs:string?" select="tt:source-line(.)"/>
    <nav class="crumbs" aria-label="位置">
      <a href="index{$tt:ext}">目录</a>
      <xsl:for-each select="ancestor::*[tei:head][starts-with(local-name(), 'div')]">
        <xsl:text> › </xsl:text><span>{tt:plain(tei:head[1])}</span>
      </xsl:for-each>
    </nav>
    <article class="unit{if (tt:text-missing(.)) then ' missing' else ''}" id="{tt:unit-file(.)}">
      <xsl:variable name="lang" as="xs:string?" select="(ancestor-or-self::*/@xml:lang)[last()] ! string(.)"/>
      <xsl:if test="exists($lang) and $lang != 'zh-Hans' and tt:is-html-lang($lang)"><xsl:attribute name="lang" select="$lang"/></xsl:if>
      <xsl:apply-templates select="tt:leading-pb-of(.)" mode="render"/>
      <xsl:choose>
        <xsl:when test="$title-end">
          <xsl:apply-templates select="node()[not(. >> $title-end)]" mode="render"/>
        </xsl:when>
        <xsl:otherwise><h1>{tt:title-of(.)}</h1></xsl:otherwise>
      </xsl:choose>
      <xsl:if test="$source">
        <p class="source"><span class="label">来源：</span>{$source}</p>
      </xsl:if>
      <xsl:if test="exists(.//tei:choice | .//tei:app)">
        <xsl:variable name="labels" as="xs:string+" select="if ($reading = 'diplomatic')
            then ('显示校改后读本', '显示原文（未校改）') else ('显示原文（未校改）', '显示校改后读本')"/>
        <p class="toolbar"><button type="button" class="toggle-reading" hidden="hidden" aria-pressed="false"
            data-label-off="{$labels[1]}" data-label-on="{$labels[2]}">{$labels[1]}</button></p>
      </xsl:if>
      <xsl:apply-templates select="if ($title-end) then node()[. >> $title-end] else node()" mode="render"/>
      <xsl:call-template name="tt:notes">
        <xsl:with-param name="notes" select=".//tei:note"/>
      </xsl:call-template>
    </article>
    <xsl:call-template name="tt:unit-downloads"><xsl:with-param name="unit" select="."/></xsl:call-template>
    <nav class="pager" aria-label="前后篇">
      <xsl:for-each select="$tt:units[$i - 1]">
        <a rel="prev" href="{tt:unit-href(.)}">上一篇：{tt:title-of(.)}</a>
      </xsl:for-each>
      <xsl:for-each select="$tt:units[$i + 1]">
        <a rel="next" href="{tt:unit-href(.)}">下一篇：{tt:title-of(.)}</a>
      </xsl:for-each>
    </nav>
  </xsl:template>

  <xsl:template name="tt:unit-downloads" as="element()">
    <xsl:param name="unit" as="element()"/>
    <aside class="downloads" aria-labelledby="downloads-{tt:unit-file($unit)}">
      <h2 id="downloads-{tt:unit-file($unit)}">本篇下载</h2>
      <ul>
        <xsl:for-each select="tt:alternates($unit)">
          <li><a href="{?href}" type="{?type}" download="">{?title}</a><xsl:text> </xsl:text><code>{tokenize(?href, '/')[last()]}</code></li>
        </xsl:for-each>
      </ul>
    </aside>
  </xsl:template>

  <!-- ===== Registers ===== -->
  <!-- A register longer than this gets a jump list of its initials. -->
  <xsl:variable name="tt:jump-list-from" as="xs:integer" select="12"/>

  <!-- The initial an entry is filed under: the first letter of its pinyin
       ("Z"), or "#" for an entry without pinyin. -->
  <xsl:function name="tt:initial" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="first" as="xs:string" select="upper-case(substring(tt:sort-key($entry), 1, 1))"/>
    <xsl:sequence select="if (matches($first, '^[A-Z]$')) then $first else '#'"/>
  </xsl:function>

  <xsl:template name="tt:register-page" as="empty-sequence()">
    <xsl:param name="register" as="xs:string"/>
    <xsl:call-template name="tt:page">
      <xsl:with-param name="file" select="tt:register-href($register)"/>
      <xsl:with-param name="title" select="$tt:register-labels($register) || '索引'"/>
      <xsl:with-param name="kind" select="'register'"/>
      <xsl:with-param name="register" select="$register"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The content of the register page, written by tt:page straight into the page. -->
  <xsl:template name="tt:register-content" as="element()+">
    <xsl:param name="register" as="xs:string"/>
    <xsl:variable name="entries" as="element()*" select="tt:sorted-entries($register)"/>
    <xsl:variable name="initials" as="xs:string*" select="distinct-values($entries ! tt:initial(.))"/>
    <h1>{$tt:register-labels($register)}索引</h1>
    <p class="register-intro">共 {count($entries)} 条，按汉语拼音排序。每条列出正文中的全部提及、其上下文及原书页码。</p>
    <xsl:if test="count($entries) gt $tt:jump-list-from">
      <nav class="jump-list" aria-label="按拼音首字母跳转">
        <span class="jump-label">拼音</span>
        <ul>
          <xsl:for-each select="(for $c in 65 to 90 return codepoints-to-string($c)), $initials[. = '#']">
            <li>
              <xsl:choose>
                <xsl:when test=". = $initials"><a href="#initial-{if (. = '#') then 'other' else .}">{.}</a></xsl:when>
                <xsl:otherwise><span class="empty" aria-hidden="true">{.}</span></xsl:otherwise>
              </xsl:choose>
            </li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
    <xsl:for-each-group select="$entries" group-adjacent="tt:initial(.)">
      <section class="initial" id="initial-{if (current-grouping-key() = '#') then 'other' else current-grouping-key()}"
          aria-labelledby="initial-{if (current-grouping-key() = '#') then 'other' else current-grouping-key()}-h">
        <h2 class="initial-head" id="initial-{if (current-grouping-key() = '#') then 'other' else current-grouping-key()}-h">{current-grouping-key()}</h2>
        <xsl:for-each select="current-group()">
          <xsl:call-template name="tt:register-entry"/>
        </xsl:for-each>
      </section>
    </xsl:for-each-group>
  </xsl:template>

  <!-- The print page an element of the text stands on: its last page break. -->
  <xsl:function name="tt:page-break-of" as="element(tei:pb)?">
    <xsl:param name="e" as="element()"/>
    <!-- read from the accumulator (one pass over the document) rather than a walk
         back through the preceding nodes, which in a text with few or no page
         breaks reaches the start of the document from every element asked -->
    <xsl:sequence select="
        if ($e/self::tei:pb or not(root($e) is $tt:root)) then $e/preceding::tei:pb[ancestor::tei:text][1]
        else $e/accumulator-before('tt:last-pb')"/>
  </xsl:function>

  <!-- The last page break of the text at each node (the page break itself included). -->
  <xsl:accumulator name="tt:last-pb" as="element(tei:pb)?" initial-value="()">
    <xsl:accumulator-rule match="tei:text//tei:pb" select="."/>
  </xsl:accumulator>

  <!-- "第4页", "第4页（推定）" for a page break whose place is inferred. -->
  <xsl:function name="tt:page-label" as="xs:string">
    <xsl:param name="pb" as="element(tei:pb)"/>
    <xsl:variable name="n" as="xs:string" select="normalize-space($pb/@n)"/>
    <xsl:sequence select="(if ($n != '') then '第' || $n || '页' else '换页') || (if ($pb/@cert) then '（推定）' else '')"/>
  </xsl:function>

  <xsl:template name="tt:register-entry" as="element()">
    <xsl:variable name="pinyin" as="xs:string?" select="tt:entry-pinyin(.)"/>
    <xsl:variable name="mentions" as="element()*" select="tt:mentions-of(string(@xml:id))"/>
    <article class="entry" id="{tt:anchor(.)}">
      <h3>{tt:entry-name(.)}<xsl:if test="$pinyin"><xsl:text> </xsl:text><span class="pinyin" lang="zh-Latn-pinyin">{$pinyin}</span></xsl:if></h3>
      <dl>
        <xsl:variable name="other-names" as="element()*"
            select="(tei:persName | tei:orgName | tei:placeName)[not(starts-with(@xml:lang, 'zh-Latn'))][normalize-space(.) != tt:entry-name(current())]"/>
        <xsl:if test="$other-names">
          <dt>别称</dt><dd>{string-join($other-names ! normalize-space(.), '、')}</dd>
        </xsl:if>
        <xsl:for-each-group select="tei:occupation | tei:roleName | tei:state | tei:trait | tei:birth | tei:death | tei:location | tei:desc" group-by="local-name()">
          <dt>{map{'occupation': '身份', 'roleName': '职务', 'state': '状况', 'trait': '特征', 'birth': '生', 'death': '卒', 'location': '位置', 'desc': '说明'}(current-grouping-key())}</dt>
          <xsl:for-each select="current-group()">
            <dd><xsl:apply-templates mode="render"/><xsl:if test="@when">（<time datetime="{@when}">{@when}</time>）</xsl:if></dd>
          </xsl:for-each>
        </xsl:for-each-group>
        <xsl:for-each select="tei:affiliation">
          <dt>所属</dt>
          <dd>
            <xsl:variable name="org" as="element()?" select="tt:targets(@ref)[exists(tt:register-of(.))][1]"/>
            <xsl:choose>
              <xsl:when test="$org"><a href="{tt:internal-href($org)}">{normalize-space(.)}</a></xsl:when>
              <xsl:otherwise>{normalize-space(.)}</xsl:otherwise>
            </xsl:choose>
          </dd>
        </xsl:for-each>
        <xsl:if test="@when | @from | @to">
          <dt>时间</dt><dd>{string-join((@when, @from, @to), '—')}</dd>
        </xsl:if>
        <xsl:for-each select="tei:note">
          <dt>注</dt><dd><xsl:apply-templates mode="render"/></dd>
        </xsl:for-each>
        <xsl:variable name="pbs" as="element(tei:pb)*" select="($mentions ! tt:page-break-of(.)) / ."/>
        <xsl:if test="exists($pbs)">
          <dt>页码</dt>
          <dd class="pages">
            <xsl:for-each select="$pbs">
              <xsl:if test="position() gt 1">、</xsl:if>
              <a href="{tt:page-of(.)}#{tt:page-anchor(.)}">{substring-after(tt:page-label(.), '第') => replace('页', '')}</a>
            </xsl:for-each>
          </dd>
        </xsl:if>
      </dl>
      <h4>提及（{count($mentions)}）</h4>
      <xsl:choose>
        <xsl:when test="empty($mentions)"><p class="no-mentions">正文中未见提及。</p></xsl:when>
        <xsl:otherwise>
          <ol class="mentions">
            <xsl:for-each select="$mentions">
              <xsl:call-template name="tt:mention-context"/>
            </xsl:for-each>
          </ol>
        </xsl:otherwise>
      </xsl:choose>
    </article>
  </xsl:template>

  <xsl:template name="tt:mention-context" as="element()">
    <xsl:variable name="m" as="element()" select="."/>
    <!-- (listed under its entry, the mention designates an entry: tt:entry-of is not asked) -->
    <xsl:variable name="anchored" as="xs:boolean" select="exists(self::tei:persName
        | self::tei:orgName | self::tei:placeName | self::tei:geogName | self::tei:eventName | self::tei:objectName
        | self::tei:name | self::tei:rs | self::tei:title | self::tei:roleName | self::tei:date | self::tei:time)"/>
    <xsl:variable name="target" as="element()" select="if ($anchored) then $m else ($m/ancestor::*[self::tei:p or self::tei:ab or self::tei:head][1], $m)[1]"/>
    <xsl:variable name="context" as="map(xs:string, xs:string)" select="tt:context($m)"/>
    <xsl:variable name="unit" as="element()?" select="tt:unit-of($m)"/>
    <li>
      <a class="backlink" href="{tt:hit-page($m, $unit)}#{tt:anchor($target)}">{if ($unit) then tt:title-of($unit) else '目录页'}</a>
      <xsl:for-each select="tt:page-break-of($m)">
        <xsl:text>，</xsl:text><span class="page">{tt:page-label(.)}</span>
      </xsl:for-each>
      <xsl:text>：</xsl:text>
      <span class="context">{$context?before}<mark>{$context?text}</mark>{$context?after}</span>
    </li>
  </xsl:template>

  <!-- ===== About (from the header) ===== -->
  <!-- The about page: every statement of the header a review asks for
       (edition, responsibility, identifiers and URL patterns, the booklet, the
       digital source, rights, principles, sources) and one citation, generated
       here from the header, in Chinese (GB/T 7714-2015) and English. The access
       date and the URL are placeholders in the file (deterministic output); the
       page's script fills them in and copies a citation (also from file://). -->
  <xsl:template name="tt:about-page" as="empty-sequence()">
    <xsl:call-template name="tt:page">
      <xsl:with-param name="file" select="'about' || $tt:ext"/>
      <xsl:with-param name="title" select="'关于本版'"/>
      <xsl:with-param name="kind" select="'about'"/>
    </xsl:call-template>
    <xsl:call-template name="tt:about-script"/>
  </xsl:template>

  <!-- The content of the about page, written by tt:page straight into the page. -->
  <xsl:template name="tt:about-content" as="element()+">
    <xsl:variable name="fd" as="element()?" select="$tt:header/tei:fileDesc"/>
    <h1>关于本版</h1>
    <xsl:call-template name="tt:about-edition"><xsl:with-param name="fd" select="$fd"/></xsl:call-template>
    <xsl:if test="$tt:header/tei:encodingDesc/tei:refsDecl">
      <section id="identifiers">
        <h2>标识与网址</h2>
        <xsl:for-each select="$tt:header/tei:encodingDesc/tei:refsDecl/tei:p">
          <p>{tt:plain(.)}</p>
        </xsl:for-each>
      </section>
    </xsl:if>
    <xsl:if test="$tt:header/tei:encodingDesc/(tei:projectDesc | tei:editorialDecl | tei:samplingDecl)">
      <section id="principles">
        <h2>编辑原则</h2>
        <xsl:apply-templates select="$tt:header/tei:encodingDesc/(tei:projectDesc | tei:samplingDecl | tei:editorialDecl)" mode="about"/>
      </section>
    </xsl:if>
    <xsl:if test="$schema-doc">
      <section id="schema">
        <h2>编码规范</h2>
        <p>本版依据项目的 TEI 定制（ODD）编码并校验：<a href="{$schema-doc}">编码规范文档</a>（英文：所收元素、属性与取值、校验规则及示例）。</p>
      </section>
    </xsl:if>
    <xsl:call-template name="tt:about-sources"><xsl:with-param name="fd" select="$fd"/></xsl:call-template>
    <section id="licence">
      <h2>版权与许可</h2>
      <xsl:for-each select="$fd/tei:publicationStmt/tei:availability">
        <xsl:for-each select="tei:licence"><p><xsl:apply-templates select="." mode="about"/></p></xsl:for-each>
        <xsl:for-each select="tei:p"><p>{tt:plain(.)}</p></xsl:for-each>
      </xsl:for-each>
    </section>
    <xsl:apply-templates select="$tt:header" mode="about"/>
    <section id="downloads">
      <h2>下载</h2>
      <ul>
        <xsl:for-each select="$downloads">
          <li><a href="{.}" download="">{
            if (ends-with(., '.xml')) then 'TEI P5 源文件（XML）'
            else if (ends-with(., '.epub')) then 'EPUB 3 电子书'
            else if (ends-with(., '.txt')) then '纯文本（UTF-8，校改后读本）'
            else .}</a><xsl:text> </xsl:text><code>{tokenize(., '/')[last()]}</code></li>
        </xsl:for-each>
      </ul>
    </section>
    <xsl:if test="$tt:header/tei:revisionDesc">
      <section id="revisions">
        <h2>修订记录</h2>
        <ul>
          <xsl:for-each select="$tt:header/tei:revisionDesc//tei:change">
            <li><span class="when">{@when}</span>{if (@n) then ' （' || @n || '）' else ''} {tt:plain(.)}</li>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- The about page's edition statements: titles, responsibility, version,
       extent, publication, identifiers, keywords. -->
  <xsl:template name="tt:about-edition" as="element()">
    <xsl:param name="fd" as="element()?"/>
    <section id="edition">
      <h2>版本信息</h2>
      <dl>
        <xsl:if test="$fd/tei:titleStmt/tei:title">
          <dt>题名</dt>
          <xsl:for-each select="$fd/tei:titleStmt/tei:title">
            <dd><xsl:if test="@xml:lang and tt:is-html-lang(@xml:lang)"><xsl:attribute name="lang" select="@xml:lang"/></xsl:if>{normalize-space(.)}</dd>
          </xsl:for-each>
        </xsl:if>
        <xsl:for-each select="$fd/tei:titleStmt/(tei:author | tei:editor)">
          <dt>{if (self::tei:author) then '著者' else '编者'}</dt><dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:apply-templates select="$fd/tei:editionStmt/tei:edition" mode="about"/>
        <xsl:for-each select="$fd/tei:titleStmt/tei:respStmt | $fd/tei:editionStmt/tei:respStmt">
          <dt>{normalize-space(tei:resp[1])}</dt><dd>{string-join((tei:name | tei:persName | tei:orgName) ! normalize-space(.), '、')}<xsl:apply-templates select="tei:resp[1]/@ref" mode="about"/></dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:extent">
          <dt>规模</dt><dd>{tt:plain(.)}</dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:publicationStmt/(tei:publisher | tei:distributor | tei:authority)">
          <dt>发布者</dt><dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:publicationStmt/tei:pubPlace">
          <dt>发布地</dt><dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:publicationStmt/tei:date">
          <dt>发布日期</dt><dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:for-each select="$fd/tei:publicationStmt/tei:idno">
          <dt>标识{if (@type) then '（' || @type || '）' else ''}</dt><dd><code>{normalize-space(.)}</code></dd>
        </xsl:for-each>
        <xsl:for-each select="$tt:header/tei:profileDesc/tei:textClass/tei:keywords">
          <xsl:variable name="scheme" as="element()?" select="tt:targets(@scheme)[1]"/>
          <dt>主题词{if ($scheme/tei:desc) then '（' || tt:plain($scheme/tei:desc[1]/node()) || '）' else if (@scheme) then '（' || @scheme || '）' else ''}</dt>
          <dd>{string-join(tei:term ! normalize-space(.), '；')}</dd>
        </xsl:for-each>
      </dl>
    </section>
  </xsl:template>

  <!-- The booklet, the digital source and the source of every unit. -->
  <xsl:template name="tt:about-sources" as="element()">
    <xsl:param name="fd" as="element()?"/>
    <section id="sources">
      <h2>底本与来源</h2>
      <xsl:apply-templates select="$fd/tei:sourceDesc/(tei:bibl | tei:biblFull | tei:biblStruct | tei:p | tei:msDesc)" mode="about"/>
      <xsl:for-each select="$fd/tei:sourceDesc/tei:listBibl">
        <xsl:if test="tei:head"><h3>{tt:plain(tei:head[1])}</h3></xsl:if>
        <ol class="sources">
          <xsl:for-each select="tei:biblStruct | tei:bibl">
            <xsl:variable name="unit" as="element()?" select="$tt:units[tt:targets(@source) intersect current()][1]"/>
            <li id="{tt:anchor(.)}">
              <xsl:choose>
                <xsl:when test="$unit"><a href="{tt:unit-href($unit)}">{tt:plain((tei:analytic/tei:title, tei:title)[1])}</a>，{tt:source-line($unit)}</xsl:when>
                <xsl:otherwise>{tt:plain(.)}</xsl:otherwise>
              </xsl:choose>
              <xsl:for-each select="tei:relatedItem//tei:biblScope[@cert = ('low', 'medium')]">（{normalize-space(.)}；编者推定，可信度：{@cert}）</xsl:for-each>
            </li>
          </xsl:for-each>
        </ol>
      </xsl:for-each>
    </section>
  </xsl:template>

  <!-- The about page's script (a file, not inline: pages carry no inline
       script): fills in the citations' URL and access date, and copies a
       citation with the Clipboard API or, where that is refused (file://), a
       selected textarea. -->
  <xsl:template name="tt:about-script" as="empty-sequence()">
    <xsl:result-document href="about-citation.js" format="script">
      <xsl:text expand-text="no">/* Generated by tei-tools: the about page's citation (see edition.xsl, tt:about-page). */
(function () {
  var script = document.currentScript;
  var index = script ? script.getAttribute('data-index') : 'index.html';
  var url = location.href.replace(/[#?].*$/, '').replace(/[^\/]*$/, '') + index;
  var now = new Date();
  var pad = function (n) { return (n &lt; 10 ? '0' : '') + n; };
  var today = now.getFullYear() + '-' + pad(now.getMonth() + 1) + '-' + pad(now.getDate());
  Array.prototype.forEach.call(document.querySelectorAll('#cite .cite-url'), function (e) { e.textContent = url; });
  Array.prototype.forEach.call(document.querySelectorAll('#cite-zh .cite-accessed'), function (e) { e.textContent = '[' + today + ']'; });
  Array.prototype.forEach.call(document.querySelectorAll('#cite-en .cite-accessed'), function (e) { e.textContent = today; });
  Array.prototype.forEach.call(document.querySelectorAll('button.copy-citation'), function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener('click', function () {
      var text = document.getElementById(button.getAttribute('data-copy')).textContent;
      var done = function () { button.textContent = label + ' ✓'; button.setAttribute('data-copied', 'yes'); };
      var fallback = function () {
        var area = document.createElement('textarea');
        area.value = text;
        area.setAttribute('readonly', '');
        area.style.position = 'fixed';
        area.style.opacity = '0';
        document.body.appendChild(area);
        area.select();
        try { if (document.execCommand('copy')) { done(); } } catch (e) { /* nothing to do */ }
        document.body.removeChild(area);
      };
      if (navigator.clipboard &amp;&amp; window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, fallback);
      } else {
        fallback();
      }
    });
  });
})();
</xsl:text>
    </xsl:result-document>
  </xsl:template>

  <xsl:template match="tei:edition" mode="about" as="element()+">
    <dt>版本</dt>
    <dd>{(@n ! ('第' || . || '版'), tt:plain(.))[1]}<xsl:if test="@n and tei:date">（{normalize-space(tei:date[1])}）</xsl:if></dd>
  </xsl:template>

  <!-- A role given as a MARC relator URI: its code, linked. -->
  <xsl:template match="tei:resp/@ref" mode="about" as="item()*">
    <xsl:variable name="href" as="xs:string?" select="tt:safe-href(.)"/>
    <xsl:if test="exists($href) and matches($href, '^https?:')">
      <xsl:text> </xsl:text><a class="role" href="{$href}" rel="noopener noreferrer">{tokenize($href, '/')[last()]}</a>
    </xsl:if>
  </xsl:template>

  <!-- A bibliographic description of the source: its parts as a list. -->
  <xsl:template match="tei:sourceDesc/tei:bibl" mode="about" as="element()">
    <div class="bibl" id="{tt:anchor(.)}">
      <h3>{if (@type = 'digital-source') then '数字来源' else '原书'}：{tt:plain(tei:title[1])}</h3>
      <dl>
        <xsl:for-each select="tei:author | tei:editor">
          <dt>{if (@role = 'compiler') then '编者' else if (self::tei:author) then '著者' else '编者'}</dt><dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:for-each select="tei:pubPlace">
          <dt>出版地</dt><dd>{normalize-space(.)}{if (@cert) then '（编者推定，可信度：' || @cert || '）' else ''}</dd>
        </xsl:for-each>
        <xsl:for-each select="tei:publisher">
          <dt>出版者</dt><dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:for-each select="tei:date">
          <dt>日期</dt><dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:for-each select="tei:idno">
          <dt>{if (@type = 'filename') then '文件名' else if (@type = 'sha256') then 'SHA-256' else '标识'}</dt><dd><code>{normalize-space(.)}</code></dd>
        </xsl:for-each>
        <xsl:for-each select="tei:extent">
          <dt>规模</dt><dd>{tt:plain(.)}</dd>
        </xsl:for-each>
        <xsl:for-each select="tei:note">
          <dt>说明</dt><dd>{tt:plain(node())}</dd>
        </xsl:for-each>
      </dl>
    </div>
  </xsl:template>

  <xsl:template match="tei:sourceDesc/*" mode="about" as="element()" priority="-1">
    <p class="bibl">{tt:plain(.)}</p>
  </xsl:template>

  <!-- The one citation of the edition (core/header.xsl, html/citation.xsl). -->
  <xsl:template match="tei:teiHeader" mode="about" as="element()">
    <section id="cite">
      <h2>引用方式</h2>
      <p>请引用本版（而非来源文本），并注明版本与引用日期；引用某一段落时，可用该段的“¶”链接，其网址模式见“标识与网址”。</p>
      <h3 id="cite-zh-heading">中文（GB/T 7714—2015）</h3>
      <xsl:call-template name="tt:citation-paragraph"><xsl:with-param name="lang" select="'zh'"/></xsl:call-template>
      <p><button type="button" class="copy-citation" data-copy="cite-zh" hidden="">复制中文引文</button></p>
      <h3 id="cite-en-heading">English</h3>
      <xsl:call-template name="tt:citation-paragraph"><xsl:with-param name="lang" select="'en'"/></xsl:call-template>
      <p><button type="button" class="copy-citation" data-copy="cite-en" hidden="">Copy the English citation</button></p>
      <script src="about-citation.js" data-index="index{$tt:ext}" defer="defer"></script>
    </section>
  </xsl:template>

  <xsl:template match="tei:projectDesc | tei:samplingDecl | tei:editorialDecl" mode="about" as="item()*">
    <h3>{map{'projectDesc': '项目说明', 'samplingDecl': '取样说明', 'editorialDecl': '编辑说明'}(local-name())}</h3>
    <xsl:for-each select="*">
      <xsl:choose>
        <xsl:when test="self::tei:p"><p>{tt:plain(.)}</p></xsl:when>
        <xsl:otherwise>
          <h4>{($tt:principle-labels(local-name()), local-name())[1]}</h4>
          <xsl:apply-templates select="tei:p" mode="about"/>
          <xsl:if test="empty(tei:p) and normalize-space(.) != ''"><p>{tt:plain(.)}</p></xsl:if>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <!-- A declaration's paragraph; a list inside it (the list of corrections, the
       punctuation map) becomes a list, each pointer a link to the passage. -->
  <xsl:template match="tei:encodingDesc//tei:p" mode="about" as="element()+">
    <xsl:choose>
      <xsl:when test="tei:list">
        <xsl:for-each-group select="node()" group-adjacent="boolean(self::tei:list)">
          <xsl:choose>
            <xsl:when test="current-grouping-key()">
              <xsl:for-each select="current-group()">
                <ul class="declared">
                  <xsl:for-each select="tei:item">
                    <li>{tt:plain(.)}<xsl:apply-templates select=".//tei:ptr" mode="about"/></li>
                  </xsl:for-each>
                </ul>
              </xsl:for-each>
            </xsl:when>
            <xsl:when test="normalize-space(tt:plain(current-group())) != ''"><p>{tt:plain(current-group())}</p></xsl:when>
          </xsl:choose>
        </xsl:for-each-group>
      </xsl:when>
      <xsl:otherwise><p>{tt:plain(.)}</p></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A pointer to a decision in the text: a link to its paragraph. -->
  <xsl:template match="tei:ptr" mode="about" as="item()*">
    <xsl:variable name="target" as="element()?" select="tt:targets(@target)[1]"/>
    <xsl:variable name="passage" as="element()?" select="$target/ancestor-or-self::*[self::tei:p or self::tei:head][1]"/>
    <xsl:if test="$passage/ancestor::tei:text">
      <xsl:text> </xsl:text><a class="decision" href="{tt:internal-href($passage)}">{substring(@target, 2)}</a>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:licence" mode="about" as="item()*">
    <xsl:variable name="href" as="xs:string?" select="tt:safe-href(@target)"/>
    <xsl:choose>
      <xsl:when test="exists($href) and matches($href, '^https?:')"><a href="{$href}" rel="license noopener noreferrer">{tt:plain(.)}</a></xsl:when>
      <xsl:otherwise>{tt:plain(.)}</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== Search ===== -->
  <!-- Noncharacters around a page number inside a plain string (search segments). -->
  <xsl:variable name="tt:PB-OPEN" as="xs:string" select="codepoints-to-string(64978)"/>
  <xsl:variable name="tt:PB-CLOSE" as="xs:string" select="codepoints-to-string(64979)"/>

  <!-- The plain string of nodes cut at their page breaks: [[page label, text], …];
       the first segment is on the page the first node stands on. -->
  <xsl:function name="tt:page-segments" as="array(xs:string)*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:param name="start" as="element(tei:pb)?"/>
    <xsl:sequence select="tt:segments-of(tt:page-marked($nodes), $start)"/>
  </xsl:function>

  <!-- The plain string of nodes (normalised) with a mark for each page break. -->
  <xsl:function name="tt:page-marked" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:apply-templates select="$nodes" mode="plain">
        <xsl:with-param name="tt:page-marks" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:variable>
    <xsl:sequence select="normalize-space(string-join($parts))"/>
  </xsl:function>

  <!-- That string without its page marks: tt:plain of the same nodes (a string
       without a mark, most blocks, is itself: no regular expression run on it). -->
  <xsl:function name="tt:unmarked" as="xs:string">
    <xsl:param name="flat" as="xs:string"/>
    <xsl:sequence select="if (not(contains($flat, $tt:PB-OPEN))) then $flat
        else normalize-space(replace($flat, $tt:PB-OPEN || '[^' || $tt:PB-CLOSE || ']*' || $tt:PB-CLOSE, ''))"/>
  </xsl:function>

  <xsl:function name="tt:segments-of" as="array(xs:string)*">
    <xsl:param name="flat" as="xs:string"/>
    <xsl:param name="start" as="element(tei:pb)?"/>
    <!-- (a string without a page mark is one piece: not tokenized) -->
    <xsl:variable name="pieces" as="xs:string*" select="
        if (not(contains($flat, $tt:PB-OPEN))) then $flat[. != ''] else tokenize($flat, $tt:PB-OPEN)"/>
    <xsl:sequence select="
        (array{string($start ! tt:page-label(.)), $pieces[1]})[$pieces[1] != ''],
        for $piece in tail($pieces)
        return array{substring-before($piece, $tt:PB-CLOSE), substring-after($piece, $tt:PB-CLOSE)}"/>
  </xsl:function>

  <!-- (a page break in mode plain, with the page marks: site-render.xsl, among
       what the site overrides in the core's modes) -->

  <!-- Where a hit is shown: the title of its unit (tt:unit-of, found once per
       record for this and tt:hit-page), or the contents page. -->
  <xsl:function name="tt:where" as="xs:string">
    <xsl:param name="unit" as="element()?"/>
    <xsl:sequence select="($unit ! tt:title-of(.), '目录页')[1]"/>
  </xsl:function>

  <!-- The page of a hit (not a page break): tt:page-of, its unit already found. -->
  <xsl:function name="tt:hit-page" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="unit" as="element()?"/>
    <xsl:sequence select="if (exists($unit)) then tt:unit-href($unit) else tt:page-of($e)"/>
  </xsl:function>

  <!-- The anchor a hit links to: its paragraph or heading, else the nearest
       element that keeps its id in the page ('' for the page itself). -->
  <xsl:function name="tt:hit-anchor" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="target" as="element()?" select="(
        $e/ancestor-or-self::*[self::tei:p or self::tei:ab or (self::tei:head and not(tt:in-phrasing(.)))][1],
        $e/ancestor-or-self::*[@xml:id][not(tt:is-unit(.))][ancestor::tei:text][1])[1]"/>
    <xsl:sequence select="string($target ! tt:anchor(.))"/>
  </xsl:function>

  <xsl:template name="tt:search-records" as="map(*)*">
    <!-- every block of text that holds no other block, notes apart -->
    <xsl:for-each select="//tei:text//*[map:contains($tt:block-name-set, local-name())][not(ancestor-or-self::tei:note)]
        [not(tt:in-phrasing(.))][not(tt:paragraph-has-blocks(.))]">
      <!-- its plain string read once, with the page marks (a block without text has no record) -->
      <xsl:variable name="flat" as="xs:string" select="tt:page-marked(node())"/>
      <xsl:if test="tt:unmarked($flat) != ''">
        <xsl:variable name="unit" as="element()?" select="tt:unit-of(.)"/>
        <!-- a paragraph or a head (not in phrasing: selected so) is its own anchor (tt:hit-anchor) -->
        <xsl:sequence select="map{'f': tt:hit-page(., $unit),
            'a': if (self::tei:p or self::tei:ab or self::tei:head) then tt:anchor(.) else tt:hit-anchor(.), 't': tt:where($unit),
            'k': if (ancestor::tei:figure) then 'caption' else 'text',
            's': array{tt:segments-of($flat, tt:page-break-of(.))}}"/>
      </xsl:if>
    </xsl:for-each>
    <xsl:for-each select="//tei:text//tei:note[not(ancestor::tei:note)]">
      <xsl:variable name="unit" as="element()?" select="tt:unit-of(.)"/>
      <xsl:sequence select="map{'f': tt:hit-page(., $unit), 'a': tt:anchor(.), 't': tt:where($unit) || ' · 注' || tt:note-number(.),
          'k': 'note', 's': array{tt:page-segments(node(), tt:page-break-of(.))}}"/>
    </xsl:for-each>
    <xsl:for-each select="//tei:text//tei:figDesc[not(ancestor::tei:note)][normalize-space(.) != '']">
      <xsl:variable name="unit" as="element()?" select="tt:unit-of(.)"/>
      <xsl:sequence select="map{'f': tt:hit-page(., $unit), 'a': tt:hit-anchor(.), 't': tt:where($unit) || ' · 图片说明',
          'k': 'caption', 's': array{tt:page-segments(node(), tt:page-break-of(.))}}"/>
    </xsl:for-each>
    <xsl:for-each select="$tt:registers">
      <xsl:variable name="register" as="xs:string" select="."/>
      <xsl:for-each select="tt:entries($register)">
        <xsl:variable name="names" as="xs:string*" select="distinct-values((tt:entry-name(.),
            (tei:persName | tei:orgName | tei:placeName | tei:label | tei:title | tei:eventName | tei:name) ! normalize-space(.)))[. != '']"/>
        <xsl:sequence select="map{'f': tt:register-href($register), 'a': tt:anchor(.),
            't': $tt:register-labels($register) || '索引', 'k': 'register',
            's': array{array{'', string-join($names, '／')}}}"/>
      </xsl:for-each>
    </xsl:for-each>
    <!-- the other reading of each correction, with its context in the shown reading -->
    <xsl:for-each select="//tei:text//(tei:choice | tei:app)[not(ancestor::tei:note)]">
      <xsl:variable name="choice" as="element()" select="."/>
      <xsl:variable name="other" as="xs:string" select="string-join((* except tt:shown-branch(.)) ! tt:plain(.), '／')"/>
      <xsl:variable name="block" as="element()" select="(ancestor::*[map:contains($tt:block-name-set, local-name())][not(tt:in-phrasing(.))][1], ..)[1]"/>
      <xsl:variable name="texts" as="text()*" select="tt:reading-texts($block)"/>
      <xsl:variable name="before" as="xs:string" select="normalize-space(string-join($texts[. &lt;&lt; $choice]))"/>
      <xsl:variable name="after" as="xs:string" select="normalize-space(string-join($texts[. >> $choice] except $choice//text()))"/>
      <xsl:if test="$other != ''">
        <xsl:variable name="unit" as="element()?" select="tt:unit-of(.)"/>
        <xsl:sequence select="map{'f': tt:hit-page(., $unit), 'a': tt:anchor(.), 't': tt:where($unit) || ' · 校改前原文', 'k': 'orig',
            'p': string(tt:page-break-of(.) ! tt:page-label(.)),
            'x': substring($before, max((1, string-length($before) - 29))), 'o': $other, 'y': substring($after, 1, 30)}"/>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>
  <xsl:template name="tt:search-page" as="empty-sequence()">
    <xsl:call-template name="tt:page">
      <xsl:with-param name="file" select="'search' || $tt:ext"/>
      <xsl:with-param name="title" select="'全文检索'"/>
      <xsl:with-param name="kind" select="'search'"/>
    </xsl:call-template>
    <xsl:result-document href="search-index.js" format="script">
      <xsl:text>/* Generated by tei-tools from the TEI. One record per block of text, note,
   figure description, register entry and original reading of a correction:
   f page, a anchor, t where, k kind (text | note | caption | register | orig),
   s [[print page, text], …] the text cut at its page breaks; an orig record
   has x (context before), o (the original reading), y (context after). */&#10;</xsl:text>
      <xsl:text>window.TT_SEARCH_INDEX = </xsl:text>
      <xsl:variable name="records" as="map(*)*">
        <xsl:call-template name="tt:search-records"/>
      </xsl:variable>
      <xsl:value-of select="serialize(array{$records}, map{'method': 'json', 'indent': false()})"/>
      <xsl:text>;&#10;</xsl:text>
    </xsl:result-document>
  </xsl:template>

  <!-- The content of the search page, written by tt:page straight into the page. -->
  <xsl:template name="tt:search-content" as="element()+">
    <h1>全文检索</h1>
    <form id="search-form" class="search-form" action="search{$tt:ext}" method="get" role="search">
      <label for="search-q">检索词</label>
      <input id="search-q" type="search" name="q" autocomplete="off"/>
      <button type="submit">检索</button>
    </form>
    <p id="search-status" class="search-status" aria-live="polite">输入任意字词（按字串匹配，不分词；拼音可不带声调）。检索正文、注释、图注、索引名称与拼音，以及校改前的原文。</p>
    <ol id="search-results" class="search-results"></ol>
    <script src="search-index.js"></script>
  </xsl:template>

</xsl:stylesheet>
