"""The EPUB's cover (issue #14): a PNG drawn at build time with Pillow and the
Noto CJK font, the same on every build, declared as the cover for EPUB 3 and
EPUB 2 readers, shown on its own page with a text alternative."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tei_tools import xmlio
from tei_tools.publish import epub_cover
from tei_tools.records.header import describe

from epub_support import NS, OPF, book_of, built, editions, opened

COVER = "EPUB/images/cover.png"


@pytest.fixture(scope="module", params=editions(), ids=lambda p: p.stem)
def book(request):
    return book_of(request.param)


def test_cover_is_declared_for_epub3_and_epub2_readers(book) -> None:
    package = book.package
    items = [i for i in package.iterfind(f"{{{OPF}}}manifest/{{{OPF}}}item")
             if "cover-image" in (i.get("properties") or "").split()]
    assert len(items) == 1
    assert items[0].get("href") == "images/cover.png" and items[0].get("media-type") == "image/png"
    legacy = package.find(f"{{{OPF}}}metadata/{{{OPF}}}meta[@name='cover']")
    assert legacy is not None and legacy.get("content") == items[0].get("id")


def test_cover_is_a_real_png_with_text_drawn(book) -> None:
    image = Image.open(io.BytesIO(book.data[COVER]))
    assert image.format == "PNG" and image.size == (epub_cover.WIDTH, epub_cover.HEIGHT)
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    ink = sum(n for n, c in colours if c == epub_cover.INK)
    assert ink > 5000, "the title is drawn in the ink colour"
    assert len(colours) > 20, "anti-aliased glyphs, not flat boxes"


def test_cover_page_has_the_image_with_alt_text(book) -> None:
    page = book.xml("EPUB/text/cover.xhtml").getroot()
    imgs = page.xpath("//h:section[@epub:type='cover']/h:img", namespaces=NS)
    assert len(imgs) == 1 and imgs[0].get("src") == "../images/cover.png"
    title = describe(xmlio.parse_file(book.source)).title
    assert title in imgs[0].get("alt") and imgs[0].get("role") == "doc-cover"
    assert book.spine_files()[0] == "EPUB/text/cover.xhtml"


def test_cover_is_deterministic() -> None:
    source = editions()[0]
    a = opened(built(source, "a").path).data[COVER]
    b = opened(built(source, "b").path).data[COVER]
    assert a == b


def test_the_title_is_split_and_wrapped_by_the_font() -> None:
    font = epub_cover._font("bold", epub_cover._px(92), "SC")
    assert font is not None and font.getname() == ("Noto Serif CJK SC", "Bold")
    lines = epub_cover._wrap("台江党建报道荟萃台江党建报道荟萃台江党建报道荟萃", font, 900)
    assert len(lines) > 1 and all(font.getlength(line) <= 900 for line in lines)
    wrapped = epub_cover._wrap("一二三四五六七八九，十" * 3, font, 900)
    assert not any(line.startswith("，") for line in wrapped)
