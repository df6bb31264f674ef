<?xml version="1.0" encoding="UTF-8"?>
<!--
  The EXSLT functions that Schematron files with queryBinding="xslt" call,
  for Saxon HE (which implements none of them). Included by every stylesheet
  that tei_tools.validation.schematron_xslt writes for an XSLT 1.0 binding.

  Node-sets of EXSLT become sequences: str:tokenize returns strings, not
  <token> elements, which is what comparisons, predicates and key() need.
  Regular expressions are XPath's (close to the JavaScript ones EXSLT names
  for the common cases); the flags "i" and "g" of EXSLT are honoured.
  No mode, no template: functions only.
-->
<xsl:stylesheet version="3.0" expand-text="yes" exclude-result-prefixes="#all"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:str="http://exslt.org/strings"
    xmlns:regexp="http://exslt.org/regular-expressions"
    xmlns:exsl="http://exslt.org/common"
    xmlns:set="http://exslt.org/sets"
    xmlns:math="http://exslt.org/math">

  <!-- str:tokenize: split on any of the delimiter characters; no delimiters: characters -->
  <xsl:function name="str:tokenize" as="xs:string*">
    <xsl:param name="string" as="item()?"/>
    <xsl:sequence select="str:tokenize($string, '&#9;&#10;&#13; ')"/>
  </xsl:function>

  <xsl:function name="str:tokenize" as="xs:string*">
    <xsl:param name="string" as="item()?"/>
    <xsl:param name="delimiters" as="item()?"/>
    <xsl:variable name="s" as="xs:string" select="string($string)"/>
    <xsl:variable name="d" as="xs:string" select="string($delimiters)"/>
    <xsl:sequence select="if ($d = '') then (for $c in string-to-codepoints($s) return codepoints-to-string($c))
                          else tokenize($s, '[' || replace($d, '([\\\[\]\^\-])', '\\$1') || ']+')[. ne '']"/>
  </xsl:function>

  <xsl:function name="str:replace" as="xs:string">
    <xsl:param name="string" as="item()?"/>
    <xsl:param name="search" as="item()*"/>
    <xsl:param name="replace" as="item()*"/>
    <xsl:sequence select="str:replace-all(string($string), $search ! string(.), $replace ! string(.))"/>
  </xsl:function>

  <xsl:function name="str:replace-all" as="xs:string" visibility="private">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="search" as="xs:string*"/>
    <xsl:param name="replace" as="xs:string*"/>
    <xsl:sequence select="if (empty($search)) then $s
                          else str:replace-all(
                            string-join(tokenize($s, $search[1], 'q'), ($replace[1], '')[1]),
                            tail($search), tail($replace))"/>
  </xsl:function>

  <xsl:function name="str:concat" as="xs:string">
    <xsl:param name="nodes" as="item()*"/>
    <xsl:sequence select="string-join($nodes ! string(.), '')"/>
  </xsl:function>

  <xsl:function name="str:padding" as="xs:string">
    <xsl:param name="length" as="item()?"/>
    <xsl:param name="chars" as="item()?"/>
    <xsl:variable name="n" as="xs:integer" select="xs:integer(number($length))"/>
    <xsl:variable name="c" as="xs:string" select="(string($chars)[. ne ''], ' ')[1]"/>
    <xsl:sequence select="substring(string-join((1 to $n) ! $c, ''), 1, $n)"/>
  </xsl:function>

  <!-- regexp: EXSLT flags "g" (global) and "i" (ignore case) -->
  <xsl:function name="regexp:test" as="xs:boolean">
    <xsl:param name="string" as="item()?"/>
    <xsl:param name="regex" as="item()?"/>
    <xsl:sequence select="regexp:test($string, $regex, '')"/>
  </xsl:function>

  <xsl:function name="regexp:test" as="xs:boolean">
    <xsl:param name="string" as="item()?"/>
    <xsl:param name="regex" as="item()?"/>
    <xsl:param name="flags" as="item()?"/>
    <xsl:sequence select="matches(string($string), string($regex), regexp:flags($flags))"/>
  </xsl:function>

  <xsl:function name="regexp:replace" as="xs:string">
    <xsl:param name="string" as="item()?"/>
    <xsl:param name="regex" as="item()?"/>
    <xsl:param name="flags" as="item()?"/>
    <xsl:param name="replace" as="item()?"/>
    <xsl:variable name="s" as="xs:string" select="string($string)"/>
    <xsl:variable name="r" as="xs:string" select="replace(string($replace), '\\', '\\\\') => replace('\$(\d)', '\$$1')"/>
    <xsl:sequence select="if (contains(string($flags), 'g'))
                          then replace($s, string($regex), $r, regexp:flags($flags))
                          else regexp:replace-first($s, string($regex), $r, regexp:flags($flags))"/>
  </xsl:function>

  <xsl:function name="regexp:replace-first" as="xs:string" visibility="private">
    <xsl:param name="s" as="xs:string"/>
    <xsl:param name="regex" as="xs:string"/>
    <xsl:param name="replace" as="xs:string"/>
    <xsl:param name="flags" as="xs:string"/>
    <xsl:variable name="first" as="element()?"
        select="analyze-string($s, $regex, $flags)/*:match[1]"/>
    <xsl:sequence select="if (empty($first)) then $s
                          else string-join($first/preceding-sibling::* ! string(.), '')
                               || replace(string($first), '^(?:' || $regex || ')$', $replace, $flags)
                               || string-join($first/following-sibling::* ! string(.), '')"/>
  </xsl:function>

  <xsl:function name="regexp:match" as="xs:string*">
    <xsl:param name="string" as="item()?"/>
    <xsl:param name="regex" as="item()?"/>
    <xsl:sequence select="regexp:match($string, $regex, '')"/>
  </xsl:function>

  <xsl:function name="regexp:match" as="xs:string*">
    <xsl:param name="string" as="item()?"/>
    <xsl:param name="regex" as="item()?"/>
    <xsl:param name="flags" as="item()?"/>
    <xsl:variable name="found" as="element()*"
        select="analyze-string(string($string), string($regex), regexp:flags($flags))/*:match"/>
    <xsl:sequence select="if (contains(string($flags), 'g')) then $found ! string(.)
                          else $found[1] ! (string(.), .//*:group ! string(.))"/>
  </xsl:function>

  <xsl:function name="regexp:flags" as="xs:string" visibility="private">
    <xsl:param name="flags" as="item()?"/>
    <xsl:sequence select="if (contains(string($flags), 'i')) then 'i' else ''"/>
  </xsl:function>

  <!-- exsl: result tree fragments are node sequences already -->
  <xsl:function name="exsl:node-set" as="item()*">
    <xsl:param name="object" as="item()*"/>
    <xsl:sequence select="$object"/>
  </xsl:function>

  <xsl:function name="exsl:object-type" as="xs:string">
    <xsl:param name="object" as="item()*"/>
    <xsl:sequence select="if ($object instance of xs:string) then 'string'
                          else if ($object instance of xs:boolean) then 'boolean'
                          else if ($object instance of xs:numeric) then 'number'
                          else 'node-set'"/>
  </xsl:function>

  <!-- set: on nodes, in document order -->
  <xsl:function name="set:distinct" as="node()*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="for $i in 1 to count($nodes)
                          return $nodes[$i][not(string(.) = subsequence($nodes, 1, $i - 1) ! string(.))]"/>
  </xsl:function>

  <xsl:function name="set:difference" as="node()*">
    <xsl:param name="a" as="node()*"/>
    <xsl:param name="b" as="node()*"/>
    <xsl:sequence select="$a except $b"/>
  </xsl:function>

  <xsl:function name="set:intersection" as="node()*">
    <xsl:param name="a" as="node()*"/>
    <xsl:param name="b" as="node()*"/>
    <xsl:sequence select="$a intersect $b"/>
  </xsl:function>

  <xsl:function name="set:has-same-node" as="xs:boolean">
    <xsl:param name="a" as="node()*"/>
    <xsl:param name="b" as="node()*"/>
    <xsl:sequence select="exists($a intersect $b)"/>
  </xsl:function>

  <xsl:function name="math:max" as="xs:double">
    <xsl:param name="nodes" as="item()*"/>
    <xsl:sequence select="if (empty($nodes)) then xs:double('NaN') else max($nodes ! number(.))"/>
  </xsl:function>

  <xsl:function name="math:min" as="xs:double">
    <xsl:param name="nodes" as="item()*"/>
    <xsl:sequence select="if (empty($nodes)) then xs:double('NaN') else min($nodes ! number(.))"/>
  </xsl:function>

  <xsl:function name="math:abs" as="xs:double">
    <xsl:param name="number" as="item()?"/>
    <xsl:sequence select="abs(number($number))"/>
  </xsl:function>
</xsl:stylesheet>
