"""Registers (people, organisations, places, events, works, dates) and their mentions.

Register entries are ``person``, ``org``, ``place``, ``event`` with an
``xml:id`` anywhere in the document (the edition keeps them in
``standOff``), and works: ``bibl``/``biblStruct`` with an ``xml:id`` in a
``listBibl`` outside the ``teiHeader`` (the header's ``sourceDesc`` lists
sources, not works). A name is the first name child not in a Latin
transliteration; the **pinyin** is the one whose ``xml:lang`` contains
``Latn`` (``zh-Latn-pinyin``); **roles** are the entry's ``occupation``,
``roleName`` and ``@role``, then every distinct ``roleName`` written in a
mention (``<persName ref="#per-x"><roleName>…</roleName>…</persName>``).

Mentions are counted in ``tei:text`` only: an element whose ``@ref`` points
(``#id``, several allowed) to an entry, of whatever element; else a name
element (``persName``, ``orgName``, ``placeName``, ``geogName``,
``eventName``, ``title``, or ``rs``/``name`` with ``@type``) keyed by its
``@ref`` or ``@key`` value, else grouped by its text — so documents without
registers still get a useful list. Dates are grouped by their ISO value (see
:mod:`tei_tools.query.timeline`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from lxml import etree

from tei_tools.query.documents import TEI, XML, Document, xml_id
from tei_tools.query.reading import (collapse, context, ids_of, in_text, item_of, paragraph_of,
                                     reading)

_T = f"{{{TEI}}}"
TYPES = ("person", "org", "place", "event", "work", "date")
_ENTRY_TAGS = {f"{_T}person": "person", f"{_T}personGrp": "person", f"{_T}org": "org",
               f"{_T}place": "place", f"{_T}event": "event"}
_WORK_TAGS = {f"{_T}bibl", f"{_T}biblStruct"}
_NAME_TAGS = {"person": ("persName", "name"), "org": ("orgName", "name"),
              "place": ("placeName", "geogName", "settlement", "name"),
              "event": ("label", "eventName", "desc", "name"), "work": ("title",)}
_MENTION_TAGS = {f"{_T}persName": "person", f"{_T}orgName": "org", f"{_T}placeName": "place",
                 f"{_T}geogName": "place", f"{_T}eventName": "event", f"{_T}title": "work"}
_TYPED_TAGS = {f"{_T}rs", f"{_T}name"}
_TYPE_WORDS = {"person": "person", "persname": "person", "people": "person",
               "org": "org", "organisation": "org", "organization": "org", "place": "place",
               "placename": "place", "event": "event", "work": "work", "title": "work",
               "bibl": "work"}


@dataclass(slots=True)
class Entry:
    """One register entry."""

    type: str
    id: str
    name: str
    pinyin: str | None
    roles: list[str]
    line: int | None


@dataclass(slots=True)
class Mention:
    """One mention in the text of a register entry or of a name."""

    key: str
    type: str
    element: etree._Element = field(repr=False)

    @property
    def line(self) -> int | None:
        return self.element.sourceline


@dataclass(slots=True)
class Entity:
    """A register row: the entry (or the name) with where the text mentions it."""

    type: str
    id: str | None
    name: str
    pinyin: str | None
    roles: list[str]
    mentions: int
    items: list[str]
    paragraphs: list[str]
    context: str | None
    file: str
    line: int | None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _is_latin(el: etree._Element) -> bool:
    lang = el.get(f"{{{XML}}}lang") or ""
    return "latn" in lang.lower() or "pinyin" in lang.lower()


def text_of(el: etree._Element) -> str:
    """The reading text of a name (expansions, corrections), whitespace collapsed."""
    return collapse(reading(el)[0])


def _entry(el: etree._Element, kind: str) -> Entry:
    tags = {f"{_T}{n}" for n in _NAME_TAGS[kind]}
    names = ([c for c in el.iter(*tags)] if kind == "work"
             else [c for c in el if isinstance(c.tag, str) and c.tag in tags])
    own = [n for n in names if not _is_latin(n) and n.get("type") != "abbr"] or names
    latin = [n for n in names if _is_latin(n)]
    name = text_of(own[0]) if own else ""
    if not name:
        name = collapse(" ".join(el.itertext()))[:60]
    roles: list[str] = []
    if el.get("role"):
        roles.append(el.get("role", ""))
    for child in el.iter(f"{_T}occupation", f"{_T}roleName"):
        roles.append(text_of(child))
    return Entry(kind, xml_id(el) or "", name,
                 text_of(latin[0]) if latin else None,
                 [r for r in dict.fromkeys(roles) if r], el.sourceline)


def read_register(doc: Document) -> dict[str, Entry]:
    """Every register entry of ``doc`` by ``xml:id``, in document order."""
    entries: dict[str, Entry] = {}
    for el in doc.root.iter():
        if not isinstance(el.tag, str) or xml_id(el) is None:
            continue
        kind = _ENTRY_TAGS.get(el.tag)
        if kind is None and el.tag in _WORK_TAGS:
            parent = el.getparent()
            if parent is not None and parent.tag == f"{_T}listBibl" and not any(
                    a.tag == f"{_T}teiHeader" for a in el.iterancestors()):
                kind = "work"
        if kind is not None:
            entries[xml_id(el) or ""] = _entry(el, kind)
    return entries


def _mention_type(el: etree._Element) -> str | None:
    kind = _MENTION_TAGS.get(el.tag)
    if kind is None and el.tag in _TYPED_TAGS:
        kind = _TYPE_WORDS.get((el.get("type") or "").lower())
    return kind


def find_mentions(doc: Document, register: dict[str, Entry] | None = None) -> list[Mention]:
    """The mentions in ``tei:text`` of ``doc``, in document order."""
    register = read_register(doc) if register is None else register
    found: list[Mention] = []
    for el in doc.root.iter():
        if not isinstance(el.tag, str) or not in_text(el):
            continue
        pointers = (el.get("ref") or "").split()
        registered = [p[1:] for p in pointers if p.startswith("#") and p[1:] in register]
        for ident in registered:
            found.append(Mention(ident, register[ident].type, el))
        if registered:
            continue
        kind = _mention_type(el)
        if kind is None:
            continue
        if pointers:
            found.extend(Mention(p, kind, el) for p in pointers)
        elif el.get("key"):
            found.append(Mention(el.get("key", ""), kind, el))
        else:
            text = text_of(el)
            if text:
                found.append(Mention(f"text:{kind}:{text}", kind, el))
    return found


def entities(doc: Document, types: Iterable[str] | None = None) -> list[Entity]:
    """The register of ``doc``: entries (mentioned or not), then unregistered names."""
    wanted = set(types or TYPES)
    register = read_register(doc)
    rows: dict[str, Entity] = {}
    for entry in register.values():
        if entry.type in wanted:
            rows[entry.id] = Entity(entry.type, entry.id, entry.name, entry.pinyin,
                                    list(entry.roles), 0, [], [], None, doc.name, entry.line)
    mentions = [m for m in find_mentions(doc, register) if m.type in wanted]
    if "date" in wanted:
        mentions.extend(date_mentions(doc))
    for m in mentions:
        row = rows.get(m.key)
        if row is None:
            is_text = m.key.startswith("text:")
            name = m.key.split(":", 2)[2] if is_text else text_of(m.element)
            row = rows[m.key] = Entity(m.type, None if is_text else m.key, name, None, [], 0,
                                       [], [], None, doc.name, m.line)
        _add_mention(row, m)
    return list(rows.values())


def _add_mention(row: Entity, m: Mention) -> None:
    row.mentions += 1
    if row.context is None:
        row.context = context(m.element)
    for unit, ids in ((item_of(m.element), row.items), (paragraph_of(m.element), row.paragraphs)):
        ident = ids_of(unit)
        if ident and ident not in ids:
            ids.append(ident)
    if m.type == "person":
        for role in m.element.iter(f"{_T}roleName"):
            text = text_of(role)
            if text and text not in row.roles:
                row.roles.append(text)


def date_mentions(doc: Document) -> list[Mention]:
    """Dated expressions in the text, keyed by their ISO value (else their text)."""
    from tei_tools.query.timeline import dated_expressions

    return [Mention(d.iso or f"text:date:{d.text}", "date", d.element)
            for d in dated_expressions(doc)]
