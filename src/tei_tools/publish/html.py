"""The static HTML edition (``dist/html/``).

Pages come from ``xslt/html/edition.xsl``; this module copies the static
assets (``xslt/html/assets/``) and the downloads (the TEI itself, and the
plain text and EPUB when the same build wrote them, and each unit's plain
text) next to the pages, and the schema's documentation (:mod:`.schema_doc`);
each unit's TEI is written by the stylesheet.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tei_tools.paths import xslt_dir
from tei_tools.publish import schema_doc
from tei_tools.publish.options import WriteContext, WriterOutput

STYLESHEET = "html/edition.xsl"
ASSETS = ("edition.css", "edition.js", "favicon.svg")


def downloads(ctx: WriteContext) -> list[tuple[str, Path]]:
    """(href under html/, source path) of each file offered for download."""
    offered: list[tuple[str, Path]] = [
        (f"downloads/{ctx.source.path.name}", ctx.source.path)]
    txt = ctx.root / "txt" / f"{ctx.basename}.txt"
    if txt.is_file():
        offered.append((f"downloads/{txt.name}", txt))
    epub_dir = ctx.root / "epub"
    if epub_dir.is_dir():
        for epub in sorted(epub_dir.glob("*.epub")):
            offered.append((f"downloads/{epub.name}", epub))
    return offered


def item_texts(ctx: WriteContext) -> list[tuple[str, Path]]:
    """(href under html/, source path) of each unit's plain text, when built."""
    folder = ctx.root / "txt" / "items"
    return [(f"downloads/items/{p.name}", p) for p in sorted(folder.glob("*.txt"))] \
        if folder.is_dir() else []


def write(ctx: WriteContext) -> WriterOutput:
    offered = downloads(ctx)
    per_item = item_texts(ctx)
    schema_index = schema_doc.write(ctx)
    result = ctx.saxon.stylesheet(STYLESHEET).run(ctx.source, ctx.out_dir, {
        "reading": ctx.options.reading,
        "downloads": [href for href, _ in offered],
        "item-texts": bool(per_item),
        "schema-doc": schema_index or "",
    })
    assets = ctx.out_dir / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    for name in ASSETS:
        shutil.copyfile(xslt_dir() / "html" / "assets" / name, assets / name)
    for href, path in offered + per_item:
        target = ctx.out_dir / href
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    files = sorted(p for p in ctx.out_dir.rglob("*") if p.is_file())
    return WriterOutput(files, result.warnings)
