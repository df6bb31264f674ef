"""The HTML registers as a reader uses them: pinyin order checked against an
independent pinyin source (pypinyin), print page numbers, a jump list of
initials on long registers, Chinese typography."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from html import unescape
from pathlib import Path

import pytest
from lxml import etree
from pypinyin import lazy_pinyin

from tei_tools import xmlio

from build_support import scan

NS = {"t": xmlio.TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
REGISTERS = {
    "persons": "//t:person",
    "organisations": "//t:org",
    "places": "//t:place",
    "events": "//t:event",
    "works": "//t:standOff//t:listBibl/t:bibl",
}


def entry_ids(page: str) -> list[str]:
    return re.findall(r'<article class="entry" id="([^"]+)">', page)


def shown_name(page: str, ident: str) -> str:
    m = re.search(
        rf'<article class="entry" id="{re.escape(ident)}"><h3>(.*?)(?: <span class="pinyin"|</h3>)', page
    )
    return unescape(re.sub(r"<[^>]+>", "", m.group(1)))


def pypinyin_key(name: str) -> str:
    """The name's pinyin letters by pypinyin (not by the edition's own pinyin)."""
    syllables = lazy_pinyin(name, v_to_u=True, errors="ignore")
    letters = "".join(syllables)
    return "".join(c for c in unicodedata.normalize("NFD", letters) if c.isalnum()).lower()


@pytest.mark.parametrize("register", sorted(REGISTERS))
def test_register_is_in_pinyin_order(site: Path, tei, register: str) -> None:
    page = (site / f"{register}.html").read_text(encoding="utf-8")
    shown = entry_ids(page)
    expected = [e.get(XML_ID) for e in tei.xpath(REGISTERS[register], namespaces=NS)]
    assert sorted(shown) == sorted(expected)
    keys = [pypinyin_key(shown_name(page, i)) for i in shown]
    assert all(keys), register
    assert keys == sorted(keys), [(shown_name(page, i), k) for i, k in zip(shown, keys, strict=True)]
    assert 'lang="zh-Latn-pinyin"' in page


def test_pinyin_order_is_not_code_point_order(site: Path) -> None:
    """The bug this replaces: 中共十六届… sorted before 保持… (U+4E2D < U+4FDD)."""
    page = (site / "events.html").read_text(encoding="utf-8")
    names = [shown_name(page, i) for i in entry_ids(page)]
    assert names[0].startswith("保持") and names[-1].startswith("中共十六届")
    assert names != sorted(names)


def test_registers_give_the_print_pages_of_every_mention(site: Path, tei) -> None:
    for register in REGISTERS:
        page = (site / f"{register}.html").read_text(encoding="utf-8")
        for ident in entry_ids(page):
            article = re.search(
                rf'<article class="entry" id="{re.escape(ident)}">(.*?)</article>', page, re.S
            ).group(1)
            mentions = tei.xpath(
                f"//t:text//*[contains(concat(' ', @ref, ' '), ' #{ident} ')]", namespaces=NS
            )
            pages: list[str] = []
            for m in mentions:
                pb = m.xpath("preceding::t:pb[ancestor::t:text][1]", namespaces=NS)
                if pb and pb[0].get("n") not in pages:
                    pages.append(pb[0].get("n"))
            shown = re.findall(
                r'<a href="[^"#]+#p(\d+)">\d+(?:（推定）)?</a>',
                (re.search(r'<dd class="pages">(.*?)</dd>', article) or [None, ""])[1],
            )
            assert sorted(shown, key=int) == sorted(pages, key=int), ident
            # each mention says its page, inferred ones visibly so
            labels = re.findall(r'<span class="page">第(\d+)页(（推定）)?</span>', article)
            assert len(labels) == sum(
                1 for m in mentions if m.xpath("preceding::t:pb[ancestor::t:text]", namespaces=NS)
            )
            for n, inferred in labels:
                pb = tei.xpath(f"//t:pb[@n='{n}']", namespaces=NS)[0]
                assert bool(inferred) == (pb.get("cert") is not None), (ident, n)


def test_long_registers_have_a_jump_list_to_every_initial(site: Path) -> None:
    page = (site / "organisations.html").read_text(encoding="utf-8")
    nav = re.search(r'<nav class="jump-list"[^>]*>(.*?)</nav>', page, re.S).group(1)
    targets = re.findall(r'<a href="#(initial-[A-Z])">([A-Z])</a>', nav)
    assert len(targets) >= 5
    ids = set(scan(site / "organisations.html").ids)
    for target, letter in targets:
        assert target in ids
        section = re.search(rf'<section class="initial" id="{target}".*?</section>', page, re.S).group(0)
        for ident in entry_ids(section):
            assert pypinyin_key(shown_name(page, ident))[0].upper() == letter
    # all 26 letters are listed, the absent ones not as links
    assert len(re.findall(r"<li>", nav)) == 26
    # a short register needs none
    assert 'class="jump-list"' not in (site / "events.html").read_text(encoding="utf-8")


def test_no_half_width_space_before_full_width_brackets(site: Path) -> None:
    for path in sorted(site.glob("*.html")):
        body = path.read_text(encoding="utf-8").split("<body", 1)[1]
        text = unescape(re.sub(r"<[^>]+>", "", body))
        assert not re.search(r"[\u4e00-\u9fff][ \u00a0]+[（〔［]", text), (
            path.name,
            re.search(r".{8}[\u4e00-\u9fff][ \u00a0]+[（〔［].{4}", text),
        )


def test_epub_index_lists_registers_and_entries_in_the_sites_order(site: Path) -> None:
    """One order (the core's tt:registers and tt:sorted-entries) for the site's register
    pages and the EPUB's index, registers and entries alike."""
    (epub,) = (site.parent / "epub").glob("*.epub")
    with zipfile.ZipFile(epub) as book:
        index = etree.fromstring(book.read("EPUB/text/registers.xhtml"))
    xhtml = {"h": "http://www.w3.org/1999/xhtml"}
    in_book = {s.get("aria-labelledby").removeprefix("register-"): s.xpath(".//h:dt/@id", namespaces=xhtml)
               for s in index.xpath("//h:section[h:dl]", namespaces=xhtml)}
    nav = (site / "index.html").read_text(encoding="utf-8").split('class="site-nav"', 1)[1]
    on_site = [r for r in re.findall(r'href="([a-z]+)\.html"', nav) if r in REGISTERS]
    assert list(in_book) == on_site and len(on_site) >= 2
    for register in on_site:
        page = (site / f"{register}.html").read_text(encoding="utf-8")
        assert in_book[register] == entry_ids(page), register
