"""Invalid documents explained, side by side with jing (issue #10).

Two cases, each command run alternately with jing in the same session,
cold (a new process per run), medians of ``--runs`` runs (default 5):

1. one invalid edition-size document (the edition with an unknown
   attribute on each ``div type="item"``) against ``tei_all.rng``:
   ``tei-tools validate --schema tei_all.rng --no-schematron`` vs ``jing``;
2. 1,000 documents (bench/corpus.py), 10 % made invalid the same way:
   ``tei-tools validate -j 2`` over the folder vs one ``jing`` call.

    .venv/bin/python bench/rng_vs_jing.py [--runs 5] [--out bench/results/rng.json]

Prints a Markdown table (and writes JSON with every time).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import corpus

REPO = Path(__file__).resolve().parents[1]
TT = str(REPO / ".venv" / "bin" / "tei-tools")
TEI_ALL = str(corpus.TEI_ALL)


def _break(data: bytes) -> bytes:
    return data.replace(b'<div type="item"', b'<div type="item" typo="x"').replace(
        b"<p>", b'<p typo="x">', 1)


def _time(argv: list[str]) -> tuple[float, int]:
    t = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t, proc.returncode


def side_by_side(ours: list[str], jing: list[str], runs: int) -> dict[str, object]:
    _time(ours), _time(jing)  # warm the file cache, untimed
    times: dict[str, list[float]] = {"ours": [], "jing": []}
    codes = set()
    for _ in range(runs):
        for name, argv in (("ours", ours), ("jing", jing)):
            seconds, code = _time(argv)
            times[name].append(round(seconds, 3))
            codes.add((name, code))
    return {"ours": times["ours"], "jing": times["jing"],
            "ours_median": statistics.median(times["ours"]),
            "jing_median": statistics.median(times["jing"]), "exit_codes": sorted(codes)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--out", type=Path, default=None)
    ns = ap.parse_args()
    results: dict[str, object] = {"runs": ns.runs}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        edition = corpus.edition_path()
        one = work / "invalid-edition.xml"
        one.write_bytes(_break(edition.read_bytes()))
        results["one"] = side_by_side([TT, "validate", "--schema", TEI_ALL, "--no-schematron", str(one)],
                                      ["jing", TEI_ALL, str(one)], ns.runs)
        results["one"]["bytes"] = one.stat().st_size  # type: ignore[index]
        files = corpus.make_corpus(work / "batch", ns.files)
        for i, f in enumerate(files):
            if i % 10 == 0:
                f.write_bytes(_break(f.read_bytes()).replace(b"<head>", b'<head typo="x">', 1))
        results["batch"] = side_by_side(
            [TT, "validate", "--schema", TEI_ALL, "--no-schematron", "-j", "2", str(work / "batch")],
            ["jing", TEI_ALL, *map(str, files)], ns.runs)
        results["batch"]["files"] = len(files)  # type: ignore[index]
    with open("/proc/loadavg", encoding="ascii") as f:
        results["load_at_end"] = float(f.read().split()[0])
    if ns.out:
        ns.out.parent.mkdir(parents=True, exist_ok=True)
        ns.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    one_r, batch_r = results["one"], results["batch"]
    print("| case | tei-tools | jing | ratio |\n|---|---|---|---|")
    for label, r in (("1 invalid edition-size document, cold", one_r),
                     (f"{ns.files} documents, 10 % invalid (-j 2 vs one jing call)", batch_r)):
        print(f"| {label} | {r['ours_median']:.2f} s | {r['jing_median']:.2f} s "  # type: ignore[index]
              f"| {r['ours_median'] / r['jing_median']:.2f}× |")  # type: ignore[index]
    print(f"(medians of {ns.runs} runs each, alternating; load at end {results['load_at_end']})")


if __name__ == "__main__":
    main()
