"""The :func:`validate` API: files and folders, checks in order, in parallel.

Checks, per document, in this order:

1. well-formed XML, read with the hardened parser (:mod:`tei_tools.xmlio`);
   a failure stops the checks of that document;
2. the root element is TEI ``TEI`` or ``teiCorpus`` (else stop);
3. ``xml:id`` values are unique (``TT-ID-01``, for every schema: a repeated
   ``xml:id`` is an XML error, and libxml2 would otherwise refuse the file);
4. RELAX NG: the project's grammar, or any ``.rng`` given;
5. Schematron: the project's rules with the project's grammar, or the file given.

Schemas are read (and small ones compiled) once, in the calling process,
before the workers are forked. A big grammar such as ``tei_all.rng`` is not
compiled whole there: each worker compiles it pruned to each document's names
in milliseconds (:mod:`tei_tools.validation.prune`), and whole only for an
invalid document, to explain it. Results come back in input order. Nothing
here prints.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from tei_tools import paths as project_paths
from tei_tools import xmlio
from tei_tools.diagnostics import Diagnostic
from tei_tools.errors import UsageError, XmlInputError
from tei_tools.validation import relaxng
from tei_tools.validation import schematron as rules
from tei_tools.validation.locate import SourceText
from tei_tools.validation.report import FileResult, ValidationReport

PROJECT_RNG = "tei-taijiang.rng"
PROJECT_SCH = "tei-taijiang.sch"
PARALLEL_MIN = 4
"""Fewer files than this are validated in-process (forking costs more)."""

Progress = Callable[[int, int, str], None]
"""``progress(done, total, path)``, called after each file."""


def project_schema() -> Path:
    return project_paths.schema_dir() / PROJECT_RNG


def project_schematron() -> Path:
    return project_paths.schema_dir() / PROJECT_SCH


def collect_files(paths: Iterable[str | os.PathLike[str]] | None) -> list[Path]:
    """Files as given, folders expanded to their ``*.xml`` (recursively, sorted)."""
    given = [Path(p) for p in (paths or [])]
    if not given:
        edition = project_paths.edition_dir()
        if not edition.is_dir():
            raise UsageError(f"{edition}: error: no path given and no edition folder here")
        given = [edition]
    files: list[Path] = []
    for p in given:
        if p.is_dir():
            found = sorted((f for f in p.rglob("*.xml") if f.is_file()),
                           key=lambda f: f.relative_to(p).parts)
            if not found:
                raise UsageError(f"{p}: error: folder holds no .xml file")
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise UsageError(f"{p}: error: no such file or folder")
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def validate(paths: Iterable[str | os.PathLike[str]] | None = None, *,
             schema: str | os.PathLike[str] | None = None,
             schematron: str | os.PathLike[str] | bool | None = None,
             odd: str | os.PathLike[str] | None = None,
             jobs: int | None = None,
             progress: Progress | None = None) -> ValidationReport:
    """Validate TEI documents; never prints.

    ``paths``: files and folders (``None``: the edition folder). ``schema``: a
    RELAX NG grammar in XML syntax (``None``: the project's). ``schematron``:
    ``None`` runs the project's rules when the project's grammar is used
    (by default or named) and no rules otherwise (they encode this edition's conventions); ``True`` the
    project's rules; ``False`` none; a path, that Schematron. ``jobs``: worker
    processes (``None``: all cores; 1: in-process).

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
    compiled_rng = relaxng.load_relaxng(rng_path)
    compiled_sch = rules.load_schematron(sch_path) if sch_path else None
    results = _run([str(f) for f in files], compiled_rng, compiled_sch, jobs, progress)
    checks = ("well-formed", "tei-root", "relaxng") + (("schematron",) if compiled_sch else ())
    return ValidationReport(tuple(results), str(rng_path), str(sch_path) if sch_path else None,
                            checks)



def odd_rules(odd: str | os.PathLike[str]) -> tuple[Path, Path | None, str | None]:
    """An ODD's compiled grammar, its Schematron if this engine can run it, and why not.

    The Schematron the ODD processor writes is ``queryBinding="xslt2"``; until
    the Schematron engine runs XSLT 2 rules, the grammar alone is used and the
    third value says so.
    """
    from tei_tools.odd.cache import odd_schemas

    schemas = odd_schemas(odd)
    try:
        rules.load_schematron(schemas.sch)
    except UsageError as exc:
        return schemas.rng, None, (f"{odd}: note: the ODD's Schematron ({schemas.sch}) is not run: "
                                   + str(exc).split(": error: ", 1)[-1])
    return schemas.rng, schemas.sch, None


def validate_bytes(data: bytes, name: str, *,
                   schema: str | os.PathLike[str] | None = None,
                   schematron: str | os.PathLike[str] | bool | None = None) -> FileResult:
    """Validate one in-memory document (e.g. a build's intermediate TEI)."""
    rng_path, sch_path = _schemas(schema, schematron)
    compiled_rng = relaxng.load_relaxng(rng_path)
    compiled_sch = rules.load_schematron(sch_path) if sch_path else None
    return _check_data(data, name, compiled_rng, compiled_sch)


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
_STATE: tuple[relaxng.CompiledRelaxNG, rules.CompiledSchematron | None] | None = None


def _worker(path: str) -> FileResult:
    assert _STATE is not None
    return validate_file(path, *_STATE, explain=False)


def _run(files: list[str], rng: relaxng.CompiledRelaxNG,
         sch: rules.CompiledSchematron | None, jobs: int | None,
         progress: Progress | None) -> list[FileResult]:
    global _STATE
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    total = len(files)
    results: list[FileResult] = []
    fork = "fork" in multiprocessing.get_all_start_methods()
    if jobs <= 1 or total < PARALLEL_MIN or not fork:
        for i, path in enumerate(files, 1):
            results.append(validate_file(path, rng, sch))
            if progress:
                progress(i, total, path)
        return results
    _STATE = (rng, sch)
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(min(jobs, total)) as pool:
            for i, result in enumerate(pool.imap(_worker, files, chunksize=1), 1):
                results.append(result)
                if progress:
                    progress(i, total, result.path)
    finally:
        _STATE = None
    return _explain(results, rng, sch, jobs)


def _explain(results: list[FileResult], rng: relaxng.CompiledRelaxNG,
             sch: rules.CompiledSchematron | None, jobs: int) -> list[FileResult]:
    """Redo, with the whole grammar compiled once here, the invalid documents the
    workers judged with a pruned grammar only (each worker would compile it)."""
    pending = [i for i, r in enumerate(results)
               if any(d.code == relaxng.UNEXPLAINED for d in r.diagnostics)]
    if not pending:
        return results
    rng.relaxng  # compiled before forking: the workers share it
    redone = _run([results[i].path for i in pending], rng, sch, jobs, None)
    for i, result in zip(pending, redone):
        results[i] = result
    return results


def validate_file(path: str, rng: relaxng.CompiledRelaxNG,
                  sch: rules.CompiledSchematron | None, explain: bool = True) -> FileResult:
    """All checks on one file, with compiled schemas."""
    try:
        data = xmlio.read_bytes(path)
    except XmlInputError as exc:
        return FileResult(path, (exc.diagnostic(),))
    except UsageError as exc:
        message = str(exc).split(": error: ", 1)[-1]
        return FileResult(path, (Diagnostic("IO", "error", path, None, None, message),),
                          io_error=True)
    return _check_data(data, path, rng, sch, explain)


def _check_data(data: bytes, name: str, rng: relaxng.CompiledRelaxNG,
                sch: rules.CompiledSchematron | None, explain: bool = True) -> FileResult:
    try:
        tree = xmlio.parse_bytes(data, name)
    except XmlInputError as exc:
        return FileResult(name, (exc.diagnostic(),))
    source = SourceText(data, tree)
    if not xmlio.is_tei_root(tree):
        root = tree.getroot()
        line, column = source.element(root)
        ns = root.nsmap.get(root.prefix)
        where = f" in namespace {ns}" if ns else " in no namespace"
        return FileResult(name, (Diagnostic(
            "TEI-ROOT", "error", name, line, column,
            f"the root element is <{root.tag.split('}')[-1]}>{where}, not a TEI document "
            f"(<TEI> or <teiCorpus> in {xmlio.TEI_NS})"),))
    diagnostics: list[Diagnostic] = []
    duplicates = xmlio.duplicate_ids(tree)
    id_lines: set[int | None] = set()
    for value, elements in duplicates:
        first_line = elements[0].sourceline
        for el in elements[1:]:
            line, column = source.attribute(el, "xml:id")
            id_lines.add(line)
            diagnostics.append(Diagnostic(
                "TT-ID-01", "error", name, line, column,
                f'xml:id "{value}" is already used on line {first_line}; ids must be unique'))
    diagnostics.extend(relaxng.check(rng, tree, source, name,
                                     frozenset(v for v, _ in duplicates), explain))
    if sch is not None:
        for d in rules.check(sch, tree, source, name):
            if d.code == "TT-ID-01" and duplicates:
                # already reported by the parser-level check (each repeat once)
                if any(d.line == el.sourceline for _, els in duplicates for el in els):
                    continue
            diagnostics.append(d)
        diagnostics = _drop_repeated_dates(diagnostics)
    diagnostics.sort(key=lambda d: (d.line or 0, d.column or 0))
    return FileResult(name, tuple(diagnostics))


def _drop_repeated_dates(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A bad date is reported by the grammar (datatype) and by TT-DATE-01, which
    says more: keep the Schematron one."""
    dates = {(d.line, d.message.split(" on <", 1)[0]) for d in diagnostics if d.code == "TT-DATE-01"}
    return [d for d in diagnostics
            if not (d.code == "RNG-ATTRIBUTE" and (d.line, d.message.split(" on <", 1)[0]) in dates)]
