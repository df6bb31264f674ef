"""What every output says about the edition as a whole (issues #14, #15):
one citation and every licence, generated once from the teiHeader
(``xslt/core/header.xsl``) and read here from the built files.

The EPUB's colophon shows the same citation, character for character, as the
site's about page (Chinese GB/T 7714 and English); each licence of the
header appears with its link in the footer of every HTML page, on the about
page, in the colophon and in the header of every text file.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree, html

from tei_tools import xmlio

from build_support import built
from conftest import EDITION, MINI

XHTML = "http://www.w3.org/1999/xhtml"
T = {"t": xmlio.TEI_NS}
COLOPHON = "EPUB/text/colophon.xhtml"


def words(e: etree._Element) -> str:
    return " ".join("".join(e.itertext()).split())


@pytest.fixture(scope="module", params=[EDITION, MINI], ids=lambda p: p.stem)
def dist(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    out, _ = built(request.param)
    return request.param, out


def about_page(out: Path) -> etree._Element:
    return html.parse(str(out / "html" / "about.html")).getroot()


def colophon(out: Path) -> etree._Element:
    (epub,) = (out / "epub").glob("*.epub")
    with zipfile.ZipFile(epub) as z:
        return xmlio.parse_bytes(z.read(COLOPHON), COLOPHON).getroot()


def licences(source: Path) -> list[tuple[str, str]]:
    """(text, target) of every licence in the header."""
    found = xmlio.parse_file(source).xpath("//t:publicationStmt/t:availability/t:licence", namespaces=T)
    return [(words(e), e.get("target", "")) for e in found]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_colophon_shows_the_about_pages_citation(dist: tuple[Path, Path], lang: str) -> None:
    _, out = dist
    (on_site,) = about_page(out).xpath(f"//p[@id='cite-{lang}']")
    (in_book,) = colophon(out).xpath(f"//h:p[@id='cite-{lang}']", namespaces={"h": XHTML})
    assert words(on_site) == words(in_book)
    # the whole citation, not an empty paragraph on both sides
    assert "[EB/OL]" in words(in_book) if lang == "zh" else "comp." in words(in_book)
    assert in_book.get("lang") == on_site.get("lang") == ("zh-Hans" if lang == "zh" else "en")


def test_the_edition_has_more_than_one_licence() -> None:
    """What the tests below are about: a header with several licences."""
    assert len(licences(EDITION)) >= 2


def test_every_page_footer_shows_every_licence_with_its_link(dist: tuple[Path, Path]) -> None:
    source, out = dist
    wanted = licences(source)
    pages = sorted((out / "html").glob("*.html"))
    assert len(pages) > 5
    for page in pages:
        (footer,) = html.parse(str(page)).getroot().xpath("//footer")
        links = [(words(a), a.get("href")) for a in footer.xpath(".//a[@rel='license noopener noreferrer']")]
        assert links == wanted, page.name


def test_the_about_page_shows_every_licence_with_its_link(dist: tuple[Path, Path]) -> None:
    source, out = dist
    (section,) = about_page(out).xpath("//section[@id='licence']")
    assert [(words(a), a.get("href")) for a in section.xpath(".//a")] == licences(source)


def test_the_colophon_shows_every_licence_with_its_link(dist: tuple[Path, Path]) -> None:
    source, out = dist
    shown = colophon(out).xpath("//h:p[@class='licence']", namespaces={"h": XHTML})
    wanted = licences(source)
    assert len(shown) == len(wanted)
    for p, (text, target) in zip(shown, wanted, strict=True):
        assert words(p).startswith(text)
        assert [a.get("href") for a in p.iterfind(f"{{{XHTML}}}a")] == [target]
        assert target in words(p)  # the address is readable where links are not followed


def test_every_text_file_names_every_licence(dist: tuple[Path, Path]) -> None:
    source, out = dist
    files = sorted((out / "txt").rglob("*.txt"))
    assert len(files) > 1
    for f in files:
        field = re.search(r'^licence: "(.*)"$', f.read_text(encoding="utf-8"), re.M)
        assert field, f.name
        for text, target in licences(source):
            assert text in field.group(1) and target in field.group(1), f.name
