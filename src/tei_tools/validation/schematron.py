"""The one Schematron engine of tei-tools: ISO Schematron with XPath 1, 2 and 3
(``queryBinding`` ``xslt``, ``xslt2``, ``xslt3``), run in-process by Saxon.

::

    compiled = load_schematron("rules.sch")            # a Schematron file
    compiled = load_embedded("tei_all.rng")             # the rules inside a grammar (or None)
    diagnostics = check(compiled, tree, source, "x.xml")

A schema is read into a model (:mod:`~tei_tools.validation.schematron_schema`:
includes, abstract patterns and rules, phases), compiled to XSLT 3.0 by the
project's own compiler (:mod:`~tei_tools.validation.schematron_xslt`) and that
by saxonche in the caller's :class:`~tei_tools.saxon.SaxonSession` (once per
session for the same XSLT). The model is read once per process for each file
content (path, SHA-256 of the bytes, phase); it holds no Saxon object.

Running it gives SVRL; each ``svrl:failed-assert`` / ``svrl:successful-report``
becomes a :class:`~tei_tools.diagnostics.Diagnostic`: the code and the
severity of its check (see :mod:`~tei_tools.validation.schematron_schema`),
the message with whitespace normalised (and the texts of its
``diagnostics``), and the ``file:line:col`` of its subject, found by walking the
SVRL ``location`` (``fn:path()``) down the lxml tree. A check whose XPath
raises a dynamic error on a node (``xs:float('x')``) is reported there as an
error, ``cannot evaluate …``, and the other checks go on.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from tei_tools.diagnostics import Diagnostic, Severity
from tei_tools.errors import BuildError, TeiToolsError, UsageError
from tei_tools.saxon import SaxonSession
from tei_tools.validation.locate import SourceText, written_name
from tei_tools.validation.schematron_exact import Exact, exact_schema
from tei_tools.validation.schematron_prune import (
    Name,
    Needs,
    Probe,
    can_fire,
    document_names,
    pattern_needs,
    pattern_probes,
    relevant_patterns,
)
from tei_tools.validation.schematron_schema import (
    Check,
    SchematronSchema,
    read_embedded,
    read_schema,
)
from tei_tools.validation.schematron_xslt import SVRL_NS, TTSCH_NS, compile_to_xslt, probes

_CHECK = f"{{{TTSCH_NS}}}check"
_ERROR = f"{{{TTSCH_NS}}}error"


PRUNE_MIN = 20
"""A schema with more patterns than this runs, in a Saxon session, only the
patterns that can fire on the documents it has seen
(:mod:`~tei_tools.validation.schematron_prune`, :meth:`CompiledSchematron.for_document`)."""


@dataclass(frozen=True, slots=True)
class _Grown:
    """The patterns one session runs for a big schema: a set that only grows."""

    kept: frozenset[int]
    compiled: CompiledSchematron


@dataclass
class CompiledSchematron:
    """A Schematron for Saxon, with the model that maps results back.

    A schema read from a file is compiled at once (a static error is a usage
    error before any document). A big one (more than :data:`PRUNE_MIN`
    patterns, as the one embedded in ``tei_all.rng``) is compiled per session
    with only the patterns that can fire on the documents that session has
    checked (:meth:`for_document`); ``prune=False``: always whole. The
    executables live in the :class:`~tei_tools.saxon.SaxonSession` given.
    """

    path: Path
    schema: SchematronSchema
    embedded: bool = False
    prune: bool = True
    """A big schema runs only the patterns that can fire (``False``: whole, always)."""
    _xslt: str | None = field(default=None, repr=False)
    _checked: bool = field(default=False, repr=False)
    """It compiled once (no static error): :func:`load_schematron` need not again."""
    _grown: weakref.WeakKeyDictionary[SaxonSession, _Grown] = field(
        default_factory=weakref.WeakKeyDictionary, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _needs: Needs | None = field(default=None, repr=False)
    _probes: tuple[Probe, ...] | None = field(default=None, repr=False)
    _exact: Exact | None = field(default=None, repr=False)
    _checks: dict[int, Check] | None = field(default=None, repr=False)

    @property
    def checks(self) -> dict[int, Check]:
        if self._checks is None:  # read for every document: built once
            self._checks = {c.index: c for c in self.schema.checks}
        return self._checks

    @property
    def xslt(self) -> str:
        """The XSLT 3.0 the project's compiler writes for this schema (written once)."""
        with self._lock:
            if self._xslt is None:
                self._xslt = compile_to_xslt(self.schema)
            return self._xslt

    @property
    def decided(self) -> Exact:
        """What lxml decides of this schema (:mod:`~tei_tools.validation.schematron_exact`; read once)."""
        with self._lock:
            if self._exact is None:
                self._exact = exact_schema(self.schema)
            return self._exact

    @property
    def probes(self) -> tuple[Probe, ...]:
        with self._lock:
            if self._probes is None:
                self._probes = pattern_probes(self.schema)
            return self._probes

    def compile(self, saxon: SaxonSession | None = None) -> object:
        """Compile the whole schema with ``saxon`` (once per session; ``None``: a
        new session, to check that it compiles)."""
        executable = _compile(self.xslt, self.path, self.schema, saxon or SaxonSession())
        self._checked = True
        if saxon is not None and self.prunes:
            # compiled whole in this session already (a file's static check):
            # for_document runs it rather than compiling a pruned copy too
            with self._lock:
                self._grown.setdefault(saxon, _Grown(frozenset(range(len(self.schema.patterns))), self))
        return executable

    @property
    def prunes(self) -> bool:
        """Whether :meth:`for_document` keeps only some patterns (it reads the document's names)."""
        return self.prune and len(self.schema.patterns) > PRUNE_MIN

    def for_document(self, tree: etree._ElementTree, names: frozenset[Name] | None = None, *,
                     saxon: SaxonSession) -> CompiledSchematron | None:
        """What ``saxon`` runs on ``tree``: this schema, or (a big one) the patterns
        that can fire on the documents the session has checked; ``None`` if none
        can fire on ``tree``. ``names``: :func:`document_names` of ``tree``, if the
        caller has them.

        Per session the set only grows: a document whose patterns are in it runs
        the compiled set; another compiles the union once and the old stylesheet
        is dropped (one per schema and session), up to the whole schema. Running
        more patterns than a document needs reports the same, in the same order:
        a pattern is left out only when none of its checks can fire (its rules'
        contexts, or its reports' tests, need names the document lacks:
        :mod:`~tei_tools.validation.schematron_prune`); ``None`` also when every
        pattern left only reports and no report's probe is true, or when lxml
        decides, exactly, that no kept pattern fires
        (:mod:`~tei_tools.validation.schematron_exact`; a pattern it cannot
        decide, whose probe is true, asks Saxon); the set keeps the schema's order (SVRL lists
        pattern after pattern); the schema's and the phase's ``let`` stay, and a
        pattern's ``let`` goes with its pattern."""
        if not self.prunes:
            # lxml may say that no pattern fires (then Saxon is not asked); else all run
            every = tuple(range(len(self.schema.patterns)))
            return self if every and self._may_fire(tree, every) else None
        if self._needs is None:  # once per schema
            self._needs = pattern_needs(self.schema)
        keep = relevant_patterns(self.schema, names if names is not None else document_names(tree),
                                 self._needs)
        # Saxon is not asked if no kept pattern can fire, by the probes (else all
        # the kept patterns run: one that fires nothing changes nothing); the probes
        # are skipped when lxml decides every kept pattern
        exact = self.decided.patterns
        if not keep or (any(exact[i] is None for i in keep) and
                        not can_fire(tree, (self.probes[i] for i in keep))) or \
                not self._may_fire(tree, keep):
            return None
        with self._lock:
            grown = self._grown.get(saxon)
            if grown is not None and grown.kept.issuperset(keep):
                return grown.compiled
            kept = frozenset(keep).union(grown.kept if grown is not None else ())
            if len(kept) == len(self.schema.patterns):
                made = self
            else:
                schema = replace(self.schema,
                                 patterns=tuple(self.schema.patterns[i] for i in sorted(kept)))
                made = CompiledSchematron(self.path, schema, self.embedded, prune=False)
            self._grown[saxon] = _Grown(kept, made)
        if grown is not None and grown.compiled is not self:  # the smaller set goes
            saxon.forget_text(grown.compiled.xslt, _base_uri(self.path))
        return made


    def _may_fire(self, tree: etree._ElementTree, keep: tuple[int, ...]) -> bool:
        """Whether a kept pattern may fire on ``tree``: the patterns lxml cannot
        decide by their probes (one each), then the others decided exactly (one
        :class:`~tei_tools.validation.schematron_functions.Evaluation` for all:
        the document's keys are indexed once)."""
        exact = self.decided.patterns
        undecided = [i for i in keep if exact[i] is None]
        if undecided and can_fire(tree, (self.probes[i] for i in undecided)):
            return True
        evaluation = None
        for i in keep:
            decider = exact[i]
            if decider is not None:
                evaluation = evaluation or decider.evaluation()
                fires = decider.fires(tree, evaluation)
                if fires or (fires is None and can_fire(tree, [self.probes[i]])):
                    return True
        return False


_CACHE: dict[tuple[str, str, str, str], CompiledSchematron] = {}
_CACHE_LOCK = threading.Lock()


def load_schematron(path: str | os.PathLike[str], phase: str | None = None, *,
                    saxon: SaxonSession | None = None) -> CompiledSchematron:
    """Read a Schematron file once per process per content and phase, and compile
    it in ``saxon`` (``None``: a new session, only to report a static error now)."""
    p = Path(path)
    key = ("sch", *_content_key(p, "Schematron schema"), phase or "")
    compiled = _cached(key, lambda: read_schema(p, phase), p, embedded=False)
    # a static error is reported now, before any document; a schema whose every
    # XPath lxml reads has none (exact_schema), and compiles when a check fires
    if (saxon is not None or not compiled._checked) and not compiled.decided.whole:
        compiled.compile(saxon)
    return compiled


def load_embedded(grammar_path: str | os.PathLike[str],
                  grammar: etree._ElementTree | None = None) -> CompiledSchematron | None:
    """The Schematron embedded in a RELAX NG grammar, compiled; ``None`` if it has none."""
    p = Path(grammar_path)
    key = ("rng", *_content_key(p, "RELAX NG grammar"), "")
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
    if grammar is None:
        from tei_tools.validation.compiled import read_schema as read_xml

        grammar = read_xml(p, "RELAX NG grammar")
    schema = read_embedded(p, grammar)
    if schema is None:
        return None
    return _cached(key, lambda: schema, p, embedded=True)


_DIGESTS: dict[tuple[str, int, int, int], str] = {}
DIGESTS_MAX = 256


def _content_key(path: Path, what: str) -> tuple[str, str]:
    """The resolved path and the SHA-256 of the bytes; the hash is taken again only
    when the file's size, modification time or inode changed (a worker asks for
    every document)."""
    try:
        resolved = str(path.resolve())
        st = os.stat(resolved)
        stamp = (resolved, st.st_size, st.st_mtime_ns, st.st_ino)
        with _CACHE_LOCK:
            digest = _DIGESTS.get(stamp)
        if digest is None:
            digest = hashlib.sha256(Path(resolved).read_bytes()).hexdigest()
            with _CACHE_LOCK:
                if len(_DIGESTS) >= DIGESTS_MAX:
                    _DIGESTS.clear()
                _DIGESTS[stamp] = digest
    except FileNotFoundError:
        raise UsageError(f"{path}: error: {what} not found") from None
    except OSError as exc:
        raise UsageError(f"{path}: error: cannot read the {what} ({exc.strerror})") from None
    return resolved, digest


def _cached(key: tuple[str, str, str, str], read: Callable[[], SchematronSchema], path: Path,
            embedded: bool) -> CompiledSchematron:
    with _CACHE_LOCK:
        if key in _CACHE:
            return _CACHE[key]
    compiled = CompiledSchematron(path, read(), embedded)
    with _CACHE_LOCK:
        return _CACHE.setdefault(key, compiled)


def _base_uri(path: Path) -> str:
    return path.resolve().as_uri()


def _compile(xslt: str, path: Path, schema: SchematronSchema, saxon: SaxonSession) -> object:
    try:
        return saxon.compile_text(xslt, _base_uri(path))
    except BuildError as exc:
        detail = str(exc).split(": error: ", 1)[-1]
    # Which XPath is it? Compile each on its own (only now: this is rare and slower).
    for where, what, probe in probes(schema):
        try:
            saxon.compile_text(probe, _base_uri(path))
        except BuildError as exc:
            said = str(exc).split(": error: ", 1)[-1]
            char = re.search(r"\bat char (\d+)", said)
            said = re.sub(r"^Error (?:in|at) .*?: (?=[A-Z]{4}\d{4})", "", said)
            raise UsageError(f"{where}: error: the Schematron does not compile: {what}"
                             + (f" (at character {char.group(1)})" if char else "")
                             + f": {said}") from None
    raise UsageError(f"{path}: error: the Schematron does not compile: {detail}")


# -- running ---------------------------------------------------------------------
def saxon_document(tree: etree._ElementTree, name: str, saxon: SaxonSession) -> object:
    """The document as Saxon's tree (built once, shared by every Schematron run on it)."""
    text = etree.tostring(tree.getroot(), encoding="unicode")
    return saxon.document_from_text(text, Path(name).resolve().as_uri())


def check(compiled: CompiledSchematron, tree: etree._ElementTree, source: SourceText,
          file: str, document: object | None = None,
          names: frozenset[Name] | None = None, *,
          saxon: SaxonSession | None = None) -> list[Diagnostic]:
    """Run the Schematron on ``tree``; every failed assert / report as a diagnostic.

    ``source`` locates nodes (line, column) in ``file``; ``document``: Saxon's
    tree of ``tree`` if the caller has it already (:func:`saxon_document`), built
    by ``saxon`` (``None``: a new session for this check); ``names``:
    :func:`document_names` of ``tree``, if the caller has them.
    """
    saxon = saxon or SaxonSession()
    use = compiled.for_document(tree, names, saxon=saxon)
    if use is None:
        return []
    try:
        node = document if document is not None else saxon_document(tree, file, saxon)
        svrl = run_svrl(use, node, saxon)
    except TeiToolsError as exc:
        message = str(exc).split(": error: ", 1)[-1]
        return [Diagnostic("SCH", "error", file, None, None,
                           f"the Schematron could not be run on this document: {message}")]
    return diagnostics_from_svrl(compiled, svrl, tree, source, file)


def run_svrl(compiled: CompiledSchematron, document: object,
             saxon: SaxonSession) -> etree._Element:
    """The SVRL report of one run (an ``svrl:schematron-output`` element) on a
    document ``saxon`` built."""
    executable = compiled.compile(saxon)
    with compiled._lock:
        text = saxon.run_to_string(executable, document, str(compiled.path))
    if text.startswith("<?xml"):
        text = text.split("?>", 1)[1]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    return etree.fromstring(text.strip().encode("utf-8"), parser)


def diagnostics_from_svrl(compiled: CompiledSchematron, svrl: etree._Element,
                          tree: etree._ElementTree, source: SourceText,
                          file: str) -> list[Diagnostic]:
    checks = compiled.checks
    out: list[Diagnostic] = []
    for node in svrl.iter(f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report"):
        check_ = checks.get(int(node.get(_CHECK) or 0))
        code = check_.code if check_ else (node.get("id") or "SCH")
        severity: Severity = check_.severity if check_ else "error"
        line, column = _locate(tree, node.get("location"), source)
        if node.get(_ERROR):
            kind = check_.kind if check_ else "assert"
            out.append(Diagnostic(code, "error", file, line, column,
                                  f"cannot evaluate this {kind} here ({node.get(_ERROR)}: "
                                  f"{_text(node.find(f'{{{SVRL_NS}}}text'))}); its test is: "
                                  f"{' '.join((check_.test if check_ else '').split())}"))
            continue
        message = _text(node.find(f"{{{SVRL_NS}}}text"))
        extra = [_text(d) for d in node.findall(f"{{{SVRL_NS}}}diagnostic-reference")]
        extra = [e for e in extra if e]
        if extra:
            message = " ".join([message, *extra]) if message else " ".join(extra)
        if not message:
            message = ("assertion failed: " if str(node.tag).endswith("failed-assert")
                       else "report: ") + " ".join((node.get("test") or "").split())
        out.append(Diagnostic(code, severity, file, line, column, message))
    return out


def _text(node: etree._Element | None) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


_STEP = re.compile(r"""(?:Q\{(?P<ns>[^}]*)\})?(?P<local>[^\[/{]+)\[(?P<n>\d+)\]""")


def _locate(tree: etree._ElementTree, location: str | None,
            source: SourceText) -> tuple[int | None, int | None]:
    """Line and column of the node at ``location`` (an ``fn:path()``)."""
    if not location or not location.startswith("/"):
        return None, None
    el: etree._Element | None = None
    rest = location[1:]
    while rest:
        if rest.startswith("@"):
            attr = rest[1:]
            match = re.match(r"Q\{([^}]*)\}(.+)", attr)
            clark = f"{{{match.group(1)}}}{match.group(2)}" if match and match.group(1) else (
                match.group(2) if match else attr)
            if el is None:
                break
            return source.attribute(el, written_name(el, clark))
        match = _STEP.match(rest)
        if not match:
            break  # text(), comment(), processing-instruction(): its element
        rest = rest[match.end():].lstrip("/")
        tag = (f"{{{match.group('ns')}}}{match.group('local')}" if match.group("ns")
               else match.group("local"))
        n = int(match.group("n"))
        if el is None:
            root = tree.getroot()
            if root.tag != tag:
                break
            el = root
            continue
        same = [c for c in el if c.tag == tag]
        if n > len(same):
            break
        el = same[n - 1]
    if el is None:
        return None, None
    return source.element(el)
