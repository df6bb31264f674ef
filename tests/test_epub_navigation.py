"""Navigation of the EPUB (issue #5): TOC, landmarks, page-list, page markers, links."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

import pytest

from tei_tools import xmlio

from conftest import EDITION
from epub_support import EPUB_NS, NS, XHTML, book_of, editions

EPUB_TYPE = f"{{{EPUB_NS}}}type"


@pytest.fixture(scope="module", params=editions(), ids=lambda p: p.stem)
def book(request: pytest.FixtureRequest):
    return book_of(request.param)


def resolve(book, from_file: str, href: str) -> tuple[str, str]:
    parts = urlsplit(href)
    if not parts.path:
        return from_file, parts.fragment
    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_file), parts.path))
    return target, parts.fragment


def element_by_id(book, file: str, fragment: str):
    found = book.xml(file).getroot().xpath("//*[@id=$i]", i=fragment)
    return found[0] if found else None


def nav_of(book, kind: str):
    navs = book.nav.xpath(f"//h:nav[@epub:type='{kind}']", namespaces=NS)
    assert len(navs) == 1, kind
    return navs[0]


def test_page_list_has_one_entry_per_pb_each_resolving_to_a_marker(book) -> None:
    tei = xmlio.parse_file(book.source)
    pbs = tei.xpath("//t:text//t:pb", namespaces={"t": xmlio.TEI_NS})
    assert pbs, "the edition has printed page markers"
    page_list = nav_of(book, "page-list")
    assert page_list.get("role") == "doc-pagelist"
    links = page_list.xpath(".//h:a", namespaces=NS)
    assert [a.text for a in links] == [pb.get("n") for pb in pbs]
    for link in links:
        file, fragment = resolve(book, "EPUB/nav.xhtml", link.get("href"))
        assert file in book.content_files(), link.get("href")
        marker = element_by_id(book, file, fragment)
        assert marker is not None, link.get("href")
        assert marker.get(EPUB_TYPE) == "pagebreak"
        assert marker.get("role") == "doc-pagebreak"
        assert marker.get("aria-label") == link.text


def test_every_page_marker_in_the_content_is_in_the_page_list(book) -> None:
    listed = {resolve(book, "EPUB/nav.xhtml", a.get("href"))
              for a in nav_of(book, "page-list").xpath(".//h:a", namespaces=NS)}
    markers = set()
    for file in book.content_files():
        for marker in book.xml(file).getroot().xpath("//*[@epub:type='pagebreak']", namespaces=NS):
            assert marker.get("aria-label"), f"{file}: unlabelled page marker"
            markers.add((file, marker.get("id")))
    assert markers == listed


def test_every_toc_entry_resolves_and_the_toc_is_nested(book) -> None:
    toc = nav_of(book, "toc")
    links = toc.xpath(".//h:a", namespaces=NS)
    assert len(links) > len(book.content_files()), "sub-entries for the items"
    assert toc.xpath("h:ol/h:li/h:ol/h:li", namespaces=NS), "nested entries"
    spine = book.content_files()
    seen_files = []
    for link in links:
        assert (link.text or "").strip(), "every entry has a label"
        file, fragment = resolve(book, "EPUB/nav.xhtml", link.get("href"))
        assert file in spine, link.get("href")
        if fragment:
            assert element_by_id(book, file, fragment) is not None, link.get("href")
        seen_files.append(file)
    assert set(spine) - {"EPUB/text/cover.xhtml"} <= set(seen_files), \
        "every content document but the cover is in the TOC"


def test_item_titles_are_toc_entries(book) -> None:
    tei = xmlio.parse_file(book.source)
    items = tei.xpath("//t:div[@type='item']/t:head[1]", namespaces={"t": xmlio.TEI_NS})
    labels = {" ".join("".join(a.itertext()).split())
              for a in nav_of(book, "toc").xpath(".//h:a", namespaces=NS)}
    for head in items:
        title = " ".join("".join(head.itertext()).split())
        assert title in labels


def test_landmarks(book) -> None:
    landmarks = nav_of(book, "landmarks")
    kinds = {a.get(EPUB_TYPE): a.get("href") for a in landmarks.xpath(".//h:a", namespaces=NS)}
    assert set(kinds) == {"cover", "titlepage", "bodymatter", "index"}, "toc: the nav is not in the spine"
    for href in kinds.values():
        file, fragment = resolve(book, "EPUB/nav.xhtml", href)
        assert file in book.spine_files()
        if fragment:
            assert element_by_id(book, file, fragment) is not None
    title = book.xml(resolve(book, "EPUB/nav.xhtml", kinds["titlepage"])[0]).getroot()
    assert title.xpath("//h:section[@epub:type='titlepage']", namespaces=NS)
    index = book.xml(resolve(book, "EPUB/nav.xhtml", kinds["index"])[0]).getroot()
    assert index.xpath("//h:section[@epub:type='index'][@role='doc-index']", namespaces=NS)


def test_spine_order_is_title_page_then_the_text(book) -> None:
    """The navigation document is not in the reading order: no second contents
    list before the book's own, no landmarks or page list read as text."""
    spine = book.spine_files()
    assert spine[:2] == ["EPUB/text/cover.xhtml", "EPUB/text/titlepage.xhtml"]
    assert "EPUB/nav.xhtml" not in spine
    assert spine[-2:] == ["EPUB/text/registers.xhtml", "EPUB/text/colophon.xhtml"]


def test_every_internal_link_resolves(book) -> None:
    for file in book.content_files():
        for link in book.xml(file).getroot().iter(f"{{{XHTML}}}a"):
            href = link.get("href")
            if href is None or href.startswith(("http:", "https:", "mailto:")):
                continue
            target, fragment = resolve(book, file, href)
            assert target in book.content_files(), f"{file}: {href}"
            if fragment:
                assert element_by_id(book, target, fragment) is not None, f"{file}: {href}"


def test_register_entries_link_back_to_their_mentions(book) -> None:
    index = book.xml("EPUB/text/registers.xhtml").getroot()
    tei = xmlio.parse_file(book.source)
    mentioned = {ref.lstrip("#") for refs in tei.xpath("//t:text//@ref",
                 namespaces={"t": xmlio.TEI_NS}) for ref in refs.split()}
    locators: dict[str, int] = {}
    current = None
    for child in index.xpath("//h:dl/*", namespaces=NS):
        if child.tag == f"{{{XHTML}}}dt":
            current = child.get("id")
            locators[current] = 0
        elif "locators" in (child.get("class") or ""):
            locators[current] += len(child.xpath(".//h:a", namespaces=NS))
    assert locators, "the index lists entries"
    for dd in index.xpath("//h:dd", namespaces=NS):
        assert "".join(dd.itertext()).strip(), "no empty description in the index"
    for entry, count in locators.items():
        assert (count > 0) == (entry in mentioned), entry


def _unit_of(note):
    """The unit a note is numbered in (an item or the preface), as the core defines it."""
    return next((a for a in note.iterancestors(f"{{{xmlio.TEI_NS}}}div")
                 if a.get("type") in ("item", "preface")), None)


def test_notes_are_numbered_per_unit_and_linked_both_ways(book) -> None:
    """One numbering everywhere (issue #14): a note's number counts the notes
    of its unit (item, preface), in the EPUB as on the site and in the text."""
    tei = xmlio.parse_file(book.source)
    notes = tei.xpath("//t:text//t:note", namespaces={"t": xmlio.TEI_NS})
    expected = []
    for note in notes:
        unit = _unit_of(note)
        expected.append(1 + sum(1 for n in notes[:notes.index(note)] if _unit_of(n) is unit))
    shown = []
    for file in book.content_files():
        root = book.xml(file).getroot()
        refs = root.xpath("//h:a[@epub:type='noteref']", namespaces=NS)
        for ref in refs:
            number = int("".join(ref.itertext()).strip("[]"))
            assert ref.get("role") == "doc-noteref"
            note = element_by_id(book, file, ref.get("href").lstrip("#"))
            assert note is not None and note.get("value") == str(number)
            assert note.xpath("ancestor::h:section[@epub:type='endnotes']", namespaces=NS)
            back = note.xpath(".//h:a[@class='backref']/@href", namespaces=NS)
            assert back == [f"#{ref.get('id')}"]
            shown.append(number)
        for ol in root.xpath("//h:section[@epub:type='endnotes']//h:ol", namespaces=NS):
            values = [li.get("value") for li in ol.iterfind("h:li", NS)]
            assert len(values) == len(set(values)), f"{file}: a number repeats in one list"
    assert shown == expected
    if book.source == EDITION:
        assert max(expected) > 1 and expected.count(1) > 1, "numbers restart in each unit"


def test_epub_and_site_give_every_note_the_same_number() -> None:
    from build_support import built as built_site

    site, _ = built_site(EDITION)
    on_site = {}
    for page in (site / "html").glob("*.html"):
        for match in re.finditer(r'<li id="([^"]+)" value="(\d+)"', page.read_text(encoding="utf-8")):
            on_site[match.group(1)] = match.group(2)
    book = book_of(EDITION)
    in_epub = {}
    for file in book.content_files():
        for li in book.xml(file).getroot().xpath("//h:section[@epub:type='endnotes']//h:li", namespaces=NS):
            in_epub[li.get("id")] = li.get("value")
    assert in_epub and in_epub == on_site


NCX = "{http://www.daisy.org/z3986/2005/ncx/}"


def _ncx_points(point) -> list:
    """(label, src, children) of the navPoints under ``point``."""
    return [(p.findtext(f"{NCX}navLabel/{NCX}text"), p.find(f"{NCX}content").get("src"),
             _ncx_points(p)) for p in point.findall(f"{NCX}navPoint")]


def _nav_points(ol) -> list:
    return [(" ".join("".join(li.find("h:a", NS).itertext()).split()), li.find("h:a", NS).get("href"),
             _nav_points(li.find("h:ol", NS)) if li.find("h:ol", NS) is not None else [])
            for li in ol.findall("h:li", NS)]


def test_ncx_is_the_nav_toc_and_page_list(book) -> None:
    ncx = book.xml("EPUB/toc.ncx").getroot()
    toc = nav_of(book, "toc").find("h:ol", NS)
    assert _ncx_points(ncx.find(f"{NCX}navMap")) == _nav_points(toc)
    pages = [(t.findtext(f"{NCX}navLabel/{NCX}text"), t.find(f"{NCX}content").get("src"))
             for t in ncx.iterfind(f"{NCX}pageList/{NCX}pageTarget")]
    page_list = nav_of(book, "page-list")
    assert pages == [(a.text, a.get("href")) for a in page_list.iterfind(".//h:a", NS)]


def test_ncx_play_order_follows_the_reading_order(book) -> None:
    """One playOrder per target, increasing along the navMap and the pageList."""
    ncx = book.xml("EPUB/toc.ncx").getroot()
    by_src: dict[str, set[str]] = {}
    by_order: dict[str, set[str]] = {}
    for kind in ("navPoint", "pageTarget"):
        orders = []
        for point in ncx.iter(f"{NCX}{kind}"):
            src, order = point.find(f"{NCX}content").get("src"), point.get("playOrder")
            by_src.setdefault(src, set()).add(order)
            by_order.setdefault(order, set()).add(src)
            orders.append(int(order))
        assert orders == sorted(orders) and len(set(orders)) == len(orders), kind
    assert all(len(v) == 1 for v in by_src.values())
    assert all(len(v) == 1 for v in by_order.values())


def test_ncx_play_order_runs_from_one_without_gaps(book) -> None:
    ncx = book.xml("EPUB/toc.ncx").getroot()
    orders = {int(p.get("playOrder")) for kind in ("navPoint", "pageTarget")
              for p in ncx.iter(f"{NCX}{kind}")}
    assert orders == set(range(1, len(orders) + 1))


def test_ncx_play_order_is_the_rank_of_the_target_in_the_reading_order(book) -> None:
    """playOrder numbers the NCX's distinct targets by where they stand when
    the spine is read: a content document, then the ids in it in document
    order (heads and page markers interleaved as in the text)."""
    rank: dict[str, int] = {}
    for file in book.spine_files():
        href = posixpath.relpath(file, "EPUB")
        rank[href] = len(rank)
        for element in book.xml(file).getroot().iter():
            if element.get("id"):
                rank.setdefault(f"{href}#{element.get('id')}", len(rank))
    ncx = book.xml("EPUB/toc.ncx").getroot()
    points = [(p.find(f"{NCX}content").get("src"), int(p.get("playOrder")))
              for kind in ("navPoint", "pageTarget") for p in ncx.iter(f"{NCX}{kind}")]
    targets = sorted({src for src, _ in points}, key=rank.__getitem__)
    assert any("#p" in t for t in targets) and any("-head" in t or ".head" in t for t in targets)
    assert sorted(points, key=lambda p: p[1]) == sorted(
        points, key=lambda p: targets.index(p[0]))
    assert all(order == targets.index(src) + 1 for src, order in points)


def test_index_names_each_place_once(book) -> None:
    """见：第3页、第5页（2处） — never 见：目录、目录、目录 (issue #14)."""
    index = book.xml("EPUB/text/registers.xhtml").getroot()
    repeated = counted = 0
    for dd in index.xpath("//h:dd[contains(@class, 'locators')]", namespaces=NS):
        labels = [a.text for a in dd.iterfind("h:a", NS)]
        assert len(labels) == len(set(labels)), labels
        counted += "处）" in "".join(dd.itertext())
    tei = xmlio.parse_file(book.source)
    refs = [r for refs in tei.xpath("//t:text//@ref", namespaces={"t": xmlio.TEI_NS}) for r in refs.split()]
    repeated = len(refs) - len(set(refs))
    assert counted > 0 or repeated == 0, "several mentions on one page are counted"


def test_register_locators_are_the_pages_of_the_mentions(book) -> None:
    """Each entry's locators are the pages (the last page break of the text before a
    mention) of its mentions, each page once, in the order of the text; a mention
    before the first page break is located by its chunk's title instead."""
    tei = xmlio.parse_file(book.source)
    expected: dict[str, list[str | None]] = {}
    page: str | None = None
    for element in tei.xpath("/*/t:text", namespaces={"t": xmlio.TEI_NS})[0].iter():
        if element.tag == f"{{{xmlio.TEI_NS}}}pb":
            page = f"第{' '.join((element.get('n') or '').split())}页"
        for ref in (element.get("ref") or "").split():
            seen = expected.setdefault(ref.lstrip("#"), [])
            if page not in seen:
                seen.append(page)
    index = book.xml("EPUB/text/registers.xhtml").getroot()
    shown: dict[str, list[str]] = {}
    current = ""
    for child in index.xpath("//h:dl/*", namespaces=NS):
        if child.tag == f"{{{XHTML}}}dt":
            current = child.get("id")
        elif "locators" in (child.get("class") or ""):
            shown[current] = [a.text for a in child.xpath(".//h:a", namespaces=NS)]
    assert shown and sum(label.startswith("第") for v in shown.values() for label in v) > 5
    for entry, labels in shown.items():
        pages = [label for label in labels if label.startswith("第")]
        assert pages == [p for p in expected[entry] if p is not None], entry
