"""An OAI Dublin Core record (``oai_dc:dc``, the OAI-PMH default format) of a :class:`Description`.

Simple Dublin Core, each element repeatable, ``xml:lang`` where the value
is in another language than the document. Languages are BCP 47 tags, dates
W3CDTF, the type is the DCMI Type ``Text``.
"""

from __future__ import annotations

from lxml import etree

from tei_tools.records.header import Description, Related

OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA_LOCATION = f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"


def _citation(item: Related) -> str:
    head = "：".join(x for x in ("；".join(item.names), item.title) if x)
    return "，".join(x for x in (head, item.publisher, item.date_text or item.date, item.part) if x)


def oai_dc(d: Description) -> etree._Element:
    root = etree.Element(f"{{{OAI_DC_NS}}}dc",
                         nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)

    def add(name: str, value: str, lang: str = "") -> None:
        if value:
            element = etree.SubElement(root, f"{{{DC_NS}}}{name}")
            element.text = value
            if lang:
                element.set(XML_LANG, lang)

    add("title", d.title + "".join("：" + s for s in d.subtitles))
    for text, lang in d.parallel_titles:
        add("title", text, lang)
    for n in d.names:
        add("creator" if n.creator else "contributor", n.text)
    for term, _scheme in d.subjects:
        add("subject", term)
    add("description", d.summary)
    for note in d.notes:
        add("description", note)
    add("publisher", d.publisher)
    add("date", d.date or d.date_text)
    add("type", "Text")
    add("format", "application/tei+xml")
    add("identifier", d.package_uuid)
    for ident in d.identifiers:
        add("identifier", ident.value if ident.scheme in ("uri", "urn", "doi")
            or ":" in ident.value else f"{ident.scheme}:{ident.value}")
    for url in d.urls:
        if url not in [i.value for i in d.identifiers]:
            add("identifier", url)
    if d.original is not None:
        add("source", _citation(d.original))
    if d.host is not None:
        add("relation", _citation(d.host))
    for series in d.series:
        add("relation", series)
    for lang in d.languages:
        add("language", lang)
    add("rights", d.rights)
    add("rights", d.licence_url)
    return root


def to_bytes(d: Description) -> bytes:
    return etree.tostring(oai_dc(d), xml_declaration=True, encoding="UTF-8", pretty_print=True)
