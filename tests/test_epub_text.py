"""The EPUB's text is the edition's regularised reading, nothing lost (issue #5).

The reading is computed here in Python from the TEI, independently of the
XSLT: the text of ``text`` without notes, figure and gap descriptions and
without the unchosen branch of each ``choice`` (sic, orig, abbr, am).
"""

from __future__ import annotations

import re

import pytest
from lxml import etree

from epub_support import EPUB_NS, XHTML, book_of, editions
from tei_tools import xmlio

T = f"{{{xmlio.TEI_NS}}}"
SKIPPED = {f"{T}note", f"{T}figDesc", f"{T}gap", f"{T}teiHeader", f"{T}standOff"}
UNCHOSEN = {f"{T}sic": f"{T}corr", f"{T}orig": f"{T}reg", f"{T}abbr": f"{T}expan",
            f"{T}am": f"{T}ex"}


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def tei_reading(element: etree._Element) -> str:
    """The regularised reading of a TEI element, whitespace removed."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or node.tag in SKIPPED:
            return
        alternative = UNCHOSEN.get(node.tag)
        parent = node.getparent()
        if (alternative and parent is not None and parent.tag == f"{T}choice"
                and parent.find(alternative) is not None):
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return squeeze("".join(parts))


def is_apparatus(element: etree._Element) -> bool:
    """EPUB markup that is not the text: page numbers, note calls, gap labels."""
    classes = (element.get("class") or "").split()
    return (element.get(f"{{{EPUB_NS}}}type") in ("pagebreak", "noteref")
            or bool({"gap", "figdesc", "alt", "noteref"} & set(classes)))


def epub_text(element: etree._Element) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str) or is_apparatus(node):
            return
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    return squeeze("".join(parts))


@pytest.fixture(scope="module", params=editions(), ids=lambda p: p.stem)
def pair(request: pytest.FixtureRequest):
    return xmlio.parse_file(request.param), book_of(request.param)


def epub_elements_by_id(book) -> dict[str, etree._Element]:
    found = {}
    for file in book.content_files():
        for element in book.xml(file).getroot().iter():
            if isinstance(element.tag, str) and element.get("id"):
                found[element.get("id")] = element
    return found


def test_every_paragraph_reads_exactly_as_the_regularised_text(pair) -> None:
    tei, book = pair
    by_id = epub_elements_by_id(book)
    paragraphs = tei.xpath("//t:text//t:p[@xml:id][not(ancestor::t:note)]",
                           namespaces={"t": xmlio.TEI_NS})
    assert paragraphs
    for p in paragraphs:
        ident = p.get("{http://www.w3.org/XML/1998/namespace}id")
        assert ident in by_id, f"paragraph {ident} is missing from the EPUB"
        assert epub_text(by_id[ident]) == tei_reading(p), ident


def test_corrections_show_the_corrected_reading_only(pair) -> None:
    tei, book = pair
    by_id = epub_elements_by_id(book)
    choices = tei.xpath("//t:text//t:choice[t:sic and t:corr]", namespaces={"t": xmlio.TEI_NS})
    assert choices
    for choice in choices:
        p = choice.xpath("ancestor::t:p[@xml:id][1]", namespaces={"t": xmlio.TEI_NS})[0]
        shown = "".join(by_id[p.get("{http://www.w3.org/XML/1998/namespace}id")].itertext())
        assert squeeze("".join(choice.find(f"{T}corr").itertext())) in squeeze(shown)


def test_no_text_of_the_edition_is_lost(pair) -> None:
    """The whole reading of front, body and back, in order, is in the spine."""
    tei, book = pair
    text = tei.getroot().find(f"{T}text")
    reading = tei_reading(text)
    assert reading
    spine = "".join(epub_text(book.xml(f).getroot().find(f"{{{XHTML}}}body"))
                    for f in book.content_files())
    position = 0
    for index, char in enumerate(reading):
        position = spine.find(char, position)
        assert position >= 0, f"lost from character {index}: {reading[index:index + 40]!r}"
        position += 1
