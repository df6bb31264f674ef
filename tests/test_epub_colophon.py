"""The EPUB's colophon (issue #14): licence, rights of the text, source,
editorial principles, how to cite, version, all from the teiHeader."""

from __future__ import annotations

import pytest

from tei_tools import xmlio

from epub_support import NS, book_of, editions

T = {"t": xmlio.TEI_NS}
COLOPHON = "EPUB/text/colophon.xhtml"


@pytest.fixture(scope="module", params=editions(), ids=lambda p: p.stem)
def book(request):
    return book_of(request.param)


def text(e) -> str:
    return " ".join("".join(e.itertext()).split())


def header(book, xpath: str) -> list:
    return xmlio.parse_file(book.source).xpath(xpath, namespaces=T)


def test_colophon_is_the_last_document_and_is_marked(book) -> None:
    assert book.spine_files()[-1] == COLOPHON
    root = book.xml(COLOPHON).getroot()
    assert root.find("h:body", NS).get("{http://www.idpf.org/2007/ops}type") == "backmatter"
    section = root.xpath("//h:section[@epub:type='colophon']", namespaces=NS)
    assert len(section) == 1 and text(section[0].find("h:h1", NS)) == "版本说明"


def test_colophon_gives_licence_rights_and_identifiers(book) -> None:
    root = book.xml(COLOPHON).getroot()
    licence = header(book, "//t:availability/t:licence")[0]
    shown = root.xpath("//h:p[@class='licence']", namespaces=NS)[0]
    assert text(licence) in text(shown)
    assert shown.find("h:a", NS).get("href") == licence.get("target")
    all_text = text(root)
    for p in header(book, "//t:availability/t:p"):
        assert text(p) in all_text
    package_id = book.package.find(".//{http://purl.org/dc/elements/1.1/}identifier").text
    dds = [text(d) for d in root.iterfind(".//h:dd", NS)]
    assert package_id in dds
    assert next(text(i) for i in header(book, "//t:publicationStmt/t:idno")) in dds


def test_colophon_gives_principles_citation_and_version(book) -> None:
    root = book.xml(COLOPHON).getroot()
    sections = [e for e in header(book, "//t:editorialDecl/*") if text(e)]
    assert len(root.xpath("//h:section[@aria-labelledby='colophon-principles']/h:h3",
                          namespaces=NS)) == len(sections)
    citation = text(root.xpath("//h:p[@class='citation']", namespaces=NS)[0])
    main_title = text(header(book, "//t:titleStmt/t:title[@type='main']")[0])
    assert main_title in citation and "[EB/OL]" in citation
    assert text(header(book, "//t:titleStmt/t:author")[0]) in citation
    latest = max(header(book, "//t:revisionDesc//t:change/@when"))
    assert any(d.startswith(latest + "：") for d in (text(x) for x in root.iterfind(".//h:dd", NS)))
