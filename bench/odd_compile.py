"""Compile time of each exemplar ODD: tei-tools' ODD processor, and the TEI's pipeline as a peer.

    python bench/odd_compile.py [--runs 5] [--peer STYLESHEETS_DIR]

For each ODD in ``../shared/tei-odd/``, and the edition's own
``schema/tei-taijiang.odd``: the median of ``--runs`` in-process
compilations (RELAX NG + Schematron + compiled ODD) with ``p5subset.xml``
already loaded, and the time to load it (once per process). With ``--peer``,
a checkout of TEIC/Stylesheets (never part of this project) is run the way the
TEI does it: ``odds/odd2odd.xsl`` then ``odds/odd2relax.xsl`` with saxonche,
stylesheets compiled once, transforms timed. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXEMPLARS = ["tei_bare", "tei_minimal", "tei_lite", "tei_simplePrint", "tei_speech",
             "tei_corpus", "tei_drama", "tei_tite", "tei_all", "tei-taijiang"]


def odd_path(name: str) -> Path:
    """An exemplar of ../shared/tei-odd/, or the project's own ODD."""
    own = REPO / "schema" / f"{name}.odd"
    return own if own.is_file() else SHARED / "tei-odd" / f"{name}.odd"


def ours(runs: int) -> tuple[float, dict[str, float]]:
    from tei_tools.odd import compile_odd, load_source
    from tei_tools.odd.source import default_source

    t = time.perf_counter()
    source = load_source(default_source())
    load = time.perf_counter() - t
    times = {}
    for name in EXEMPLARS:
        samples = []
        for _ in range(runs):
            t = time.perf_counter()
            compile_odd(odd_path(name), source=source)
            samples.append(time.perf_counter() - t)
        times[name] = statistics.median(samples)
    return load, times


def peer(stylesheets: Path, runs: int) -> dict[str, float]:
    from saxonche import PySaxonProcessor

    times = {}
    with PySaxonProcessor(license=False) as proc, tempfile.TemporaryDirectory() as tmp:
        xslt = proc.new_xslt30_processor()
        odd2odd = xslt.compile_stylesheet(stylesheet_file=str(stylesheets / "odds/odd2odd.xsl"))
        odd2relax = xslt.compile_stylesheet(
            stylesheet_file=str(stylesheets / "odds/odd2relax.xsl"))
        odd2odd.set_parameter("defaultSource", proc.make_string_value(
            str(SHARED / "tei-p5" / "p5subset.xml")))
        for name in EXEMPLARS:
            samples = []
            for _ in range(runs):
                t = time.perf_counter()
                compiled = Path(tmp) / f"{name}.compiled"
                odd2odd.transform_to_file(source_file=str(odd_path(name)),
                                          output_file=str(compiled))
                odd2relax.transform_to_file(source_file=str(compiled),
                                            output_file=str(Path(tmp) / f"{name}.rng"))
                samples.append(time.perf_counter() - t)
            times[name] = statistics.median(samples)
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--peer", type=Path, help="a TEIC/Stylesheets checkout")
    args = parser.parse_args(argv)
    load, mine = ours(args.runs)
    theirs = peer(args.peer, args.runs) if args.peer else {}
    print(f"p5subset.xml load (once per process): {load:.3f} s\n")
    print("| ODD | tei-tools odd compile (median) | TEI odd2odd + odd2relax (median) | ratio |")
    print("| --- | --- | --- | --- |")
    for name in EXEMPLARS:
        other = theirs.get(name)
        cells = [name, f"{mine[name]:.3f} s", f"{other:.3f} s" if other else "–",
                 f"{other / mine[name]:.1f}× faster" if other else "–"]
        print("| " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
