"""``build()``: validate, then write every asked format, atomically.

::

    from tei_tools.publish.build import build, BuildOptions
    result = build(Path("tei/taijiang-dangjian-2007.xml"), Path("dist"),
                   BuildOptions(formats=("html", "txt")))

* **Validation first** (:func:`tei_tools.validation.validate`) with
  ``options.schema``, or else the grammar the document asks for
  (:func:`tei_tools.validation.schema_choice.schema_for`: its ``<?xml-model?>``, the project's
  schema and Schematron for the edition, ``tei_all`` for any other TEI); an
  invalid document raises :class:`InvalidDocument` carrying the diagnostics
  and nothing is written. ``validate=False`` skips it.
* **Atomic**: every format is written into a temporary sibling of ``out_dir``
  (``.dist.tmp-…``, a fresh ``tempfile.mkdtemp`` name per build, so two builds
  in one process or two never share it); formats not rebuilt are carried over
  from the previous output; only when everything succeeded the old folder is
  replaced (two renames, :func:`install`). Any failure, an interrupt included, removes the temporary
  folder and leaves the previous output as it was.
* **Deterministic**: the stylesheets use no clock and no random ids; the
  edition's date comes from its ``revisionDesc``.
* **Two processes** where that helps (:mod:`tei_tools.publish.aside`): the HTML
  is written in a child forked right after the document is parsed, while this
  process validates and writes the others; then each format's finishing step
  (the HTML's downloads: before the child is done when every other format is
  written here) and the install, as in one process — the same files.
* Progress goes to the optional ``progress`` callback, never to stdout.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tei_tools import paths, xmlio
from tei_tools.diagnostics import Diagnostic
from tei_tools.errors import BuildError, UsageError
from tei_tools.publish import aside, memory
from tei_tools.publish import formats as registry
from tei_tools.publish.options import BuildOptions, WriteContext, WriterOutput
from tei_tools.saxon import SaxonSession, Source

__all__ = ["BuildOptions", "BuildResult", "FormatResult", "InvalidDocument", "build"]

Progress = Callable[[str], None]


class InvalidDocument(BuildError):
    """The document failed validation; nothing was published."""

    def __init__(self, path: Path, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = diagnostics
        errors = sum(1 for d in diagnostics if d.severity == "error")
        super().__init__(f"{path}: error: not published: {errors} validation error"
                         f"{'' if errors == 1 else 's'} (fix them, or build with --no-validate)")


@dataclass(slots=True)
class FormatResult:
    name: str
    files: list[Path]
    """Paths in the final output folder."""
    seconds: float


@dataclass(slots=True)
class BuildResult:
    source: Path
    out_dir: Path
    formats: list[FormatResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """Each distinct warning once (an unknown element is named once)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Validation warnings of a document that passed."""


def build(source: Path, out_dir: Path, options: BuildOptions | None = None,
          progress: Progress | None = None, *, saxon: SaxonSession | None = None) -> BuildResult:
    """Build ``source`` into ``out_dir`` (explicit paths: nothing depends on the
    current folder); see the module's documentation. ``saxon``: the caller's
    session (``None``: a new one for this build; pass one to build many)."""
    options = options or BuildOptions()
    say = progress or (lambda _msg: None)
    source = Path(source)
    out_dir = Path(out_dir)
    if options.reading not in ("regularised", "diplomatic"):
        raise UsageError(f"unknown reading '{options.reading}' (regularised or diplomatic)")
    for name in options.formats:
        registry.check(name)  # unknown formats fail before any work
    ordered = tuple(name for name in registry.WRITERS if name in options.formats)
    if not source.is_file():
        raise UsageError(f"{source}: error: no such file"
                         + (" (no edition here: give a TEI file)" if source == paths.edition_file() else ""))
    check_memory(source, options)

    check_out_dir(out_dir)
    result = BuildResult(source, out_dir)
    started = time.perf_counter()
    data = xmlio.read_bytes(source)  # read and parsed once: validated and transformed as is
    parsed = xmlio.parse_document(data, str(source))
    tree = parsed.tree
    is_tei = xmlio.is_tei_root(tree)
    tmp: Path | None = None
    beside: aside.Aside | None = None
    split = False
    try:
        if is_tei and aside.usable(options, ordered, session_given=saxon is not None):
            tmp = _new_tmp(out_dir)
            names = tuple(n for n in ordered if n in aside.FORMATS)
            split = aside.split_html(len(data), names)
            beside = _start_aside(source, tree, tmp, options, names, split)
        session = saxon or SaxonSession()
        if options.validate:
            result.diagnostics = _validate(source, data, parsed, options, say, session)
        if not is_tei:
            raise BuildError(f"{source}: error: the root element is "
                             f"<{etree.QName(tree.getroot()).text}>, not a TEI document")
        loaded = session.load_source(source, tree)
        tmp = tmp or _new_tmp(out_dir)
        elsewhere = beside.names if beside is not None else ()
        tracker = _Tracker(ordered, {n: WriteContext(loaded, tmp / n, tmp, options, source.stem,
                                                       session) for n in ordered},
                             result, say, elsewhere)
        for name in ordered:
            if name in elsewhere:
                continue
            ctx = tracker.contexts[name]
            t0 = time.perf_counter()
            ctx.out_dir.mkdir()
            tracker.written(name, registry.writer(name)(ctx), time.perf_counter() - t0)
        if beside is not None:
            search = _search_part(tracker.contexts["html"]) if split else []
            for name in _finish_ahead(beside.names):
                tracker.finish(name)
            for name, (output, seconds) in beside.wait().items():
                if name == "html":  # the pages' warnings in the order of one run
                    output.warnings.extend(search)
                tracker.written(name, output, seconds)
        for name in ordered:
            tracker.finish(name)
        install(tmp, out_dir)
    except BaseException:
        if beside is not None:
            beside.stop()
        if tmp is not None:
            _remove(tmp)
        raise
    cpu = f" (a second process: {beside.cpu:.2f} s CPU)" if beside is not None else ""
    say(f"built {', '.join(ordered)} into {out_dir}/ in {time.perf_counter() - started:.2f} s{cpu}")
    return result


def _finish_ahead(elsewhere: tuple[str, ...]) -> tuple[str, ...]:
    """The formats written aside whose finishing step this process can run before the
    child is done: a finisher copies other formats' files into its own format's
    folder (never what its writer writes), so with every other format written here it
    need not wait (the HTML's downloads, off the critical path when the child is the
    longer: at 1 MB ~0.27 s CPU, ``bench/critical_path.py``)."""
    return elsewhere if len(elsewhere) == 1 else ()


def _new_tmp(out_dir: Path) -> Path:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    # a fresh name per build: two builds into the same --out never share a folder
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))


def _search_part(ctx: WriteContext) -> list[str]:
    """Write the HTML's search page and index here (the child writes the other
    pages: :func:`tei_tools.publish.aside.split_html`); their warnings."""
    from tei_tools.publish import html

    return html.write(ctx, html.SEARCH).warnings


def _start_aside(source: Path, tree: etree._ElementTree, tmp: Path, options: BuildOptions,
                 names: tuple[str, ...], split: bool) -> aside.Aside:
    """Fork the child writing ``names`` into ``tmp`` with its own Saxon session (``split``:
    the HTML but its search part)."""
    for name in names:
        (tmp / name).mkdir()
    sessions: list[tuple[SaxonSession, Source]] = []

    def job(name: str) -> WriterOutput:
        if not sessions:  # the child's own, made once it runs
            session = SaxonSession()
            sessions.append((session, session.load_source(source, tree)))
        session, loaded = sessions[0]
        ctx = WriteContext(loaded, tmp / name, tmp, options, source.stem, session)
        if split and name == "html":
            from tei_tools.publish import html

            return html.write(ctx, html.NO_SEARCH)
        return registry.writer(name)(ctx)

    return aside.start(names, str(source), job, formats=options.formats)


class _Tracker:
    """Each format recorded in the result, and said, in build order, once it is
    written and finished (:data:`~tei_tools.publish.formats.FINISHERS`): the same
    warnings in the same order whichever process wrote it."""

    def __init__(self, ordered: tuple[str, ...], contexts: dict[str, WriteContext],
                 result: BuildResult, say: Progress, elsewhere: tuple[str, ...]) -> None:
        self.contexts = contexts
        self._pending = list(ordered)
        self._outputs: dict[str, tuple[WriterOutput, float]] = {}
        self._ready: set[str] = set()
        self._result = result
        self._say = say
        self._elsewhere = elsewhere
        self._seen: set[str] = set()

    def written(self, name: str, output: WriterOutput, seconds: float) -> None:
        self._outputs[name] = output, seconds
        if registry.finisher(name) is None:
            self._ready.add(name)
        self._flush()

    def finish(self, name: str) -> None:
        """Run ``name``'s finishing step (once; before or after it is written)."""
        finisher = registry.finisher(name)
        if finisher is not None and name not in self._ready:
            finisher(self.contexts[name])
            self._ready.add(name)
        self._flush()

    def _flush(self) -> None:
        while (self._pending and self._pending[0] in self._ready
               and self._pending[0] in self._outputs):
            self._report(self._pending.pop(0))

    def _report(self, name: str) -> None:
        output, elapsed = self._outputs[name]
        ctx, result = self.contexts[name], self._result
        for warning in output.warnings:
            key = _warning_key(warning)
            if key not in self._seen:
                self._seen.add(key)
                result.warnings.append(warning)
                self._say(f"warning: {warning}")
        files = sorted(p for p in ctx.out_dir.rglob("*") if p.is_file())
        if not files:
            raise BuildError(f"{ctx.source.path}: error: the {name} writer produced no file")
        result.formats.append(FormatResult(
            name, [result.out_dir / p.relative_to(ctx.root) for p in files], elapsed))
        where = " (a second process)" if name in self._elsewhere else ""
        n = len(files)
        self._say(f"{name}: {n} file{'s' if n != 1 else ''} in {elapsed:.2f} s{where}")


def install(tmp: Path, out_dir: Path) -> None:
    """Make the finished folder ``tmp`` (a sibling of ``out_dir``) the output.

    The formats ``tmp`` lacks are carried over from the previous output; then
    two renames swap the folders. If another build landed in ``out_dir``
    meanwhile, it is replaced too (the last build wins, whole). On failure the
    previous output is put back and ``tmp`` is left for the caller to remove.
    """
    _carry_over(tmp, out_dir)
    for _ in range(_SWAP_ATTEMPTS):
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
        moved = False
        try:
            try:
                os.replace(out_dir, old)  # onto an empty folder: allowed
                moved = True
            except FileNotFoundError:
                pass
            try:
                os.replace(tmp, out_dir)
                return
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or not out_dir.is_dir():
                    raise
                # another build put its output there between our two renames: go again
        except BaseException:
            if moved and not out_dir.exists():
                os.replace(old, out_dir)
            raise
        finally:
            _remove(old)
    raise BuildError(f"{out_dir}: error: other builds keep replacing this folder; not installed")


_SWAP_ATTEMPTS = 5


def _carry_over(tmp: Path, out_dir: Path) -> None:
    """Copy into ``tmp`` the formats of the previous output this build did not redo.

    Another build may swap ``out_dir`` away meanwhile: then the copy starts again
    from what is there now."""
    built = {p.name for p in tmp.iterdir()}
    for _ in range(_SWAP_ATTEMPTS):
        try:
            for kept in sorted(_entries(out_dir)):
                if kept.is_dir() and kept.name in registry.WRITERS and kept.name not in built:
                    shutil.copytree(kept, tmp / kept.name)
            return
        except FileNotFoundError:
            for copied in tmp.iterdir():
                if copied.name not in built:
                    _remove(copied)
    raise BuildError(f"{out_dir}: error: other builds keep replacing this folder; not installed")


def _entries(folder: Path) -> list[Path]:
    """The entries of ``folder``; none if it is not there (or just renamed away)."""
    try:
        return list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []


def check_memory(source: Path, options: BuildOptions) -> None:
    """Refuse, before reading it, a document whose build needs more than
    ``options.max_memory`` bytes (:func:`tei_tools.publish.memory.estimate`;
    ``None``: no limit)."""
    limit = options.max_memory
    if limit is None:
        return
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise UsageError(f"{source}: error: cannot read ({exc.strerror})") from None
    needed = memory.estimate(size, options.validate)
    if needed > limit:
        raise BuildError(
            f"{source}: error: a build of this document ({size / memory.MIB:.1f} MiB) needs "
            f"about {memory.mib(needed)}, more than --max-memory {memory.mib(limit)}; "
            "nothing built (raise --max-memory, or build the document in parts)")


def check_out_dir(out_dir: Path) -> None:
    """Refuse an output folder that is not ours: replacing it would delete the rest."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: error: exists and is not a folder; choose another --out")
    foreign = sorted(p.name for p in _entries(out_dir) if p.name not in registry.WRITERS)
    if foreign:
        shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        raise UsageError(
            f"{out_dir}: error: holds files a build did not write ({shown}); the whole folder "
            "is replaced on each build, so choose an empty or new --out folder")


def _validate(source: Path, data: bytes, parsed: xmlio.ParsedXml, options: BuildOptions,
              say: Progress, saxon: SaxonSession) -> list[Diagnostic]:
    # imported here: a build with validate=False never loads the validators (~0.15 s cold)
    from tei_tools.validation import schema_choice
    from tei_tools.validation.runner import validate_document

    t0 = time.perf_counter()
    schema = options.schema or schema_choice.schema_for(parsed.tree, source)
    report = validate_document(data, parsed.tree, str(source), schema=schema, parsed=parsed,
                                saxon=saxon)
    diagnostics = list(report.diagnostics())
    if not report.ok:
        raise InvalidDocument(source, diagnostics)
    say(f"validated {source} ({Path(report.schema).name}) in {time.perf_counter() - t0:.2f} s")
    return diagnostics


def _warning_key(warning: str) -> str:
    match = re.match(r"element (\S+)", warning)
    return match.group(1) if match else warning


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
