"""Run one piece of work over many documents: in-process, a local process pool, or Dask.

``validate``, ``build`` and ``query`` over many files all go through here::

    from tei_tools.executor import open_executor

    with open_executor(jobs=2) as ex:                       # local pool (default: all cores)
        results = list(ex.map(work, items, progress))       # input order
    with open_executor(scheduler="tcp://127.0.0.1:8786") as ex:   # a Dask cluster
        ...

* ``work`` is a picklable callable taking one item (a frozen dataclass with
  ``__call__``, defined at module level). If it has ``prepare()``, each local
  worker process calls it once, as its ``ProcessPoolExecutor`` initializer
  (schemas read into :mod:`tei_tools.validation`'s caches). If it has
  ``bind()``, what that returns is called on the items instead, bound once per
  batch (in-process: once per :meth:`Executor.map`): what every item would
  look up again (its compiled schemas) is looked up once.
* **How local workers start** (one rule, :meth:`LocalPool.start_method`): forked
  from the client when that is safe (:func:`fork_is_safe`: one thread, Saxon
  not loaded) and the work does not bound its workers; the work's
  ``preload()``, if it has one, runs in the client first (what needs no Saxon:
  the grammar read), so every worker starts with it and the run pays it once.
  Else they start fresh from multiprocessing's fork server (or ``spawn``).
  Either way each worker runs ``prepare()``: a forked one finds what it
  inherited, a fresh one reads it, so a work never *needs* inherited state
  (a Dask worker, or a worker started fresh, gives the same results).
* **Saxon**: a work with ``uses_saxon = True`` is called as
  ``work(item, saxon=session)`` (and ``prepare(saxon=session)``). In-process,
  the session is the caller's (``open_executor(saxon=…)``) or the executor's
  own; each worker process has its own :class:`~tei_tools.saxon.SaxonSession`,
  made when it starts.
* **Bounded workers** (issue 12): a work with ``documents_per_worker = N``
  has a local pool of ``K`` workers replaced by a fresh pool after ``K × N``
  documents (its workers build about ``N`` each): the memory a Saxon
  processor keeps after many documents is given back only when its process
  ends (a new processor in the same process does not). The client replaces
  the pool between two batches; ``ProcessPoolExecutor``'s own
  ``max_tasks_per_child`` is not used: on Python 3.11 and the releases
  before the fix of CPython gh-115634 it can stop replacing the workers that
  end, and the run then waits forever (seen here on 400 builds, 2 workers).
* A local worker ends when the client is gone (killed, even with ``SIGKILL``):
  nothing is left running. On Linux the kernel ends one forked from the client
  (no watching thread: a second thread slows a process down); a thread watches
  in the others.
* Items go to workers in batches (fewer round trips); at most a few batches
  per worker are in flight, so memory stays flat however many documents
  there are. Results come back in input order.
* An item that can travel by bytes has ``by_bytes()`` (see
  :class:`DocumentRef`): a Dask cluster that does not see the client's files
  (checked once per run on every worker) gets documents by bytes, else by path.
  The grammars they need go too, by content (:class:`ShippedFile`): the work
  says which (``work.by_bytes()`` for a run's schemas, ``work.ship(item)`` for
  one document's ``<?xml-model?>``); each is sent to the cluster once
  (``scatter``, by SHA-256) and written once per worker process, so a
  document by bytes is checked with the grammar it would get by path.
* A Dask worker runs one task at a time: the per-process caches of schemas
  and stylesheets are not shared between threads, so a worker started with
  ``--nthreads`` above 1 is refused when the run connects.
* A worker lost mid-run: Dask's scheduler runs its tasks again elsewhere; a
  local pool whose worker died is restarted and the unfinished batches are
  sent again (at most :data:`MAX_ATTEMPTS` times each).
"""

from __future__ import annotations

import collections
import functools
import gc
import hashlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from multiprocessing import forkserver
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from tei_tools import xmlio
from tei_tools.errors import TeiToolsError, UsageError
from tei_tools.forking import die_with_parent, fork_is_safe
from tei_tools.saxon import SaxonSession

T = TypeVar("T")
R = TypeVar("R")
T_in = TypeVar("T_in", contravariant=True)
R_out = TypeVar("R_out", covariant=True)


class SaxonWork(Protocol[T_in, R_out]):
    """A work that needs Saxon: called with the session of the process it runs in."""

    uses_saxon: bool

    def __call__(self, item: T_in, /, *, saxon: SaxonSession) -> R_out: ...


Work = Callable[[T], R] | SaxonWork[T, R]
"""What :meth:`Executor.map` runs on each item."""

Progress = Callable[[int, int, str], None]
"""``progress(done, total, name)``, called once per item, in input order."""

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
MAX_ATTEMPTS = 3
"""A local batch whose worker process died is sent again at most this often in all."""
BATCH_MAX = 16
BATCH_MIN = 2
"""The smallest batch (the last ones): a batch's pickling both ways costs ~0.1 ms, a
document of tei_all.rng ~2.5 ms."""
IN_FLIGHT_PER_WORKER = 3


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """A document as a worker receives it: its name (the client's path) and,
    when the worker cannot read that path, its bytes."""

    path: str
    data: bytes | None = None
    cwd: str | None = None
    """The client's current folder, for a relative ``path`` read by another process."""

    @property
    def location(self) -> str:
        """Where the file is, for the worker (``path`` is its name in every result)."""
        return os.path.join(self.cwd, self.path) if self.cwd else self.path

    def by_bytes(self) -> DocumentRef:
        if self.data is not None:
            return self
        try:
            return DocumentRef(self.path, xmlio.read_bytes(self.path))
        except TeiToolsError:  # unreadable here: the worker reports it, by path
            return replace(self, cwd=os.getcwd())

    def by_path(self) -> DocumentRef:
        """For a worker elsewhere that sees the same files (absolute location)."""
        return self if os.path.isabs(self.path) else replace(self, cwd=os.getcwd())

    def __str__(self) -> str:
        return self.path


@dataclass(frozen=True, slots=True)
class ShippedFile:
    """A file a worker may not read at the client's path (a grammar): that path and
    the SHA-256 of its bytes. :meth:`local` is where this process reads it."""

    path: str
    """The client's absolute path (and the file's name where a worker writes it)."""
    digest: str

    @classmethod
    def of(cls, path: str | os.PathLike[str]) -> ShippedFile:
        resolved = os.path.abspath(path)
        try:
            st = os.stat(resolved)
        except OSError:  # not there: the worker reports it
            return cls(resolved, "")
        return cls(resolved, _digest(resolved, st.st_size, st.st_mtime_ns, st.st_ino))

    def local(self) -> Path:
        """The copy received from the client, if this process got one, else the path."""
        return _RECEIVED.get(self.digest) or Path(self.path)


@functools.lru_cache(maxsize=64)
def _digest(path: str, size: int, mtime_ns: int, inode: int) -> str:
    """SHA-256 of a file, read again only when its size, time or inode change."""
    try:
        return hashlib.sha256(xmlio.read_bytes(path)).hexdigest()
    except TeiToolsError:  # unreadable here too: the worker reports it
        return ""


_RECEIVED: dict[str, Path] = {}
"""The files this worker process received (digest → its copy): written once each."""
_RECEIVED_LOCK = threading.Lock()


def _receive(files: dict[str, tuple[str, bytes]]) -> None:
    """Write each file sent with a batch (digest → (client path, bytes)) once per process,
    under a folder named by its digest (the file keeps its name)."""
    import atexit
    import shutil
    import tempfile

    with _RECEIVED_LOCK:
        for digest, (path, data) in files.items():
            if digest in _RECEIVED or hashlib.sha256(data).hexdigest() != digest:
                continue
            if not _RECEIVED:
                folder = tempfile.mkdtemp(prefix="tei-tools-shipped-")
                atexit.register(shutil.rmtree, folder, True)
                _RECEIVED[""] = Path(folder)
            target = _RECEIVED[""] / digest / os.path.basename(path)
            target.parent.mkdir()
            target.write_bytes(data)
            _RECEIVED[digest] = target


def received_files() -> list[str]:
    """The digests of the files this process received (for tests and diagnostics)."""
    with _RECEIVED_LOCK:
        return sorted(d for d in _RECEIVED if d)


def _run_shipped(batch: _Batch[T, R], files: dict[str, tuple[str, bytes]]) -> list[R]:
    """A batch on a Dask worker, with the files sent by content for it (see above)."""
    _receive(files)
    return _run_batch(batch)


class Executor(Protocol):
    workers: int

    def map(self, work: Work[T, R], items: Sequence[T],
            progress: Progress | None = None) -> Iterator[R]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


@dataclass(frozen=True, slots=True)
class _Batch(Generic[T, R]):
    """What travels to a worker: the work and a few items."""

    work: Work[T, R]
    items: tuple[T, ...]

    def __call__(self, saxon: Callable[[], SaxonSession]) -> list[R]:
        return _apply(self.work, _bound(self.work), self.items, saxon)


def _apply(work: object, call: Any, items: Iterable[T], saxon: Callable[[], SaxonSession]
           ) -> list[Any]:
    """``call`` (``work`` or what it bound) on each item, with the session if it needs one."""
    if not uses_saxon(work):
        return [call(item) for item in items]
    session = saxon()
    return [call(item, saxon=session) for item in items]


def _bound(work: object) -> Any:
    """What does the items of one batch: ``work.bind()`` if it has it, else ``work``."""
    bind = getattr(work, "bind", None)
    return bind() if bind is not None else work


def uses_saxon(work: object) -> bool:
    """Whether ``work`` is called with ``saxon=`` (see the module's documentation)."""
    return bool(getattr(work, "uses_saxon", False))


class _WorkerRoom:
    """What one worker process keeps between batches: its Saxon session. Filled
    in worker processes only (by the initializer, or on Dask by the first batch);
    the client's work uses the caller's session."""

    saxon: SaxonSession | None = None

    def session(self) -> SaxonSession:
        if self.saxon is None:
            self.saxon = SaxonSession()
        return self.saxon


_WORKER = _WorkerRoom()


def _run_batch(batch: _Batch[T, R]) -> list[R]:
    """A batch in a worker process (local or Dask), with that process's session."""
    return batch(_WORKER.session)


def _prepare(work: object, saxon: Callable[[], SaxonSession]) -> None:
    prepare = getattr(work, "prepare", None)
    if prepare is None:
        return
    if uses_saxon(work):
        prepare(saxon=saxon())
    else:
        prepare()


def _start_worker(work: object, client: int) -> None:
    """A local worker's initializer: Ctrl-C is the client's to handle (it stops the
    pool), the worker ends when the client does (even killed: :func:`_watch_client`),
    then the work prepares (schemas read, Schematron compiled in this process's own
    session)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_client(client)
    _prepare(work, _WORKER.session)
    _settle_gc()


def _settle_gc() -> None:
    """A local worker's cyclic GC: what it holds now (inherited from the client or
    prepared: the schemas) lives as long as the worker, so the collector leaves it
    (``gc.freeze``: not walked again, nor its inherited pages written to), and it
    runs after :data:`GC_YOUNG` new objects rather than 700: the first documents
    fill the validator's caches (~50,000 objects that stay), which at 700 cost ~160
    collections that free nothing. Measured in a forked worker over 500 documents
    of tei_all.rng: 27 ms of collections before, ~2 ms after."""
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *gc.get_threshold()[1:])


GC_YOUNG = 100_000
"""New objects between two collections in a local worker (see :func:`_settle_gc`);
a validated document leaves few cyclic ones (5 collections in 500 documents at
700), so what waits for collection stays small and bounded."""


def _watch_client(client: int) -> None:
    """End this worker when the client ends. A worker forked from the client: the
    kernel kills it when the client ends, where it can (Linux:
    :func:`~tei_tools.forking.die_with_parent`). Else a thread asks every
    :data:`WATCH_SECONDS`: elsewhere, and in a worker from the fork server, whose
    end cannot be waited for instead (the server lives as long as a worker holds
    the pipe it watches; such a worker is started when the client runs Saxon, and
    runs Saxon's threads too). Not a thread where it can be helped: a process in
    which a second thread has started, even one asleep, runs Python ~5 % slower
    (glibc's allocator, for one, then takes its locks; measured in one process over
    950 documents of tei_all.rng, CPU s, medians of 5: 2.64 without, 2.77 with a
    sleeping thread)."""
    if os.getppid() == client and die_with_parent(client):
        return
    threading.Thread(target=_watch, args=(client,), daemon=True,
                     name="tei-tools-client-watch").start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - exists, another user's
        pass
    return True


def _watch(client: int) -> None:
    while True:
        time.sleep(WATCH_SECONDS)
        if not _alive(client):  # the client is gone: nobody wants the results
            os._exit(1)


WATCH_SECONDS = 0.5


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """SIGINT blocked while processes are made: a worker (or the fork server) made
    now inherits the mask, so a Ctrl-C never reaches it before its initializer
    (it would print a traceback: they share the terminal's process group); the
    client's own Ctrl-C of that moment stays pending and arrives when the mask is
    restored (an ignored one would be lost)."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start_forkserver(context: BaseContext, preload: str) -> None:
    """Start multiprocessing's fork server, if it is not running, with SIGINT blocked
    (it stays blocked across exec and fork: the workers it forks never see one). The
    server imports ``preload`` once (no Saxon, no schema: only code); each worker
    forked from it starts with it imported."""
    context.set_forkserver_preload([preload])
    with _sigint_blocked():
        forkserver.ensure_running()


def _batches(work: Work[T, R], items: Sequence[T], workers: int) -> list[_Batch[T, R]]:
    """The items in batches, in input order: each a quarter of what is left per
    worker (the first at most :data:`BATCH_MAX`), down to :data:`BATCH_MIN`, so the
    last ones are small and the workers finish together (with 16 to the end, the
    last documents of 1,000 on 2 workers ended 10–20 ms apart; now 0–5 ms)."""
    first = max(1, min(BATCH_MAX, len(items) // (workers * 4)))
    least = min(BATCH_MIN, first)
    out = []
    start = 0
    while start < len(items):
        size = max(least, min(first, -(-(len(items) - start) // (workers * 4))))
        out.append(_Batch(work, tuple(items[start:start + size])))
        start += size
    return out


def _pool_batches(work: Work[T, R], items: Sequence[T], workers: int
                  ) -> tuple[list[_Batch[T, R]], list[int]]:
    """The batches of a local pool's run and, for each, the pool it goes to (0, 1, …):
    one pool, or for a work that bounds its workers (``documents_per_worker = N``) a
    new pool every ``workers × N`` items, each pool's batches shrinking toward its
    own end (:func:`_batches`) so that its workers finish together."""
    budget = getattr(work, "documents_per_worker", None)
    share = workers * budget if budget else len(items) or 1
    batches: list[_Batch[T, R]] = []
    pools: list[int] = []
    for number, start in enumerate(range(0, len(items), share)):
        part = _batches(work, items[start:start + share], workers)
        batches += part
        pools += [number] * len(part)
    return batches, pools


def _name(item: object) -> str:
    return str(getattr(item, "name", None) or item)


class _Base:
    workers = 1

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        pass


class InProcess(_Base):
    """Everything in the calling process, one item after the other, with the
    caller's Saxon session (``saxon``) or one of the executor's own."""

    def __init__(self, saxon: SaxonSession | None = None) -> None:
        self._saxon = saxon

    def session(self) -> SaxonSession:
        if self._saxon is None:
            self._saxon = SaxonSession()
        return self._saxon

    def map(self, work: Work[T, R], items: Sequence[T],
            progress: Progress | None = None) -> Iterator[R]:
        total = len(items)
        call = _bound(work) if items else None
        for i, item in enumerate(items, 1):
            result = _apply(work, call, (item,), self.session)[0]
            if progress:
                progress(i, total, _name(item))
            yield result


class LocalPool(_Base):
    """A pool of ``workers`` local processes, started for each :meth:`map`: forked
    from this process when it is safe (``inherit``, see :meth:`start_method`), else
    fresh (``inherit=False``: always fresh)."""

    def __init__(self, workers: int | None = None, *, inherit: bool = True) -> None:
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.inherit = inherit
        methods = multiprocessing.get_all_start_methods()
        self._fresh = "forkserver" if "forkserver" in methods else "spawn"

    def start_method(self, work: object) -> str:
        """How this pool's workers for ``work`` start: ``fork`` (from this process,
        with what it holds: the work's ``preload()``) when ``inherit``, the work does not
        bound its workers (``documents_per_worker``: a bounded worker holds only what it
        made itself, all given back when its pool is replaced) and :func:`fork_is_safe`;
        else ``forkserver`` (or ``spawn``). Asked again for each pool made (a bounded
        work's next pool, after a lost worker too)."""
        if (self.inherit and not getattr(work, "documents_per_worker", None)
                and fork_is_safe()):
            return "fork"
        return self._fresh

    def _pool(self, work: object, size: int) -> ProcessPoolExecutor:
        method = self.start_method(work)
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            _start_forkserver(context, type(work).__module__)
        elif method == "fork":
            sys.stdout.flush()  # what a child would write again when it ends
            sys.stderr.flush()
        return ProcessPoolExecutor(size, mp_context=context,
                                   initializer=_start_worker, initargs=(work, os.getpid()))

    def map(self, work: Work[T, R], items: Sequence[T],
            progress: Progress | None = None) -> Iterator[R]:
        total = len(items)
        if total == 0:
            return
        size = min(self.workers, total)
        preload = getattr(work, "preload", None)
        if preload is not None and self.start_method(work) == "fork":
            preload()  # once, here: the workers forked next start with it
        batches, pool_of = _pool_batches(work, items, size)
        window = size * IN_FLIGHT_PER_WORKER
        attempts = [0] * len(batches)
        todo = collections.deque(range(len(batches)))
        suspects: set[int] = set()
        pending: collections.deque[tuple[int, Future[list[R]]]] = collections.deque()
        current = 0  # the pool (of _pool_batches) now running
        pool = self._pool(work, size)
        done = 0
        try:
            while todo or pending:
                try:
                    if not pending and pool_of[todo[0]] != current:
                        # this pool's batches are all done: a fresh pool for the next
                        pool.shutdown(wait=True)
                        current = pool_of[todo[0]]
                        pool = self._pool(work, size)
                    # after a crash, the batches that were in flight go one at a
                    # time: the one that kills its worker is then known
                    limit = 1 if suspects else window
                    while todo and len(pending) < limit and pool_of[todo[0]] == current:
                        index = todo.popleft()
                        if attempts[index] >= MAX_ATTEMPTS:
                            names = ", ".join(_name(x) for x in batches[index].items)
                            raise TeiToolsError(f"error: a worker process died {MAX_ATTEMPTS} "
                                                f"times on {names}")
                        try:
                            with _sigint_blocked():  # a submit may start the workers
                                future = pool.submit(_run_batch, batches[index])
                        except BrokenProcessPool:
                            todo.appendleft(index)
                            raise
                        attempts[index] += 1
                        pending.append((index, future))
                    index, future = pending[0]
                    results = future.result()
                except BrokenProcessPool:
                    # a worker died (killed, out of memory, a crash in native code):
                    # a new pool, and every unfinished batch again
                    pool.shutdown(wait=True, cancel_futures=True)
                    lost = [i for i, _ in pending]
                    suspects.update(lost)
                    todo.extendleft(reversed(lost))
                    pending.clear()
                    pool = self._pool(work, size)
                    continue
                pending.popleft()
                suspects.discard(index)
                for item, result in zip(batches[index].items, results, strict=True):
                    done += 1
                    if progress:
                        progress(done, total, _name(item))
                    yield result
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


class DaskCluster(_Base):
    """A Dask distributed cluster (``pip install "tei-tools[dask]"``).

    ``shared_fs``: ``True`` send documents by path, ``False`` by bytes,
    ``None`` find out (every worker checks it sees the first documents with
    the client's size and modification time).
    """

    def __init__(self, address: str, shared_fs: bool | None = None,
                 timeout: float = 30.0) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError('error: --scheduler needs Dask: pip install "tei-tools[dask]"') from None
        self.address = address
        self.shared_fs = shared_fs
        try:
            self.client = Client(address, timeout=timeout,  # type: ignore[no-untyped-call]
                                 set_as_default=False)
        except OSError as exc:
            raise UsageError(f"{address}: error: no Dask scheduler answers ({exc})") from None
        try:
            self.workers = self._check_workers()
        except UsageError:
            self.close()
            raise

    def _check_workers(self) -> int:
        """The number of workers; a worker with several threads is refused (see above)."""
        workers = self.client.scheduler_info().get("workers", {})
        threaded = sorted(address for address, info in workers.items()
                          if int(info.get("nthreads", 1)) > 1)
        if threaded:
            raise UsageError(f"{self.address}: error: Dask worker {threaded[0]} runs "
                             f"{workers[threaded[0]]['nthreads']} threads; tei-tools needs one "
                             "task at a time per worker process: start workers with "
                             "--nthreads 1 (add processes, not threads)")
        return max(1, len(workers))

    def close(self) -> None:
        self.client.close()  # type: ignore[no-untyped-call]

    def sees_files(self, items: Sequence[object]) -> bool:
        """Whether every worker reads the first documents as the client does."""
        probes = []
        for item in items[:3]:
            path = getattr(item, "path", None)
            if not isinstance(path, str):
                continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            probes.append((os.path.abspath(path), st.st_size, st.st_mtime_ns))
        if not probes:
            return False
        answers = self.client.run(_same_files, probes)
        return bool(answers) and all(answers.values())

    def map(self, work: Work[T, R], items: Sequence[T],
            progress: Progress | None = None) -> Iterator[R]:
        total = len(items)
        if total == 0:
            return
        shared = self.shared_fs
        if shared is None:
            shared = self.sees_files([_document_of(i) for i in items])
        self.workers = self._check_workers()
        sent: dict[str, Any] = {}  # digest → the cluster's copy of a file (scattered once)
        work_files: dict[str, Any] = {}
        if not shared:
            work, work_files = self._ship_work(work, sent)
        batches = _batches(work, items, self.workers)
        window = self.workers * IN_FLIGHT_PER_WORKER
        pending: collections.deque[tuple[_Batch[T, R], Any]] = collections.deque()
        queue = iter(batches)
        done = 0
        ship_item = getattr(work, "ship", None) if not shared else None

        def submit(batch: _Batch[T, R]) -> None:
            shipped = [_ship(i, shared) for i in batch.items]
            files = dict(work_files)
            if ship_item is not None:
                for k, item in enumerate(shipped):
                    shipped[k], refs = ship_item(item)
                    files.update(self._send(refs, sent))
            batch = _Batch(batch.work, tuple(shipped))
            pending.append((batch, self.client.submit(_run_shipped, batch, files, pure=False)))

        try:
            for batch in queue:
                submit(batch)
                if len(pending) >= window:
                    break
            while pending:
                batch, future = pending.popleft()
                results = future.result()
                future.release()
                for nxt in queue:
                    submit(nxt)
                    break
                for item, result in zip(batch.items, results, strict=True):
                    done += 1
                    if progress:
                        progress(done, total, _name(item))
                    yield result
        finally:
            for _, future in pending:
                future.cancel()


    def _ship_work(self, work: Work[T, R], sent: dict[str, Any]
                   ) -> tuple[Work[T, R], dict[str, Any]]:
        """The work as it goes to workers that do not see the client's files, and its
        own files (``by_bytes()``: the run's schemas), sent by content."""
        by_bytes = getattr(work, "by_bytes", None)
        if by_bytes is None:
            return work, {}
        shipped, refs = by_bytes()
        return shipped, self._send(refs, sent)

    def _send(self, refs: Iterable[ShippedFile], sent: dict[str, Any]) -> dict[str, Any]:
        """The cluster's copies of ``refs`` (each file scattered to every worker once)."""
        out = {}
        for ref in refs:
            if not ref.digest:
                continue
            if ref.digest not in sent:
                data = xmlio.read_bytes(ref.path)
                [sent[ref.digest]] = self.client.scatter(  # type: ignore[no-untyped-call]
                    [(ref.path, data)], broadcast=True, hash=False)
            out[ref.digest] = sent[ref.digest]
        return out


def _document_of(item: object) -> object:
    return getattr(item, "document", item)


def _ship(item: T, shared: bool) -> T:
    """The item with its document by absolute path (``shared``) or by bytes."""
    if isinstance(item, DocumentRef):
        return item.by_path() if shared else item.by_bytes()  # type: ignore[return-value]
    document = getattr(item, "document", None)
    if isinstance(document, DocumentRef):
        shipped = document.by_path() if shared else document.by_bytes()
        return replace(item, document=shipped)  # type: ignore[type-var]
    return item


def _same_files(probes: list[tuple[str, int, int]]) -> bool:
    for path, size, mtime in probes:
        try:
            st = os.stat(path)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != (size, mtime):
            return False
    return True


def open_executor(jobs: int | None = None, scheduler: str | None = None,
                  items: int | None = None, shared_fs: bool | None = None,
                  saxon: SaxonSession | None = None) -> Any:
    """The executor a command asked for.

    ``scheduler`` (or ``$DASK_SCHEDULER_ADDRESS``): a Dask cluster. Else
    ``jobs`` local worker processes (``None``: all cores; 1, or fewer than
    :data:`PARALLEL_MIN` ``items``: in-process, starting workers costs more,
    with the caller's ``saxon`` session if given).
    """
    address = scheduler or os.environ.get(SCHEDULER_ENV) or None
    if address:
        return DaskCluster(address, shared_fs=shared_fs)
    count = jobs if jobs is not None else (os.cpu_count() or 1)
    if count <= 1 or (items is not None and items < PARALLEL_MIN):
        return InProcess(saxon)
    return LocalPool(count)


PARALLEL_MIN = 4
"""Fewer items than this run in-process (starting worker processes costs more)."""


def collect_files(paths: Iterable[str | os.PathLike[str]], default: Path | None = None
                  ) -> list[tuple[Path, Path | None]]:
    """Files as given, folders expanded to their ``*.xml`` (recursively, sorted).

    Each file comes with the folder it was found in (``None`` for a file
    given as such), so a corpus build can keep its relative layout. Repeats
    (the same file reached twice) are dropped. ``default`` is used when no
    path is given.
    """
    given = [Path(p) for p in paths]
    if not given:
        if default is None or not default.is_dir():
            raise UsageError(f"{default}: error: no path given and no edition folder here")
        given = [default]
    files: list[tuple[Path, Path | None]] = []
    for p in given:
        if p.is_dir():
            found = sorted((f for f in p.rglob("*.xml") if f.is_file()),
                           key=lambda f: f.relative_to(p).parts)
            if not found:
                raise UsageError(f"{p}: error: folder holds no .xml file")
            files.extend((f, p) for f in found)
        elif p.exists():
            files.append((p, None))
        else:
            raise UsageError(f"{p}: error: no such file or folder")
    seen: set[Path] = set()
    unique = []
    folders: dict[Path, Path] = {}
    for f, root in files:
        key = _resolved(f, folders)
        if key not in seen:
            seen.add(key)
            unique.append((f, root))
    return unique


def _resolved(file: Path, folders: dict[Path, Path]) -> Path:
    """``file.resolve()``, each folder resolved once (``folders``: those resolved so far):
    a path's every component is looked up, ~0.1 ms a file of a 1,000-file corpus."""
    if file.is_symlink():
        return file.resolve()
    folder = folders.get(file.parent)
    if folder is None:
        folder = folders[file.parent] = file.parent.resolve()
    return folder / file.name
