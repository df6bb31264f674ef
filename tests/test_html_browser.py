"""The HTML edition in a real browser: Playwright driving Debian's chromium.

From ``file://`` (no server) and from a static HTTP server: Chinese glyphs
are rendered with a CJK font, search finds a phrase and lands on its
paragraph, the reading toggle and the citation link work, no page logs a
console error, every same-page link has its target.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tei_tools import xmlio

from build_support import reading_text, squeeze
from conftest import EDITION

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
NS = {"t": xmlio.TEI_NS}
pytestmark = pytest.mark.slow


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
                      " const b = r.getBoundingClientRect();"
                      " return [b.width, parseFloat(getComputedStyle(e).fontSize)]; }")
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
    assert target.evaluate("e => { const r = e.getBoundingClientRect();"
                           " return r.top >= 0 && r.top < innerHeight; }")
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
    # the title page and the contents stand before page 1
    assert sum(1 for w in wheres if re.search(r"第\d+页", w)) >= expected["正文"] - 2
    assert errors == []


@pytest.mark.parametrize("query, kind", [
    ("音近而误", "注释"),          # a note's text
    ("zhonggongtaijiang", "索引"),  # pinyin without tones
    ("主人公", "校改前原文"),        # the original form of a correction (the text reads 主人翁)
])
def test_search_reaches_notes_pinyin_and_original_readings(browser: Browser, site: Path,
                                                            query: str, kind: str) -> None:
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


def _luminance(rgb: tuple[float, float, float]) -> float:
    def lin(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# the element's text colour and the first opaque background behind it
COLOURS = """e => { const rgb = s => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
    let bg = null;
    for (let n = e; n; n = n.parentElement) {
        const c = rgb(getComputedStyle(n).backgroundColor);
        if (c.length < 4 || c[3] > 0) { bg = c.slice(0, 3); break; } }
    return [rgb(getComputedStyle(e).color).slice(0, 3), bg || [255, 255, 255]]; }"""


def test_keyboard_focus_is_always_visible_and_never_lost(browser: Browser, site: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors = watched(page)
    page.goto((site / "item02-hexie-shequ.html").as_uri())
    seen: list[str] = []
    for _ in range(400):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement; const r = e.getBoundingClientRect();
            const s = getComputedStyle(e);
            return {tag: e.tagName, cls: e.className, w: r.width, h: r.height,
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }""")
        if info["tag"] == "BODY":
            break
        seen.append(info["cls"])
        assert "pb" not in info["cls"].split(), info  # page breaks take no tab stop
        assert info["w"] > 0 and info["h"] > 0, info
        assert info["outline"], info
    assert any("cite" in c for c in seen) and any("choice" in c for c in seen)
    assert errors == []


def test_citation_link_is_big_enough_and_legible_in_light_and_dark(browser: Browser, site: Path) -> None:
    for scheme in ("light", "dark"):
        context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.goto((site / "item02-hexie-shequ.html").as_uri())
        cites = page.locator("a.cite")
        assert cites.count() > 10
        for i in (0, 5, cites.count() - 1):
            box = cites.nth(i).bounding_box()
            assert box["width"] >= 24 and box["height"] >= 24, box
            fg, bg = cites.nth(i).evaluate(COLOURS)
            assert _contrast(tuple(fg), tuple(bg)) >= 4.5, (scheme, fg, bg)
        # body text too
        fg, bg = page.locator("p.para").first.evaluate(COLOURS)
        assert _contrast(tuple(fg), tuple(bg)) >= 7, (scheme, fg, bg)
        dark_page = _luminance(tuple(bg)) < 0.05
        assert dark_page == (scheme == "dark"), (scheme, bg)
        context.close()


def test_correction_original_is_reachable_by_keyboard_and_touch(browser: Browser, site: Path) -> None:
    context = browser.new_context(has_touch=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto((site / "item02-hexie-shequ.html").as_uri())
    choice = page.locator("span.choice").first
    label = choice.locator(".choice-label")
    assert not label.is_visible()
    choice.focus()  # keyboard (Tab lands here: it is focusable, see the focus test)
    assert label.is_visible() and label.inner_text().startswith("原文作“")
    described = choice.evaluate(
        "e => document.getElementById(e.getAttribute('aria-describedby')).textContent")
    assert described == label.inner_text()
    page.locator("a.brand").focus()
    assert not label.is_visible()
    choice.tap()  # touch
    assert label.is_visible()
    context.close()


def test_page_break_is_marked_inline_and_its_target_highlighted(browser: Browser, site: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto((site / "item01-feigong-dangjian.html").as_uri() + "#p4")
    geo = page.evaluate("""() => { const pb = document.getElementById('p4');
        const n = pb.querySelector('.pb-n'); const para = pb.closest('p'); const at = pb.getClientRects()[0];
        const nb = n.getBoundingClientRect(); const pr = para.getBoundingClientRect();
        const lh = parseFloat(getComputedStyle(para).lineHeight);
        const mark = getComputedStyle(pb, '::before');
        return {atX: at.left, atY: at.top, nX: nb.left, nY: nb.top, nW: nb.width,
                pL: pr.left, pR: pr.right, lh: lh,
                vh: innerHeight, text: n.textContent, markW: parseFloat(mark.borderLeftWidth),
                outline: getComputedStyle(n).outlineStyle,
                targetId: document.querySelector(':target').id}; }""")
    assert geo["targetId"] == "p4"
    assert geo["pL"] < geo["atX"] < geo["pR"]          # the mark is inside the line, where the page turns
    assert geo["nX"] >= geo["pR"]                      # the number stands in the margin …
    assert abs(geo["nY"] - geo["atY"]) < geo["lh"]     # … beside that very line
    assert 0 < geo["atY"] < geo["vh"]                  # and the target is on screen
    assert geo["text"] == "4推定"                       # the inferred place is said, not only in a tooltip
    assert geo["markW"] >= 3 and geo["outline"] != "none"  # highlighted as the target


def test_run_in_heads_open_their_paragraph(browser: Browser, site: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto((site / "item02-hexie-shequ.html").as_uri())
    head = page.locator("p.para .run-in").first
    assert head.get_attribute("role") == "heading"
    same_line = head.evaluate("""e => { const p = e.closest('p'); const rects = e.getClientRects();
        const last = rects[rects.length - 1]; const r = document.createRange();
        r.setStartAfter(e); r.setEnd(e.nextSibling, 1); const next = r.getBoundingClientRect();
        return Math.abs(last.top - next.top) < 4 && getComputedStyle(p).textAlign === 'justify'; }""")
    assert same_line


def _mean_brightness(page: Page, png: bytes) -> float:
    import base64

    data = base64.b64encode(png).decode("ascii")
    return page.evaluate("""async (data) => {
        const img = new Image(); img.src = 'data:image/png;base64,' + data; await img.decode();
        const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        const px = g.getImageData(0, 0, c.width, c.height).data; let sum = 0;
        for (let i = 0; i < px.length; i += 4) sum += (px[i] + px[i + 1] + px[i + 2]) / 3;
        return sum / (px.length / 4); }""", data)


def test_screenshots_light_and_dark_desktop_and_mobile(browser: Browser, site: Path, tmp_path: Path) -> None:
    """Each page of each kind at 1366 and 390 px, light and dark: dark mode really is dark,
    nothing is wider than the window."""
    for scheme in ("light", "dark"):
        for width, height in ((1366, 900), (390, 844)):
            context = browser.new_context(color_scheme=scheme, viewport={"width": width, "height": height})
            page = context.new_page()
            errors = watched(page)
            for name in ("index", "item01-feigong-dangjian", "organisations", "search"):
                page.goto((site / f"{name}.html").as_uri() + ("?q=党支部" if name == "search" else ""))
                png = page.screenshot(path=str(tmp_path / f"{name}-{width}-{scheme}.png"))
                brightness = _mean_brightness(page, png)
                dark_enough = brightness < 80 if scheme == "dark" else brightness > 200
                assert dark_enough, (name, width, scheme, brightness)
                overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
                assert overflow <= 0, (name, width, overflow)
            assert errors == []
            context.close()


def test_printed_page_carries_its_citation_and_address(browser: Browser, server: str) -> None:
    page = browser.new_page()
    page.goto(f"{server}/item02-hexie-shequ.html")
    cite = page.locator("footer .print-cite")
    assert not cite.is_visible()
    page.emulate_media(media="print")
    assert cite.is_visible()
    text = cite.inner_text()
    assert text.startswith("浅谈如何加强和谐社区建设，载《台江党建报道荟萃")
    assert f"{server}/item02-hexie-shequ.html" in text
    assert not page.locator("header.site").is_visible()
    # the print stylesheet renders a real PDF
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10000


def test_english_subtitle_is_marked_english(browser: Browser, site: Path) -> None:
    page = browser.new_page()
    page.goto((site / "index.html").as_uri())
    en = page.locator(".titlepage [lang=en]")
    assert en.count() == 1 and en.inner_text().startswith("A TEI P5 edition")


def test_title_page_has_a_typographic_hierarchy(browser: Browser, site: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto((site / "index.html").as_uri())
    sizes = page.evaluate("""() => ['h1', '.subtitle', '.docAuthor', '.series', '.edition-note'].map(s =>
        parseFloat(getComputedStyle(document.querySelector('.titlepage ' + s)).fontSize))""")
    h1, subtitle, author, series, note = sizes
    assert page.locator(".titlepage h1").count() == 1
    assert h1 > 1.8 * subtitle and subtitle > author >= series > note, sizes
