"""Documents for tests/fixtures/odd/features.odd: for each feature, one that passes and
one that fails because of that feature (``CASES``: name -> (passing body, failing body)).

``document(body)`` puts a body's content into a TEI document; a case whose text starts
with ``<?root`` is a whole document of its own.
"""

from __future__ import annotations

BOX = 'xmlns:bx="http://example.org/box"'


def document(body: str, header: str = "<title>T</title>") -> str:
    if body.startswith("<?root"):
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body.split("?>", 1)[1]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<TEI xmlns="http://www.tei-c.org/ns/1.0" {BOX}><teiHeader><fileDesc>'
            f"<titleStmt>{header}</titleStmt><publicationStmt><p>P</p></publicationStmt>"
            "<sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>"
            f"<text><body>{body}</body></text></TEI>\n")


CASES: dict[str, tuple[str, str]] = {
    # schemaSpec
    "start (@start names TEI and text)": (
        '<?root?><text xmlns="http://www.tei-c.org/ns/1.0"><body><p>x</p></body></text>',
        '<?root?><body xmlns="http://www.tei-c.org/ns/1.0"><p>x</p></body>'),
    # moduleRef @include / @except, elementRef
    "moduleRef include (list kept, lg not)": (
        "<p>x</p><list><item>a</item></list>", "<lg><l>x</l></lg>"),
    "moduleRef except (div kept, div1 left out)": (
        "<div><p>x</p></div>", "<div1><p>x</p></div1>"),
    "elementRef at schemaSpec level (persName)": (
        "<p><persName>Li</persName></p>", "<p><placeName>Li</placeName></p>"),
    # elementSpec modes
    "elementSpec delete (note)": ("<p>x</p>", "<p>x<note>n</note></p>"),
    "elementSpec add, own namespace (bx:box)": (
        '<div><bx:box shape="square"><p>x</p></bx:box></div>',
        '<div><box shape="square"><p>x</p></box></div>'),
    "elementSpec replace (ptr needs @target)": ('<p><ptr target="#a"/></p>', "<p><ptr/></p>"),
    "elementSpec change, content (div: head?, then parts)": (
        "<div><head>h</head><p>x</p></div>", "<div><p>x</p><head>h</head></div>"),
    # content in pure ODD
    "sequence minOccurs=0 (head optional)": (
        '<div><bx:box shape="square"><p>x</p></bx:box></div>',
        '<div><bx:box shape="square"><head>a</head><head>b</head><p>x</p></bx:box></div>'),
    "alternate maxOccurs=3": (
        '<div><bx:box shape="square"><p>1</p><stamp/><p>3</p></bx:box></div>',
        '<div><bx:box shape="square"><p>1</p><p>2</p><p>3</p><p>4</p></bx:box></div>'),
    "empty content (stamp)": (
        '<div><bx:box shape="square"><stamp/></bx:box></div>',
        '<div><bx:box shape="square"><stamp>x</stamp></bx:box></div>'),
    "macroRef and textNode (motto)": (
        "<motto>be <hi>bold</hi></motto>", "<motto><p>x</p></motto>"),
    "embedded RELAX NG (seal: title, hi*)": (
        "<seal><title>t</title><hi>h</hi></seal>", "<seal><hi>h</hi></seal>"),
    "dataRef as content (tally)": ("<tally>12</tally>", "<tally>twelve</tally>"),
    "valList as content (mood)": ("<mood>happy</mood>", "<mood>angry</mood>"),
    "sequence preserveOrder=false (pair: head and p, any order)": (
        "<div><pair><p>x</p><head>h</head></pair></div>", "<div><pair><p>x</p></pair></div>"),
    "anyElement (blob: XML of another namespace, not TEI)": (
        '<blob><x:any xmlns:x="urn:x" x:a="1">t<x:b/></x:any></blob>', "<blob><p>x</p></blob>"),
    "schemaSpec @defaultExceptions (blob: not the box namespace either)": (
        '<blob><x:any xmlns:x="urn:x"/></blob>',
        '<blob><bx:box shape="round"><p>x</p></bx:box></blob>'),
    # attributes
    "attDef usage=req (shape)": (
        '<div><bx:box shape="round"><p>x</p></bx:box></div>',
        "<div><bx:box><p>x</p></bx:box></div>"),
    "valList closed (shape)": (
        '<div><bx:box shape="round"><p>x</p></bx:box></div>',
        '<div><bx:box shape="oval"><p>x</p></bx:box></div>'),
    "valList semi (colour: listed, or any word)": (
        '<div><bx:box shape="round" colour="blue"><p>x</p></bx:box></div>',
        '<div><bx:box shape="round" colour="sky blue"><p>x</p></bx:box></div>'),
    "valList open (label: any word)": (
        '<div><bx:box shape="round" label="heavy"><p>x</p></bx:box></div>',
        '<div><bx:box shape="round" label="very heavy"><p>x</p></bx:box></div>'),
    "datatype (size: a count)": (
        '<div><bx:box shape="round" size="3"><p>x</p></bx:box></div>',
        '<div><bx:box shape="round" size="three"><p>x</p></bx:box></div>'),
    "usage=rec is optional (colour)": (
        '<div><bx:box shape="round"><p>x</p></bx:box></div>',
        '<div><bx:box shape="round" colour=""><p>x</p></bx:box></div>'),
    "attDef change on a class attribute (hi/@rend closed)": (
        '<p><hi rend="bold">x</hi></p>', '<p><hi rend="blink">x</hi></p>'),
    "attDef delete (title/@level)": ("<p><title>x</title></p>", '<p><title level="m">x</title></p>'),
    # classes
    "memberOf delete (title leaves att.typed)": (
        '<p><title>x</title></p>', '<p><title type="main">x</title></p>'),
    "memberOf add (title joins model.divPart)": (
        "<div><title>x</title></div>", "<list><title>x</title></list>"),
    "classSpec add, model (model.boxLike in div)": (
        '<div><bx:box shape="round"><p>x</p></bx:box></div>',
        '<p><bx:box shape="round"><p>x</p></bx:box></p>'),
    "classSpec add, attributes (att.boxy/@depth)": (
        '<div><bx:box shape="round" depth="2"><p>x</p></bx:box></div>',
        '<p depth="2">x</p>'),
    "attribute class inherited (att.global/@xml:id on box)": (
        '<div><bx:box shape="round" xml:id="b1"><p>x</p></bx:box></div>',
        '<div><bx:box shape="round" id="b1"><p>x</p></bx:box></div>'),
    "classSpec change, attDef add (att.global/@status)": (
        '<p status="draft">x</p>', '<p status="wip">x</p>'),
    "classSpec change, attDef delete (att.global/@xml:space)": (
        '<p xml:lang="en">x</p>', '<p xml:space="preserve">x</p>'),
    "classSpec delete (att.global.responsibility/@resp)": (
        '<p n="1">x</p>', '<p resp="#me">x</p>'),
    # macros and datatypes
    "macroSpec replace (item: text, hi, list only)": (
        "<list><item>a <hi>b</hi></item></list>", "<list><item><p>a</p></item></list>"),
    "macroSpec add (macro.motto: text and hi)": ("<motto>m <hi>h</hi></motto>",
                                                 "<motto>m <title>t</title></motto>"),
    "dataSpec add (stamp/@year a gYear)": (
        '<div><bx:box shape="round"><stamp year="1999"/></bx:box></div>',
        '<div><bx:box shape="round"><stamp year="99-1"/></bx:box></div>'),
    "dataSpec change (teidata.count at most 99)": (
        '<div><bx:box shape="round" size="99"><p>x</p></bx:box></div>',
        '<div><bx:box shape="round" size="100"><p>x</p></bx:box></div>'),
}
