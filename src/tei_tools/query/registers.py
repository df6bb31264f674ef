"""Registers (people, organisations, places, events, works, dates) and their mentions.

The rules are the rendering core's (``xslt/core/mentions.xsl``, read through
:mod:`tei_tools.query.facts`), so the rows here are the HTML registers' rows:

* entries: ``person``/``personGrp``, ``org``, ``place``, ``event`` with an
  ``xml:id`` anywhere, and works: ``bibl``/``biblStruct`` with an ``xml:id`` in a
  ``listBibl`` of ``standOff`` or ``back`` (the header's ``sourceDesc`` lists
  sources, not works); the name is the core's ``tt:entry-name`` (not a
  transliteration, not an abbreviation), the **pinyin** the name in
  ``zh-Latn…``; **roles** are the entry's ``@role``, ``occupation`` and
  ``roleName``, then every distinct ``roleName`` written in a mention;
* mentions, in ``tei:text`` only: an element whose ``@ref`` points (``#id``,
  several allowed) to an entry; else a name element (``persName``,
  ``orgName``, ``placeName``, ``geogName``, ``eventName``, ``title``, or
  ``rs``/``name`` with ``@type``) keyed by its ``@ref`` or ``@key`` value, else
  grouped by its text — so documents without registers still get a useful
  list; the **context** is the reading around the first mention in its block
  (40 characters each side, as in the HTML registers). Dates are grouped by
  their ISO value (see :mod:`tei_tools.query.timeline`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from lxml import etree

from tei_tools.query.documents import Document
from tei_tools.query.facts import Where

TYPES = ("person", "org", "place", "event", "work", "date")


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
    text: str
    context: str
    where: Where
    roles: tuple[str, ...] = ()

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


def read_register(doc: Document) -> dict[str, Entry]:
    """Every register entry of ``doc`` by ``xml:id``, in document order."""
    return {e.id: Entry(e.type, e.id, e.name, e.pinyin, list(e.roles), e.element.sourceline)
            for e in doc.facts().entries}


def find_mentions(doc: Document) -> list[Mention]:
    """The mentions in ``tei:text`` of ``doc``, in document order."""
    return [Mention(m.key, m.type, m.element, m.text, m.context, m.where, m.roles)
            for m in doc.facts().mentions]


def entities(doc: Document, types: Iterable[str] | None = None) -> list[Entity]:
    """The register of ``doc``: entries (mentioned or not), then unregistered names."""
    wanted = set(types or TYPES)
    rows: dict[str, Entity] = {}
    for entry in read_register(doc).values():
        if entry.type in wanted:
            rows[entry.id] = Entity(entry.type, entry.id, entry.name, entry.pinyin,
                                    list(entry.roles), 0, [], [], None, doc.name, entry.line)
    mentions = [m for m in find_mentions(doc) if m.type in wanted]
    if "date" in wanted:
        mentions.extend(date_mentions(doc))
    for m in mentions:
        row = rows.get(m.key)
        if row is None:
            is_text = m.key.startswith("text:")
            name = m.key.split(":", 2)[2] if is_text else m.text
            row = rows[m.key] = Entity(m.type, None if is_text else m.key, name, None, [], 0,
                                       [], [], None, doc.name, m.line)
        _add_mention(row, m)
    return list(rows.values())


def _add_mention(row: Entity, m: Mention) -> None:
    row.mentions += 1
    if row.context is None:
        row.context = m.context
    for ident, ids in ((m.where.item, row.items), (m.where.paragraph, row.paragraphs)):
        if ident and ident not in ids:
            ids.append(ident)
    for role in m.roles:
        if role not in row.roles:
            row.roles.append(role)


def date_mentions(doc: Document) -> list[Mention]:
    """Dated expressions in the text, keyed by their ISO value (else their text)."""
    from tei_tools.query.timeline import dated_expressions

    return [Mention(d.iso or f"text:date:{d.text}", "date", d.element, d.text, d.context,
                    d.where) for d in dated_expressions(doc)]
