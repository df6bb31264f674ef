"""How the ``tei-tools`` program ends (``tei_tools.cli.run`` / ``end``, #12).

The program skips the interpreter's teardown once its command returned; proved
here in fresh interpreters: the exit status is the command's, what was printed
reaches the pipe, ``atexit`` hooks (a temporary folder's finaliser among them)
still run, the objects are not torn down one by one, and with another Python
thread still running nothing is cut short.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def _python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          text=True, timeout=120)


def test_end_flushes_runs_the_hooks_and_keeps_the_status(tmp_path: Path) -> None:
    done = _python(
        "import atexit, sys, tempfile\n"
        "from tei_tools.cli import end\n"
        "kept = tempfile.TemporaryDirectory(dir=sys.argv[1])\n"
        "open(kept.name + '/f', 'w').close()\n"
        "atexit.register(lambda: print('hook ran'))\n"
        "class Torn:\n"
        "    def __del__(self): print('torn down')\n"
        "kept_object = Torn()\n"
        "print('written', end=' ')\n"
        "end(3)\n"
        "print('not reached')\n", str(tmp_path))
    assert done.returncode == 3
    assert done.stdout == "written hook ran\n"  # and no teardown: 'torn down' never printed
    assert list(tmp_path.iterdir()) == []  # the finaliser removed the folder


def test_end_with_a_message_exits_1_and_says_it() -> None:
    done = _python("from tei_tools.cli import end\nend('tei-tools: stopped')\n")
    assert (done.returncode, done.stderr) == (1, "tei-tools: stopped\n")


def test_end_leaves_a_running_thread_to_finish() -> None:
    done = _python(
        "import threading\n"
        "from tei_tools.cli import end\n"
        "go = threading.Event()\n"  # the thread is surely running while end() runs
        "t = threading.Thread(target=lambda: (go.wait(60), print('thread done')))\n"
        "t.start()\n"
        "end(0)\n"
        "print('went on', flush=True)\n"
        "go.set()\n")
    assert done.returncode == 0
    assert done.stdout == "went on\nthread done\n"


def test_the_program_keeps_each_commands_exit_status(tmp_path: Path) -> None:
    program = "import sys\nfrom tei_tools.cli import run\nsys.argv[0] = 'tei-tools'\nrun()\n"
    missing = _python(program, "build", str(tmp_path / "missing.xml"), "-o", str(tmp_path / "d"))
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [f"{tmp_path / 'missing.xml'}: error: no such file"]
    assert _python(program, "--version").stdout.startswith("tei-tools, version ")
    assert _python(program, "build", "--no-such-option").returncode == 2


def test_under_a_profiler_the_program_exits_as_usual_and_the_profile_is_printed() -> None:
    done = subprocess.run([sys.executable, "-m", "cProfile", "-m", "tei_tools", "--version"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0
    assert "tei-tools" in done.stdout
    assert "function calls" in done.stdout  # cProfile's report, printed after the program
