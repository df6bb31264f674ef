<?xml version="1.0" encoding="UTF-8"?>
<!-- The edition's one citation (tt:citation in core/header.xsl) as an XHTML
     paragraph: the about page of the site and the EPUB's colophon both show
     it (included by html/edition.xsl and epub/epub.xsl). The placeholders
     are spans, cite-accessed and cite-url, that the site's script fills in. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tt="urn:x-tei-tools"
    xmlns="http://www.w3.org/1999/xhtml"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <!-- $lang 'zh' (GB/T 7714-2015) or 'en'; the paragraph's id is cite-{$lang}. -->
  <xsl:template name="tt:citation-paragraph" as="element()">
    <xsl:param name="lang" as="xs:string"/>
    <p class="citation" id="cite-{$lang}" lang="{if ($lang = 'zh') then 'zh-Hans' else $lang}">
      <xsl:for-each select="tt:citation($lang)">
        <xsl:choose>
          <xsl:when test="?role != ''"><span class="cite-{?role}">{?text}</span></xsl:when>
          <xsl:otherwise>{?text}</xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </p>
  </xsl:template>

</xsl:stylesheet>
