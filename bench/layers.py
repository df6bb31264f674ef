"""In-process CPU of each output's transform, two ``xslt/`` trees alternated (issue 12).

    .venv/bin/python bench/layers.py --sizes 3 --runs 3 --xslt /work/peer/base4/xslt
    .venv/bin/python bench/layers.py --sizes 3,10 --formats html,txt --xslt OTHER/xslt

Each format's entry stylesheet (``html/edition.xsl``, ``epub/epub.xsl``,
``text/text.xsl``) of each tree is compiled once in one Saxon session and run
``--runs`` times on :func:`corpus.large_document`, the Saxon tree built once,
the trees alternating within each run, with the parameters the build gives it
(no downloads, no cover). ``time.process_time()`` around the run: the
transform and the writing of its result documents. Prints the median CPU
seconds per size, format and tree as a Markdown table (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

OWN_XSLT = HERE.parent / "xslt"

ENTRIES: dict[str, tuple[str, dict[str, object]]] = {
    "html": ("html/edition.xsl", {"reading": "regularised", "downloads": [], "item-texts": False}),
    "epub": ("epub/epub.xsl", {"identifier": "urn:uuid:00000000-0000-4000-8000-000000000000",
                               "description": "", "cover": "", "cover-alt": ""}),
    "txt": ("text/text.xsl", {"reading": "regularised", "page-markers": False,
                              "editorial": True, "basename": "text"}),
}
"""Format → its entry stylesheet under ``xslt/`` and the parameters of the run."""


def measure(sizes: list[float], runs: int, trees: dict[str, Path],
            formats: list[str]) -> dict[tuple[float, str, str], list[float]]:
    from tei_tools import xmlio
    from tei_tools.saxon import SaxonSession

    spent: dict[tuple[float, str, str], list[float]] = {}
    for mb in sizes:
        with tempfile.TemporaryDirectory(prefix="tei-tools-layers-") as tmp:
            work = Path(tmp)
            doc = work / f"large-{mb:g}mb.xml"
            doc.write_bytes(corpus.large_document(int(mb * 1_000_000)))
            session = SaxonSession()
            source = session.load_source(doc, xmlio.parse_file(doc))
            # an absolute name: the session compiles that file (outside its own xslt/)
            sheets = {(fmt, label): session.stylesheet(str((xslt / ENTRIES[fmt][0]).resolve()))
                      for fmt in formats for label, xslt in trees.items()}
            for _ in range(runs):
                for (fmt, label), sheet in sheets.items():
                    out = work / "out"
                    shutil.rmtree(out, ignore_errors=True)
                    t = time.process_time()
                    sheet.run(source, out, ENTRIES[fmt][1])
                    spent.setdefault((mb, fmt, label), []).append(time.process_time() - t)
            print(f"{mb:g} MB done, load {os.getloadavg()[0]:.1f}", file=sys.stderr)
    return spent


def table(spent: dict[tuple[float, str, str], list[float]], sizes: list[float],
          formats: list[str], labels: list[str]) -> str:
    head = [f"{mb:g} MB {label}" for mb in sizes for label in labels]
    lines = ["| transform (CPU s, median) | " + " | ".join(head) + " |",
             "| --- |" + " --- |" * len(head)]
    for fmt in formats:
        cells = [f"{statistics.median(spent[(mb, fmt, label)]):.2f}" for mb in sizes for label in labels]
        lines.append(f"| {fmt} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="3", help="megabytes, comma-separated")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--formats", default="html,epub,txt")
    ap.add_argument("--xslt", type=Path, help="a second xslt/ folder timed in the same runs")
    ap.add_argument("--own", type=Path, default=OWN_XSLT, help="the first xslt/ folder (this tree's)")
    args = ap.parse_args(argv)
    sizes = [float(s) for s in args.sizes.split(",")]
    formats = [f for f in args.formats.split(",") if f]
    unknown = [f for f in formats if f not in ENTRIES]
    if unknown:
        ap.error(f"unknown format {unknown[0]!r} (one of {', '.join(ENTRIES)})")
    trees = {"this tree": args.own}
    if args.xslt:
        trees["other"] = args.xslt
    print(table(measure(sizes, args.runs, trees, formats), sizes, formats, list(trees)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
