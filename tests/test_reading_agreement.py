"""One reading everywhere: `stats`, the text output, the HTML and the EPUB show the
same reading of every unit, the one the XSLT core defines (issue 15).

The reference is the core's own reading (``tt:plain``, read through
``Document.facts()``); each output is reduced to its characters with its
editorial apparatus removed (what it adds in 〔…〕, page numbers, note calls).
"""

from __future__ import annotations

import json

import pytest

from tei_tools.query import load

from build_support import built, squeeze, strip_editorial
from conftest import EDITION, MINI
from query_support import ok


@pytest.fixture(scope="module", params=[EDITION, MINI], ids=["edition", "mini"])
def case(request):
    doc = load(request.param)
    out, _ = built(request.param, ("txt",))
    stats = json.loads(ok("stats", request.param, "--format", "json"))[0]
    return doc, out, stats


def test_stats_counts_the_core_reading_of_every_unit(case) -> None:
    doc, _, stats = case
    units = doc.facts().units
    assert len(units) >= 2
    assert [(u["file"], u["characters"]) for u in stats["units"]] == [
        (u.file, len(squeeze(u.reading))) for u in units]
    assert all(u.characters > 0 for u in units)


def test_text_output_of_every_unit_is_the_core_reading(case) -> None:
    doc, out, _ = case
    for unit in doc.facts().units:
        text = (out / "txt" / "items" / f"{unit.file}.txt").read_text(encoding="utf-8")
        assert squeeze(strip_editorial(text)) == squeeze(unit.reading), unit.file


def test_whole_text_output_has_the_characters_stats_counts(case) -> None:
    _doc, out, stats = case
    whole = next((out / "txt").glob("*.txt")).read_text(encoding="utf-8")
    assert len(squeeze(strip_editorial(whole))) == stats["characters"]
