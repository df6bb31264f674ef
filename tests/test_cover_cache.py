"""The EPUB's cover kept across builds by content (`tei_tools.publish.cover_cache`, #12):
the same bytes as drawing it, drawn again when what it depends on changes or the
kept file is damaged, and no failure when the cache cannot be written."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import pytest

from tei_tools import xmlio
from tei_tools.publish import cover_cache, epub_cover
from tei_tools.records.header import describe

from conftest import MINI


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TEI_TOOLS_CACHE", str(tmp_path))
    return tmp_path / "cover"


def test_a_kept_cover_is_the_drawn_one_and_is_read_back(cache: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    d = describe(xmlio.parse_file(MINI))
    drawn = epub_cover.render_cover(d)
    first = cover_cache.cover(d)
    assert first == drawn and first.png
    assert [p.read_bytes() for p in cache.iterdir()] == [drawn.png]

    def no_drawing(_d: object) -> None:
        raise AssertionError("drawn again")

    monkeypatch.setattr(cover_cache, "render_cover", no_drawing)
    assert cover_cache.cover(d) == drawn


def test_another_header_or_a_damaged_file_is_drawn_again(cache: Path) -> None:
    d = describe(xmlio.parse_file(MINI))
    cover_cache.cover(d)
    (kept,) = cache.iterdir()
    kept.write_bytes(b"half a file")
    assert cover_cache.cover(d).png == epub_cover.render_cover(d).png
    assert kept.read_bytes() == epub_cover.render_cover(d).png
    other = dataclasses.replace(d, title="另一个标题")
    assert cover_cache.cover(other).png == epub_cover.render_cover(other).png
    assert len(list(cache.iterdir())) == 2


def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("TEI_TOOLS_CACHE", str(blocked))
    d = describe(xmlio.parse_file(MINI))
    assert cover_cache.cover(d).png == epub_cover.render_cover(d).png
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_without_pillow_it_says_why_as_drawing_does(cache: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "PIL", None)  # import PIL raises ImportError
    d = describe(xmlio.parse_file(MINI))
    made = cover_cache.cover(d)
    assert made.png is None and made.missing == "Pillow is not installed"
    assert not cache.exists()
