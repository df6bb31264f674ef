"""A MODS 3.8 record (``http://www.loc.gov/mods/v3``) of a :class:`Description`.

The edition is the described resource (``typeOfResource`` text, an electronic
form, ``digitalOrigin`` reformatted digital); the printed original it
transcribes is a ``relatedItem type="original"``, a periodical it appeared in
``type="host"``, a series ``type="series"``. Names carry MARC relator codes
and terms; the first creator is ``usage="primary"``. Dates are W3CDTF.
"""

from __future__ import annotations

from lxml import etree

from tei_tools.records.header import Description, Name, Related
from tei_tools.records.languages import marc_code, marc_codes
from tei_tools.records.marcxml import RELATOR_TERMS

MODS_NS = "http://www.loc.gov/mods/v3"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{MODS_NS} http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"


def _el(parent: etree._Element, name: str, text: str = "", **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{MODS_NS}}}{name}",
                               {k.rstrip("_").replace("_", ""): v for k, v in attrs.items() if v})
    if text:
        element.text = text
    return element


def _name(parent: etree._Element, name: Name, primary: bool) -> None:
    attrs = {"type": {True: "corporate", False: "personal", None: ""}[name.corporate]}
    if primary:
        attrs["usage"] = "primary"
    element = _el(parent, "name", **attrs)
    _el(element, "namePart", name.text)
    for code in name.roles:
        role = _el(element, "role")
        _el(role, "roleTerm", code, type="code", authority="marcrelator")
        if code in RELATOR_TERMS:
            _el(role, "roleTerm", RELATOR_TERMS[code], type="text", authority="marcrelator")


def _related(parent: etree._Element, kind: str, item: Related) -> None:
    related = _el(parent, "relatedItem", type=kind)
    _el(_el(related, "titleInfo"), "title", item.title)
    for n in item.names:
        _el(_el(related, "name"), "namePart", n)
    if item.publisher or item.date or item.date_text:
        origin = _el(related, "originInfo")
        if item.publisher:
            _el(origin, "publisher", item.publisher)
        if item.date:
            _el(origin, "dateIssued", item.date, encoding="w3cdtf")
        elif item.date_text:
            _el(origin, "dateIssued", item.date_text)
    if item.part:
        _el(_el(related, "part"), "text", item.part)
    if item.note and kind != "original":
        _el(related, "note", item.note)


def mods(d: Description) -> etree._Element:
    """The ``mods:mods`` element of ``d``."""
    root = etree.Element(f"{{{MODS_NS}}}mods", nsmap={None: MODS_NS, "xsi": XSI_NS})
    root.set("version", "3.8")
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    title_info = _el(root, "titleInfo", usage="primary")
    _el(title_info, "title", d.title)
    for sub in d.subtitles:
        _el(title_info, "subTitle", sub)
    for text, lang in d.parallel_titles:
        _el(_el(root, "titleInfo", type="translated", lang=marc_code(lang)), "title", text)
    creators = [n for n in d.names if n.creator]
    for n in d.names:
        _name(root, n, primary=bool(creators) and n is creators[0])
    _el(root, "typeOfResource", "text")
    _el(root, "genre", "text", authority="rdacontent")
    origin = _el(root, "originInfo", eventType="publication")
    if d.place:
        _el(_el(origin, "place"), "placeTerm", d.place, type="text")
    if d.publisher:
        _el(origin, "publisher", d.publisher)
    if d.date:
        _el(origin, "dateIssued", d.date, encoding="w3cdtf", keyDate="yes")
    elif d.date_text:
        _el(origin, "dateIssued", d.date_text)
    if d.edition:
        _el(origin, "edition", d.edition)
    if d.original is not None and d.original.date:
        _el(origin, "dateOther", d.original.date, encoding="w3cdtf", type="original")
    scripts: dict[str, str] = {}  # language code → the script of its first tag that names one
    for tag in d.languages:
        for part in tag.split("-")[1:2]:
            if len(part) == 4 and part.isalpha():
                scripts.setdefault(marc_code(tag), part)
    for code in marc_codes(d.languages):
        language = _el(root, "language")
        _el(language, "languageTerm", code, type="code", authority="iso639-2b")
        if code in scripts:
            _el(language, "scriptTerm", scripts[code], type="code", authority="iso15924")
    physical = _el(root, "physicalDescription")
    _el(physical, "form", "electronic", authority="marcform")
    _el(physical, "internetMediaType", "application/tei+xml")
    _el(physical, "extent", "1 online resource")
    _el(physical, "digitalOrigin", "reformatted digital" if d.original is not None else "born digital")
    if d.summary:
        _el(root, "abstract", d.summary)
    for note in d.notes:
        _el(root, "note", note)
    if d.language_note:
        _el(root, "note", d.language_note, type="language")
    for term, scheme in d.subjects:
        _el(_el(root, "subject", authority=scheme.removeprefix("#")), "topic", term)
    if d.original is not None:
        _related(root, "original", d.original)
    if d.host is not None:
        _related(root, "host", d.host)
    for series in d.series:
        _related(root, "series", Related(series))
    _el(root, "identifier", d.package_uuid, type="uri")
    for ident in d.identifiers:
        _el(root, "identifier", ident.value, type=ident.scheme)
    if d.urls:
        location = _el(root, "location")
        for i, url in enumerate(d.urls):
            _el(location, "url", url, usage="primary display" if i == 0 else "")
    if d.rights or d.licence_url:
        _el(root, "accessCondition", " ".join(x for x in (d.rights, d.licence_url) if x),
            type="use and reproduction")
    record = _el(root, "recordInfo")
    if d.publisher:
        _el(record, "recordContentSource", d.publisher)
    _el(record, "recordOrigin", "Generated by tei-tools from the TEI header of the document.")
    cataloguing = _el(record, "languageOfCataloging")
    _el(cataloguing, "languageTerm", marc_code(d.language), type="code", authority="iso639-2b")
    return root


def to_bytes(d: Description) -> bytes:
    return etree.tostring(mods(d), xml_declaration=True, encoding="UTF-8", pretty_print=True)
