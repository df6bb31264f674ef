"""Before/after pairs of the N = 1,000 validation cases, alternated in one run (issue 16).

    .venv/bin/python bench/pairs.py --before /work/peer/base5/.venv/bin/tei-tools --pairs 4

Generates the corpus once (``bench/corpus.py``), warms each ``tei-tools``' bytecode
(``bench/corpora.py --bytecode``'s way), then runs ``validate --schema tei_all.rng
-j 1|-j 2`` (with the embedded Schematron, and grammar only) as before, after,
then after, before (the next pair)…, case by case: every process of a run sampled (CPU user + sys,
``bench/corpora.py``'s ``run``). Prints each run and the medians (wall, CPU,
-j 1 / -j 2) per side; ``--out`` keeps them as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
import corpora  # noqa: E402
import corpus  # noqa: E402

CASES = {"validate": [], "grammar": ["--no-embedded-schematron"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, help="the tei-tools before (another tree's)")
    ap.add_argument("--after", default=corpora.TEI_TOOLS)
    ap.add_argument("--pairs", type=int, default=4)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--out", type=Path)
    ns = ap.parse_args(argv)
    sides = {"before": ns.before, "after": ns.after}
    got: dict[str, list[dict[str, object]]] = {}
    with tempfile.TemporaryDirectory(prefix="tei-tools-pairs-") as tmp:
        work = Path(tmp)
        folder = work / "corpus"
        corpus.make_corpus(folder, ns.n)
        env = {side: corpora.with_bytecode(work, folder, tool) for side, tool in sides.items()}
        for pair in range(ns.pairs):
            for case, extra in CASES.items():
                for jobs in ("1", "2"):
                    order = list(sides.items())  # ABBA: a drift in load favours neither
                    for side, tool in (order if pair % 2 == 0 else order[::-1]):
                        argv_ = [tool, "validate", "--schema", corpora.TEI_ALL, *extra,
                                 "-j", jobs, str(folder)]
                        r = corpora.run(argv_, env=env[side])
                        key = f"{case}.j{jobs}.{side}"
                        got.setdefault(key, []).append(r)
                        print(f"pair {pair + 1} {key:<22} wall {r['wall']:6.2f} s  CPU "
                              f"{r['cpu']:6.2f} s  load {r['load']:5.2f}  rc {r['returncode']}",
                              file=sys.stderr, flush=True)
    print("| case | side | wall (median) | CPU (median) | -j 1 / -j 2 wall (median of pairs) | load |")
    print("|---|---|---:|---:|---:|---:|")
    for case in CASES:
        for side in sides:
            for jobs in ("1", "2"):
                rows = got[f"{case}.j{jobs}.{side}"]
                walls = [float(r["wall"]) for r in rows]  # type: ignore[arg-type]
                cpus = [float(r["cpu"]) for r in rows]  # type: ignore[arg-type]
                ratio = ""
                if jobs == "2":
                    ones = got[f"{case}.j1.{side}"]
                    ratios = [float(a["wall"]) / float(b["wall"])  # type: ignore[arg-type]
                              for a, b in zip(ones, rows, strict=True)]
                    ratio = f"{statistics.median(ratios):.2f}×"
                loads = [float(r["load"]) for r in rows]  # type: ignore[arg-type]
                print(f"| {case} -j {jobs} | {side} | {statistics.median(walls):.2f} s | "
                      f"{statistics.median(cpus):.2f} s | {ratio} | {min(loads):.1f}–{max(loads):.1f} |")
    if ns.out:
        ns.out.write_text(json.dumps(got, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
