"""The HTML edition in a real browser: Playwright driving Debian's chromium.

From ``file://`` (no server) and from a static HTTP server: Chinese glyphs
are rendered with a CJK font, search finds a phrase and lands on its
paragraph, the reading toggle and the citation link work, no page logs a
console error, every same-page link has its target.
"""

from __future__ import annotations

import functools
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
