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
ODD since #11); and, side by side, the XPath 1 engine the project used before
(lxml.isoschematron) on the project's XPath 1 rules of before #11
(``tests/fixtures/schema/tei-taijiang-legacy.sch``). Prints a Markdown table of medians (seconds).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
TEI_ALL = SHARED / "tei-p5" / "tei_all.rng"
CORPUS = SHARED / "corpus"
EDITION = REPO / "tei" / "taijiang-dangjian-2007.xml"
PROJECT_SCH = REPO / "schema" / "tei-taijiang.sch"
LEGACY_SCH = REPO / "tests" / "fixtures" / "schema" / "tei-taijiang-legacy.sch"


def one_run() -> dict[str, float]:
    from lxml import etree, isoschematron

    from tei_tools import xmlio
    from tei_tools.saxon import SaxonSession
    from tei_tools.validation import schematron as engine
    from tei_tools.validation.locate import SourceText

    out: dict[str, float] = {}
    t = time.perf_counter()
    saxon = SaxonSession()
    saxon.processor  # noqa: B018 - starts it
    out["start Saxon"] = time.perf_counter() - t

    def parsed(path: Path) -> tuple[etree._ElementTree, SourceText]:
        data = path.read_bytes()
        tree = xmlio.parse_bytes(data, str(path))
        return tree, SourceText(data, tree)

    edition = parsed(EDITION)
    corpus = [(p, *parsed(p)) for p in sorted(CORPUS.glob("*.xml"))]

    t = time.perf_counter()
    embedded = engine.load_embedded(TEI_ALL)
    out["tei_all embedded: read the grammar, extract 90 patterns / 100 checks"] = (
        time.perf_counter() - t)
    assert embedded is not None
    t = time.perf_counter()
    engine.check(embedded, *edition, str(EDITION), saxon=saxon)
    out["tei_all embedded, pruned: compile the edition's 18 patterns + run (1st)"] = (
        time.perf_counter() - t)
    t = time.perf_counter()
    engine.check(embedded, *edition, str(EDITION), saxon=saxon)
    out["tei_all embedded, pruned: run on the edition (again)"] = time.perf_counter() - t
    t = time.perf_counter()
    for path, tree, source in corpus:
        engine.check(embedded, tree, source, str(path), saxon=saxon)
    out[f"tei_all embedded, pruned: compile as needed + run on the corpus ({len(corpus)} files)"] = (
        time.perf_counter() - t)
    t = time.perf_counter()
    embedded = engine.CompiledSchematron(embedded.path, embedded.schema, True, prune=False)
    embedded.compile(saxon)
    out["tei_all embedded, whole: compile all 90 patterns (once, before forking)"] = (
        time.perf_counter() - t)
    t = time.perf_counter()
    engine.check(embedded, *edition, str(EDITION), saxon=saxon)
    out["tei_all embedded, whole: run on the edition"] = time.perf_counter() - t
    t = time.perf_counter()
    for path, tree, source in corpus:
        engine.check(embedded, tree, source, str(path), saxon=saxon)
    out[f"tei_all embedded, whole: run on the corpus ({len(corpus)} files)"] = (
        time.perf_counter() - t)

    t = time.perf_counter()
    project = engine.load_schematron(PROJECT_SCH, saxon=saxon)
    out["project rules: compile (this engine)"] = time.perf_counter() - t
    t = time.perf_counter()
    engine.check(project, *edition, str(EDITION), saxon=saxon)
    out["project rules: run on the edition (this engine)"] = time.perf_counter() - t

    t = time.perf_counter()
    old = isoschematron.Schematron(xmlio.parse_file(LEGACY_SCH), store_report=True)
    out["project rules: compile (lxml.isoschematron, before)"] = time.perf_counter() - t
    t = time.perf_counter()
    old.validate(edition[0])
    out["project rules: run on the edition (lxml.isoschematron, before)"] = (
        time.perf_counter() - t)
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
