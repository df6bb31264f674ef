"""Schematron (ISO, ``queryBinding="xslt"``) run in-process with lxml.isoschematron.

The schema is compiled to XSLT once per process. Each ``failed-assert`` and
``successful-report`` of the SVRL report becomes a :class:`Diagnostic`: code
from the assert's ``@id`` (``SCH`` when it has none), severity from ``@role``
(``warning``/``warn``/``info`` are warnings, everything else an error), line and
column of the context node, found from the SVRL ``@location`` XPath.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from lxml import etree, isoschematron

from tei_tools.diagnostics import Diagnostic
from tei_tools.errors import UsageError
from tei_tools.validation.compiled import cache_key, read_schema
from tei_tools.validation.locate import SourceText, written_name

SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
_WARNING_ROLES = {"warning", "warn", "info", "information"}


@dataclass
class CompiledSchematron:
    path: Path
    schematron: isoschematron.Schematron


_CACHE: dict[tuple[str, float], CompiledSchematron] = {}


def load_schematron(path: str | os.PathLike[str]) -> CompiledSchematron:
    """Compile a Schematron schema once per process per file version."""
    p = Path(path)
    key = cache_key(p, "Schematron schema")
    if key in _CACHE:
        return _CACHE[key]
    source = read_schema(p, "Schematron schema")
    binding = (source.getroot().get("queryBinding") or "xslt").lower()
    if binding not in ("xslt", "xslt1", "exslt", "xpath"):
        raise UsageError(f"{p}: error: queryBinding=\"{binding}\" is not supported "
                         "(lxml runs XSLT 1.0 Schematron: use queryBinding=\"xslt\")")
    try:
        compiled = isoschematron.Schematron(source, store_report=True)
    except (etree.SchematronParseError, etree.XSLTParseError, etree.XSLTApplyError) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else "cannot compile"
        raise UsageError(f"{p}: error: not a usable Schematron schema: {message}") from None
    result = CompiledSchematron(p, compiled)
    _CACHE[key] = result
    return result


def check(compiled: CompiledSchematron, tree: etree._ElementTree, source: SourceText,
          file: str) -> list[Diagnostic]:
    """Run the Schematron on ``tree``; every failed assert / report as a diagnostic."""
    try:
        compiled.schematron.validate(tree)
    except (etree.XSLTApplyError, etree.XPathError) as exc:
        return [Diagnostic("SCH", "error", file, None, None,
                           f"the Schematron could not be run on this document: {exc}")]
    report = compiled.schematron.validation_report
    out: list[Diagnostic] = []
    if report is None:
        return out
    for node in report.getroot().iter(f"{{{SVRL_NS}}}failed-assert",
                                      f"{{{SVRL_NS}}}successful-report"):
        role = (node.get("role") or node.get("flag") or "error").lower()
        severity = "warning" if role in _WARNING_ROLES else "error"
        text = node.find(f"{{{SVRL_NS}}}text")
        message = " ".join("".join(text.itertext()).split()) if text is not None else ""
        line, column = _locate(tree, node.get("location"), source)
        out.append(Diagnostic(node.get("id") or "SCH", severity, file, line, column,
                              message or f"assertion failed: {node.get('test')}"))
    return out


def _locate(tree: etree._ElementTree, location: str | None,
            source: SourceText) -> tuple[int | None, int | None]:
    if not location:
        return None, None
    try:
        found = tree.xpath(location)
    except etree.XPathError:
        return None, None
    if not found:
        return None, None
    node = found[0]
    if isinstance(node, etree._Element):
        return source.element(node)
    parent = getattr(node, "getparent", lambda: None)()
    if isinstance(parent, etree._Element):
        if getattr(node, "is_attribute", False):
            return source.attribute(parent, written_name(parent, str(getattr(node, "attrname", ""))))
        return source.element(parent)
    return None, None
