"""``tei-tools validate`` reports a long run as it goes: each file's diagnostics are
written when that file (and every file before it) is done, not after the last one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from corpus_support import make_corpus, variant

from tei_tools.validation import FileResult, validate


def test_on_result_gets_each_file_in_input_order_as_the_report_has_them(tmp_path: Path) -> None:
    files = make_corpus(tmp_path, 12, invalid_every=4, malformed=1)
    seen: list[FileResult] = []
    report = validate([str(tmp_path)], jobs=2, on_result=seen.append)
    assert [r.path for r in seen] == [f.path for f in report.files] == [str(f) for f in files]
    assert seen == list(report.files)
    assert any(r.diagnostics for r in seen) and not report.ok


def test_the_first_file_s_diagnostics_arrive_while_the_rest_is_still_checked(
        tmp_path: Path) -> None:
    """Only the first of 400 files is invalid: its line reaches the reader long before the
    run ends (written at the end, it would come a few milliseconds before the exit)."""
    files = make_corpus(tmp_path, 400)
    files[0].write_bytes(variant(0, invalid=True))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "tei_tools", "validate", "-j", "1",
                             str(tmp_path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        first_at = time.monotonic()
        rest, err = proc.communicate(timeout=600)
        ended_at = time.monotonic()
    finally:
        proc.kill()
    assert first.startswith(f"{files[0]}:") and "error" in first
    assert all(line.startswith(f"{files[0]}:") for line in rest.splitlines())
    assert err == "400 files, 1 error, 0 warnings: invalid\n"
    assert proc.returncode == 1
    # the other 399 files were checked after the line arrived: most of the run
    assert ended_at - first_at > 0.5 * (ended_at - started), (first_at - started,
                                                              ended_at - started)
