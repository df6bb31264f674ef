"""`tei-tools entities`: the registers with their mentions (issue 6).

Expected values come from lxml XPath on the edition, independently of
``tei_tools.query``.
"""

from __future__ import annotations

import json

import pytest
from lxml import etree

from query_support import (
    CORPUS_FILES,
    IN_TEXT,
    MINI,
    NO_REGISTER,
    NS,
    csv_rows,
    invoke,
    mentions_of,
    ok,
    parse_file,
    xid,
    xpath,
)

TYPES = {"person": "person", "org": "org", "place": "place", "event": "event"}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    return json.loads(ok("entities", "--format", "json"))


def _expected_units(tree: etree._ElementTree, ident: str) -> tuple[list[str], list[str]]:
    items: list[str] = []
    paragraphs: list[str] = []
    for el in mentions_of(tree, ident):
        item = el.xpath("ancestor::tei:div[@type='item'][1]", namespaces=NS)
        para = el.xpath("ancestor::tei:p[1]", namespaces=NS)
        for found, acc in ((item, items), (para, paragraphs)):
            if found and xid(found[0]) not in acc:
                acc.append(xid(found[0]))
    return items, paragraphs


@pytest.mark.parametrize("kind", ["person", "org", "place", "event"])
def test_register_count_equals_the_entries(edition: etree._ElementTree, kind: str) -> None:
    data = json.loads(ok("entities", "--type", kind, "--format", "json"))
    assert [r["id"] for r in data] == [xid(e) for e in xpath(edition, f"//tei:{kind}[@xml:id]")]
    assert {r["type"] for r in data} == {kind}


def test_works_are_the_standoff_bibliography(edition: etree._ElementTree) -> None:
    data = json.loads(ok("entities", "--type", "work", "--format", "json"))
    assert [r["id"] for r in data] == [
        xid(b) for b in xpath(edition, "//tei:standOff//tei:listBibl/tei:bibl[@xml:id]")]
    names = {r["id"]: r["name"] for r in data}
    for b in xpath(edition, "//tei:standOff//tei:listBibl/tei:bibl[@xml:id]"):
        assert names[xid(b)] == b.findtext("tei:title", namespaces=NS)


def test_names_pinyin_and_roles_come_from_the_register(edition: etree._ElementTree,
                                                       rows: list[dict]) -> None:
    by_id = {r["id"]: r for r in rows}
    for person in xpath(edition, "//tei:standOff//tei:person"):
        row = by_id[xid(person)]
        assert row["name"] == person.findtext("tei:persName[@xml:lang='zh-Hans']",
                                              namespaces=NS)
        assert row["pinyin"] == person.findtext("tei:persName[@xml:lang='zh-Latn-pinyin']",
                                                namespaces=NS)
        for occupation in person.findall("tei:occupation", NS):
            assert " ".join(occupation.itertext()).strip() in row["roles"]


def test_offices_written_in_mentions_are_roles(edition: etree._ElementTree,
                                                rows: list[dict]) -> None:
    by_id = {r["id"]: r for r in rows}
    for name in xpath(edition, f"//tei:persName[@ref][tei:roleName][{IN_TEXT}]"):
        ident = name.get("ref")[1:]
        for role in name.findall("tei:roleName", NS):
            assert "".join(role.itertext()) in by_id[ident]["roles"]


def test_mentions_items_and_paragraphs(edition: etree._ElementTree, rows: list[dict]) -> None:
    checked = 0
    for row in rows:
        if row["type"] == "date":
            continue
        elements = mentions_of(edition, row["id"])
        assert row["mentions"] == len(elements), row["id"]
        items, paragraphs = _expected_units(edition, row["id"])
        assert [i for i in row["items"] if i in items] == items, row["id"]
        assert [p for p in row["paragraphs"] if p in paragraphs] == paragraphs, row["id"]
        checked += row["mentions"]
    assert checked == len([el for el in xpath(edition, f"//*[@ref][{IN_TEXT}]")
                           if any(r["id"] == t[1:] for t in el.get("ref").split()
                                  for r in rows)])


def test_first_context_surrounds_the_first_mention(edition: etree._ElementTree,
                                                   rows: list[dict]) -> None:
    for row in rows:
        if row["type"] == "date" or not row["mentions"]:
            continue
        first = mentions_of(edition, row["id"])[0]
        text = " ".join("".join(first.itertext()).split())
        assert text in row["context"]
        # the core's context: at most 40 characters each side (xslt/core/mentions.xsl),
        # plus "…" where cut and a space kept next to the mention
        assert len(row["context"]) <= len(text) + 2 * (40 + 2)


def test_dates_are_grouped_by_iso_value(edition: etree._ElementTree) -> None:
    data = json.loads(ok("entities", "--type", "date", "--format", "json"))
    when = [d.get("when") for d in xpath(edition, f"//tei:date[@when][{IN_TEXT}]")]
    counts = {w: when.count(w) for w in when}
    got = {r["id"]: r["mentions"] for r in data if r["id"] in counts}
    assert got == counts


def test_csv_round_trips_with_chinese(edition: etree._ElementTree) -> None:
    rows = csv_rows(ok("entities", "--type", "person", "--format", "csv"))
    assert [r["name"] for r in rows] == [
        p.findtext("tei:persName[@xml:lang='zh-Hans']", namespaces=NS)
        for p in xpath(edition, "//tei:standOff//tei:person")]
    assert all(int(r["mentions"]) == len(mentions_of(edition, r["id"])) for r in rows)


def test_table_lists_every_entry(edition: etree._ElementTree) -> None:
    out = ok("entities", "--type", "org")
    for org in xpath(edition, "//tei:standOff//tei:org"):
        assert xid(org) in out


def test_without_registers_names_are_grouped_by_key_ref_and_text() -> None:
    data = json.loads(ok("entities", NO_REGISTER, "--format", "json"))
    tree = parse_file(NO_REGISTER)
    keyed = xpath(tree, f"//tei:persName[@key='ada'][{IN_TEXT}]")
    by_name = {(r["type"], r["id"] or r["name"]): r for r in data}
    assert by_name[("person", "ada")]["mentions"] == len(keyed)
    assert by_name[("person", "https://viaf.org/viaf/2487978")]["name"] == "Charles Babbage"
    texts = [" ".join(p.text.split()) for p in
             xpath(tree, f"//tei:persName[not(@key or @ref)][{IN_TEXT}]")]
    assert by_name[("person", "Mary Somerville")]["mentions"] == texts.count("Mary Somerville")
    assert by_name[("place", "London")]["mentions"] == len(
        xpath(tree, f"//tei:placeName[.='London'][{IN_TEXT}]"))
    assert by_name[("person", "the professor")]["type"] == "person"  # rs[@type=person]


def test_mini_fixture_counts() -> None:
    data = json.loads(ok("entities", MINI, "--format", "json"))
    tree = parse_file(MINI)
    assert len([r for r in data if r["type"] == "person"]) == len(xpath(tree, "//tei:person"))


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_entities_run_on_every_corpus_file(path) -> None:
    tree = parse_file(path)
    data = json.loads(ok("entities", path, "--format", "json"))
    registered = xpath(tree, "//tei:person[@xml:id] | //tei:org[@xml:id] | //tei:place[@xml:id]")
    listed = {(r["type"], r["id"]) for r in data}
    assert {(etree.QName(e).localname, xid(e)) for e in registered} <= listed
    mentioned = xpath(tree, f"//tei:persName[{IN_TEXT}] | //tei:placeName[{IN_TEXT}]")
    assert sum(r["mentions"] for r in data if r["type"] in ("person", "place")) >= len(mentioned)
    rows = csv_rows(ok("entities", path, "--format", "csv"))
    assert len(rows) == len(data)
    ok("entities", path)


def test_unknown_type_is_a_usage_error() -> None:
    assert invoke("entities", "--type", "cat", MINI).exit_code == 2
