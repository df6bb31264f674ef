"""Structural facts of the edition that the HTML, EPUB, text and query parts rely on
(issue 3; conventions in docs/encoding.md and tests/fixtures/edition-mini.xml)."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

import pytest
from lxml import etree

from tei_tools.xmlio import TEI_NS, XML_NS, parse_file

from conftest import EDITION, SOURCE_TXT

NS = {"t": TEI_NS}
XML_ID = f"{{{XML_NS}}}id"

ITEM_IDS = [
    "item01-feigong-dangjian", "item02-hexie-shequ", "item03-zuzhi-gongzuo",
    "item04-shequ-dangjian", "item05-chengxin-jingying", "item06-dangyuan-shifan",
    "item07-feigong-qiye", "item08-chengxin-duiwu", "item09-fengxian-duiwu",
    "item10-ningjuli-duiwu", "item11-chengxin-dian", "item12-xuanpin-shuji",
    "item13-pishi-chengxin", "item14-pishi-zujian",
]
# first page of each item, from the printed table of contents
FIRST_PAGES = [3, 7, 10, 12, 16, 20, 21, 22, 23, 25, 26, 27, 29, 31]
SECTIONS = {"sec-research": 5, "sec-press": 7, "sec-bulletins": 2}
# page starts: given by the TOC (no @cert) or inferred from the split paragraphs
PAGES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23, 25,
         26, 27, 28, 29, 31]
INFERRED_PAGES = {4: "medium", 5: "medium", 6: "medium", 8: "medium", 9: "medium",
                  11: "low", 13: "medium", 14: "medium", 15: "medium"}


@pytest.fixture(scope="module")
def tei() -> etree._ElementTree:
    return parse_file(EDITION)


def xp(tree: etree._ElementTree | etree._Element, path: str) -> list[etree._Element]:
    result = tree.xpath(path, namespaces=NS)
    assert isinstance(result, list)
    return result  # type: ignore[return-value]


def ids(tree: etree._ElementTree) -> dict[str, etree._Element]:
    return {el.get(XML_ID): el for el in tree.iter() if isinstance(el.tag, str) and el.get(XML_ID)}


def test_root_language_and_stable_idno(tei: etree._ElementTree) -> None:
    root = tei.getroot()
    assert root.get(f"{{{XML_NS}}}lang") == "zh-Hans"
    assert [i.text for i in xp(tei, "//t:publicationStmt/t:idno[@type='local']")] == [
        "taijiang-dangjian-2007"]
    assert xp(tei, "//t:revisionDesc/t:change/@when") == ["2026-12-01", "2026-11-26"]
    # rights in three parts: the encoding CC BY 4.0, the code MIT, the booklet's text restricted
    assert xp(tei, "//t:availability/@status") == ["restricted"]
    assert xp(tei, "//t:availability/t:licence/@target") == [
        "https://creativecommons.org/licenses/by/4.0/", "https://opensource.org/licenses/MIT"]
    assert "原书文本" in "".join(xp(tei, "//t:availability/t:p//text()"))


def test_digital_source_is_identified(tei: etree._ElementTree) -> None:
    """The header names the file the edition was transcribed from, by size and SHA-256."""

    (source,) = xp(tei, "//t:sourceDesc/t:bibl[@type='digital-source']")
    data = SOURCE_TXT.read_bytes()
    assert xp(source, "t:idno[@type='filename']/text()") == [SOURCE_TXT.name]
    assert xp(source, "t:idno[@type='sha256']/text()") == [hashlib.sha256(data).hexdigest()]
    extent = "".join(xp(source, "t:extent//text()"))
    assert f"{len(data):,} 字节".replace(",", " ") in extent
    newlines = data.count(b"\n")
    assert f"{newlines} 行" in extent


def test_edition_statement_and_responsibilities(tei: etree._ElementTree) -> None:
    (edition,) = xp(tei, "//t:editionStmt/t:edition")
    latest = xp(tei, "//t:revisionDesc/t:change[1]")[0]
    assert edition.get("n") == latest.get("n") == "1.0.0"
    assert xp(edition, "t:date/@when") == [latest.get("when")] == xp(tei, "//t:publicationStmt/t:date/@when")
    roles = [r.split("/")[-1] for r in xp(tei, "//t:titleStmt/t:respStmt/t:resp/@ref")]
    assert roles == ["edt", "mrk", "rev"]
    scheme = xp(tei, "//t:keywords/@scheme")[0]
    categories = {c.get(XML_ID) for c in xp(tei, f"//t:taxonomy[@xml:id='{scheme[1:]}']/t:category")}
    assert {r[1:] for r in xp(tei, "//t:keywords/t:term/@ref")} == categories


def test_fourteen_items_in_toc_order(tei: etree._ElementTree) -> None:
    items = xp(tei, "//t:body//t:div[@type='item']")
    assert [i.get(XML_ID) for i in items] == ITEM_IDS
    toc_targets = xp(tei, "//t:div[@type='contents']//t:item[starts-with(@xml:id, 'toc-item')]"
                          "/t:ref/@target")
    assert toc_targets == [f"#{i}" for i in ITEM_IDS]
    toc_pages = [int(v) for v in xp(
        tei, "//t:div[@type='contents']//t:item[starts-with(@xml:id, 'toc-item')]"
             "/t:num[@type='page']/@value")]
    assert toc_pages == FIRST_PAGES


def test_sections_hold_their_items(tei: etree._ElementTree) -> None:
    sections = xp(tei, "//t:body/t:div[@type='section']")
    assert {s.get(XML_ID): len(xp(s, "t:div[@type='item']")) for s in sections} == SECTIONS
    assert [s.get(XML_ID) for s in sections] == list(SECTIONS)


def test_each_item_source_resolves_to_its_biblstruct(tei: etree._ElementTree) -> None:
    table = ids(tei)
    for n, (item, page) in enumerate(zip(xp(tei, "//t:div[@type='item']"), FIRST_PAGES, strict=True), 1):
        source = item.get("source")
        assert source == f"#src-item{n:02d}"
        bibl = table[source[1:]]
        assert bibl.tag == f"{{{TEI_NS}}}biblStruct"
        assert bibl.getparent() is not None
        assert bibl.getparent().tag == f"{{{TEI_NS}}}listBibl"
        assert xp(bibl, "ancestor::t:sourceDesc")
        journal = xp(bibl, "t:monogr/t:title[@level='j']")[0]
        assert table[journal.get("ref")[1:]].getparent().get(XML_ID) == "register-works"
        assert xp(bibl, "t:analytic/t:title[@level='a']/text()")
        assert xp(bibl, "t:monogr/t:imprint/t:date/@when")
        reprint = xp(bibl, "t:relatedItem[@type='reprint']//t:biblScope[@unit='page']")
        assert int(reprint[0].get("from")) == page
        # the first page is known (TOC); a last page is inferred from the next start
        assert (reprint[0].get("cert") == "high") == (reprint[0].get("to") is not None)
        first_pb = xp(item, ".//t:pb")[0]
        assert int(first_pb.get("n")) == page and first_pb.get("cert") is None


def test_every_p_and_div_in_text_has_an_id(tei: etree._ElementTree) -> None:
    missing = [el.sourceline for el in xp(tei, "//t:text//t:p | //t:text//t:div")
               if not el.get(XML_ID)]
    assert missing == []


def test_paragraph_and_part_ids_follow_the_convention(tei: etree._ElementTree) -> None:
    for item in xp(tei, "//t:div[@type='item']"):
        item_id = item.get(XML_ID)
        paragraphs = [p.get(XML_ID) for p in xp(item, ".//t:p[not(ancestor::t:note)]")]
        assert paragraphs == [f"{item_id}-p{n}" for n in range(1, len(paragraphs) + 1)]
        for part in xp(item, ".//t:div"):
            assert part.get("type") == "part"
            assert re.fullmatch(re.escape(item_id) + r"-s\d+(-\d+)?", part.get(XML_ID))


def test_items_without_text_keep_head_and_gap(tei: etree._ElementTree) -> None:
    for item in xp(tei, "//t:div[@type='item']")[4:]:
        assert xp(item, "t:head/t:supplied[@reason='title-from-toc']")
        assert len(xp(item, "t:gap[@reason='not-in-source'][@unit='item']")) == 1
        assert xp(item, ".//t:p") == []
    for item in xp(tei, "//t:div[@type='item']")[:4]:
        assert xp(item, ".//t:p") and not xp(item, "t:gap")


def test_page_breaks(tei: etree._ElementTree) -> None:
    breaks = xp(tei, "//t:text//t:pb")
    numbers = [int(pb.get("n")) for pb in breaks]
    assert numbers == PAGES                   # never backwards, no page invented
    for pb in breaks:
        assert pb.get(XML_ID) == f"pb-{pb.get('n')}"
        assert pb.get("cert") == INFERRED_PAGES.get(int(pb.get("n")))


def test_column_breaks(tei: etree._ElementTree) -> None:
    columns = xp(tei, "//t:text//t:cb")
    assert len(columns) == 14
    # the column is known ("2") except in item 3 after the continuation marker
    assert Counter(cb.get("n") for cb in columns) == Counter({"2": 12, None: 2})
    assert not [cb for cb in columns if cb.get("n") is None and cb.get("cert") != "low"]
    assert Counter(cb.get("cert") for cb in columns) == Counter({"medium": 9, "low": 5})


def test_artefacts_of_item03(tei: etree._ElementTree) -> None:
    item = xp(tei, "//t:div[@xml:id='item03-zuzhi-gongzuo']")[0]
    assert [fw.get("type") for fw in xp(item, ".//t:fw")] == ["rubric", "continuation"]
    figure = xp(item, ".//t:figure")[0]
    assert figure.get(XML_ID) == "item03-zuzhi-gongzuo-fig1"
    assert "".join(xp(figure, "t:head//text()")) == "中共台江区委常委、组织部长陈高英"
    # the caption interrupts one sentence: 紧紧|figure|围绕
    assert (figure.getprevious().tag, figure.getprevious().get("n")) == (f"{{{TEI_NS}}}pb", "11")
    assert figure.getprevious().tail is None or figure.getprevious().tail.strip() == ""
    assert figure.tail.startswith("围绕")
    gap = xp(item, ".//t:fw[@type='continuation']/following-sibling::t:gap")[0]
    assert gap.get("reason") == "continuation-not-in-source"
    # the extent of the missing continuation is unknown: no quantity is invented
    assert gap.get("extent") == "unknown" and gap.get("quantity") is None
    # a continuation marker ends a column: a break (of unknown column) follows it
    after = gap.getnext()
    assert (after.tag, after.get("cert"), after.get("n")) == (f"{{{TEI_NS}}}cb", "low", None)
    assert after.getnext().get("type") == "editorial"
    # the booklet's pages: 10-11 known, the continuation's page 33 uncertain
    scopes = xp(tei, "//t:biblStruct[@xml:id='src-item03']/t:relatedItem//t:biblScope")
    assert [(b.get("from"), b.get("to"), b.get("cert")) for b in scopes] == [
        ("10", "11", "high"), ("33", "33", "low")]


# Every apparent misprint of items 1-4 and its decision (docs/encoding.md §10):
# corrected (sic -> corr, with its @cert) ...
CORRECTIONS = [
    ("item01-feigong-dangjian-p1", "必要措施", "的必要措施", "omission", "high"),
    ("item01-feigong-dangjian-p9", "乐观其成", "乐见其成", "misuse", "high"),
    ("item01-feigong-dangjian-p14", "；", "：", "punctuation", "high"),
    ("item02-hexie-shequ-p2", "认真地", "认真的", "misuse", "high"),
    ("item02-hexie-shequ-p3", "建设和谐社区力度", "建设和谐社区的力度", "omission", "medium"),
    ("item02-hexie-shequ-p6", "普遍的", "普遍地", "misuse", "high"),
    ("item02-hexie-shequ-p8", "横向到底", "横向到边", "misprint", "high"),
    ("item02-hexie-shequ-p8", "主人公", "主人翁", "misuse", "high"),
    ("item02-hexie-shequ-p9", "下嫁", "转嫁", "misuse", "medium"),
    ("item02-hexie-shequ-p9", "弘扬的", "弘扬", "surplus", "high"),
    ("item02-hexie-shequ-p10", "开展", "中开展", "omission", "high"),
    ("item03-zuzhi-gongzuo-p1", "倍受", "备受", "misuse", "high"),
    ("item03-zuzhi-gongzuo-p3", "扎实实地", "扎扎实实地", "omission", "high"),
    ("item04-shequ-dangjian-p9", "；", "：", "punctuation", "high"),
    ("item04-shequ-dangjian-p14", "实践中的产生的", "实践中产生的", "surplus", "high"),
]
# ... or kept as printed (a sic of its own), with the reason in a note.
KEPT = [
    ("item01-feigong-dangjian-p4", "担任医院保卫工作中"), ("item01-feigong-dangjian-p10", "析出"),
    ("item01-feigong-dangjian-p12", "“安家立户”"), ("item01-feigong-dangjian-p14", "理事会"),
    ("item02-hexie-shequ-p6", "有否存在"), ("item02-hexie-shequ-p7", "应急"),
    ("item02-hexie-shequ-p8", "的思想更加深入人心"), ("item02-hexie-shequ-p9", "份量"),
    ("item02-hexie-shequ-p10", "最大限度的整合"), ("item02-hexie-shequ-p11", "晓明"),
    ("item02-hexie-shequ-p11", "在加强管理"), ("item03-zuzhi-gongzuo-p2", "年青"),
    ("item03-zuzhi-gongzuo-p4", "其它"), ("item04-shequ-dangjian-p3", "六中全会中央"),
    ("item04-shequ-dangjian-p12", "其它"),
]


def text_of(element: etree._Element) -> str:
    return "".join(xp(element, ".//text()"))


def paragraph_of(element: etree._Element) -> str:
    return xp(element, "ancestor::t:p[1]")[0].get(XML_ID)


def test_every_apparent_misprint_has_a_recorded_decision(tei: etree._ElementTree) -> None:
    choices = xp(tei, "//t:text//t:choice")
    assert [(paragraph_of(c), text_of(xp(c, "t:sic")[0]), text_of(xp(c, "t:corr")[0]),
             xp(c, "t:corr/@type")[0], xp(c, "t:corr/@cert")[0]) for c in choices] == CORRECTIONS
    kept = xp(tei, "//t:text//t:sic[not(parent::t:choice)]")
    assert [(paragraph_of(k), text_of(k)) for k in kept] == KEPT
    for element, kind in [(c, "correction") for c in choices] + [(k, "editorial") for k in kept]:
        if kind == "correction":
            assert xp(element, "t:corr/@resp") == ["#editors"]
        note = element.getnext()
        assert note.tag == f"{{{TEI_NS}}}note" and note.get("type") == kind
        assert note.get("target") == f"#{element.get(XML_ID)}" and note.get("resp") == "#editors"
        assert len(text_of(note).strip()) >= 15, f"{element.get(XML_ID)}: the note gives a reason"


def test_editorial_declaration_lists_every_decision(tei: etree._ElementTree) -> None:
    correction = xp(tei, "//t:editorialDecl/t:correction")[0]
    listed = xp(correction, ".//t:list[@xml:id='correction-list']//t:ptr/@target")
    kept = xp(correction, ".//t:list[@xml:id='kept-list']//t:ptr/@target")
    assert sorted(listed) == sorted(f"#{c.get(XML_ID)}" for c in xp(tei, "//t:text//t:choice"))
    assert sorted(kept) == sorted(f"#{k.get(XML_ID)}"
                                  for k in xp(tei, "//t:text//t:sic[not(parent::t:choice)]"))
    assert (len(listed), len(kept)) == (len(CORRECTIONS), len(KEPT)) == (15, 15)
    assert "校改十五处" in text_of(correction) and "照录十五处" in text_of(correction)
    # the ordinary 的/地 misuse is corrected, no longer declared "少见或旧式而不误"
    assert "少见或旧式而不误" not in text_of(correction)


REGISTERS = {
    "persName": ("listPerson", "per-", 11),
    "orgName": ("listOrg", "org-", 27),
    "placeName": ("listPlace", "pla-", 12),
    "eventName": ("listEvent", "evt-", 4),
}


@pytest.mark.parametrize("name", list(REGISTERS))
def test_names_point_to_one_entry_of_their_register(tei: etree._ElementTree, name: str) -> None:
    register, prefix, size = REGISTERS[name]
    entries = {e.get(XML_ID) for e in xp(tei, f"//t:standOff/t:{register}/*")}
    assert len(entries) == size and all(e.startswith(prefix) for e in entries)
    refs = xp(tei, f"//t:text//t:{name}/@ref")
    assert len(refs) == len(xp(tei, f"//t:text//t:{name}")), f"every {name} carries @ref"
    for ref in refs:
        assert ref.startswith("#") and " " not in ref and ref[1:] in entries
    assert {r[1:] for r in refs} == entries, "every entry is referenced"


def test_works_register(tei: etree._ElementTree) -> None:
    works = {e.get(XML_ID) for e in xp(tei, "//t:standOff/t:listBibl/t:bibl")}
    assert len(works) == 11 and all(w.startswith("wrk-") for w in works)
    refs = {r[1:] for r in xp(tei, "//t:title/@ref")}
    assert refs == works
    # book-title marks stay outside the title element
    assert not [t for t in xp(tei, "//t:text//t:title") if "《" in "".join(t.itertext())]


def test_register_entries_carry_pinyin(tei: etree._ElementTree) -> None:
    entries = xp(tei, "//t:person | //t:org | //t:place | //t:event"
                      " | //t:listBibl[@xml:id='register-works']/t:bibl")
    assert len(entries) == 11 + 27 + 12 + 4 + 11
    for entry in entries:
        pinyin = xp(entry, "*[@xml:lang='zh-Latn-pinyin']/text()")
        assert len(pinyin) == 1 and re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", pinyin[0]), entry.get(XML_ID)
        assert xp(entry, "*[@xml:lang='zh-Hans']") and xp(entry, "t:note")


def test_dates_are_normalised(tei: etree._ElementTree) -> None:
    dates = xp(tei, "//t:text//t:date")
    assert len(dates) == 28
    for date in dates:
        assert (date.get("when") or (date.get("notBefore") and date.get("notAfter"))
                or (date.get("from") and date.get("to")))
    # the booklet's period, as printed on the title page, is a range
    (period,) = xp(tei, "//t:titlePage//t:date")
    assert (period.get("from"), period.get("to"), period.text) == \
        ("2006-07", "2007-06", "二〇〇六年七月——二〇〇七年六月")
    # the header's creation keeps that period and says what lies outside it
    creation = xp(tei, "//t:profileDesc/t:creation")[0]
    assert xp(creation, "t:date[@from='2006-07']/@to") == ["2007-06"]
    assert xp(creation, "t:date/@when") == ["2007-07", "2007-07-01", "2007-07-02", "2007-07-20"]
    # the journal issues of the TOC: the year is a date, the issue number data in the source record
    years = [d.get("when") for d in dates
             if d.getparent().get(XML_ID, "").startswith("toc-item") and d.text.endswith("年")]
    assert years == ["2006", "2006", "2006", "2007", "2007", "2007", "2007"]
    issues = [(b.get("from"), b.get("to"), b.text)
              for b in xp(tei, "//t:sourceDesc//t:biblScope[@unit='issue']")]
    assert issues == [("3", "3", "2006年第3期"), ("4", "4", "2006年第4期"), ("5", "5", "2006年第5期"),
                      ("1", "2", "2007年第1·2期"), ("3", "3", "2007年第3期"), ("9", "9", "2007年第9期"),
                      ("11", "11", "2007年第11期")]
    relative = {d.text: d.get("when") for d in dates if d.get("cert")}
    assert relative == {"今年5月25日": "2007-05-25", "7月20日": "2007-07-20", "去年": "2005",
                        "3月份": "2007-03"}


def test_occupations_cite_a_passage_naming_the_person(tei: etree._ElementTree) -> None:
    table = ids(tei)
    occupations = xp(tei, "//t:standOff//t:person/t:occupation")
    assert len(occupations) == 13
    for occupation in occupations:
        person = occupation.getparent().get(XML_ID)
        passage = table[occupation.get("source")[1:]]
        assert f"#{person}" in xp(passage, ".//t:persName/@ref"), (person, occupation.get("source"))


@pytest.mark.parametrize("name, suffix", [("note", "n"), ("choice", "c"), ("gap", "g")])
def test_notes_choices_and_gaps_have_stable_ids(tei: etree._ElementTree, name: str, suffix: str) -> None:
    """Anchors are derived from these ids (never from positions in the document):
    {nearest ancestor id}-{n|c|g}{k}; corrections keep their corr-{n}."""
    elements = xp(tei, f"//t:{name}")
    assert elements and all(e.get(XML_ID) for e in elements)
    for element in elements:
        own = element.get(XML_ID)
        if name == "choice" and re.fullmatch(r"corr-\d+", own):
            continue
        base = xp(element, "ancestor::*[@xml:id][1]")[0].get(XML_ID)
        assert re.fullmatch(re.escape(base) + rf"-{suffix}\d+", own), (own, base)
