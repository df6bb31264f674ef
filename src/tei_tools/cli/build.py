"""``tei-tools build``: validate TEI documents and publish them (HTML, EPUB, text).

One document given as a file (default: the edition) is built into ``--out``
itself (``dist/html``, ``dist/epub``, ``dist/txt``); several files or a folder
build each document into ``--out/<relative path without .xml>/`` on local
worker processes (``--jobs``) or a Dask cluster (``--scheduler``). Exit 0 all
built, 1 a document invalid or failed, 2 usage or I/O error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from tei_tools import paths as project_paths
from tei_tools.errors import UsageError
from tei_tools.publish.corpus import CorpusBuild, DocumentBuild, build_corpus, build_one
from tei_tools.publish.formats import parse_formats
from tei_tools.publish.memory import DEFAULT_LIMIT, parse_size
from tei_tools.publish.options import BuildOptions

SCHEDULER_ENV = "DASK_SCHEDULER_ADDRESS"
""":data:`tei_tools.executor.SCHEDULER_ENV`, named here so that building one document
never imports the executor (multiprocessing: ~0.04 s); a test keeps the two equal."""


@click.command("build")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "-f", "formats", metavar="LIST",
              help="Comma-separated formats: html, epub, txt, records (default: all).")
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("dist"), show_default=True,
              help="Output folder: one sub-folder per format (per document and format for "
                   "several documents); must be new, empty or a previous build's.")
@click.option("--no-validate", is_flag=True,
              help="Publish without validating first (for other TEI than the edition).")
@click.option("--schema", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="RELAX NG grammar to validate with (default: the one the document declares, "
                   "the edition's for the edition, else tei_all).")
@click.option("--reading", type=click.Choice(["regularised", "diplomatic"]), default="regularised",
              show_default=True, help="Reading of corrections and regularisations (text output and HTML).")
@click.option("--page-markers", is_flag=True, help="Mark the print pages in the text output: 〔第4页〕.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Worker processes for several documents [default: all cores]. One "
                   "document: 1 writes its formats one after the other in one process, 2 "
                   "or more the HTML in a second process beside the others [default: "
                   "so when a core is idle].")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help=f"Build on a Dask cluster (pip install \"tei-tools[dask]\"); "
                   f"default ${SCHEDULER_ENV} when set.")
@click.option("--report", "report_file", type=click.Path(path_type=Path, dir_okay=False),
              help="Write a JSON report of what was built, refused, and why.")
@click.option("--no-editorial", is_flag=True,
              help="Text output without editorial matter (source lines, notes, gap and page "
                   "markers, brackets).")
@click.option("--max-memory", "max_memory", metavar="SIZE", default=DEFAULT_LIMIT,
              show_default=True,
              help="Memory the build of one document may need (512M, 2G; 0 or none: no limit); a "
                   "document estimated to need more is refused before any work.")
@click.option("--quiet", "-q", is_flag=True,
              help="No progress on stderr (warnings and failures still shown).")
def build(paths: tuple[Path, ...], formats: str | None, out_dir: Path, no_validate: bool,
          schema: Path | None, reading: str, page_markers: bool, no_editorial: bool, jobs: int | None,
          scheduler: str | None, report_file: Path | None, max_memory: str, quiet: bool) -> None:
    """Validate TEI files and folders (default: the edition under tei/) and publish them.

    Every document is replaced only when all its formats succeeded; a failed
    document leaves its previous output untouched and the others are built.
    Progress and timings go to stderr.
    """
    options = BuildOptions(formats=parse_formats(formats), reading=reading,
                           page_markers=page_markers, editorial=not no_editorial,
                           validate=not no_validate, schema=schema,
                           max_memory=parse_size(max_memory), concurrent=None if jobs is None else jobs > 1)

    def say(message: str) -> None:
        if not quiet or message.startswith("warning:"):
            click.echo(f"tei-tools build: {message}", err=True)

    alone = not paths or (len(paths) == 1 and not paths[0].is_dir())
    if alone:
        source = paths[0] if paths else project_paths.edition_file()
        outcome = build_one(source, out_dir, options, say)
        _explain(outcome)
        report = CorpusBuild(str(out_dir), (outcome,))
    else:
        if report_file is not None:
            _check_writable(report_file)

        def progress(outcome: DocumentBuild, done: int, total: int) -> None:
            for warning in outcome.warnings:
                click.echo(f"tei-tools build: warning: {outcome.source}: {warning}", err=True)
            if outcome.ok:
                say(f"[{done}/{total}] {outcome.source} -> {outcome.out_dir}/")
            else:
                _explain(outcome)

        report = build_corpus(list(paths), out_dir, options, jobs=jobs, scheduler=scheduler,
                              progress=progress)
        say(report.summary())
    if report_file is not None:
        _write_report(report_file, report)
    click.get_current_context().exit(report.exit_code)


def _explain(outcome: DocumentBuild) -> None:
    """A failed document: its diagnostics, then one line saying what happened."""
    if outcome.ok:
        return
    for diagnostic in outcome.diagnostics:
        if outcome.status == "invalid":
            click.echo(diagnostic.format(), err=True)
    click.echo(outcome.message or f"{outcome.source}: error: {outcome.status}", err=True)


def _check_writable(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        raise UsageError(f"{path}: error: cannot write the report here")


def _write_report(path: Path, report: CorpusBuild) -> None:
    text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: error: cannot write the report ({exc.strerror})") from None


COMMANDS = [build]
