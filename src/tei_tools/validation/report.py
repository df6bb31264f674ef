"""Typed results of a validation run."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from tei_tools.diagnostics import Diagnostic


@dataclass(frozen=True)
class FileResult:
    """One document: its diagnostics in document order (line, then column)."""

    path: str
    diagnostics: tuple[Diagnostic, ...] = ()
    io_error: bool = False
    """The file could not be read (exit code 2 rather than 1)."""

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for d in self.diagnostics if d.severity == "warning")

    @property
    def ok(self) -> bool:
        """Valid: no error (warnings do not make a document invalid)."""
        return self.errors == 0

    def codes(self) -> set[str]:
        return {d.code for d in self.diagnostics}

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "valid": self.ok, "errors": self.errors,
                "warnings": self.warnings,
                "diagnostics": [d.to_dict() for d in self.diagnostics]}


@dataclass(frozen=True)
class ValidationReport:
    """All documents of a run, in input order."""

    files: tuple[FileResult, ...]
    schema: str
    schematron: str | None
    checks: tuple[str, ...] = field(default=("well-formed", "tei-root", "relaxng", "schematron"))

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def io_error(self) -> bool:
        return any(f.io_error for f in self.files)

    @property
    def error_count(self) -> int:
        return sum(f.errors for f in self.files)

    @property
    def warning_count(self) -> int:
        return sum(f.warnings for f in self.files)

    def diagnostics(self) -> Iterator[Diagnostic]:
        for f in self.files:
            yield from f.diagnostics

    def summary(self) -> str:
        """``3 files, 2 errors, 1 warning: invalid``."""
        n = len(self.files)
        e, w = self.error_count, self.warning_count
        verdict = "valid" if self.ok else "invalid"
        return (f"{n} file{'s' if n != 1 else ''}, {e} error{'s' if e != 1 else ''}, "
                f"{w} warning{'s' if w != 1 else ''}: {verdict}")

    def to_dict(self) -> dict[str, object]:
        return {"valid": self.ok, "schema": self.schema, "schematron": self.schematron,
                "checks": list(self.checks), "files": [f.to_dict() for f in self.files],
                "summary": {"files": len(self.files), "errors": self.error_count,
                            "warnings": self.warning_count}}
