"""Located diagnostics, in the form archivists know from jing and oXygen.

``path:line:col: error: message [code]`` — the column only when it is known,
the line only when it is known.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    file: str
    line: int | None
    column: int | None
    message: str
    expected: tuple[str, ...] = ()
    """What was allowed where the error is, in full (the message may shorten it)."""

    def location(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def format(self) -> str:
        return f"{self.location()}: {self.severity}: {self.message} [{self.code}]"

    def to_dict(self) -> dict[str, object]:
        out = asdict(self)
        if not self.expected:
            del out["expected"]  # only RELAX NG errors carry the list
        else:
            out["expected"] = list(self.expected)
        return out
