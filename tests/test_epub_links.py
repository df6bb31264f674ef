"""Which links stay live, in the site and in the EPUB (issue #15).

One definition, the core's ``tt:href``; the EPUB changes only its hooks
(``tt:local-href``, ``$tt:relative-links``): a target no content document
holds and a file outside the container are not links there, as they are on
the site. Read from the built files of ``fixtures/epub/links.xml``.
"""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree, html

from tei_tools import xmlio

from build_support import built
from conftest import REPO

SOURCE = REPO / "tests" / "fixtures" / "epub" / "links.xml"
XHTML = "http://www.w3.org/1999/xhtml"


def refs(paragraph: etree._Element) -> dict[str, str | None]:
    """Link text → href (None: rendered, not linked)."""
    return {" ".join("".join(e.itertext()).split()): e.get("href")
            for e in paragraph.iter() if "ref" in (e.get("class") or "").split()}


@pytest.fixture(scope="module")
def outputs() -> tuple[dict[str, str | None], dict[str, str | None]]:
    out, _ = built(SOURCE, formats=("html", "epub"), validate=False)
    site = next(p for p in (out / "html").glob("*.html")
                if html.parse(str(p)).getroot().xpath("//p[@id='links']"))
    (on_site,) = html.parse(str(site)).getroot().xpath("//p[@id='links']")
    with zipfile.ZipFile(out / "epub" / "links.epub") as z:
        documents = [xmlio.parse_bytes(z.read(n), n).getroot() for n in z.namelist()
                     if n.startswith("EPUB/text/") and n.endswith(".xhtml")]
    (in_book,) = [p for d in documents for p in d.iterfind(f".//{{{XHTML}}}p[@id='links']")]
    return refs(on_site), refs(in_book)


def test_the_site_links_what_it_can_reach(outputs) -> None:
    site, _ = outputs
    assert site["in the text"].endswith("#target")
    assert site["in the header"] is not None and site["in the header"].endswith("#pub")
    assert site["a file beside"] == "notes.html"
    assert site["the web"] == "https://example.org/"
    assert site["nothing"] is None


def test_the_epub_links_only_inside_its_content_documents_and_to_the_web(outputs) -> None:
    _, book = outputs
    assert book["in the text"] is not None and book["in the text"].endswith(".xhtml#target")
    assert book["in the header"] is None
    assert book["a file beside"] is None
    assert book["the web"] == "https://example.org/"
    assert book["nothing"] is None
