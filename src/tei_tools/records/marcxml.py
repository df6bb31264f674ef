"""A MARC 21 bibliographic record (MARCXML, ``MARC21/slim``) of a :class:`Description`.

The record describes the digital edition (an online resource, RDA 336/337/338)
and names the printed original it reproduces (534 and 776). Fields:

======  ====================================================================
leader  language material, monograph, Unicode; minimal level (7), ISBD (i)
001     the first ``idno`` (else the package urn:uuid)
005     the edition's date (never the clock)
007     online resource (``cr``)
008     date type ``r`` (this publication / the original's year) or ``s``,
        place ``xx``, form of item ``o``, language of the text
020     ISBN identifiers · 024 7_ DOI, URN (the package urn:uuid), URI ·
        024 8_ other (local) identifiers
040     language of cataloguing (the document's)
041     every language the header declares
100/110 the first creator (110 a body, 100 a person) with $e relator terms
        and $4 codes (aut, com)
245     title : subtitle / statement of responsibility
246 31  parallel titles (another language)
250     edition · 264 _1 place, publisher, date · 300 extent
336–338 RDA content, media and carrier types
490 0_  series · 500 notes · 520 summary · 534 original version
540     terms of use ($u the licence) · 546 language note
650 _7  controlled subjects (``keywords/@scheme`` as $2) · 653 other keywords
700/710 other names with relators; 720 a name the header does not type
773 0_  host item (when the source is an article) · 776 08 the print version
856 40  URLs
======  ====================================================================
"""

from __future__ import annotations

from lxml import etree

from tei_tools.records.header import Description, Name
from tei_tools.records.languages import marc_code, marc_codes

MARC_NS = "http://www.loc.gov/MARC21/slim"
RELATOR_TERMS = {"aut": "author", "com": "compiler", "edt": "editor", "mrk": "markup editor",
                 "ctb": "contributor", "pbl": "publisher", "rev": "reviewer"}


def _subfields(field: etree._Element, pairs: list[tuple[str, str]]) -> None:
    for code, value in pairs:
        if value:
            sub = etree.SubElement(field, f"{{{MARC_NS}}}subfield", code=code)
            sub.text = value


class _Record:
    def __init__(self) -> None:
        self.root = etree.Element(f"{{{MARC_NS}}}record", nsmap={None: MARC_NS})

    def leader(self, value: str) -> None:
        assert len(value) == 24, value
        etree.SubElement(self.root, f"{{{MARC_NS}}}leader").text = value

    def control(self, tag: str, value: str) -> None:
        etree.SubElement(self.root, f"{{{MARC_NS}}}controlfield", tag=tag).text = value

    def data(self, tag: str, ind: str, pairs: list[tuple[str, str]]) -> None:
        pairs = [(c, v) for c, v in pairs if v]
        if not pairs:
            return
        field = etree.SubElement(self.root, f"{{{MARC_NS}}}datafield", tag=tag,
                                 ind1=ind[0], ind2=ind[1])
        _subfields(field, pairs)


def _year(iso: str) -> str:
    return iso[:4] if len(iso) >= 4 and iso[:4].isdigit() else ""


def _fixed_008(d: Description) -> str:
    entered = d.date[2:4] + d.date[5:7] + d.date[8:10] if len(d.date) == 10 else "||||||"
    this_year = _year(d.date)
    original_year = _year(d.original.date) if d.original else ""
    if this_year and original_year and original_year != this_year:
        dates = "r" + this_year + original_year
    elif this_year:
        dates = "s" + this_year + "    "
    else:
        dates = "nuuuuuuuu"
    value = (entered + dates + "xx " + "    " + " " + "o" + "    " + " " + "0" + "0" + "0"
             + " " + "0" + " " + marc_code(d.language) + " " + "d")
    assert len(value) == 40, (len(value), value)
    return value


def _name_pairs(name: Name) -> list[tuple[str, str]]:
    pairs = [("a", name.text)]
    pairs += [("e", RELATOR_TERMS.get(r, r)) for r in name.roles]
    pairs += [("4", r) for r in name.roles]
    return pairs


def _name_tag(name: Name, main: bool) -> tuple[str, str]:
    if name.corporate is True:
        return ("110", "2 ") if main else ("710", "2 ")
    if name.corporate is False:
        return ("100", "1 ") if main else ("700", "1 ")
    return ("720", "  ")


def marcxml(d: Description) -> etree._Element:
    """The ``marc:record`` element of ``d``."""
    r = _Record()
    r.leader("00000nam a22000007i 4500")
    local = next((i.value for i in d.identifiers if i.scheme not in ("uuid",)), "")
    r.control("001", local or d.package_uuid)
    if len(d.date) == 10:
        r.control("005", d.date.replace("-", "") + "000000.0")
    r.control("007", "cr |||||||||||")
    r.control("008", _fixed_008(d))
    for ident in d.identifiers:
        if ident.scheme.startswith("isbn"):
            r.data("020", "  ", [("a", ident.value.replace("-", ""))])
    r.data("024", "7 ", [("a", d.package_uuid), ("2", "urn")])
    for ident in d.identifiers:
        if ident.scheme in ("doi", "urn", "uri", "hdl", "handle", "ark"):
            source = {"handle": "hdl"}.get(ident.scheme, ident.scheme)
            r.data("024", "7 ", [("a", ident.value), ("2", source)])
        elif not ident.scheme.startswith("isbn"):
            r.data("024", "8 ", [("a", ident.value), ("q", ident.scheme)])
    r.data("040", "  ", [("b", marc_code(d.language)), ("e", "rda")])
    r.data("041", "0 ", [("a", c) for c in marc_codes(d.languages)])
    creators = [n for n in d.names if n.creator]
    main = creators[0] if creators and creators[0].corporate is not None else None
    if main is not None:
        tag, ind = _name_tag(main, True)
        r.data(tag, ind, _name_pairs(main))
    responsibility = " ; ".join(n.text for n in creators)
    title_pairs = [("a", d.title + (" :" if d.subtitles else (" /" if responsibility else "")))]
    if d.subtitles:
        title_pairs.append(("b", " : ".join(d.subtitles) + (" /" if responsibility else "")))
    title_pairs.append(("c", responsibility))
    r.data("245", ("1" if main is not None else "0") + "0", title_pairs)
    for text, _lang in d.parallel_titles:
        r.data("246", "31", [("a", text)])
    r.data("250", "  ", [("a", d.edition)])
    unknown_place = "[出版地不详]" if d.language.startswith("zh") else "[Place of publication not identified]"
    r.data("264", " 1", [("a", (d.place or unknown_place) + " :"),
                         ("b", (d.publisher or "[publisher not identified]") + ","),
                         ("c", _year(d.date) or d.date_text or "[date of publication not identified]")])
    r.data("300", "  ", [("a", "1 online resource")])
    r.data("336", "  ", [("a", "text"), ("b", "txt"), ("2", "rdacontent")])
    r.data("337", "  ", [("a", "computer"), ("b", "c"), ("2", "rdamedia")])
    r.data("338", "  ", [("a", "online resource"), ("b", "cr"), ("2", "rdacarrier")])
    for series in d.series:
        r.data("490", "0 ", [("a", series)])
    for note in d.notes:
        r.data("500", "  ", [("a", note)])
    r.data("520", "  ", [("a", d.summary)])
    if d.original is not None:
        o = d.original
        r.data("534", "  ", [("p", "Original version:"), ("a", " ; ".join(o.names)), ("t", o.title),
                             ("c", ", ".join(x for x in (o.publisher, o.date_text or o.date) if x))])
    r.data("540", "  ", [("a", d.rights), ("u", d.licence_url)])
    r.data("546", "  ", [("a", d.language_note)])
    for term, scheme in d.subjects:
        if scheme:
            r.data("650", " 7", [("a", term), ("2", scheme.removeprefix("#"))])
        else:
            r.data("653", "  ", [("a", term)])
    for name in d.names:
        if name is main:
            continue
        tag, ind = _name_tag(name, False)
        r.data(tag, ind, _name_pairs(name))
    if d.host is not None:
        h = d.host
        r.data("773", "0 ", [("t", h.title), ("d", ", ".join(x for x in (h.publisher, h.date_text) if x)),
                             ("g", h.part)])
    if d.original is not None and d.host is None:
        o = d.original
        r.data("776", "08", [("i", "Print version:"), ("a", " ; ".join(o.names)), ("t", o.title),
                             ("d", o.date_text or o.date)])
    for url in d.urls:
        r.data("856", "40", [("u", url)])
    return r.root


def to_bytes(d: Description) -> bytes:
    """A MARCXML ``collection`` of one record, UTF-8, indented."""
    collection = etree.Element(f"{{{MARC_NS}}}collection", nsmap={None: MARC_NS})
    collection.append(marcxml(d))
    return etree.tostring(collection, xml_declaration=True, encoding="UTF-8", pretty_print=True)


__all__ = ["MARC_NS", "marcxml", "to_bytes"]
