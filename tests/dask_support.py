"""A real Dask cluster on loopback for the ``test_dask_*`` modules.

:class:`LoopbackCluster` starts ``dask scheduler`` on 127.0.0.1 with a free
port (``--port 0``, the address read back from its scheduler file) and
``dask worker --nthreads 1 --no-nanny`` processes (``nthreads``: more, to see them
refused), all with this Python (so
they import this checkout's ``tei_tools``), and stops every one of them on
exit, with a timeout: nothing is left running. Should the test process itself
be killed, the scheduler ends after 300 s without a client
(``--idle-timeout``) and the workers 60 s after it (``--death-timeout``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


class LoopbackCluster:
    def __init__(self, workers: int = 2, nthreads: int = 1) -> None:
        self.n_workers = workers
        self.nthreads = nthreads
        self.folder = Path(tempfile.mkdtemp(prefix="tei-tools-dask-"))
        self.processes: list[subprocess.Popen[bytes]] = []
        self.workers: list[subprocess.Popen[bytes]] = []
        self.address = ""

    def _start(self, *args: str, log: str) -> subprocess.Popen[bytes]:
        out = (self.folder / log).open("wb")
        env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False")
        env.pop("DASK_SCHEDULER_ADDRESS", None)
        proc = subprocess.Popen([sys.executable, "-m", *args], stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env, cwd=self.folder)
        out.close()
        self.processes.append(proc)
        return proc

    def __enter__(self) -> LoopbackCluster:
        try:
            self._start_all()
        except BaseException:
            self.stop()
            raise
        return self

    def _start_all(self) -> None:
        scheduler_file = self.folder / "scheduler.json"
        self._start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                    "--no-dashboard", "--scheduler-file", str(scheduler_file),
                    "--idle-timeout", "300", log="scheduler.log")
        deadline = time.monotonic() + START_TIMEOUT
        while not scheduler_file.is_file() or not scheduler_file.read_text().strip():
            self._check_alive(deadline)
        time.sleep(0.2)  # the file is written whole, but give it a moment
        self.address = json.loads(scheduler_file.read_text())["address"]
        assert self.address.startswith("tcp://127.0.0.1:"), self.address
        for i in range(self.n_workers):
            self.add_worker(f"worker{i}.log")
        self.wait_for_workers(self.n_workers, deadline)

    def add_worker(self, log: str) -> subprocess.Popen[bytes]:
        proc = self._start("distributed.cli.dask_worker", self.address,
                           "--nthreads", str(self.nthreads),
                           "--no-nanny", "--host", "127.0.0.1", "--no-dashboard",
                           "--memory-limit", "0", "--death-timeout", "60", log=log)
        self.workers.append(proc)
        return proc

    def _check_alive(self, deadline: float) -> None:
        for proc in self.processes:
            if proc.poll() is not None:
                raise RuntimeError(f"a Dask process exited early:\n{self.logs()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the loopback cluster did not start in time:\n{self.logs()}")
        time.sleep(0.1)

    def wait_for_workers(self, n: int, deadline: float | None = None) -> None:
        from distributed import Client

        deadline = deadline or time.monotonic() + START_TIMEOUT
        with Client(self.address, timeout=START_TIMEOUT, set_as_default=False) as client:
            while len(client.scheduler_info()["workers"]) != n:
                self._check_alive(deadline)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}"
                         for p in sorted(self.folder.glob("*.log")))

    def stop(self) -> None:
        for proc in reversed(self.processes):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.processes:
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_TIMEOUT)
        shutil.rmtree(self.folder, ignore_errors=True)  # logs and scheduler file

    def __exit__(self, *exc: object) -> None:
        self.stop()
