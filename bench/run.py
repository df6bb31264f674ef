"""The tei-tools benchmark (issue 7): ``make bench`` or ``.venv/bin/python bench/run.py``.

Measures validation, publishing and querying of the edition (cold process and
warm in-process), jing and a bare lxml parse side by side, scaling over
generated corpora of N documents with 1 and 2 workers, growth with document
size. Writes ``results.json`` and
``results.md`` into ``--out`` (default ``bench/results/``); a full run also
refreshes the generated block of ``BENCHMARKS.md``.

    bench/run.py                 # everything (about 15–25 minutes on 2 cores)
    bench/run.py --quick         # N=3 documents, 1 run each, no research, no large document
    bench/run.py --only 'edition.*'   # only cases whose id matches (fnmatch)
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import corpus
import measure
import report
from cases import REPO, Case, cli_call, python, tei_tools, workers_option

BENCH = Path(__file__).resolve().parent
TEI_ALL = str(corpus.TEI_ALL)
QUERY_XPATH = "count(//tei:p)"
QUERY_XQUERY = ("for $d in //tei:div[@type = 'item'] "
                "return string($d/@xml:id) || ' ' || count($d//tei:p)")
FLOOR_COLD = "import sys\nfrom tei_tools import xmlio\nfor f in sys.argv[1:]: xmlio.parse_file(f)"


def edition_cases(edition: Path, out: Path) -> list[Case]:
    e = str(edition)
    tt = tei_tools()
    size = edition.stat().st_size
    cases = [
        Case("edition.validate.project.cold", "edition", "validate, project RNG + Schematron (cold)",
             ("validate",), cold=[tt, "validate", e], memory=True),
        Case("edition.validate.project.warm", "edition", "validate, project RNG + Schematron (warm)",
             ("validate",), warm=lambda: cli_call(["validate", e])),
        Case("edition.validate.teiall.cold", "edition", "validate --schema tei_all.rng (cold)",
             ("validate", "--schema"), cold=[tt, "validate", "--schema", TEI_ALL, e], memory=True, runs=5),
        Case("edition.validate.teiall.warm", "edition", "validate --schema tei_all.rng (warm)",
             ("validate", "--schema"), warm=lambda: cli_call(["validate", "--schema", TEI_ALL, e])),
        Case("edition.jing.cold", "edition", "jing tei_all.rng (cold, side by side)",
             (), cold=["jing", TEI_ALL, e], memory=True),
        Case("edition.floor.cold", "edition", "floor: python + lxml parse, no validation (cold)",
             (), cold=[python(), "-c", FLOOR_COLD, e], memory=True),
        Case("edition.floor.warm", "edition", "floor: lxml parse of the bytes (warm)",
             (), warm=lambda: _floor_warm(edition)),
    ]
    for fmt in ("html", "epub", "txt"):
        cases.append(Case(f"edition.build.{fmt}.cold", "build",
                          f"build --format {fmt} (cold, validation included)", ("build", "--format"),
                          cold=[tt, "build", e, "--format", fmt, "--out", str(out / fmt)], memory=True))
    cases.append(Case("edition.build.all.cold", "build",
                      "build all three formats (cold, validation included)", ("build", "--format"),
                      cold=[tt, "build", e, "--format", "html,epub,txt", "--out", str(out / "all")],
                      memory=True))
    for fmt in ("html", "epub", "txt"):
        cases.append(Case(f"edition.build.{fmt}.warm", "build",
                          f"build --format {fmt} (warm, validation included)", ("build", "--format"),
                          warm=lambda fmt=fmt: cli_call(["build", e, "--format", fmt,
                                                         "--out", str(out / f"warm-{fmt}")])))
    cases.append(Case("edition.build.all.warm", "build", "build all three formats (warm)",
                      ("build", "--format"),
                      warm=lambda: cli_call(["build", e, "--format", "html,epub,txt",
                                             "--out", str(out / "warm")])))
    cases.append(Case("edition.query.xpath.cold", "query", f"query XPath `{QUERY_XPATH}` (cold)",
                      ("query",), cold=[tt, "query", QUERY_XPATH, e], memory=True))
    cases.append(Case("edition.query.xquery.cold", "query", "query --xquery (FLWOR over items) (cold)",
                      ("query", "--xquery"), cold=[tt, "query", "--xquery", QUERY_XQUERY, e], memory=True))
    for c in cases:
        c.size_bytes = size
    return cases


def _floor_warm(path: Path):
    from tei_tools import xmlio

    data = path.read_bytes()
    return lambda: xmlio.parse_bytes(data, str(path))


def scaling_cases(n: int, files: list[Path], work: Path, workers_list: list[int]) -> list[Case]:
    lst = work / f"list-{n}.txt"
    lst.write_text("\n".join(map(str, files)) + "\n", encoding="utf-8")
    size = sum(f.stat().st_size for f in files)
    tt = tei_tools()
    pool = [python(), str(BENCH / "pool.py")]
    opt = workers_option()
    cases = [
        Case(f"scale.{n}.jing", "scaling", "jing tei_all.rng, one process", (),
             cold=["jing", TEI_ALL, *map(str, files)], memory=True, workers=1),
        Case(f"scale.{n}.floor", "scaling", "floor: lxml parse only, one process", (),
             cold=[python(), "-c", FLOOR_COLD, *map(str, files)], memory=True, workers=1),
    ]
    for k in workers_list:
        if opt:
            cmd = [tt, "validate", opt, str(k), "--schema", TEI_ALL, "--no-schematron", *map(str, files)]
            req: tuple[str, ...] = ("validate", "--schema", "--no-schematron")
            how = f"tei-tools validate {opt} {k}"
        else:
            cmd = [*pool, "--workers", str(k), "--chunk", "25",
                   f"validate --schema {TEI_ALL} --no-schematron {{files}}", str(lst), str(work / "v")]
            req = ("validate", "--schema", "--no-schematron")
            how = "tei-tools validate in bench/pool.py workers"
        cases.append(Case(f"scale.{n}.validate.w{k}", "scaling", f"validate --schema tei_all ({how})", req,
                          cold=cmd, memory=True, workers=k))
        cases.append(Case(f"scale.{n}.build.w{k}", "scaling",
                          "build --no-validate all formats (bench/pool.py workers)",
                          ("build", "--format", "--no-validate"),
                          cold=[*pool, "--workers", str(k), "--chunk", "10",
                                "build {file} --no-validate --format html,epub,txt --out {out}",
                                str(lst), str(work / f"b{n}w{k}")], memory=True, workers=k))
    for c in cases:
        c.docs = n
        c.size_bytes = size
        c.runs = 3 if n < 1000 else (1 if ".build." in c.id else 2)
        c.sampled = True
    return cases


def size_cases(docs: list[tuple[str, Path]], out: Path) -> list[Case]:
    tt = tei_tools()
    cases = []
    for label, path in docs:
        p = str(path)
        size = path.stat().st_size
        for cid, title, req, cmd in (
            ("validate.project", "validate, project RNG + Schematron", ("validate",), [tt, "validate", p]),
            ("validate.teiall", "validate --schema tei_all.rng", ("validate", "--schema"),
             [tt, "validate", "--schema", TEI_ALL, p]),
            ("jing", "jing tei_all.rng", (), ["jing", TEI_ALL, p]),
            ("floor", "floor: lxml parse only", (), [python(), "-c", FLOOR_COLD, p]),
            ("build.txt", "build --format txt --no-validate", ("build", "--format", "--no-validate"),
             [tt, "build", p, "--no-validate", "--format", "txt", "--out", str(out / label / "txt")]),
            ("build.html", "build --format html --no-validate", ("build", "--format", "--no-validate"),
             [tt, "build", p, "--no-validate", "--format", "html", "--out", str(out / label / "html")]),
        ):
            cases.append(Case(f"size.{label}.{cid}", "size", title, req, cold=cmd, memory=True,
                              size_bytes=size, runs=3, sampled=True, tags={"doc": label}))
    return cases


def merge(old: dict, new: dict) -> dict:
    """``old`` results with the cases, breakdown and research that ``new`` measured replaced."""
    fresh = {r["id"]: r for r in new["cases"]}
    rows = [fresh.pop(r["id"], r) for r in old["cases"]] + list(fresh.values())
    merged = dict(old)
    merged["cases"] = rows
    for key in ("research", "breakdown"):
        if new.get(key):
            merged[key] = new[key]
    machine = dict(old["machine"])
    machine["merged"] = (f"{len(new['cases'])} case(s) re-measured {new['machine']['date_utc']} "
                         f"at git {new['machine']['git']} (`{new['machine']['command'].strip()}`)")
    merged["machine"] = machine
    return merged


def build_breakdown(edition: Path, runs: int) -> dict | None:
    """Medians over ``runs`` fresh processes of bench/breakdown.py (None if it cannot run)."""
    samples: list[dict[str, float]] = []
    for _ in range(runs):
        res = subprocess.run([python(), str(BENCH / "breakdown.py"), str(edition)], capture_output=True,
                             text=True, cwd=REPO)
        if res.returncode != 0:
            return {"error": (res.stderr.strip().splitlines() or ["?"])[-1][:300]}
        samples.append(json.loads(res.stdout))
    keys = list(samples[0])
    return {k: measure.Stats.of([s[k] for s in samples]).to_dict() for k in keys}


def run_case(case: Case, runs: int, quick: bool) -> dict:
    row: dict = {"id": case.id, "section": case.section, "title": case.title, "docs": case.docs,
                 "size_bytes": case.size_bytes, "workers": case.workers, "tags": case.tags,
                 "command": None if case.cold is None else _display(case.cold)}
    reason = case.unavailable()
    if reason:
        row.update(status="unavailable", reason=reason)
        print(f"  {case.id}: {reason}", file=sys.stderr)
        return row
    n = 1 if quick else (case.runs or runs)
    row["load_before"] = measure.loadavg()
    try:
        if case.cold is not None and case.sampled:
            mems = [measure.run_with_memory(case.cold, cwd=REPO, env=case.env) for _ in range(n)]
            stats, code = measure.Stats.of([m.wall for m in mems]), max(m.returncode for m in mems)
            row.update(kind="cold", stats=stats.to_dict(), exit_code=code,
                       memory={"tree_peak_mib": max(m.tree_peak_mib for m in mems),
                               "max_process_mib": max(m.max_process_mib for m in mems)})
            if code != 0:
                row["note"] = f"exit code {code}"
        elif case.cold is not None:
            stats, code = measure.hyperfine(case.cold, runs=n, warmup=0 if quick else case.warmup,
                                            cwd=REPO, env=case.env)
            row.update(kind="cold", stats=stats.to_dict(), exit_code=code)
            if case.memory:
                mem = measure.run_with_memory(case.cold, cwd=REPO, env=case.env)
                row["memory"] = {"tree_peak_mib": mem.tree_peak_mib, "max_process_mib": mem.max_process_mib}
            if code != 0:
                row["note"] = f"exit code {code} (see `{row['command'][:120]}`)"
        else:
            fn = case.warm()
            stats = measure.warm(fn, n if quick else max(n, 5))
            row.update(kind="warm", stats=stats.to_dict(), exit_code=0)
        row["status"] = "ok"
    except Exception as exc:  # a failing command is a result, not a crash of the benchmark
        row.update(status="failed", reason=f"{type(exc).__name__}: {str(exc).strip()[:300]}")
    row["load_after"] = measure.loadavg()
    s = row.get("stats")
    timing = f" median {s['median']:.3f}s [{s['min']:.3f}–{s['max']:.3f}]" if s else ""
    print(f"  {case.id}: {row['status']}{timing}", file=sys.stderr)
    return row


def _display(argv: list[str]) -> str:
    shown = [a.replace(str(REPO) + "/", "") for a in argv]
    if len(shown) > 12:
        shown = [*shown[:10], f"… ({len(shown) - 10} more)"]
    return " ".join(shown)


def machine() -> dict:
    def version(cmd: list[str]) -> str:
        try:
            res = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            return (res.stdout or res.stderr).strip().splitlines()[0]
        except (OSError, IndexError, subprocess.TimeoutExpired):
            return "?"

    from importlib.metadata import version as pkg

    from lxml import etree

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1048576:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    git = version(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    return {
        "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu, "cores": os.cpu_count(), "memory": mem,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "lxml": ".".join(map(str, etree.LXML_VERSION[:3])),
        "libxml2": ".".join(map(str, etree.LIBXML_VERSION)),
        "saxonche": pkg("saxonche"), "click": pkg("click"), "tei_tools": pkg("tei-tools"),
        "jing": version(["jing"]) if shutil.which("jing") else "absent",
        "java": version(["java", "-version"]),
        "hyperfine": version(["hyperfine", "--version"]),
        "git": git, "load_at_start": measure.loadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true",
                    help="N=3 documents, 1 run, no research, no large document")
    ap.add_argument("--runs", type=int, default=10, help="cold runs per single-document case (default 10)")
    ap.add_argument("--sizes", default="10,100,1000", help="corpus sizes N (default 10,100,1000)")
    ap.add_argument("--large-mb", type=float, default=10.0, help="size of the large document in MB")
    ap.add_argument("--only", action="append", default=[], help="fnmatch pattern on case ids (repeatable)")
    ap.add_argument("--no-research", action="store_true", help="skip the pruned-grammar verdict check")
    ap.add_argument("--mutants", type=int, default=20, help="mutants per document in the verdict check")
    ap.add_argument("--out", type=Path, default=BENCH / "results", help="where results.json/.md go")
    ap.add_argument("--update-md", type=Path, default=None,
                    help="BENCHMARKS.md whose generated block to refresh "
                         "(default: REPO/BENCHMARKS.md on a full run)")
    ap.add_argument("--merge", type=Path, default=None,
                    help="a previous results.json: keep its cases that this run does not measure, "
                         "replace the others (re-run what changed, e.g. with --only)")
    ns = ap.parse_args(argv)
    sizes = [3] if ns.quick else [int(x) for x in ns.sizes.split(",") if x]
    out = ns.out
    out.mkdir(parents=True, exist_ok=True)
    edition = corpus.edition_path()
    info = machine()
    info["edition"] = str(edition.relative_to(REPO)) if edition.is_relative_to(REPO) else str(edition)
    info["edition_bytes"] = edition.stat().st_size
    info["command"] = "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    rows: list[dict] = []
    research = None
    breakdown = None
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tei-bench-") as tmp:
        work = Path(tmp)
        cases = edition_cases(edition, work / "dist")
        for n in sizes:
            files = corpus.make_corpus(work / f"corpus-{n}", n)
            cases += scaling_cases(n, files, work, [1, 2])
        if not ns.quick:
            big_docs = [("x1", edition)]
            for mb in (1.0, ns.large_mb):
                path = work / f"large-{mb:g}MB.xml"
                path.write_bytes(corpus.large_document(int(mb * 1_000_000)))
                big_docs.append((f"{mb:g}MB", path))
            cases += size_cases(big_docs, work / "size-dist")
        if ns.only:
            cases = [c for c in cases if any(fnmatch.fnmatch(c.id, p) for p in ns.only)]
        print(f"bench: {len(cases)} cases, edition {info['edition']} ({info['edition_bytes']} bytes)",
              file=sys.stderr)
        for case in cases:
            rows.append(run_case(case, ns.runs, ns.quick))
        if not (ns.quick or ns.only):
            print("  breakdown of a cold build", file=sys.stderr)
            breakdown = build_breakdown(edition, ns.runs)
    info["elapsed_s"] = round(time.perf_counter() - started, 1)
    info["load_at_end"] = measure.loadavg()
    results = {"machine": info, "cases": rows, "research": research, "breakdown": breakdown,
               "settings": {"runs": 1 if ns.quick else ns.runs, "sizes": sizes, "quick": ns.quick}}
    if ns.merge:
        results = merge(json.loads(ns.merge.read_text(encoding="utf-8")), results)
    (out / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    md = report.render(results)
    (out / "results.md").write_text(md, encoding="utf-8")
    target = ns.update_md
    if target is None and not ns.quick and (ns.merge or not ns.only):
        target = REPO / "BENCHMARKS.md"
    if target is not None:
        report.update_block(target, md)
    print(f"bench: wrote {out / 'results.json'} and {out / 'results.md'}"
          + (f", refreshed {target}" if target else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
