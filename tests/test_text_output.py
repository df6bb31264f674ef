"""Plain text output: the edition's reading, character for character."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from build_support import built, reading_text, squeeze, strip_editorial, text_of
from conftest import EDITION, MINI
from tei_tools import xmlio
from tei_tools.cli import main

NS = {"t": xmlio.TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@pytest.fixture(scope="module")
def txt_dir() -> Path:
    out, _ = built(EDITION)
    return out / "txt"


@pytest.fixture(scope="module")
def whole(txt_dir: Path) -> str:
    return (txt_dir / "taijiang-dangjian-2007.txt").read_text(encoding="utf-8")


def test_whole_text_equals_the_regularised_reading(whole: str) -> None:
    expected = squeeze(reading_text(text_of(EDITION)))
    assert len(expected) > 15000
    assert squeeze(strip_editorial(whole)) == expected


def test_text_is_nfc_lf_utf8_without_layout_marks(txt_dir: Path) -> None:
    for path in txt_dir.rglob("*.txt"):
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        assert "\r" not in text and "\ufdd0" not in text and "\ufdd1" not in text
        assert unicodedata.normalize("NFC", text) == text
        assert text.endswith("\n") and not text.endswith("\n\n")
        assert "\n\n\n" not in text
        assert not re.search(r"[ \t]+\n", text), path.name


def test_one_file_per_unit_with_its_reading(txt_dir: Path) -> None:
    tei = xmlio.parse_file(EDITION).getroot()
    units = tei.xpath("//t:text//t:div[@type='item' or @type='preface']", namespaces=NS)
    files = sorted((txt_dir / "items").glob("*.txt"))
    assert sorted(f.stem for f in files) == sorted(u.get(XML_ID) for u in units)
    for unit in units:
        text = (txt_dir / "items" / f"{unit.get(XML_ID)}.txt").read_text(encoding="utf-8")
        assert squeeze(strip_editorial(text)) == squeeze(reading_text(unit)), unit.get(XML_ID)


def test_headings_source_lines_gaps_and_notes(txt_dir: Path, whole: str) -> None:
    item = (txt_dir / "items" / "item01-feigong-dangjian.txt").read_text(encoding="utf-8")
    lines = item.split("\n")
    assert lines[0] == "为民服务聚合力 非公党建谱新篇"
    assert lines[2] == "〔来源：《福州组工通讯》2006年第3期，原书第3—6页〕"
    tei = xmlio.parse_file(EDITION).getroot()
    missing = tei.xpath("//t:div[@type='item'][t:gap[@unit='item']]", namespaces=NS)
    for unit in missing:
        text = (txt_dir / "items" / f"{unit.get(XML_ID)}.txt").read_text(encoding="utf-8")
        assert "〔原文未收" in text and "〔来源：《" in text
    notes = tei.xpath("//t:text//t:note", namespaces=NS)
    assert len(re.findall(r"〔注\d+：", whole)) == len(notes)


def test_diplomatic_reading_and_page_markers(tmp_path: Path) -> None:
    out = tmp_path / "d"
    result = CliRunner().invoke(main, ["build", str(MINI), "--out", str(out), "--format", "txt",
                                       "--reading", "diplomatic", "--page-markers"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    text = (out / "txt" / "edition-mini.txt").read_text(encoding="utf-8")
    assert "为农民兄弟倍受" in text and "备受" not in text.split("〔注")[0]
    assert squeeze(strip_editorial(text)) == squeeze(reading_text(text_of(MINI), "diplomatic"))
    tei = xmlio.parse_file(MINI).getroot()
    for pb in tei.xpath("//t:text//t:pb", namespaces=NS):
        assert text.count(f"〔第{pb.get('n')}页〕") == 1
    assert "陈文亮先后37次〔第4页〕深入" in text
    regular, _ = built(MINI, ("txt",))
    plain = (regular / "txt" / "edition-mini.txt").read_text(encoding="utf-8")
    assert "为农民兄弟备受" in plain and "〔第" not in plain
