"""Saxon's room: one :class:`SaxonSession` per caller, no process-wide state.

:mod:`.session` (the session, its stylesheets, :class:`Source`),
:mod:`.guard` (Saxon's errors as one located line without touching standard
error). Publishing, queries and Schematron all use it; each CLI command makes
one session, each executor worker process one of its own.
"""

from tei_tools.saxon.session import (
    HARDENING,
    ParamValue,
    RunResult,
    SaxonSession,
    Source,
    Stylesheet,
)

__all__ = ["HARDENING", "ParamValue", "RunResult", "SaxonSession", "Source", "Stylesheet"]
