"""The critical path of one cold ``tei-tools build``, both processes (issue 12).

    .venv/bin/python bench/critical_path.py                 # the edition, validated
    .venv/bin/python bench/critical_path.py --size 1 -- -j 2 --no-validate
    .venv/bin/python bench/critical_path.py --size 10 --runs 1 -- --no-validate

Runs the build command in a fresh interpreter (``--trace``) whose steps are
wrapped to log when each starts and ends, in which process: the imports before
the build, the read and the parse, the fork, Saxon's start, each stylesheet's
compile and run, the Saxon tree, the validation, each writer and its part
outside Saxon (the EPUB's check and zip, the schema pages), the finishing step
and the install. Prints one line per step, milliseconds since the interpreter
started (``time.time()`` at its first line, the same clock in the child), medians
over ``--runs`` builds. Arguments after ``--`` go to ``tei-tools build``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _trace(log: Path, argv: list[str]) -> None:
    """In the traced interpreter: wrap the steps, then run the command."""
    start = float(os.environ["TT_TRACE_T0"])
    events: list[tuple[int, str, float, float, float]] = []

    def now() -> float:
        return (time.time() - start) * 1000

    def wrap(owner, attr, label):  # type: ignore[no-untyped-def]
        func = getattr(owner, attr)

        def wrapped(*a, **kw):  # type: ignore[no-untyped-def]
            name = label(*a, **kw) if callable(label) else label
            t, c = now(), time.process_time()
            try:
                return func(*a, **kw)
            finally:
                events.append((os.getpid(), name, t, now(), (time.process_time() - c) * 1000))
                _dump()
        setattr(owner, attr, wrapped)

    def _dump() -> None:
        with log.open("a", encoding="utf-8") as fh:
            while events:
                fh.write(json.dumps(events.pop(0)) + "\n")

    t_imp, c_imp = now(), time.process_time()
    from tei_tools import xmlio
    from tei_tools.cli import main as cli_main
    from tei_tools.publish import aside, build, formats, html, schema_doc
    from tei_tools.saxon import session
    events.append((os.getpid(), "import cli", t_imp, now(), (time.process_time() - c_imp) * 1000))
    wrap(xmlio, "read_bytes", "read")
    wrap(xmlio, "parse_document", "parse (lxml)")
    wrap(aside, "start", "fork (+ shared imports)")
    wrap(session._Processor, "__init__", "Saxon start")
    wrap(session.Stylesheet, "__init__", lambda self, name, *a: f"compile {name}")
    wrap(session.Stylesheet, "run", lambda self, *a, **k: f"run {self.name}")
    wrap(session.SaxonSession, "load_source", "Saxon tree")
    wrap(build, "_validate", "validate")
    wrap(build, "install", "install")
    wrap(schema_doc, "write", "schema pages")
    wrap(html, "add_downloads", "html downloads")
    real_wait = aside.Aside.wait

    def wait(self):  # type: ignore[no-untyped-def]
        t = now()
        try:
            return real_wait(self)
        finally:
            events.append((os.getpid(), "wait for the child (its CPU)", t, now(), self.cpu * 1000))
            _dump()
    aside.Aside.wait = wait  # type: ignore[method-assign]
    if os.environ.get("TT_TRACE_ASIDE"):
        aside.FORMATS = tuple(os.environ["TT_TRACE_ASIDE"].split(","))
    real_writer = formats.writer

    def writer(name: str):  # type: ignore[no-untyped-def]
        found = real_writer(name)

        def timed(ctx):  # type: ignore[no-untyped-def]
            t, c = now(), time.process_time()
            try:
                return found(ctx)
            finally:
                events.append((os.getpid(), f"write {name}", t, now(),
                               (time.process_time() - c) * 1000))
                _dump()
        return timed
    formats.writer = writer  # type: ignore[assignment]
    try:
        cli_main(argv, prog_name="tei-tools")
    except SystemExit:
        pass
    finally:
        events.append((os.getpid(), "exit (process CPU so far)", now(), now(),
                       time.process_time() * 1000))
        _dump()


ASIDE = [""]


def run_once(python: Path, args: list[str]) -> list[tuple[int, str, float, float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "trace.jsonl"
        env = dict(os.environ, TT_TRACE_T0=repr(time.time()), TT_TRACE_ASIDE=ASIDE[0])
        subprocess.run([str(python), __file__, "--trace", str(log), "--", *args],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return [tuple(json.loads(line)) for line in log.read_text().splitlines()]  # type: ignore[misc]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=0.0, help="MB (0: the edition)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--aside", help="formats the child writes (default: aside.FORMATS)")
    parser.add_argument("--trace", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*")
    ns = parser.parse_args(argv)
    if ns.trace is not None:
        _trace(ns.trace, ns.rest)
        return 0
    python = Path(sys.executable)
    ASIDE[0] = ns.aside or ""
    with tempfile.TemporaryDirectory() as work:
        doc: Path | None = None
        if ns.size > 0:
            from corpus import large_document

            doc = Path(work) / "big.xml"
            doc.write_bytes(large_document(int(ns.size * 1_000_000)))
        args = ["build", *([str(doc)] if doc else []), "-o", str(Path(work) / "dist"), *ns.rest]
        runs = [run_once(python, args) for _ in range(ns.runs)]
    parent_pid = [r[0][0] for r in runs]
    table: dict[tuple[str, str, int], list[tuple[float, float, float]]] = {}
    for pid0, events in zip(parent_pid, runs, strict=True):
        seen: dict[tuple[str, str], int] = {}
        for pid, name, t0, t1, cpu in events:
            who = "parent" if pid == pid0 else "child"
            k = seen[(who, name)] = seen.get((who, name), 0) + 1
            table.setdefault((who, name, k), []).append((t0, t1, cpu))
    rows = sorted(table.items(), key=lambda kv: statistics.median(s[0] for s in kv[1]))
    print(f"{'process':7} {'step':32} {'start':>7} {'end':>7} {'ms':>6} {'CPU ms':>6}")
    for (who, name, _k), spans in rows:
        t0 = statistics.median(s[0] for s in spans)
        t1 = statistics.median(s[1] for s in spans)
        ms = statistics.median(s[1] - s[0] for s in spans)
        cpu = statistics.median(s[2] for s in spans)
        if name.startswith("parse") and ms < 5:
            continue
        print(f"{who:7} {name:32} {t0:7.0f} {t1:7.0f} {ms:6.0f} {cpu:6.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
