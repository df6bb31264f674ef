"""`tei-tools stats`: counts computed independently with lxml (issue 6)."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from query_support import CORPUS_FILES, EDITION, IN_TEXT, MINI, NO_REGISTER, csv_rows, ok, parse_file, xpath

# The core's reading (xslt/core/editorial.xsl, mode plain): notes, figure and gap
# descriptions and gaps are not read; forme work (the rubric 台江区, the marker
# （下转 33 页）) is, as in the text output, the HTML and the EPUB.
UNREAD = ("note", "figDesc", "gap", "desc")
READ_TEXT = ("//tei:text[not(ancestor::tei:text)]//text()[not("
             + " or ".join(f"ancestor::tei:{n}" for n in UNREAD)
             + " or parent::tei:choice or ancestor::tei:sic[parent::tei:choice]"
               " or ancestor::tei:orig[parent::tei:choice]"
               " or ancestor::tei:abbr[parent::tei:choice])]")


def stats_of(path) -> dict:
    data = json.loads(ok("stats", path, "--format", "json"))
    assert len(data) == 1
    return data[0]


def expected(tree: etree._ElementTree) -> dict:
    def count(expr: str) -> int:
        return int(xpath(tree, f"count({expr})"))

    return {
        "items": count("//tei:div[@type='item']"),
        "paragraphs": count(f"//tei:p[{IN_TEXT}]"),
        "pages": count("//tei:pb"),
        "characters": sum(len("".join(t.split())) for t in xpath(tree, READ_TEXT)),
    }


@pytest.mark.parametrize("path", [EDITION, MINI, NO_REGISTER], ids=["edition", "mini", "plain"])
def test_text_counts(path) -> None:
    assert path.is_file(), path
    got = stats_of(path)
    want = expected(parse_file(path))
    assert {k: got[k] for k in want} == want


def test_edition_registers_interventions_and_gaps() -> None:
    tree = parse_file(EDITION)
    got = stats_of(EDITION)

    def count(expr: str) -> int:
        return int(xpath(tree, f"count({expr})"))

    for kind in ("person", "org", "place", "event"):
        assert got["register"][kind] == count(f"//tei:standOff//tei:{kind}")
    assert got["register"]["work"] == count("//tei:standOff//tei:listBibl/tei:bibl")
    assert got["interventions"]["choice corr/sic"] == count(
        f"//tei:choice[tei:sic and tei:corr][{IN_TEXT}]")
    assert got["interventions"]["note correction"] == count(
        f"//tei:note[@type='correction'][{IN_TEXT}]")
    assert got["interventions"]["supplied"] == count(f"//tei:supplied[{IN_TEXT}]")
    assert sum(got["gaps"].values()) == count(f"//tei:gap[{IN_TEXT}]")
    for reason, n in got["gaps"].items():
        assert n == count(f"//tei:gap[@reason='{reason}'][{IN_TEXT}]")
    assert got["mentions"]["person"] == count(f"//*[starts-with(@ref, '#per-')][{IN_TEXT}]")


def test_table_and_csv_forms() -> None:
    rows = csv_rows(ok("stats", MINI, "--format", "csv"))
    got = {(r["group"], r["name"]): int(r["count"]) for r in rows}
    assert got[("text", "items")] == expected(parse_file(MINI))["items"]
    assert got[("interventions", "choice corr/sic")] == 1
    table = ok("stats", MINI)
    assert table.splitlines()[0].split() == ["group", "name", "count"]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_stats_run_on_every_corpus_file(path) -> None:
    got = stats_of(path)
    tree = parse_file(path)
    assert got["pages"] == int(xpath(tree, "count(//tei:pb)"))
    assert got["paragraphs"] == int(xpath(tree, f"count(//tei:p[{IN_TEXT}])"))
    ok("stats", path)
    ok("stats", path, "--format", "csv")
