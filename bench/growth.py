"""How build time grows with the document (issue 12), beside the TEI Stylesheets.

    .venv/bin/python bench/growth.py                      # 0.1, 1, 3 MB; 3 runs each
    .venv/bin/python bench/growth.py --sizes 1,10 --runs 5
    .venv/bin/python bench/growth.py --peer /work/peer/Stylesheets   # the Stylesheets too
    .venv/bin/python bench/growth.py --only html --no-passes --baseline ../main/.venv/bin/tei-tools

Documents come from :func:`corpus.large_document` (the edition's body
repeated); a size not above the edition's (0.1 MB) is the edition file itself,
built as a user builds it, **validated** (the project's grammar and
Schematron) — the larger documents break the edition's Schematron (repeated
page numbers) and are built ``--no-validate``, as the Stylesheets are run
without validation. Every sample is a fresh process:

* **ours, per output**: ``tei-tools build DOC -f FMT`` (``--no-validate`` but
  for the edition) for each of txt, epub, records, html, and all four in one
  command (the HTML in a second process when a core is idle), and all four with
  ``-j 1`` (one process) and ``-j 2`` (the second process always); the package's
  bytecode is compiled first (as an installed package has it) for ours and the
  ``--baseline``; CPU seconds (user + sys, from ``wait4``) are kept beside the wall
  times, the peer's too;
* **ours, per pass**: this script with ``--probe``, a fresh interpreter that
  times each pass of one all-format build separately (lxml parse, validation
  with the project schema, Saxon tree build, each stylesheet's compile and
  transform, the EPUB's checks and zip, the records, the HTML assets);
* **peer** (with ``--peer DIR``, a TEIC/Stylesheets checkout kept outside
  this repository): ``profiles/default/{html5,txt,epub3}/to.xsl`` run by
  Saxon-HE (Java, Debian ``libsaxonhe-java``), one JVM per run; the EPUB's
  folder is then zipped (timed apart, added to the EPUB's time); for the
  edition, ``jing tei_all.rng`` (one more JVM) is their validation, added to
  their "all" (jing checks the grammar only: no Schematron on their side).

Medians of ``--runs`` samples; the 1-minute load average is recorded before
and after each size. Writes ``bench/results/growth.json`` and prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
OURS_FORMATS = ("txt", "epub", "records", "html")
PEER_FORMATS = {"html": "html5", "txt": "txt", "epub": "epub3"}
SAXON_JAR = Path("/usr/share/java/Saxon-HE.jar")
TEI_ALL = REPO.parent / "shared" / "tei-p5" / "tei_all.rng"
PEER_VALIDATE = "validate (jing tei_all.rng)"
OURS = Path(sys.executable).parent / "tei-tools"
ONE_PROCESS = "all, one process (`-j 1`)"
TWO_PROCESSES = "all, the HTML in a second process (`-j 2`)"
"""Ours, every format in one process, and the HTML always in a second one: beside
the default (a second process when a core is idle), what the second process
gives or costs in the same runs."""


def _load() -> float:
    return os.getloadavg()[0]


CPU: dict[str, list[float]] = {}
"""CPU seconds (user + sys, the process and the children it waited for) of each
timed command, by the label :func:`_timed` was given; reset per size."""


def _timed(cmd: list[str], label: str | None = None) -> float:
    """Wall seconds of ``cmd``; its CPU seconds go to :data:`CPU` under ``label``.

    The disk is synced first, untimed (as ``hyperfine --prepare sync``): the
    previous sample's output, and its removal, are written back before this
    one starts, not during it (on this machine's disk that writeback cost a
    following HTML build up to 5 s of system time)."""
    os.sync()
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.stderr.close()
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise subprocess.CalledProcessError(os.waitstatus_to_exitcode(status), cmd, stderr=err)
    if label is not None:
        CPU.setdefault(label, []).append(usage.ru_utime + usage.ru_stime)
    return wall


def compile_bytecode(exe: Path) -> None:
    """Write the bytecode of the package ``exe`` runs, as an installed package has it:
    with ``PYTHONDONTWRITEBYTECODE`` set (this machine's sessions) an editable install
    otherwise compiles every module from source on each run (~0.3 s CPU of a build)."""
    python = exe.parent / "python"
    found = subprocess.run([str(python), "-c", "import tei_tools, pathlib; "
                            "print(pathlib.Path(tei_tools.__file__).parent)"],
                           check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run([str(python), "-m", "compileall", "-q", found], check=True,
                   stdout=subprocess.DEVNULL)


def ours_output(doc: Path, fmt: str | None, work: Path, exe: Path | None = None,
                validate: bool = False, label: str | None = None,
                extra: tuple[str, ...] = ()) -> float:
    out = work / f"out-{fmt or 'all'}"
    if out.exists():
        shutil.rmtree(out)
    cmd = [str(exe or OURS), "build", str(doc), "-o", str(out), "-q", *extra]
    if not validate:
        cmd.append("--no-validate")
    if fmt:
        cmd += ["-f", fmt]
    return _timed(cmd, label)


def peak_rss(cmd: list[str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in bytes, exit status) of one process, from ``wait4``."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t, usage.ru_maxrss * 1024, proc.returncode


def memory(sizes: list[float], work: Path) -> dict[str, dict[str, float]]:
    """Peak RSS of one cold build of all formats (no validation) and of the
    validation alone (``build`` stops there: the repeated body breaks the
    edition's Schematron), per document size: the basis of ``--max-memory``."""
    sys.path.insert(0, str(HERE))
    import corpus

    exe = str(Path(sys.executable).parent / "tei-tools")
    rows: dict[str, dict[str, float]] = {}
    for mb in sizes:
        doc = work / f"mem-{mb:g}mb.xml"
        doc.write_bytes(corpus.large_document(int(mb * 1_000_000)))
        out = work / "mem-out"
        shutil.rmtree(out, ignore_errors=True)
        build_s, build_rss, _ = peak_rss([exe, "build", str(doc), "-o", str(out), "-q",
                                          "--no-validate"])
        shutil.rmtree(out, ignore_errors=True)
        val_s, val_rss, _ = peak_rss([exe, "validate", str(doc), "-j", "1"])
        rows[f"{mb:g}"] = {"bytes": doc.stat().st_size, "build_s": build_s,
                           "build_rss": build_rss, "validate_s": val_s, "validate_rss": val_rss,
                           "load": _load()}
        print(f"{mb:g} MB: {json.dumps(rows[f'{mb:g}'])}", file=sys.stderr)
    return rows


def ours_passes(doc: Path, work: Path) -> dict[str, dict[str, float]]:
    out = work / "probe"
    if out.exists():
        shutil.rmtree(out)
    done = subprocess.run([sys.executable, str(Path(__file__)), "--probe", str(doc), str(out)],
                          check=True, capture_output=True, text=True)
    found: dict[str, dict[str, float]] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


class _Clock:
    """Wall and CPU seconds (the process's, Saxon's threads included) per label:
    on a shared machine the CPU time is the steadier measure."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def add(self, label: str, wall0: float, cpu0: float) -> None:
        self.wall[label] = self.wall.get(label, 0.0) + time.perf_counter() - wall0
        self.cpu[label] = self.cpu.get(label, 0.0) + time.process_time() - cpu0

    def wrap(self, label: str, func):  # type: ignore[no-untyped-def]
        def wrapped(*a, **kw):  # type: ignore[no-untyped-def]
            wall0, cpu0 = time.perf_counter(), time.process_time()
            try:
                return func(*a, **kw)
            finally:
                self.add(label, wall0, cpu0)
        return wrapped

    def run(self, label: str, func, *a, **kw):  # type: ignore[no-untyped-def]
        return self.wrap(label, func)(*a, **kw)


def probe(doc: Path, out: Path) -> dict[str, dict[str, float]]:
    """One build of every format, each pass timed (runs in a fresh process)."""
    clock = _Clock()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    from tei_tools import xmlio
    from tei_tools.publish import epub, formats
    from tei_tools.publish.options import BuildOptions, WriteContext
    from tei_tools.saxon import SaxonSession, session
    from tei_tools.validation.runner import validate_document
    clock.add("import tei_tools (the build's modules)", wall0, cpu0)

    def read() -> tuple[bytes, object]:
        data = xmlio.read_bytes(doc)
        return data, xmlio.parse_bytes(data, str(doc))

    data, tree = clock.run("read + parse (lxml)", read)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    report = validate_document(data, tree, str(doc), schema=None)
    # the repeated body breaks some of the edition's Schematron rules (unique
    # page numbers…): the time is that of a full validation all the same
    clock.add("validate (project RNG + Schematron, compile included)"
              + ("" if report.ok else "; invalid"), wall0, cpu0)
    saxon = SaxonSession()
    clock.run("start Saxon", lambda: saxon.processor)
    source = clock.run("Saxon tree build (serialise + parse)", saxon.load_source, doc, tree)

    real_run = session.Stylesheet.run

    def run(self, *a, **kw):  # type: ignore[no-untyped-def]
        return clock.run(f"transform {self.name}", real_run, self, *a, **kw)

    session.Stylesheet.run = run  # type: ignore[method-assign]
    epub.check_package = clock.wrap("epub: check package", epub.check_package)
    epub.ocf_bytes = clock.wrap("epub: zip (OCF)", epub.ocf_bytes)
    epub.cover_of = clock.wrap("epub: cover image (from the cache, or drawn: Pillow import included)",
                               epub.cover_of)
    for name in ("text/text.xsl", "epub/epub.xsl", "html/edition.xsl"):
        clock.run(f"compile {name}", saxon.stylesheet, name)
    options = BuildOptions(validate=False)
    for name in OURS_FORMATS:
        folder = out / name
        folder.mkdir(parents=True)
        ctx = WriteContext(source, folder, out, options, doc.stem, saxon)
        clock.run(f"writer {name} (total)", formats.writer(name), ctx)
    return {"wall": clock.wall, "cpu": clock.cpu}


def peer_output(peer: Path, doc: Path, fmt: str, work: Path) -> tuple[float, float]:
    """(seconds in the JVM, seconds zipping) for one Stylesheets conversion."""
    profile = peer / "profiles" / "default" / PEER_FORMATS[fmt] / "to.xsl"
    out = work / f"peer-{fmt}"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir()
    cmd = ["java", "-cp", str(SAXON_JAR), "net.sf.saxon.Transform", f"-s:{doc}",
           f"-xsl:{profile}"]
    if fmt == "epub":
        css = peer / "css"
        cmd += [f"-o:{out / 'index.html'}", f"outputDir={out}",
                f"cssFile={css / 'tei.css'}", f"cssPrintFile={css / 'epub-print.css'}"]
    else:
        cmd += [f"-o:{out / ('out.' + fmt)}"]
    jvm = _timed(cmd, f"peer {fmt}")
    zipped = 0.0
    if fmt == "epub":
        t = time.perf_counter()
        with zipfile.ZipFile(work / "peer.epub", "w") as z:
            mimetype = out / "mimetype"
            if mimetype.is_file():
                z.write(mimetype, "mimetype", zipfile.ZIP_STORED)
            for path in sorted(out.rglob("*")):
                if path.is_file() and path.name != "mimetype" and path.name != "index.html":
                    z.write(path, path.relative_to(out).as_posix(), zipfile.ZIP_DEFLATED)
        zipped = time.perf_counter() - t
    return jvm, zipped


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def measure(sizes: list[float], runs: int, peer: Path | None, passes: bool,
            baseline: Path | None = None, only: str | None = None) -> dict:
    sys.path.insert(0, str(HERE))
    import corpus

    results: dict = {"runs": runs, "sizes": {}, "only": only}
    ours_formats = (only,) if only else (*OURS_FORMATS, None)
    peer_formats = [f for f in PEER_FORMATS if only in (None, f)]
    process_runs = () if only else ((ONE_PROCESS, "1"), (TWO_PROCESSES, "2"))
    for exe in (OURS, *([baseline] if baseline is not None else [])):
        compile_bytecode(exe)
    with tempfile.TemporaryDirectory(prefix="tei-tools-growth-") as tmp:
        work = Path(tmp)
        for mb in sizes:
            validated = mb * 1_000_000 <= corpus.edition_path().stat().st_size
            if validated:
                doc = corpus.edition_path()
            else:
                doc = work / f"doc-{mb:g}mb.xml"
                doc.write_bytes(corpus.large_document(int(mb * 1_000_000)))
            row: dict = {"bytes": doc.stat().st_size, "validated": validated,
                         "load_before": _load(), "ours": {}, "peer": {}, "passes": {}}
            CPU.clear()
            for _ in range(runs):
                for fmt in ours_formats:
                    row["ours"].setdefault(fmt or "all", []).append(
                        ours_output(doc, fmt, work, validate=validated, label=fmt or "all"))
                for label, jobs in process_runs:
                    row["ours"].setdefault(label, []).append(
                        ours_output(doc, None, work, validate=validated, label=label,
                                    extra=("-j", jobs)))
                if baseline is not None:
                    row.setdefault("baseline", []).append(
                        ours_output(doc, only, work, baseline, validate=validated,
                                    label="baseline"))
                if passes:
                    timed = ours_passes(doc, work)
                    for k, v in timed["wall"].items():
                        row["passes"].setdefault(k, []).append(v)
                    for k, v in timed["cpu"].items():
                        row.setdefault("passes_cpu", {}).setdefault(k, []).append(v)
                if peer is not None:
                    if validated:
                        row["peer"].setdefault(PEER_VALIDATE, []).append(
                            _timed(["jing", str(TEI_ALL), str(doc)], "peer " + PEER_VALIDATE))
                    for fmt in peer_formats:
                        jvm, zipped = peer_output(peer, doc, fmt, work)
                        row["peer"].setdefault(fmt, []).append(jvm + zipped)
                        if fmt == "epub":
                            row["peer"].setdefault("epub: zip", []).append(zipped)
                print(f"{mb:g} MB: run done (load {_load():.1f})", file=sys.stderr)
            row["load_after"] = _load()
            row["cpu"] = {k: list(v) for k, v in CPU.items()}
            results["sizes"][f"{mb:g}"] = row
    return results


def table(results: dict) -> str:
    lines = []
    sizes = results["sizes"]
    head = "| output | " + " | ".join(f"{k} MB ({v['bytes'] / 1e6:.2f} MB)" for k, v in sizes.items()) + " |"
    lines += [head, "|" + " --- |" * (len(sizes) + 1)]
    only = results.get("only")
    labels = [only] if only else ["txt", "epub", "records", "html", "all"]
    for fmt in labels:
        cells = []
        for row in sizes.values():
            ours = _median(row["ours"].get(fmt, []))
            cell = f"{ours:.2f} s"
            peer = row["peer"]
            if fmt in peer:
                theirs = _median(peer[fmt])
                cell += f" / {theirs:.2f} s ({theirs / ours:.1f}×)"
            elif fmt == "all" and all(f in peer for f in PEER_FORMATS):
                parts = [*PEER_FORMATS, *([PEER_VALIDATE] if PEER_VALIDATE in peer else [])]
                theirs = sum(_median(peer[f]) for f in parts)
                # the runs alternate the tools: each run's own ratio, then their median
                per_run = _median([sum(peer[f][i] for f in parts) / mine
                                   for i, mine in enumerate(row["ours"]["all"])])
                cell += (f" / {theirs:.2f} s (**{theirs / ours:.1f}×**, per run "
                         f"{per_run:.1f}×; {'+'.join(parts)})")
            cells.append(cell)
        lines.append(f"| {fmt} | " + " | ".join(cells) + " |")
    if any(PEER_VALIDATE in row["peer"] for row in sizes.values()):
        lines.append(f"| peer {PEER_VALIDATE} | " + " | ".join(
            f"{_median(row['peer'][PEER_VALIDATE]):.2f} s" if PEER_VALIDATE in row["peer"] else "–"
            for row in sizes.values()) + " |")
    lines.append("| ours validated | " + " | ".join(
        "yes (project RNG + Schematron)" if row.get("validated") else "no"
        for row in sizes.values()) + " |")
    if any("baseline" in row for row in sizes.values()):
        cells = []
        for row in sizes.values():
            base = _median(row.get("baseline", []))
            cells.append(f"{base:.2f} s ({base / _median(row['ours'][only or 'all']):.1f}× ours)")
        lines.append(f"| {only or 'all'}, baseline build (`--baseline`) | " + " | ".join(cells) + " |")
    for label in (ONE_PROCESS, TWO_PROCESSES):
        lines.append(f"| {label} | " + " | ".join(
            f"{_median(row['ours'][label]):.2f} s" if label in row["ours"] else "–"
            for row in sizes.values()) + " |")
    cpu_labels = ["all", ONE_PROCESS, TWO_PROCESSES, "baseline"]
    for label in cpu_labels:
        if any(label in row.get("cpu", {}) for row in sizes.values()):
            lines.append(f"| CPU s (user + sys), ours {label} | " + " | ".join(
                f"{_median(row['cpu'][label]):.2f} s" if label in row.get("cpu", {}) else "–"
                for row in sizes.values()) + " |")
    if any("peer html" in row.get("cpu", {}) for row in sizes.values()):
        cells = []
        for row in sizes.values():
            cpu = row.get("cpu", {})
            theirs = sum(_median(v) for k, v in cpu.items() if k.startswith("peer "))
            cells.append(f"{theirs:.2f} s ({theirs / _median(cpu['all']):.1f}× ours)")
        lines.append("| CPU s (user + sys), theirs all | " + " | ".join(cells) + " |")
    lines.append("| load (1 min) | " + " | ".join(
        f"{row['load_before']:.1f} → {row['load_after']:.1f}" for row in sizes.values()) + " |")
    keys: list[str] = []
    for row in sizes.values():
        keys += [k for k in row["passes"] if k not in keys]
    if keys:
        lines += ["", "| pass (one all-format build): wall (CPU) | "
                  + " | ".join(f"{k} MB" for k in sizes) + " |",
                  "|" + " --- |" * (len(sizes) + 1)]
        for k in keys:
            lines.append(f"| {k} | " + " | ".join(
                f"{_median(row['passes'][k]):.3f} s ({_median(row['passes_cpu'][k]):.3f})"
                if k in row["passes"] else "–" for row in sizes.values()) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.1,1,3", help="megabytes, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer", type=Path, help="a TEIC/Stylesheets checkout (outside the repo)")
    parser.add_argument("--no-passes", action="store_true", help="skip the per-pass probe")
    parser.add_argument("--baseline", type=Path, metavar="TEI_TOOLS",
                        help="another tei-tools executable (e.g. main's) timed in the same runs, all formats")
    parser.add_argument("--only", choices=OURS_FORMATS,
                        help="one output only (ours, the baseline's, the peer's): no all-format, no -j")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "growth.json")
    parser.add_argument("--memory", action="store_true",
                        help="only the peak RSS of a build and of a validation per size")
    parser.add_argument("--probe", nargs=2, type=Path, metavar=("DOC", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(probe(*args.probe)))
        return 0
    if args.peer is not None and not (args.peer / "profiles" / "default" / "html5" / "to.xsl").is_file():
        parser.error(f"{args.peer}: not a TEIC/Stylesheets checkout (no profiles/default/html5/to.xsl)")
    if args.memory:
        with tempfile.TemporaryDirectory(prefix="tei-tools-memory-") as tmp:
            rows = memory([float(s) for s in args.sizes.split(",")], Path(tmp))
        print(json.dumps(rows, indent=1))
        return 0
    results = measure([float(s) for s in args.sizes.split(",")], args.runs, args.peer,
                      not args.no_passes, args.baseline, args.only)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
