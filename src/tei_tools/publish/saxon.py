"""Saxon (saxonche) in-process: one processor, each stylesheet compiled once.

Usage::

    from tei_tools.publish.saxon import Stylesheets, load_source

    source = load_source(Path("tei/taijiang-dangjian-2007.xml"))
    result = Stylesheets.get("html/edition.xsl").run(source, out_dir, {"reading": "regularised"})
    result.warnings   # xsl:message texts that start with "warning:"

* ``Stylesheets.get(name)`` takes a path relative to ``xslt/`` and returns a
  :class:`Stylesheet` compiled on first use and cached for the life of the
  process (compilation is the slow part: ~1 s for the HTML layer).
* ``Stylesheet.run`` runs it on a source with typed parameters (``bool`` →
  ``xs:boolean``, ``int`` → ``xs:integer``, ``str`` → ``xs:string``, a list or
  tuple of ``str`` → ``xs:string*``); ``xsl:result-document`` hrefs resolve
  against ``out_dir``. The principal result is returned as a string.
* Every Saxon failure (a static error in a stylesheet, ``xsl:message
  terminate="yes"``, an XPath dynamic error) becomes a
  :class:`~tei_tools.errors.BuildError` naming the stylesheet and the last
  messages, never a Saxon traceback.

XML sources are read only through :mod:`tei_tools.xmlio` (the hardened
parser); Saxon receives the already-checked serialisation.
"""

from __future__ import annotations

import os
import re
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from lxml import etree

from tei_tools import xmlio
from tei_tools.errors import BuildError
from tei_tools.paths import xslt_dir

if TYPE_CHECKING:  # pragma: no cover
    import saxonche

ParamValue = str | bool | int | Sequence[str]

_lock = threading.Lock()
_processor: saxonche.PySaxonProcessor | None = None


def processor() -> saxonche.PySaxonProcessor:
    """The process-wide Saxon processor (created on first use)."""
    global _processor
    with _lock:
        if _processor is None:
            import saxonche

            _processor = saxonche.PySaxonProcessor(license=False)
            for name, value in HARDENING.items():
                _processor.set_configuration_property(name, value)
        return _processor


HARDENING: dict[str, str] = {
    # Documents that XSLT or a user's query loads itself (doc(), document(),
    # collection()) bypass tei_tools.xmlio and go through Saxon's own parser:
    # refuse any DOCTYPE there (external entities, expansion bombs, DTD fetches)…
    "http://saxon.sf.net/feature/parserFeature?uri="
    "http%3A//apache.org/xml/features/disallow-doctype-decl": "true",
    # …and never touch the network: only local files may be read.
    "http://saxon.sf.net/feature/allowedProtocols": "file",
    # The JDK parser stops at 100 levels of elements; tei_tools.xmlio reads 2048
    # (MAX_DEPTH): Saxon must take what the hardened parser accepted.
    "http://saxon.sf.net/feature/parserProperty?uri="
    "http%3A//www.oracle.com/xml/jaxp/properties/maxElementDepth": "2048",
}
"""Saxon configuration applied to the one processor of the process."""


@dataclass(frozen=True, slots=True)
class Source:
    """A TEI document checked by the hardened parser and handed to Saxon once."""

    path: Path
    tree: etree._ElementTree
    node: object  # saxonche.PyXdmNode

    @property
    def name(self) -> str:
        return str(self.path)


def load_source(path: Path, tree: etree._ElementTree | None = None) -> Source:
    """Read ``path`` with :func:`tei_tools.xmlio.parse_file` and build Saxon's tree."""
    if tree is None:
        tree = xmlio.parse_file(path)
    text = etree.tostring(tree, encoding="unicode")
    proc = processor()
    builder = proc.new_document_builder()
    builder.set_base_uri(Path(path).resolve().as_uri())
    builder.set_line_numbering(True)
    try:
        node = builder.parse_xml(xml_text=text)
    except Exception as exc:  # saxonche.PySaxonApiError
        raise BuildError(f"{path}: error: Saxon cannot read the document: {_clean(exc)}") from None
    return Source(Path(path), tree, node)


@dataclass(slots=True)
class RunResult:
    """What one transformation gave back besides its result documents."""

    principal: str
    messages: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [m.split(":", 1)[1].strip() for m in self.messages
                if m.lower().startswith("warning:")]


class Stylesheet:
    """A compiled stylesheet (an ``xsl:stylesheet`` under ``xslt/``)."""

    def __init__(self, name: str, path: Path) -> None:
        self.name = name
        self.path = path
        proc = processor()
        compiler = proc.new_xslt30_processor()
        with _StderrCapture() as saxon_said:
            try:
                self._executable = compiler.compile_stylesheet(stylesheet_file=str(path))
                failure = None
            except Exception as exc:
                failure = exc
        if failure is not None:
            where = _where(saxon_said.text)
            raise BuildError(
                f"{path}: error: the stylesheet does not compile: {_clean(failure)}"
                + (f" ({where})" if where else "")
                + " (a bug in tei-tools' XSLT: please report it)") from None
        if self._executable is None:  # saxonche returns None on some static errors
            raise BuildError(f"{path}: error: the stylesheet does not compile")

    def run(self, source: Source | Path, out_dir: Path,
            params: Mapping[str, ParamValue] | None = None) -> RunResult:
        """Transform ``source``; result documents are written under ``out_dir``."""
        if not isinstance(source, Source):
            source = load_source(Path(source))
        proc = processor()
        out_dir.mkdir(parents=True, exist_ok=True)
        with _lock:  # one executable is not re-entrant: parameters are state
            ex = self._executable
            ex.clear_parameters()
            ex.clear_xsl_messages()
            ex.set_save_xsl_message(True)
            # saxonche does not own the values it is given: keep them alive
            # for the whole run (a dropped item makes the run crash).
            keep: list[object] = []
            for key, value in (params or {}).items():
                ex.set_parameter(key, _xdm(proc, key, value, keep))
            ex.set_base_output_uri(out_dir.resolve().as_uri() + "/")
            with _StderrCapture() as saxon_said:
                try:
                    principal = ex.transform_to_string(xdm_node=source.node) or ""
                    failure = None
                except Exception as exc:
                    failure = exc
            if failure is not None:
                messages = _messages(ex)
                detail = messages[-1] if messages else _clean(failure)
                where = _where(saxon_said.text)
                raise BuildError(f"{source.name}: error: {self.name} stopped: {detail}"
                                 + (f" ({where})" if where else "")) from None
            messages = _messages(ex)
            messages += [f"warning: Saxon: {line.strip()}" for line in saxon_said.text.splitlines()
                         if line.strip()]
        if principal.startswith("<?xml"):
            principal = principal.split("?>", 1)[1]
        return RunResult(principal.strip(), messages)


def document_from_text(text: str, base_uri: str) -> object:
    """Saxon's tree of a document already checked by :mod:`tei_tools.xmlio`
    (serialised without DOCTYPE). A failure is a :class:`BuildError`."""
    builder = processor().new_document_builder()
    builder.set_base_uri(base_uri)
    with _StderrCapture():
        try:
            return builder.parse_xml(xml_text=text)
        except Exception as exc:  # saxonche.PySaxonApiError
            failure = exc
    raise BuildError(f"{base_uri}: error: Saxon cannot read the document: {_clean(failure)}")


def compile_text(text: str, base_uri: str) -> object:
    """Compile a stylesheet held in memory (generated XSLT: a compiled Schematron)
    with the one processor; ``base_uri`` resolves its relative URIs. A static
    error is a :class:`BuildError` with Saxon's first message and its place."""
    proc = processor()
    builder = proc.new_document_builder()
    builder.set_base_uri(base_uri)
    with _StderrCapture() as saxon_said:
        try:
            node = builder.parse_xml(xml_text=text)
            executable = proc.new_xslt30_processor().compile_stylesheet(stylesheet_node=node)
            failure = None
        except Exception as exc:  # saxonche.PySaxonApiError
            executable, failure = None, exc
    if failure is not None or executable is None:
        said = [line.strip() for line in saxon_said.text.splitlines()
                if line.strip() and not line.lstrip().startswith("Errors were reported")]
        thrown = _clean(failure) if failure else ""
        # Saxon's exception names the expression and the character ("at char 9")
        detail = thrown if "at char" in thrown or not said else said[0]
        raise BuildError(f"{base_uri}: error: {detail or 'static error'}")
    return executable


def run_to_string(executable: object, node: object, name: str) -> str:
    """Run a compiled stylesheet (from :func:`compile_text`) on a Saxon node; the
    caller serialises calls on one executable. A dynamic error is a BuildError."""
    with _StderrCapture() as saxon_said:
        try:
            result = executable.transform_to_string(xdm_node=node)  # type: ignore[attr-defined]
            failure = None
        except Exception as exc:  # saxonche.PySaxonApiError
            result, failure = None, exc
    if failure is not None:
        where = _where(saxon_said.text)
        raise BuildError(f"{name}: error: {_clean(failure)}" + (f" ({where})" if where else ""))
    return result or ""


class Stylesheets:
    """The per-process cache of compiled stylesheets, keyed by path under ``xslt/``."""

    _cache: ClassVar[dict[str, Stylesheet]] = {}

    @classmethod
    def get(cls, name: str) -> Stylesheet:
        with _lock:
            cached = cls._cache.get(name)
        if cached is not None:
            return cached
        path = (xslt_dir() / name).resolve()
        if not path.is_file():
            raise BuildError(f"{path}: error: no such stylesheet (is tei-tools installed whole?)")
        sheet = Stylesheet(name, path)
        with _lock:
            return cls._cache.setdefault(name, sheet)

    @classmethod
    def compiled(cls) -> list[str]:
        """Names compiled so far in this process (for tests and timings)."""
        with _lock:
            return sorted(cls._cache)


def _xdm(proc: saxonche.PySaxonProcessor, key: str, value: ParamValue,
         keep: list[object]) -> object:
    made: object
    if isinstance(value, bool):
        made = proc.make_boolean_value(value)
    elif isinstance(value, int):
        made = proc.make_integer_value(value)
    elif isinstance(value, str):
        made = proc.make_string_value(value)
    elif isinstance(value, (list, tuple)):
        made = proc.empty_sequence()  # a fresh, mutable sequence
        for item in value:
            atom = proc.make_string_value(str(item))
            keep.append(atom)
            made.add_xdm_item(atom)  # type: ignore[attr-defined]
    else:
        raise BuildError(f"parameter {key}: unsupported type {type(value).__name__}")
    keep.append(made)
    return made


class _StderrCapture:
    """Collect what Saxon's native code writes to file descriptor 2 during a run
    (its own error report), so the user sees one BuildError line instead."""

    def __enter__(self) -> _StderrCapture:
        import tempfile

        self.text = ""
        try:
            sys.stderr.flush()
            self._saved = os.dup(2)
        except (OSError, ValueError):  # no real fd 2 (embedded use): leave it alone
            self._saved = -1
            return self
        self._file = tempfile.TemporaryFile()
        os.dup2(self._file.fileno(), 2)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._saved < 0:
            return
        os.dup2(self._saved, 2)
        os.close(self._saved)
        self._file.seek(0)
        self.text = self._file.read().decode("utf-8", "replace")
        self._file.close()


def _where(report: str) -> str:
    """'line 12 column 5 of edition.xsl' from Saxon's error report, if any."""
    match = re.search(r"on line (\d+)(?: column (\d+))? of ([^\s:]+)", report)
    if not match:
        return ""
    line, column, name = match.groups()
    return f"at {name}:{line}" + (f":{column}" if column else "")


def _messages(ex: object) -> list[str]:
    value = ex.get_xsl_messages()  # type: ignore[attr-defined]
    if value is None:
        return []
    return [value.item_at(i).string_value.strip() for i in range(value.size)]


def _clean(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__
