"""CLI for ``tei-tools odd compile`` and ``tei-tools odd doc``: a thin layer over :mod:`tei_tools.odd`.

Warnings (a ``specGrpRef`` to nothing, a ``moduleRef`` naming an element its
module lacks: the TEI skips them too) go to stderr as
``file:line: warning: … [code]``; an ODD the processor cannot compile is one
located error line and exit 1; a missing file or unwritable folder exit 2.
"""

from __future__ import annotations

from pathlib import Path

import click

from tei_tools.errors import UsageError

ODD = click.argument("odd_file", type=click.Path(dir_okay=False, path_type=Path))
OUT = click.option("--out", "out_dir", required=True,
                   type=click.Path(file_okay=False, path_type=Path),
                   help="Folder to write into (created if missing).")
SOURCE = click.option("--source", "source", type=click.Path(dir_okay=False, path_type=Path),
                      help="Another compiled TEI specification (p5subset.xml) instead of the "
                           "packaged P5 4.9.0a one. Local files only.")
IDENT = click.option("--ident", "ident", default=None,
                     help="The schemaSpec to compile when the ODD holds several [default: the "
                          "first].")


def _check_exists(path: Path) -> None:
    if not path.exists():
        raise UsageError(f"{path}: error: no such file")


@click.group("odd")
def odd() -> None:
    """Compile TEI ODD customisations (no Java) and document them."""


@odd.command("compile")
@ODD
@OUT
@SOURCE
@IDENT
def compile_(odd_file: Path, out_dir: Path, source: Path | None, ident: str | None) -> None:
    """Write OUT/IDENT.rng, OUT/IDENT.sch and OUT/IDENT.compiled.odd.

    IDENT is the schemaSpec's @ident. The grammar is RELAX NG (XML syntax);
    the Schematron is ISO (queryBinding="xslt2") with the constraints of the
    TEI and of the ODD that apply.
    """
    from tei_tools.odd import compile_odd, write_compiled

    _check_exists(odd_file)
    if source is not None:
        _check_exists(source)
    result = compile_odd(odd_file, source=source, schema_ident=ident)
    for warning in result.warnings:
        click.echo(warning.format(), err=True)
    for path in write_compiled(result, out_dir):
        click.echo(str(path))


@odd.command("doc")
@ODD
@OUT
@SOURCE
@IDENT
def doc(odd_file: Path, out_dir: Path, source: Path | None, ident: str | None) -> None:
    """Write HTML documentation: OUT/index.html and one page per element.

    Each element page gives its content model, its attributes (with closed
    value lists) and the customisation's own prose and examples.
    """
    from tei_tools.odd.doc import write_documentation

    _check_exists(odd_file)
    if source is not None:
        _check_exists(source)
    result = write_documentation(odd_file, out_dir, source=source, schema_ident=ident)
    for warning in result.warnings:
        click.echo(warning.format(), err=True)
    click.echo(f"{len(result.pages)} pages in {out_dir}", err=True)


COMMANDS: list[click.Command] = [odd]
