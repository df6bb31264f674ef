"""Ctrl-C as a terminal sends it, for the tests of commands that must stop cleanly."""

from __future__ import annotations

import os
import signal
import subprocess


def interrupt(proc: subprocess.Popen[bytes] | subprocess.Popen[str]) -> str:
    """Send SIGINT to ``proc``'s process group (started with ``start_new_session``),
    wait for it and return its standard error, after checking what every command
    owes a Ctrl-C: exit 130, no traceback, and ``tei-tools: interrupted`` last."""
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends: the whole group
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    text = err if isinstance(err, str) else err.decode("utf-8", "replace")
    assert proc.returncode == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert text.strip().splitlines()[-1] == "tei-tools: interrupted", text
    return text
