<?xml version="1.0" encoding="UTF-8"?>
<!-- The edition as a whole, from its teiHeader: the one definition every
     layer (HTML, EPUB, text) uses of its title, subtitles, authors, version
     and date, language, publisher, licences and its citation.
     Format-neutral: header elements and strings, no markup.
     (The catalogue records read the same header in Python: tei_tools.records.) -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:variable name="tt:header" as="element(tei:teiHeader)?" select="$tt:root/*/tei:teiHeader"/>
  <xsl:variable name="tt:title-stmt" as="element(tei:titleStmt)?"
      select="$tt:header/tei:fileDesc/tei:titleStmt"/>
  <xsl:variable name="tt:pub-stmt" as="element(tei:publicationStmt)?"
      select="$tt:header/tei:fileDesc/tei:publicationStmt"/>

  <!-- The title of the edition: the header's main title (else its first title
       that is not a subtitle), else the title page's, else 无题. -->
  <xsl:variable name="tt:edition-title" as="xs:string" select="
      (tt:plain(($tt:title-stmt/tei:title[@type = 'main'], $tt:title-stmt/tei:title[not(@type = 'sub')])[1]),
       tt:plain(($tt:root//tei:text//tei:titlePage)[1]/tei:docTitle/(tei:titlePart[@type = 'main'],
                                                             tei:titlePart[not(@type = 'sub')])[1]),
       '无题')[. != ''][1]"/>

  <!-- Its authors (the compiler of this edition: titleStmt/author). -->
  <xsl:variable name="tt:edition-authors" as="xs:string*"
      select="$tt:title-stmt/tei:author ! tt:plain(.)[. != '']"/>

  <!-- Its subtitles (a parallel title in another language is one of them). -->
  <xsl:variable name="tt:edition-subtitles" as="element(tei:title)*"
      select="$tt:title-stmt/tei:title[@type = 'sub'][tt:plain(.) != '']"/>

  <!-- The version: the latest dated change of revisionDesc. -->
  <xsl:variable name="tt:latest-change" as="element(tei:change)?" select="
      let $when := max($tt:header/tei:revisionDesc//tei:change/@when ! string(.))
      return ($tt:header/tei:revisionDesc//tei:change[string(@when) = $when])[1]"/>

  <!-- The date of the edition: that of its version, else the publication
       date (its @when, else its text); never the clock. -->
  <xsl:variable name="tt:edition-date" as="xs:string" select="
      string(($tt:latest-change/@when, $tt:pub-stmt/tei:date/(@when, .)[1] ! normalize-space(.))[1])"/>

  <!-- Its language (a BCP 47 tag): the document's xml:lang, else the first
       language of langUsage, else und (undetermined). -->
  <xsl:variable name="tt:edition-lang" as="xs:string"
      select="($tt:root/*/@xml:lang, $tt:header/tei:profileDesc/tei:langUsage/tei:language[1]/@ident,
               'und')[matches(., '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$')][1]"/>

  <!-- Its publisher (the first publisher, distributor or authority named), or ''. -->
  <xsl:variable name="tt:edition-publisher" as="xs:string" select="
      string(($tt:pub-stmt/(tei:publisher | tei:distributor | tei:authority) ! tt:plain(.))[. != ''][1])"/>

  <!-- Every licence the edition is under (encoding, code …), in header order. -->
  <xsl:variable name="tt:licences" as="element(tei:licence)*"
      select="$tt:pub-stmt/tei:availability/tei:licence"/>

  <!-- The names of the sections of an editorialDecl. -->
  <xsl:variable name="tt:principle-labels" as="map(xs:string, xs:string)" select="map{
      'correction': '校勘', 'normalization': '规范化', 'punctuation': '标点', 'quotation': '引号',
      'hyphenation': '连字符', 'segmentation': '分段', 'interpretation': '阐释', 'stdVals': '标准值'}"/>

  <!-- The one citation of the edition, in Chinese ('zh', GB/T 7714-2015 for
       an online resource) or English ('en'), as pieces: map{'text': …,
       'role': ''} for the citation's own text, role 'accessed' and 'url' for
       the two placeholders the reader (or a page's script) fills in. -->
  <xsl:function name="tt:citation" as="map(xs:string, xs:string)*">
    <xsl:param name="lang" as="xs:string"/>
    <xsl:variable name="creator" as="element()?" select="($tt:title-stmt/tei:author, $tt:title-stmt/tei:editor)[1]"/>
    <xsl:variable name="creator-zh" as="xs:string" select="normalize-space($creator)"/>
    <xsl:variable name="creator-en" as="xs:string?"
        select="(tt:targets($creator/@ref)/*[@xml:lang = 'en'] ! normalize-space(.))[1]"/>
    <xsl:variable name="encoders" as="xs:string" select="string-join(distinct-values(
        ($tt:title-stmt/tei:respStmt)[1]/(tei:name | tei:persName | tei:orgName) ! normalize-space(.)), '、')"/>
    <xsl:variable name="version" as="xs:string?"
        select="$tt:header/tei:fileDesc/tei:editionStmt/tei:edition[1]/@n ! string(.)"/>
    <xsl:variable name="place" as="xs:string?" select="($tt:pub-stmt/tei:pubPlace ! normalize-space(.))[1]"/>
    <xsl:choose>
      <xsl:when test="$lang = 'zh'">
        <!-- 主要责任者. 题名[EB/OL]. 其他责任者. 版本. 出版地: 出版者, 日期[引用日期]. 网址. -->
        <xsl:sequence select="tt:cite-piece(string-join((
            $creator-zh[. != ''] ! (. || '. '),
            $tt:edition-title, '[EB/OL]. ',
            $encoders[. != ''] ! (. || ', 编码. '),
            $version ! (. || '版. '),
            (if ($place) then $place else '[出版地不详]'), ': ',
            $tt:edition-publisher[. != ''] ! (. || ', '),
            $tt:edition-date)), ''),
          tt:cite-piece('[引用日期]', 'accessed'), tt:cite-piece('. ', ''),
          tt:cite-piece('〈本版网址〉', 'url'), tt:cite-piece('.', '')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="title-en" as="xs:string?"
            select="($tt:title-stmt/tei:title[@xml:lang = 'en'] ! normalize-space(.))[1]"/>
        <xsl:sequence select="tt:cite-piece(string-join((
            if ($creator-en) then $creator-en || ' (' || $creator-zh || '), comp. '
            else $creator-zh[. != ''] ! (. || ', comp. '),
            $tt:edition-title,
            $title-en ! (' [' || . || ']'), '. ',
            $encoders[. != ''] ! ('Encoded and edited by ' || . || '. '),
            $version ! ('Version ' || . || '. '),
            $place ! (. || ': '),
            $tt:edition-publisher[. != ''] ! (. || ', '),
            $tt:edition-date, '. ')), ''),
          tt:cite-piece('〈URL〉', 'url'), tt:cite-piece(' (accessed ', ''),
          tt:cite-piece('〈date〉', 'accessed'), tt:cite-piece(').', '')"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="tt:cite-piece" as="map(xs:string, xs:string)">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="role" as="xs:string"/>
    <xsl:sequence select="map{'text': $text, 'role': $role}"/>
  </xsl:function>

</xsl:stylesheet>
