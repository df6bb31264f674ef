"""Catalogue records from the TEI header (issue #14): MARCXML read by pymarc,
MODS 3.8 and OAI Dublin Core checked against schemas, for the edition and for
every document of the shared corpus.

No Python, Debian or npm package ships the official MODS 3.8 or OAI-DC
schemas and the tests never fetch, so ``tests/fixtures/records/`` holds
their content models transcribed (the MODS one limited to the elements
tei-tools writes, and refusing the rest); the negative tests show that the
schemas reject what the official ones reject.
"""

from __future__ import annotations

import io
from pathlib import Path

import pymarc
import pytest
from click.testing import CliRunner
from lxml import etree

from tei_tools import xmlio
from tei_tools.cli import main
from tei_tools.records import FORMATS, record, records

from conftest import EDITION, MINI, REPO, corpus_files
from epub_support import built as built_epub

T = {"t": xmlio.TEI_NS}
MODS = {"m": "http://www.loc.gov/mods/v3"}
SCHEMAS = REPO / "tests" / "fixtures" / "records"


def _schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / name)))


MODS_SCHEMA = _schema("mods-3-8-subset.xsd")
DC_SCHEMA = _schema("oai_dc.xsd")


def marc(source: Path) -> pymarc.Record:
    parsed = pymarc.parse_xml_to_array(io.BytesIO(record(source, "marcxml").data), strict=True)
    assert len(parsed) == 1
    return parsed[0]


def header_text(source: Path, xpath: str) -> list[str]:
    tree = xmlio.parse_file(source)
    return [" ".join("".join(e.itertext()).split()) for e in tree.xpath(xpath, namespaces=T)]


def described_corpus() -> list[Path]:
    """The corpus documents that have a teiHeader (one has a German-named header)."""
    return [p for p in corpus_files() if xmlio.parse_file(p).getroot().xpath("t:teiHeader", namespaces=T)]


# ---- MARCXML, read by pymarc ----

def test_marc_title_compiler_and_relators() -> None:
    rec = marc(EDITION)
    assert rec["245"]["a"].rstrip(" /:") == header_text(EDITION, "//t:titleStmt/t:title[@type='main']")[0]
    assert rec["245"].indicator1 == "1", "a main entry exists"
    assert rec["245"]["c"] == "中共台江区委组织部"
    compiler = rec["110"]
    assert compiler["a"] == "中共台江区委组织部" and compiler.indicator1 == "2"
    assert compiler.get_subfields("4") == ["aut", "com"]
    assert compiler.get_subfields("e") == ["author", "compiler"]
    assert [f["a"] for f in rec.get_fields("246")] == header_text(
        EDITION, "//t:titleStmt/t:title[@xml:lang='en']")
    encoders = rec.get_fields("720")
    # the roles are the header's MARC relators (resp/@ref)
    assert [(f["a"], f["4"]) for f in encoders] == [
        ("tei-tools 编辑组", "edt"), ("tei-tools 编辑组（编码）", "mrk"), ("tei-tools 编辑组（审校）", "rev")]


def test_marc_fixed_fields_dates_and_language() -> None:
    rec = marc(EDITION)
    leader = str(rec.leader)
    assert len(leader) == 24 and leader[5:8] == "nam" and leader[9] == "a"
    fixed = rec["008"].data
    assert len(fixed) == 40
    assert fixed[6:15] == "r20262007", "this edition 2026, a reprint of the 2007 booklet"
    assert fixed[23] == "o" and fixed[35:38] == "chi"
    assert rec["041"].get_subfields("a") == ["chi", "eng"]
    assert rec["264"]["c"] == "2026" and rec["264"]["b"].startswith("tei-tools 编辑组")
    assert rec["005"].data == "20261201000000.0"


def test_marc_subjects_notes_rights_and_original() -> None:
    rec = marc(EDITION)
    assert [f["a"] for f in rec.get_fields("653")] == header_text(EDITION, "//t:keywords/t:term")
    assert rec["520"]["a"].startswith("本版为 tei-tools 项目的学术数字版")
    assert rec["500"]["a"] == header_text(EDITION, "//t:sourceDesc/t:bibl/t:note")[0]
    assert rec["540"]["u"] == "https://creativecommons.org/licenses/by/4.0/"
    original = header_text(EDITION, "//t:sourceDesc/t:bibl/t:title")[0]
    assert rec["534"]["t"] == original and rec["776"]["t"] == original
    assert rec["776"].indicator1 == "0" and rec["776"]["i"] == "Print version:"
    assert [f.tag for f in rec.get_fields("336", "337", "338")] == ["336", "337", "338"]


def test_marc_identifiers_match_the_epub() -> None:
    rec = marc(EDITION)
    standard = {(f.indicator1, f["a"], f.get("2") or f.get("q")) for f in rec.get_fields("024")}
    assert ("7", built_epub(EDITION).identifier, "urn") in standard
    assert ("8", "taijiang-dangjian-2007", "local") in standard
    assert rec["001"].data == "taijiang-dangjian-2007"


def test_marc_urls_and_identifiers_of_a_header_that_has_them(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8").replace(
        '<idno type="local">taijiang-dangjian-2007-mini</idno>',
        '<idno type="local">taijiang-dangjian-2007-mini</idno><idno type="DOI">10.5555/tt.1</idno>'
        '<idno type="ISBN">978-3-16-148410-0</idno><ptr target="https://example.org/edition/"/>', 1)
    doc = tmp_path / "with-ids.xml"
    doc.write_text(text, encoding="utf-8")
    rec = marc(doc)
    assert rec["020"]["a"] == "9783161484100"
    assert ("10.5555/tt.1", "doi") in {(f["a"], f.get("2")) for f in rec.get_fields("024")}
    assert [f["u"] for f in rec.get_fields("856")] == ["https://example.org/edition/"]
    mods = etree.fromstring(record(doc, "mods").data)
    assert MODS_SCHEMA.validate(mods), MODS_SCHEMA.error_log
    assert mods.xpath("m:location/m:url/text()", namespaces=MODS) == ["https://example.org/edition/"]


@pytest.mark.parametrize("source", described_corpus(), ids=lambda p: p.stem)
def test_marc_of_every_corpus_document(source: Path) -> None:
    rec = marc(source)
    titles = header_text(source, "/*/t:teiHeader/t:fileDesc/t:titleStmt/t:title")
    main_title = rec["245"]["a"].rstrip(" /:")
    assert main_title in titles or (not any(titles) and main_title in ("[Untitled]", "[无题]"))
    assert len(rec["008"].data) == 40


# ---- MODS 3.8 and OAI-DC against their schemas ----

@pytest.mark.parametrize("source", [EDITION, MINI, *described_corpus()], ids=lambda p: p.stem)
def test_mods_and_dc_are_schema_valid(source: Path) -> None:
    mods = etree.fromstring(record(source, "mods").data)
    assert MODS_SCHEMA.validate(mods), MODS_SCHEMA.error_log.last_error
    dc = etree.fromstring(record(source, "dc").data)
    assert DC_SCHEMA.validate(dc), DC_SCHEMA.error_log.last_error


def test_the_schemas_refuse_what_mods_and_oai_dc_refuse() -> None:
    mods = etree.fromstring(record(EDITION, "mods").data)
    mods.find("m:relatedItem", MODS).set("type", "collection")
    assert not MODS_SCHEMA.validate(mods)
    mods = etree.fromstring(record(EDITION, "mods").data)
    etree.SubElement(mods.find("m:titleInfo", MODS), "{http://www.loc.gov/mods/v3}subtitle")
    assert not MODS_SCHEMA.validate(mods), "MODS spells it subTitle"
    dc = etree.fromstring(record(EDITION, "dc").data)
    etree.SubElement(dc, "{http://purl.org/dc/elements/1.1/}author").text = "x"
    assert not DC_SCHEMA.validate(dc)


def test_mods_content() -> None:
    mods = etree.fromstring(record(EDITION, "mods").data)

    def x(path: str):  # the xpath result: a list for these paths
        return mods.xpath(path, namespaces=MODS)

    assert x("m:titleInfo[@usage='primary']/m:title/text()") == header_text(
        EDITION, "//t:titleStmt/t:title[@type='main']")
    assert x("m:titleInfo[@type='translated']/@lang") == ["eng"]
    primary = "m:name[@usage='primary'][@type='corporate']"
    assert x(primary + "/m:role/m:roleTerm[@type='code']/text()") == ["aut", "com"]
    assert x("m:originInfo/m:dateIssued[@keyDate='yes']/text()") == ["2026-12-01"]
    assert x("m:language/m:languageTerm/text()") == ["chi", "eng"]
    assert x("m:language[1]/m:scriptTerm/text()") == ["Hans"]
    assert x("m:relatedItem[@type='original']/m:originInfo/m:dateIssued/text()") == ["2007-07"]
    assert x("m:identifier[@type='uri']/text()") == [built_epub(EDITION).identifier]
    assert len(x("m:subject/m:topic")) == 7


def test_dc_content() -> None:
    dc = etree.fromstring(record(EDITION, "dc").data)

    def d(name: str) -> list[str | None]:
        return [e.text for e in dc.iterfind(f"{{http://purl.org/dc/elements/1.1/}}{name}")]

    assert d("creator") == ["中共台江区委组织部"]
    assert d("contributor") == ["tei-tools 编辑组", "tei-tools 编辑组（编码）", "tei-tools 编辑组（审校）"]
    assert d("title")[0] == header_text(EDITION, "//t:titleStmt/t:title[@type='main']")[0]
    assert d("type") == ["Text"] and d("date") == ["2026-12-01"]
    assert built_epub(EDITION).identifier in d("identifier")
    assert d("language")[0] == "zh-Hans" and len(d("subject")) == 7


# ---- the command and the build ----

@pytest.mark.parametrize("fmt", list(FORMATS))
def test_cli_prints_the_record(fmt: str) -> None:
    result = CliRunner().invoke(main, ["export", "record", str(MINI), "--format", fmt],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.encode("utf-8") == record(MINI, fmt).data


def test_cli_defaults_to_the_edition_and_marcxml() -> None:
    result = CliRunner().invoke(main, ["export", "record"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.encode("utf-8") == record(EDITION, "marcxml").data


def test_cli_bad_input(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["export", "record", str(tmp_path / "none.xml")])
    assert missing.exit_code == 2 and "none.xml: error: no such file" in missing.stderr
    (tmp_path / "x.xml").write_text("<x/>", encoding="utf-8")
    foreign = runner.invoke(main, ["export", "record", str(tmp_path / "x.xml"), "--format", "dc"])
    assert foreign.exit_code == 1 and "not a TEI document" in foreign.stderr
    assert foreign.stdout == ""
    no_header = runner.invoke(main, ["export", "record", str(REPO.parent / "shared" / "corpus"
                                                               / "p5test__testi18n.xml")])
    assert no_header.exit_code == 1 and "no teiHeader" in no_header.stderr
    (tmp_path / "bad.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<teiHeader',
                                      encoding="utf-8")
    broken = runner.invoke(main, ["export", "record", str(tmp_path / "bad.xml")])
    assert broken.exit_code == 1 and "bad.xml:2:" in broken.stderr and "Traceback" not in broken.stderr


def test_records_are_deterministic_and_named_by_the_stem() -> None:
    first = records(EDITION)
    assert [r.name for r in first] == ["taijiang-dangjian-2007.marcxml.xml",
                                       "taijiang-dangjian-2007.mods.xml",
                                       "taijiang-dangjian-2007.dc.xml"]
    assert [r.data for r in first] == [r.data for r in records(EDITION)]


def test_build_refuses_a_record_without_header_with_a_reason(tmp_path: Path) -> None:
    source = REPO.parent / "shared" / "corpus" / "p5test__testi18n.xml"
    result = CliRunner().invoke(main, ["build", str(source), "--no-validate", "-f", "records",
                                       "--out", str(tmp_path / "dist")])
    assert result.exit_code == 1
    assert "p5test__testi18n.xml: error: no teiHeader" in result.stderr
    assert not (tmp_path / "dist").exists(), "nothing half-written"


def test_build_writes_the_three_records(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(MINI), "-f", "records", "--out", str(tmp_path / "d")])
    assert result.exit_code == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "d" / "records").iterdir())
    assert written == sorted(r.name for r in records(MINI))
    for r in records(MINI):
        assert (tmp_path / "d" / "records" / r.name).read_bytes() == r.data
