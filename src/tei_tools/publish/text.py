"""Plain text (``dist/txt/``): the whole document and one file per unit.

UTF-8, NFC, LF; the regularised reading unless ``reading="diplomatic"``;
page markers ``〔第4页〕`` with ``page_markers``. Each file opens with a
metadata header (``---`` … ``---``). Everything the editors add (source
lines, gap markers, note anchors and notes, figure descriptions) is in
``〔…〕``, supplied text in ``［…］``; ``editorial=False`` leaves it all out.

The stylesheet's result documents are captured in memory and written here
(Saxon's own writing costs more per file: 1,808 files at 10 MB).
"""

from __future__ import annotations

from tei_tools.errors import BuildError
from tei_tools.publish.options import WriteContext, WriterOutput

STYLESHEET = "text/text.xsl"


def write(ctx: WriteContext) -> WriterOutput:
    result = ctx.saxon.stylesheet(STYLESHEET).capture(ctx.source, {
        "reading": ctx.options.reading,
        "page-markers": ctx.options.page_markers,
        "editorial": ctx.options.editorial,
        "basename": ctx.basename,
    })
    files = []
    folders = set()
    for name in result.principal.split():
        path = ctx.out_dir / name
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        try:
            path.write_bytes(result.documents[name].encode("utf-8"))
        except OSError as exc:
            raise BuildError(f"{path}: error: cannot write the text ({exc.strerror})") from None
        files.append(path)
    return WriterOutput(files, result.warnings)
