"""Corpora and clusters (issue 16): validate and build N generated documents with 1
and 2 local workers and on a 2-worker Dask cluster on loopback; jing side by side.

    .venv/bin/python bench/corpora.py                  # N = 10, 100, 1000
    .venv/bin/python bench/corpora.py --sizes 10000 --only validate,jing
    .venv/bin/python bench/corpora.py --sizes 100 --only build,peer --peer /work/peer/Stylesheets

Every case is one cold command (``tei-tools validate|build … -j K`` or
``--scheduler``; ``jing tei_all.rng FILE…``), run ``--runs`` times (the best
is kept, the spread is recorded). Validation runs with the Schematron that
``tei_all.rng`` embeds (what ``tei-tools validate`` does) and, as the
``grammar`` cases, without it (``--no-embedded-schematron``: what jing
checks). With ``--peer DIR`` (a TEIC/Stylesheets checkout; Debian Saxon-HE,
as ``bench/growth.py`` runs it) the ``peer`` cases convert the same folder
to HTML and to text with the Stylesheets, one JVM per format over the whole
folder (Saxon's ``-s:DIR -o:DIR``; no validation, no EPUB: the Stylesheets'
EPUB needs a run per document). While it runs, every process of its tree
is sampled every 20 ms: the peak of each worker is its ``VmHWM``. A cluster
(``dask scheduler`` + two ``dask worker --nthreads 1`` on 127.0.0.1) is
started fresh for each cluster case, so a worker's peak is that case's; its
start-up is not timed. Writes ``bench/results/corpora.json`` and prints a
Markdown table (``--merge`` an earlier JSON to keep its other rows).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "tests"))
import corpus  # noqa: E402
from dask_support import LoopbackCluster  # noqa: E402

TEI_TOOLS = str(REPO / ".venv" / "bin" / "tei-tools")
TEI_ALL = str(REPO / "schema" / "tei_all.rng")


def _hwm_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a live process (``/proc/PID/stat``), 0 if gone."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _descendants(pid: int) -> list[int]:
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    kids = [int(c) for c in fh.read().split()]
                    out.extend(kids)
                    stack.extend(kids)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return out


def with_bytecode(work: Path, folder: Path, tei_tools: str = TEI_TOOLS) -> dict[str, str]:
    """An environment where Python keeps the modules' bytecode (under ``work``), as an
    installed wheel has it, warmed by one untimed run in-process and one with workers.

    With ``PYTHONDONTWRITEBYTECODE=1`` (set in this machine's sessions) every process
    (the client, the fork server) compiles the package's modules from source again."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    files = sorted(folder.glob("*.xml"))[:4]
    for jobs in ("1", "2"):
        subprocess.run([tei_tools, "validate", "--schema", TEI_ALL, "-j", jobs, *map(str, files)],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return env


def run(argv: list[str], workers: list[int] | None = None,
        env: dict[str, str] | None = None) -> dict[str, object]:
    """Run ``argv`` once (in ``env``, default this one); wall time, exit code, the
    client's and each worker's peak (MiB). The disk is synced first, untimed, so that
    the previous run's output is not written back during this one."""
    os.sync()
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}  # last seen per process (a process's last 20 ms is missed)
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid in [proc.pid, *_descendants(proc.pid), *(workers or [])]:
                kib = _hwm_kib(pid)
                if kib:
                    peaks[pid] = max(peaks.get(pid, 0), kib)
                cpu[pid] = max(cpu.get(pid, 0.0), _cpu_s(pid))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    for pid in workers or []:
        peaks[pid] = max(peaks.get(pid, 0), _hwm_kib(pid))
    client = peaks.pop(proc.pid, 0)
    helpers = sorted(peaks.values(), reverse=True)
    if workers is None:  # local pool: the forkserver itself is small; workers are the big ones
        helpers = [h for h in helpers if h > 30 * 1024] or helpers
    return {"wall": wall, "cpu": round(sum(cpu.values()), 2),
            "returncode": proc.returncode, "stderr": err.decode()[-500:],
            "client_mib": round(client / 1024, 1),
            "worker_peak_mib": round(helpers[0] / 1024, 1) if helpers else None,
            "load": round(os.getloadavg()[0], 2)}


def cases(n: int, folder: Path, files: list[Path], work: Path, only: set[str],
          peer: Path | None = None, tei_tools: str = TEI_TOOLS) -> list[dict]:
    out = []
    if "validate" in only:
        for k in (1, 2):
            out.append({"id": f"{n}.validate.j{k}", "n": n, "what": "validate", "mode": f"local -j {k}",
                        "workers": k, "argv": [tei_tools, "validate", "--schema", TEI_ALL,
                                               "-j", str(k), str(folder)]})
        out.append({"id": f"{n}.validate.dask", "n": n, "what": "validate", "mode": "Dask, 2 workers",
                    "workers": 2, "cluster": True,
                    "argv": [tei_tools, "validate", "--schema", TEI_ALL, "--scheduler", "{address}",
                             str(folder)]})
    if "grammar" in only:  # the grammar alone, as jing checks it
        for k in (1, 2):
            out.append({"id": f"{n}.grammar.j{k}", "n": n, "what": "validate",
                        "mode": f"grammar only, local -j {k}", "workers": k,
                        "argv": [tei_tools, "validate", "--schema", TEI_ALL, "--no-embedded-schematron",
                                 "-j", str(k), str(folder)]})
    if "jing" in only:
        out.append({"id": f"{n}.jing", "n": n, "what": "validate", "mode": "jing, one JVM", "workers": 1,
                    "argv": ["jing", TEI_ALL, *map(str, files)]})
    if "build" in only:
        for k in (1, 2):
            out.append({"id": f"{n}.build.j{k}", "n": n, "what": "build", "mode": f"local -j {k}",
                        "workers": k, "argv": [tei_tools, "build", str(folder), "--quiet", "-j", str(k),
                                               "--out", str(work / f"out-{n}-j{k}")]})
        out.append({"id": f"{n}.build.dask", "n": n, "what": "build", "mode": "Dask, 2 workers",
                    "workers": 2, "cluster": True,
                    "argv": [tei_tools, "build", str(folder), "--quiet", "--scheduler", "{address}",
                             "--out", str(work / f"out-{n}-dask")]})
    if "peer" in only and peer is not None:
        for fmt, profile in (("html", "html5"), ("txt", "txt")):
            out.append({"id": f"{n}.peer.{fmt}", "n": n, "what": "build",
                        "mode": f"TEI Stylesheets {fmt}, one JVM", "workers": 1,
                        "mkdir": str(work / f"out-{n}-peer-{fmt}"),
                        "argv": ["java", "-cp", str(SAXON_JAR), "net.sf.saxon.Transform",
                                 f"-s:{folder}", f"-xsl:{peer / 'profiles' / 'default' / profile / 'to.xsl'}",
                                 f"-o:{work / f'out-{n}-peer-{fmt}'}"]})
    return out


SAXON_JAR = Path("/usr/share/java/Saxon-HE.jar")


def sample(case: dict, work: Path, env: dict[str, str] | None = None) -> dict:
    """One cold run of ``case``."""
    for stale in work.glob("out-*"):
        shutil.rmtree(stale)
    if case.get("mkdir"):  # Saxon writes a folder's results into a folder that exists
        Path(case["mkdir"]).mkdir()
    if case.get("cluster"):
        with LoopbackCluster(workers=2) as cluster:
            argv = [a.replace("{address}", cluster.address) for a in case["argv"]]
            return run(argv, [p.pid for p in cluster.workers], env)
    return run(case["argv"], env=env)


def summarise(case: dict, samples: list[dict]) -> dict:
    """The best of ``samples`` (every wall and CPU time kept beside it)."""
    best = min(samples, key=lambda got: got["wall"])
    result = {k: v for k, v in case.items() if k not in ("argv", "mkdir")} | best
    result["walls"] = [round(got["wall"], 3) for got in samples]
    result["cpus"] = [got["cpu"] for got in samples]
    result["throughput"] = round(case["n"] / best["wall"], 1)
    result["command"] = " ".join(case["argv"][:4]) + " …"
    print(f"{case['id']:<22} {best['wall']:8.2f} s  walls {result['walls']}  CPU {result['cpus']}  "
          f"rc={best['returncode']}  "
          f"worker {best['worker_peak_mib']} MiB  client {best['client_mib']} MiB  load {best['load']}",
          file=sys.stderr, flush=True)
    return result


def measure(case: dict, runs: int, work: Path, env: dict[str, str] | None = None) -> dict:
    """``runs`` cold runs of ``case``, one after the other."""
    return summarise(case, [sample(case, work, env) for _ in range(runs)])


def interleaved(chosen: list[dict], runs: int, work: Path,
                env: dict[str, str] | None = None) -> dict[str, dict]:
    """``runs`` rounds of every case in ``chosen``, each round in the order opposite
    to the last (A B, B A, …): a machine that drifts during the rounds weighs on
    every case alike, and a pair's ratio can be read round by round (:func:`paired`)."""
    samples: dict[str, list[dict]] = {case["id"]: [] for case in chosen}
    for r in range(runs):
        for case in (chosen if r % 2 == 0 else chosen[::-1]):
            samples[case["id"]].append(sample(case, work, env))
    return {case["id"]: summarise(case, samples[case["id"]]) | {"interleaved": True}
            for case in chosen}


def paired(results: dict[str, dict]) -> list[str]:
    """For each N measured interleaved with both ``-j 1`` and ``-j 2``: the speed-up
    of each round (its ``-j 1`` wall over its ``-j 2`` wall) and their median."""
    lines = []
    for r in sorted(results.values(), key=lambda r: (r["what"], r["n"], r["id"])):
        one = results.get(r["id"].removesuffix(".j2") + ".j1")
        if not (r.get("interleaved") and r["id"].endswith(".j2") and one and one.get("interleaved")
                and len(one["walls"]) == len(r["walls"])):
            continue
        ratios = sorted(a / b for a, b in zip(one["walls"], r["walls"], strict=True))
        lines.append(f"{r['n']} {r['id'].split('.')[1]}: -j 1 / -j 2 round by round "
                     f"{', '.join(f'{x:.2f}×' for x in ratios)} (sorted); "
                     f"median {statistics.median(ratios):.2f}×")
    return lines


def table(results: dict[str, dict]) -> str:
    rows = sorted(results.values(), key=lambda r: (r["what"], r["n"], r["mode"]))
    lines = ["| N | task | how | wall | docs/s | speed-up vs -j 1 | peak per worker | client peak "
             "| exit | load |",
             "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        one = results.get(f"{r['n']}.{r['id'].split('.')[1]}.j1")
        jing = r["mode"] == "jing, one JVM" or r["mode"].startswith("TEI Stylesheets")
        speed = f"{one['wall'] / r['wall']:.2f}×" if one and not jing else "–"
        worker = f"{r['worker_peak_mib']} MiB" if r["worker_peak_mib"] and not jing else "(in the client)"
        lines.append(f"| {r['n']} | {r['what']} | {r['mode']} | {r['wall']:.2f} s | {r['throughput']} | "
                     f"{speed} | {worker} | {r['client_mib']} MiB | {r['returncode']} | {r['load']} |")
    return "\n".join(lines)


def report(results: dict[str, dict]) -> str:
    """The table, then the round-by-round ratios of the pairs measured interleaved."""
    return "\n".join([table(results), *paired(results)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100,1000")
    ap.add_argument("--only", default="validate,grammar,jing,build",
                    help="cases: validate, grammar, jing, build, peer (with --peer)")
    ap.add_argument("--peer", type=Path, help="a TEIC/Stylesheets checkout, for the peer cases")
    ap.add_argument("--table", action="store_true", help="only print the table of --merge")
    ap.add_argument("--ids", default="*", help="only cases whose id matches (fnmatch), e.g. '*.build.j2'")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--build-runs", type=int, default=1)
    ap.add_argument("--interleave", action="store_true",
                    help="run a size's cases in rounds (A B, B A, …) instead of case after case; "
                         "prints each -j 1 / -j 2 pair's ratio round by round")
    ap.add_argument("--merge", type=Path)
    ap.add_argument("--bytecode", action="store_true",
                    help="run the commands with the modules' bytecode kept (as installed), "
                         "even if PYTHONDONTWRITEBYTECODE is set")
    ap.add_argument("--out", type=Path, default=BENCH / "results" / "corpora.json")
    ap.add_argument("--tei-tools", default=TEI_TOOLS,
                    help="the tei-tools to run (another tree's, for a before/after pair)")
    ns = ap.parse_args(argv)
    only = set(ns.only.split(","))
    results: dict[str, dict] = {}
    if ns.merge and ns.merge.is_file():
        results = json.loads(ns.merge.read_text())["results"]
    if ns.table:
        print(report(results))
        return 0
    started = time.time()

    def save() -> None:
        meta = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
                "elapsed_s": round(time.time() - started, 1), "cpus": os.cpu_count(),
                "python": platform.python_version(), "bytecode": ns.bytecode or
                "PYTHONDONTWRITEBYTECODE" not in os.environ,
                "tei_tools": ns.tei_tools,
                "git": subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                                      text=True, cwd=REPO).stdout.strip()}
        ns.out.parent.mkdir(parents=True, exist_ok=True)
        ns.out.write_text(json.dumps({"meta": meta, "results": results}, indent=1) + "\n")

    with tempfile.TemporaryDirectory(prefix="tei-tools-corpora-") as tmp:
        work = Path(tmp)
        for n in (int(s) for s in ns.sizes.split(",")):
            folder = work / f"corpus-{n}"
            files = corpus.make_corpus(folder, n)
            env = with_bytecode(work, folder, ns.tei_tools) if ns.bytecode else None
            chosen = [case for case in cases(n, folder, files, work, only, ns.peer, ns.tei_tools)
                      if fnmatch.fnmatch(case["id"], ns.ids)]
            if ns.interleave:  # the builds' rounds apart from the validations'
                for what in sorted({case["what"] for case in chosen}):
                    runs = ns.build_runs if what == "build" else ns.runs
                    results |= interleaved([c for c in chosen if c["what"] == what], runs, work, env)
                    save()
            else:
                for case in chosen:
                    runs = ns.build_runs if case["what"] == "build" else ns.runs
                    results[case["id"]] = measure(case, runs, work, env)
                    save()  # after each case: an interrupted run keeps what it measured
            shutil.rmtree(folder)
    save()
    print(report(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
