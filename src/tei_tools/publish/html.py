"""The static HTML edition (``dist/html/``).

Pages come from ``xslt/html/edition.xsl``; this module copies the static
assets (``xslt/html/assets/``) and the schema's documentation
(:mod:`.schema_doc`) next to them; each unit's TEI is written by the
stylesheet. The downloads (the TEI itself, and the plain text and EPUB when
the same build makes them, and each unit's plain text) are named from the
formats asked, so the pages can be written before or beside those formats
(:mod:`tei_tools.publish.aside`), and copied by :func:`add_downloads`, the
format's finishing step, once every format of the build is written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tei_tools.paths import xslt_dir
from tei_tools.publish import schema_doc
from tei_tools.publish.options import WriteContext, WriterOutput

STYLESHEET = "html/edition.xsl"
ASSETS = ("edition.css", "edition.js", "favicon.svg")
TEXT, EPUB = "txt", "epub"
"""The formats whose files the site offers for download."""


def downloads(ctx: WriteContext) -> list[tuple[str, Path]]:
    """(href under html/, source path) of each file offered for download: the TEI,
    and the plain text and the EPUB of the formats this build writes (their
    files as their writers name them, under the build's root)."""
    offered: list[tuple[str, Path]] = [
        (f"downloads/{ctx.source.path.name}", ctx.source.path)]
    if TEXT in ctx.options.formats:
        offered.append((f"downloads/{ctx.basename}.txt", ctx.root / TEXT / f"{ctx.basename}.txt"))
    if EPUB in ctx.options.formats:
        from tei_tools.publish.epub import epub_name

        name = epub_name(ctx.source.path)
        offered.append((f"downloads/{name}", ctx.root / EPUB / name))
    return offered


def item_texts(ctx: WriteContext) -> list[tuple[str, Path]]:
    """(href under html/, source path) of each unit's plain text, when built."""
    folder = ctx.root / TEXT / "items"
    return [(f"downloads/items/{p.name}", p) for p in sorted(folder.glob("*.txt"))] \
        if folder.is_dir() else []


ALL, SEARCH, NO_SEARCH = "all", "search", "no-search"
"""Which pages a run of the stylesheet writes (its ``pages`` parameter): every page;
the search page and its index; every other page. A build may write the site in two
parts, one per process (:mod:`tei_tools.publish.aside`): the same files."""


def write(ctx: WriteContext, pages: str = ALL) -> WriterOutput:
    """The pages, assets and schema pages (not the downloads: :func:`add_downloads`);
    ``pages`` :data:`SEARCH`: the search page and its index only, nothing else."""
    if pages == SEARCH:  # the other part writes the schema pages
        schema_index = schema_doc.INDEX if schema_doc.schema_odd(ctx) is not None else None
    else:
        schema_index = schema_doc.write(ctx)
    result = ctx.saxon.stylesheet(STYLESHEET).run(ctx.source, ctx.out_dir, {
        "pages": pages,
        "reading": ctx.options.reading,
        "downloads": [href for href, _ in downloads(ctx)],
        # the text output writes one file per unit, the units the pages link from
        "item-texts": TEXT in ctx.options.formats,
        "schema-doc": schema_index or "",
    })
    if pages == SEARCH:
        return WriterOutput([], result.warnings)
    assets = ctx.out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(xslt_dir() / "html" / "assets" / name, assets / name)
    return WriterOutput(sorted(p for p in ctx.out_dir.rglob("*") if p.is_file()), result.warnings)


def add_downloads(ctx: WriteContext) -> None:
    """Copy the files the pages offer into ``downloads/``, after every format is written."""
    for href, path in downloads(ctx) + item_texts(ctx):
        target = ctx.out_dir / href
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
