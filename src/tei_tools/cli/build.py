"""``tei-tools build``: validate the edition and publish it (HTML, EPUB, text)."""

from __future__ import annotations

from pathlib import Path

import click

from tei_tools.publish.build import BuildOptions, InvalidDocument, build as run_build
from tei_tools.publish.formats import parse_formats


@click.command("build")
@click.argument("tei", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "-f", "formats", metavar="LIST",
              help="Comma-separated formats: html, epub, txt (default: all).")
@click.option("--out", "-o", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("dist"), show_default=True, help="Output folder: one sub-folder per format; must be new, empty or a previous build's.")
@click.option("--no-validate", is_flag=True,
              help="Publish without validating first (for other TEI than the edition).")
@click.option("--schema", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="RELAX NG grammar to validate with (default: the edition's; e.g. tei_all.rng for other TEI).")
@click.option("--reading", type=click.Choice(["regularised", "diplomatic"]), default="regularised",
              show_default=True, help="Reading of corrections and regularisations (text output and HTML).")
@click.option("--page-markers", is_flag=True, help="Mark the print pages in the text output: 〔第4页〕.")
@click.option("--no-editorial", is_flag=True,
              help="Text output without editorial matter (source lines, notes, gap and page markers, brackets).")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr (warnings still shown).")
def build(tei: Path | None, formats: str | None, out_dir: Path, no_validate: bool,
          schema: Path | None, reading: str, page_markers: bool, no_editorial: bool, quiet: bool) -> None:
    """Validate TEI (default: the edition under tei/) and write dist/html, dist/epub, dist/txt.

    The output is replaced only when every format succeeded; a failed build
    leaves the previous output untouched. Progress and timings go to stderr.
    """
    options = BuildOptions(formats=parse_formats(formats), reading=reading,
                           page_markers=page_markers, editorial=not no_editorial,
                           validate=not no_validate, schema=schema)

    def progress(message: str) -> None:
        if not quiet or message.startswith("warning:"):
            click.echo(f"tei-tools build: {message}", err=True)

    try:
        run_build(tei, out_dir, options, progress)
    except InvalidDocument as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        raise


COMMANDS = [build]
