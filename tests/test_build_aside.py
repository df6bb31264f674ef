"""`tei-tools build` writing the HTML in a second process (`tei_tools.publish.aside`, #12).

Each build runs in a fresh interpreter (a fork is only made before Saxon starts
in a process, never in this test process, which has started it): ``-j 2`` asks
for the second process, ``-j 1`` for one process. Proved here: the same files
and messages either way; a failure on either side (validation, the child's
writer, the child killed) is one line, exit 1, nothing installed, the previous
output intact and no process left behind; Ctrl-C stops both (exit 130); a single
core, a session given by the caller, and ``-j 1`` stay in one process.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from process_support import interrupt

from tei_tools.publish import aside
from tei_tools.publish.build import BuildOptions, build
from tei_tools.saxon import SaxonSession

from build_support import tree_digest
from conftest import EDITION, MINI

REPO = Path(__file__).resolve().parents[1]
INVALID = Path(__file__).parent / "fixtures" / "build" / "invalid.xml"
SECOND = "(a second process"
DRIVER = """\
import os, sys
from tei_tools.cli import main
from tei_tools.errors import BuildError
from tei_tools.publish import formats
{setup}
main(sys.argv[1:], prog_name="tei-tools")
"""
FAILING_HTML = """
def html(ctx):
    (ctx.out_dir / "index.html").write_text("half-written", encoding="utf-8")
    {fail}
formats.WRITERS["html"] = html
"""


def run(*args: str | Path, setup: str = "") -> subprocess.CompletedProcess[str]:
    code = DRIVER.format(setup=setup)
    return subprocess.run([sys.executable, "-c", code, "build", *map(str, args)], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def left_running(token: str) -> list[int]:
    """Processes whose command line names ``token`` (a test's own folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if token.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def said(stderr: str, out: Path) -> list[str]:
    """The progress lines without their timings, the folder and the process notes."""
    text = re.sub(r" \(a second process[^)]*\)", "", stderr.replace(str(out), "OUT"))
    return re.sub(r"\d+\.\d+ s", "N s", text).splitlines()


def failing(fail: str) -> str:
    return FAILING_HTML.format(fail=fail)


# an HTML writer that takes its time: the second process is surely still running
# when the test interrupts it, however fast the machine builds the edition
SLOW_HTML = """
import time
def html(ctx):
    time.sleep(60)
    from tei_tools.publish.html import write
    return write(ctx)
formats.WRITERS["html"] = html
"""


def test_the_second_process_writes_the_same_files_and_says_so(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    sequential = run(MINI, "-o", one, "-j", "1")
    beside = run(MINI, "-o", two, "-j", "2")
    assert sequential.returncode == beside.returncode == 0, sequential.stderr + beside.stderr
    assert SECOND in beside.stderr and SECOND not in sequential.stderr
    # the same lines in the same order, but for the timings and where each was written
    assert said(beside.stderr, two) == said(sequential.stderr, one)
    assert any(line.startswith("tei-tools build: txt: ") for line in said(beside.stderr, two))
    assert "tei-tools build: epub: 1 file in N s" in said(beside.stderr, two)  # one EPUB
    first, second = tree_digest(one), tree_digest(two)
    assert first == second
    assert {"html/downloads/edition-mini.txt", "html/downloads/edition-mini.epub",
            "html/downloads/edition-mini.xml"} <= first.keys()
    assert any(k.startswith("html/downloads/items/") for k in first)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "two"]
    assert left_running(str(tmp_path)) == []


def test_an_invalid_document_stops_the_child_and_says_what_one_process_says(
        tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(MINI, out, BuildOptions(formats=("txt",)))
    before = tree_digest(out)
    sequential = run(INVALID, "-o", out, "-j", "1")
    beside = run(INVALID, "-o", out, "-j", "2")
    assert sequential.returncode == beside.returncode == 1
    assert beside.stderr == sequential.stderr
    assert beside.stderr.strip().splitlines()[-1].endswith(
        "(fix them, or build with --no-validate)")
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]
    assert left_running(str(tmp_path)) == []


@pytest.mark.parametrize(("fail", "expected"), [
    ('raise BuildError(f"{ctx.source.name}: error: injected failure")',
     f"{MINI}: error: injected failure"),
    ('raise RuntimeError("a bug")',
     f"{MINI}: error: the html output failed: RuntimeError: a bug"),
    ("os.kill(os.getpid(), 9)",
     f"{MINI}: error: the process writing the html output ended without a report (signal 9)"),
], ids=["build-error", "bug", "killed"])
def test_a_failure_in_the_child_is_one_line_and_installs_nothing(
        tmp_path: Path, fail: str, expected: str) -> None:
    out = tmp_path / "dist"
    build(MINI, out, BuildOptions(formats=("txt",)))
    before = tree_digest(out)
    done = run(MINI, "-o", out, "-f", "txt,html", "-j", "2", "-q", setup=failing(fail))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [expected]
    assert tree_digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]
    assert left_running(str(tmp_path)) == []


def test_ctrl_c_stops_both_processes(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER.format(setup=SLOW_HTML), "build", str(EDITION),
         "-o", str(out), "-j", "2"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(left_running(str(tmp_path))) < 2 and proc.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.02)  # until the child is forked
    time.sleep(0.3)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    assert list(tmp_path.glob(".dist.tmp-*"))
    assert len(left_running(str(tmp_path))) == 2  # the command and its child
    interrupt(proc)
    assert list(tmp_path.iterdir()) == []
    assert left_running(str(tmp_path)) == []


def test_one_core_stays_in_one_process(tmp_path: Path) -> None:
    done = run(MINI, "-o", tmp_path / "d", "-f", "txt,html",
               setup="os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})")
    assert done.returncode == 0, done.stderr
    assert "html: " in done.stderr and SECOND not in done.stderr


def test_a_callers_session_or_a_started_saxon_stays_in_one_process(tmp_path: Path) -> None:
    said: list[str] = []
    build(MINI, tmp_path / "a", BuildOptions(formats=("txt", "html"), concurrent=True),
          said.append, saxon=SaxonSession())
    assert any(m.startswith("html: ") for m in said) and not any(SECOND in m for m in said)
    said.clear()
    assert "saxonche" in sys.modules  # this process has started Saxon: no fork here
    build(MINI, tmp_path / "b", BuildOptions(formats=("txt", "html"), concurrent=True), said.append)
    assert any(m.startswith("html: ") for m in said) and not any(SECOND in m for m in said)


@pytest.mark.parametrize(("cores", "running", "idle"), [(1, 1, False), (2, 1, True), (2, 2, False),
                                                        (2, 5, False), (8, 7, True), (8, 8, False)])
def test_automatic_means_a_core_is_idle_now(monkeypatch: pytest.MonkeyPatch, cores: int,
                                            running: int, idle: bool) -> None:
    """What runs now decides, whatever the 1-minute load says."""
    monkeypatch.setattr(aside, "cores", lambda: cores)
    monkeypatch.setattr(aside, "runnable_now", lambda: running)
    monkeypatch.setattr(os, "getloadavg", lambda: (9.0, 9.0, 9.0) if idle else (0.0, 0.0, 0.0))
    assert aside.idle_core() is idle


@pytest.mark.parametrize(("cores", "load", "idle"), [(1, 0.0, False), (2, 0.5, True),
                                                     (2, 1.9, True), (2, 2.0, False),
                                                     (8, 7.5, True)])
def test_without_the_count_the_load_decides(monkeypatch: pytest.MonkeyPatch, cores: int,
                                            load: float, idle: bool) -> None:
    monkeypatch.setattr(aside, "cores", lambda: cores)
    monkeypatch.setattr(aside, "runnable_now", lambda: None)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    assert aside.idle_core() is idle


def test_runnable_now_reads_the_fourth_field(tmp_path: Path) -> None:
    line = tmp_path / "loadavg"
    line.write_text("1.73 0.91 0.40 3/187 4242\n", encoding="ascii")
    assert aside.runnable_now(str(line)) == 3
    line.write_text("1.73 0.91\n", encoding="ascii")
    assert aside.runnable_now(str(line)) is None
    assert aside.runnable_now(str(tmp_path / "absent")) is None
    if Path(aside.LOADAVG).exists():  # this process is running while it reads it
        assert (aside.runnable_now() or 0) >= 1


WAITING_HTML = """
real = formats.writer("html")

def html(ctx):
    # the child ends only once the parent has copied the HTML's downloads
    output = real(ctx)
    import time
    copied = ctx.out_dir / "downloads" / f"{ctx.basename}.txt"
    deadline = time.monotonic() + 60
    while not copied.is_file():
        if time.monotonic() > deadline:
            raise BuildError("the downloads were not copied while the HTML was written")
        time.sleep(0.05)
    return output
formats.WRITERS["html"] = html
"""


def test_the_downloads_are_copied_while_the_child_writes(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    sequential = run(MINI, "-o", one, "-j", "1", "--no-validate")
    beside = run(MINI, "-o", two, "-j", "2", "--no-validate", setup=WAITING_HTML)
    assert sequential.returncode == beside.returncode == 0, beside.stderr
    assert said(beside.stderr, two) == said(sequential.stderr, one)  # html said once, last
    assert tree_digest(one) == tree_digest(two)
    assert left_running(str(tmp_path)) == []


SPLIT_HTML = """
from tei_tools.publish import aside, html
aside.SPLIT_HTML_AT = 0  # the search part in the parent even for a small document
real_write = html.write

def logged(ctx, pages=html.ALL):
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"{os.getpid()} {pages}\\n")
    return real_write(ctx, pages)
html.write = logged
"""


def test_the_html_split_between_the_processes_writes_the_same_files(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    sequential = run(MINI, "-o", one, "-j", "1", "-q")
    log = tmp_path / "parts.log"
    beside = run(MINI, "-o", two, "-j", "2", "-q", setup=SPLIT_HTML.replace("LOG", repr(str(log))))
    assert sequential.returncode == beside.returncode == 0, beside.stderr
    parts = dict(line.split()[::-1] for line in log.read_text().splitlines())
    assert sorted(parts) == ["no-search", "search"] and parts["search"] != parts["no-search"]
    assert tree_digest(one) == tree_digest(two)
    assert {"html/search.html", "html/search-index.js"} <= tree_digest(two).keys()
    assert left_running(str(tmp_path)) == []
