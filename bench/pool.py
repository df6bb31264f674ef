r"""Run a ``tei-tools`` sub-command over many documents with K worker processes.

Used for the scaling measurements when the command itself takes one document
(``build``) or has no worker option: each worker is a long-lived process that
calls the CLI in-process (``CliRunner``), so grammars are read once per
worker; each command call has its own Saxon session (its stylesheets compiled
per call). ``tei-tools build FOLDER -j K`` is the batch job whose workers keep
one session (``bench/worker_memory.py``).

    python bench/pool.py --workers K \
        --per-file "build {file} --no-validate --format txt --out {out}" LISTFILE OUTDIR
    python bench/pool.py --workers K --chunk 25 "validate --schema X {files}" LISTFILE OUTDIR

``{file}`` runs the command once per document, ``{files}`` once per chunk of
documents. Exit 0 when every call exited 0, else 1 (the count goes to stderr).
"""

from __future__ import annotations

import argparse
import multiprocessing
import shlex
import sys
from pathlib import Path

_TEMPLATE = ""
_OUT = ""


def _init(template: str, out: str) -> None:
    global _TEMPLATE, _OUT
    _TEMPLATE, _OUT = template, out


def _run(files: list[str]) -> int:
    from click.testing import CliRunner

    from tei_tools.cli import main

    runner = CliRunner()
    bad = 0
    if "{files}" in _TEMPLATE:
        head, tail = _TEMPLATE.split("{files}", 1)
        calls = [shlex.split(head) + files + shlex.split(tail)]
    else:
        calls = [shlex.split(_TEMPLATE.format(file=f, out=str(Path(_OUT) / Path(f).stem)))
                 for f in files]
    for argv in calls:
        result = runner.invoke(main, argv)
        if result.exit_code != 0:
            bad += 1
    return bad


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--chunk", type=int, default=10)
    ap.add_argument("template")
    ap.add_argument("listfile")
    ap.add_argument("out")
    ns = ap.parse_args(argv)
    files = Path(ns.listfile).read_text(encoding="utf-8").split("\n")
    files = [f for f in files if f]
    chunks = [files[i:i + ns.chunk] for i in range(0, len(files), ns.chunk)]
    if ns.workers <= 1:
        _init(ns.template, ns.out)
        bad = sum(_run(c) for c in chunks)
    else:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(ns.workers, initializer=_init, initargs=(ns.template, ns.out)) as pool:
            bad = sum(pool.imap_unordered(_run, chunks))
    if bad:
        print(f"pool: {bad} call(s) exited non-zero", file=sys.stderr)
    return 0 if bad == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
