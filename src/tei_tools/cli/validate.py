"""CLI for ``tei-tools validate``: a thin layer over :func:`tei_tools.validation.validate`.

Output: one line per diagnostic on stdout, ``path:line:col: severity: message
[code]`` (the column only when it is known), written as each file is done (in
input order, as jing reports a long run as it goes); the summary line ``N files, E
errors, W warnings: valid|invalid`` on stderr, so stdout holds nothing but
diagnostics. ``--format json`` writes one JSON object on stdout instead (the
summary is inside it). Exit 0 valid, 1 invalid, 2 usage or I/O error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from tei_tools.cli.output import jobs_option, scheduler_option
from tei_tools.errors import UsageError
from tei_tools.saxon import SaxonSession
from tei_tools.validation import FileResult, ValidationReport
from tei_tools.validation import validate as run_validation
from tei_tools.xinclude import XIncludePolicy

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--schema", type=click.Path(dir_okay=False, path_type=Path),
              help="RELAX NG grammar (XML syntax, .rng) instead of the project's "
                   "schema/tei-taijiang.rng; e.g. tei_all.rng for any TEI file.")
@click.option("--schematron", "schematron", type=click.Path(dir_okay=False, path_type=Path),
              help="ISO Schematron (queryBinding xslt, xslt2 or xslt3) to run instead of the "
                   "project's rules.")
@click.option("--odd", "odd", type=click.Path(dir_okay=False, path_type=Path),
              help="An ODD customisation: compiled (cached by content hash under the user's "
                   "cache folder) to the grammar and Schematron to validate with.")
@click.option("--no-schematron", is_flag=True,
              help="Skip every Schematron check: given, project and embedded in the grammar. "
                   "(With --schema and no --schematron the project's rules are skipped anyway: "
                   "they encode this edition's conventions.)")
@click.option("--no-embedded-schematron", is_flag=True,
              help="Skip the Schematron rules embedded in the grammar (tei_all.rng has the "
                   "TEI's own constraints, run by default).")
@click.option("--no-xinclude", is_flag=True,
              help="Do not expand xi:include (by default local files are included, from the "
                   "document's folder tree only; never the network).")
@click.option("--xinclude-root", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder whose files xi:include may read (default: each document's folder).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Diagnostics as text lines or as one JSON object.")
@jobs_option()
@scheduler_option("Validate")
def validate(paths: tuple[Path, ...], schema: Path | None, schematron: Path | None,
             odd: Path | None, no_schematron: bool, no_embedded_schematron: bool,
             no_xinclude: bool, xinclude_root: Path | None, fmt: str, jobs: int | None,
             scheduler: str | None) -> None:
    """Validate TEI files and folders (folders: every *.xml inside, recursively).

    With no PATH, the edition under tei/. Checks, in order: well-formed XML
    (hardened parser: no DTD, internal entities only, bounded, no network, size
    limit; xi:include of local files expanded), root
    element TEI or teiCorpus, RELAX NG, Schematron (the given or project rules,
    and those embedded in the grammar). Exit 0 valid, 1 invalid,
    2 usage or I/O error.
    """
    try:
        _validate(paths, schema, schematron, odd, no_schematron, no_embedded_schematron,
                  no_xinclude, xinclude_root, fmt, jobs, scheduler)
    except UsageError as exc:
        if fmt == "json":  # a program reading stdout still gets one JSON object
            click.echo(json.dumps({"valid": False, "error": {"exit_code": exc.exit_code,
                                                             "message": str(exc)}},
                                  ensure_ascii=False, indent=2))
        raise


def _validate(paths: tuple[Path, ...], schema: Path | None, schematron: Path | None,
              odd: Path | None, no_schematron: bool, no_embedded_schematron: bool,
              no_xinclude: bool, xinclude_root: Path | None, fmt: str, jobs: int | None,
              scheduler: str | None) -> None:
    if schematron is not None and no_schematron:
        raise UsageError("tei-tools validate: error: --schematron and --no-schematron "
                         "exclude each other")
    if no_xinclude and xinclude_root is not None:
        raise UsageError("tei-tools validate: error: --no-xinclude and --xinclude-root "
                         "exclude each other")
    rules: Path | bool | None = False if no_schematron else schematron
    saxon = SaxonSession()  # the command's one Saxon session
    if odd is not None:
        if schema is not None:
            raise UsageError("tei-tools validate: error: --odd and --schema exclude each other")
        from tei_tools.validation.runner import odd_rules

        schema, odd_sch, note = odd_rules(odd, saxon=saxon)
        if note and rules is None:
            click.echo(note, err=True)
        if rules is None:
            rules = odd_sch if odd_sch is not None else False
    xinclude = XIncludePolicy(enabled=not no_xinclude, root=xinclude_root)
    progress = _progress_bar() if sys.stderr.isatty() else None
    stream = _Stream(progress) if fmt == "text" else None
    try:
        report = run_validation(list(paths) or None, schema=schema, schematron=rules,
                                embedded_schematron=not (no_schematron or no_embedded_schematron),
                                xinclude=xinclude, jobs=jobs, progress=progress,
                                on_result=stream, scheduler=scheduler, saxon=saxon)
    finally:
        if progress is not None:
            progress.close()
    _emit(report, fmt)
    ctx = click.get_current_context()
    ctx.exit(2 if report.io_error else (0 if report.ok else 1))


def _emit(report: ValidationReport, fmt: str) -> None:
    """What is left to write once every file is done: the JSON object, or (text: the
    diagnostics were written file by file, :class:`_Stream`) the summary line."""
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(report.summary(), err=True)


class _Stream:
    """Writes one file's diagnostics as soon as its result arrives. With the
    progress bar on the terminal, its line is cleared first (it is drawn again at
    the next file), so a diagnostic never lands in the middle of it."""

    def __init__(self, progress: _progress_bar | None) -> None:
        self._progress = progress

    def __call__(self, result: FileResult) -> None:
        if not result.diagnostics:
            return
        if self._progress is not None and self._progress.drawn:
            click.echo("\r\033[K", nl=False, err=True)
        click.echo("\n".join(d.format() for d in result.diagnostics))


class _progress_bar:
    """click's progress bar on stderr (only when stderr is a terminal), made on the
    first report, when the number of files is known."""

    def __init__(self) -> None:
        self._bar: ProgressBar[int] | None = None
        self._done = 0

    def __call__(self, done: int, total: int, path: str) -> None:
        if total < 2:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, file=sys.stderr, label="validate")
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    @property
    def drawn(self) -> bool:
        return self._bar is not None

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


COMMANDS: list[click.Command] = [validate]
