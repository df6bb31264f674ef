"""Plain text output: the edition's reading, character for character."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei_tools import xmlio
from tei_tools.cli import main

from build_support import built, reading_text, squeeze, strip_editorial, text_body, text_of
from conftest import EDITION, MINI

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
    item = text_body((txt_dir / "items" / "item01-feigong-dangjian.txt").read_text(encoding="utf-8"))
    lines = item.split("\n")
    assert lines[0] == "［为民服务聚合力 非公党建谱新篇］"  # the title is supplied from the contents
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
        inferred = "（推定）" if pb.get("cert") else ""
        assert text.count(f"〔第{pb.get('n')}页{inferred}〕") == 1
    # the break fell inside the run 陈文亮先后37次|深入…乡村、: the marker waits for the comma
    assert "陈文亮先后37次深入" in text and "〔第4页" not in text.split("陈文亮先后37次深入")[1][:6]
    regular, _ = built(MINI, ("txt",))
    plain = (regular / "txt" / "edition-mini.txt").read_text(encoding="utf-8")
    assert "为农民兄弟备受" in plain and "〔第" not in plain


BREAKS = "，。；：！？、）》」』”’…—,.;:!?)"


def test_every_file_opens_with_its_metadata_header(txt_dir: Path) -> None:
    import json

    tei = xmlio.parse_file(EDITION).getroot()
    files = [txt_dir / "taijiang-dangjian-2007.txt", *sorted((txt_dir / "items").glob("*.txt"))]
    for path in files:
        text = path.read_text(encoding="utf-8")
        head = re.match(r"---\n(.*?)\n---\n\n", text, re.S)
        assert head, path.name
        fields = {k: json.loads(v) for k, v in (line.split(": ", 1) for line in head.group(1).split("\n"))}
        assert list(fields) == ["id", "title", "author", "date", "source", "licence", "rights", "version",
                                "reading"]
        assert fields["version"] == "2026-12-01" and fields["reading"] == "regularised"
        assert "CC BY 4.0" in fields["licence"]
        assert "https://creativecommons.org/licenses/by/4.0/" in fields["licence"]
        if path.parent.name == "items":
            unit = tei.xpath(f"//*[@xml:id='{path.stem}']", namespaces=NS)[0]
            assert fields["id"] == f"taijiang-dangjian-2007/{path.stem}"
            assert fields["title"] == " ".join("".join(unit.find("t:head", NS).itertext()).split())
            if unit.get("source"):
                src = tei.xpath(f"//*[@xml:id='{unit.get('source')[1:]}']", namespaces=NS)[0]
                authors = src.iterfind("t:analytic/t:author", NS)
                assert fields["author"] == "；".join("".join(a.itertext()) for a in authors)
                assert fields["source"].startswith("《") and fields["date"][:4].isdigit()
        else:
            assert fields["author"] == "中共台江区委组织部" and fields["date"] == "2007-07"
            booklet = "《台江党建报道荟萃（二〇〇六年七月——二〇〇七年六月）》"
            assert fields["source"] == booklet + "，中共台江区委组织部"


def test_notes_are_anchored_where_they_are_cited(txt_dir: Path, whole: str) -> None:
    tei = xmlio.parse_file(EDITION).getroot()
    for unit in tei.xpath("//t:text//t:div[@type='item'][.//t:note]", namespaces=NS):
        text = (txt_dir / "items" / f"{unit.get(XML_ID)}.txt").read_text(encoding="utf-8")
        notes = unit.xpath(".//t:note", namespaces=NS)
        anchors = re.findall(r"〔注(\d+)〕", text)
        assert anchors == [str(i) for i in range(1, len(notes) + 1)], unit.get(XML_ID)
        for n, note in enumerate(notes, 1):
            # the anchor follows the text the note stands after, the note comes after the text
            prior = note.xpath("preceding::text()[normalize-space()][ancestor::*[@xml:id=$u]][1]",
                               namespaces=NS, u=unit.get(XML_ID))
            at = text.index(f"〔注{n}〕")
            if prior:
                assert squeeze(prior[0])[-4:] in squeeze(text[:at])[-12:], (unit.get(XML_ID), n)
            else:  # a note before the unit's first words stands before them
                assert squeeze(strip_editorial(text[:at])) == "", (unit.get(XML_ID), n)
            assert text.index(f"〔注{n}：") > at


def test_page_markers_never_split_running_text(tmp_path: Path) -> None:
    out, _ = built(EDITION, ("txt",), page_markers=True)
    text = (out / "txt" / "taijiang-dangjian-2007.txt").read_text(encoding="utf-8")
    tei = xmlio.parse_file(EDITION).getroot()
    pbs = tei.xpath("//t:text//t:pb", namespaces=NS)
    markers = list(re.finditer(r"〔第(\d+)页(（推定）)?〕", text))
    assert [m.group(1) for m in markers] == [pb.get("n") for pb in pbs]
    for m, pb in zip(markers, pbs, strict=True):
        assert bool(m.group(2)) == (pb.get("cert") is not None)
        before = text[m.start() - 1] if m.start() else "\n"
        after = text[m.end()] if m.end() < len(text) else "\n"
        # after a punctuation mark, at a line start, or at a line end (a block, e.g. a figure, follows)
        assert before in BREAKS or before.isspace() or before == "〕" or after == "\n", \
            (pb.get("n"), text[m.start() - 12:m.end() + 4])
    # the case of the issue: 党组〔第5页〕织 is whole again
    assert "党组织及时向董事会反馈，〔第5页（推定）〕" in text
    # the characters are those of the reading, markers or not
    assert squeeze(strip_editorial(text)) == squeeze(reading_text(text_of(EDITION)))


def test_no_editorial_leaves_only_the_text(tmp_path: Path) -> None:
    out = tmp_path / "d"
    result = CliRunner().invoke(main, ["build", str(EDITION), "--out", str(out), "--format", "txt",
                                       "--no-editorial", "--page-markers"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    whole = (out / "txt" / "taijiang-dangjian-2007.txt").read_text(encoding="utf-8")
    assert 'reading: "regularised, no editorial matter"' in whole
    body = text_body(whole)
    assert not re.search(r"[〔〕［］]", body)
    assert squeeze(body) == squeeze(reading_text(text_of(EDITION)))
    item = text_body((out / "txt" / "items" / "item03-zuzhi-gongzuo.txt").read_text(encoding="utf-8"))
    assert not re.search(r"[〔〕［］]", item) and "来源" not in item.split("\n")[2]


def test_whole_text_holds_every_unit_file_in_order(txt_dir: Path, whole: str) -> None:
    """Each unit's file (after its header) stands in the whole text as it is,
    between blank lines, in the order of the units."""
    tei = xmlio.parse_file(EDITION).getroot()
    units = tei.xpath("//t:text//t:div[@type='item' or @type='preface']", namespaces=NS)
    at = 0
    for unit in units:
        text = (txt_dir / "items" / f"{unit.get(XML_ID)}.txt").read_text(encoding="utf-8")
        body = text.split("\n---\n\n", 1)[1].rstrip("\n")
        found = whole.find("\n\n" + body + "\n", at)
        assert found >= at, unit.get(XML_ID)
        at = found + len(body)


# The whole text as one string, finished at once (what text.xsl falls back to):
# the slotted whole text must be exactly that (text.xsl included, its package
# in use: a probe in a mode of its own, the initial one).
_ONE_STRING = """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0" xmlns:tt="urn:x-tei-tools" xmlns:p="urn:x-probe"
    default-mode="p:probe">
  <xsl:include href="{href}"/>
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:mode name="p:probe" on-no-match="fail"/>
  <xsl:template match="/" mode="p:probe">
    <xsl:value-of select="tt:finish(string-join((
        '〔' || $tt:edition-title || '（校改后读本）〕', $tt:BLOCK, tt:render(/*/tei:text),
        tt:notes-text(//tei:text//tei:note[empty(tt:unit-of(.))]))))"/>
  </xsl:template>
</xsl:stylesheet>"""


@pytest.mark.parametrize("source", [EDITION, MINI], ids=["edition", "mini"])
def test_slotted_whole_text_is_the_text_finished_at_once(source: Path, tmp_path: Path) -> None:
    from tei_tools.paths import xslt_dir
    from tei_tools.saxon import SaxonSession

    saxon = SaxonSession()
    sheet = (xslt_dir() / "text" / "text.xsl").resolve()
    probe = saxon.compile_text(_ONE_STRING.format(href=sheet.as_uri()), (tmp_path / "p.xsl").as_uri())
    at_once = saxon.run_to_string(probe, saxon.load_source(source).node, "probe")
    out, _ = built(source, formats=("txt",), validate=False)
    whole = (out / "txt" / f"{source.stem}.txt").read_text(encoding="utf-8")
    assert len(at_once) > 500
    assert whole.split("\n---\n\n", 1)[1] == at_once
