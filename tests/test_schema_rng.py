"""The project's RELAX NG: compiled from its ODD (schema/tei-taijiang.odd) by
``tei-tools odd compile``, admits the edition's encoding, rejects typos, closes
and documents every value list the project defines."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tei_tools.odd import compile_odd, write_compiled
from tei_tools.validation import project_schema, project_schematron, validate, validate_bytes

from conftest import MINI, REPO

ODD = REPO / "schema" / "tei-taijiang.odd"
TEI = "http://www.tei-c.org/ns/1.0"


def test_committed_rng_and_sch_are_compiled_from_the_odd(tmp_path: Path) -> None:
    written = {p.name: p for p in write_compiled(compile_odd(ODD), tmp_path)}
    for shipped in (project_schema(), project_schematron()):
        assert shipped.read_bytes() == written[shipped.name].read_bytes(), (
            f"schema/{shipped.name} is stale: run make schema "
            "(tei-tools odd compile schema/tei-taijiang.odd into schema/)")


def test_mini_edition_is_valid() -> None:
    report = validate([MINI], schematron=False, jobs=1)
    assert report.ok, [d.format() for d in report.diagnostics()]


TYPOS = [
    ('<div type="item" xml:id="item01-feigong-dangjian"',
     '<div type="iten" xml:id="item01-feigong-dangjian"',
     "RNG-ATTRIBUTE"),
    ('<persName ref="#per-chen-wenliang">陈文亮</persName>',
     '<persname ref="#per-chen-wenliang">陈文亮</persname>',
     "RNG-ELEMENT"),
    ('<pb n="20" xml:id="pb-20"/>', '<pb xml:id="pb-20"/>', "RNG-ATTRIBUTE-MISSING"),
    ('<pb n="4" cert="medium"', '<pb n="4" cert="maybe"', "RNG-ATTRIBUTE"),
    ('<gap reason="not-in-source" unit="item">', '<gap reason="not in source" unit="item">', "RNG-ATTRIBUTE"),
    ('<gap reason="not-in-source" unit="item">',
     '<gap reason="not-in-source" unit="items">',
     "RNG-ATTRIBUTE"),
    ('<note type="correction"', '<note type="corection"', "RNG-ATTRIBUTE"),
    ('<title level="j" ref="#wrk-fjrb">福建日报</title>',
     '<title level="journal" ref="#wrk-fjrb">福建日报</title>',
     "RNG-ATTRIBUTE"),
    ('<p xml:id="item01-feigong-dangjian-p1">', '<p xml:di="item01-feigong-dangjian-p1">', "RNG-ATTRIBUTE"),
    ('<figDesc>照片（原书未随来源文本保存）。</figDesc>',
     '<figdesc>照片（原书未随来源文本保存）。</figdesc>', "RNG-ELEMENT"),
    ('<head>目录</head>', '<heading>目录</heading>', "RNG-ELEMENT"),
    ('<list type="toc" xml:id="contents-list">', '<list type="toc" xml:id="contents-list">目录', "RNG-TEXT"),
]


@pytest.mark.parametrize("anchor, typo, code", TYPOS, ids=[t[1][:30] for t in TYPOS])
def test_a_typo_fails(anchor: str, typo: str, code: str) -> None:
    text = MINI.read_text(encoding="utf-8")
    assert anchor in text
    result = validate_bytes(text.replace(anchor, typo, 1).encode(), "typo.xml", schematron=False)
    assert not result.ok
    assert code in result.codes(), [d.format() for d in result.diagnostics]
    assert all(d.line and d.line > 1 for d in result.diagnostics)


def test_a_typo_in_an_items_source_fails_by_its_rule() -> None:
    # the grammar has one definition of div: that an item points to its record is TT-SRC-01
    text = MINI.read_text(encoding="utf-8")
    assert 'source="#src-item06"' in text
    result = validate_bytes(text.replace('source="#src-item06"', "", 1).encode(), "typo.xml")
    assert not result.ok and "TT-SRC-01" in result.codes()


def closed_value_lists() -> dict[str, list[str]]:
    """``spec/@attribute`` → values, for every value list the ODD defines."""
    odd = etree.parse(str(ODD))
    lists = {}
    for vl in odd.iter(f"{{{TEI}}}valList"):
        att = vl.getparent()
        spec = next(att.iterancestors(f"{{{TEI}}}elementSpec", f"{{{TEI}}}classSpec"))
        assert vl.get("type") == "closed", f"{spec.get('ident')}/@{att.get('ident')} is not closed"
        lists[f"{spec.get('ident')}/@{att.get('ident')}"] = [
            v.get("ident") for v in vl.iter(f"{{{TEI}}}valItem")]
    return lists


def test_the_project_closes_its_value_lists() -> None:
    lists = closed_value_lists()
    assert len(lists) >= 24
    assert lists["corr/@type"] == ["misprint", "misuse", "omission", "surplus", "punctuation"]
    assert lists["idno/@type"][-2:] == ["filename", "sha256"]
    for name, values in lists.items():
        assert values and len(set(values)) == len(values), name
