"""Plain text (``dist/txt/``): the whole document and one file per unit.

UTF-8, NFC, LF; the regularised reading unless ``reading="diplomatic"``;
page markers ``〔第4页〕`` with ``page_markers``. Each file opens with a
metadata header (``---`` … ``---``). Everything the editors add (source
lines, gap markers, note anchors and notes, figure descriptions) is in
``〔…〕``, supplied text in ``［…］``; ``editorial=False`` leaves it all out.
"""

from __future__ import annotations

from tei_tools.publish.options import WriteContext, WriterOutput

STYLESHEET = "text/text.xsl"


def write(ctx: WriteContext) -> WriterOutput:
    result = ctx.saxon.stylesheet(STYLESHEET).run(ctx.source, ctx.out_dir, {
        "reading": ctx.options.reading,
        "page-markers": ctx.options.page_markers,
        "editorial": ctx.options.editorial,
        "basename": ctx.basename,
    })
    files = [ctx.out_dir / name for name in result.principal.split()]
    return WriterOutput(files, result.warnings)
