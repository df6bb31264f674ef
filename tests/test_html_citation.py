"""What reference managers and citing scholars get from the HTML edition:
citation metadata in every page's head, anchors that survive edits, per-unit
downloads."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from tei_tools import xmlio
from tei_tools.publish.build import BuildOptions, build

from build_support import scan
from conftest import EDITION

NS = {"t": xmlio.TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def head_meta(page: Path) -> dict[str, list[str]]:
    """name → contents of the page's <meta name> (as Zotero's Embedded Metadata reads them)."""
    found: dict[str, list[str]] = {}
    for tag, attrs in scan(page).tags:
        a = dict(attrs)
        if tag == "meta" and "name" in a:
            found.setdefault(a["name"], []).append(a.get("content", ""))
    return found


def json_ld(page: Path) -> dict:
    html = page.read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, page.name
    return json.loads(blocks[0])


def test_every_page_carries_highwire_dublin_core_and_json_ld(site: Path, tei) -> None:
    title = " ".join(
        tei.findtext("t:teiHeader/t:fileDesc/t:titleStmt/t:title[@type='main']", namespaces=NS).split()
    )
    pages = sorted(site.glob("*.html"))
    assert len(pages) >= 22
    for page in pages:
        meta = head_meta(page)
        for name in (
            "citation_title",
            "citation_date",
            "citation_publisher",
            "citation_language",
            "DC.title",
            "DC.publisher",
            "DC.date",
            "DC.language",
            "DC.rights",
        ):
            assert meta.get(name) and meta[name][0].strip(), (page.name, name)
        assert meta["citation_language"] == ["zh"]
        assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", meta["citation_date"][0])
        data = json_ld(page)
        assert data["@context"] == "https://schema.org"
        if "citation_book_title" not in meta:  # the edition's own pages
            assert meta["citation_title"] == [title], page.name
            assert meta["citation_author"] == ["中共台江区委组织部"]
            assert data["@type"] == "Book" and data["name"] == title
            assert data["license"].startswith("https://creativecommons.org/")


def test_unit_pages_are_book_sections_with_pages_and_original_periodical(site: Path, tei) -> None:
    for item in tei.xpath("//t:text//t:div[@type='item']", namespaces=NS):
        ident = item.get(XML_ID)
        page = site / f"{ident}.html"
        meta = head_meta(page)
        src = tei.xpath(f"//t:biblStruct[@xml:id='{item.get('source')[1:]}']", namespaces=NS)[0]
        scope = src.find(".//t:relatedItem//t:biblScope[@unit='page']", NS)
        # Zotero: citation_book_title makes a bookSection; pages from first/last page
        assert meta["citation_book_title"][0].startswith("台江党建报道荟萃")
        assert meta["citation_firstpage"] == [scope.get("from")]
        assert meta["citation_lastpage"] == [scope.get("to") or scope.get("from")]
        authors = [" ".join(a.itertext()).strip() for a in src.iterfind("t:analytic/t:author", NS)]
        assert meta.get("citation_author", []) == authors, ident
        data = json_ld(page)
        assert data["@type"] == ["Chapter", "Article"]
        book, issue = data["isPartOf"]
        assert book["@type"] == "Book" and book["name"] == meta["citation_book_title"][0]
        assert issue["@type"] == "PublicationIssue"
        assert issue["isPartOf"] == {
            "@type": "Periodical",
            "name": src.findtext("t:monogr/t:title", namespaces=NS),
        }
        assert data["pageStart"] == scope.get("from")
        assert meta["DC.source"][0].startswith("《" + issue["isPartOf"]["name"] + "》")
    # an item with a known author and one without
    assert head_meta(site / "item02-hexie-shequ.html")["citation_author"] == ["中共台江区委组织部"]
    assert "citation_author" not in head_meta(site / "item01-feigong-dangjian.html")


def test_alternate_formats_are_linked_and_exist(site: Path, tei) -> None:
    for item in tei.xpath("//t:text//t:div[@type='item']", namespaces=NS):
        ident = item.get(XML_ID)
        page = site / f"{ident}.html"
        alternates = {
            dict(a)["type"]: dict(a)["href"]
            for t, a in scan(page).tags
            if t == "link" and dict(a).get("rel") == "alternate"
        }
        assert alternates == {
            "application/tei+xml": f"downloads/items/{ident}.xml",
            "text/plain": f"downloads/items/{ident}.txt",
            "application/epub+zip": "downloads/taijiang-dangjian-2007.epub",
        }, ident
        for href in alternates.values():
            assert (site / href).is_file()
            assert (
                f'href="{href}"' in page.read_text(encoding="utf-8").split("</head>", 1)[1]
            )  # also in the body


def test_each_unit_has_its_own_tei_with_resolving_pointers(site: Path, tei) -> None:
    for item in tei.xpath("//t:text//t:div[@type='item']", namespaces=NS):
        ident = item.get(XML_ID)
        part = xmlio.parse_file(site / "downloads" / "items" / f"{ident}.xml").getroot()
        div = part.find("t:text/t:body/t:div", NS)
        assert div.get(XML_ID) == ident
        assert etree.tostring(div, method="c14n") == etree.tostring(item, method="c14n") or "".join(
            div.itertext()
        ) == "".join(item.itertext())
        ids = {e.get(XML_ID) for e in part.iter() if e.get(XML_ID)}
        for el in part.xpath("//t:text//*[@ref]", namespaces=NS):
            for token in el.get("ref").split():
                assert token[1:] in ids, (ident, token)
        assert part.findtext("t:teiHeader/t:fileDesc/t:titleStmt/t:title", namespaces=NS)
        assert (
            part.find("t:teiHeader/t:fileDesc/t:sourceDesc/t:biblStruct", NS).get(XML_ID)
            == item.get("source")[1:]
        )


def test_each_unit_tei_carries_the_header_it_needs_with_the_editorial_principles(
    site: Path, tei
) -> None:
    """Title, licence, source, and the edition's encoding statements whole: the
    editorial declarations are the principles every unit was edited by."""
    edition_decl = tei.find("t:teiHeader/t:encodingDesc", NS)
    kept = [e.tag for e in edition_decl if isinstance(e.tag, str)]
    assert any(tag.endswith("}editorialDecl") for tag in kept)
    files = sorted((site / "downloads" / "items").glob("*.xml"))
    assert len(files) == 15
    for path in files:
        part = xmlio.parse_file(path).getroot()
        header = part.find("t:teiHeader", NS)
        assert header.findtext("t:fileDesc/t:titleStmt/t:title", namespaces=NS), path.name
        assert header.find("t:fileDesc/t:publicationStmt/t:availability/t:licence", NS) is not None
        assert header.find("t:fileDesc/t:sourceDesc/t:bibl[@type='edition']", NS) is not None
        assert etree.tostring(header.find(".//t:editorialDecl", NS), method="c14n") == \
            etree.tostring(tei.find(".//t:editorialDecl", NS), method="c14n"), path.name
        assert [e.tag for e in header.find("t:encodingDesc", NS) if isinstance(e.tag, str)] == kept
        ids = {e.get(XML_ID) for e in part.iter() if e.get(XML_ID)}
        for term in header.xpath("t:profileDesc//t:term[@ref]", namespaces=NS):
            assert term.get("ref")[1:] in ids, (path.name, term.get("ref"))


def _ids(page: Path) -> list[str]:
    return scan.__wrapped__(page).ids  # not cached: the same path is read twice


def test_anchors_do_not_move_when_text_is_added_earlier(tmp_path: Path, site: Path) -> None:
    """Ids come from the nearest xml:id and a local ordinal, never a position in the document."""
    tree = xmlio.parse_file(EDITION)
    root = tree.getroot()
    p1 = root.xpath("//t:p[@xml:id='item02-hexie-shequ-p1']", namespaces=NS)[0]
    # new mentions, a note and a whole new paragraph before the rest of item 2
    extra = etree.SubElement(p1, f"{{{xmlio.TEI_NS}}}placeName", ref="#pla-taijiang")
    extra.text = "台江"
    note = etree.SubElement(p1, f"{{{xmlio.TEI_NS}}}note")
    note.text = "新注。"
    new_p = etree.Element(f"{{{xmlio.TEI_NS}}}p")
    new_p.text = "新增一段，提及"
    etree.SubElement(new_p, f"{{{xmlio.TEI_NS}}}orgName", ref="#org-taijiang-zzb").text = "区委组织部"
    p1.addprevious(new_p)
    source = tmp_path / "edited.xml"
    tree.write(str(source), encoding="UTF-8", xml_declaration=True)
    out = tmp_path / "dist"
    build(source, out, BuildOptions(formats=("html",), validate=False))
    before = _ids(site / "item02-hexie-shequ.html")
    after = set(_ids(out / "html" / "item02-hexie-shequ.html"))
    # everything from the second paragraph on keeps its id
    start = before.index("item02-hexie-shequ-p2")
    kept = before[start:]
    assert len(kept) > 25
    assert [i for i in kept if i not in after] == []
    assert not any(re.match(r"tt-\d", i) for i in before)
    assert "item02-hexie-shequ-p1.orgName1" in before


def test_dates_in_the_text_carry_a_machine_readable_datetime(site: Path, tei) -> None:
    html = "".join(p.read_text(encoding="utf-8") for p in sorted(site.glob("*.html")))
    dates = [
        d
        for d in tei.xpath("//t:text//t:date[@when][not(@ref)]", namespaces=NS)
        if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", d.get("when"))
    ]
    assert len(dates) > 10
    for d in dates:
        shown = " ".join("".join(d.itertext()).split())
        assert re.search(rf'<time[^>]* datetime="{d.get("when")}"[^>]*>{re.escape(shown)}</time>', html), (
            d.get("when")
        )


@pytest.mark.slow
def test_each_unit_tei_is_valid_against_tei_all(site: Path) -> None:
    """jing (one JVM for all files) on the per-unit TEI downloads of the edition."""
    import subprocess

    from conftest import TEI_ALL_RNG

    files = sorted((site / "downloads" / "items").glob("*.xml"))
    assert len(files) == 15
    run = subprocess.run(
        ["jing", str(TEI_ALL_RNG), *map(str, files)], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout[:2000]


def test_json_ld_and_item_tei_survive_awkward_titles_comments_and_pis(tmp_path: Path, tei) -> None:
    """Every page's JSON-LD is serialised in one call and cut apart again, and a
    unit's TEI is copied whole unless it holds comments or processing
    instructions: a title made of the separator and JSON's special characters
    stays one record, and a unit with a comment and a PI loses both, nothing else."""
    tree = xmlio.parse_file(EDITION)
    root = tree.getroot()
    awkward = 'tt-json-ld-next-record","tt-json-ld-next-record",<\\/"'
    head = root.xpath("//t:div[@xml:id='item02-hexie-shequ']/t:head[1]", namespaces=NS)[0]
    for child in list(head):
        head.remove(child)
    head.text = awkward
    stand_in = root.xpath("(//t:text//t:div[@type='item'])[4]", namespaces=NS)[0]
    for child in list(stand_in.find("t:head", NS)):
        stand_in.find("t:head", NS).remove(child)
    stand_in.find("t:head", NS).text = "tt-json-ld-book"  # the string that stands for the Book
    p1 = root.xpath("(//t:text//t:div[@type='item'])[3]//t:p[1]", namespaces=NS)[0]
    p1.insert(0, etree.Comment(" an editor's note "))
    p1.append(etree.ProcessingInstruction("tt-mark", "x"))
    unit3 = p1.xpath("ancestor::t:div[@type='item'][1]", namespaces=NS)[0]
    source = tmp_path / "awkward.xml"
    tree.write(str(source), encoding="UTF-8", xml_declaration=True)
    out = tmp_path / "dist"
    build(source, out, BuildOptions(formats=("html",), validate=False))
    site = out / "html"
    units = root.xpath("//t:text//t:div[@type='item']", namespaces=NS)
    seen = {}
    for page in sorted(site.glob("*.html")):
        seen[page.stem] = json_ld(page)  # one block each, and it parses
    assert seen["item02-hexie-shequ"]["name"] == awkward
    assert seen["item02-hexie-shequ"]["@type"] == ["Chapter", "Article"]
    assert seen["index"]["@type"] == "Book"
    assert seen[stand_in.get(XML_ID)]["name"] == "tt-json-ld-book"
    book = {k: v for k, v in seen["index"].items() if k not in ("@context", "encoding")}
    assert seen[stand_in.get(XML_ID)]["isPartOf"][0] == book
    for unit in units:
        record = seen[unit.get(XML_ID)]
        assert record["encoding"][0]["contentUrl"] == f"downloads/items/{unit.get(XML_ID)}.xml"
    assert "<\\/" not in (site / "item02-hexie-shequ.html").read_text(encoding="utf-8").split("ld+json")[1]
    # the unit with a comment and a PI: both gone, the rest as in the edition
    part = xmlio.parse_file(site / "downloads" / "items" / f"{unit3.get(XML_ID)}.xml").getroot()
    body_div = part.find("t:text/t:body/t:div", NS)
    assert not body_div.xpath("//comment() | //processing-instruction()")
    for node in unit3.xpath(".//comment() | .//processing-instruction()"):
        node.getparent().remove(node)  # (their tails are empty here)
    assert etree.tostring(body_div, method="c14n") == etree.tostring(unit3, method="c14n")
    # a unit without either: its copy is the edition's unit
    unit1 = units[0]
    part1 = xmlio.parse_file(site / "downloads" / "items" / f"{unit1.get(XML_ID)}.xml").getroot()
    assert etree.tostring(part1.find("t:text/t:body/t:div", NS), method="c14n") == \
        etree.tostring(unit1, method="c14n")
