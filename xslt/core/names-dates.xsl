<?xml version="1.0" encoding="UTF-8"?>
<!-- Guidelines ch. 13 (names, dates, people, places) and 3.6 (names and
     referring strings): a name that points to a register entry with @ref
     is a mention; otherwise it is an inline phrase. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:template match="tei:persName | tei:orgName | tei:placeName | tei:geogName | tei:eventName
      | tei:objectName | tei:name | tei:rs | tei:title | tei:roleName | tei:addName | tei:forename
      | tei:surname | tei:genName | tei:nameLink | tei:settlement | tei:district | tei:region
      | tei:country | tei:bloc | tei:geog | tei:date | tei:time" mode="render" as="item()*">
    <xsl:variable name="entry" as="element()?" select="tt:entry-of(.)"/>
    <xsl:choose>
      <xsl:when test="exists($entry)">
        <xsl:call-template name="tt:mention">
          <xsl:with-param name="node" select="."/>
          <xsl:with-param name="entry" select="$entry"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="tt:inline">
          <xsl:with-param name="node" select="."/>
          <xsl:with-param name="class" select="local-name() || (if (self::tei:title and @level) then ' title-' || replace(@level, '[^a-z]', '') else '')"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
