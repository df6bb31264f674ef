"""The edition's one citation and the about page's metadata (issues 13, 14).

The about page of the HTML edition generates the citation from the TEI header
(Chinese, GB/T 7714-2015, and English); the README quotes exactly that text.
The page shows every statement of the header a review asks for. In a real
browser (slow test) the copy button works from ``file://`` and the URL and
access date are filled in.
"""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path

import pytest
from lxml import etree

from tei_tools import xmlio

from build_support import built
from conftest import EDITION, REPO

NS = {"t": xmlio.TEI_NS}


@pytest.fixture(scope="module")
def about() -> str:
    out, _ = built(EDITION)
    return (out / "html" / "about.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def header() -> etree._Element:
    return xmlio.parse_file(EDITION).getroot().find("t:teiHeader", NS)


def plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def citation(about: str, lang: str) -> str:
    match = re.search(rf'<p class="citation" id="cite-{lang}"[^>]*>(.*?)</p>', about, re.S)
    assert match, f"no {lang} citation on the about page"
    return plain(match.group(1))


def first(header: etree._Element, path: str) -> str:
    found = header.xpath(path, namespaces=NS)
    assert found, path
    value = found[0]
    return " ".join((value if isinstance(value, str) else "".join(value.itertext())).split())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_readme_quotes_the_generated_citation(about: str, lang: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How to cite"):readme.index("## Licence")]
    quoted = [" ".join(line[2:].split()) for line in section.splitlines() if line.startswith("> ")]
    assert citation(about, lang) in quoted


def test_citation_is_built_from_the_header(about: str, header: etree._Element) -> None:
    zh, en = citation(about, "zh"), citation(about, "en")
    compiler = first(header, "t:fileDesc/t:titleStmt/t:author")
    title = first(header, "t:fileDesc/t:titleStmt/t:title[@type='main']")
    version = first(header, "t:fileDesc/t:editionStmt/t:edition/@n")
    date = first(header, "t:revisionDesc/t:change[1]/@when")
    publisher = first(header, "t:fileDesc/t:publicationStmt/t:publisher")
    # GB/T 7714: 主要责任者. 题名[EB/OL]. 其他责任者. 版本. 出版地: 出版者, 日期[引用日期]. 网址.
    assert zh == (f"{compiler}. {title}[EB/OL]. {publisher}, 编码. {version}版. [出版地不详]: "
                  f"{publisher}, {date}[引用日期]. 〈本版网址〉.")
    english = first(header, "t:fileDesc/t:titleStmt/t:title[@xml:lang='en']")
    assert en.startswith("Organisation Department of the CPC Taijiang District Committee "
                         f"({compiler}), comp. {title} [{english}].")
    assert f"Version {version}. {publisher}, {date}. 〈URL〉 (accessed 〈date〉)." in en


def test_about_page_shows_what_a_review_asks_for(about: str, header: etree._Element) -> None:
    text = plain(about)
    for path in [
        "t:fileDesc/t:sourceDesc/t:bibl[@type='digital-source']/t:idno[@type='sha256']",
        "t:fileDesc/t:sourceDesc/t:bibl[@type='digital-source']/t:idno[@type='filename']",
        "t:fileDesc/t:sourceDesc/t:bibl[@type='digital-source']/t:extent",
        "t:fileDesc/t:sourceDesc/t:bibl[@xml:id='booklet']/t:pubPlace",
        "t:fileDesc/t:sourceDesc/t:bibl[@xml:id='booklet']/t:extent",
        "t:fileDesc/t:extent",
        "t:encodingDesc/t:refsDecl/t:p[2]",
        "t:fileDesc/t:publicationStmt/t:availability/t:p",
    ]:
        assert first(header, path)[:40] in text, path
    for resp in header.xpath("t:fileDesc/t:titleStmt/t:respStmt/t:resp", namespaces=NS):
        assert " ".join(resp.text.split()) in text
    assert f"第{first(header, 't:fileDesc/t:editionStmt/t:edition/@n')}版" in text
    for licence in header.xpath(".//t:availability/t:licence/@target", namespaces=NS):
        assert f'href="{licence}"' in about
    for term in header.xpath(".//t:keywords/t:term", namespaces=NS):
        assert term.text in text
    # the uncertain page of item 3's continuation is said to be uncertain
    assert "第33页（原刊抑或本书页码，未详）；编者推定，可信度：low" in text


def test_citation_placeholders_are_deterministic(about: str) -> None:
    """The file holds no clock value: URL and access date are placeholders."""
    assert 'class="cite-accessed">[引用日期]<' in about and 'class="cite-url">〈URL〉<' in about
    assert str(datetime.date.today().year + 1) not in about


@pytest.mark.slow
def test_copy_button_works_from_file_url(about: str) -> None:
    from playwright.sync_api import sync_playwright

    out, _ = built(EDITION)
    page_path = (out / "html" / "about.html").resolve()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_path.as_uri())
            today = datetime.date.today().isoformat()
            zh = page.locator("#cite-zh").inner_text()
            assert zh.endswith(f"[{today}]. {Path(page_path.parent, 'index.html').as_uri()}.")
            button = page.locator('button[data-copy="cite-en"]')
            assert button.is_visible()
            button.click()
            page.wait_for_selector('button[data-copy="cite-en"][data-copied="yes"]')
            assert "✓" in button.inner_text()
            assert errors == []
        finally:
            browser.close()


def test_every_decision_listed_on_the_about_page_links_to_its_passage(about: str,
                                                                     header: etree._Element) -> None:
    out, _ = built(EDITION)
    links = re.findall(r'<a class="decision" href="([^"#]+)#([^"]+)">([^<]+)</a>', about)
    listed = header.xpath(".//t:editorialDecl/t:correction//t:ptr/@target", namespaces=NS)
    assert [text for _, _, text in links] == [t[1:] for t in listed]
    for page, anchor, decision in links:
        target = (out / "html" / page).read_text(encoding="utf-8")
        assert f'id="{anchor}"' in target, (decision, page, anchor)
