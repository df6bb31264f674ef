"""The facts of a document as the rendering core computes them.

``xslt/query/facts.xsl`` uses the XSLT core (its package) and writes what the registers,
the statistics and the exports need: counts, register entries, mentions with
their item, paragraph and context, dated expressions. The rules (what is
read, which side of a ``choice``, what a work register is, how wide a
context is) are the core's — the same the HTML, the EPUB and the text use;
nothing here re-implements them. This module only runs the layer once per
document and maps each fact back to its lxml element (for line numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from tei_tools import xmlio
from tei_tools.saxon import SaxonSession, Source

FACTS_NS = "urn:x-tei-tools:facts"
_F = f"{{{FACTS_NS}}}"
STYLESHEET = "query/facts.xsl"


@dataclass(frozen=True, slots=True)
class Where:
    """The item and the paragraph holding a node (ids, and paths that are
    never empty when the node has one, for units without ``xml:id``)."""

    item: str | None
    item_path: str | None
    item_type: str | None
    paragraph: str | None
    paragraph_path: str | None


@dataclass(frozen=True, slots=True)
class UnitFact:
    """A unit of the publications (a page of the HTML, a file of the text):
    its file name, title and reading text (whitespace collapsed)."""

    element: etree._Element = field(repr=False, compare=False)
    id: str | None
    file: str
    title: str
    characters: int
    reading: str


@dataclass(frozen=True, slots=True)
class EntryFact:
    element: etree._Element = field(repr=False, compare=False)
    id: str
    type: str
    name: str
    pinyin: str | None
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MentionFact:
    element: etree._Element = field(repr=False, compare=False)
    key: str
    type: str
    text: str
    context: str
    roles: tuple[str, ...]
    where: Where


@dataclass(frozen=True, slots=True)
class DateFact:
    element: etree._Element = field(repr=False, compare=False)
    element_name: str
    part: str
    text: str
    context: str
    attributes: dict[str, str]
    cert: str | None
    where: Where


@dataclass(frozen=True, slots=True)
class Facts:
    counts: dict[str, dict[str, int]]
    units: tuple[UnitFact, ...]
    entries: tuple[EntryFact, ...]
    mentions: tuple[MentionFact, ...]
    dates: tuple[DateFact, ...]


def compute(source: Source, *, saxon: SaxonSession) -> Facts:
    """Run the facts layer on ``source`` (its lxml tree and Saxon tree are the same
    document, built by ``saxon``)."""
    result = saxon.stylesheet(STYLESHEET).run(source, source.path.parent)
    facts = xmlio.parse_bytes(result.principal.encode("utf-8"), f"{source.name} (facts)").getroot()
    resolve = _Resolver(source.tree.getroot())
    counts: dict[str, dict[str, int]] = {}
    units: list[UnitFact] = []
    entries: list[EntryFact] = []
    mentions: list[MentionFact] = []
    dates: list[DateFact] = []
    for el in facts:
        tag = el.tag
        if tag == f"{_F}count":
            counts.setdefault(el.get("group", ""), {})[el.get("name", "")] = int(el.get("n", "0"))
        elif tag == f"{_F}unit":
            units.append(UnitFact(resolve(el.get("path", "")), el.get("id"), el.get("file", ""),
                                  el.get("title", ""), int(el.get("characters", "0")),
                                  el.text or ""))
        elif tag == f"{_F}entry":
            entries.append(EntryFact(resolve(el.get("path", "")), el.get("id", ""),
                                     el.get("type", ""), el.get("name", ""), el.get("pinyin"),
                                     _roles(el)))
        elif tag == f"{_F}mention":
            mentions.append(MentionFact(resolve(el.get("path", "")), el.get("key", ""),
                                        el.get("type", ""), el.get("text", ""), _context(el),
                                        _roles(el), _where(el)))
        elif tag == f"{_F}date":
            attributes = {name: el.get(name, "") for name in
                          ("when", "from", "to", "notBefore", "notAfter") if el.get(name)}
            dates.append(DateFact(resolve(el.get("path", "")), el.get("element", ""),
                                  el.get("part", ""), el.get("text", ""), _context(el),
                                  attributes, el.get("cert"), _where(el)))
    return Facts(counts, tuple(units), tuple(entries), tuple(mentions), tuple(dates))


def _roles(el: etree._Element) -> tuple[str, ...]:
    return tuple(r.text or "" for r in el.iter(f"{_F}role"))


def _context(el: etree._Element) -> str:
    return el.get("before", "") + el.get("text", "") + el.get("after", "")


def _where(el: etree._Element) -> Where:
    return Where(el.get("item"), el.get("item-path"), el.get("item-type"),
                 el.get("paragraph"), el.get("paragraph-path"))


class _Resolver:
    """Paths of element positions ("1.2.5") to the elements of an lxml tree."""

    def __init__(self, root: etree._Element) -> None:
        self._root = root
        self._children: dict[int, list[etree._Element]] = {}
        self._keep: list[etree._Element] = []  # ids stay valid while the elements live

    def __call__(self, path: str) -> etree._Element:
        steps = [int(s) for s in path.split(".")]
        el = self._root
        for step in steps[1:]:
            kids = self._children.get(id(el))
            if kids is None:
                kids = self._children[id(el)] = [c for c in el if isinstance(c.tag, str)]
                self._keep.append(el)
            el = kids[step - 1]
        return el
