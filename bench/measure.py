"""How the benchmark measures: cold processes, warm calls, memory, machine load.

* Cold: hyperfine runs a whole command ``runs`` times (after one warm-up run that
  fills the file cache) and we keep every run's wall time.
* Warm: a Python callable timed with :func:`time.perf_counter` in this process
  after one untimed call (schemas and stylesheets already compiled).
* Memory: the command is run once more under :func:`run_with_memory`, which
  samples the summed PSS of the whole process tree every 10 ms from ``/proc``
  (workers included, shared pages counted once) and reads ``ru_maxrss`` of
  the children from :func:`resource.getrusage` (the largest single process).
"""

from __future__ import annotations

import json
import os
import resource
import shlex
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Stats:
    """Summary of repeated wall-clock times, in seconds."""

    n: int
    median: float
    q1: float
    q3: float
    min: float
    max: float
    times: list[float] = field(default_factory=list)

    @classmethod
    def of(cls, times: Sequence[float]) -> Stats:
        xs = sorted(times)
        if len(xs) >= 4:
            q1, _, q3 = statistics.quantiles(xs, n=4, method="inclusive")
        else:
            q1, q3 = xs[0], xs[-1]
        return cls(len(xs), statistics.median(xs), q1, q3, xs[0], xs[-1], list(times))

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Memory:
    """Peak memory of one run of a command, in MiB."""

    tree_peak_mib: float
    """Largest sum of PSS over the process and all its descendants (sampled every 10 ms)."""
    max_process_mib: float
    """Largest RSS of any single process (``ru_maxrss`` of the children)."""
    wall: float
    returncode: int


def loadavg() -> float:
    return os.getloadavg()[0]


def hyperfine(argv: Sequence[str], runs: int, warmup: int = 1, cwd: Path | None = None,
              env: dict[str, str] | None = None) -> tuple[Stats, int]:
    """Time ``argv`` as a cold process with hyperfine; return stats and the exit code.

    A non-zero exit is recorded, not fatal (``--ignore-failure``): validating an
    invalid document legitimately exits 1. ``sync`` runs before each run, untimed,
    so that one run's output is not written back during the next.
    """
    command = shlex.join(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "h.json"
        subprocess.run(
            ["hyperfine", "--runs", str(runs), "--warmup", str(warmup), "--ignore-failure",
             "--prepare", "sync", "--shell=none", "--style", "none", "--export-json", str(out), command],
            check=True, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        data = json.loads(out.read_text())["results"][0]
    codes = data.get("exit_codes") or [0]
    return Stats.of(data["times"]), max(codes)


def _tree_rss_kib(pid: int) -> int:
    """Memory of a process and its descendants: the sum of their PSS, in KiB.

    PSS (proportional set size) divides pages shared between processes (a
    schema compiled before ``fork``, libraries) among them, so the sum is the
    memory the tree really occupies; a sum of RSS would count them once per
    worker.
    """
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_with_memory(argv: Sequence[str], cwd: Path | None = None,
                    env: dict[str, str] | None = None) -> Memory:
    """Run ``argv`` once in a fresh helper process and measure its peak memory.

    The helper is a new Python process so that ``RUSAGE_CHILDREN`` counts only
    this command's processes.
    """
    helper = (
        "import json,os,resource,subprocess,sys,time\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from measure import _tree_rss_kib\n"
        "argv=json.loads(sys.argv[2]); t=time.perf_counter(); peak=0\n"
        "p=subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "while p.poll() is None:\n"
        "    peak=max(peak,_tree_rss_kib(p.pid)); time.sleep(0.01)\n"
        "wall=time.perf_counter()-t\n"
        "ru=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "peak=peak or ru  # finished before the first sample\n"
        "print(json.dumps([peak, ru, wall, p.returncode]))\n"
    )
    res = subprocess.run(
        [os.environ.get("BENCH_PYTHON", os.sys.executable), "-c", helper,
         str(Path(__file__).parent), json.dumps(list(argv))],
        check=True, capture_output=True, text=True, cwd=cwd, env=env,
    )
    peak, ru, wall, code = json.loads(res.stdout)
    return Memory(round(peak / 1024, 1), round(ru / 1024, 1), wall, code)


def warm(fn: Callable[[], object], runs: int) -> Stats:
    """Time ``fn`` in this process: one untimed call, then ``runs`` timed calls."""
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return Stats.of(times)


def self_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
