"""Formats written in a second process while the build's process writes the others.

saxonche holds the GIL for the whole of a transformation, so threads cannot
run two stylesheets at once: on a machine with two cores or more,
:func:`tei_tools.publish.build.build` forks a child right after the document
is parsed, *before* any Saxon processor exists in the process (a GraalVM
isolate does not survive a fork), and the child writes the HTML
(:data:`FORMATS`) into the build's temporary folder with a Saxon session of
its own, while the parent validates and writes the text, the EPUB and the records
(and, for a large document, the HTML's search page and index: :func:`split_html`).
The parent then copies the HTML's downloads (its finishing step,
:data:`tei_tools.publish.formats.FINISHERS`) and installs everything as a
sequential build would: the files are byte-identical.

* The child reports through a pipe: each format's warnings and seconds, or its
  failure as the one line (and exit code) a sequential build would have raised; a
  child that dies without a report is a :class:`~tei_tools.errors.BuildError`.
* :meth:`Aside.stop` ends the child and reaps it: the build calls it on any
  failure of its own (an invalid document, a failed writer, Ctrl-C); on Linux the
  child also dies with its parent (``PR_SET_PDEATHSIG``), so none is orphaned.
* :func:`usable` says when to fork: when it is safe — no session given by the
  caller (corpus workers, library users keep theirs and build one after the
  other), Saxon not started in this process, one thread, and the parent has
  work of its own — and ``BuildOptions.concurrent`` asks for it (``None``, the
  default: when a core is idle, :func:`idle_core`).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import signal
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass

from tei_tools.errors import BuildError, TeiToolsError, UsageError
from tei_tools.forking import die_with_parent, fork_is_safe
from tei_tools.publish.options import BuildOptions, WriterOutput

FORMATS = ("html",)
"""The formats written aside (those of them a build asks for): the HTML, the
largest output. Measured on the edition (CPU s, medians of 6–8 alternating runs):
the HTML alone there, 1.1 in the child against 1.4–1.5 in the parent (which also
reads, parses and imports before the fork, ~0.3); the text there too made the
child 0.4 longer and the parent no shorter (the first compile in a processor
carries its start-up, wherever it is); the records too changed nothing beyond
the noise (±0.15)."""
SHARED_IMPORTS: dict[str, tuple[str, ...]] = {
    "": ("tei_tools.validation", "saxonche", "tei_tools.publish.html"),
    "epub": ("tei_tools.publish.epub",),
}
"""Modules both processes import, by the format that needs them in the parent too
("": any build that forks): imported once, before the fork, not paid twice (the
parent imports them anyway; importing ``saxonche`` starts no processor and no
thread). The validators (the parent to validate, the HTML's schema pages for the
grammar's ODD: ~0.15 s CPU); Saxon's module (~0.02); the HTML's writer with the
schema pages and the ODD cache (the parent runs its finishing step); the EPUB's
writer (the HTML names its download from it; with it the records' header and the
cover cache): measured with ``bench/critical_path.py``, the child's CPU −0.08 s."""
SPLIT_HTML_AT = 500_000
"""Bytes of a document from which the parent writes the HTML's search page and index
(``html.SEARCH``) while the child writes the other pages: the HTML grows ~2 s CPU per
MB against the text's and EPUB's ~1.6 together, so from about 1 MB the child is the
longer (1 MB: 3.5 s CPU against the parent's 2.7; 10 MB: 25.2 against 16.9, measured
with ``bench/critical_path.py``); the search part (~14 % of the HTML) balances them
for a second compile of the HTML stylesheet in the parent (~0.3 s CPU, more than it
saves at the edition's 0.15 MB)."""


def split_html(size: int, names: Collection[str]) -> bool:
    """Whether the parent writes the HTML's search part of a ``size``-byte document
    whose ``names`` are written aside (:data:`SPLIT_HTML_AT`)."""
    return "html" in names and size >= SPLIT_HTML_AT


PARENT_WORK = ("txt", "epub")
"""Formats whose Saxon work stays in the parent: with none of them and no
validation, a second process would only add its own start."""


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


LOADAVG = "/proc/loadavg"
"""Linux's load line; its fourth field is ``running/total`` scheduling entities now."""


def runnable_now(loadavg: str = LOADAVG) -> int | None:
    """Processes (threads) running or waiting for a core at this moment, this one
    included (Linux's ``/proc/loadavg``); ``None`` where it cannot be read."""
    try:
        with open(loadavg, encoding="ascii") as f:
            return int(f.read().split()[3].split("/")[0])
    except (OSError, IndexError, ValueError):
        return None


def idle_core() -> bool:
    """Two cores or more, and one of them free for a second process: a second process
    only wins when it gets a core of its own (measured in BENCHMARKS.md: at load
    4.8 on 2 cores it made the edition's build slower). Judged by what runs *now*
    (:func:`runnable_now`: nothing but this process on all but one core), not by the
    1-minute load, which back-to-back builds hold near 2 by themselves: with that
    rule a run of 5 edition builds forked in some only (BENCHMARKS.md, "the integrated
    main, third time"); the 1-minute load only where the count cannot be read."""
    n = cores()
    if n < 2:
        return False
    running = runnable_now()
    if running is not None:
        return running - 1 < n - 1
    try:
        load = os.getloadavg()[0]
    except OSError:  # not available: judge by the cores alone
        load = 0.0
    return load < n


def usable(options: BuildOptions, formats: Collection[str], *, session_given: bool) -> bool:
    """Whether a build with ``options`` of ``formats`` writes some aside (:data:`FORMATS`):
    ``options.concurrent`` ``False`` never, ``True`` whenever it is safe, ``None`` when
    it is safe and :func:`idle_core`."""
    safe = (any(f in formats for f in FORMATS) and not session_given
            and (options.validate or any(f in formats for f in PARENT_WORK))
            and fork_is_safe())
    if options.concurrent is None:
        return safe and idle_core()
    return safe and options.concurrent


@dataclass(slots=True)
class Aside:
    """A child process writing some formats; :meth:`wait` for it or :meth:`stop` it."""

    names: tuple[str, ...]
    source: str
    """The document, to name it in a failure."""
    pid: int
    _report: int
    """The read end of the child's pipe."""
    _done: bool = False

    cpu: float = 0.0
    """CPU seconds the child used (known once it is reaped)."""

    def wait(self) -> dict[str, tuple[WriterOutput, float]]:
        """Each format's warnings and seconds once the child has finished; its
        failure raised here as it was raised there."""
        try:
            with os.fdopen(self._report, "rb") as pipe:
                self._report = -1
                data = pipe.read()
        except BaseException:  # Ctrl-C while waiting: the child goes too
            self.stop()
            raise
        status = self._reap()
        try:
            report = json.loads(data) if data else None
        except ValueError:
            report = None
        if not isinstance(report, dict):
            raise BuildError(f"{self.source}: error: the process writing the "
                             f"{' and '.join(self.names)} output ended without a report "
                             f"({_status(status)})")
        if not report.get("ok"):
            kind = UsageError if report.get("usage") else BuildError
            raise kind(str(report.get("message")))
        return {name: (WriterOutput([], [str(w) for w in done["warnings"]]), float(done["seconds"]))
                for name, done in report["formats"].items()}

    def stop(self) -> None:
        """End the child (if it still runs) and reap it."""
        if self._done:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        if self._report >= 0:
            os.close(self._report)
            self._report = -1
        self._reap()

    def _reap(self) -> int:
        if self._done:
            return 0
        self._done = True
        while True:
            try:
                _, status, usage = os.wait4(self.pid, 0)
                self.cpu = usage.ru_utime + usage.ru_stime
                return status
            except InterruptedError:
                continue
            except ChildProcessError:
                return 0


Job = Callable[[str], WriterOutput]
"""Writes one format (by name) in the child."""


def start(names: tuple[str, ...], source: str, job: Job, *,
          formats: Collection[str] = ()) -> Aside:
    """Fork a child that runs ``job`` for each of ``names`` (formats of ``source``, a
    build of ``formats``), in order, and reports."""
    for key in ("", *formats):
        for module in SHARED_IMPORTS.get(key, ()):
            importlib.import_module(module)
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(parent, names, source, job, write_end)
    os.close(write_end)
    return Aside(names, source, pid, read_end)


def _child(parent: int, names: tuple[str, ...], source: str, job: Job, write_end: int) -> None:
    code = 1
    current = names[0]
    try:
        # Ctrl-C reaches the whole process group: the child just ends, the parent says it
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        die_with_parent(parent)
        formats = {}
        for name in names:
            current = name
            t0 = time.perf_counter()
            output = job(name)
            formats[name] = {"warnings": output.warnings, "seconds": time.perf_counter() - t0}
        report: dict[str, object] = {"ok": True, "formats": formats}
        code = 0
    except TeiToolsError as exc:
        report = {"ok": False, "usage": isinstance(exc, UsageError), "message": str(exc)}
    except BaseException as exc:  # a bug: one line all the same, never a traceback
        report = {"ok": False, "message": f"{source}: error: the {current} output failed: "
                                          f"{type(exc).__name__}: {exc}"}
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(json.dumps(report, ensure_ascii=False).encode("utf-8"))
    finally:
        os._exit(code)  # no atexit handler, no buffer of the parent's flushed twice


def _status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.WEXITSTATUS(status)}" if os.WIFEXITED(status) else "unknown"
