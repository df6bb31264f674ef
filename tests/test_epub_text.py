"""The EPUB's text is the edition's regularised reading, nothing lost (issue #5).

The reading is computed here in Python from the TEI, independently of the
XSLT: the text of ``text`` without notes, figure and gap descriptions and
without the unchosen branch of each ``choice`` (sic, orig, abbr, am).
"""

from __future__ import annotations

import pytest
from lxml import etree

from tei_tools import xmlio

from epub_support import T, book_of, editions, epub_text, lost_from, spine_text, squeeze, tei_reading


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
    assert lost_from(reading, spine_text(book)) is None


def test_interventions_are_bracketed_not_only_coloured(pair) -> None:
    """On e-ink colour is lost: a corrected reading stands in 〔〕, supplied text
    in ［］, a gap reads 〔…〕 (issue #14)."""
    tei, book = pair
    ns = {"t": xmlio.TEI_NS}
    spans: dict[str, list] = {"choice": [], "supplied": [], "gap": []}
    for file in book.content_files():
        for element in book.xml(file).getroot().iter("{http://www.w3.org/1999/xhtml}*"):
            for kind in set((element.get("class") or "").split()) & set(spans):
                spans[kind].append(element)
    assert len(spans["choice"]) == len(tei.xpath("//t:text//t:choice", namespaces=ns)) > 0
    assert len(spans["supplied"]) == len(tei.xpath("//t:text//t:supplied", namespaces=ns)) > 0
    assert len(spans["gap"]) == len(tei.xpath("//t:text//t:gap", namespaces=ns)) > 0
    for kind, (left, right) in (("choice", "〔〕"), ("supplied", "［］")):
        for span in spans[kind]:
            children = [c for c in span if isinstance(c.tag, str)]
            assert (children[0].get("class"), children[0].text) == ("ed-mark", left)
            assert (children[-1].get("class"), children[-1].text) == ("ed-mark", right)
    for gap in spans["gap"]:
        label = "".join(gap.itertext())
        assert label.startswith("〔") and label.endswith("〕")
