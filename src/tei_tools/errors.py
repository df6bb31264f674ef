"""The one exception family of tei-tools.

The CLI turns any :class:`TeiToolsError` into a one-line message and its
``exit_code``; nothing else escapes as a traceback.
"""

from __future__ import annotations

from tei_tools.diagnostics import Diagnostic


class TeiToolsError(Exception):
    """Base class. ``exit_code`` 1: the input is invalid or a build failed."""

    exit_code: int = 1


class UsageError(TeiToolsError):
    """Bad usage or an unreadable input (missing path, I/O error): exit 2."""

    exit_code = 2


class XmlInputError(TeiToolsError):
    """A file that is not acceptable XML (malformed, hostile, too large).

    Carries the location so the message reads ``file:line:col: error: …``.
    """

    def __init__(self, file: str, message: str, line: int | None = None,
                 column: int | None = None, code: str = "XML") -> None:
        self.file = file
        self.line = line
        self.column = column
        self.code = code
        self.message = message
        super().__init__(self.located())

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(self.code, "error", self.file, self.line, self.column, self.message)

    def located(self) -> str:
        return self.diagnostic().format()


class BuildError(TeiToolsError):
    """A publication step failed; the previous output is left in place."""


class QueryError(TeiToolsError):
    """A query failed at run time (exit 1); syntax errors use exit 2."""
