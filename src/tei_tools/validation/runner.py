"""The :func:`validate` API: files and folders, checks in order, in parallel.

Checks, per document, in this order:

1. well-formed XML, read with the hardened parser (:mod:`tei_tools.xmlio`);
   a failure stops the checks of that document;
2. the root element is TEI ``TEI`` or ``teiCorpus`` (else stop);
3. RELAX NG: the project's grammar, or any ``.rng`` given, with the project's
   own validator (:mod:`tei_tools.validation.relaxng`); IDs are checked as
   the grammar types them (``TT-ID-01`` for a repeated ``xml:id``; none inside
   TEI's ``egXML`` examples, which are not ID-typed);
4. Schematron (:mod:`tei_tools.validation.schematron`, one engine, XPath 1/2/3):
   the project's rules with the project's grammar, or the file given; and the
   rules embedded in the grammar (``sch:pattern`` inside a ``.rng``, as in
   ``tei_all.rng``) unless ``embedded_schematron=False``.

Before step 1, ``xi:include`` of local files is expanded (:mod:`tei_tools.xinclude`);
a diagnostic on a line that came from an included file names that file.

Documents are checked by the executor of :mod:`tei_tools.executor`
(in-process, local worker processes, or a Dask cluster). The calling process
reads the schemas first, so a bad schema is reported before any work; local
workers forked from it start with them (:meth:`DocumentChecks.preload`), others
read them once each (``tei_all.rng``: ~0.1–0.2 s).
Results come back in input order.
Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from tei_tools import paths as project_paths
from tei_tools import xmlio
from tei_tools.diagnostics import Diagnostic
from tei_tools.errors import TeiToolsError, UsageError, XmlInputError
from tei_tools.saxon import SaxonSession
from tei_tools.validation import relaxng
from tei_tools.validation import schematron as rules
from tei_tools.validation.locate import SourceText
from tei_tools.validation.report import FileResult, ValidationReport
from tei_tools.validation.schematron_prune import Name, document_names, names_of
from tei_tools.xinclude import XIncludePolicy

if TYPE_CHECKING:  # the executor (multiprocessing) is imported where it runs: a build's
    # validation of its one document in-process does without (~25 ms cold, #12)
    from tei_tools.executor import DocumentRef, Executor, ShippedFile

PROJECT_RNG = "tei-taijiang.rng"
PROJECT_SCH = "tei-taijiang.sch"
Progress = Callable[[int, int, str], None]
"""``progress(done, total, path)``, called after each file."""


def project_schema() -> Path:
    return project_paths.schema_dir() / PROJECT_RNG


def project_schematron() -> Path:
    return project_paths.schema_dir() / PROJECT_SCH


def collect_files(paths: Iterable[str | os.PathLike[str]] | None) -> list[Path]:
    """Files as given, folders expanded to their ``*.xml`` (recursively, sorted)."""
    from tei_tools.executor import collect_files as executor_files

    return [f for f, _ in executor_files(paths or [], default=project_paths.edition_dir())]


def validate(paths: Iterable[str | os.PathLike[str]] | None = None, *,
             schema: str | os.PathLike[str] | None = None,
             schematron: str | os.PathLike[str] | bool | None = None,
             odd: str | os.PathLike[str] | None = None,
             embedded_schematron: bool | None = None,
             xinclude: XIncludePolicy = xmlio.XINCLUDE,
             jobs: int | None = None,
             progress: Progress | None = None,
             on_result: Callable[[FileResult], None] | None = None,
             scheduler: str | None = None,
             executor: Executor | None = None,
             saxon: SaxonSession | None = None) -> ValidationReport:
    """Validate TEI documents; never prints.

    ``paths``: files and folders (``None``: the edition folder). ``schema``: a
    RELAX NG grammar in XML syntax (``None``: the project's). ``schematron``:
    ``None`` runs the project's rules when the project's grammar is used
    (by default or named) and no rules otherwise (they encode this edition's conventions); ``True`` the
    project's rules; ``False`` none; a path, that Schematron. ``jobs``: local worker
    processes (``None``: all cores; 1: in-process). ``scheduler``: a Dask
    scheduler's address (``None``: ``$DASK_SCHEDULER_ADDRESS`` when set). Or an
    ``executor`` of :mod:`tei_tools.executor` the caller keeps. ``saxon``: the
    caller's Saxon session, for the Schematron run in this process (``None``: a
    new one; worker processes have their own). ``on_result``: called with each
    file's result as soon as it and every file before it are done (input order),
    so a caller can report a long run as it goes.

    ``embedded_schematron``: run the Schematron embedded in the grammar
    (``None``: yes, unless ``schematron`` is ``False``). ``xinclude``: whether and
    from which folder ``xi:include`` is expanded (default: each document's own
    folder tree).

    ``odd``: an ODD customisation, compiled (cached, see :func:`odd_rules`) to the
    grammar and, when the Schematron engine runs its ``queryBinding``, its rules.

    Raises :class:`~tei_tools.errors.UsageError` for a missing path, a folder
    without XML, or an unusable schema. Invalid documents are *results*.
    """
    if odd is not None:
        if schema is not None:
            raise UsageError("tei-tools validate: error: --odd and --schema exclude each other")
        schema, odd_sch, _ = odd_rules(odd)
        if schematron is None or schematron is True:
            schematron = odd_sch if odd_sch is not None else False
    files = collect_files(paths)
    rng_path, sch_path = _schemas(schema, schematron)
    relaxng.load_relaxng(rng_path)  # a bad schema is a usage error before any work
    saxon = saxon or SaxonSession()
    loaded = _load_rules(rng_path, sch_path, schematron, embedded_schematron, saxon)
    checks = _checks(rng_path, sch_path, embedded=any(c.embedded for c in loaded),
                     xinclude=xinclude)
    if executor is not None:
        results = _run([str(f) for f in files], checks, executor, progress, on_result)
    else:
        from tei_tools.executor import open_executor

        with open_executor(jobs, scheduler, items=len(files), saxon=saxon) as own:
            results = _run([str(f) for f in files], checks, own, progress, on_result)
    names = ("well-formed", "tei-root", "relaxng",
             *("embedded-schematron" if c.embedded else "schematron" for c in loaded))
    return ValidationReport(tuple(results), str(rng_path), str(sch_path) if sch_path else None,
                            names)



def odd_rules(odd: str | os.PathLike[str], *,
              saxon: SaxonSession | None = None) -> tuple[Path, Path | None, str | None]:
    """An ODD's compiled grammar, its Schematron if this engine can run it, and why not.

    The Schematron the ODD processor writes is ``queryBinding="xslt2"``, which
    the Schematron engine runs; if it does not compile there, the grammar alone
    is used and the third value says why.
    """
    from tei_tools.odd.cache import odd_schemas

    schemas = odd_schemas(odd)
    try:
        rules.load_schematron(schemas.sch, saxon=saxon)
    except UsageError as exc:
        return schemas.rng, None, (f"{odd}: note: the ODD's Schematron ({schemas.sch}) is not run: "
                                   + str(exc).split(": error: ", 1)[-1])
    return schemas.rng, schemas.sch, None


def validate_bytes(data: bytes, name: str, *,
                   schema: str | os.PathLike[str] | None = None,
                   schematron: str | os.PathLike[str] | bool | None = None,
                   embedded_schematron: bool | None = None,
                   xinclude: XIncludePolicy = xmlio.XINCLUDE,
                   saxon: SaxonSession | None = None) -> FileResult:
    """Validate one in-memory document (e.g. a build's intermediate TEI)."""
    saxon = saxon or SaxonSession()
    rng_path, sch_path = _schemas(schema, schematron)
    compiled_rng = relaxng.load_relaxng(rng_path)
    compiled_sch = _load_rules(rng_path, sch_path, schematron, embedded_schematron, saxon)
    return _check_data(data, name, compiled_rng, compiled_sch, saxon, xinclude=xinclude)


def validate_document(data: bytes, tree: etree._ElementTree, name: str, *,
                      schema: str | os.PathLike[str] | None = None,
                      schematron: str | os.PathLike[str] | bool | None = None,
                      embedded_schematron: bool | None = None,
                      parsed: xmlio.ParsedXml | None = None,
                      saxon: SaxonSession | None = None) -> ValidationReport:
    """Validate a document already read (``data``) and parsed (``tree``, by
    :mod:`tei_tools.xmlio`): what a build does, without reading it again.
    ``parsed``: what :func:`tei_tools.xmlio.parse_document` said of it, so that a
    diagnostic in an XInclude'd file names that file. ``saxon``: the caller's
    session for the Schematron (``None``: a new one)."""
    saxon = saxon or SaxonSession()
    rng_path, sch_path = _schemas(schema, schematron)
    rng = relaxng.load_relaxng(rng_path)
    sch = _load_rules(rng_path, sch_path, schematron, embedded_schematron, saxon)
    names = ("well-formed", "tei-root", "relaxng",
             *("embedded-schematron" if c.embedded else "schematron" for c in sch))
    if parsed is not None and parsed.included:
        source = SourceText.from_text(parsed.text(), tree)
        found = _check_tree(data, tree, name, rng, sch, saxon, source=source)
        result = FileResult(name, tuple(_relocated(d, parsed, name) for d in found.diagnostics))
    else:
        result = _check_tree(data, tree, name, rng, sch, saxon)
    return ValidationReport((result,), str(rng_path), str(sch_path) if sch_path else None,
                            names)


Rules = tuple[rules.CompiledSchematron, ...]
"""The Schematrons a run applies: the given or project rules, then the embedded."""


def _load_rules(rng_path: Path, sch_path: Path | None,
                schematron: str | os.PathLike[str] | bool | None,
                embedded: bool | None, saxon: SaxonSession) -> Rules:
    """Read (once per process) the Schematrons of a run; a file given is compiled
    now, so that a static error is a usage error before any document."""
    loaded: list[rules.CompiledSchematron] = []
    if sch_path is not None:
        loaded.append(rules.load_schematron(sch_path, saxon=saxon))
    if embedded is None:
        embedded = schematron is not False
    if embedded:
        inside = rules.load_embedded(rng_path, relaxng.load_relaxng(rng_path).rng.document)
        if inside is not None:
            loaded.append(inside)
    return tuple(loaded)


def _schemas(schema: str | os.PathLike[str] | None,
             schematron: str | os.PathLike[str] | bool | None) -> tuple[Path, Path | None]:
    """The grammar and the Schematron a run uses (see :func:`validate`)."""
    rng_path = Path(schema) if schema is not None else project_schema()
    if schematron is None:
        # the project's rules go with the project's grammar only
        same = rng_path.resolve() == project_schema().resolve()
        return rng_path, (project_schematron() if same else None)
    if isinstance(schematron, bool):
        return rng_path, (project_schematron() if schematron else None)
    return rng_path, Path(schematron)


# -- the work ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DocumentChecks:
    """The checks of one run as a worker receives them: schema paths, not compiled
    schemas (``None``: the project's, found where the worker has it). Each worker
    process reads them once (:mod:`relaxng`'s and :mod:`schematron`'s caches) and
    compiles the Schematron in its own Saxon session (the executor's)."""

    rng: str | None
    """The RELAX NG grammar (``None``: the project's)."""
    sch: str | None
    """The Schematron (``None``: none)."""
    project_rules: bool = False
    """Run the project's Schematron (then ``sch`` is ``None``)."""
    embedded: bool = False
    """Run the Schematron embedded in the grammar."""
    xinclude: XIncludePolicy = xmlio.XINCLUDE
    shipped: tuple[ShippedFile | None, ShippedFile | None] = (None, None)
    """``rng`` and ``sch`` by content, for workers that do not see the client's files."""

    def by_bytes(self) -> tuple[DocumentChecks, tuple[ShippedFile, ...]]:
        """These checks for workers that cannot read ``rng`` and ``sch`` where the
        client has them: the files go by content (see :mod:`tei_tools.executor`)."""
        from tei_tools.executor import ShippedFile

        rng, sch = (ShippedFile.of(p) if p is not None else None for p in (self.rng, self.sch))
        return replace(self, shipped=(rng, sch)), tuple(f for f in (rng, sch) if f is not None)

    uses_saxon = True
    """The executor hands each call its process's :class:`SaxonSession`."""

    def schemas(self) -> tuple[relaxng.CompiledRelaxNG, Rules]:
        rng_file, sch_file = self.shipped
        rng_path = (rng_file.local() if rng_file is not None else
                    Path(self.rng) if self.rng is not None else project_schema())
        rng = relaxng.load_relaxng(rng_path)
        sch: list[rules.CompiledSchematron] = []
        if self.project_rules:
            sch.append(rules.load_schematron(project_schematron()))
        elif self.sch is not None:
            sch.append(rules.load_schematron(sch_file.local() if sch_file is not None else self.sch))
        if self.embedded:
            inside = rules.load_embedded(rng_path, rng.rng.document)
            if inside is not None:
                sch.append(inside)
        return rng, tuple(sch)

    def preload(self) -> None:
        """What the client reads before local workers are forked from it: the schemas
        (the grammar, the Schematrons' lxml parts; no Saxon). The client has read the
        grammar already (the usage check): the workers start with it instead of
        reading it each (~0.1 s)."""
        self.schemas()

    def prepare(self, *, saxon: SaxonSession) -> None:
        _, sch = self.schemas()  # read once per worker, here (found if preloaded)
        for compiled in sch:
            if not compiled.prunes:  # a big one grows per document (CompiledSchematron.for_document)
                compiled.compile(saxon)

    def __call__(self, document: DocumentRef, *, saxon: SaxonSession) -> FileResult:
        return self.bind()(document, saxon=saxon)

    def bind(self) -> BoundChecks:
        """These checks with their schemas looked up once, for many documents (the
        executor binds once per batch): a look-up resolves and stats the schema files,
        ~0.5 ms (grammar) to 1.2 ms (with the embedded Schematron) a document."""
        rng, sch = self.schemas()
        return BoundChecks(rng, sch, self.xinclude)


@dataclass(frozen=True, slots=True)
class BoundChecks:
    """:class:`DocumentChecks` with the compiled schemas, as a worker runs them."""

    rng: relaxng.CompiledRelaxNG
    sch: Rules
    xinclude: XIncludePolicy

    def __call__(self, document: DocumentRef, *, saxon: SaxonSession) -> FileResult:
        if document.data is not None:
            return _check_data(document.data, document.path, self.rng, self.sch, saxon,
                               self.xinclude)
        return validate_file(document.location, self.rng, self.sch, saxon, name=document.path,
                             xinclude=self.xinclude)


def _checks(rng_path: Path, sch_path: Path | None, embedded: bool = False,
            xinclude: XIncludePolicy = xmlio.XINCLUDE) -> DocumentChecks:
    """The checks as they travel: the project's schemas by role, others by absolute path
    (a worker's current folder is not the caller's)."""
    rng = None if rng_path.resolve() == project_schema().resolve() else str(rng_path.resolve())
    if xinclude.root is not None:
        xinclude = replace(xinclude, root=xinclude.root.resolve())
    if sch_path is not None and sch_path.resolve() == project_schematron().resolve():
        return DocumentChecks(rng, None, project_rules=True, embedded=embedded,
                              xinclude=xinclude)
    return DocumentChecks(rng, str(sch_path.resolve()) if sch_path is not None else None,
                          embedded=embedded, xinclude=xinclude)


def _run(files: list[str], checks: DocumentChecks, executor: Executor,
         progress: Progress | None,
         on_result: Callable[[FileResult], None] | None = None) -> list[FileResult]:
    from tei_tools.executor import DocumentRef

    documents = [DocumentRef(f) for f in files]
    results = []
    for result in executor.map(checks, documents, progress):
        if on_result is not None:
            on_result(result)
        results.append(result)
    return results


def validate_file(path: str, rng: relaxng.CompiledRelaxNG,
                  sch: Rules, saxon: SaxonSession,
                  name: str | None = None,
                  xinclude: XIncludePolicy = xmlio.XINCLUDE) -> FileResult:
    """All checks on one file, with compiled schemas; ``name``: how results name it
    (default ``path``)."""
    name = name or path
    try:
        data = xmlio.read_bytes(path)
    except XmlInputError as exc:
        return FileResult(name, (dataclasses.replace(exc.diagnostic(), file=name),))
    except UsageError as exc:
        message = str(exc).split(": error: ", 1)[-1]
        return FileResult(name, (Diagnostic("IO", "error", name, None, None, message),),
                          io_error=True)
    return _check_data(data, name, rng, sch, saxon, xinclude)


def _check_data(data: bytes, name: str, rng: relaxng.CompiledRelaxNG,
                sch: Rules, saxon: SaxonSession,
                xinclude: XIncludePolicy = xmlio.XINCLUDE) -> FileResult:
    try:
        parsed = xmlio.parse_document(data, name, xinclude)
    except XmlInputError as exc:
        return FileResult(name, (exc.diagnostic(),))
    if not parsed.included:
        return _check_tree(data, parsed.tree, name, rng, sch, saxon)
    source = SourceText.from_text(parsed.text(), parsed.tree)
    result = _check_tree(data, parsed.tree, name, rng, sch, saxon, source)
    return FileResult(name, tuple(_relocated(d, parsed, name) for d in result.diagnostics),
                      result.io_error)


def _relocated(d: Diagnostic, parsed: xmlio.ParsedXml, name: str) -> Diagnostic:
    """A diagnostic on a line that came from an included file names that file."""
    if d.file != name:
        return d
    file, line = parsed.where(d.line)
    return d if file == name and line == d.line else replace(d, file=file, line=line)


def _check_tree(data: bytes, tree: etree._ElementTree, name: str, rng: relaxng.CompiledRelaxNG,
                sch: Rules, saxon: SaxonSession,
                source: SourceText | None = None) -> FileResult:
    source = source if source is not None else SourceText(data, tree)
    if not xmlio.is_tei_root(tree):
        root = tree.getroot()
        line, column = source.element(root)
        ns = root.nsmap.get(root.prefix)
        where = f" in namespace {ns}" if ns else " in no namespace"
        return FileResult(name, (Diagnostic(
            "TEI-ROOT", "error", name, line, column,
            f"the root element is <{etree.QName(root).localname}>{where}, not a TEI document "
            f"(<TEI> or <teiCorpus> in {xmlio.TEI_NS})"),))
    prunes = any(c.prunes for c in sch)
    checked = relaxng.check_document(rng, tree, source, name, names=prunes)
    diagnostics: list[Diagnostic] = list(checked.diagnostics)
    ids_reported = any(d.code == "TT-ID-01" for d in diagnostics)
    if sch:
        # the names a pruning Schematron needs, from the grammar walk (or read again)
        names = (None if not prunes else names_of(*checked.names) if checked.names is not None
                 else document_names(tree))
        diagnostics.extend(_schematron(sch, tree, source, name, ids_reported, saxon, names))
        diagnostics = _drop_repeated_dates(diagnostics)
    diagnostics.sort(key=lambda d: (d.line or 0, d.column or 0))
    return FileResult(name, tuple(diagnostics))


def _schematron(sch: Rules, tree: etree._ElementTree, source: SourceText, name: str,
                ids_reported: bool, saxon: SaxonSession,
                names: frozenset[Name] | None) -> list[Diagnostic]:
    """Every Schematron of the run on one document (Saxon's tree built once);
    ``names``: :func:`document_names` of ``tree`` if a Schematron prunes by them."""
    sch = tuple(c for c in sch if c.for_document(tree, names, saxon=saxon) is not None)
    if not sch:
        return []
    try:
        document = rules.saxon_document(tree, name, saxon)
    except TeiToolsError as exc:
        return [Diagnostic("SCH", "error", name, None, None,
                           f"the Schematron could not be run: {str(exc).split(': error: ', 1)[-1]}")]
    out: list[Diagnostic] = []
    for compiled in sch:
        for d in rules.check(compiled, tree, source, name, document, names, saxon=saxon):
            if d.code == "TT-ID-01" and ids_reported:
                continue  # the grammar's ID check has reported each repeat already
            out.append(d)
    return out


def _drop_repeated_dates(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A bad date is reported by the grammar (datatype) and by TT-DATE-01, which
    says more: keep the Schematron one."""
    dates = {(d.line, d.message.split(" on <", 1)[0]) for d in diagnostics if d.code == "TT-DATE-01"}
    return [d for d in diagnostics
            if not (d.code == "RNG-ATTRIBUTE" and (d.line, d.message.split(" on <", 1)[0]) in dates)]
