"""Schematron on the project's engine (issue 10): compile and run times.

    .venv/bin/python bench/schematron.py            # 5 fresh processes, medians
    .venv/bin/python bench/schematron.py --runs 3 --json out.json

Each run is a fresh process that measures, in order: starting Saxon; reading
tei_all.rng and extracting its embedded Schematron; compiling (the project's
Schematron → XSLT compiler, then Saxon) and running it on the edition and on
the 16 files of ``../shared/corpus`` — first as a single-file run does it
(only the patterns that can fire on the document), then compiled whole as a
parallel run does before forking (each document parsed once beforehand; a
run's time includes building Saxon's tree of the document); the same for the
project's ``schema/tei-taijiang.sch`` on the edition (XPath 2, compiled from the
ODD since #11); tei_all's embedded rules as a worker runs them on a corpus
(``GENERATED`` documents of ``bench/corpus.py``, one session, the pattern set
grown as needed; warmed by one pass, then timed: CPU and wall, and how many
documents Saxon was asked for at all, a count, not seconds); and, side by
side, the XPath 1 engine the project used before (lxml.isoschematron) on the
project's XPath 1 rules of before #11
(``tests/fixtures/schema/tei-taijiang-legacy.sch``). Prints a Markdown table of medians (seconds).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEI_ALL = SHARED / "tei-p5" / "tei_all.rng"
CORPUS = SHARED / "corpus"
EDITION = REPO / "tei" / "taijiang-dangjian-2007.xml"
PROJECT_SCH = REPO / "schema" / "tei-taijiang.sch"
LEGACY_SCH = REPO / "tests" / "fixtures" / "schema" / "tei-taijiang-legacy.sch"


@contextlib.contextmanager
def timed(out: dict[str, float], label: str) -> Iterator[None]:
    """Record under ``label`` the wall time the block took."""
    start = time.perf_counter()
    yield
    out[label] = time.perf_counter() - start


GENERATED = 300


def _generated(n: int) -> list[tuple[object, object, str]]:
    """``n`` documents of :func:`corpus.make_corpus`, parsed (tree, source, name)."""
    import tempfile

    import corpus

    from tei_tools import xmlio
    from tei_tools.validation.locate import SourceText

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in corpus.make_corpus(Path(tmp), n):
            data = path.read_bytes()
            tree = xmlio.parse_bytes(data, str(path))
            out.append((tree, SourceText(data, tree), str(path)))
    return out


def one_run() -> dict[str, float]:
    from lxml import etree, isoschematron

    from tei_tools import xmlio
    from tei_tools.saxon import SaxonSession
    from tei_tools.validation import schematron as engine
    from tei_tools.validation.locate import SourceText

    out: dict[str, float] = {}
    with timed(out, "start Saxon"):
        saxon = SaxonSession()
        saxon.processor  # noqa: B018 - starts it

    def parsed(path: Path) -> tuple[etree._ElementTree, SourceText]:
        data = path.read_bytes()
        tree = xmlio.parse_bytes(data, str(path))
        return tree, SourceText(data, tree)

    edition = parsed(EDITION)
    corpus = [(p, *parsed(p)) for p in sorted(CORPUS.glob("*.xml"))]

    def on_corpus(compiled: engine.CompiledSchematron) -> None:
        for path, tree, source in corpus:
            engine.check(compiled, tree, source, str(path), saxon=saxon)

    with timed(out, "tei_all embedded: read the grammar, extract 90 patterns / 100 checks"):
        embedded = engine.load_embedded(TEI_ALL)
    assert embedded is not None
    with timed(out, "tei_all embedded, pruned: compile the edition's 18 patterns + run (1st)"):
        engine.check(embedded, *edition, str(EDITION), saxon=saxon)
    with timed(out, "tei_all embedded, pruned: run on the edition (again)"):
        engine.check(embedded, *edition, str(EDITION), saxon=saxon)
    with timed(out, f"tei_all embedded, pruned: compile as needed + run on the corpus "
                    f"({len(corpus)} files)"):
        on_corpus(embedded)
    with timed(out, "tei_all embedded, whole: compile all 90 patterns (once, before forking)"):
        whole = engine.CompiledSchematron(embedded.path, embedded.schema, True, prune=False)
        whole.compile(saxon)
    with timed(out, "tei_all embedded, whole: run on the edition"):
        engine.check(whole, *edition, str(EDITION), saxon=saxon)
    with timed(out, f"tei_all embedded, whole: run on the corpus ({len(corpus)} files)"):
        on_corpus(whole)

    generated = _generated(GENERATED)
    grown = engine.CompiledSchematron(embedded.path, embedded.schema, True)
    for tree, source, name in generated:  # the set grown, the stylesheets compiled
        engine.check(grown, tree, source, name, saxon=saxon)
    cpu = time.process_time()
    with timed(out, f"tei_all embedded, as a worker: check {GENERATED} generated documents"):
        for tree, source, name in generated:
            engine.check(grown, tree, source, name, saxon=saxon)
    out[f"… the same, CPU ({GENERATED} documents)"] = time.process_time() - cpu
    out[f"… documents Saxon is asked for (a count, of {GENERATED})"] = sum(
        grown.for_document(tree, saxon=saxon) is not None for tree, _, _ in generated)

    with timed(out, "project rules: compile (this engine)"):
        project = engine.load_schematron(PROJECT_SCH, saxon=saxon)
    with timed(out, "project rules: run on the edition (this engine)"):
        engine.check(project, *edition, str(EDITION), saxon=saxon)

    with timed(out, "project rules: compile (lxml.isoschematron, before)"):
        old = isoschematron.Schematron(xmlio.parse_file(LEGACY_SCH), store_report=True)
    with timed(out, "project rules: run on the edition (lxml.isoschematron, before)"):
        old.validate(edition[0])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run()))
        return
    runs = []
    for _ in range(args.runs):
        res = subprocess.run([sys.executable, __file__, "--one"], capture_output=True, text=True,
                             check=True, cwd=REPO, timeout=600)
        runs.append(json.loads(res.stdout.strip().splitlines()[-1]))
    medians = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    if args.json:
        args.json.write_text(json.dumps({"runs": runs, "medians": medians}, indent=2),
                             encoding="utf-8")
    print(f"| step (median of {args.runs} fresh processes) | seconds |")
    print("| --- | ---: |")
    for key, value in medians.items():
        print(f"| {key} | {value:.3f} |")


if __name__ == "__main__":
    main()
