"""The project's schema is a strict subset of TEI P5 (tei_all.rng).

Two proofs: (1) structurally, every element the customisation defines exists
in tei_all, every parent → child edge and every attribute it allows is allowed
there too, and its closed value lists stay inside tei_all's closed lists;
(2) by example, every document of ours that the customisation accepts (the
edition and every valid fixture) is valid against tei_all as well."""

from __future__ import annotations

from pathlib import Path

import pytest

from tei_tools import xmlio
from tei_tools.validation import load_relaxng, project_schema, validate
from tei_tools.validation.relaxng import attribute_display, display_name

from conftest import EDITION, REPO, TEI_ALL_RNG

FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="module")
def grammars():
    ours = load_relaxng(project_schema()).grammar
    tei = load_relaxng(TEI_ALL_RNG).grammar  # compiled once per session (cached)
    return ours, tei


def test_every_element_exists_in_tei(grammars) -> None:
    ours, tei = grammars
    missing = sorted(display_name(n) for n in ours.elements if n not in tei.elements)
    assert missing == []
    assert all(n.startswith(f"{{{xmlio.TEI_NS}}}") for n in ours.elements)


def test_every_child_edge_is_allowed_by_tei(grammars) -> None:
    ours, tei = grammars
    extra = {display_name(n): sorted(display_name(c) for c in info.children - tei.elements[n].children)
             for n, info in ours.elements.items()}
    assert {k: v for k, v in extra.items() if v} == {}


def test_every_attribute_is_allowed_by_tei(grammars) -> None:
    ours, tei = grammars
    extra = {display_name(n): sorted(attribute_display(a) for a in set(info.attributes)
                                     - set(tei.elements[n].attributes))
             for n, info in ours.elements.items()}
    assert {k: v for k, v in extra.items() if v} == {}


def test_closed_values_stay_inside_teis_closed_lists(grammars) -> None:
    ours, tei = grammars
    outside = {}
    for n, info in ours.elements.items():
        for a, mine in info.attributes.items():
            theirs = tei.elements[n].attributes[a]
            if theirs.values and not theirs.free and not theirs.datatypes:
                if mine.free or mine.datatypes or not mine.values <= theirs.values:
                    outside[f"{display_name(n)}/@{attribute_display(a)}"] = sorted(mine.values - theirs.values)
    assert outside == {}


def our_valid_documents() -> list[Path]:
    candidates = sorted(FIXTURES.rglob("*.xml"))
    if EDITION.exists():
        candidates.insert(0, EDITION)
    report = validate(candidates, schematron=False, jobs=1)
    return [Path(f.path) for f in report.files if f.ok]


def test_our_valid_documents_are_valid_tei() -> None:
    documents = our_valid_documents()
    assert EDITION in documents, "the edition must be valid against the project schema"
    assert FIXTURES / "edition-mini.xml" in documents
    assert len(documents) >= 20
    report = validate(documents, schema=TEI_ALL_RNG, jobs=1)
    assert report.ok, [d.format() for d in report.diagnostics()]


ELEMENT_TYPOS = [
    ('<persName ref="#per-chen-wenliang">陈文亮</persName>',
     '<persname ref="#per-chen-wenliang">陈文亮</persname>'),
    ("<head>目录</head>", "<heading>目录</heading>"),
]


@pytest.mark.parametrize("anchor, typo", ELEMENT_TYPOS)
def test_an_element_typo_is_rejected_by_both(anchor: str, typo: str, tmp_path: Path) -> None:
    # (A typo in a value of ours, <div type="iten">, is caught by our closed
    # lists only: tei_all leaves div/@type open; see test_schema_rng.py.)
    text = (FIXTURES / "edition-mini.xml").read_text(encoding="utf-8")
    assert anchor in text
    path = tmp_path / "typo.xml"
    path.write_text(text.replace(anchor, typo, 1), encoding="utf-8")
    assert not validate([path], schematron=False, jobs=1).ok
    assert not validate([path], schema=TEI_ALL_RNG, jobs=1).ok
