"""The benchmark's declared cases and how to tell whether each can run yet.

A case names the ``tei-tools`` features it needs (a sub-command, and options
its ``--help`` must mention). When a feature is missing the case is reported
as "not available yet" with the reason, never silently dropped.
"""

from __future__ import annotations

import functools
import re
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENV_BIN = REPO / ".venv" / "bin"


def tei_tools() -> str:
    exe = VENV_BIN / "tei-tools"
    return str(exe) if exe.exists() else "tei-tools"


def python() -> str:
    exe = VENV_BIN / "python"
    return str(exe) if exe.exists() else "python3"


@functools.cache
def command_help(command: str) -> str | None:
    """``tei-tools COMMAND --help`` output, or None if the command does not exist."""
    try:
        res = subprocess.run([tei_tools(), command, "--help"], capture_output=True, text=True,
                             timeout=60, cwd=REPO)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return res.stdout if res.returncode == 0 else None


def missing(requires: Sequence[str]) -> str | None:
    """Why a case cannot run yet (``None`` when everything it needs is there).

    ``requires`` lists a sub-command followed by options it must accept, e.g.
    ``("validate", "--schema")``; a ``|`` joins alternatives (``"--jobs|--workers"``).
    """
    if not requires:
        return None
    command, options = requires[0], requires[1:]
    text = command_help(command)
    if text is None:
        return f"not available yet: `tei-tools {command}` does not exist"
    for option in options:
        if not any(re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", text) for o in option.split("|")):
            return f"not available yet: `tei-tools {command}` has no `{option}` option"
    return None


def workers_option() -> str | None:
    """The name of ``tei-tools validate``'s worker-count option, if it has one."""
    text = command_help("validate") or ""
    for option in ("--jobs", "--workers", "-j"):
        if re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text):
            return option
    return None


@dataclass
class Case:
    """One measurement.

    ``cold`` is a command line timed with hyperfine; ``warm`` builds a
    callable timed in-process. ``expect_exit`` is the exit code a correct run
    gives (validation of a valid document: 0).
    """

    id: str
    section: str
    title: str
    requires: tuple[str, ...] = ()
    cold: list[str] | None = None
    warm: Callable[[], Callable[[], object]] | None = None
    memory: bool = False
    runs: int | None = None
    warmup: int = 1
    sampled: bool = False
    """Long case: time each run under the memory sampler instead of hyperfine + one extra run."""
    """Untimed hyperfine runs first (0 for long cases: their files were just written, so cached)."""
    docs: int = 1
    size_bytes: int | None = None
    workers: int | None = None
    tags: dict[str, object] = field(default_factory=dict)
    env: dict[str, str] | None = None

    def unavailable(self) -> str | None:
        return missing(self.requires)


def cli_call(args: Sequence[str]) -> Callable[[], object]:
    """An in-process call of ``tei-tools ARGS`` (warm after the first call)."""
    from click.testing import CliRunner

    from tei_tools.cli import main

    runner = CliRunner()
    argv = list(args)

    def call() -> object:
        result = runner.invoke(main, argv)
        if result.exit_code not in (0, 1):
            raise RuntimeError(f"tei-tools {' '.join(argv)} exited {result.exit_code}: "
                               f"{(result.output or '').strip()[:200]}")
        return result.exit_code

    return call
