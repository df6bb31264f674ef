<?xml version="1.0" encoding="UTF-8"?>
<!-- Elements the core does not know: rendered as their text, as a block
     where they stand between blocks, else inline. Never dropped: a
     "warning:" message names each one (the build reports each name once). -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <xsl:function name="tt:guess-block" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="not(tt:in-phrasing($e)) and (tt:has-blocks($e)
        or exists($e/parent::*[starts-with(local-name(), 'div') or self::tei:body or self::tei:front
                  or self::tei:back or self::tei:text or self::tei:group or self::tei:lg
                  or self::tei:list or self::tei:sp or self::tei:figure]))"/>
  </xsl:function>

  <xsl:template match="*" mode="render" priority="-1" as="item()*">
    <xsl:variable name="block" as="xs:boolean" select="tt:guess-block(.)"/>
    <xsl:message select="'warning: element ' || (if (namespace-uri() = 'http://www.tei-c.org/ns/1.0') then local-name() else name() || ' {' || namespace-uri() || '}')
        || ' is not handled by tei-tools; rendered as its text (' || (if ($block) then 'block' else 'inline') || ')'"/>
    <xsl:call-template name="tt:unknown">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="is-block" select="$block"/>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
