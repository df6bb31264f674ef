"""The HTML edition in a real browser: Playwright driving Debian's chromium.

From ``file://`` (no server) and from a static HTTP server: Chinese glyphs
are rendered with a CJK font, search finds a phrase and lands on its
paragraph, the reading toggle and the citation link work, no page logs a
console error, every same-page link has its target.
"""

from __future__ import annotations

import functools
import re
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from build_support import built, reading_text, squeeze
from conftest import EDITION
from tei_tools import xmlio

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
NS = {"t": xmlio.TEI_NS}
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site() -> Path:
    out, _ = built(EDITION)
    return out / "html"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def watched(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    # a request cut short by the next navigation (ERR_ABORTED) is not a missing resource
    page.on("requestfailed", lambda r: errors.append(f"requestfailed: {r.url} {r.failure}")
            if "ERR_ABORTED" not in str(r.failure) else None)
    return errors


def test_index_renders_chinese_with_a_cjk_font(browser: Browser, site: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = watched(page)
    page.goto((site / "index.html").as_uri())
    h1 = page.locator("h1")
    assert h1.inner_text() == "台江党建报道荟萃"
    # the platform fonts chromium actually used for the heading's glyphs
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    used = {f["familyName"]: f["glyphCount"] for f in fonts}
    assert any("CJK" in name for name in used), used
    assert sum(n for name, n in used.items() if "CJK" in name) == len("台江党建报道荟萃")
    # and the heading is drawn: ink on its screenshot, about one em per character
    box = h1.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e);"
                      " const b = r.getBoundingClientRect(); return [b.width, parseFloat(getComputedStyle(e).fontSize)]; }")
    width, size = box
    assert 7 * size < width < 10 * size  # 8 full-width glyphs plus letter-spacing
    # the screenshot of the heading has ink: decode it in the page, count dark pixels
    import base64

    png = base64.b64encode(h1.screenshot()).decode("ascii")
    dark, total = page.evaluate("""async (data) => {
        const img = new Image(); img.src = 'data:image/png;base64,' + data; await img.decode();
        const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        const px = g.getImageData(0, 0, c.width, c.height).data; let dark = 0;
        for (let i = 0; i < px.length; i += 4) { if (px[i] + px[i + 1] + px[i + 2] < 300) dark++; }
        return [dark, px.length / 4]; }""", png)
    assert 0.03 < dark / total < 0.5, (dark, total)
    assert errors == []


def test_search_finds_a_phrase_and_lands_on_its_paragraph(browser: Browser, site: Path) -> None:
    tei = xmlio.parse_file(EDITION).getroot()
    p = tei.xpath("//t:div[@xml:id='item02-hexie-shequ']//t:p[@xml:id][3]", namespaces=NS)[0]
    pid = p.get("{http://www.w3.org/XML/1998/namespace}id")
    phrase = squeeze(reading_text(p))[12:20]
    page = browser.new_page()
    errors = watched(page)
    page.goto((site / "index.html").as_uri())
    page.fill("header .quick-search input[name=q]", phrase)
    page.press("header .quick-search input[name=q]", "Enter")
    page.wait_for_selector("#search-results li")
    assert "search.html" in page.url
    links = page.locator("#search-results a.hit")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert f"item02-hexie-shequ.html#{pid}" in hrefs, hrefs
    assert page.locator("#search-results mark").first.inner_text() == phrase
    links.nth(hrefs.index(f"item02-hexie-shequ.html#{pid}")).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"item02-hexie-shequ.html#{pid}")
    target = page.locator(":target")
    assert target.get_attribute("id") == pid
    assert phrase in squeeze(target.inner_text())
    assert target.evaluate("e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }")
    # a phrase that is not in the edition
    page.goto((site / "search.html").as_uri() + "?q=" + "不存在的短语甲乙丙")
    assert "未找到" in page.locator("#search-status").inner_text()
    assert page.locator("#search-results li").count() == 0
    assert errors == []


def test_reading_toggle_and_citation_link_over_http(browser: Browser, server: str) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors = watched(page)
    page.goto(f"{server}/item02-hexie-shequ.html")
    choice = page.locator("span.choice").first
    reading = choice.locator(".reading").inner_text()
    original = choice.locator(".alt").inner_text()
    assert reading != original
    assert choice.inner_text() == reading
    page.click("button.toggle-reading")
    assert choice.inner_text() == original
    page.click("button.toggle-reading")
    assert choice.inner_text() == reading
    para = page.locator("p.para").nth(1)
    pid = para.get_attribute("id")
    para.hover()
    para.locator("a.cite").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{server}/item02-hexie-shequ.html#{pid}"
    context.close()
    assert errors == []


def test_every_page_loads_cleanly_and_same_page_links_have_targets(browser: Browser, site: Path) -> None:
    page = browser.new_page()
    errors = watched(page)
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 22  # index, about, search, preface, 14 items, registers
    for path in pages:
        page.goto(path.as_uri())
        missing = page.evaluate("""() => Array.from(document.querySelectorAll('a[href^="#"]'))
            .map(a => a.getAttribute('href').slice(1))
            .filter(id => id && !document.getElementById(decodeURIComponent(id)))""")
        assert missing == [], (path.name, missing[:5])
        broken = page.evaluate("""() => Array.from(document.querySelectorAll('link[rel=stylesheet]'))
            .filter(l => !l.sheet).map(l => l.href)""")
        assert broken == [], path.name
    assert errors == [], errors[:5]


def _inner_reading(el) -> str:
    """The reading of an element's content (reading_text skips a note or figDesc itself)."""
    return (el.text or "") + "".join(reading_text(c) + (c.tail or "") for c in el)


def expected_hits(query: str) -> dict[str, int]:
    """Occurrences of query counted from the TEI with lxml, by kind of text."""
    tei = xmlio.parse_file(EDITION).getroot()
    text = tei.find(f"{{{xmlio.TEI_NS}}}text")
    names = 0
    for e in tei.xpath("//t:standOff//*[@xml:id][self::t:person or self::t:org or self::t:place"
                       " or self::t:event or self::t:bibl]", namespaces=NS):
        forms = {" ".join("".join(x.itertext()).split()) for x in e.xpath(
            "t:persName | t:orgName | t:placeName | t:label | t:title | t:eventName | t:name", namespaces=NS)}
        names += sum(squeeze(f).count(query) for f in forms)
    return {
        "正文": squeeze(reading_text(text)).count(query),
        "注释": sum(squeeze(_inner_reading(n)).count(query) for n in text.iter(f"{{{xmlio.TEI_NS}}}note")),
        "索引": names,
    }


def test_search_counts_and_shows_every_hit_with_its_page(browser: Browser, site: Path) -> None:
    expected = expected_hits("党支部")
    assert expected["正文"] == 32 and expected["索引"] > 0
    total = sum(expected.values())
    page = browser.new_page()
    errors = watched(page)
    page.goto((site / "search.html").as_uri() + "?q=党支部")
    status = page.locator("#search-status").inner_text()
    assert f"找到 {total} 处" in status, status
    assert f"正文 {expected['正文']}" in status and f"索引 {expected['索引']}" in status
    items = page.locator("#search-results li")
    assert items.count() == total
    marks = page.locator("#search-results mark")
    assert all(marks.nth(i).inner_text() == "党支部" for i in range(marks.count()))
    # every hit in the text says the print page it stands on
    wheres = [w for w in page.locator("#search-results li.hit-text .where").all_inner_texts()]
    assert len(wheres) == expected["正文"]
    assert sum(1 for w in wheres if re.search(r"第\d+页", w)) >= expected["正文"] - 2  # title page / contents have none
    assert errors == []


@pytest.mark.parametrize("query, kind", [
    ("音近而误", "注释"),          # a note's text
    ("zhonggongtaijiang", "索引"),  # pinyin without tones
    ("主人公", "校改前原文"),        # the original form of a correction (the text reads 主人翁)
])
def test_search_reaches_notes_pinyin_and_original_readings(browser: Browser, site: Path, query: str, kind: str) -> None:
    page = browser.new_page()
    errors = watched(page)
    page.goto((site / "search.html").as_uri() + "?q=" + query)
    assert "找到" in page.locator("#search-status").inner_text(), query
    wheres = page.locator("#search-results .where").all_inner_texts()
    assert any(w.endswith(kind) for w in wheres), wheres
    link = page.locator("#search-results a.hit").first.get_attribute("href")
    target, _, fragment = link.partition("#")
    assert (site / target).is_file() and fragment
    page.goto((site / target).as_uri() + "#" + fragment)
    assert page.evaluate("id => !!document.getElementById(id)", fragment)
    assert errors == []
