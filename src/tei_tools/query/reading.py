"""The reading text of TEI markup, and where a node sits (item, paragraph).

One definition used by ``entities`` (first context), ``export timeline``
(surrounding text) and ``stats`` (characters):

* the reading is the corrected, regularised, expanded one: inside ``choice``
  only ``corr`` / ``reg`` / ``expan`` (else the first child) is read;
* editorial and paratextual matter is not read: ``note``, ``fw``, ``figDesc``,
  ``gap`` (with its ``desc``), ``del``, ``teiHeader``, ``standOff``;
* an **item** is the nearest ``div[@type='item']`` (the edition's articles),
  else, in other TEI, the nearest ``div``/``div1``…``div7``;
* a **paragraph** is the nearest ``p`` or ``ab``, else the nearest other
  block (``head``, ``l``, ``item``, ``cell``, ``note``, ``quote``, ``bibl``).
"""

from __future__ import annotations

import re

from lxml import etree

from tei_tools.query.documents import TEI, xml_id

_T = f"{{{TEI}}}"
UNREAD = {f"{_T}{n}" for n in ("note", "fw", "figDesc", "gap", "del", "teiHeader",
                               "standOff")}
_CONTEXT_UNREAD = UNREAD | {f"{_T}figure"}
_PREFERRED = (f"{_T}corr", f"{_T}reg", f"{_T}expan")
_DIVS = {f"{_T}div"} | {f"{_T}div{i}" for i in range(1, 8)}
_PARAGRAPHS = {f"{_T}p", f"{_T}ab"}
_BLOCKS = {f"{_T}{n}" for n in ("head", "l", "item", "cell", "note", "quote", "bibl",
                                "label", "docTitle", "byline", "dateline", "salute",
                                "signed", "trailer", "argument", "epigraph")}


def _read_choice(choice: etree._Element) -> etree._Element | None:
    children = [c for c in choice if isinstance(c.tag, str)]
    for tag in _PREFERRED:
        for child in children:
            if child.tag == tag:
                return child
    return children[0] if children else None


def reading(el: etree._Element, target: etree._Element | None = None,
            unread: frozenset[str] | set[str] = UNREAD) -> tuple[str, tuple[int, int] | None]:
    """The reading text of ``el``, and the span of ``target`` in it (if read)."""
    out: list[str] = []
    size = 0
    span: list[int] = []

    def add(text: str | None) -> None:
        nonlocal size
        if text:
            out.append(text)
            size += len(text)

    def walk(node: etree._Element) -> None:
        if node is target:
            span.append(size)
        add(node.text)
        if node.tag == f"{_T}choice":
            chosen = _read_choice(node)
            if chosen is not None:  # the whitespace between alternatives is not read
                walk(chosen)
        else:
            for child in node:
                if isinstance(child.tag, str) and child.tag not in unread:
                    walk(child)
                add(child.tail)
        if node is target:
            span.append(size)

    if isinstance(el.tag, str) and (el.tag not in unread or el is target):
        walk(el)
    text = "".join(out)
    return text, (span[0], span[1]) if len(span) == 2 else None


def collapse(text: str) -> str:
    return " ".join(text.split())


def context(target: etree._Element, width: int = 15) -> str:
    """About ``2 × width`` characters of reading text around ``target``.

    Read in the innermost block holding it (a figure's caption is its own
    block: it does not interrupt the paragraph around it).
    """
    host = target.getparent() if target.getparent() is not None else target
    for node in target.iterancestors():
        if node.tag in _PARAGRAPHS or node.tag in _BLOCKS:
            host = node
            break
    text, span = reading(host, target, _CONTEXT_UNREAD)
    if span is None:  # the target is in unread matter (a note…): its own text
        text, span = reading(target, target, _CONTEXT_UNREAD)
    start, end = span or (0, len(text))
    left = _spaces(text[max(0, start - width * 2):start])[-width:]
    right = _spaces(text[end:end + width * 2])[:width]
    return collapse(left + _spaces(text[start:end]) + right)


def _spaces(text: str) -> str:
    """Runs of whitespace as one space, kept at the edges (unlike :func:`collapse`)."""
    return re.sub(r"\s+", " ", text)


def item_of(el: etree._Element) -> etree._Element | None:
    """The item (article) holding ``el``: see the module docstring."""
    nearest_div = None
    for anc in el.iterancestors():
        if anc.tag == f"{_T}div" and anc.get("type") == "item":
            return anc
        if nearest_div is None and anc.tag in _DIVS:
            nearest_div = anc
    return nearest_div


def paragraph_of(el: etree._Element) -> etree._Element | None:
    """The paragraph (``p``/``ab``, else another block) holding ``el`` or ``el`` itself."""
    block = None
    node: etree._Element | None = el
    while node is not None:
        if node.tag in _PARAGRAPHS:
            return node
        if block is None and node.tag in _BLOCKS:
            block = node
        node = node.getparent()
    return block


def in_text(el: etree._Element) -> bool:
    """Is ``el`` inside a ``tei:text`` (not the header, not ``standOff``)?"""
    inside = False
    for anc in el.iterancestors():
        if anc.tag in (f"{_T}teiHeader", f"{_T}standOff"):
            return False
        if anc.tag == f"{_T}text":
            inside = True
    return inside


def ids_of(el: etree._Element | None) -> str | None:
    return xml_id(el) if el is not None else None
