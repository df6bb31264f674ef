"""Build many documents: ``tei-tools build PATH…`` over files and folders.

::

    from tei_tools.publish.corpus import build_corpus
    report = build_corpus(["corpus/"], Path("dist"), BuildOptions(formats=("txt",)), jobs=2)
    report.ok, report.documents[0].status, report.to_dict()

* Each document is built into ``out/<relative path without .xml>/`` (the path
  relative to the folder given; a file given as such: its name), with
  :func:`tei_tools.publish.build.build` (validated, deterministic, atomic per
  document). One document given as a file keeps the single-build layout
  (``out/html``, ``out/epub``, ``out/txt``).
* A document that is invalid, unreadable or fails to build is reported in its
  :class:`DocumentBuild` and the others are built.
* The work runs on an executor of :mod:`tei_tools.executor` (in-process, local
  worker processes, a Dask cluster). A worker that cannot read the client's
  files gets the document by bytes, builds it in a temporary folder of its
  own and sends the files back; the client installs them atomically.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tei_tools import paths, xmlio
from tei_tools.diagnostics import Diagnostic
from tei_tools.errors import TeiToolsError, UsageError
from tei_tools.publish import formats as registry
from tei_tools.publish.build import InvalidDocument, build, check_out_dir, install
from tei_tools.publish.options import READINGS, BuildOptions
from tei_tools.saxon import SaxonSession

if TYPE_CHECKING:  # the executor (multiprocessing, ~0.04 s) is imported for several documents
    from tei_tools.executor import DocumentRef, Executor, ShippedFile

Progress = Callable[["DocumentBuild", int, int], None]
"""``progress(outcome, done, total)``, called once per document in input order."""

BUILT, INVALID, FAILED, REFUSED = "built", "invalid", "failed", "refused"


@dataclass(frozen=True, slots=True)
class BuildJob:
    """One document to build and the folder it goes to (client paths)."""

    document: DocumentRef
    target: str
    edition: bool = False
    """The document lies in the edition folder (it is validated with the project's rules)."""
    grammar: ShippedFile | None = None
    """Sent by bytes: the grammar the client would validate it with, by content."""
    odd: ShippedFile | None = None
    """Sent by bytes with the grammar: the ODD beside it (the site's schema pages)."""

    @property
    def name(self) -> str:
        return self.document.path


@dataclass(frozen=True, slots=True)
class DocumentBuild:
    """What became of one document."""

    source: str
    out_dir: str
    status: str
    """``built``; ``invalid`` (validation failed); ``failed`` (a writer failed);
    ``refused`` (unreadable, or an output folder holding files not ours: exit 2)."""
    message: str | None = None
    formats: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    """Paths relative to ``out_dir``, sorted."""
    warnings: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    payload: tuple[tuple[str, bytes], ...] | None = field(default=None, repr=False)
    """The built files, when the worker could not write ``out_dir`` itself."""

    @property
    def ok(self) -> bool:
        return self.status == BUILT

    def to_dict(self) -> dict[str, object]:
        return {"source": self.source, "out": self.out_dir, "status": self.status,
                "message": self.message, "formats": list(self.formats),
                "files": list(self.files), "warnings": list(self.warnings),
                "diagnostics": [d.to_dict() for d in self.diagnostics]}


@dataclass(frozen=True, slots=True)
class CorpusBuild:
    """Every document of a run, in input order."""

    out_dir: str
    documents: tuple[DocumentBuild, ...]

    @property
    def ok(self) -> bool:
        return all(d.ok for d in self.documents)

    @property
    def exit_code(self) -> int:
        if any(d.status == REFUSED for d in self.documents):
            return 2
        return 0 if self.ok else 1

    def count(self, status: str) -> int:
        return sum(1 for d in self.documents if d.status == status)

    def summary(self) -> str:
        """``12 documents: 10 built, 1 invalid, 1 failed``."""
        n = len(self.documents)
        parts = [f"{self.count(s)} {s}" for s in (BUILT, INVALID, FAILED, REFUSED)
                 if self.count(s) or s == BUILT]
        return f"{n} document{'s' if n != 1 else ''}: {', '.join(parts)}"

    def to_dict(self) -> dict[str, object]:
        """The ``--report`` JSON (no timings: the same input gives the same report)."""
        return {"out": self.out_dir, "ok": self.ok,
                "summary": {s: self.count(s) for s in (BUILT, INVALID, FAILED, REFUSED)}
                | {"documents": len(self.documents)},
                "documents": [d.to_dict() for d in self.documents]}


@dataclass(frozen=True, slots=True)
class BuildWork:
    """Build one :class:`BuildJob` (runs in a worker, with its session; picklable)."""

    options: BuildOptions
    uses_saxon = True
    documents_per_worker = 200
    """A local worker process builds about this many documents, then a fresh one
    takes over (bounded memory, issue 12; measured in BENCHMARKS.md)."""

    def __call__(self, job: BuildJob, *, saxon: SaxonSession) -> DocumentBuild:
        document = job.document
        if document.data is not None:
            return self._from_bytes(job, saxon)
        if document.cwd is None:
            return build_one(Path(document.path), Path(job.target), self.options, saxon=saxon)
        # another process, elsewhere: the client's relative paths from its folder
        source, target = document.location, os.path.join(document.cwd, job.target)
        outcome = build_one(Path(source), Path(target), self.options, saxon=saxon)
        return _renamed(outcome, source, document.path, target, job.target, None)

    def ship(self, job: BuildJob) -> tuple[BuildJob, tuple[ShippedFile, ...]]:
        """The job for a worker that gets the document by bytes: the grammar it would be
        validated with here (``--schema``, or its ``<?xml-model?>`` resolved against
        the client's path) goes with it, by content, and the ODD beside it (the site's
        schema pages, also when the build does not validate)."""
        if not (self.options.validate or "html" in self.options.formats):
            return job, ()
        grammar = self.options.schema
        if grammar is None and job.document.data is not None:
            from tei_tools.validation import schema_choice  # only when validating (#12)
            from tei_tools.xinclude import XIncludePolicy

            try:
                tree = xmlio.parse_document(job.document.data, job.document.path,
                                            XIncludePolicy(enabled=False)).tree
            except TeiToolsError:  # the worker reports it
                return job, ()
            grammar = schema_choice.declared_relaxng(tree, Path(job.document.path))
        if grammar is None:
            return job, ()
        from tei_tools.executor import ShippedFile

        shipped = ShippedFile.of(grammar)
        beside = Path(grammar).with_suffix(".odd")
        if not beside.is_file():
            return dataclasses.replace(job, grammar=shipped), (shipped,)
        odd = ShippedFile.of(beside)
        return dataclasses.replace(job, grammar=shipped, odd=odd), (shipped, odd)

    def _from_bytes(self, job: BuildJob, saxon: SaxonSession) -> DocumentBuild:
        """Build a document received by bytes in a private folder; send the files back."""
        with tempfile.TemporaryDirectory(prefix="tei-tools-build-") as tmp:
            source = Path(tmp) / "src" / Path(job.document.path).name
            source.parent.mkdir()
            source.write_bytes(job.document.data or b"")
            out = Path(tmp) / "out"
            options = self.options
            if job.grammar is not None:
                odd = job.odd.local() if job.odd is not None else None
                options = dataclasses.replace(options, schema=job.grammar.local(), schema_odd=odd)
            elif job.edition and options.schema is None and options.validate:
                # the copy is not in the edition folder: name the grammar it would get
                from tei_tools.validation import project_schema  # only when validating (#12)

                options = dataclasses.replace(options, schema=project_schema())
            outcome = build_one(source, out, options, saxon=saxon)
            payload = None
            if outcome.ok:
                payload = tuple((rel, (out / rel).read_bytes()) for rel in outcome.files)
            return _renamed(outcome, str(source), job.document.path, str(out), job.target,
                            payload)


def build_one(source: Path, target: Path, options: BuildOptions,
              progress: Callable[[str], None] | None = None, *,
              saxon: SaxonSession | None = None) -> DocumentBuild:
    """:func:`~tei_tools.publish.build.build` with every failure of the document
    turned into its :class:`DocumentBuild` (nothing raised for a bad document)."""
    try:
        result = build(source, target, options, progress, saxon=saxon)
    except InvalidDocument as exc:
        return DocumentBuild(str(source), str(target), INVALID, str(exc),
                             diagnostics=tuple(exc.diagnostics))
    except UsageError as exc:
        return DocumentBuild(str(source), str(target), REFUSED, str(exc))
    except TeiToolsError as exc:
        diagnostics = (exc.diagnostic(),) if hasattr(exc, "diagnostic") else ()
        return DocumentBuild(str(source), str(target), FAILED, str(exc), diagnostics=diagnostics)
    files = sorted(p.relative_to(target).as_posix() for f in result.formats for p in f.files)
    return DocumentBuild(str(source), str(target), BUILT, None,
                         tuple(f.name for f in result.formats), tuple(files), tuple(result.warnings),
                         tuple(result.diagnostics))


def _renamed(outcome: DocumentBuild, tmp_source: str, source: str, tmp_out: str, target: str,
             payload: tuple[tuple[str, bytes], ...] | None) -> DocumentBuild:
    """The outcome as if the worker had built the client's file into the client's folder."""

    def fix(text: str | None) -> str | None:
        return text.replace(tmp_source, source).replace(tmp_out, target) if text else text

    diagnostics = tuple(dataclasses.replace(d, file=fix(d.file) or d.file, message=fix(d.message)
                                            or d.message) for d in outcome.diagnostics)
    return dataclasses.replace(outcome, source=source, out_dir=target,
                               message=fix(outcome.message),
                               warnings=tuple(fix(w) or w for w in outcome.warnings),
                               diagnostics=diagnostics, payload=payload)


def plan(paths_given: Iterable[str | os.PathLike[str]], out_dir: Path,
         default: Path | None = None) -> list[BuildJob]:
    """The documents to build and their output folders (see the module's documentation)."""
    from tei_tools.executor import DocumentRef, collect_files

    found = collect_files(paths_given, default=default)
    alone = len(found) == 1 and found[0][1] is None
    edition = paths.edition_dir().resolve()
    jobs: list[BuildJob] = []
    owner: dict[Path, Path] = {}
    for file, root in found:
        if alone:
            target = out_dir
        else:
            rel = file.relative_to(root) if root is not None else Path(file.name)
            target = out_dir / rel.with_suffix("")
            if target.name in registry.WRITERS and target.parent == out_dir:
                raise UsageError(f"{file}: error: would be built into {target}, the folder of a "
                                 f"format; rename the file or build it alone")
            if target in owner:
                raise UsageError(f"{file}: error: would be built into {target}, like "
                                 f"{owner[target]}; give the folder that holds both instead")
            owner[target] = file
        in_edition = file.resolve().is_relative_to(edition)
        jobs.append(BuildJob(DocumentRef(str(file)), str(target), in_edition))
    return jobs


def build_corpus(paths_given: Iterable[str | os.PathLike[str]], out_dir: Path,
                 options: BuildOptions | None = None, *, jobs: int | None = None,
                 scheduler: str | None = None, executor: Executor | None = None,
                 progress: Progress | None = None,
                 default: Path | None = None,
                 saxon: SaxonSession | None = None) -> CorpusBuild:
    """Build every document of ``paths_given`` into ``out_dir``; never prints, never
    raises for one document (its failure is in the report).

    Runs on ``executor``, else on :func:`tei_tools.executor.open_executor`'s
    choice for ``jobs`` and ``scheduler`` (a Dask address; ``None``:
    ``$DASK_SCHEDULER_ADDRESS`` when set, else local processes). ``saxon``: the
    caller's session for documents built in this process (workers have their own).

    Raises :class:`~tei_tools.errors.UsageError` before any work for a bad option,
    a missing path, a folder without XML, or two documents meant for one folder.
    """
    options = options or BuildOptions()
    if options.reading not in READINGS:
        raise UsageError(f"unknown reading '{options.reading}' (regularised or diplomatic)")
    for name in options.formats:
        registry.writer(name)
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: error: exists and is not a folder; choose another --out")
    planned = plan(paths_given, Path(out_dir), default)
    if options.schema is not None:  # a worker's current folder is not ours
        options = dataclasses.replace(options, schema=Path(options.schema).resolve())
    work = BuildWork(options)
    outcomes: list[DocumentBuild] = []
    total = len(planned)

    def run(ex: Executor) -> None:
        for done, outcome in enumerate(ex.map(work, planned), 1):
            if outcome.payload is not None:
                outcome = _install_payload(outcome)
            outcomes.append(outcome)
            if progress:
                progress(outcome, done, total)

    if executor is not None:
        run(executor)
    else:
        from tei_tools.executor import open_executor

        with open_executor(jobs, scheduler, items=total, saxon=saxon) as own:
            run(own)
    return CorpusBuild(str(out_dir), tuple(outcomes))


def _install_payload(outcome: DocumentBuild) -> DocumentBuild:
    """Write the files a worker sent back, atomically, into the document's folder."""
    target = Path(outcome.out_dir)
    try:
        check_out_dir(target)
    except UsageError as exc:
        return dataclasses.replace(outcome, status=REFUSED, payload=None, files=(), formats=(),
                                   message=str(exc))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        try:
            for rel, data in outcome.payload or ():
                path = tmp / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            install(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    except (OSError, TeiToolsError) as exc:
        return dataclasses.replace(outcome, status=FAILED, payload=None,
                                   message=f"{target}: error: cannot write ({exc})")
    return dataclasses.replace(outcome, payload=None)
