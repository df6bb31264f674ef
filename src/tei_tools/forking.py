"""When this process may fork a child that goes on running Python: one rule for the
executor's local workers (:mod:`tei_tools.executor`) and the build's second process
(:mod:`tei_tools.publish.aside`). A module of its own so that the build's cold path
asks it without importing :mod:`multiprocessing`."""

from __future__ import annotations

import os
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
