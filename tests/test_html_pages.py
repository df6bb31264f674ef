"""The HTML edition as built from the real edition: pages, links, registers, safety."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from html import unescape as html_unescape
from pathlib import Path

import pytest

from tei_tools import xmlio

from build_support import built, scan
from conftest import EDITION, REPO

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
HOSTILE = Path(__file__).parent / "fixtures" / "build" / "hostile.xml"
NS = {"t": xmlio.TEI_NS}


def pages(site: Path) -> list[Path]:
    return sorted(site.glob("*.html"))


@pytest.mark.slow
def test_nu_html_checker_reports_no_error(site: Path) -> None:
    hostile, _ = built(HOSTILE, ("html",), validate=False)
    files = [str(p) for p in pages(site)] + [str(p) for p in sorted((hostile / "html").glob("*.html"))]
    assert len(files) > 25
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "text", *files],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[:3000]
    assert "error" not in (run.stdout + run.stderr).replace("No errors found", ""), run.stderr[:3000]
    assert "No errors found" in run.stderr


def test_every_page_is_chinese_and_self_contained(site: Path) -> None:
    for page in pages(site):
        s = scan(page)
        assert s.lang == "zh-Hans", page.name
        for ref in s.resources:
            assert not re.match(r"^(?:[a-z]+:|//)", ref), (page.name, ref)
            assert (site / ref).is_file(), (page.name, ref)
    assert "@import" not in (site / "assets" / "edition.css").read_text(encoding="utf-8")
    assert "url(" not in (site / "assets" / "edition.css").read_text(encoding="utf-8")
    assert "fetch(" not in (site / "assets" / "edition.js").read_text(encoding="utf-8")


def test_index_lists_all_fourteen_items_with_their_sources(site: Path, tei) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    items = tei.xpath("//t:div[@type='item']", namespaces=NS)
    assert len(items) == 14
    for item in items:
        ident = item.get("{http://www.w3.org/XML/1998/namespace}id")
        assert f'href="{ident}.html"' in index
        assert (site / f"{ident}.html").is_file()
    entries = re.findall(r'<li class="toc-entry( missing)?">(.*?)</li>', index, flags=re.S)
    assert len(entries) == 15  # the preface and the 14 items
    missing = [body for flag, body in entries if flag]
    expected_missing = [i for i in items if i.xpath("t:gap[@unit='item']", namespaces=NS)]
    assert len(missing) == len(expected_missing) > 0
    for body in missing:
        assert "原文未收入来源文本" in body and "toc-source" in body and "原书第" in body
    assert "《福州组工通讯》2006年第3期，原书第3—6页" in index


def test_unit_pages_have_source_line_paragraph_anchors_and_citation_links(site: Path, tei) -> None:
    for item in tei.xpath("//t:div[@type='item'][t:p]", namespaces=NS):
        ident = item.get("{http://www.w3.org/XML/1998/namespace}id")
        page = (site / f"{ident}.html").read_text(encoding="utf-8")
        assert '<p class="source"><span class="label">来源：</span>《' in page
        for p in item.xpath(".//t:p[@xml:id]", namespaces=NS):
            pid = p.get("{http://www.w3.org/XML/1998/namespace}id")
            assert re.search(rf'id="{pid}" class="para( has-run-in)?"><a class="cite" href="#{pid}"',
                             page), pid


def test_every_print_page_has_one_anchor(site: Path, tei) -> None:
    numbers = [pb.get("n") for pb in tei.xpath("//t:text//t:pb", namespaces=NS)]
    ids = Counter(i for page in pages(site) for i in scan(page).ids)
    for n in numbers:
        assert ids[f"p{n}"] == 1, n
    # page 4 is in item 1, inline where the page turns, linkable as #p4, its place inferred
    item = (site / "item01-feigong-dangjian.html").read_text(encoding="utf-8")
    assert ('先后37次<span id="p4" class="pb inferred"><span class="pb-n" aria-hidden="true">4'
            '<span class="pb-cert">推定</span>') in item
    assert '<span class="visually-hidden">〔第4页（推定）〕</span></span>深入' in item
    # a page break is not a link: no empty tab stop
    assert not re.search(r'<a [^>]*class="pb', item)


def test_ids_are_unique_on_every_page(site: Path) -> None:
    for page in pages(site):
        dup = [k for k, v in Counter(scan(page).ids).items() if v > 1]
        assert dup == [], (page.name, dup)


def test_every_internal_link_resolves(site: Path) -> None:
    checked = 0
    for page in pages(site):
        for href in scan(page).links:
            if re.match(r"^(?:https?|mailto):", href):
                continue
            target, _, fragment = href.partition("#")
            target_path = site / target if target else page
            assert target_path.is_file(), (page.name, href)
            if fragment and target_path.suffix == ".html":
                assert fragment in scan(target_path).ids, (page.name, href)
            checked += 1
    assert checked > 500


def test_mentions_link_to_register_entries_that_list_them_back(site: Path, tei) -> None:
    registers = {"per": "persons", "org": "organisations", "pla": "places", "evt": "events", "wrk": "works"}
    refs = Counter()
    for el in tei.xpath("//t:text//*[@ref]", namespaces=NS):
        for token in el.get("ref").split():
            refs[token[1:]] += 1
    assert refs
    for entry_id, count in refs.items():
        register = registers[entry_id.split("-")[0]]
        page = (site / f"{register}.html").read_text(encoding="utf-8")
        m = re.search(rf'<article class="entry" id="{re.escape(entry_id)}">.*?</article>', page, flags=re.S)
        assert m, entry_id
        assert f"<h4>提及（{count}）</h4>" in m.group(0), entry_id
        assert m.group(0).count('class="backlink"') == count
    item = (site / "item01-feigong-dangjian.html").read_text(encoding="utf-8")
    assert 'class="mention persons" href="persons.html#per-chen-wenliang"' in item


def test_editorial_interventions_are_visible(site: Path, tei) -> None:
    text = "".join((site / p.name).read_text(encoding="utf-8") for p in pages(site))
    for choice in tei.xpath("//t:text//t:choice", namespaces=NS):
        cid = choice.get("{http://www.w3.org/XML/1998/namespace}id")
        if cid:
            m = re.search(rf'<span class="choice" tabindex="0" aria-describedby="{cid}-label" id="{cid}">'
                          rf'<span class="reading">.*?'
                          rf'<span class="choice-label" id="{cid}-label">([^<]+)</span>', text)
            assert m and m.group(1).startswith(("原文", "编者", "规范", "全称", "异文")), cid
    assert text.count('class="gap"') >= len(tei.xpath("//t:text//t:gap", namespaces=NS))
    assert 'class="supplied" title="编者补' in text
    assert '<section class="notes"' in text


def test_about_page_is_built_from_the_header(site: Path, tei) -> None:
    about = (site / "about.html").read_text(encoding="utf-8")
    for p in tei.xpath("//t:editorialDecl//t:p", namespaces=NS)[:3]:
        assert " ".join("".join(p.itertext()).split())[:20] in about
    assert 'rel="license noopener noreferrer"' in about
    assert 'id="cite"' in about
    for name in ("taijiang-dangjian-2007.xml", "taijiang-dangjian-2007.txt", "taijiang-dangjian-2007.epub"):
        assert f'href="downloads/{name}"' in about
        assert (site / "downloads" / name).is_file()
    assert (site / "downloads" / "taijiang-dangjian-2007.xml").read_bytes() == EDITION.read_bytes()


def test_search_index_is_a_script_with_every_paragraph(site: Path, tei) -> None:
    import json

    js = (site / "search-index.js").read_text(encoding="utf-8")
    assert js.startswith("/* Generated by tei-tools")
    payload = js[js.index("=") + 1:].strip().rstrip(";")
    records = json.loads(payload)
    anchors = {(r["f"], r["a"]) for r in records}
    for p in tei.xpath("//t:div[@type='item']//t:p[@xml:id]", namespaces=NS):
        unit = p.xpath("ancestor::t:div[@type='item'][1]/@xml:id", namespaces=NS)[0]
        assert (f"{unit}.html", p.get("{http://www.w3.org/XML/1998/namespace}id")) in anchors
    assert all(set(r) == {"f", "a", "t", "k", "s"} for r in records if r["k"] != "orig")
    assert {r["k"] for r in records} == {"text", "note", "caption", "register", "orig"}
    # a paragraph cut by a page break keeps both parts, each with its page
    p4 = next(r for r in records if r["a"] == "item01-feigong-dangjian-p4")
    assert [seg[0] for seg in p4["s"]] == ["第3页", "第4页（推定）"]


UNSAFE = re.compile(r"^\s*(?:javascript|data|vbscript|file)\s*:", re.I)


def test_hostile_content_is_neutralised() -> None:
    out, _ = built(HOSTILE, ("html",), validate=False)
    site = out / "html"
    for page in pages(site):
        s = scan(page)
        for tag, attr, value in s.attrs_seen:
            if attr in ("href", "src", "action"):
                assert not UNSAFE.match(re.sub(r"[\x00-\x20]", "", value)), (page.name, tag, value)
                assert not value.startswith("\\"), value
            assert not attr.startswith("on"), (page.name, tag, attr)
        body = page.read_text(encoding="utf-8")
        scripts = [dict(a) for t, a in s.tags if t == "script"]
        # our scripts only: the site's (by src) and the JSON-LD data block
        assert len(scripts) <= 3, page.name
        assert all(a.get("src") or a.get("type") == "application/ld+json" for a in scripts), page.name
        assert "<img" not in body
    page = (site / "d1.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(\"x\")&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    for inert in ("甲", "乙", "丁", "戊", "己", "庚"):
        assert re.search(rf'<span class="ref inert" title="[^"]*">{inert}</span>', page), inert
    assert ('<a href="https://example.org/a?b=1&amp;c=2" class="ref external" '
            'rel="noopener noreferrer">网址</a>') in page
    assert '<a href="mailto:someone@example.org" class="ref external">邮件</a>' in page
    assert '<a href="d1.html#d1-p1" class="ref">本段</a>' in page
    assert 'onmouseover' not in page.replace("rend-xonmouseoveralert9", "")
    about = (site / "about.html").read_text(encoding="utf-8")
    assert "javascript:" not in about.replace("&lt;", "<")
    assert "&lt;script&gt;" in about


@pytest.mark.slow
def test_nu_html_checker_on_every_corpus_document() -> None:
    """Other TEI, valid or not (built with --no-validate): the pages are still valid HTML."""
    from conftest import corpus_files

    files: list[str] = []
    for source in corpus_files():
        out, _ = built(source, ("html",), validate=False)
        files += [str(p) for p in sorted((out / "html").glob("*.html"))]
    assert len(files) > 60
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "text", *files],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[:3000]
    assert "No errors found" in run.stderr


def test_title_page_keeps_the_printed_order_of_its_title_parts(site: Path, tei) -> None:
    printed = [" ".join("".join(p.itertext()).split())
               for p in tei.iterfind(".//t:titlePage/t:docTitle/t:titlePart", NS)]
    html = (site / "index.html").read_text(encoding="utf-8")
    header = re.search(r'<header class="titlepage">(.*?)</header>', html, re.S).group(1)
    shown = [re.sub(r"<[^>]+>", "", m) for m in
             re.findall(r'<(?:h1|p class="(?:series|subtitle)")[^>]*>(.*?)</(?:h1|p)>', header)]
    assert shown == printed


def test_about_page_shows_both_sides_of_each_declared_normalisation(site: Path, tei) -> None:
    pairs = [(c.find("t:orig", NS).text, c.find("t:reg", NS).text)
             for c in tei.iterfind("t:teiHeader//t:editorialDecl//t:choice", NS)]
    assert len(pairs) >= 5
    about = html_unescape((site / "about.html").read_text(encoding="utf-8"))
    for orig, reg in pairs:
        assert f"「{orig}」→「{reg}」" in about


def test_the_english_subtitle_is_marked_english_wherever_it_is_shown(site: Path, tei) -> None:
    subtitle = " ".join(tei.findtext("t:teiHeader/t:fileDesc/t:titleStmt/t:title[@type='sub']",
                                     namespaces=NS).split())
    shown = 0
    for page in pages(site):
        body = html_unescape(page.read_text(encoding="utf-8").split("<body", 1)[1])
        for m in re.finditer(r"<(\w+)([^>]*)>" + re.escape(subtitle[:30]), body):
            assert 'lang="en"' in m.group(2), (page.name, m.group(0))
            shown += 1
    assert shown >= 2  # the title page and the about page
