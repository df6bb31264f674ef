"""Work for the executor tests: module-level, picklable, importable by workers."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Echo:
    """Returns (item, worker pid, start method); later items finish first."""

    delay: float = 0.0

    def __call__(self, item: int) -> tuple[int, int, str]:
        time.sleep(self.delay * ((item * 37) % 5))
        return item, os.getpid(), multiprocessing.get_start_method()


@dataclass(frozen=True)
class Bounded:
    """Returns (item, worker pid); its workers do about ``documents_per_worker`` each."""

    documents_per_worker: int

    def __call__(self, item: int) -> tuple[int, int]:
        return item, os.getpid()


@dataclass(frozen=True)
class Prepared:
    """Records each worker's ``prepare()`` in a file named by its pid."""

    folder: str

    def prepare(self) -> None:
        marker = Path(self.folder) / f"prepared-{os.getpid()}"
        with marker.open("a", encoding="utf-8") as f:
            f.write("x")

    def __call__(self, item: int) -> tuple[int, int]:
        return item, os.getpid()


@dataclass(frozen=True)
class Binds:
    """Has ``bind()``: each item comes back with the binding that did it (a number
    unique in its process) and that process's pid."""

    def bind(self) -> Bound:
        return Bound(next(_BINDINGS))

    def __call__(self, item: int) -> tuple[int, int, int]:
        raise AssertionError("an executor calls what bind() returned")


_BINDINGS = itertools.count()


@dataclass(frozen=True)
class Bound:
    binding: int

    def __call__(self, item: int) -> tuple[int, int, int]:
        return item, self.binding, os.getpid()


@dataclass(frozen=True)
class DieOnce:
    """The worker that takes item ``victim`` first dies (as a killed process would)."""

    folder: str
    victim: int
    always: bool = False

    def __call__(self, item: int) -> int:
        if item == self.victim:
            marker = Path(self.folder) / "died"
            if self.always or not marker.exists():
                marker.write_text("x", encoding="utf-8")
                os._exit(9)
        return item * item


@dataclass(frozen=True)
class SaxonCounter:
    """Needs Saxon: returns (item, pid, id of the session, what it has compiled)."""

    uses_saxon = True
    documents_per_worker: int | None = None

    def prepare(self, *, saxon: object) -> None:
        saxon.stylesheet("text/text.xsl")  # type: ignore[attr-defined]

    def __call__(self, item: int, *, saxon: object) -> tuple[int, int, int, tuple[str, ...]]:
        return item, os.getpid(), id(saxon), saxon.compiled()  # type: ignore[attr-defined]


PRELOADED: list[str] = []
"""What ``Preloads.preload()`` read in this process (a worker forked after it has it too)."""


@dataclass(frozen=True)
class Preloads:
    """Has ``preload()`` (stamped in a file named by the pid, and kept in
    :data:`PRELOADED`) and ``prepare()``; each item comes back with its worker's pid,
    start method and what that worker holds of the preload."""

    folder: str

    def preload(self) -> None:
        PRELOADED.append("read")
        with (Path(self.folder) / f"preloaded-{os.getpid()}").open("a", encoding="utf-8") as f:
            f.write("x")

    def prepare(self) -> None:
        with (Path(self.folder) / f"prepared-{os.getpid()}").open("a", encoding="utf-8") as f:
            f.write("x")

    def __call__(self, item: int) -> tuple[int, int, str, tuple[str, ...]]:
        return item, os.getpid(), multiprocessing.get_start_method(), tuple(PRELOADED)


@dataclass(frozen=True)
class Threads:
    """Returns the number of threads of the process that ran the item (the kernel's count)."""

    def __call__(self, item: int) -> int:
        return len(os.listdir("/proc/self/task"))


@dataclass(frozen=True)
class GcState:
    """Returns the cyclic GC's young threshold and how many objects it leaves frozen."""

    def __call__(self, item: int) -> tuple[int, int]:
        import gc

        return gc.get_threshold()[0], gc.get_freeze_count()
