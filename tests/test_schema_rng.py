"""The project's RELAX NG: generated from its compact source by trang, admits
the edition's encoding, rejects typos, documents every closed value list."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tei_tools.validation import project_schema, validate, validate_bytes

from conftest import MINI, REPO

RNC = REPO / "schema" / "tei-taijiang.rnc"
DOC = REPO / "docs" / "schema.md"


def test_committed_rng_is_trangs_output(tmp_path: Path) -> None:
    trang = shutil.which("trang")
    assert trang, "trang is installed by scripts/install-system-deps.sh"
    out = tmp_path / "tei-taijiang.rng"
    subprocess.run([trang, str(RNC), str(out)], check=True, capture_output=True, timeout=120)
    assert project_schema().read_bytes() == out.read_bytes(), (
        "schema/tei-taijiang.rng is stale: run trang schema/tei-taijiang.rnc schema/tei-taijiang.rng")


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
    ('source="#src-item06"', '', "RNG-ATTRIBUTE-MISSING"),
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


def closed_value_lists() -> dict[str, list[str]]:
    text = RNC.read_text(encoding="utf-8")
    lists = {}
    for name, body in re.findall(r"^(values\.[\w.]+) = (.+)$", text, flags=re.M):
        lists[name] = re.findall(r'"([^"]+)"', body)
    return lists


def test_closed_value_lists_sit_together_at_the_top() -> None:
    lists = closed_value_lists()
    assert len(lists) >= 20
    lines = RNC.read_text(encoding="utf-8").splitlines()
    positions = [i for i, ln in enumerate(lines) if ln.startswith("values.")]
    assert positions == list(range(positions[0], positions[0] + len(positions)))
    assert positions[0] < 40


def test_every_closed_value_is_documented() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for name, values in closed_value_lists().items():
        assert f"`{name}`" in doc, name
        for value in values:
            assert f"`{value}`" in doc, (name, value)
