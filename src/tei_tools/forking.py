"""When this process may fork a child that goes on running Python, and how such a
child ends with its parent: one rule each for the executor's local workers
(:mod:`tei_tools.executor`) and the build's second process
(:mod:`tei_tools.publish.aside`). A module of its own so that the build's cold path
asks it without importing :mod:`multiprocessing`."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading


def fork_is_safe() -> bool:
    """Whether this process may fork a child that goes on running Python: ``fork``
    exists, Saxon is not loaded (a GraalVM isolate does not survive a fork; the
    module loaded is taken to mean a processor may be running) and only this
    thread runs (a fork copies the caller's thread only: a lock another held
    would stay held in the child)."""
    return (hasattr(os, "fork") and "saxonche" not in sys.modules
            and threading.active_count() == 1)


def die_with_parent(parent: int) -> bool:
    """In a child: have the kernel kill this process (``SIGKILL``) when its parent
    ``parent`` ends, even killed (Linux's ``PR_SET_PDEATHSIG``; the parent is the
    thread that forked). Whether it will: ``False`` where the system cannot, and
    the caller watches some other way. If the parent has ended already (before
    this took effect), this process ends now."""
    armed = False
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            armed = ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig,
                                                            signal.SIGKILL) == 0
    if os.getppid() != parent:
        os._exit(1)
    return armed
