"""Validation of TEI documents: well-formedness, TEI root, RELAX NG, Schematron.

The library API used by ``tei-tools validate``, ``tei-tools build`` and the
tests::

    from tei_tools.validation import validate
    report = validate(["tei/"])                  # project schema + Schematron
    report = validate(["x.xml"], schema="tei_all.rng")   # any grammar, no project rules
    report.ok, report.files[0].diagnostics

Results are dataclasses (:class:`ValidationReport`, :class:`FileResult`,
:class:`~tei_tools.diagnostics.Diagnostic`); nothing is printed.
"""

from tei_tools.diagnostics import Diagnostic
from tei_tools.validation.relaxng import load_relaxng
from tei_tools.validation.report import FileResult, ValidationReport
from tei_tools.validation.runner import (
    collect_files,
    project_schema,
    project_schematron,
    validate,
    validate_bytes,
)
from tei_tools.validation.schematron import load_schematron

__all__ = [
    "Diagnostic",
    "FileResult",
    "ValidationReport",
    "collect_files",
    "load_relaxng",
    "load_schematron",
    "project_schema",
    "project_schematron",
    "validate",
    "validate_bytes",
]
