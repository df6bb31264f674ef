"""Correctness by verdicts: the TEI's exemplar ODDs, compiled here, judged like the TEI's grammars.

For each ODD in ``../shared/tei-odd/`` the project's grammar must give the
verdict of the grammar the TEI's own pipeline made (``reference/NAME.rng``;
for tei_all the official ``tei_all.rng``) on every corpus document and on
64 seeded mutants of documents that reference accepts (576 in all). jing
judges both, one JVM per grammar per ODD. The Schematron must hold the same
rules (context and test of each assert and report) as the TEI's extraction
(``reference/NAME.sch``). Each ODD is compiled once.
"""

from __future__ import annotations

import zlib
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from tei_tools.odd import compile_odd, load_source

from conftest import CORPUS, SHARED, TEI_ALL_RNG
from odd_support import jing_verdicts, mutants, seed_documents, vocabulary

ODDS = SHARED / "tei-odd"
EXEMPLARS = ["tei_bare", "tei_minimal", "tei_lite", "tei_simplePrint", "tei_speech",
             "tei_corpus", "tei_drama", "tei_tite", "tei_all"]
MUTANTS_EACH = 64
SEED_MAX_BYTES = 20_000  # seeds are cut down with lxml: keep them small


def _rules(schema: etree._Element) -> Counter[tuple[str, str]]:
    """Each assert/report of a Schematron as (rule context, test), whitespace normalised."""
    sch = "{http://purl.oclc.org/dsdl/schematron}"
    found: Counter[tuple[str, str]] = Counter()
    for rule in schema.iter(f"{sch}rule"):
        for check in rule:
            if check.tag in (f"{sch}assert", f"{sch}report"):
                found[(" ".join(rule.get("context", "").split()),
                       " ".join(check.get("test", "").split()))] += 1
    return found


def reference(name: str) -> Path:
    return TEI_ALL_RNG if name == "tei_all" else ODDS / "reference" / f"{name}.rng"


@pytest.fixture(scope="module")
def source():
    from tei_tools.odd.source import default_source
    return load_source(default_source())


@pytest.fixture(scope="module")
def pool():
    docs = sorted(CORPUS.glob("*.xml"))
    return docs, vocabulary(docs)


@pytest.mark.slow
@pytest.mark.parametrize("name", EXEMPLARS)
def test_same_verdicts_as_the_tei_pipeline(name, source, pool, tmp_path):
    docs, (names, values, donors) = pool
    result = compile_odd(ODDS / f"{name}.odd", source=source)
    reference_sch = etree.parse(str(ODDS / "reference" / f"{name}.sch")).getroot()
    assert _rules(etree.fromstring(result.sch)) == _rules(reference_sch), \
        f"{name}: the Schematron rules differ from the TEI's extraction"
    ours = tmp_path / f"{name}.rng"
    ours.write_bytes(result.rng)
    small = [d for d in docs if d.stat().st_size <= SEED_MAX_BYTES]
    seeds = seed_documents(reference(name), small)
    assert seeds, f"no document {name} accepts to mutate"
    made = mutants(seeds, MUTANTS_EACH, zlib.crc32(name.encode()), names, values, donors)
    assert len(made) == MUTANTS_EACH
    files = list(docs)
    for i, (operation, data) in enumerate(made):
        f = tmp_path / f"mutant-{i:02d}-{operation}.xml"
        f.write_bytes(data)
        files.append(f)
    theirs = jing_verdicts(reference(name), files)
    mine = jing_verdicts(ours, files)
    differ = [f.name for f in files if theirs[f] != mine[f]]
    assert not differ, f"{name}: verdicts differ on {differ}"
    verdicts = [theirs[f] for f in files[len(docs):]]
    assert any(verdicts) and not all(verdicts), "mutants must include valid and invalid ones"
