"""Memory of long-lived build workers over many documents (issue 12).

    .venv/bin/python bench/worker_memory.py --docs 1000 --jobs 2 --format txt,html

Generates ``--docs`` variants of one small document (:func:`corpus.vary`), runs
``tei-tools build FOLDER --no-validate -j K`` once (the corpus build: K worker
processes that each build hundreds of documents) and samples the summed PSS of
its process tree every 50 ms. Prints the PSS after each tenth of the run's wall
time and the peak, in MiB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import MINI, Template, vary
from measure import _tree_rss_kib


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--format", default="txt,html")
    ap.add_argument("--template", type=Path, default=MINI,
                    help="the document varied (default: the miniature edition fixture)")
    ns = ap.parse_args(argv)
    tei_tools = Path(sys.executable).parent / "tei-tools"
    with tempfile.TemporaryDirectory(prefix="tt-worker-mem-") as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        template = Template(ns.template.name, ns.template.read_bytes())
        docs = []
        for i in range(ns.docs):
            docs.append(folder / f"doc-{i:05d}.xml")
            docs[-1].write_bytes(vary(template, i))
        argv_ = [str(tei_tools), "build", str(docs[0].parent), "--no-validate",
                 "-f", ns.format, "-j", str(ns.jobs), "--out", str(Path(tmp) / "out")]
        started = time.perf_counter()
        log = Path(tmp) / "stderr.txt"
        with log.open("wb") as err_file:  # a file, not a pipe: the build reports per document
            proc = subprocess.Popen(argv_, stdout=subprocess.DEVNULL, stderr=err_file)
            samples: list[tuple[float, int]] = []
            while proc.poll() is None:
                samples.append((time.perf_counter() - started, _tree_rss_kib(proc.pid)))
                time.sleep(0.05)
        wall = time.perf_counter() - started
        err = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        print(f"build exited {proc.returncode}: {err[-500:]}", file=sys.stderr)
        return 1
    tenths = []
    for k in range(1, 11):
        upto = [kib for t, kib in samples if t <= wall * k / 10]
        tenths.append(round(upto[-1] / 1024) if upto else 0)
    peak = round(max(kib for _, kib in samples) / 1024)
    print(f"{ns.docs} docs, -j {ns.jobs}, -f {ns.format}: {wall:.1f} s, "
          f"PSS by tenth of the run {tenths} MiB, peak {peak} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
