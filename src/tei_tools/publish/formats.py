"""The format registry: one writer per output format, in build order.

Text and EPUB come before HTML, so the HTML edition can offer them for
download. Writers are imported when used, so one format's dependencies
never stop another from building.
"""

from __future__ import annotations

import importlib

from tei_tools.errors import UsageError
from tei_tools.publish.options import WriteContext, Writer, WriterOutput


def _epub(ctx: WriteContext) -> WriterOutput:
    from tei_tools.publish import epub

    result = epub.write(ctx.source, ctx.out_dir, saxon=ctx.saxon)
    return WriterOutput([result.path], list(getattr(result, "warnings", []) or []))


WRITERS: dict[str, Writer | str] = {
    "txt": "tei_tools.publish.text:write",
    "epub": _epub,
    "records": "tei_tools.records.writer:write",
    "html": "tei_tools.publish.html:write",
}
"""Format name → writer (or ``"module:function"``, imported on first use)."""


def writer(name: str) -> Writer:
    entry = WRITERS.get(name)
    if entry is None:
        raise UsageError(f"unknown format '{name}' (choose from {', '.join(WRITERS)})")
    if isinstance(entry, str):
        module, _, func = entry.partition(":")
        found: Writer = getattr(importlib.import_module(module), func)  # each entry names a Writer
        return found
    return entry


def parse_formats(spec: str | None) -> tuple[str, ...]:
    """``"html,txt"`` → ``("txt", "html")`` in build order; ``None`` → all."""
    if not spec:
        return tuple(WRITERS)
    asked = [f.strip().lower() for f in spec.split(",") if f.strip()]
    for f in asked:
        if f not in WRITERS:
            raise UsageError(f"unknown format '{f}' (choose from {', '.join(WRITERS)})")
    return tuple(f for f in WRITERS if f in asked)
