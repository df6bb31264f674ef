<?xml version="1.0" encoding="UTF-8"?>
<!-- Guidelines ch. 3.5 (simple editorial changes), 11.3 (transcription) and
     12 (critical apparatus): which reading is shown, what the reader can
     see of the other one, gaps and supplied text. -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tt="urn:x-tei-tools"
    expand-text="yes"
    exclude-result-prefixes="#all">

  <!-- The branch of a choice (or app) shown in the chosen reading. -->
  <xsl:function name="tt:shown-branch" as="element()?">
    <xsl:param name="choice" as="element()"/>
    <xsl:variable name="regular" as="element()*"
        select="$choice/(tei:corr | tei:reg | tei:expan | tei:ex | tei:lem)"/>
    <xsl:variable name="diplomatic" as="element()*"
        select="$choice/(tei:sic | tei:orig | tei:abbr | tei:am | tei:lem)"/>
    <xsl:sequence select="(if ($reading = 'diplomatic') then $diplomatic else $regular, $choice/*)[1]"/>
  </xsl:function>

  <xsl:function name="tt:correction-label" as="xs:string">
    <xsl:param name="shown" as="element()?"/>
    <xsl:param name="other" as="element()*"/>
    <xsl:variable name="text" as="xs:string" select="string-join($other ! tt:plain(.), '／')"/>
    <xsl:sequence select="
        if (empty($other)) then '编者校改'
        else if ($shown/self::tei:corr) then '原文作“' || $text || '”'
        else if ($shown/self::tei:sic) then '编者校改为“' || $text || '”'
        else if ($shown/self::tei:reg) then '原文写作“' || $text || '”'
        else if ($shown/self::tei:orig) then '规范写法“' || $text || '”'
        else if ($shown/self::tei:expan or $shown/self::tei:ex) then '原文缩写“' || $text || '”'
        else if ($shown/self::tei:abbr or $shown/self::tei:am) then '全称“' || $text || '”'
        else '异文“' || $text || '”'"/>
  </xsl:function>

  <xsl:template match="tei:choice | tei:app" mode="render" as="item()*">
    <xsl:variable name="shown" as="element()?" select="tt:shown-branch(.)"/>
    <xsl:call-template name="tt:correction">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="label" select="tt:correction-label($shown, * except $shown)"/>
    </xsl:call-template>
  </xsl:template>
  <!-- A correction's content is the shown reading; mode tt:other its other
       branches (none for a correction without its original). -->
  <xsl:template match="tei:choice | tei:app" mode="tt:content" as="item()*">
    <xsl:apply-templates select="tt:shown-branch(.)/node()" mode="render"/>
  </xsl:template>
  <xsl:template match="tei:choice | tei:app" mode="tt:other" as="item()*">
    <xsl:apply-templates select="(* except tt:shown-branch(.))/node()" mode="render"/>
  </xsl:template>
  <xsl:template match="tei:corr" mode="tt:other" as="empty-sequence()"/>

  <!-- In the header a choice declares a normalisation (e.g. the punctuation
       map of editorialDecl): both sides are shown, "「,」→「，」", never a reading. -->
  <xsl:template match="tei:teiHeader//tei:choice" mode="render plain" priority="1" as="item()*">
    <xsl:for-each select="*">
      <xsl:if test="position() gt 1"><xsl:text>→</xsl:text></xsl:if>
      <xsl:text>「</xsl:text>
      <xsl:apply-templates mode="#current"/>
      <xsl:text>」</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <!-- A correction without its original. -->
  <xsl:template match="tei:corr[not(parent::tei:choice)]" mode="render" as="item()*">
    <xsl:call-template name="tt:correction">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="label" select="'编者校改'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:supplied" mode="render" as="item()*">
    <xsl:call-template name="tt:supplied">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="label" select="tt:supplied-label(.)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:gap" mode="render" as="item()*">
    <xsl:call-template name="tt:gap">
      <xsl:with-param name="node" select="."/>
      <xsl:with-param name="label" select="tt:reason-label(.)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- plain: only the shown branch; no gap, note or figure description. -->
  <xsl:template match="tei:choice | tei:app" mode="plain" as="item()*">
    <xsl:apply-templates select="tt:shown-branch(.)" mode="plain"/>
  </xsl:template>
  <xsl:template match="tei:gap | tei:note | tei:figDesc | tei:desc" mode="plain" as="item()*"/>

</xsl:stylesheet>
