"""`tei-tools export timeline`: every dated expression with its ISO value (issue 6)."""

from __future__ import annotations

import json

import pytest

from query_support import CORPUS_FILES, IN_TEXT, MINI, NO_REGISTER, NS, csv_rows, ok, parse_file, xid, xpath

DATES = "//*[self::tei:date or self::tei:docDate or self::tei:origDate or self::tei:time]"


def test_every_dated_expression_of_the_text(edition) -> None:
    rows = csv_rows(ok("export", "timeline"))
    dates = xpath(edition, f"{DATES}[{IN_TEXT}]")
    assert len(rows) == len(dates) > 10
    for row, el in zip(rows, dates, strict=True):
        assert int(row["line"]) == el.sourceline
        assert row["when"] == (el.get("when") or "")
        assert row["cert"] == (el.get("cert") or "")
        assert row["text"] == " ".join("".join(el.itertext()).split())
        assert row["text"] in row["context"]
        item = el.xpath("ancestor::tei:div[@type='item'][1]", namespaces=NS)
        if item:
            assert row["item"] == xid(item[0])
        para = el.xpath("ancestor::tei:p[1]", namespaces=NS)
        if para:
            assert row["paragraph"] == xid(para[0])
        assert row["part"] == "text"
    assert any("\u4e00" <= ch <= "\u9fff" for r in rows for ch in r["text"])


def test_scope_all_adds_header_and_standoff(edition) -> None:
    rows = json.loads(ok("export", "timeline", "--scope", "all", "--format", "json"))
    assert len(rows) == len(xpath(edition, DATES))
    parts = {r["part"] for r in rows}
    assert "teiHeader" in parts and "text" in parts


def test_2007_filter_on_start_and_end(edition) -> None:
    rows = json.loads(ok("export", "timeline", "--format", "json"))
    in_2007 = [r for r in rows if r["start"] and r["start"][:4] <= "2007" <= (r["end"] or "")[:4]]
    expected = [d for d in xpath(edition, f"{DATES}[{IN_TEXT}]")
                if (d.get("when") or d.get("from") or d.get("notBefore") or "")[:4] <= "2007"
                <= (d.get("when") or d.get("to") or d.get("notAfter") or "")[:4] != ""]
    assert [r["line"] for r in in_2007] == [d.sourceline for d in expected]


def test_intervals_and_open_ends() -> None:
    rows = {r["text"]: r for r in json.loads(ok("export", "timeline", NO_REGISTER,
                                                "--format", "json"))}
    assert rows["2 July 1843"]["iso"] == "1843-07-02"
    assert (rows["1834 and 1835"]["iso"], rows["1834 and 1835"]["start"],
            rows["1834 and 1835"]["end"]) == ("1834/1835", "1834", "1835")
    assert rows["after 1840"]["iso"] == "1840/.." and rows["after 1840"]["cert"] == "low"
    assert "today" not in rows  # the header's date is outside the text


def test_mini_cert_and_context() -> None:
    rows = csv_rows(ok("export", "timeline", MINI))
    medium = [r for r in rows if r["cert"] == "medium"]
    assert [r["iso"] for r in medium] == [d.get("when") for d in xpath(
        parse_file(MINI), f"//tei:date[@cert='medium'][{IN_TEXT}]")]
    assert "袁荣祥" in medium[0]["context"] or "今年5月25日" in medium[0]["context"]


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_timeline_runs_on_every_corpus_file(path) -> None:
    tree = parse_file(path)
    rows = csv_rows(ok("export", "timeline", path))
    assert len(rows) == len(xpath(tree, f"{DATES}[{IN_TEXT}]"))
    data = json.loads(ok("export", "timeline", path, "--scope", "all", "--format", "json"))
    assert len(data) == len(xpath(tree, DATES))
