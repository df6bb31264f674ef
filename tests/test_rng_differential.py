"""Differential test against jing (#10): 1,600 seeded mutants of the corpus
(``tests/rng_mutants.py``), jing run once over the whole batch, our verdict
compared with jing's file by file. Slow: about two minutes on two cores."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rng_mutants import jing_verdicts, mutants

from tei_tools.validation import validate

from conftest import CORPUS, TEI_ALL_RNG

COUNT = 1600


@pytest.mark.slow
def test_verdicts_equal_jings_on_seeded_mutants(tmp_path: Path) -> None:
    batch = list(mutants(CORPUS, COUNT, seed=10))
    files = []
    for m in batch:
        path = tmp_path / m.name
        path.write_bytes(m.data)
        files.append(path)
    jing = jing_verdicts(TEI_ALL_RNG, files)
    # the grammar's verdict: jing runs no Schematron, so neither do we here
    report = validate(files, schema=TEI_ALL_RNG, embedded_schematron=False, jobs=2)
    ours = {Path(f.path).name: f.ok for f in report.files}
    how = {m.name: m.how for m in batch}
    differ = [f"{name}: jing {'valid' if jing[name] else 'invalid'}, ours "
              f"{'valid' if ours[name] else 'invalid'} ({how[name]})"
              for name in sorted(jing) if jing[name] != ours[name]]
    assert differ == []
    verdicts = Counter(jing.values())
    assert verdicts[True] >= 150 and verdicts[False] >= 800  # both verdicts well represented


def test_mutants_are_reproducible() -> None:
    first = [(m.name, m.data) for m in mutants(CORPUS, 40, seed=3)]
    again = [(m.name, m.data) for m in mutants(CORPUS, 40, seed=3)]
    assert first == again
    assert len({d for _, d in first}) == 40
    kinds = " ".join(m.how for m in mutants(CORPUS, 200, seed=3))
    for kind in ("rename", "move", "delete", "duplicate", "egXML", "repeated", "text into", "@"):
        assert kind in kinds
