"""The executor of tei_tools.executor: order, clean worker processes, lost workers.

The work used here lives in ``executor_work.py`` (workers import it by name).
"""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from corpus_support import make_corpus
from executor_work import Binds, Bounded, DieOnce, Echo, GcState, Prepared, SaxonCounter
from process_support import interrupt

from tei_tools import executor as ex
from tei_tools.errors import TeiToolsError, UsageError


def test_a_local_pool_returns_results_in_input_order_from_fresh_processes() -> None:
    items = list(range(40))
    with ex.LocalPool(2, inherit=False) as pool:  # ~1.6 s of work: the second worker starts
        got = list(pool.map(Echo(0.02), items))
    assert [g[0] for g in got] == items
    pids = {g[1] for g in got}
    assert len(pids) == 2  # both workers took part
    assert {g[2] for g in got} <= {"forkserver", "spawn"}  # inherit=False: never forked


def test_workers_fork_from_the_client_only_when_it_is_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one rule of how local workers start (LocalPool.start_method, fork_is_safe)."""
    monkeypatch.delitem(sys.modules, "saxonche", raising=False)
    assert ex.fork_is_safe() == (threading.active_count() == 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:  # a second thread: a fork would copy a lock it may hold
        assert not ex.fork_is_safe()
        assert ex.LocalPool(2).start_method(Echo()) in {"forkserver", "spawn"}
    finally:
        stop.set()
        other.join()
    monkeypatch.setitem(sys.modules, "saxonche", sys)  # Saxon loaded: its VM does not survive
    assert not ex.fork_is_safe()
    monkeypatch.setattr(ex, "fork_is_safe", lambda: True)
    assert ex.LocalPool(2).start_method(Echo()) == "fork"
    assert ex.LocalPool(2, inherit=False).start_method(Echo()) in {"forkserver", "spawn"}
    bounded = SaxonCounter(documents_per_worker=3)  # replaced workers start fresh anyway
    assert ex.LocalPool(2).start_method(bounded) in {"forkserver", "spawn"}


_FORK_CLIENT = """\
import json, os, sys
sys.path.insert(0, {tests!r})
from executor_work import Preloads
from tei_tools.executor import LocalPool
if __name__ == "__main__":
    out = {{"client": os.getpid()}}
    for inherit in (True, False):
        folder = os.path.join(sys.argv[1], "fork" if inherit else "fresh")
        os.mkdir(folder)
        with LocalPool(2, inherit=inherit) as pool:
            out[folder] = [list(g) for g in pool.map(Preloads(folder), list(range(40)))]
    print(json.dumps(out))
"""


def test_workers_forked_from_the_client_start_with_what_it_preloaded(tmp_path: Path) -> None:
    """In a process without Saxon or other threads (a command's), the work's preload()
    runs once, in the client, and the workers forked next start with it; started
    fresh (inherit=False) they do not have it, prepare() each, and give the same items."""
    script = tmp_path / "client.py"
    script.write_text(_FORK_CLIENT.format(tests=str(Path(__file__).parent)), encoding="utf-8")
    run = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True,
                         text=True, timeout=120, check=True)
    out = json.loads(run.stdout)
    client = out["client"]
    forked, fresh = out[str(tmp_path / "fork")], out[str(tmp_path / "fresh")]
    assert [g[0] for g in forked] == [g[0] for g in fresh] == list(range(40))
    assert {g[2] for g in forked} == {"fork"} and {tuple(g[3]) for g in forked} == {("read",)}
    assert client not in {g[1] for g in forked}
    assert [m.name for m in (tmp_path / "fork").glob("preloaded-*")] == [f"preloaded-{client}"]
    assert (tmp_path / "fork" / f"preloaded-{client}").read_text() == "x"  # once
    prepared = {int(m.name.split("-")[1]) for m in (tmp_path / "fork").glob("prepared-*")}
    assert {g[1] for g in forked} <= prepared  # a forked worker prepares too (finds it read)
    assert {g[2] for g in fresh} <= {"forkserver", "spawn"}
    assert {tuple(g[3]) for g in fresh} == {()}  # nothing inherited
    assert list((tmp_path / "fresh").glob("preloaded-*")) == []


def test_in_process_runs_here_and_reports_progress_per_item() -> None:
    seen: list[tuple[int, int, str]] = []
    got = list(ex.InProcess().map(Echo(), [3, 1, 2], lambda d, t, n: seen.append((d, t, n))))
    assert [g[0] for g in got] == [3, 1, 2]
    assert seen == [(1, 3, "3"), (2, 3, "1"), (3, 3, "2")]


def test_progress_follows_input_order_in_a_pool() -> None:
    seen: list[str] = []
    with ex.LocalPool(2) as pool:
        list(pool.map(Echo(0.002), list(range(12)), lambda d, t, n: seen.append(n)))
    assert seen == [str(i) for i in range(12)]


def test_each_worker_prepares_once_before_its_first_item(tmp_path: Path) -> None:
    with ex.LocalPool(2) as pool:
        got = list(pool.map(Prepared(str(tmp_path)), list(range(30))))
    markers = sorted(tmp_path.glob("prepared-*"))
    prepared = {int(m.name.split("-")[1]) for m in markers}
    assert {pid for _, pid in got} <= prepared and len(prepared) <= 2
    assert all(m.read_text() == "x" for m in markers)  # once each
    assert [i for i, _ in got] == list(range(30))


def test_a_work_is_bound_once_per_run_in_process_and_once_per_batch_in_a_pool() -> None:
    items = list(range(40))
    here = list(ex.InProcess().map(Binds(), items))
    assert [i for i, _, _ in here] == items and len({b for _, b, _ in here}) == 1
    with ex.LocalPool(2) as pool:
        got = list(pool.map(Binds(), items))
    assert [i for i, _, _ in got] == items
    sizes = [len(b.items) for b in ex._batches(Binds(), items, 2)]
    assert sizes[0] > 1
    # the items of one batch share one binding; batches never do
    bindings = [(pid, b) for _, b, pid in got]
    starts = [sum(sizes[:k]) for k in range(len(sizes))]
    assert all(len(set(bindings[a:a + n])) == 1 for a, n in zip(starts, sizes, strict=True))
    assert len(set(bindings)) == len(sizes)


def test_batches_keep_input_order_and_shrink_toward_the_end() -> None:
    items = list(range(1000))
    sizes = [len(b.items) for b in ex._batches(Binds(), items, 2)]
    assert [i for b in ex._batches(Binds(), items, 2) for i in b.items] == items
    assert sizes[0] == ex.BATCH_MAX and sizes == sorted(sizes, reverse=True)
    assert max(sizes[-8:]) <= ex.BATCH_MIN  # the workers end within a small batch
    # few items: one a batch, as before (a build's documents take seconds each)
    assert [len(b.items) for b in ex._batches(Binds(), list(range(7)), 2)] == [1] * 7
    # a bounded work's pools (2 workers × 40): each pool's batches shrink toward its end
    batches, pools = ex._pool_batches(Bounded(documents_per_worker=40), items, 2)
    assert [i for b in batches for i in b.items] == items
    assert pools == sorted(pools) and set(pools) == set(range(13))  # 12 of 80 and one of 40
    for number in range(13):
        part = [len(b.items) for b, p in zip(batches, pools, strict=True) if p == number]
        assert sum(part) == (80 if number < 12 else 40) and part[-1] <= ex.BATCH_MIN
    assert ex._pool_batches(Binds(), items, 2) == (ex._batches(Binds(), items, 2), [0] * len(sizes))


def test_bounded_workers_are_replaced_without_waiting_forever() -> None:
    """400 items, 2 workers of 40 each: ProcessPoolExecutor's ``max_tasks_per_child``
    (2 batches of 16 a process) stopped replacing its workers here and the run
    waited forever (CPython gh-115634); a fresh pool every 80 items does not."""
    got: list[tuple[int, int]] = []

    def run() -> None:
        with ex.LocalPool(2) as pool:
            got.extend(pool.map(Bounded(documents_per_worker=40), list(range(400))))

    runner = threading.Thread(target=run, daemon=True)
    runner.start()
    runner.join(120)
    assert not runner.is_alive(), "the run waits forever"
    assert [i for i, _ in got] == list(range(400))
    served: dict[int, set[int]] = {}
    for i, pid in got:
        served.setdefault(pid, set()).add(i // 80)
    assert all(len(p) == 1 for p in served.values())  # no process outlives its pool
    assert len(served) >= 5


def test_a_dead_local_worker_loses_nothing(tmp_path: Path) -> None:
    items = list(range(25))
    with ex.LocalPool(2) as pool:
        got = list(pool.map(DieOnce(str(tmp_path), victim=7), items))
    assert (tmp_path / "died").exists()  # a worker did die
    assert got == [i * i for i in items]


def test_a_document_that_kills_every_worker_is_named(tmp_path: Path) -> None:
    with ex.LocalPool(2) as pool, pytest.raises(TeiToolsError, match=r"died 3 times on .*\b5\b"):
        list(pool.map(DieOnce(str(tmp_path), victim=5, always=True), list(range(8))))


def test_open_executor_picks_the_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ex.SCHEDULER_ENV, raising=False)
    assert isinstance(ex.open_executor(jobs=1), ex.InProcess)
    assert isinstance(ex.open_executor(jobs=2, items=ex.PARALLEL_MIN - 1), ex.InProcess)
    pool = ex.open_executor(jobs=3, items=100)
    assert isinstance(pool, ex.LocalPool) and pool.workers == 3


def test_no_scheduler_at_the_address_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"tcp://127\.0\.0\.1:9: error: no Dask scheduler answers"):
        ex.DaskCluster("tcp://127.0.0.1:9", timeout=1)


def test_documents_travel_by_path_or_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tmp_path / "a.xml"
    doc.write_bytes(b"<TEI/>")
    monkeypatch.chdir(tmp_path)
    ref = ex.DocumentRef("a.xml")
    shipped = ref.by_path()
    assert shipped.path == "a.xml" and Path(shipped.location) == doc
    assert ref.by_bytes() == ex.DocumentRef("a.xml", b"<TEI/>")
    gone = ex.DocumentRef("missing.xml").by_bytes()  # unreadable: the worker will say so
    assert gone.data is None and Path(gone.location) == tmp_path / "missing.xml"


def test_collect_files_drops_a_file_reached_twice_by_links(tmp_path: Path) -> None:
    """By a linked file, a linked folder, or ``..``: each file once, where first met."""
    (tmp_path / "c" / "sub").mkdir(parents=True)
    for name in ("a.xml", "b.xml"):
        (tmp_path / "c" / name).write_text("<x/>")
    (tmp_path / "c" / "link.xml").symlink_to(tmp_path / "c" / "a.xml")
    (tmp_path / "again").symlink_to(tmp_path / "c", target_is_directory=True)
    got = ex.collect_files([tmp_path / "c", tmp_path / "again", tmp_path / "again" / "b.xml",
                            tmp_path / "c" / "sub" / ".." / "a.xml"])
    assert got == [(tmp_path / "c" / "a.xml", tmp_path / "c"), (tmp_path / "c" / "b.xml", tmp_path / "c")]


def test_collect_files_keeps_the_folder_of_each_file(tmp_path: Path) -> None:
    (tmp_path / "c" / "sub").mkdir(parents=True)
    for name in ("c/b.xml", "c/sub/a.xml", "c/notes.txt", "single.xml"):
        (tmp_path / name).write_text("<x/>", encoding="utf-8")
    got = ex.collect_files([tmp_path / "c", tmp_path / "single.xml", tmp_path / "c" / "b.xml"])
    assert got == [(tmp_path / "c" / "b.xml", tmp_path / "c"),
                   (tmp_path / "c" / "sub" / "a.xml", tmp_path / "c"),
                   (tmp_path / "single.xml", None)]
    with pytest.raises(UsageError, match="no such file or folder"):
        ex.collect_files([tmp_path / "nope"])


@pytest.mark.parametrize("inherit", [True, False])
def test_workers_end_when_the_client_is_killed(tmp_path: Path, inherit: bool) -> None:
    """A client killed mid-run (SIGKILL: no clean-up of its own) leaves no worker behind,
    forked from it or from the fork server (nor that server)."""
    script = tmp_path / "client.py"
    script.write_text(
        "import os, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from executor_work import Echo\n"
        "from tei_tools.executor import LocalPool\n"
        "if __name__ == '__main__':\n"
        f"    with LocalPool(2, inherit={inherit}) as pool:\n"
        "        for item, pid, _ in pool.map(Echo(0.5), list(range(40))):\n"
        "            print(pid, flush=True)\n", encoding="utf-8")
    client = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert client.stdout is not None
    worker = int(client.stdout.readline())
    descendants = _descendants(client.pid)
    assert worker in descendants
    os.kill(client.pid, signal.SIGKILL)
    client.wait(timeout=10)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(p) for p in descendants):
        time.sleep(0.2)
    assert [p for p in descendants if _alive(p)] == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel ends them on Linux")
def test_a_worker_forked_from_the_client_watches_it_without_a_thread() -> None:
    """The kernel ends a forked worker with its client: no watching thread, which would
    slow the worker down (one from the fork server has its thread)."""
    script = (  # a fresh client: this one may have started Saxon (then none is forked)
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from executor_work import Threads\n"
        "from tei_tools.executor import LocalPool\n"
        "for inherit in (True, False):\n"
        "    with LocalPool(2, inherit=inherit) as pool:\n"
        "        print(pool.start_method(Threads()), sorted(set(pool.map(Threads(), range(8)))))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True, timeout=60)
    assert run.stdout.splitlines() == ["fork [1]", "forkserver [2]"]


@pytest.mark.parametrize("inherit", [True, False])
def test_a_local_worker_leaves_what_it_started_with_to_no_collection(inherit: bool) -> None:
    """A worker's GC does not walk what it inherited or prepared, and runs less often
    (the first documents fill caches that stay); the client's GC is as it was."""
    before = gc.get_threshold(), gc.get_freeze_count()
    with ex.LocalPool(2, inherit=inherit) as pool:
        got = set(pool.map(GcState(), list(range(8))))
    assert {threshold for threshold, _ in got} == {ex.GC_YOUNG}
    assert all(frozen > 1000 for _, frozen in got)
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def _descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        parent = stack.pop()
        for task in os.listdir(f"/proc/{parent}/task"):
            with open(f"/proc/{parent}/task/{task}/children") as fh:
                kids = [int(c) for c in fh.read().split()]
            found += kids
            stack += kids
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_ctrl_c_stops_a_parallel_run_with_exit_130_and_no_worker_left(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    # enough that the run is still going when Ctrl-C comes: ~4 s of checks here, the
    # Ctrl-C ~0.2 s after the start (400 documents left ~0.8 s: too little on a fast machine)
    make_corpus(corpus, 2000)
    run = subprocess.Popen([sys.executable, "-m", "tei_tools", "validate", "-j", "2", str(corpus)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           start_new_session=True)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    # the two workers the client forks (fresh, they come after a fork server and its tracker)
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [p for p in _descendants(run.pid) if _alive(p)]
        time.sleep(0.05)
    assert len(workers) >= 2, "the workers did not start"
    interrupt(run)
    deadline = time.monotonic() + 30  # the client has ended: its workers end with it
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.05)
    assert [p for p in workers if _alive(p)] == []


def test_a_scheduler_without_dask_installed_says_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(UsageError, match=r'pip install "tei-tools\[dask\]"'):
        ex.open_executor(scheduler="tcp://127.0.0.1:8786")


def test_a_file_shipped_by_content_is_read_from_the_copy_received(tmp_path: Path) -> None:
    """What a Dask worker that gets documents by bytes does with a run's grammar."""
    import hashlib

    grammar = tmp_path / "g.rng"
    grammar.write_bytes(b"<grammar-1/>")
    ref = ex.ShippedFile.of(grammar)
    assert ref.digest == hashlib.sha256(b"<grammar-1/>").hexdigest()
    assert ref.local() == grammar  # nothing received: the client's own path
    ex._receive({ref.digest: (str(grammar), b"<grammar-1/>")})
    copy = ref.local()
    assert copy != grammar and copy.name == "g.rng" and copy.read_bytes() == b"<grammar-1/>"
    written = copy.stat().st_mtime_ns
    ex._receive({ref.digest: (str(grammar), b"<grammar-1/>")})  # once per process
    assert ref.local() == copy and copy.stat().st_mtime_ns == written
    bogus = hashlib.sha256(b"x").hexdigest()
    ex._receive({bogus: ("/elsewhere/h.rng", b"not x")})  # bytes that are not their digest's
    assert bogus not in ex.received_files() and ref.digest in ex.received_files()
    grammar.write_bytes(b"<grammar-two/>")  # a changed file is another file
    assert ex.ShippedFile.of(grammar).digest == hashlib.sha256(b"<grammar-two/>").hexdigest()
    assert ex.ShippedFile.of(tmp_path / "missing.rng").digest == ""  # the worker reports it


_VALIDATE_CLIENT = """\\
import json, sys
from tei_tools.executor import InProcess, LocalPool, fork_is_safe
from tei_tools.validation import validate
if __name__ == "__main__":
    rng, *paths = sys.argv[1:]
    out = {{}}
    for name, executor in (("fork", LocalPool(2)), ("fresh", LocalPool(2, inherit=False)),
                           ("here", InProcess())):
        if name == "fork":
            out["safe"] = fork_is_safe()
        with executor:
            report = validate(paths, schema=rng, executor=executor)
        out[name] = json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
    print(json.dumps(out))
"""


def test_validation_is_the_same_from_forked_fresh_and_in_process_workers(tmp_path: Path) -> None:
    """Workers forked from a client that read the grammar, workers that start cold,
    and the client alone: the same JSON, byte for byte (valid, invalid, malformed
    documents, and the real corpus, with the Schematron tei_all embeds)."""
    from conftest import CORPUS, TEI_ALL_RNG

    make_corpus(tmp_path / "gen", 30, invalid_every=4, malformed=2)
    script = tmp_path / "client.py"
    script.write_text(_VALIDATE_CLIENT.format(), encoding="utf-8")
    run = subprocess.run([sys.executable, str(script), str(TEI_ALL_RNG), str(tmp_path / "gen"),
                          str(CORPUS)], capture_output=True, text=True, timeout=300, check=True)
    out = json.loads(run.stdout)
    assert out["safe"] is True  # a command's process: the forked path was the one taken
    assert out["fork"] == out["fresh"] == out["here"]
    report = json.loads(out["fork"])
    assert report["summary"]["files"] == 30 + 16 and report["summary"]["errors"] > 7
