"""One Saxon (saxonche) processor, owned by whoever created the session.

Usage::

    from tei_tools.saxon import SaxonSession

    saxon = SaxonSession()
    source = saxon.load_source(Path("tei/taijiang-dangjian-2007.xml"))
    result = saxon.stylesheet("html/edition.xsl").run(source, out_dir, {"reading": "regularised"})
    result.warnings   # xsl:message texts that start with "warning:"

* A session owns one ``PySaxonProcessor`` (with :data:`HARDENING` applied),
  the stylesheets compiled with it and their locks: nothing is shared with
  another session or kept by the module. Saxon's trees and executables
  belong to the processor that made them, so a :class:`Source` is used with
  the session that loaded it (another session's is refused).
* ``stylesheet(name)`` takes a path relative to ``xslt/`` and returns a
  :class:`Stylesheet` compiled on first use in this session (compilation is
  the slow part: keep one session for many documents).
* ``Stylesheet.run`` runs it on a source with typed parameters (``bool`` →
  ``xs:boolean``, ``int`` → ``xs:integer``, ``str`` → ``xs:string``, a list or
  tuple of ``str`` → ``xs:string*``); ``xsl:result-document`` hrefs resolve
  against ``out_dir``. The principal result is returned as a string.
* Every Saxon failure becomes a one-line :class:`~tei_tools.errors.BuildError`,
  never a Saxon traceback, and nothing goes to the terminal: see
  :mod:`tei_tools.saxon.guard` for how the place of a dynamic error is
  learnt without touching the process's standard error.
* Memory (issue 12): one session building document after document stays
  flat (measured: 171–186 MiB RSS over 120 builds). Dropping a processor and
  starting a new one in the same process does *not* give memory back (the
  same 120 builds with a new processor every 25: 180 → 310 MiB), so a
  long-lived worker is bounded by ending the worker process instead
  (:mod:`tei_tools.executor`, ``documents_per_worker``).

XML sources are read only through :mod:`tei_tools.xmlio` (the hardened
parser); Saxon receives the already-checked serialisation.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from tei_tools import xmlio
from tei_tools.errors import BuildError
from tei_tools.paths import xslt_dir
from tei_tools.saxon import guard

if TYPE_CHECKING:  # pragma: no cover
    import saxonche

ParamValue = str | bool | int | Sequence[str]

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
"""Saxon configuration applied to every session's processor."""

PACKAGES = "packages.xml"
"""The XSLT packages the stylesheets use (``xsl:use-package``), under ``xslt/``: a
Saxon configuration file each processor starts with, so that the rendering core
(``core/core.xsl``) and the HTML rendering (``html/render.xsl``) are compiled once
per processor, not once per stylesheet that uses them (issue 12: the text after
the EPUB, or the EPUB after the text, compiles only its own layer)."""


@dataclass(frozen=True, slots=True)
class Source:
    """A TEI document checked by the hardened parser and handed to Saxon once."""

    path: Path
    tree: etree._ElementTree
    node: object  # saxonche.PyXdmNode
    owner: object = field(default=None, repr=False, compare=False)
    """The processor that built ``node`` (see :meth:`SaxonSession.load_source`)."""

    @property
    def name(self) -> str:
        return str(self.path)


@dataclass(slots=True)
class RunResult:
    """What one transformation gave back besides its result documents."""

    principal: str
    messages: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [m.split(":", 1)[1].strip() for m in self.messages
                if m.lower().startswith("warning:")]


class _Processor:
    """The processor of a session and what was compiled with it."""

    def __init__(self) -> None:
        import saxonche

        # the packages the layers use, each compiled once in this processor
        config = xslt_dir() / PACKAGES
        if not config.is_file():
            raise BuildError(f"{config}: error: no such file (is tei-tools installed whole?)")
        try:
            self.processor = saxonche.PySaxonProcessor(config_file=str(config))
        except Exception as exc:  # saxonche.PySaxonApiError: the file is not a configuration
            raise BuildError(f"{config}: error: Saxon cannot read it: {guard.clean(exc)}") from None
        for name, value in HARDENING.items():
            self.processor.set_configuration_property(name, value)
        self.stylesheets: dict[str, Stylesheet] = {}
        self.texts: dict[tuple[str, str], object] = {}


class SaxonSession:
    """A Saxon processor with its compiled stylesheets, owned by its creator.

    The processor starts on first use. Thread-safe: the cache has a lock, each
    compiled stylesheet its own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._owned: _Processor | None = None

    def _current(self) -> _Processor:
        with self._lock:
            if self._owned is None:
                self._owned = _Processor()
            return self._owned

    @property
    def processor(self) -> saxonche.PySaxonProcessor:
        """This session's processor (for XQuery/XPath: :mod:`tei_tools.query`)."""
        return self._current().processor

    def compiled(self) -> tuple[str, ...]:
        """The stylesheets (names under ``xslt/``) this session has compiled."""
        with self._lock:
            return tuple(sorted(self._owned.stylesheets)) if self._owned else ()

    # -- documents -------------------------------------------------------------
    def load_source(self, path: Path, tree: etree._ElementTree | None = None) -> Source:
        """Read ``path`` with :func:`tei_tools.xmlio.parse_file` (unless ``tree`` is
        given) and build Saxon's tree of it, with line numbers."""
        if tree is None:
            tree = xmlio.parse_file(path)
        text = etree.tostring(tree, encoding="unicode")
        owned = self._current()
        node = self._parse(owned, text, Path(path).resolve().as_uri(), str(path), True)
        return Source(Path(path), tree, node, owned)

    def source_of(self, path: Path, tree: etree._ElementTree, node: object) -> Source:
        """A :class:`Source` of a Saxon tree this session built (:meth:`document_from_text`)."""
        return Source(Path(path), tree, node, self._current())

    def document_from_text(self, text: str, base_uri: str, *, line_numbers: bool = False,
                           name: str | None = None) -> object:
        """Saxon's tree of a document already checked by :mod:`tei_tools.xmlio`
        (serialised without DOCTYPE). A failure is a :class:`BuildError`."""
        return self._parse(self._current(), text, base_uri, name or base_uri, line_numbers)

    @staticmethod
    def _parse(owned: _Processor, text: str, base_uri: str, name: str,
               line_numbers: bool) -> object:
        builder = owned.processor.new_document_builder()
        builder.set_base_uri(base_uri)
        builder.set_line_numbering(line_numbers)
        try:
            return builder.parse_xml(xml_text=text, encoding="UTF-8")
        except Exception as exc:  # saxonche.PySaxonApiError (the message says what)
            raise BuildError(f"{name}: error: Saxon cannot read the document: "
                             f"{guard.clean(exc)}") from None

    # -- stylesheets -----------------------------------------------------------
    def stylesheet(self, name: str) -> Stylesheet:
        """The stylesheet ``xslt/<name>``, compiled once in this session."""
        owned = self._current()
        with self._lock:
            cached = owned.stylesheets.get(name)
        if cached is not None:
            return cached
        path = (xslt_dir() / name).resolve()
        if not path.is_file():
            raise BuildError(f"{path}: error: no such stylesheet (is tei-tools installed whole?)")
        sheet = Stylesheet(name, path, owned)
        with self._lock:
            return owned.stylesheets.setdefault(name, sheet)

    def compile_text(self, text: str, base_uri: str) -> object:
        """Compile a stylesheet held in memory (generated XSLT: a compiled Schematron),
        once per session for the same text and base URI; ``base_uri`` resolves its
        relative URIs. A static error is a :class:`BuildError` with Saxon's message
        and its place."""
        owned = self._current()
        key = (hashlib.sha256(text.encode("utf-8")).hexdigest(), base_uri)
        with self._lock:
            cached = owned.texts.get(key)
        if cached is not None:
            return cached
        proc = owned.processor
        try:
            node = self._parse(owned, text, base_uri, base_uri, False)
            executable = proc.new_xslt30_processor().compile_stylesheet(stylesheet_node=node)
        except BuildError:
            raise
        except Exception as exc:  # saxonche.PySaxonApiError: it names the place
            raise BuildError(f"{base_uri}: error: {guard.clean(exc)}") from None
        if executable is None:
            raise BuildError(f"{base_uri}: error: static error")
        with self._lock:
            return owned.texts.setdefault(key, executable)

    def forget_text(self, text: str, base_uri: str) -> None:
        """Drop what :meth:`compile_text` keeps for ``text`` and ``base_uri`` (its
        caller replaced that stylesheet by another)."""
        if self._owned is None:
            return
        key = (hashlib.sha256(text.encode("utf-8")).hexdigest(), base_uri)
        with self._lock:
            self._owned.texts.pop(key, None)

    @staticmethod
    def run_to_string(executable: object, node: object, name: str) -> str:
        """Run a compiled stylesheet (from :meth:`compile_text`) on a Saxon node of
        this session; the caller serialises calls on one executable. A dynamic
        error is a :class:`BuildError` with Saxon's message."""
        try:
            result = executable.transform_to_string(xdm_node=node)  # type: ignore[attr-defined]
        except Exception as exc:  # saxonche.PySaxonApiError
            raise BuildError(f"{name}: error: {guard.clean(exc)}") from None
        return result or ""


class Stylesheet:
    """A stylesheet under ``xslt/``, compiled by one session's processor."""

    def __init__(self, name: str, path: Path, owned: _Processor) -> None:
        self.name = name
        self.path = path
        self._owned = owned
        self._lock = threading.Lock()  # one executable is not re-entrant: parameters are state
        compiler = owned.processor.new_xslt30_processor()
        try:
            # compiled inside a guard: a dynamic error comes back as data with
            # its place, and Saxon writes nothing to standard error
            self._executable = compiler.compile_stylesheet(
                stylesheet_text=guard.wrapper(path), base_uri=guard.wrapper_uri(path))
            failure = None
        except Exception as exc:  # saxonche.PySaxonApiError: it names the place
            failure = exc
        if failure is not None:
            raise BuildError(f"{path}: error: the stylesheet does not compile: "
                             f"{guard.clean(failure)}"
                             " (a bug in tei-tools' XSLT: please report it)") from None
        if self._executable is None:  # saxonche returns None on some static errors
            raise BuildError(f"{path}: error: the stylesheet does not compile")

    def run(self, source: Source, out_dir: Path,
            params: Mapping[str, ParamValue] | None = None) -> RunResult:
        """Transform ``source``; result documents are written under ``out_dir``."""
        if source.owner is not self._owned:
            raise BuildError(f"{source.name}: error: {self.name}: the document was loaded by "
                             "another Saxon session")
        proc = self._owned.processor
        out_dir.mkdir(parents=True, exist_ok=True)
        with self._lock:
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
            try:
                principal = ex.transform_to_string(xdm_node=source.node) or ""
                failure: BaseException | None = None
            except Exception as exc:  # an error the guard could not catch (a global variable)
                failure = exc
            said = _messages(ex)
        messages, caught = guard.split(said)
        if failure is not None or caught is not None:
            detail = messages[-1] if messages and (caught is None or caught.terminated) else (
                caught.description if caught is not None else guard.clean(failure))
            where = f" (at {caught.where})" if caught is not None and caught.where else ""
            raise BuildError(f"{source.name}: error: {self.name} stopped: {detail}{where}")
        if principal.startswith("<?xml"):
            principal = principal.split("?>", 1)[1]
        return RunResult(principal.strip(), messages)


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


def _messages(ex: object) -> list[str]:
    value = ex.get_xsl_messages()  # type: ignore[attr-defined]
    if value is None:
        return []
    return [value.item_at(i).string_value.strip() for i in range(value.size)]

