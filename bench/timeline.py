"""Where a ``validate -j 1`` and a ``-j 2`` run spend their time (issue 16): a timeline.

    .venv/bin/python bench/timeline.py DIR [--jobs 1,2fresh,2] [--schematron]

Runs what ``tei-tools validate --schema tei_all.rng [-j K] DIR`` runs, in this
process (the library's own steps, timed), with the work wrapped so that each
document's start and end and each worker's ``prepare()`` are stamped
(``time.time()``, same clock in every process). ``2fresh``: the local pool
with its workers started fresh from the fork server (``inherit=False``, as
before this pass); ``2``: as ``tei-tools`` runs it. Prints, per run, seconds
since the process started: client import, file collection, the client's
schema work (grammar read, embedded Schematron), the map (pool and workers
made), each worker's start (first stamp of the process), prepare, first and
last document (and its first batch's end), the last result in the client,
the JSON written; and CPU (user + sys) of the client and of the workers.
Grammar only unless ``--schematron`` (the embedded rules too).
"""

from __future__ import annotations

import time

T0 = time.time()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import tei_tools.cli  # noqa: E402, F401  (the client's imports, as the command has them)
from tei_tools.validation.runner import BoundChecks, DocumentChecks  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Timed:
    """A work and its stamps: each result comes back with (pid, start, end, prepared)."""

    work: DocumentChecks
    uses_saxon = True

    def preload(self) -> None:
        self.work.preload()

    def prepare(self, *, saxon: object) -> None:
        start = time.time()
        self.work.prepare(saxon=saxon)  # type: ignore[arg-type]
        os.environ["TIMELINE_PREPARED"] = f"{start} {time.time()}"

    def bind(self) -> TimedBound:
        return TimedBound(self.work.bind())

    def __call__(self, item: object, *, saxon: object) -> tuple[object, tuple[float, ...]]:
        return self.bind()(item, saxon=saxon)


@dataclass(frozen=True)
class TimedBound:
    bound: BoundChecks

    def __call__(self, item: object, *, saxon: object) -> tuple[object, tuple[float, ...]]:
        start = time.time()
        result = self.bound(item, saxon=saxon)  # type: ignore[arg-type]
        prepared = [float(x) for x in os.environ.get("TIMELINE_PREPARED", "0 0").split()]
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        return result, (os.getpid(), start, time.time(), *prepared, cpu.ru_utime + cpu.ru_stime)


def run(folder: str, jobs: str, schematron: bool) -> dict[str, object]:
    marks: dict[str, float] = {}

    def mark(what: str) -> None:
        marks[what] = time.time() - T0

    from tei_tools.executor import InProcess, LocalPool
    from tei_tools.saxon import SaxonSession
    from tei_tools.validation import relaxng, runner
    from tei_tools.validation.report import ValidationReport
    mark("client import")
    files = runner.collect_files([folder])
    mark("files collected")
    rng, sch = runner._schemas(REPO / "schema" / "tei_all.rng", None if schematron else False)
    relaxng.load_relaxng(rng)
    saxon = SaxonSession()
    loaded = runner._load_rules(rng, sch, None if schematron else False, schematron, saxon)
    checks = runner._checks(rng, sch, embedded=any(c.embedded for c in loaded))
    mark("client schema work")
    executor = (InProcess(saxon) if jobs == "1" else LocalPool(2, inherit=jobs != "2fresh"))
    from tei_tools.executor import DocumentRef
    got = []
    first_result = None
    for result in executor.map(Timed(checks), [DocumentRef(str(f)) for f in files]):
        if first_result is None:
            first_result = time.time() - T0
        got.append(result)
    mark("last result in the client")
    report = ValidationReport(tuple(r for r, _ in got), str(rng), None, ("x",))
    json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    mark("JSON written")
    workers: dict[int, dict[str, float]] = {}
    batch = 16
    for _, (pid, start, end, p0, p1, cpu) in got:
        w = workers.setdefault(int(pid), {"first document": start - T0, "prepare": p0 - T0,
                                          "prepared": p1 - T0, "docs": 0, "cpu": 0.0})
        w["docs"] += 1
        if w["docs"] == batch:
            w["first batch done"] = end - T0
        w["last document done"] = end - T0
        w["cpu"] = max(w["cpu"], cpu)
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    return {"jobs": jobs, "marks": marks, "first result": first_result,
            "client cpu": cpu.ru_utime + cpu.ru_stime, "workers": workers}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    ap.add_argument("--jobs", default="2", help="1, 2fresh or 2")
    ap.add_argument("--schematron", action="store_true")
    ns = ap.parse_args(argv)
    out = run(ns.folder, ns.jobs, ns.schematron)
    marks = out["marks"]
    assert isinstance(marks, dict)
    print(f"-j {out['jobs']}: " + ", ".join(f"{k} {v:.3f}" for k, v in marks.items())
          + f", first result {out['first result']:.3f}; client CPU {out['client cpu']:.2f} s")
    workers = out["workers"]
    assert isinstance(workers, dict)
    for pid, w in sorted(workers.items()):
        if out["jobs"] == "1":
            print(f"  in-process: first document {w['first document']:.3f}, first batch done "
                  f"{w.get('first batch done', 0):.3f}, last document done "
                  f"{w['last document done']:.3f}, {w['docs']} documents")
        else:
            print(f"  worker {pid}: prepare {w['prepare']:.3f}–{w['prepared']:.3f}, first document "
                  f"{w['first document']:.3f}, first batch done {w.get('first batch done', 0):.3f}, "
                  f"last document done {w['last document done']:.3f}, {w['docs']} documents, "
                  f"CPU {w['cpu']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
